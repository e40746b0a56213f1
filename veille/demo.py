"""The demo: the fixture news web on loopback, bound into the demo config.

Demo sources name their site as `http://<site-id>.newsweb.test/...`; the `.test`
domain is reserved and never resolves, so binding replaces it with the local
server's address for that site.
"""
from __future__ import annotations

import re

from veille.config import Config

HOST = re.compile(r"^http://([a-z0-9-]+)\.newsweb\.test")


class DemoWeb:
    def __init__(self, **kwargs):
        from veille.newsweb.server import NewsWeb

        self.web = NewsWeb(**kwargs)

    def start(self) -> "DemoWeb":
        self.web.start()
        return self

    def stop(self) -> None:
        self.web.stop()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def bases(self) -> dict[str, str]:
        return self.web.bases

    def base_url(self, site_id: str) -> str:
        return self.web.base_url(site_id)

    def bind(self, config: Config) -> Config:
        sources = []
        for source in config.sources:
            match = HOST.match(source.url)
            if match:
                url = self.base_url(match.group(1)) + source.url[match.end():]
                source = source.model_copy(update={"url": url})
            sources.append(source)
        return config.model_copy(update={"sources": sources})
