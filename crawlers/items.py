"""What the crawler hands to its item pipelines: one fetched article page."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    url: str             # canonical URL of the link that led to the page
    source: str          # source id from config
    final_url: str       # after redirects
    status: int
    content_type: str
    encoding: str
    body: bytes
    entry: dict = field(default_factory=dict)   # what the feed said about it
