"""Source health: weighted failures, automatic disabling, re-enabling by a fixed address."""
from datetime import datetime, timedelta, timezone

import pytest

from crawlers.health import DISABLE_SCORE, classify, disabled_reason, next_record
from crawlers.run import crawl
from crawlers.state import CrawlState
from veille.config import CrawlSettings, Source
from veille.newsweb.server import NewsWeb

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=timezone.utc)
URL = "https://e.org/feed.xml"


def test_classification():
    assert classify({"feeds": 1, "errors": []}) == "ok"
    assert classify({"feeds": 1, "errors": [{"url": "u", "reason": "HTTP 404"}]}) == "partial"
    assert classify({"feeds": 0, "failure": "temporary"}) == "temporary"
    assert classify({"feeds": 0, "failure": ""}) == "hard"


def test_failures_are_weighted_and_a_success_resets():
    record = None
    for _ in range(4):
        record = next_record(record, URL, "temporary", NOW)
    assert record["score"] == 1.0
    record = next_record(record, URL, "hard", NOW)
    assert record["score"] == 2.0 and record["failing_since"] == NOW.isoformat(timespec="seconds")
    assert next_record(record, URL, "ok", NOW)["score"] == 0


def test_disabled_only_when_failing_long_and_often_until_the_url_changes():
    record = {"url": URL, "score": DISABLE_SCORE, "failing_since": (NOW - timedelta(days=4)).isoformat()}
    assert "désactivée automatiquement" in disabled_reason(record, URL, NOW)
    assert disabled_reason(record, "https://e.org/nouveau-flux.xml", NOW) == ""
    assert disabled_reason({**record, "score": DISABLE_SCORE - 1}, URL, NOW) == ""
    assert disabled_reason({**record, "failing_since": (NOW - timedelta(days=1)).isoformat()}, URL, NOW) == ""


@pytest.fixture(scope="module")
def web():
    with NewsWeb() as running:
        yield running


def test_a_long_failing_source_is_skipped_and_reported(web, tmp_path):
    spool_path = tmp_path / "spool.sqlite"
    settings = CrawlSettings(download_delay=0)
    gone = Source(id="gone", name="Disparu", url=web.base_url("zone-de-pannes") + "/flux-disparu.xml",
                  allow_private=True)
    first = crawl([gone], settings, spool_path, tmp_path / "crawl.log")["gone"]
    assert first["health"] == "hard" and not first["disabled"]
    with CrawlState(spool_path) as state:
        state.db.execute("UPDATE source_failures SET score = ?, failing_since = ?",
                         (DISABLE_SCORE, (datetime.now(timezone.utc) - timedelta(days=5)).isoformat()))
    hits = web.sites["zone-de-pannes"].hits["/flux-disparu.xml"]
    second = crawl([gone], settings, spool_path, tmp_path / "crawl.log")["gone"]
    assert second["disabled"] and "désactivée automatiquement" in second["errors"][0]["reason"]
    assert web.sites["zone-de-pannes"].hits["/flux-disparu.xml"] == hits  # not fetched
    fixed = gone.model_copy(update={"url": web.base_url("zone-de-pannes") + "/flux.json"})
    third = crawl([fixed], settings, spool_path, tmp_path / "crawl.log")["gone"]
    assert not third["disabled"] and third["health"] == "ok"


def test_volume_drop_and_jump():
    from crawlers.health import volume_flag

    assert volume_flag([3, 4], 0) == ""                       # not enough history
    assert volume_flag([3, 4, 5, 3, 0, 0, 0, 0], 0).startswith("volume tombé à zéro")
    assert volume_flag([3, 4, 5, 3, 0, 0, 0], 1) == ""
    assert volume_flag([0, 1, 0, 0, 0, 0, 0], 0) == ""        # a quiet source stays quiet
    assert volume_flag([2, 3, 2, 3, 2], 60).startswith("volume inhabituel : 60")
    assert volume_flag([2, 3, 2, 3, 2], 12) == ""


def test_volume_drop_is_flagged_in_the_crawl_report(web, tmp_path):
    spool_path = tmp_path / "spool.sqlite"
    settings = CrawlSettings(download_delay=0)
    source = Source(id="it", name="I&T", url=web.base_url("industries-territoires") + "/atom.xml",
                    allow_private=True)
    first = crawl([source], settings, spool_path, tmp_path / "crawl.log")["it"]
    assert first["new"] > 0 and first["volume"] == ""
    with CrawlState(spool_path) as state:  # as if it had brought 5 items a poll, then nothing 4 times
        state.db.execute("DELETE FROM source_volume")
        for new in (5, 5, 5, 5, 0, 0, 0, 0):
            state.add_volume("it", new)
    quiet = crawl([source], settings, spool_path, tmp_path / "crawl.log")["it"]
    assert quiet["not_modified"] == 1 and quiet["volume"].startswith("volume tombé à zéro")
