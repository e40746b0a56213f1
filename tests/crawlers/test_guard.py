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
