from datetime import datetime, timedelta, timezone

from crawlers.polling import START_MINUTES, is_due, next_due, next_interval

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)


def test_busy_source_is_polled_more_often_within_bounds():
    assert next_interval(None, True, 0, 1440) == START_MINUTES / 2
    assert next_interval(20, True, 15, 1440) == 15


def test_quiet_source_is_polled_less_often_within_bounds():
    assert next_interval(None, False, 0, 1440) == START_MINUTES * 2
    assert next_interval(1000, False, 0, 1440) == 1440


def test_failed_source_stays_due():
    assert next_due(NOW, 240, failed=True) == NOW
    assert next_due(NOW, 240, failed=False) == NOW + timedelta(hours=4)


def test_due():
    assert is_due(None) and is_due("")
    assert is_due((NOW - timedelta(minutes=1)).isoformat(), NOW)
    assert not is_due((NOW + timedelta(minutes=1)).isoformat(), NOW)


# --- against the fixture web --------------------------------------------------

import pytest  # noqa: E402

from crawlers.run import crawl  # noqa: E402
from crawlers.state import CrawlState  # noqa: E402
from veille.config import CrawlSettings, Source  # noqa: E402
from veille.newsweb.server import NewsWeb  # noqa: E402

SETTINGS = CrawlSettings(download_delay=0, concurrent_per_domain=8)


@pytest.fixture(scope="module")
def web():
    with NewsWeb() as running:
        yield running


def _make_due(spool_path, source_id):
    with CrawlState(spool_path) as state:
        state.db.execute("UPDATE source_schedule SET next_due = ? WHERE source = ?",
                         ((NOW - timedelta(days=1)).isoformat(), source_id))


def test_polling_adapts_to_what_a_source_brings(web, tmp_path):
    spool_path = tmp_path / "spool.sqlite"
    source = Source(id="it", name="I&T", url=web.base_url("industries-territoires") + "/atom.xml",
                    allow_private=True, min_interval_minutes=20, max_interval_minutes=200)
    busy = crawl([source], SETTINGS, spool_path, tmp_path / "crawl.log", respect_schedule=True)["it"]
    assert busy["new"] > 0
    with CrawlState(spool_path) as state:
        first = state.schedule()["it"]
    assert first["interval_minutes"] == 30 and first["last_new"]  # new items: polled more often

    skipped = crawl([source], SETTINGS, spool_path, tmp_path / "crawl.log", respect_schedule=True)["it"]
    assert skipped["not_due"] and skipped["feeds"] == 0
    assert web.sites["industries-territoires"].hits["/atom.xml"] == 1  # not even a 304

    _make_due(spool_path, "it")  # as if half an hour had passed
    quiet = crawl([source], SETTINGS, spool_path, tmp_path / "crawl.log", respect_schedule=True)["it"]
    assert quiet["not_modified"] == 1
    with CrawlState(spool_path) as state:
        assert state.schedule()["it"]["interval_minutes"] == 60  # nothing new: polled less often
    for _ in range(3):
        _make_due(spool_path, "it")
        crawl([source], SETTINGS, spool_path, tmp_path / "crawl.log", respect_schedule=True)
    with CrawlState(spool_path) as state:
        assert state.schedule()["it"]["interval_minutes"] == 200  # the source's upper bound


def test_a_failing_source_stays_due(web, tmp_path):
    spool_path = tmp_path / "spool.sqlite"
    source = Source(id="gone", name="Disparu", url=web.base_url("zone-de-pannes") + "/flux-disparu.xml",
                    allow_private=True)
    for _ in range(2):
        report = crawl([source], SETTINGS, spool_path, tmp_path / "crawl.log", respect_schedule=True)["gone"]
        assert not report["not_due"] and "HTTP 404" in report["errors"][0]["reason"]
