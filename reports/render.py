"""Render a Digest with the Jinja2 templates, and write it to files."""
from __future__ import annotations

import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Mapping, Optional

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from reports.model import Digest
from reports.wording import wording

TEMPLATES = Path(__file__).resolve().parent / "templates"


@lru_cache(maxsize=None)
def environment(language: str = "fr") -> Environment:
    """The digest environment in one language: .html.j2 templates are autoescaped, .txt.j2 are not.

    Templates are written in French; `_()` and the filters (date, datetime,
    plural, decimal) write in `language` (reports/wording.py).
    """
    words = wording(language)
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(enabled_extensions=("html", "htm", "xml", "html.j2"),
                                     default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.globals["_"] = words
    env.globals["language"] = language
    env.globals["colon"] = words.colon
    env.filters.update(date=words.date, datetime=words.datetime, plural=words.plural, decimal=words.decimal)
    return env


def render_digest(digest: Digest, images: Optional[Mapping[str, str]] = None,
                  unsubscribe: str = "") -> tuple[str, str]:
    """(HTML with its CSS inlined, plain text) of the digest.

    `images` maps a chart name (`digest.charts`) to the address the HTML uses
    for it: `cid:…` in an email, a file name beside the archive page; without
    it the files written by `write_digest` are referred to.
    """
    env = environment(digest.language)
    if images is None:
        images = {name: chart_filename(digest, name) for name in digest.charts}
    context = dict(digest=digest, images=dict(images), unsubscribe=unsubscribe)
    html = inline_css(env.get_template("digest.html.j2").render(**context))
    text = env.get_template("digest.txt.j2").render(**context)
    return html, text


# Email clients drop <style> blocks; css-inline moves every rule into style attributes.
_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def inline_css(html: str) -> str:
    return _INLINER.inline(html)


def chart_filename(digest: Digest, name: str) -> str:
    """'zoom-spatial-2026-11-16-volume-themes.png': the chart file beside the archive page."""
    return f"{digest_basename(digest)}-{name}"


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
    for name, png in digest.charts.items():
        _write_atomically(out / chart_filename(digest, name), png)
    _write_atomically(html_path, html)
    _write_atomically(text_path, text)
    write_archive_index(out)
    return html_path, text_path


ARCHIVE_PAGE = re.compile(r"^(?P<profile>[a-z0-9][a-z0-9-]*)-(?P<date>\d{4}-\d{2}-\d{2})\.html$")


def archive_pages(out_dir: Path) -> list[dict]:
    """The digest pages of an archive folder (not its index, drafts or charts), newest period first."""
    pages = []
    for path in out_dir.glob("*.html"):
        match = ARCHIVE_PAGE.match(path.name)
        if match:
            title = _page_title(path) or path.stem
            pages.append({"file": path.name, "profile": match["profile"], "date": match["date"], "title": title,
                          "text": path.with_suffix(".txt").name if path.with_suffix(".txt").exists() else ""})
    pages.sort(key=lambda p: (p["date"], p["profile"]), reverse=True)
    return pages


def write_archive_index(out_dir: Path) -> Path:
    """index.html of the archive folder: every digest page, newest period first, per profile."""
    pages = archive_pages(out_dir)
    html = inline_css(environment().get_template("archive-index.html.j2").render(pages=pages))
    index_path = out_dir / "index.html"
    _write_atomically(index_path, html)
    return index_path


def _page_title(path: Path) -> str:
    """The <title> of a page we wrote (already escaped HTML text: kept as markup-free text)."""
    import html as html_module

    head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    match = re.search(r"<title>(.*?)</title>", head, re.S)
    return html_module.unescape(match.group(1)).strip() if match else ""


def _write_atomically(path: Path, content: str | bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if isinstance(content, bytes):
            with os.fdopen(handle, "wb") as binary:
                binary.write(content)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
