"""Render a Digest with the Jinja2 templates, and write it to files."""
from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from reports.french import date_fr, datetime_fr, plural
from reports.model import Digest

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The digest environment: .html.j2 templates are autoescaped, .txt.j2 are not."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "html.j2"),
                                     default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date_fr"] = date_fr
    env.filters["datetime_fr"] = datetime_fr
    env.filters["plural"] = plural
    return env


def render_digest(digest: Digest) -> tuple[str, str]:
    """(HTML, plain text) of the digest."""
    env = environment()
    html = env.get_template("digest.html.j2").render(digest=digest)
    text = env.get_template("digest.txt.j2").render(digest=digest)
    return html, text


def digest_basename(digest: Digest) -> str:
    """'<profile>-<first day of the period>', e.g. 'zoom-spatial-2026-11-16'."""
    return f"{digest.profile_id}-{digest.period.start:%Y-%m-%d}"


def write_digest(digest: Digest, out_dir: str | Path) -> tuple[Path, Path]:
    """Write <out_dir>/<basename>.html and .txt; returns (html_path, txt_path).

    Each file is written under a temporary name then renamed, so a killed
    run never leaves half a digest behind.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html, text = render_digest(digest)
    base = digest_basename(digest)
    html_path, text_path = out / f"{base}.html", out / f"{base}.txt"
    _write_atomically(html_path, html)
    _write_atomically(text_path, text)
    return html_path, text_path


def _write_atomically(path: Path, content: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
