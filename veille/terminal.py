"""Showing crawled text in a terminal: no markup, no control sequences."""
from __future__ import annotations

import html
import re

from rich.text import Text

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def clean(text: str) -> str:
    """Drop control characters (ANSI escapes included) from untrusted text."""
    return CONTROL.sub("", text)


def snippet_to_rich(snippet: str) -> Text:
    """Turn an HTML-escaped snippet with <mark> into styled terminal text."""
    result = Text()
    position = 0
    for match in MARK.finditer(snippet):
        result.append(clean(html.unescape(snippet[position:match.start()])))
        result.append(clean(html.unescape(match.group(1))), style="bold yellow")
        position = match.end()
    result.append(clean(html.unescape(snippet[position:])))
    return result
