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
