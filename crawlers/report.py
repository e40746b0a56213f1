"""Per-source crawl counters, kept by the spider and written by the runner."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field


@dataclass
class SourceReport:
    feeds: int = 0          # feeds read successfully
    entries: int = 0        # feed entries seen
    new: int = 0            # article pages fetched and stored
    known: int = 0          # already collected, not fetched again
    errors: list[dict] = field(default_factory=list)   # {url, reason}


class CrawlReport:
    def __init__(self):
        self.sources: dict[str, SourceReport] = defaultdict(SourceReport)

    def error(self, source: str, url: str, reason: str) -> None:
        self.sources[source].errors.append({"url": url, "reason": reason})

    def to_dict(self) -> dict:
        return {source: asdict(report) for source, report in sorted(self.sources.items())}
