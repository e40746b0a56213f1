"""Reading a feed body that Scrapy fetched: RSS 0.9x/1.0/2.0, Atom, JSON Feed.

Safety first: an XML body goes through defusedxml before feedparser sees it,
and a feed declaring XML entities (billion laughs, external entities reading
local files or internal addresses) is refused whole, with a clear reason.
feedparser only ever gets bytes in a stream, so it never does HTTP of its own.
JSON Feed (which feedparser does not read) is mapped to the same entry shape.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from xml.etree.ElementTree import ParseError

import feedparser
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as defused_fromstring

# feedparser flags these, yet the feed was read correctly.
BENIGN_FEED_ISSUES = (feedparser.CharacterEncodingOverride,)
JSON_TYPES = ("application/feed+json", "application/json")


@dataclass
class ParsedFeed:
    entries: list[dict] = field(default_factory=list)  # link, title, summary, published, authors, tags
    problem: str = ""                                   # French reason, empty when the feed was fine


def parse_feed(body: bytes, url: str, content_type: str = "") -> ParsedFeed:
    """Entries of a feed body, or the reason it could not be read."""
    head = body[:64].lstrip()
    if content_type.split(";")[0].strip().lower() in JSON_TYPES or head.startswith(b"{"):
        return _json_feed(body)
    refused = entity_tricks(body)
    if refused:
        return ParsedFeed(problem=refused)
    parsed = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url,
                                                                 "content-type": content_type})
    entries = [_entry(e) for e in parsed.entries]
    problem = ""
    if parsed.bozo and not isinstance(parsed.bozo_exception, BENIGN_FEED_ISSUES):
        exc = parsed.bozo_exception
        problem = f"flux illisible : {type(exc).__name__}: {exc}"
        if entries:
            problem += f" ({len(entries)} entrées récupérées malgré tout)"
    return ParsedFeed(entries, problem)


def entity_tricks(body: bytes) -> str:
    """The refusal reason when the XML declares entities (expansion or external), else ''."""
    try:
        defused_fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        return ("flux refusé : entités XML déclarées dans le flux (risque d'expansion ou de lecture "
                f"de fichiers ; {type(exc).__name__})")
    except (ParseError, ValueError):
        pass  # malformed XML: feedparser's tolerant parser reads what it can and says what is wrong
    return ""


def _date(parsed) -> str | None:
    if not parsed:
        return None
    return datetime(*parsed[:6], tzinfo=timezone.utc).isoformat()


def _entry(entry) -> dict:
    authors = [a.get("name", "") for a in entry.get("authors", []) if a.get("name")]
    if not authors and entry.get("author"):
        authors = [entry["author"]]
    content = entry.get("content") or []
    summary = entry.get("summary", "") or (content[0].get("value", "") if content else "")
    return {
        "link": entry.get("link", ""),
        "title": entry.get("title", ""),
        "summary": summary,
        "published": _date(entry.get("published_parsed") or entry.get("updated_parsed")),
        "authors": authors,
        "tags": [t.get("term", "") for t in entry.get("tags", []) if t.get("term")],
    }


def _json_feed(body: bytes) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return ParsedFeed(problem=f"flux JSON illisible : {exc}")
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return ParsedFeed(problem="flux JSON illisible : pas de liste « items »")
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        entries.append({
            "link": str(item.get("url") or item.get("external_url") or ""),
            "title": str(item.get("title") or ""),
            "summary": str(item.get("content_text") or item.get("content_html") or item.get("summary") or ""),
            "published": _iso(item.get("date_published") or item.get("date_modified")),
            "authors": [str(a["name"]) for a in authors if isinstance(a, dict) and a.get("name")],
            "tags": [str(t) for t in item.get("tags") or [] if isinstance(t, str)],
            "id": str(item.get("id") or ""),
        })
    return ParsedFeed(entries)


def _iso(value) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(timezone.utc).isoformat()
