"""The fixture news web: fictional news sites on loopback for the demo and tests."""
from veille.newsweb.server import SITES_DIR, NewsWeb, load_manifests

__all__ = ["NewsWeb", "SITES_DIR", "load_manifests"]
