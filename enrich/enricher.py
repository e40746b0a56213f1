"""The Enricher: articles in, the same articles out with the enrich fields filled."""
from __future__ import annotations

import hashlib
import json
from datetime import date, datetime, timedelta, timezone
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from veille.config import Config
from veille.record import Announcement, Article, Entity

from .labeller import model_dir
from .language import detect_language
from .pipeline import build_english, build_french, model_version
from .text import clean_text, one_line

ENRICH_VERSION = "veille-enrich-2"
MAX_CHARS = 20_000  # title + body fed to the model; bounds the time per article
MAX_FEED_SUMMARY_CHARS = 600
CHUNK_BATCHES = 4  # articles are routed by language in chunks of this many batches


class Enricher:
    """Fills lang, entities, actors, themes, markets, transversal, summary, announcement, enriched_with.

    Models and match patterns are built once, here; `enrich` streams articles
    through them in input order. Entity offsets refer to the analysed text:
    the title, a blank line, then the body (`Enricher.analysed_text`).
    """

    def __init__(self, config: Config, max_chars: int = MAX_CHARS, label_model: Path | str | None = "auto",
                 label_mode: str = "combined", label_min_examples: int = 300):
        """label_model: "auto" (the data folder's model, if trained), None (rules only) or a model folder."""
        self.config = config
        self.max_chars = max_chars
        self.batch_size = config.settings.enrich.batch_size
        self.default_lang = config.settings.language
        if label_model == "auto":
            label_model = model_dir(config)
        path = str(label_model or "")
        self.pipelines: dict[str, Language] = {"fr": build_french(config, path, label_mode, label_min_examples),
                                               "en": build_english(config, path, label_mode, label_min_examples)}
        taxonomy = taxonomy_hash(config)
        learned = self.pipelines["fr"].get_pipe("veille_labeller").version
        self.versions = {route: ";".join(filter(None, (ENRICH_VERSION, f"taxo={taxonomy}", model_version(nlp), learned)))
                         for route, nlp in self.pipelines.items()}

    def enrich(self, articles: Iterable[Article], batch_size: int | None = None) -> Iterator[Article]:
        size = batch_size or self.batch_size
        iterator = iter(articles)
        while chunk := list(islice(iterator, size * CHUNK_BATCHES)):
            self._enrich_chunk(chunk, size)
            yield from chunk

    @staticmethod
    def analysed_text(article: Article) -> tuple[str, int]:
        """The text the model reads and the length of its title part."""
        title = one_line(article.title)
        body = clean_text(article.body)
        if title and body:
            return f"{title}\n\n{body}", len(title)
        return title or body, len(title)

    def _enrich_chunk(self, chunk: list[Article], batch_size: int) -> None:
        routes: dict[str, list[tuple[Article, str, int]]] = {"fr": [], "en": []}
        for article in chunk:
            text, title_chars = self.analysed_text(article)
            text = text[: self.max_chars]
            given = (article.lang or "").strip().lower().replace("_", "-").split("-")[0]
            article.lang = given or detect_language(text, self.default_lang)
            routes["fr" if article.lang == "fr" else "en"].append((article, text, title_chars))
        for route, items in routes.items():
            if not items:
                continue
            nlp = self.pipelines[route]
            docs = (self._make_doc(nlp, text, title_chars) for _a, text, title_chars in items)
            for (article, _t, _c), doc in zip(items, nlp.pipe(docs, batch_size=batch_size)):
                self._fill(article, doc, self.versions[route])

    @staticmethod
    def _make_doc(nlp: Language, text: str, title_chars: int) -> Doc:
        doc = nlp.make_doc(text)
        doc._.title_chars = title_chars
        return doc

    @staticmethod
    def _fill(article: Article, doc: Doc, version: str) -> None:
        article.entities = [Entity(text=e.text, label=e.label_, start=e.start_char, end=e.end_char)
                            for e in doc.ents]
        article.actors = doc._.actors or []
        article.themes = doc._.themes or []
        article.markets = doc._.markets or []
        article.transversal = bool(doc._.transversal)
        article.summary = summary_of(article, doc._.summary)
        article.announcement = announcement_of(article, doc._.announcement)
        article.enriched_with = version


def summary_of(article: Article, extracted: str) -> str:
    """The extractive summary, else the feed summary, else the start of the text."""
    if article.text.strip() and extracted:
        return extracted
    fallback = one_line(article.feed_summary) or one_line(article.text)
    if len(fallback) <= MAX_FEED_SUMMARY_CHARS:
        return fallback
    return fallback[:MAX_FEED_SUMMARY_CHARS].rsplit(" ", 1)[0] + " …"


def announcement_of(article: Article, found: dict | None) -> Announcement | None:
    """The record's announcement; a date without a year takes the article's (or the next, when long past)."""
    if not found:
        return None
    when = None
    if found["day"] and found["month"]:
        reference = (article.published or article.fetched_at or datetime.now(timezone.utc)).date()
        year = found["year"] or reference.year
        try:
            when = date(year, found["month"], found["day"])
            if not found["year"] and when < reference - timedelta(days=60):
                when = date(year + 1, found["month"], found["day"])
        except ValueError:  # « 31 février »
            when = None
    return Announcement(kind=found["kind"], date=when, deadline=found["deadline"] and when is not None,
                        sentence=found["sentence"])


def taxonomy_hash(config: Config) -> str:
    """Short hash of everything in the config that changes enrichment results."""
    payload = {
        "themes": [c.model_dump() for c in config.themes],
        "markets": [c.model_dump() for c in config.markets],
        "actors": [a.model_dump() for a in config.actors],
        "enrich": config.settings.enrich.model_dump(),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:10]
