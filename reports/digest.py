"""Public API of the Zoom-Marché digest (what the CLI and the pipeline call).

    digest = build_digest(config, index, profile_id, period="week", now=None)
    html, text = render_digest(digest)
    html_path, txt_path = write_digest(digest, out_dir)
"""
from reports.build import build_digest
from reports.model import ActorCount, Coverage, Digest, Item, Perimeter, Section
from reports.period import Period
from reports.render import render_digest, write_digest

__all__ = ["build_digest", "render_digest", "write_digest", "Digest", "Item", "Section",
           "ActorCount", "Coverage", "Perimeter", "Period"]
