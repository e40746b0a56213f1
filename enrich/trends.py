"""Trends: what rises in a perimeter over a period, through the index interface only.

For the digest (issue 6) and the web app (issue 8). Every function takes an
`IndexBackend` (index/base.py) and asks it `SearchRequest`s (since/until,
themes, markets, facets) or `iter_articles(request)`; none knows the backend.

    rising_terms(index, config, since, until, themes=(), markets=(), limit=10)  -> list[Rising]
    rising_actors(index, config, since, until, themes=(), markets=(), limit=10) -> list[Rising]
    new_actors(index, config, since, until, themes=(), markets=(), limit=20)    -> list[NewActor]
    weekly_volume(index, config, weeks=8, now=None, themes=None)                -> WeeklyVolume
    market_theme_matrix(index, config, since, until, top=3)                     -> Matrix

The period is [since, until). The *baseline* is the same perimeter over the
`baseline_periods` periods of the same length just before (4 by default):
the cluster's own corpus, so a term common in its field is not news, while a
term absent before and present in several articles now is a weak signal.

Score: Dunning's log-likelihood ratio G² on document counts (articles that
contain the term, not occurrences: one article repeating a word is one
article), signed (+ rising, - falling), for the 2×2 table (articles of the
period with / without the term, articles of the baseline with / without).
G² stays meaningful with small counts, unlike a ratio of frequencies, and
does not need the term to have been seen before. Only rising terms seen in
at least `min_count` articles (2) with G² >= 3.84 (p < 0.05 for one degree of
freedom) are returned, best G² first.

Terms are word n-grams of one to three words of the title and text, folded
(lower case, no accents), not starting or ending with a stop word (spaCy's
French and English lists), without numbers, at least 3 characters, counted
by their words' minimal stems (« cellules » is « cellule ») and shown as first
written; a shorter
term is dropped when a longer one containing it ranks above it with the same
count. Actors are registry ids, or candidate names for unknown organisations.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterable, Optional, Sequence
from zoneinfo import ZoneInfo

from spacy.lang.en.stop_words import STOP_WORDS as EN_STOP
from spacy.lang.fr.stop_words import STOP_WORDS as FR_STOP

from index.base import IndexBackend, SearchRequest
from veille.record import Article

from .text import PUNCT_MAP, KeyMaker, fold

BASELINE_PERIODS = 4
MIN_COUNT = 2
MIN_G2 = 3.84  # chi-square with one degree of freedom, p < 0.05
MAX_NGRAM = 3
STOP = {fold(w) for w in FR_STOP | EN_STOP} | {"a", "d", "l", "s", "n", "c", "qu", "j", "m", "t"}
_KEYS = {"fr": KeyMaker("fr"), "en": KeyMaker("en")}
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")


@dataclass
class Rising:
    """A term or an actor: articles naming it in the period and in the baseline, and its signed G²."""
    key: str                 # the folded term, or the actor id (candidate: its name)
    label: str               # as shown: the term, or the actor's name
    count: int               # articles of the period
    baseline: int            # articles of the baseline
    score: float             # signed G² (higher: more surprising rise)
    new: bool = False        # absent from the baseline


@dataclass
class NewActor:
    id: Optional[str]        # registry id, None for a candidate
    name: str
    type: str
    count: int               # articles of the period naming it
    first_seen: Optional[datetime] = None  # its first article of the period


@dataclass
class WeeklyVolume:
    weeks: list[datetime]              # Monday 00:00 of each week, oldest first
    series: dict[str, list[int]]       # theme id -> articles per week


@dataclass
class MatrixCell:
    market: str
    theme: str
    count: int
    top_actors: list[tuple[str, int]] = field(default_factory=list)  # (name, articles)
    rising_terms: list[Rising] = field(default_factory=list)


@dataclass
class Matrix:
    since: datetime
    until: datetime
    markets: list[str]
    themes: list[str]
    cells: dict[tuple[str, str], MatrixCell]   # (market, theme) -> cell; every pair present

    def cell(self, market: str, theme: str) -> MatrixCell:
        return self.cells[(market, theme)]


# --- statistics ---------------------------------------------------------------

def _xlogx(x: float) -> float:
    return x * math.log(x) if x > 0 else 0.0


def log_likelihood(a: int, n1: int, b: int, n2: int) -> float:
    """Signed Dunning G²: a of n1 articles in the period, b of n2 in the baseline."""
    if n1 <= 0:
        return 0.0
    c, d = n1 - a, n2 - b
    n = n1 + n2
    g2 = 2 * (_xlogx(a) + _xlogx(b) + _xlogx(c) + _xlogx(d) + _xlogx(n)
              - _xlogx(a + b) - _xlogx(c + d) - _xlogx(n1) - _xlogx(n2))
    rising = n2 == 0 or a / n1 > b / n2
    return round(max(g2, 0.0) if rising else -max(g2, 0.0), 3)


# --- terms and actors of an article ---------------------------------------------

def article_terms(article: Article) -> dict[str, str]:
    """The article's candidate terms: match key (words without their plural) -> the words as written."""
    key_of = _KEYS["en" if article.lang == "en" else "fr"]
    terms: dict[str, str] = {}
    for part in (article.title, article.text or article.feed_summary):
        for line in part.translate(PUNCT_MAP).lower().split("\n"):
            for sentence in re.split(r"[.!?;:()\[\]«»\"]", line):
                words = _WORD.findall(sentence)
                folded = [fold(w) for w in words]
                for n in range(1, MAX_NGRAM + 1):
                    for i in range(len(words) - n + 1):
                        gram = folded[i:i + n]
                        if gram[0] in STOP or gram[-1] in STOP:
                            continue
                        if any(w.isdigit() for w in gram) or len(" ".join(gram)) < 3:
                            continue
                        terms.setdefault(" ".join(key_of(w) for w in gram), " ".join(words[i:i + n]))
    return terms


def article_actors(article: Article) -> dict[str, str]:
    """actor key -> name shown."""
    return {(m.id or m.name): m.name for m in article.actors}


def _request(since, until, themes=(), markets=()) -> SearchRequest:
    return SearchRequest(themes=list(themes), markets=list(markets), since=since, until=until, facets=False,
                         sort="date")


def _articles(index: IndexBackend, since, until, themes=(), markets=()) -> list[Article]:
    return list(index.iter_articles(_request(since, until, themes, markets)))


def _rank(period: Sequence[dict[str, str]], baseline: Sequence[dict[str, str]], limit: int,
          min_count: int, drop_contained: bool) -> list[Rising]:
    now_counts = Counter(key for keys in period for key in keys)
    before = Counter(key for keys in baseline for key in keys)
    labels: dict[str, str] = {}
    for keys in period:
        for key, label in keys.items():
            labels.setdefault(key, label)
    n1, n2 = len(period), len(baseline)
    scored = [Rising(key, labels[key], a, before[key], log_likelihood(a, n1, before[key], n2), before[key] == 0)
              for key, a in now_counts.items() if a >= min_count]
    scored = [r for r in scored if r.score >= MIN_G2]
    scored.sort(key=lambda r: (-r.score, -len(r.key), r.key))
    kept: list[Rising] = []
    for r in scored:
        if drop_contained and any(r.count == k.count and f" {r.key} " in f" {k.key} " for k in kept):
            continue
        kept.append(r)
        if len(kept) >= limit:
            break
    return kept


def baseline_window(since: datetime, until: datetime, periods: int) -> tuple[datetime, datetime]:
    return since - (until - since) * periods, since


def rising_terms(index: IndexBackend, config, since: datetime, until: datetime, themes: Iterable[str] = (),
                 markets: Iterable[str] = (), limit: int = 10, baseline_periods: int = BASELINE_PERIODS,
                 min_count: int = MIN_COUNT) -> list[Rising]:
    """Terms rising in the perimeter over [since, until) against the previous periods."""
    themes, markets = tuple(themes), tuple(markets)
    start, end = baseline_window(since, until, baseline_periods)
    period = [article_terms(a) for a in _articles(index, since, until, themes, markets)]
    baseline = [article_terms(a) for a in _articles(index, start, end, themes, markets)]
    return _rank(period, baseline, limit, min_count, drop_contained=True)


def rising_actors(index: IndexBackend, config, since: datetime, until: datetime, themes: Iterable[str] = (),
                  markets: Iterable[str] = (), limit: int = 10, baseline_periods: int = BASELINE_PERIODS,
                  min_count: int = MIN_COUNT) -> list[Rising]:
    """Actors (registry or candidates) rising in the perimeter over [since, until)."""
    themes, markets = tuple(themes), tuple(markets)
    start, end = baseline_window(since, until, baseline_periods)
    period = [article_actors(a) for a in _articles(index, since, until, themes, markets)]
    baseline = [article_actors(a) for a in _articles(index, start, end, themes, markets)]
    return _rank(period, baseline, limit, min_count, drop_contained=False)


def new_actors(index: IndexBackend, config, since: datetime, until: datetime, themes: Iterable[str] = (),
               markets: Iterable[str] = (), limit: int = 20, lookback_days: int = 365) -> list[NewActor]:
    """Actors named in the perimeter over [since, until) and in no article of the index in the
    `lookback_days` before `since` (any perimeter), most cited first."""
    seen_before: set[str] = set()
    for article in index.iter_articles(_request(since - timedelta(days=lookback_days), since)):
        seen_before.update(article_actors(article))
    found: dict[str, NewActor] = {}
    for article in reversed(_articles(index, since, until, tuple(themes), tuple(markets))):  # oldest first
        for mention in article.actors:
            key = mention.id or mention.name
            if key in seen_before:
                continue
            actor = found.setdefault(key, NewActor(mention.id, mention.name, mention.type, 0, article.published))
            actor.count += 1
    return sorted(found.values(), key=lambda a: (-a.count, a.id is None, a.name))[:limit]


def weekly_volume(index: IndexBackend, config, weeks: int = 8, now: Optional[datetime] = None,
                  themes: Optional[Iterable[str]] = None) -> WeeklyVolume:
    """Articles per theme per calendar week (Monday to Monday, config timezone), oldest week first."""
    tz = ZoneInfo(config.settings.timezone)
    now = now.astimezone(tz) if now and now.tzinfo else (now.replace(tzinfo=tz) if now else datetime.now(tz))
    monday = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    starts = [monday - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]
    wanted = list(themes) if themes is not None else [t.id for t in config.themes]
    counts = index.weekly_counts(SearchRequest(), starts, "themes")
    return WeeklyVolume(weeks=starts, series={t: [week.get(t, 0) for week in counts] for t in wanted})


def market_theme_matrix(index: IndexBackend, config, since: datetime, until: datetime, top: int = 3,
                        baseline_periods: int = BASELINE_PERIODS, min_count: int = MIN_COUNT) -> Matrix:
    """Counts per (market, theme) over [since, until), each cell with its top actors and rising terms.

    Two passes over the index (the period, the baseline), grouped here by cell.
    """
    markets = [m.id for m in config.markets]
    themes = [t.id for t in config.themes]
    cells = {(m, t): MatrixCell(m, t, 0) for m in markets for t in themes}
    period: dict[tuple[str, str], list[Article]] = {}
    for article in _articles(index, since, until):
        for m in article.market_ids:
            for t in article.theme_ids:
                if (m, t) in cells:
                    period.setdefault((m, t), []).append(article)
    start, end = baseline_window(since, until, baseline_periods)
    baseline: dict[tuple[str, str], list[dict[str, str]]] = {}
    for article in _articles(index, start, end):
        pairs = [(m, t) for m in article.market_ids for t in article.theme_ids if (m, t) in period]
        if pairs:
            terms = article_terms(article)
            for pair in pairs:
                baseline.setdefault(pair, []).append(terms)
    for pair, articles in period.items():
        cell = cells[pair]
        cell.count = len(articles)
        names: Counter = Counter()
        for article in articles:
            names.update(set(article_actors(article).values()))
        cell.top_actors = sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        cell.rising_terms = _rank([article_terms(a) for a in articles], baseline.get(pair, []),
                                  top, min_count, drop_contained=True)
    return Matrix(since=since, until=until, markets=markets, themes=themes, cells=cells)
