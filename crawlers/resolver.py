"""The DNS resolver of the crawl: the address actually connected to must be public.

The PrivateAddressGuard middleware looks a host up before the request is
sent, but the connection looks it up again; a hostile DNS server can answer
a public address the first time and 127.0.0.1 or 169.254.169.254 the second
(DNS rebinding). Installed as Scrapy's DNS_RESOLVER, this resolver checks the
very answer the connection will use (and that Scrapy caches), so a refused
address is never connected to. Hosts of sources marked `allow_private` are
let through, as in the middleware. IP literals never reach a resolver: the
middleware's check of them is final.
"""
from __future__ import annotations

import ipaddress

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError


class PrivateAddressRefused(DNSLookupError):
    """The name resolved to a private, loopback, link-local or metadata address."""


def check_address(name: str, address: str, allowed_hosts: set[str]) -> str:
    if name in allowed_hosts or ipaddress.ip_address(address.split("%")[0]).is_global:
        return address
    raise PrivateAddressRefused(f"adresse privée refusée : {name} → {address}")


class PublicOnlyResolver(CachingThreadedResolver):
    def __init__(self, reactor, cache_size: int, timeout: float, allowed_hosts=()):
        super().__init__(reactor, cache_size, timeout)
        self.allowed_hosts = set(allowed_hosts)

    @classmethod
    def from_crawler(cls, crawler, reactor):
        resolver = super().from_crawler(crawler, reactor)
        resolver.allowed_hosts = set(crawler.settings.getlist("VEILLE_PRIVATE_HOSTS"))
        return resolver

    def getHostByName(self, name: str, timeout=()):
        return super().getHostByName(name, timeout).addCallback(
            lambda address: check_address(name, address, self.allowed_hosts))
