"""What the crawler hands to its item pipelines."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PageItem:
    """One fetched article page (or a feed entry that has no page: empty body)."""
    url: str             # canonical URL of the link that led to the page
    source: str          # source id from config
    final_url: str       # after redirects
    status: int
    content_type: str
    encoding: str
    body: bytes
    entry: dict = field(default_factory=dict)   # what the feed said about it


@dataclass
class FeedStateItem:
    """A feed's validators, for a conditional GET next time."""
    source: str
    url: str
    etag: str = ""
    last_modified: str = ""


@dataclass
class WatchStateItem:
    """The text blocks of a watched page at this visit, to compare with next time."""
    source: str
    url: str
    blocks: list[str] = field(default_factory=list)


@dataclass
class FailedPageItem:
    """An article page that failed for good (404, refused, too large, not HTML):
    not requested again for a while (crawlers.state.failed_pages)."""
    url: str
    source: str
    reason: str
