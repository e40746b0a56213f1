"""A crawl killed with SIGKILL loses nothing and, restarted, does not fetch
again what was complete."""
import os
import signal
import subprocess
import time

import pytest

from crawlers.run import command, crawl, write_job
from veille.config import CrawlSettings, Source
from veille.newsweb.server import NewsWeb
from veille.spool import Spool

SITE = "zone-de-pannes"
QUICK = ["/reprise/article-1.html", "/reprise/article-2.html", "/reprise/article-3.html"]
SLOW = "/reprise/article-lent.html"


@pytest.fixture
def web():
    """A web of its own: the slow page is slow only at its first request."""
    with NewsWeb() as running:
        yield running


def _stored(spool_path) -> set[str]:
    if not spool_path.exists():
        return set()
    with Spool(spool_path) as spool:
        return spool.known_page_urls()


def test_killed_crawl_resumes_without_losing_or_refetching(web, tmp_path):
    base = web.base_url(SITE)
    source = Source(id="reprise", name="Reprise", url=base + "/reprise.xml", allow_private=True)
    settings = CrawlSettings(download_timeout=120, download_delay=0, concurrent_per_domain=8)
    spool_path = tmp_path / "spool.sqlite"
    job, report = write_job([source], settings, spool_path, tmp_path / "crawl.log", tmp_path)
    child = subprocess.Popen(command(job), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    try:
        # wait (not a timed assertion: the deadline only stops a broken test) until
        # the quick pages are stored while the slow one is still being waited for
        deadline = time.monotonic() + 60
        while {base + p for p in QUICK} - _stored(spool_path) and time.monotonic() < deadline:
            assert child.poll() is None, "the crawl ended before it could be killed"
            time.sleep(0.1)
        assert {base + p for p in QUICK} <= _stored(spool_path)
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    assert not report.exists()  # killed: no report, no validators stored
    site = web.sites[SITE]
    assert site.hits[SLOW] == 1 and base + SLOW not in _stored(spool_path)

    again = crawl([source], settings, spool_path, tmp_path / "crawl.log")["reprise"]
    assert again["known"] == 3 and again["new"] == 1 and again["errors"] == []
    assert _stored(spool_path) == {base + p for p in QUICK + [SLOW]}
    assert all(site.hits[p] == 1 for p in QUICK)  # complete pages were not fetched again
    assert site.hits["/reprise.xml"] == 2         # the feed is read again: no 304 after a kill
