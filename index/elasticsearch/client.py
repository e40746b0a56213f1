"""The Elasticsearch client, configured from environment variables only.

    <url_env> (VEILLE_ES_URL by default)   the cluster URL, e.g. https://es.example.org:9200
    VEILLE_ES_API_KEY                      an API key (base64 "id:key" as Kibana shows it), or
    VEILLE_ES_USERNAME / VEILLE_ES_PASSWORD   basic authentication
    VEILLE_ES_CA_CERTS                     a CA bundle for TLS (a private CA)

Secrets are never read from config files. Transport errors become
BackendUnavailable with a French message naming the URL (without its
credentials).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

from elasticsearch import ApiError, Elasticsearch, TransportError

from index.base import BackendUnavailable

REQUEST_TIMEOUT_S = 30
RETRY_STATUSES = (502, 503, 504)
MAX_RETRIES = 3


def public_url(url: str) -> str:
    """The URL without user and password, fit for a message."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def make_client(url_env: str = "VEILLE_ES_URL", environ=None) -> tuple[Elasticsearch, str]:
    """A client for the cluster named by the environment, and its public URL."""
    env = os.environ if environ is None else environ
    url = env.get(url_env, "").strip()
    if not url:
        raise BackendUnavailable(
            f"la variable d'environnement {url_env} est vide : donnez l'adresse du cluster "
            f"Elasticsearch (par exemple {url_env}=http://127.0.0.1:9200, ou lancez "
            "scripts/elasticsearch.sh start)")
    if urlsplit(url).scheme not in ("http", "https"):
        raise BackendUnavailable(f"{url_env} : adresse invalide {public_url(url)!r} (attendu http:// ou https://)")
    options: dict = {"request_timeout": REQUEST_TIMEOUT_S, "retry_on_status": RETRY_STATUSES,
                     "max_retries": MAX_RETRIES, "retry_on_timeout": True}
    if env.get("VEILLE_ES_API_KEY"):
        options["api_key"] = env["VEILLE_ES_API_KEY"]
    elif env.get("VEILLE_ES_USERNAME"):
        options["basic_auth"] = (env["VEILLE_ES_USERNAME"], env.get("VEILLE_ES_PASSWORD", ""))
    if env.get("VEILLE_ES_CA_CERTS"):
        options["ca_certs"] = env["VEILLE_ES_CA_CERTS"]
    try:
        return Elasticsearch(url, **options), public_url(url)
    except ValueError as exc:
        raise BackendUnavailable(f"{url_env} : {exc}") from exc


@contextmanager
def unavailable_as(url: str):
    """Turn transport failures (node down, refused, timeout, auth) into BackendUnavailable."""
    try:
        yield
    except ApiError as exc:
        if exc.status_code in (401, 403):
            raise BackendUnavailable(f"Elasticsearch ({url}) refuse l'accès ({exc.status_code}) : "
                                     "vérifiez VEILLE_ES_API_KEY ou VEILLE_ES_USERNAME/PASSWORD") from exc
        if exc.status_code in (429, 502, 503, 504):
            raise BackendUnavailable(f"Elasticsearch ({url}) surchargé ou indisponible "
                                     f"({exc.status_code}) : {exc.message}") from exc
        raise
    except TransportError as exc:
        raise BackendUnavailable(f"Elasticsearch injoignable à {url} ({type(exc).__name__}: {exc.message})") from exc
