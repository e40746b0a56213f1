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


@pytest.fixture(scope="session")
def chromium():
    """Headless Debian Chromium driven by Playwright (scripts/system-deps.sh installs it)."""
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    executable = os.environ.get("VEILLE_CHROMIUM") or shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium introuvable : lancez scripts/system-deps.sh (paquet Debian chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artifacts():
    """Where tests keep what a person may want to look at (screenshots): test-artifacts/."""
    folder = ROOT / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port; see smtpserver.py."""
    from smtpserver import SMTPServer

    with SMTPServer() as server:
        yield server
