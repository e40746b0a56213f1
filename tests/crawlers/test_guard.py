"""The private-address guard on single requests (unit level; the crawl tests
check it on redirects against the fixture web)."""
import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest

from crawlers.middlewares import PrivateAddressGuard


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://localhost:8080/", "http://169.254.169.254/latest/meta-data/",
    "http://10.1.2.3/", "http://192.168.0.1/", "http://[::1]/", "http://[fd00:ec2::254]/",
    "http://2130706433/", "http://0/", "ftp://example.org/", "file:///etc/passwd",
])
def test_internal_or_non_http_targets_are_refused(url):
    with pytest.raises(IgnoreRequest):
        PrivateAddressGuard(set()).process_request(Request(url))


def test_allowlisted_fixture_host_passes():
    assert PrivateAddressGuard({"127.0.0.2"}).process_request(Request("http://127.0.0.2:8470/feed.xml")) is None


def test_permanent_and_temporary_failures():
    from scrapy.http import Response
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.internet import defer, error
    from twisted.python.failure import Failure

    from crawlers.errors import is_temporary

    def http(status):
        return Failure(HttpError(Response("http://e.org/", status=status)))

    assert is_temporary(http(503)) and is_temporary(http(429)) and not is_temporary(http(404))
    assert is_temporary(Failure(error.TimeoutError()))
    assert not is_temporary(Failure(IgnoreRequest("Forbidden by robots.txt")))
    assert not is_temporary(Failure(defer.CancelledError()))
