"""Per-source crawl counters, kept by the spider and written by the runner."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field


@dataclass
class SourceReport:
    feeds: int = 0          # feeds (or start pages) read successfully
    not_modified: int = 0   # feeds unchanged since last time (304)
    entries: int = 0        # feed entries seen
    new: int = 0            # article pages fetched and stored
    known: int = 0          # already collected, not fetched again
    known_failed: int = 0   # failed for good recently (404, refused...), not requested again yet
    errors: list[dict] = field(default_factory=list)   # {url, reason}
    not_due: bool = False   # skipped: adaptive polling says it is not due yet
    disabled: bool = False  # skipped: failing for long (crawlers.health)
    failure: str = ""       # the source itself failed: "temporary" or "hard"
    health: str = ""        # ok, partial, temporary, hard (filled by to_dict)
    volume: str = ""        # warning when the new-page volume dropped to nothing or jumped


class CrawlReport:
    def __init__(self):
        self.sources: dict[str, SourceReport] = defaultdict(SourceReport)
        # sources whose crawl missed something that may come back (feed unread,
        # temporary error): their feed validators are not stored, so the next
        # crawl reads the feed again instead of getting a 304.
        self.incomplete: set[str] = set()

    def error(self, source: str, url: str, reason: str) -> None:
        self.sources[source].errors.append({"url": url, "reason": reason})

    def to_dict(self) -> dict:
        from crawlers.health import classify

        result = {}
        for source, report in sorted(self.sources.items()):
            result[source] = asdict(report)
            result[source]["health"] = classify(result[source])
        return result
