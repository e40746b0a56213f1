"""build_digest: select a profile's articles for a period and arrange them.

Pure data in, pure data out: the index is only read through IndexBackend,
and nothing here knows about HTML.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timezone as dt_timezone
from typing import Callable, Iterable, Optional
from zoneinfo import ZoneInfo

from index.base import IndexBackend, QuerySyntaxError, SearchRequest
from reports.events import call_or_event, fold
from reports.french import datetime_fr, plural
from reports.model import ActorCount, Coverage, Digest, Item, Perimeter, Section
from reports.period import Period, make_period
from reports.text import clean_line, first_sentence, safe_url, shorten, strip_markup
from veille.config import Config, ConfigError, Profile
from veille.record import Article

HIGHLIGHTS = 5
SECTION_LIMIT = 8
EVENTS_LIMIT = 10
TRANSVERSAL_LIMIT = 8
ACTORS_LIMIT = 10
SUMMARY_CHARS = 400
LINE_CHARS = 180

ACTOR_TYPES = {
    "company": "entreprise", "lab": "laboratoire", "university": "université",
    "cluster": "pôle de compétitivité", "public-body": "organisme public",
    "investor": "investisseur", "person": "personne",
}


def build_digest(config: Config, index: IndexBackend, profile_id: str,
                 period: str = "week", now: Optional[datetime] = None) -> Digest:
    """The digest of one profile for the week (or day) ending at `now`."""
    profile = config.profile(profile_id)
    span = make_period(period, config.settings.timezone, now)
    articles = _perimeter_articles(index, profile, span)
    return _Builder(config, profile, span, articles).digest()


def _perimeter_articles(index: IndexBackend, profile: Profile, span: Period) -> list[Article]:
    """Articles of the period matching any profile theme OR any profile market.

    The index combines filters of different fields with AND, so themes and
    markets are asked separately and the answers merged.
    """
    base = dict(query=profile.query, sources=list(profile.sources),
                since=span.start.astimezone(dt_timezone.utc),
                until=span.end.astimezone(dt_timezone.utc), sort="date")
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
                if _within(article, span):
                    found.setdefault(article.id, article)
    except QuerySyntaxError as exc:
        raise ConfigError(f"profil {profile.id!r} : requête invalide : {exc}") from exc
    return list(found.values())


def _utc(moment: datetime) -> datetime:
    """Aware datetime; a naive one is taken as UTC (how the crawlers store it)."""
    return moment.replace(tzinfo=dt_timezone.utc) if moment.tzinfo is None else moment


def _within(article: Article, span: Period) -> bool:
    """Guard against a backend that is loose with bounds or time zones."""
    return article.published is not None and span.start <= _utc(article.published) < span.end


class _Builder:
    def __init__(self, config: Config, profile: Profile, span: Period, articles: list[Article]):
        self.config = config
        self.profile = profile
        self.span = span
        self.zone = ZoneInfo(config.settings.timezone)
        self.articles = sorted(articles, key=lambda a: (_utc(a.published), a.id), reverse=True)
        self.theme_labels = {t.id: t.label for t in config.themes}
        self.market_labels = {m.id: m.label for m in config.markets}
        self.source_names = {s.id: s.name for s in config.sources}
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
        summary = (clean_line(article.summary) or strip_markup(article.feed_summary)
                   or clean_line(article.text))
        summary = shorten(summary, SUMMARY_CHARS)
        published = _utc(article.published).astimezone(self.zone) if article.published else None
        return Item(
            article_id=article.id,
            story_id=article.story_id or article.id,
            title=clean_line(article.title) or "(sans titre)",
            url=safe_url(article.url),
            source_name=self.source_name(article),
            published=published,
            summary=summary,
            line=first_sentence(summary, LINE_CHARS),
            themes=[self.theme_labels.get(i, i) for i in article.theme_ids],
            markets=[self.market_labels.get(i, i) for i in article.market_ids],
            score=round(score, 3),
            kind=kind,
        )

    def source_name(self, article: Article) -> str:
        return (clean_line(article.source_name) or self.source_names.get(article.source, "")
                or clean_line(article.source) or "source inconnue")

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
        section = self.section("faits-marquants", "Faits marquants", self.articles, self.score, HIGHLIGHTS)
        stories = defaultdict(list)
        for article in self.articles:
            stories[article.story_id or article.id].append(article)
        for item in section.items:
            item.also = self.coverage(item, stories[item.story_id])
        return section

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
        return self.section(f"{prefix}-{label_id}", title, members, labelled, SECTION_LIMIT)

    def calls_and_events(self) -> Section:
        kinds = {a.id: call_or_event(a) for a in self.articles}
        members = [a for a in self.articles if kinds[a.id]]
        newest_first = lambda a: _utc(a.published).timestamp()
        return self.section("appels-evenements", "Appels à projets et événements", members,
                            newest_first, EVENTS_LIMIT, kind=lambda a: kinds[a.id] or "")

    def transversal(self) -> Section:
        members = [a for a in self.articles if a.transversal]
        return self.section("opportunites-transversales", "Opportunités transversales",
                            members, self.score, TRANSVERSAL_LIMIT)

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
                candidate_types.setdefault(key, ACTOR_TYPES.get(mention.type, ""))
            known.update(cited_known)
            candidates.update(cited_new)
        top_known = [
            ActorCount(id=actor_id, name=registry[actor_id].name,
                       type_label=ACTOR_TYPES.get(registry[actor_id].type, ""), count=count)
            for actor_id, count in _top(known, lambda k: registry[k].name)
        ]
        top_new = [
            ActorCount(id=None, name=candidate_names[key], type_label=candidate_types[key], count=count)
            for key, count in _top(candidates, lambda k: candidate_names[k])
        ]
        return top_known, top_new

    # --- the whole digest --------------------------------------------------

    def perimeter(self) -> Perimeter:
        return Perimeter(
            themes=[self.theme_labels.get(i, i) for i in self.profile.themes],
            markets=[self.market_labels.get(i, i) for i in self.profile.markets],
            sources=[self.source_names.get(i, i) for i in self.profile.sources],
            query=clean_line(self.profile.query),
        )

    def method(self, article_count: int, source_count: int) -> list[str]:
        span, profile = self.span, self.profile
        scope = "qui relèvent d'au moins un thème ou un marché du profil"
        if not self.perimeter_labels:
            scope = "de toutes les thématiques"
        if profile.sources:
            scope += ", parmi les sources choisies"
        if profile.query:
            scope += f", et qui répondent à la requête « {clean_line(profile.query)} »"
        engines = sorted({a.enriched_with for a in self.articles if a.enriched_with})
        lines = [
            f"Synthèse produite automatiquement par veille le {datetime_fr(span.end)} "
            f"(heure de {_city(self.config.settings.timezone)}).",
            f"Articles publiés {span.label} {scope} : {plural(article_count, 'article')} "
            f"de {plural(source_count, 'source')}.",
            f"Faits marquants : les {HIGHLIGHTS} sujets les plus pertinents pour le périmètre "
            "(scores des thèmes et marchés pondérés par la fraîcheur), un article par sujet ; "
            "les autres sources qui l'ont couvert sont citées.",
            "Thèmes, marchés, acteurs et résumés sont attribués automatiquement par le thésaurus "
            "de la veille" + (f" ({', '.join(clean_line(e) for e in engines)})" if engines else "")
            + " ; vérifiez l'article d'origine avant de le citer.",
            "Appels à projets et événements : repérés par mots-clés dans le titre et le texte.",
        ]
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
            theme_sections=[self.label_section("theme", i, f"Thème : {self.theme_labels.get(i, i)}", "themes")
                            for i in self.profile.themes],
            market_sections=[self.label_section("marche", i, f"Marché : {self.market_labels.get(i, i)}", "markets")
                             for i in self.profile.markets],
            actors=known,
            candidate_actors=new,
            calls_and_events=self.calls_and_events(),
            transversal=self.transversal(),
            method=self.method(len(self.articles), len(sources)),
        )


def _top(counts: Counter, name: Callable[[str], str]) -> list[tuple[str, int]]:
    """Most cited first, then alphabetical, at most ACTORS_LIMIT."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], fold(name(kv[0]))))[:ACTORS_LIMIT]


def _city(zone: str) -> str:
    """'Europe/Paris' -> 'Paris', for 'heure de Paris'."""
    return zone.rsplit("/", 1)[-1].replace("_", " ")
