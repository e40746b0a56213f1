"""The weekly volume chart as PNG bytes (matplotlib, Agg backend, no pyplot state)."""
from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from reports.trends import Volume
from reports.wording import Wording, wording

COLOURS = ("#17324d", "#d9822b", "#3d6b35", "#0b5394", "#a34d00", "#7a4b94", "#5f6b7a", "#b03a2e")
WIDTH_PX, HEIGHT_PX, DPI = 560, 260, 100   # CSS pixels; drawn at 2x for sharp screens
SCALE = 2

def volume_png(volume: Volume, labels: dict[str, str], words: Wording = wording("fr")) -> bytes:
    """Line chart, one line per theme, one point per week; 560 × 260 CSS px (1120 × 520 pixels)."""
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI * SCALE)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot(1, 1, 1)
    ticks = [words.short_date(s) for s in volume.week_starts]
    positions = list(range(len(ticks)))
    for number, (theme, counts) in enumerate(volume.series.items()):
        axes.plot(positions, counts, marker="o", markersize=3, linewidth=1.6,
                  color=COLOURS[number % len(COLOURS)], label=labels.get(theme, theme).replace("$", r"\$"))
    axes.set_xticks(positions, ticks, fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.set_ylabel(words("articles / semaine"), fontsize=8)
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", color="#dde3ea", linewidth=0.6)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if volume.series:
        axes.legend(fontsize=6, frameon=False, loc="upper left", ncol=2)
    figure.tight_layout(pad=0.6)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
