"""DNS rebinding: the address the crawl connects to is checked where it is resolved."""
import subprocess
import sys
import textwrap

import pytest

from crawlers.resolver import PrivateAddressRefused, check_address


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "169.254.169.254", "::1",
                                     "fd00::1", "100.64.0.1"])
def test_private_answers_are_refused(address):
    with pytest.raises(PrivateAddressRefused, match="adresse privée refusée : news.example → "):
        check_address("news.example", address, set())


def test_public_answers_and_allowed_hosts_pass():
    assert check_address("news.example", "93.184.216.34", set()) == "93.184.216.34"
    assert check_address("fixture.local", "127.0.0.1", {"fixture.local"}) == "127.0.0.1"


RESOLVE = textwrap.dedent("""
    import sys
    from twisted.internet import reactor
    from crawlers.resolver import PublicOnlyResolver

    resolver = PublicOnlyResolver(reactor, 100, 5.0, allowed_hosts=sys.argv[1:])
    answer = resolver.getHostByName("localhost")
    answer.addCallbacks(lambda address: print("connect", address),
                        lambda failure: print("refused", type(failure.value).__name__, failure.getErrorMessage()))
    answer.addBoth(lambda _: reactor.stop())
    reactor.run()
""")


def resolve_localhost(*allowed: str) -> str:
    done = subprocess.run([sys.executable, "-c", RESOLVE, *allowed], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_resolver_scrapy_connects_with_refuses_a_name_that_resolves_to_loopback():
    # what a rebinding DNS server does on the second lookup: the name now points at 127.0.0.1
    answer = resolve_localhost()
    assert answer.startswith("refused PrivateAddressRefused") and "localhost → 127.0.0.1" in answer
    assert resolve_localhost("localhost") == "connect 127.0.0.1"


def test_the_crawl_uses_it():
    from crawlers.settings import scrapy_settings
    from veille.config import CrawlSettings

    settings = scrapy_settings(CrawlSettings(), "spool.sqlite", "crawl.log", set())
    assert settings["DNS_RESOLVER"] == "crawlers.resolver.PublicOnlyResolver"
