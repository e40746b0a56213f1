"""Shared fixtures: the demo config and the fixture news web on loopback."""
from pathlib import Path

import pytest

from veille.config import load_config
from veille.demo import DemoWeb

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def newsweb():
    with DemoWeb() as web:
        yield web


@pytest.fixture(scope="session")
def manifests():
    from veille.newsweb.server import load_manifests

    return load_manifests()


@pytest.fixture
def demo_config(newsweb, tmp_path, monkeypatch):
    """The shipped demo config bound to the running fixture web, data in tmp."""
    monkeypatch.setenv("VEILLE_DATA", str(tmp_path / "data"))
    return newsweb.bind(load_config(ROOT / "config", overlay=ROOT / "config" / "demo"))
