"""Search links, trend figures from facets, event dates, archive index escaping."""
from datetime import date, datetime
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from reports.digest import build_digest
from reports.events import announced_date
from reports.links import search_url
from reports.render import environment, write_archive_index
from reports.trends import market_theme_matrix, rising_terms, weekly_volume
from veille.record import Article, Evidence, Label

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 23, 0, 0, tzinfo=PARIS)


def test_search_url_encodes_every_value():
    url = search_url("http://veille.example.org/", 'laser & "fibre" <x>', ["optique-photonique"], ["defense"],
                     since=date(2026, 11, 16), until=date(2026, 11, 23))
    parts = urlsplit(url)
    assert parts.path == "/recherche" and " " not in url and '"' not in url and "<" not in url
    assert parse_qsl(parts.query) == [("q", 'laser & "fibre" <x>'), ("theme", "optique-photonique"),
                                      ("market", "defense"), ("since", "2026-11-16"), ("until", "2026-11-23")]
    assert search_url("http://v", "") == "http://v/recherche"


def test_volume_and_matrix_come_from_facets(index):
    volume = weekly_volume(index, ["optique-photonique", "aeronautique-spatial"], NOW, weeks=3)
    assert [s.date() for s in volume.week_starts] == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    assert volume.series["aeronautique-spatial"][-1] > 0
    assert all(r.limit == 0 for r in index.requests)
    cells = market_theme_matrix(index, ["spatial"], ["aeronautique-spatial"], NOW.replace(day=16), NOW)
    in_week = [a for a in index.articles.values() if a.published and "spatial" in a.market_ids
               and "aeronautique-spatial" in a.theme_ids
               and NOW.replace(day=16) <= a.published.astimezone(PARIS) < NOW]
    assert cells == {"spatial": {"aeronautique-spatial": len(in_week)}}


def labelled(number: int, *terms: str) -> Article:
    return Article(url=f"https://x.example.org/{number}", themes=[Label(id="t", score=1, evidence=[
        Evidence(term=term, weight=1) for term in terms])])


def test_rising_terms_are_scored_against_the_baseline_with_g2():
    now = [labelled(1, "hydrogène vert"), labelled(2, "Hydrogène  vert"), labelled(3, "hydrogène vert", "laser"),
           labelled(4, "laser"), labelled(5, "électrolyseur")]
    before = [labelled(10 + k, "laser") for k in range(8)] + [labelled(20 + k) for k in range(12)]
    trends = rising_terms(now, before, baseline_periods=4)
    assert [(t.term, t.count, t.before) for t in trends] == [("hydrogène vert", 3, 0.0)]
    assert trends[0].score >= 3.84       # laser: 2 of 5 now, 8 of 20 before; électrolyseur: only once


def test_event_dates_and_deadlines():
    event = Article(url="https://x.example.org/e", title="Salon : les Rencontres se tiendront les 16 et 17 mars 2027")
    assert announced_date(event, date(2026, 11, 16)) == ("Date", date(2027, 3, 16))
    call = Article(url="https://x.example.org/c", title="Appel à projets",
                   text="Publié le 2 novembre 2026. Dossiers à déposer avant le 15 janvier 2027.")
    assert announced_date(call, date(2026, 11, 16)) == ("Clôture", date(2027, 1, 15))
    assert announced_date(Article(url="https://x.example.org/n", title="Rien"), date(2026, 11, 16)) == ("", None)


def test_every_section_and_cell_links_to_its_search(config, index):
    digest = build_digest(config, index, "zoom-spatial-defense", now=NOW)
    for section in digest.sections():
        assert section.search_url.startswith("http://127.0.0.1:8000/recherche?"), section.id
    cell = digest.matrix.rows[0].cells[0]
    assert dict(parse_qsl(urlsplit(cell.search_url).query)) == {
        "theme": "optique-photonique", "market": "spatial", "since": "2026-11-16", "until": "2026-11-23"}
    assert all(a.search_url for a in digest.actors)


def test_archive_index_extends_the_base_and_escapes(tmp_path):
    env = environment()
    assert env.autoescape("archive-index.html.j2") is True
    source = env.loader.get_source(env, "archive-index.html.j2")[0]
    assert source.startswith('{% extends "base.html.j2" %}')
    assert env.loader.get_source(env, "digest.html.j2")[0].startswith('{% extends "base.html.j2" %}')
    (tmp_path / "p-2026-11-16.html").write_text("<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>",
                                                encoding="utf-8")
    html = write_archive_index(tmp_path).read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="p-2026-11-16.html"' in html
