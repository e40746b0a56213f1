"""The web app over an index built from the fixture web (once per session), with one expert account."""
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from veille.config import load_config
from veille.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[3]
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def web_data(newsweb, tmp_path_factory):
    """A data folder with the demo's articles indexed."""
    data_dir = tmp_path_factory.mktemp("web")
    config = bind(newsweb, data_dir)
    pipeline = Pipeline(config)
    try:
        assert pipeline.run(stages=("crawl", "extract", "enrich", "index", "digest")).ok
    finally:
        pipeline.close()
    return data_dir


def bind(newsweb, data_dir, index=None, **web_settings):
    config = newsweb.bind(load_config(ROOT / "config", overlay=ROOT / "config" / "demo"))
    web = config.settings.web.model_copy(update=web_settings)
    update = {"data_dir": str(data_dir), "web": web}
    if index is not None:
        update["index"] = index
    settings = config.settings.model_copy(update=update)
    return config.model_copy(update={"settings": settings})


@pytest.fixture(scope="session")
def web_es_index(web_data):
    """The same articles in a real Elasticsearch node, under an alias of their own."""
    from index.sqlite import SqliteIndex
    from index.base import SearchRequest
    from tests.index.es_helpers import fresh_alias, require_node
    from veille.config import IndexSettings

    require_node()
    settings = IndexSettings(backend="elasticsearch", alias=fresh_alias("veille-web"))
    with SqliteIndex(web_data / "index.sqlite") as stored:
        articles = list(stored.iter_articles(SearchRequest()))
    from index.elasticsearch import ElasticsearchIndex

    es = ElasticsearchIndex(settings.url_env, alias=settings.alias)
    report = es.upsert(articles)
    assert report.failed == [] and report.indexed == len(articles) > 0
    yield settings
    es.versions.drop_all()
    es.close()


@pytest.fixture
def backend():
    """The index backend the web app runs on; tests/veille/web/test_api.py runs on both."""
    return "sqlite"


@pytest.fixture
def config(newsweb, web_data, tmp_path, backend, request):
    """The demo config on the shared index, with this test's own accounts and judgements."""
    import shutil

    data_dir = tmp_path / "data"
    data_dir.mkdir()
    for name in ("index.sqlite", "spool.sqlite"):
        shutil.copy(web_data / name, data_dir / name)
    shutil.copytree(web_data / "digests", data_dir / "digests")
    index = request.getfixturevalue("web_es_index") if backend == "elasticsearch" else None
    return bind(newsweb, data_dir, index=index)


def add_user(config, name="marie", password=PASSWORD):
    from veille.web.auth import hash_password
    from veille.web.store import WebStore

    store = WebStore(config.data_dir)
    store.set_user(name, hash_password(password))
    store.close()


@pytest.fixture
def client(config):
    """A logged-in browser-like client (session and CSRF cookies over https)."""
    from veille.web.app import create_app

    add_user(config)
    with TestClient(create_app(config), base_url="https://testserver") as client:
        login(client)
        yield client


def login(client, username="marie", password=PASSWORD, next_url="/recherche"):
    token = csrf_of(client)
    return client.post("/connexion", data={"username": username, "password": password, "next": next_url,
                                           "csrftoken": token}, follow_redirects=False)


def csrf_of(client) -> str:
    import re

    page = client.get("/connexion")
    return re.search(r'name="csrftoken" value="([^"]+)"', page.text).group(1)


@pytest.fixture
def anonymous(config):
    from veille.web.app import create_app

    add_user(config)
    with TestClient(create_app(config), base_url="https://testserver") as client:
        yield client


def with_review(config, profile_id="zoom-spatial-defense"):
    """`config` with `profile_id` reviewed before sending, and that profile's draft written in DATA/digests."""
    from index import open_index
    from reports.delivery import publish
    from reports.digest import build_digest

    profiles = [p.model_copy(update={"review": True}) if p.id == profile_id else p for p in config.profiles]
    reviewed = config.model_copy(update={"profiles": profiles})
    with open_index(reviewed) as index:
        publish(reviewed, index, build_digest(reviewed, index, profile_id), reviewed.data_dir / "digests")
    return reviewed
