"""The fixture news web: fictional news sites served on loopback.

Each folder of `sites/` is the document root of one site, served by its own
HTTP server on its own loopback address (site i on 127.0.0.(i+1)), so each
site is a distinct host for the crawler (robots.txt, per-domain throttling).
Where an address cannot be bound, that site falls back to 127.0.0.1 on a
port of its own.

Text files are served with placeholders replaced: `{{base}}`, `{{base:<site>}}`
and dates N days before `today` at 09:30 Europe/Paris (`{{rfc822:N}}`,
`{{iso:N}}`, `{{datefr:N}}`, `{{dateen:N}}`), so the fixture articles are
always recent. Names starting with `_` are never served; `_routes.yaml` maps
paths to special responses for the crawler's broken cases: server error,
redirect, oversized body, file with a forced content type or extra headers
(`headers`, e.g. a pre-compressed bomb with `Content-Encoding`), a slow answer
(`delay` seconds), or a sequence of answers (`responses`: each request gets
the next one, the last one repeats; e.g. 429 with `Retry-After`, then the file).

Every file is served with an `ETag` and a `Last-Modified`, and a conditional
request whose validators still match gets `304 Not Modified`. Each site counts
the requests it received per path (`Site.hits`), so tests can check how often
the crawler came.
"""
from __future__ import annotations

import hashlib
import mimetypes
import re
import threading
import time as clock
from collections import Counter
from datetime import date, datetime, time, timedelta, timezone
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import yaml

SITES_DIR = Path(__file__).resolve().parent / "sites"
PARIS = ZoneInfo("Europe/Paris")
PARIS_UTC = timezone.utc
PUBLISHED_AT = time(9, 30)
FALLBACK_HOST = "127.0.0.1"

TEXT_SUFFIXES = {".html", ".htm", ".xml", ".txt", ".json", ".css"}
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".css": "text/css; charset=utf-8",
}
FRENCH_MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet",
                 "août", "septembre", "octobre", "novembre", "décembre")
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July",
                  "August", "September", "October", "November", "December")
PLACEHOLDER = re.compile(r"\{\{\s*(base(?::[a-z0-9-]+)?|(?:rfc822|iso|datefr|dateen):\d+)\s*\}\}")
XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
FILLER = ("<p>Dossier intégral : annexe statistique du marché de la photonique, "
          "tableaux détaillés par segment, par région et par année.</p>\n").encode("utf-8")


def load_manifests(sites_dir: Path = SITES_DIR) -> dict[str, dict]:
    """Every site's `_manifest.yaml`, keyed by site id (the folder name)."""
    manifests = {}
    for folder in _site_folders(Path(sites_dir)):
        path = folder / "_manifest.yaml"
        if path.is_file():
            manifests[folder.name] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return manifests


def _site_folders(sites_dir: Path) -> list[Path]:
    return sorted(p for p in sites_dir.iterdir()
                  if p.is_dir() and not p.name.startswith(("_", ".")) and p.name != "__pycache__")


class Dates:
    """The placeholder dates: N days before `today`, at 09:30 Europe/Paris."""

    def __init__(self, today: date):
        self.today = today

    def at(self, days_ago: int) -> datetime:
        return datetime.combine(self.today - timedelta(days=days_ago), PUBLISHED_AT, tzinfo=PARIS)

    def render(self, kind: str, days_ago: int) -> str:
        moment = self.at(days_ago)
        if kind == "rfc822":
            return format_datetime(moment)
        if kind == "iso":
            return moment.isoformat()
        if kind == "datefr":
            day = "1er" if moment.day == 1 else str(moment.day)
            return f"{day} {FRENCH_MONTHS[moment.month - 1]} {moment.year}"
        return f"{ENGLISH_MONTHS[moment.month - 1]} {moment.day}, {moment.year}"


class Site:
    """One site: its document root, special routes and placeholder context."""

    def __init__(self, site_id: str, root: Path, web: "NewsWeb"):
        self.id, self.root, self.web = site_id, root.resolve(), web
        routes_file = root / "_routes.yaml"
        loaded = yaml.safe_load(routes_file.read_text(encoding="utf-8")) if routes_file.is_file() else None
        self.routes: dict[str, dict] = loaded or {}
        self.base = ""
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()

    def count(self, url_path: str) -> int:
        """Record one request for `url_path`; returns how many came before it."""
        with self._lock:
            seen = self.hits[url_path]
            self.hits[url_path] += 1
            return seen

    def last_modified(self, path: Path) -> datetime:
        """A file changes when it is edited, and every day its dates move."""
        midnight = datetime.combine(self.web.dates.today, time(0, 0), tzinfo=PARIS)
        edited = datetime.fromtimestamp(int(path.stat().st_mtime), tz=PARIS)
        return max(midnight, edited)

    def substitute(self, text: str) -> str:
        def replace(match: re.Match) -> str:
            key = match.group(1)
            if key == "base":
                return self.base
            kind, _, arg = key.partition(":")
            if kind == "base":
                return self.web.bases.get(arg, match.group(0))
            return self.web.dates.render(kind, int(arg))

        return PLACEHOLDER.sub(replace, text)

    def resolve(self, url_path: str) -> Optional[Path]:
        """The file behind a URL path, or None when missing or not servable."""
        parts = [p for p in url_path.split("/") if p not in ("", ".")]
        if any(p == ".." or p.startswith(("_", ".")) or "\\" in p or "\x00" in p for p in parts):
            return None
        target = self.root.joinpath(*parts)
        try:
            target = target.resolve()
            target.relative_to(self.root)
        except (ValueError, OSError):
            return None
        if target.is_dir():
            target = target / "index.html"
        return target if target.is_file() else None

    def render(self, path: Path) -> bytes:
        data = path.read_bytes()
        if path.suffix.lower() in TEXT_SUFFIXES:
            try:
                return self.substitute(data.decode("utf-8")).encode("utf-8")
            except UnicodeDecodeError:
                return data
        return data


def content_type(path: Path, body: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return f"{xml_content_type(body)}; charset=utf-8"
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def xml_content_type(body: bytes) -> str:
    """RSS or Atom media type from the root element, else plain XML."""
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", body[:4096], flags=re.S)
    match = XML_ROOT.search(head)
    root = match.group(1).split(b":")[-1].lower() if match else b""
    if root in (b"rss", b"rdf"):
        return "application/rss+xml"
    if root == b"feed":
        return "application/atom+xml"
    return "application/xml"


class SiteHandler(BaseHTTPRequestHandler):
    """Serves one site's files; the site is set on a subclass per server."""

    site: Site
    protocol_version = "HTTP/1.1"
    server_version = "NewsWeb/1.0"
    timeout = 30  # idle keep-alive connections do not outlive a test run

    def log_message(self, format, *args):  # noqa: A002 - signature from the base class
        pass  # quiet: no stderr line per request

    def do_GET(self):
        self.respond(with_body=True)

    def do_HEAD(self):
        self.respond(with_body=False)

    def respond(self, with_body: bool) -> None:
        url_path = unquote(urlsplit(self.path).path)
        seen = self.site.count(url_path)
        route = self.site.routes.get(url_path)
        try:
            if route is not None:
                if "responses" in route:
                    answers = route["responses"]
                    route = answers[min(seen, len(answers) - 1)]
                self.special(route, with_body)
                return
            target = self.site.resolve(url_path)
            if target is None:
                self.send_text(404, "Page introuvable", with_body)
                return
            self.send_file(200, target, None, with_body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def not_modified(self, etag: str, modified: datetime) -> bool:
        """True when the client's validators (If-None-Match first) still match."""
        match = self.headers.get("If-None-Match")
        if match is not None:
            return etag in [tag.strip() for tag in match.split(",")] or match.strip() == "*"
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                return modified <= parsedate_to_datetime(since)
            except (TypeError, ValueError):
                return False
        return False

    def send_file(self, status: int, target: Path, kind: Optional[str], with_body: bool,
                  extra: Optional[dict] = None) -> None:
        body = self.site.render(target)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
        modified = self.site.last_modified(target)
        validators = {"ETag": etag, "Last-Modified": format_datetime(modified.astimezone(PARIS_UTC), usegmt=True)}
        if status == 200 and self.not_modified(etag, modified):
            self.send_response(304)
            for name, value in validators.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_body(status, kind or content_type(target, body), body, with_body, {**validators, **(extra or {})})

    def special(self, route: dict, with_body: bool) -> None:
        status = int(route.get("status", 200))
        extra = {str(k): self.site.substitute(str(v)) for k, v in (route.get("headers") or {}).items()}
        if route.get("delay"):
            clock.sleep(float(route["delay"]))  # a slow server: the crawler's timeout must fire first
        if "redirect" in route:
            location = route["redirect"]
            if location.startswith("/"):
                location = self.site.base + location
            self.send_response(status if 300 <= status < 400 else 301)
            self.send_header("Location", self.site.substitute(location))
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif "body_bytes" in route:
            self.send_filler(status, route.get("content_type", "text/html; charset=utf-8"),
                             int(route["body_bytes"]), with_body)
        elif "file" in route:
            target = self.site.resolve(route["file"])
            if target is None:
                self.send_text(404, "Page introuvable", with_body)
                return
            self.send_file(status, target, route.get("content_type"), with_body, extra)
        elif "body" in route:
            body = self.site.substitute(str(route["body"])).encode("utf-8")
            self.send_body(status, route.get("content_type", "text/html; charset=utf-8"), body, with_body, extra)
        else:
            self.send_text(status, "Erreur interne du serveur" if status >= 500 else "Réponse spéciale", with_body,
                           extra)

    def send_text(self, status: int, message: str, with_body: bool, extra: Optional[dict] = None) -> None:
        body = (f'<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8"><title>{status} {message}</title>'
                f"</head><body><h1>{status}</h1><p>{message}</p></body></html>\n").encode("utf-8")
        self.send_body(status, "text/html; charset=utf-8", body, with_body, extra)

    def send_body(self, status: int, kind: str, body: bytes, with_body: bool, extra: Optional[dict] = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def send_filler(self, status: int, kind: str, size: int, with_body: bool) -> None:
        """`size` bytes of valid HTML, streamed in chunks (never held in memory)."""
        head = ('<!DOCTYPE html>\n<html lang="fr"><head><meta charset="utf-8">'
                "<title>Dossier intégral</title></head><body>\n").encode("utf-8")
        tail = b"</body></html>\n"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(size))
        self.end_headers()
        if not with_body:
            return
        if size < len(head) + len(tail):
            self.wfile.write((head + tail)[:size])
            return
        self.wfile.write(head)
        remaining = size - len(head) - len(tail)
        chunk = FILLER * (65536 // len(FILLER))
        while remaining > 0:
            piece = chunk[:remaining]
            self.wfile.write(piece)
            remaining -= len(piece)
        self.wfile.write(tail)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # stop() must not wait for clients' keep-alive connections

    def handle_error(self, request, client_address):
        pass  # a client that hangs up mid-response is normal for the crawler's size limit


class NewsWeb:
    """The fixture news web: one loopback HTTP server per site folder.

        with NewsWeb() as web:
            web.base_url("photonique-hebdo")  # 'http://127.0.0.2:43117'
    """

    def __init__(self, sites_dir: Path = SITES_DIR, host_prefix: str = "127.0.0.", port: int = 0,
                 today: Optional[date] = None):
        self.sites_dir = Path(sites_dir)
        self.host_prefix = host_prefix
        self.port = port
        self.dates = Dates(today or datetime.now(PARIS).date())
        self.bases: dict[str, str] = {}
        self.sites: dict[str, Site] = {}
        self._servers: list[QuietServer] = []
        self._threads: list[threading.Thread] = []

    @property
    def today(self) -> date:
        return self.dates.today

    def start(self) -> "NewsWeb":
        if self._servers:
            return self
        sites = [Site(folder.name, folder, self) for folder in _site_folders(self.sites_dir)]
        self.sites = {site.id: site for site in sites}
        try:
            for number, site in enumerate(sites, start=1):
                server = self._bind(site, number)
                host, port = server.server_address[:2]
                site.base = f"http://{host}:{port}"
                self.bases[site.id] = site.base
                self._servers.append(server)
        except OSError:
            self.stop()
            raise
        for server in self._servers:
            thread = threading.Thread(target=server.serve_forever, name=f"newsweb-{server.site_id}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def _bind(self, site: Site, number: int) -> QuietServer:
        handler = type(f"Handler_{number}", (SiteHandler,), {"site": site})
        host = f"{self.host_prefix}{number}"
        try:
            server = QuietServer((host, self.port), handler)
        except OSError:
            if host == FALLBACK_HOST:
                raise
            # This system cannot bind that address (macOS has only 127.0.0.1 up):
            # distinct ports on 127.0.0.1 instead.
            port = self.port + number - 1 if self.port else 0
            server = QuietServer((FALLBACK_HOST, port), handler)
        server.site_id = site.id
        return server

    def stop(self) -> None:
        serving = len(self._threads)
        for number, server in enumerate(self._servers):
            if number < serving:  # shutdown() would wait forever on a server never started
                server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers, self._threads = [], []
        self.bases = {}

    def __enter__(self) -> "NewsWeb":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def base_url(self, site_id: str) -> str:
        """The site's base URL, without trailing slash."""
        try:
            return self.bases[site_id]
        except KeyError:
            known = ", ".join(sorted(self.bases)) or "aucun (serveur non démarré)"
            raise KeyError(f"site inconnu : {site_id!r} (sites servis : {known})") from None
