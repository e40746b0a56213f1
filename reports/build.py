"""build_digest: select a profile's articles for a period and arrange them.

Pure data in, pure data out: the index is only read through IndexBackend,
and nothing here knows about HTML.
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone as dt_timezone
from typing import Callable, Iterable, Optional
from zoneinfo import ZoneInfo

from index.base import IndexBackend, QuerySyntaxError, SearchRequest
from reports.events import announced_date, call_or_event, fold
from reports.chart import volume_png
from reports.links import search_url
from reports.model import (ActorCount, Coverage, Digest, Item, Matrix, MatrixCell, MatrixRow, Perimeter,
                           RisingTerm, Section)
from reports.period import Period, make_period
from reports.rights import allowed_summary, is_paywalled
from reports import trends
from reports.text import clean_line, first_sentence, safe_url, strip_markup
from reports.wording import wording
from veille.config import Config, ConfigError, Profile
from veille.record import Article

HIGHLIGHTS = 5
SECTION_LIMIT = 8
EVENTS_LIMIT = 10
TRANSVERSAL_LIMIT = 8
ACTORS_LIMIT = 10
SUMMARY_CHARS = 400
LINE_CHARS = 180
BASELINE_PERIODS = 4   # rising terms and new actors compare with the 4 periods before
VOLUME_WEEKS = 8
CHART = "volume-themes.png"
# what the "Appels à projets et événements" link searches for in the web app
EVENTS_QUERY = ('"appel à projets" OR "appels à projets" OR "appel à candidatures" OR salon OR '
                'conférence OR colloque OR webinaire OR "journée technique"')

ACTOR_TYPES = {
    "company": "entreprise", "lab": "laboratoire", "university": "université",
    "cluster": "pôle de compétitivité", "public-body": "organisme public",
    "investor": "investisseur", "person": "personne",
}


def build_digest(config: Config, index: IndexBackend, profile_id: str,
                 period: str = "week", now: Optional[datetime] = None,
                 timings: Optional[dict[str, float]] = None) -> Digest:
    """The digest of one profile for the week (or day) ending at `now`.

    `timings`, when given, receives the seconds spent querying the period's
    articles ("query") and computing trends, matrix and chart ("trends").
    """
    timings = {} if timings is None else timings
    profile = config.profile(profile_id)
    span = make_period(period, config.settings.timezone, now, profile.language)
    started = time.perf_counter()
    articles = _perimeter_articles(index, profile, span.start, span.end)
    timings["query"] = timings.get("query", 0.0) + time.perf_counter() - started
    builder = _Builder(config, profile, span, articles)
    digest = builder.digest()
    started = time.perf_counter()
    builder.add_trends(digest, index)
    timings["trends"] = timings.get("trends", 0.0) + time.perf_counter() - started
    return digest


def _perimeter_articles(index: IndexBackend, profile: Profile, since: datetime, until: datetime) -> list[Article]:
    """Articles of the period matching any profile theme OR any profile market.

    The index combines filters of different fields with AND, so themes and
    markets are asked separately and the answers merged.
    """
    base = dict(query=profile.query, sources=list(profile.sources),
                since=since.astimezone(dt_timezone.utc),
                until=until.astimezone(dt_timezone.utc), sort="date")
    if profile.themes or profile.markets:
        requests = []
        if profile.themes:
            requests.append(SearchRequest(themes=list(profile.themes), **base))
        if profile.markets:
            requests.append(SearchRequest(markets=list(profile.markets), **base))
    else:
        requests = [SearchRequest(**base)]
    found: dict[str, Article] = {}
    try:
        for request in requests:
            for article in index.iter_articles(request):
                if _within(article, since, until):
                    found.setdefault(article.id, article)
    except QuerySyntaxError as exc:
        raise ConfigError(f"profil {profile.id!r} : requête invalide : {exc}") from exc
    return list(found.values())


def _utc(moment: datetime) -> datetime:
    """Aware datetime; a naive one is taken as UTC (how the crawlers store it)."""
    return moment.replace(tzinfo=dt_timezone.utc) if moment.tzinfo is None else moment


def _within(article: Article, since: datetime, until: datetime) -> bool:
    """Guard against a backend that is loose with bounds or time zones."""
    return article.published is not None and since <= _utc(article.published) < until


class _Builder:
    def __init__(self, config: Config, profile: Profile, span: Period, articles: list[Article]):
        self.config = config
        self.profile = profile
        self.span = span
        self.zone = ZoneInfo(config.settings.timezone)
        self.words = wording(profile.language)
        self.articles = sorted(articles, key=lambda a: (_utc(a.published), a.id), reverse=True)
        self.theme_labels = {t.id: self.words.label(t) for t in config.themes}
        self.market_labels = {m.id: self.words.label(m) for m in config.markets}
        self.source_names = {s.id: s.name for s in config.sources}
        self.source_rules = {s.id: s for s in config.sources}
        self.base_url = config.settings.web.base_url
        last_day = (span.end - timedelta(microseconds=1)).date()
        self.link_dates = dict(since=span.start.date(), until=last_day + timedelta(days=1))
        self.perimeter_labels = set(profile.themes) | set(profile.markets)

    # --- scores ----------------------------------------------------------

    def recency(self, article: Article) -> float:
        """1.0 for an article published at the end of the period, 0.5 at its start."""
        age = (self.span.end - _utc(article.published)) / self.span.length
        return 0.5 ** min(max(age, 0.0), 1.0)

    def relevance(self, article: Article) -> float:
        """Sum of the article's theme and market scores inside the perimeter."""
        themes = [l for l in article.themes if l.id in self.profile.themes]
        markets = [l for l in article.markets if l.id in self.profile.markets]
        if not self.perimeter_labels:
            themes, markets = article.themes, article.markets
        return sum(label.score for label in themes + markets)

    def score(self, article: Article) -> float:
        return self.relevance(article) * self.recency(article)

    # --- items and sections ------------------------------------------------

    def item(self, article: Article, score: float, kind: str = "") -> Item:
        summary = (strip_markup(article.summary) or strip_markup(article.feed_summary)
                   or clean_line(article.text))
        rules = self.source_rules.get(article.source)
        summary = allowed_summary(summary, rules, SUMMARY_CHARS)
        published = _utc(article.published).astimezone(self.zone) if article.published else None
        return Item(
            article_id=article.id,
            story_id=article.story_id or article.id,
            title=clean_line(article.title) or self.words("(sans titre)"),
            url=safe_url(article.url),
            source_name=self.source_name(article),
            published=published,
            summary=summary,
            line=first_sentence(summary, LINE_CHARS),
            themes=[self.theme_labels.get(i, i) for i in article.theme_ids],
            markets=[self.market_labels.get(i, i) for i in article.market_ids],
            score=round(score, 3),
            kind=kind,
            paywalled=is_paywalled(rules),
        )

    def source_name(self, article: Article) -> str:
        return (clean_line(article.source_name) or self.source_names.get(article.source, "")
                or clean_line(article.source) or self.words("source inconnue"))

    def section(self, section_id: str, title: str, articles: Iterable[Article],
                score: Callable[[Article], float], limit: int,
                kind: Callable[[Article], str] = lambda a: "") -> Section:
        """One item per story (its best-scored article), best first."""
        best: dict[str, tuple[float, Article]] = {}
        for article in articles:
            value = score(article)
            story = article.story_id or article.id
            if story not in best or value > best[story][0]:
                best[story] = (value, article)
        ranked = sorted(best.values(),
                        key=lambda pair: (pair[0], _utc(pair[1].published), pair[1].id), reverse=True)
        items = [self.item(article, value, kind(article)) for value, article in ranked[:limit]]
        return Section(id=section_id, title=title, items=items, more=max(len(ranked) - limit, 0))

    def highlights(self) -> Section:
        section = self.section("faits-marquants", self.words("Faits marquants"), self.articles, self.score, HIGHLIGHTS)
        stories = defaultdict(list)
        for article in self.articles:
            stories[article.story_id or article.id].append(article)
        for item in section.items:
            item.also = self.coverage(item, stories[item.story_id])
        section.search_url = self.perimeter_link()
        return section

    # --- links into the web app -------------------------------------------

    def link(self, query: str = "", themes=(), markets=(), actor: str = "") -> str:
        parts = [f"({self.profile.query})" if self.profile.query else "",
                 f"({query})" if query and self.profile.query else query,
                 f"actor:{actor}" if actor else ""]
        query = " ".join(part for part in parts if part)
        return search_url(self.base_url, query, themes, markets, **self.link_dates)

    def perimeter_link(self) -> str:
        """The perimeter as one search: its themes (the web app ANDs themes with markets)."""
        if self.profile.themes:
            return self.link(themes=self.profile.themes)
        return self.link(markets=self.profile.markets)

    def coverage(self, item: Item, story: list[Article]) -> list[Coverage]:
        """The other sources of a story, one entry per source."""
        seen = {item.source_name}
        others = []
        for article in sorted(story, key=lambda a: _utc(a.published)):
            name = self.source_name(article)
            if article.id != item.article_id and name not in seen:
                seen.add(name)
                others.append(Coverage(source_name=name, url=safe_url(article.url)))
        return others

    def label_section(self, prefix: str, label_id: str, title: str, field: str) -> Section:
        def labelled(article: Article) -> float:
            labels = getattr(article, field)
            return next((l.score for l in labels if l.id == label_id), 0.0) * self.recency(article)

        members = [a for a in self.articles if label_id in [l.id for l in getattr(a, field)]]
        section = self.section(f"{prefix}-{label_id}", title, members, labelled, SECTION_LIMIT)
        section.search_url = self.link(**{field: [label_id]})
        return section

    def calls_and_events(self) -> Section:
        kinds = {a.id: call_or_event(a) for a in self.articles}
        members = [a for a in self.articles if kinds[a.id]]
        newest_first = lambda a: _utc(a.published).timestamp()
        section = self.section("appels-evenements", self.words("Appels à projets et événements"), members,
                               newest_first, EVENTS_LIMIT, kind=lambda a: kinds[a.id] or "")
        by_id = {a.id: a for a in members}
        for item in section.items:
            label, when = announced_date(by_id[item.article_id], self.span.start.date())
            item.when = self.words(f"{label} : {{date}}", date=self.words.date(when)) if when else ""
        section.search_url = self.link(query=EVENTS_QUERY, themes=self.profile.themes)
        return section

    def transversal(self) -> Section:
        members = [a for a in self.articles if a.transversal]
        section = self.section("opportunites-transversales", self.words("Opportunités transversales"),
                               members, self.score, TRANSVERSAL_LIMIT)
        section.search_url = self.perimeter_link()
        return section

    # --- actors ------------------------------------------------------------

    def actors(self) -> tuple[list[ActorCount], list[ActorCount]]:
        """Registry actors and candidate (unregistered) actors, by number of articles citing them."""
        registry = {a.id: a for a in self.config.actors}
        known: Counter = Counter()
        candidates: Counter = Counter()
        candidate_names: dict[str, str] = {}
        candidate_types: dict[str, str] = {}
        for article in self.articles:
            cited_known, cited_new = set(), set()
            for mention in article.actors:
                if mention.id and mention.id in registry:
                    cited_known.add(mention.id)
                    continue
                name = clean_line(mention.name)
                if not name:
                    continue
                key = fold(name)
                cited_new.add(key)
                candidate_names.setdefault(key, name)
                candidate_types.setdefault(key, self.actor_type(mention.type))
            known.update(cited_known)
            candidates.update(cited_new)
        top_known = [
            ActorCount(id=actor_id, name=registry[actor_id].name,
                       type_label=self.actor_type(registry[actor_id].type), count=count,
                       search_url=self.link(actor=actor_id))
            for actor_id, count in _top(known, lambda k: registry[k].name)
        ]
        top_new = [
            ActorCount(id=None, name=candidate_names[key], type_label=candidate_types[key], count=count,
                       search_url=self.link(query=_phrase(candidate_names[key])), registered=False)
            for key, count in _top(candidates, lambda k: candidate_names[k])
        ]
        return top_known, top_new

    def new_actors(self, baseline: list[Article]) -> list[ActorCount]:
        """Actors cited this period by no article of the baseline periods, most cited first."""
        def keys(article: Article) -> set[str]:
            return {m.id or fold(clean_line(m.name)) for m in article.actors if m.id or clean_line(m.name)}

        seen_before = set().union(*(keys(a) for a in baseline)) if baseline else set()
        registry = {a.id: a for a in self.config.actors}
        counts: Counter = Counter()
        shown: dict[str, ActorCount] = {}
        for article in self.articles:
            for mention in article.actors:
                key = mention.id or fold(clean_line(mention.name))
                if not key or key in seen_before:
                    continue
                if key not in shown:
                    known = registry.get(mention.id or "")
                    name = known.name if known else clean_line(mention.name)
                    shown[key] = ActorCount(
                        id=known.id if known else None, name=name,
                        type_label=self.actor_type(known.type if known else mention.type), count=0,
                        search_url=self.link(actor=known.id) if known else self.link(query=_phrase(name)),
                        registered=known is not None)
            for key in keys(article) - seen_before:
                counts[key] += 1
        for key, actor in shown.items():
            actor.count = counts[key]
        return [shown[key] for key, _ in _top(counts, lambda k: shown[k].name)]

    # --- trends --------------------------------------------------------------

    def add_trends(self, digest: Digest, index: IndexBackend) -> None:
        """Rising terms, new actors, weekly volume chart and the market × theme matrix."""
        span, profile = self.span, self.profile
        baseline_start = span.start - BASELINE_PERIODS * span.length
        baseline = _perimeter_articles(index, profile, baseline_start, span.start)
        digest.rising_terms = [
            RisingTerm(term=t.term, count=t.count, before=round(t.before, 1),
                       search_url=self.link(query=_phrase(t.term)))
            for t in trends.rising_terms(self.articles, baseline, BASELINE_PERIODS)]
        digest.new_actors = self.new_actors(baseline)
        themes = list(profile.themes) or [t.id for t in self.config.themes]
        markets = list(profile.markets) or [m.id for m in self.config.markets]
        digest.volume = trends.weekly_volume(index, themes, span.end, VOLUME_WEEKS, profile.query, profile.sources)
        digest.volume_labels = {t: self.theme_labels.get(t, t) for t in themes}
        digest.charts[CHART] = volume_png(digest.volume, digest.volume_labels, self.words)
        digest.trends_url = search_url(self.base_url, profile.query, themes,
                                       since=(span.end - timedelta(weeks=VOLUME_WEEKS)).date(),
                                       until=self.link_dates["until"])
        cells = trends.market_theme_matrix(index, markets, themes, span.start, span.end,
                                            profile.query, profile.sources)
        digest.matrix = Matrix(
            theme_labels=[self.theme_labels.get(t, t) for t in themes],
            rows=[MatrixRow(label=self.market_labels.get(m, m), search_url=self.link(markets=[m]),
                            cells=[MatrixCell(count=cells[m][t], search_url=self.link(themes=[t], markets=[m]))
                                   for t in themes])
                  for m in markets],
            since=span.start, until=span.end)

    # --- the whole digest --------------------------------------------------

    def perimeter(self) -> Perimeter:
        return Perimeter(
            themes=[self.theme_labels.get(i, i) for i in self.profile.themes],
            markets=[self.market_labels.get(i, i) for i in self.profile.markets],
            sources=[self.source_names.get(i, i) for i in self.profile.sources],
            query=clean_line(self.profile.query),
        )

    def actor_type(self, actor_type: str) -> str:
        label = ACTOR_TYPES.get(actor_type, "")
        return self.words(label) if label else ""

    def method(self, article_count: int, source_count: int) -> list[str]:
        span, profile, words = self.span, self.profile, self.words
        scope = words("qui relèvent d'au moins un thème ou un marché du profil")
        if not self.perimeter_labels:
            scope = words("de toutes les thématiques")
        if profile.sources:
            scope += words(", parmi les sources choisies")
        if profile.query:
            scope += words(", et qui répondent à la requête « {query} »", query=clean_line(profile.query))
        engines = sorted({a.enriched_with for a in self.articles if a.enriched_with})
        lines = [
            words("Synthèse produite automatiquement par veille le {when} (heure de {city}).",
                  when=words.datetime(span.end), city=_city(self.config.settings.timezone)),
            words("Articles publiés {period} {scope} : {articles} de {sources}.", period=span.label, scope=scope,
                  articles=words.plural(article_count, "article"), sources=words.plural(source_count, "source")),
            words("Faits marquants : les {count} sujets les plus pertinents pour le périmètre (scores des thèmes "
                  "et marchés pondérés par la fraîcheur), un article par sujet ; les autres sources qui l'ont "
                  "couvert sont citées.", count=HIGHLIGHTS),
            words("Thèmes, marchés, acteurs et résumés sont attribués automatiquement par le thésaurus de la "
                  "veille{engines} ; vérifiez l'article d'origine avant de le citer.",
                  engines=f" ({', '.join(clean_line(e) for e in engines)})" if engines else ""),
            words("Appels à projets et événements : repérés par mots-clés dans le titre et le texte."),
        ]
        if words.language != "fr":
            lines.append(words("Les résumés sont ceux des sources, en version originale."))
        return lines

    def digest(self) -> Digest:
        sources = {a.source or self.source_name(a) for a in self.articles}
        known, new = self.actors()
        return Digest(
            profile_id=self.profile.id,
            profile_name=clean_line(self.profile.name),
            perimeter=self.perimeter(),
            period=self.span,
            generated_at=self.span.end,
            timezone=self.config.settings.timezone,
            article_count=len(self.articles),
            source_count=len(sources),
            highlights=self.highlights(),
            theme_sections=[self.label_section("theme", i, self.words("Thème : {label}", label=self.theme_labels.get(i, i)),
                                              "themes")
                            for i in self.profile.themes],
            market_sections=[self.label_section("marche", i,
                                               self.words("Marché : {label}", label=self.market_labels.get(i, i)),
                                               "markets")
                             for i in self.profile.markets],
            actors=known,
            candidate_actors=new,
            calls_and_events=self.calls_and_events(),
            transversal=self.transversal(),
            method=self.method(len(self.articles), len(sources)),
            actors_url=self.perimeter_link(),
            perimeter_url=self.perimeter_link(),
            language=self.profile.language,
        )


def _phrase(words: str) -> str:
    """A quoted phrase for the expert query syntax (inner quotes dropped)."""
    return '"' + words.replace('"', " ").strip() + '"'


def _top(counts: Counter, name: Callable[[str], str]) -> list[tuple[str, int]]:
    """Most cited first, then alphabetical, at most ACTORS_LIMIT."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], fold(name(kv[0]))))[:ACTORS_LIMIT]


def _city(zone: str) -> str:
    """'Europe/Paris' -> 'Paris', for 'heure de Paris'."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")
