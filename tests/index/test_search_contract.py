"""The search contract, run against every backend (the embedded SQLite file and a
real Elasticsearch node): same documents, same queries, same hits, same facet
counts. French matching, operators, filters, facets, order, pages.
"""
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from index.base import IndexBackend, SearchRequest
from index.sqlite import SqliteIndex

from es_helpers import open_es
from index_helpers import load_articles, slugs

BACKENDS = ["sqlite", "elasticsearch"]


def make_index(backend, tmp_path, tz="Europe/Paris"):
    if backend == "sqlite":
        return SqliteIndex(tmp_path / f"index-{tz.replace('/', '-')}.sqlite", timezone=tz)
    return open_es(timezone=tz)


def drop(index):
    if not isinstance(index, SqliteIndex):
        index.versions.drop_all()
    index.close()


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture(scope="module")
def index(backend, tmp_path_factory):
    """The sample articles in a fresh index of each backend (read-only tests)."""
    idx = make_index(backend, tmp_path_factory.mktemp(backend))
    report = idx.upsert(load_articles())
    assert report.failed == []
    yield idx
    drop(idx)

BY_DATE = ["fr-embarquee", "fr-fibre", "en-hydrogen", "fr-defense", "fr-script", "en-laser",
           "fr-satellite", "fr-electronique", "fr-lasers", "fr-industrielle", "fr-sante", "fr-anr"]


def found(index, query, **kwargs) -> set[str]:
    result = index.search(SearchRequest(query=query, limit=100, **kwargs))
    assert result.total == len(result.hits)
    return set(slugs(result))


# --- French-aware matching ---------------------------------------------------

@pytest.mark.parametrize("query", ["laser", "lasers", "LASER", "Lasers"])
def test_laser_finds_lasers(index, query):
    assert found(index, query) == {"fr-lasers", "en-laser"}


@pytest.mark.parametrize("query", ["électronique", "electronique", "Électroniques", "ELECTRONIQUE"])
def test_accents_are_folded(index, query):
    # fr-embarquee is written without accents ("electronique embarquee")
    assert found(index, query) == {"fr-electronique", "fr-satellite", "fr-defense", "fr-embarquee"}


@pytest.mark.parametrize("query", ["satellite", "satellites"])
def test_plural_and_singular(index, query):
    assert found(index, query) == {"fr-lasers", "fr-satellite", "en-laser"}


@pytest.mark.parametrize("query", ["industriel", "industrielle", "industrielles", "industriels"])
def test_adjective_inflections(index, query):
    assert found(index, query) == {"fr-industrielle"}


def test_english_inflections_in_english_articles(index):
    # "technologies" (en-laser) and "technology" (en-hydrogen)
    assert found(index, "technology") == {"en-laser", "en-hydrogen"}
    assert found(index, "truck") == {"en-hydrogen"}


def test_elided_article_is_ignored(index):
    assert found(index, "l'observation") == found(index, "observation") == {"fr-satellite"}


def test_title_ranks_above_text(index):
    result = index.search(SearchRequest(query="satellite"))
    # fr-lasers mentions satellites twice, but only in its text
    assert slugs(result)[-1] == "fr-lasers"
    assert all(hit.score > 0 for hit in result.hits)
    scores = [hit.score for hit in result.hits]
    assert scores == sorted(scores, reverse=True)


# --- phrases and operators -----------------------------------------------------

def test_phrase_needs_adjacent_words(index):
    assert found(index, '"fibre optique"') == {"fr-fibre"}
    assert found(index, "fibre optique") == {"fr-fibre", "fr-script"}


def test_phrase_is_inflection_tolerant(index):
    assert found(index, '"fibres optiques"') == {"fr-fibre"}


def test_not(index):
    assert found(index, "satellites -militaire") == {"fr-lasers", "en-laser"}
    assert found(index, "satellites NOT militaire") == {"fr-lasers", "en-laser"}
    assert found(index, "satellites SAUF (militaire OR airbus)") == {"fr-lasers"}


def test_not_alone_excludes_from_everything(index):
    assert found(index, "-satellite") == set(BY_DATE) - {"fr-lasers", "fr-satellite", "en-laser"}


def test_or_and_grouping(index):
    assert found(index, "radars OU hydrogène") == {"fr-defense", "en-hydrogen"}
    assert found(index, "(radars OR hydrogen) Thales") == {"fr-defense"}


def test_text_or_filter_mixes(index):
    result = index.search(SearchRequest(query="laser OR theme:sante"))
    assert set(slugs(result)) == {"fr-lasers", "en-laser", "fr-sante"}
    assert slugs(result)[-1] == "fr-sante"  # matched by the filter only: no text score


# --- field filters and dates ---------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("theme:electronique", {"fr-electronique", "fr-defense", "fr-embarquee"}),
    ("market:defense", {"fr-satellite", "fr-defense"}),
    ("actor:thales", {"fr-defense"}),
    ("actor:thales-alenia-space", {"fr-satellite"}),
    ("source:spacenews", {"en-laser", "en-hydrogen"}),
    ("lang:en", {"en-laser", "en-hydrogen"}),
    ("title:satellite", {"fr-satellite", "en-laser"}),
    ('title:"fibre optique"', {"fr-fibre"}),
    ("theme:optique-photonique market:spatial", {"fr-lasers", "en-laser"}),
    ("theme:optique-photonique -market:spatial", {"fr-script", "fr-fibre"}),
    ("laser lang:fr", {"fr-lasers"}),
    ("theme:unknown-theme", set()),
])
def test_field_filters(index, query, expected):
    assert found(index, query) == expected


def test_negated_filter(index):
    assert len(found(index, "-theme:electronique")) == 9


@pytest.mark.parametrize("query, expected", [
    # fr-industrielle: 2026-10-31T23:30Z is 1 November in Paris
    ("date:2026-11-01", {"fr-industrielle"}),
    ("date:2026-10", set()),
    ("date:2026-11-20..2026-11-28", {"fr-defense", "en-hydrogen", "fr-fibre"}),
    ("date>=2026-11-25", {"en-hydrogen", "fr-fibre", "fr-embarquee"}),
    ("date>2026-11-25", {"fr-fibre", "fr-embarquee"}),
    ("since:2026-11-28", {"fr-fibre", "fr-embarquee"}),
    ("date<2026-11-01", {"fr-sante"}),
    ("date<=2026-11-01", {"fr-sante", "fr-industrielle"}),
    ("date:2026-11 theme:electronique", {"fr-electronique", "fr-defense"}),
])
def test_dates_in_local_days(index, query, expected):
    assert found(index, query) == expected


def test_dates_follow_the_index_timezone(backend, tmp_path, articles):
    utc = make_index(backend, tmp_path, tz="UTC")
    try:
        utc.upsert(articles)
        assert found(utc, "date:2026-10") == {"fr-industrielle"}
        assert found(utc, "date:2026-11-01") == set()
    finally:
        drop(utc)


def test_request_filters(index):
    assert found(index, "", themes=["electronique", "sante"]) == {
        "fr-electronique", "fr-defense", "fr-embarquee", "fr-sante"}
    assert found(index, "", markets=["transport"], actors=["valeo"]) == {"fr-embarquee"}
    assert found(index, "", sources=["spacenews", "anr"]) == {"en-laser", "en-hydrogen", "fr-anr"}
    assert found(index, "laser", lang="en") == {"en-laser"}
    since = datetime(2026, 11, 20, 6, 0, tzinfo=timezone.utc)   # fr-defense: exactly then
    until = datetime(2026, 11, 28, 9, 0, tzinfo=timezone.utc)   # fr-fibre: exactly then, excluded
    assert found(index, "", since=since, until=until) == {"fr-defense", "en-hydrogen"}


def test_naive_datetimes_are_utc(index):
    assert found(index, "", since=datetime(2026, 11, 28, 9, 0)) == {"fr-fibre", "fr-embarquee"}


# --- facets ----------------------------------------------------------------------

def test_facet_counts_over_whole_matching_set(index):
    result = index.search(SearchRequest(themes=["optique-photonique"], limit=1))
    assert result.total == 4 and len(result.hits) == 1
    assert result.facets == {
        "themes": {"optique-photonique": 4, "aeronautique-spatial": 2, "numerique": 1},
        "markets": {"spatial": 2, "tic-telecoms": 2, "eclairage-affichage": 1},
        "source": {"photonics-news": 2, "spacenews": 1, "telecom-fr": 1},
        "lang": {"fr": 3, "en": 1},
        "actors": {"airbus": 1, "cnes": 1, "lumibird": 1, "opticsvalley": 1, "orange": 1},
    }


def test_facets_with_text_query(index):
    result = index.search(SearchRequest(query="satellites", limit=1))
    assert result.total == 3
    assert result.facets["markets"] == {"spatial": 3, "defense": 1, "tic-telecoms": 1}
    assert list(result.facets["markets"]) == ["spatial", "defense", "tic-telecoms"]  # by count, then name


def test_facets_skip_unlinked_actors_and_can_be_off(index):
    result = index.search(SearchRequest(query="usine"))
    assert slugs(result) == ["fr-industrielle"]
    assert result.facets["actors"] == {}  # "Gigafab SAS" has no registry id
    assert index.search(SearchRequest(query="usine", facets=False)).facets == {}


# --- order and pages ----------------------------------------------------------------

def test_empty_query_lists_everything_newest_first(index):
    result = index.search(SearchRequest(limit=100, sort="relevance"))
    assert result.total == 12
    assert slugs(result) == BY_DATE  # undated last
    assert all(hit.score == 0 for hit in result.hits)


def test_sort_by_date(index):
    result = index.search(SearchRequest(query="satellites", sort="date"))
    assert slugs(result) == ["en-laser", "fr-satellite", "fr-lasers"]


def test_pagination(index):
    pages = [index.search(SearchRequest(limit=5, offset=offset)) for offset in (0, 5, 10, 15)]
    assert [len(p.hits) for p in pages] == [5, 5, 2, 0]
    assert all(p.total == 12 for p in pages)
    assert sum((slugs(p) for p in pages), []) == BY_DATE


def test_pages_past_the_end_are_empty(index):
    result = index.search(SearchRequest(query="laser", offset=20_000, limit=50))
    assert result.total == 2 and result.hits == []


def test_limit_zero_still_counts(index):
    result = index.search(SearchRequest(query="laser", limit=0))
    assert result.total == 2 and result.hits == []
    assert result.facets["lang"] == {"en": 1, "fr": 1}


# --- weekly counts (trends) -------------------------------------------------------

PARIS_MONDAYS = [datetime(2026, 10, 26, tzinfo=ZoneInfo("Europe/Paris"))] + [
    datetime(2026, 11, day, tzinfo=ZoneInfo("Europe/Paris")) for day in (2, 9, 16, 23)]


def test_weekly_counts_per_calendar_week(index):
    weeks = index.weekly_counts(SearchRequest(), PARIS_MONDAYS, "themes")
    assert weeks == [
        {"energie": 1, "mecanique-production": 1},     # Saturday 23:30 UTC is Sunday in Paris: same week
        {"optique-photonique": 1, "aeronautique-spatial": 1, "electronique": 1},
        {"aeronautique-spatial": 2, "optique-photonique": 2},
        {"risques-securite": 1, "electronique": 1},
        {"energie": 1, "mobilite": 1, "optique-photonique": 1, "numerique": 1},
    ]
    # the same as one faceted search per week, which is what the interface promises
    assert weeks == IndexBackend.weekly_counts(index, SearchRequest(), PARIS_MONDAYS, "themes")


def test_weekly_counts_keep_the_request_filters(index):
    weeks = index.weekly_counts(SearchRequest(themes=["optique-photonique"]), PARIS_MONDAYS[1:3], "markets")
    assert weeks == IndexBackend.weekly_counts(index, SearchRequest(themes=["optique-photonique"]),
                                               PARIS_MONDAYS[1:3], "markets")
    assert sum(sum(week.values()) for week in weeks) > 0
    midweek = [datetime(2026, 11, 4, tzinfo=ZoneInfo("Europe/Paris"))]
    assert index.weekly_counts(SearchRequest(), midweek) == IndexBackend.weekly_counts(index, SearchRequest(), midweek)


def test_counts_since_each_start(index):
    starts = [datetime(2026, 11, day, tzinfo=ZoneInfo("Europe/Paris")) for day in (1, 10, 21, 28)]
    request = SearchRequest(themes=["optique-photonique"], since=datetime(2020, 1, 1, tzinfo=timezone.utc))
    counts = index.counts_since(request, starts)
    assert counts == IndexBackend.counts_since(index, request, starts)  # as one count per start
    assert counts == [4, 3, 1, 1]
    assert index.counts_since(SearchRequest(query="satellites"), starts[:1]) == [3]
    assert index.counts_since(SearchRequest(), []) == []
