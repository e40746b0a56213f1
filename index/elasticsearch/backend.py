"""ElasticsearchIndex: the index interface (index/base.py) on an Elasticsearch cluster.

Writes go through the alias (versions.py) with the client's streaming bulk
helper: chunks bounded in documents and bytes, 429 rejections retried with
exponential backoff (bounded), every per-document failure reported with the
article id and the cluster's reason. A node that cannot be reached raises
BackendUnavailable: the pipeline then leaves the batch in the spool.
"""
from __future__ import annotations

import html
import os
import re
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Iterable, Iterator, Optional
from zoneinfo import ZoneInfo

from elasticsearch import NotFoundError, helpers

from index.base import FACET_FIELDS, Hit, IndexBackend, SearchRequest, SearchResult, UpsertReport
from index.elasticsearch.client import make_client, unavailable_as
from index.elasticsearch.compile import EsCompiler
from index.elasticsearch.mappings import to_document
from index.elasticsearch.versions import Versions
from index.query import parse
from veille.record import Article

ALIAS_ENV = "VEILLE_ES_INDEX"
DEFAULT_ALIAS = "veille"
CHUNK_DOCS = 500
CHUNK_BYTES = 5 * 1024 * 1024
BULK_RETRIES = 5          # per chunk, on 429
INITIAL_BACKOFF_S = 0.5   # doubled on each retry
MAX_BACKOFF_S = 10
FACET_SIZE = 500
SNIPPET_CHARS = 240
MAX_WINDOW = 10_000  # index.max_result_window's default
FACET_KEYWORDS = {"themes": "themes", "markets": "markets", "source": "source", "lang": "lang", "actors": "actors"}
_MARK = re.compile(r"</?mark>")


def _reason(item: dict) -> str:
    error = item.get("error")
    if isinstance(error, dict):
        text = f"{error.get('type', 'erreur')}: {error.get('reason', '')}"
        cause = error.get("caused_by")
        if isinstance(cause, dict) and cause.get("reason"):
            text += f" ({cause.get('reason')})"
        return text
    return str(error or f"statut {item.get('status')}")


class ElasticsearchIndex(IndexBackend):
    def __init__(self, url_env: str = "VEILLE_ES_URL", alias: Optional[str] = None,
                 timezone: str = "Europe/Paris", refresh: bool = True,
                 chunk_docs: int = CHUNK_DOCS, chunk_bytes: int = CHUNK_BYTES,
                 bulk_retries: int = BULK_RETRIES, initial_backoff: float = INITIAL_BACKOFF_S):
        self.client, self.url = make_client(url_env)
        self.alias = alias or os.environ.get(ALIAS_ENV) or DEFAULT_ALIAS
        self.compiler = EsCompiler(ZoneInfo(timezone))
        self.refresh = refresh
        self.chunk_docs, self.chunk_bytes = chunk_docs, chunk_bytes
        self.bulk_retries, self.initial_backoff = bulk_retries, initial_backoff
        self.versions = Versions(self.client, self.alias)
        with unavailable_as(self.url):
            self.versions.ensure()

    # --- writing -----------------------------------------------------------

    def upsert(self, articles: Iterable[Article]) -> UpsertReport:
        report = UpsertReport()
        with unavailable_as(self.url):
            self._bulk(articles, self.alias, report)
            if report.indexed and self.refresh:
                self.client.indices.refresh(index=self.alias)
        return report

    def _bulk(self, articles: Iterable[Article], target: str, report: UpsertReport) -> None:
        def actions():
            for article in articles:
                try:
                    document = to_document(article)
                except Exception as exc:  # a record that cannot even become a document
                    report.failed.append((getattr(article, "id", ""), f"{type(exc).__name__}: {exc}"))
                    continue
                yield {"_op_type": "index", "_index": target, "_id": article.id, "_source": document}

        for ok, item in helpers.streaming_bulk(
                self.client, actions(), chunk_size=self.chunk_docs, max_chunk_bytes=self.chunk_bytes,
                max_retries=self.bulk_retries, initial_backoff=self.initial_backoff, max_backoff=MAX_BACKOFF_S,
                raise_on_error=False, raise_on_exception=True):
            info = next(iter(item.values()))
            if ok:
                report.indexed += 1
            else:
                report.failed.append((info.get("_id", ""), _reason(info)))

    # --- reading -------------------------------------------------------------

    def _query(self, request: SearchRequest) -> dict:
        filters = []
        for values, name in ((request.themes, "themes"), (request.markets, "markets"),
                             (request.actors, "actors"), (request.sources, "source")):
            if values:
                filters.append({"terms": {name: list(values)}})
        if request.lang:
            filters.append({"term": {"lang": request.lang}})
        if request.story_id:
            filters.append({"term": {"story_id": request.story_id}})
        bounds = {}
        if request.since is not None:
            bounds["gte"] = _moment(request.since)
        if request.until is not None:
            bounds["lt"] = _moment(request.until)
        if bounds:
            filters.append({"range": {"published": bounds}})
        query = self.compiler.compile(parse(request.query or ""))
        return {"bool": {"must": [query], "filter": filters}} if filters else query

    def _highlight(self, request: SearchRequest) -> dict:
        texts = self.compiler.highlight_words(parse(request.query or ""))
        spec = {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
                "fields": {"text": {"fragment_size": SNIPPET_CHARS, "number_of_fragments": 1,
                                    "no_match_size": SNIPPET_CHARS}}}
        if texts:
            clauses = [{"match_phrase" if t.phrase else "match": {"text": t.text}} for t in texts]
            spec["highlight_query"] = {"bool": {"should": clauses}}
        return spec

    def search(self, request: SearchRequest) -> SearchResult:
        query = self._query(request)  # QuerySyntaxError before any request
        newest = [{"published": {"order": "desc", "missing": "_last"}}, {"id": "desc"}]
        sort = (["_score"] + newest) if request.sort == "relevance" else newest
        start = min(max(0, request.offset), MAX_WINDOW)  # deeper pages are empty, not an error
        body: dict = {"query": query, "sort": sort, "track_total_hits": True, "track_scores": True,
                      "from": start, "size": min(max(0, request.limit), MAX_WINDOW - start),
                      "_source": ["record"], "highlight": self._highlight(request)}
        if request.facets:
            body["aggs"] = {name: {"terms": {"field": FACET_KEYWORDS[name], "size": FACET_SIZE, "exclude": [""],
                                             "order": [{"_count": "desc"}, {"_key": "asc"}]}}
                            for name in FACET_FIELDS}
        with unavailable_as(self.url):
            response = self.client.search(index=self.alias, **body)
        hits = []
        for raw in response["hits"]["hits"]:
            article = Article.model_validate(raw["_source"]["record"])
            fragments = raw.get("highlight", {}).get("text", [])
            snippet = _snippet(article.body, fragments[0]) if fragments else html.escape(article.body[:SNIPPET_CHARS])
            hits.append(Hit(article=article, score=float(raw.get("_score") or 0.0), snippet=snippet))
        facets = {}
        if request.facets:
            facets = {name: {b["key"]: b["doc_count"] for b in response["aggregations"][name]["buckets"]}
                      for name in FACET_FIELDS}
        return SearchResult(total=response["hits"]["total"]["value"], hits=hits, facets=facets)

    def counts_since(self, request: SearchRequest, starts: list[datetime]) -> list[int]:
        if not starts:
            return []
        body = {"query": self._query(replace(request, since=None, until=None)), "size": 0,
                "track_total_hits": False,
                "aggs": {"since": {"date_range": {"field": "published", "keyed": True,
                                                  "ranges": [{"key": str(k), "from": _moment(start)}
                                                             for k, start in enumerate(starts)]}}}}
        with unavailable_as(self.url):
            response = self.client.search(index=self.alias, **body)
        buckets = response["aggregations"]["since"]["buckets"]
        return [buckets[str(k)]["doc_count"] for k in range(len(starts))]

    def weekly_counts(self, request: SearchRequest, starts: list[datetime], field: str = "themes"
                      ) -> list[dict[str, int]]:
        """One request: a calendar-week `date_histogram` (weeks start on Monday in the index's
        time zone, as `starts` do) with a terms aggregation of `field` in each week."""
        if not starts:
            return []
        tz = self.compiler.tz
        local = [start.astimezone(tz) if start.tzinfo else None for start in starts]
        if any(day is None or day.weekday() or day.time() != datetime.min.time() for day in local):
            return super().weekly_counts(request, starts, field)  # not calendar weeks here: one search each
        window = replace(request, since=min(starts), until=max(starts) + timedelta(weeks=1))
        body = {"query": self._query(window), "size": 0, "track_total_hits": False,
                "aggs": {"weeks": {"date_histogram": {"field": "published", "calendar_interval": "week",
                                                      "time_zone": tz.key, "min_doc_count": 0},
                                   "aggs": {"values": {"terms": {"field": FACET_KEYWORDS[field],
                                                                 "size": FACET_SIZE, "exclude": [""]}}}}}}
        with unavailable_as(self.url):
            response = self.client.search(index=self.alias, **body)
        by_week = {bucket["key"]: {b["key"]: b["doc_count"] for b in bucket["values"]["buckets"]}
                   for bucket in response["aggregations"]["weeks"]["buckets"]}
        return [by_week.get(round(start.timestamp() * 1000), {}) for start in starts]

    def get(self, article_id: str) -> Optional[Article]:
        with unavailable_as(self.url):
            try:
                found = self.client.get(index=self.alias, id=article_id, source_includes=["record"])
            except NotFoundError:
                return None
        return Article.model_validate(found["_source"]["record"])

    def iter_articles(self, request: SearchRequest) -> Iterator[Article]:
        """Every matching article, newest first (scrolled; limit, offset and sort ignored)."""
        body = {"query": self._query(request),
                "sort": [{"published": {"order": "desc", "missing": "_last"}}, {"id": "desc"}]}
        with unavailable_as(self.url):
            for raw in helpers.scan(self.client, query=body, index=self.alias, preserve_order=True,
                                    _source=["record"], size=500):
                yield Article.model_validate(raw["_source"]["record"])

    def count(self) -> int:
        with unavailable_as(self.url):
            return self.client.count(index=self.alias)["count"]

    # --- versions ------------------------------------------------------------------

    def rebuild(self) -> tuple[str, str, UpsertReport]:
        """Copy everything into the next version, then swap the alias; returns (old, new, report)."""
        report = UpsertReport()
        with unavailable_as(self.url):
            old = self.versions.current()
            new = self.versions.create(max(self.versions.versions(), default=0) + 1)
            records = helpers.scan(self.client, index=old, _source=["record"], size=500)
            self._bulk((Article.model_validate(raw["_source"]["record"]) for raw in records), new, report)
            self.client.indices.refresh(index=new)
            self.versions.swap(old, new)
            self.client.indices.delete(index=old)
        return old, new, report

    def status(self) -> dict:
        with unavailable_as(self.url):
            health = self.client.cluster.health()
            current = self.versions.current()
            template = self.client.indices.get_index_template(name=self.alias)["index_templates"][0]
            return {"url": self.url, "cluster": health["cluster_name"], "health": health["status"],
                    "alias": self.alias, "index": current, "documents": self.count(),
                    "analysis": template["index_template"].get("_meta", {}).get("analysis_chain", "")}

    def close(self) -> None:
        self.client.close()


def _moment(value) -> str:
    from datetime import timezone as tz

    return (value if value.tzinfo else value.replace(tzinfo=tz.utc)).isoformat()


def _snippet(body: str, fragment: str) -> str:
    """The highlighted fragment, with "…" where it cuts the text."""
    plain = html.unescape(_MARK.sub("", fragment)).strip()
    lead = "" if body.lstrip().startswith(plain[:30]) else "… "
    tail = "" if body.rstrip().endswith(plain[-30:]) else " …"
    return lead + fragment.strip() + tail

