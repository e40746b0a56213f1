"""Configuration: the YAML files of a config folder, validated on load.

A config folder holds settings.yaml, sources.yaml, themes.yaml, markets.yaml,
actors.yaml and profiles.yaml. An overlay folder (the demo's) may replace any
of them. Every file is validated before anything is written; the first problem
raises ConfigError naming the file, the line, the key and what is wrong.
Secrets never live here: settings name environment variables instead.
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from pydantic import (BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator,
                      model_validator)

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
FILES = ("settings", "sources", "themes", "markets", "actors", "profiles")


class ConfigError(Exception):
    """An invalid configuration: the message names the file, key and problem."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- settings.yaml -------------------------------------------------------

class IndexSettings(Strict):
    backend: Literal["sqlite", "elasticsearch"] = "sqlite"
    path: str = "index.sqlite"
    url_env: str = "VEILLE_ES_URL"
    # Elasticsearch alias (empty: VEILLE_ES_INDEX, else "veille"); one per watch sharing a cluster
    alias: str = Field("", pattern=r"^[a-z0-9][a-z0-9_.-]{0,99}$|^$")


class CrawlSettings(Strict):
    user_agent: str = "veille/0.1 (+https://github.com/veille-poles/veille; veille@example.org)"
    obey_robots: bool = True
    download_timeout: float = Field(20.0, gt=0)
    max_page_bytes: int = Field(5_000_000, gt=1000)
    concurrent_requests: int = Field(16, ge=1)
    concurrent_per_domain: int = Field(2, ge=1)
    download_delay: float = Field(0.25, ge=0)
    max_entries_per_feed: int = Field(100, ge=1)
    extract_processes: int = Field(0, ge=0)  # 0: one per core


class EnrichSettings(Strict):
    model_fr: str = "fr_core_news_sm"
    batch_size: int = Field(32, ge=1)
    min_label_score: float = Field(1.5, ge=0)
    max_labels: int = Field(4, ge=1)


class WebSettings(Strict):
    base_url: str = "http://127.0.0.1:8000"
    # local: accounts made with `veille users add`; proxy: a reverse proxy (SSO) names the user in a header
    auth: Literal["local", "proxy"] = "local"
    proxy_header: str = "X-Remote-User"
    trusted_proxies: list[str] = Field(default_factory=lambda: ["127.0.0.1", "::1"])
    secure_cookies: bool = True
    secret_env: str = "VEILLE_WEB_SECRET"   # name of the variable holding the session key
    login_attempts_per_minute: int = Field(5, ge=1)
    # who may edit and approve digest drafts in the web app; empty: every logged-in user
    reviewers: list[str] = Field(default_factory=list)


def check_crontab(value: str) -> str:
    """A crontab expression (five fields, or six with seconds first) that makes a valid trigger."""
    from veille.cron import cron_trigger

    try:
        cron_trigger(value, "Europe/Paris")
    except ValueError as exc:
        raise ValueError(f"expression cron invalide : {value!r} ({exc}) ; "
                         f"exemple : \"0 */2 * * *\" (toutes les deux heures)")
    return value


class ScheduleSettings(Strict):
    """When the scheduler refreshes each source group, and how late a missed run may still start."""
    sources: dict[str, str] = Field(default_factory=lambda: {"default": "0 7-19/2 * * 1-5"})
    # when followed searches are checked (each is mailed at its own daily or weekly frequency)
    follow: str = "30 7 * * *"
    crawl_grace_minutes: float = Field(30, gt=0)
    digest_grace_minutes: float = Field(720, gt=0)

    @property
    def crawl_grace_seconds(self) -> int:
        return max(1, round(self.crawl_grace_minutes * 60))

    @property
    def digest_grace_seconds(self) -> int:
        return max(1, round(self.digest_grace_minutes * 60))

    @field_validator("sources")
    @classmethod
    def crontabs(cls, value: dict[str, str]) -> dict[str, str]:
        for cron in value.values():
            check_crontab(cron)
        return value

    @field_validator("follow")
    @classmethod
    def follow_crontab(cls, value: str) -> str:
        return check_crontab(value)


class MailSettings(Strict):
    """SMTP for digests and followed searches; the password only ever comes from the environment."""
    host: str = ""                       # empty: nothing is sent
    port: int = Field(587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str = ""
    password_env: str = "VEILLE_SMTP_PASSWORD"
    sender: str = "veille@example.org"
    unsubscribe: str = ""                # mailto: or https: address for List-Unsubscribe
    timeout: float = Field(30.0, gt=0)
    scheduled: bool = True               # runs and the scheduler send digests and followed-search notices
                                         # (false: only `digest --send` and `follow notify`)
    # PEM bundle trusted besides the system's CAs (a relay with a private CA); absolute path, ~ allowed.
    # Certificate and host name are always verified: there is no setting to turn that off.
    ca_file: str = ""

    @field_validator("ca_file")
    @classmethod
    def absolute_ca_file(cls, value: str) -> str:
        if value and not Path(value).expanduser().is_absolute():
            raise ValueError(f"chemin absolu attendu (lu : {value!r}), "
                             f"par exemple /etc/ssl/certs/ac-interne.pem")
        return value


class Settings(Strict):
    data_dir: str = "data"
    timezone: str = "Europe/Paris"
    language: Literal["fr", "en"] = "fr"
    index: IndexSettings = Field(default_factory=IndexSettings)
    crawl: CrawlSettings = Field(default_factory=CrawlSettings)
    enrich: EnrichSettings = Field(default_factory=EnrichSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    mail: MailSettings = Field(default_factory=MailSettings)

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"fuseau horaire inconnu : {value!r} (exemple : Europe/Paris)")
        return value


# --- sources.yaml --------------------------------------------------------

SourceKind = Literal["feed", "sitemap", "section", "watch"]
# Keys that only mean something for some kinds of source.
KIND_KEYS = {
    "allow": ("sitemap", "section"),
    "deny": ("sitemap", "section"),
    "max_age_days": ("sitemap",),
    "start_urls": ("section",),
    "follow": ("section",),
    "max_depth": ("section",),
    "max_pages": ("section",),
    "selector": ("watch",),
}


def check_url(value: str) -> str:
    if not re.match(r"^https?://[^\s/]+", value):
        raise ValueError(f"URL invalide : {value!r} (attendu : http:// ou https://)")
    return value


class Source(Strict):
    """A source: `feed` (RSS, Atom, JSON Feed), `sitemap` (sitemap, sitemap index,
    Google News sitemap or a robots.txt naming them), `section` (start pages and
    link rules, for sites without feed) or `watch` (a page checked for additions)."""

    id: str = Field(pattern=ID_PATTERN)
    name: str
    kind: SourceKind = "feed"
    url: str
    lang: Optional[Literal["fr", "en"]] = None
    themes: list[str] = Field(default_factory=list)
    markets: list[str] = Field(default_factory=list)
    group: str = "default"
    enabled: bool = True
    allow_private: bool = False  # only for loopback fixture sites, never production
    allow: list[str] = Field(default_factory=list)       # regexes: article URLs to take (all when empty)
    deny: list[str] = Field(default_factory=list)        # regexes: URLs never taken
    max_age_days: int = Field(30, ge=1, le=3650)         # sitemap: entries older than this are skipped
    start_urls: list[str] = Field(default_factory=list)  # section: more start pages besides `url`
    follow: list[str] = Field(default_factory=list)      # section: regexes of listing pages to walk through
    max_depth: int = Field(2, ge=1, le=5)                # section: links followed from the start pages
    max_pages: int = Field(50, ge=1, le=1000)            # section: article pages per crawl
    selector: str = ""                                   # watch: CSS selector of the watched part
    min_interval_minutes: int = Field(0, ge=0)           # adaptive polling: at most this often (0: every crawl)
    max_interval_minutes: int = Field(1440, ge=1)        # adaptive polling: at least this often
    # what digests may quote: full text, an excerpt of at most excerpt_chars, or the title only
    rights: Literal["full", "excerpt", "title"] = "excerpt"
    excerpt_chars: int = Field(300, ge=0, le=5000)
    paywalled: bool = False                              # pages behind a paywall: flagged in digests

    @field_validator("url")
    @classmethod
    def http_url(cls, value: str) -> str:
        return check_url(value)

    @field_validator("start_urls")
    @classmethod
    def http_urls(cls, values: list[str]) -> list[str]:
        return [check_url(v) for v in values]

    @field_validator("allow", "deny", "follow")
    @classmethod
    def regexes(cls, values: list[str]) -> list[str]:
        for value in values:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"motif (expression régulière) invalide : {value!r} ({exc})")
        return values

    @field_validator("selector")
    @classmethod
    def css_selector(cls, value: str) -> str:
        if value:
            from cssselect import GenericTranslator, SelectorError

            try:
                GenericTranslator().css_to_xpath(value)
            except SelectorError as exc:
                raise ValueError(f"sélecteur CSS invalide : {value!r} ({exc})")
        return value

    @model_validator(mode="after")
    def polling_bounds(self) -> "Source":
        if self.min_interval_minutes > self.max_interval_minutes:
            raise ValueError(f"min_interval_minutes ({self.min_interval_minutes}) dépasse "
                             f"max_interval_minutes ({self.max_interval_minutes})")
        return self

    @model_validator(mode="after")
    def section_has_article_rules(self) -> "Source":
        if self.kind == "section" and not self.allow:
            raise ValueError("une source kind: section demande au moins un motif 'allow' "
                             "(adresses des articles, par exemple '/actualites/')")
        return self

    @field_validator(*KIND_KEYS)
    @classmethod
    def key_of_its_kind(cls, value, info: ValidationInfo):
        kind = info.data.get("kind", "feed")
        if kind not in KIND_KEYS[info.field_name]:
            kinds = " ou ".join(KIND_KEYS[info.field_name])
            raise ValueError(f"clé réservée aux sources kind: {kinds} (cette source est kind: {kind})")
        return value


# --- themes.yaml / markets.yaml -----------------------------------------

class Terms(Strict):
    fr: dict[str, float] = Field(default_factory=dict)
    en: dict[str, float] = Field(default_factory=dict)


class NegativeTerms(Strict):
    fr: list[str] = Field(default_factory=list)
    en: list[str] = Field(default_factory=list)


class Category(Strict):
    """A theme (technology domain) or a market, with its weighted thesaurus."""

    id: str = Field(pattern=ID_PATTERN)
    label: str
    label_en: str = ""
    description: str = ""
    clusters: list[str] = Field(default_factory=list)
    terms: Terms
    negative: NegativeTerms = Field(default_factory=NegativeTerms)

    @model_validator(mode="after")
    def has_terms(self) -> "Category":
        if not self.terms.fr and not self.terms.en:
            raise ValueError("au moins un terme (terms.fr ou terms.en) est requis")
        return self


# --- actors.yaml ---------------------------------------------------------

ActorType = Literal["company", "lab", "university", "cluster", "public-body", "investor", "person"]


class Actor(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    type: ActorType
    aliases: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    url: str = ""


# --- profiles.yaml -------------------------------------------------------

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


class Profile(Strict):
    id: str = Field(pattern=ID_PATTERN)
    name: str
    recipients: list[str] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    markets: list[str] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list)
    query: str = ""
    language: Literal["fr", "en"] = "fr"
    frequency: Literal["weekly", "daily"] = "weekly"
    day: Literal["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"] = "lundi"
    time: str = Field("08:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    member: str = ""         # the member company this profile is for (its declared markets and themes)
    review: bool = False     # drafts wait for a watch officer's approval before they are sent

    @property
    def crontab(self) -> str:
        """When this profile's digest is due, as a crontab expression (timezone from settings)."""
        hour, minute = (int(x) for x in self.time.split(":"))
        days = "*" if self.frequency == "daily" else str((WEEKDAYS.index(self.day) + 1) % 7)
        return f"{minute} {hour} * * {days}"

    @field_validator("recipients")
    @classmethod
    def emails(cls, values: list[str]) -> list[str]:
        for value in values:
            if not re.match(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$", value):
                raise ValueError(f"adresse e-mail invalide : {value!r}")
        return values


class Config(BaseModel):
    settings: Settings
    sources: list[Source]
    themes: list[Category]
    markets: list[Category]
    actors: list[Actor]
    profiles: list[Profile]
    folder: Path

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    def profile(self, profile_id: str) -> Profile:
        for p in self.profiles:
            if p.id == profile_id:
                return p
        known = ", ".join(p.id for p in self.profiles) or "aucun"
        raise ConfigError(f"profil inconnu : {profile_id!r} (profils définis : {known})")

    @property
    def data_dir(self) -> Path:
        return Path(os.environ.get("VEILLE_DATA") or self.settings.data_dir).expanduser()

    @property
    def theme_ids(self) -> set[str]:
        return {t.id for t in self.themes}

    @property
    def market_ids(self) -> set[str]:
        return {m.id for m in self.markets}


# --- loading -------------------------------------------------------------

_SCHEMAS: dict[str, tuple[str | None, Any]] = {
    "settings": (None, Settings),
    "sources": ("sources", Source),
    "themes": ("themes", Category),
    "markets": ("markets", Category),
    "actors": ("actors", Actor),
    "profiles": ("profiles", Profile),
}


def _line_of(node: yaml.Node | None, path: tuple) -> int | None:
    """Line (1-based) of the YAML node at a pydantic error location."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        if node is None:
            break
        line = node.start_mark.line + 1
    return line


def _key_path(path: tuple) -> str:
    text = ""
    for key in path:
        text += f"[{key}]" if isinstance(key, int) else (f".{key}" if text else str(key))
    return text or "(racine)"


def _read_yaml(path: Path) -> tuple[Any, yaml.Node | None]:
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: le fichier n'est pas en UTF-8 ({exc.reason})")
    try:
        return yaml.safe_load(raw), yaml.compose(raw)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", ligne {mark.line + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"{path}{where}: YAML illisible : {problem}")


def _validate_file(name: str, path: Path) -> Any:
    data, node = _read_yaml(path)
    list_key, model = _SCHEMAS[name]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: le fichier doit contenir un dictionnaire (clé: valeur)")
    try:
        if list_key is None:
            return model.model_validate(data)
        extra = set(data) - {list_key}
        if extra:
            raise ConfigError(f"{path}, ligne {_line_of(node, (sorted(extra)[0],))}: "
                              f"clé inconnue {sorted(extra)[0]!r} (attendu : {list_key!r})")
        items = data.get(list_key) or []
        if not isinstance(items, list):
            raise ConfigError(f"{path}: {list_key!r} doit être une liste")
        parsed = []
        for i, item in enumerate(items):
            try:
                parsed.append(model.model_validate(item))
            except ValidationError as exc:
                err = exc.errors()[0]
                raise _error(path, node, (list_key, i, *err["loc"]), err)
        return parsed
    except ValidationError as exc:
        err = exc.errors()[0]
        raise _error(path, node, tuple(err["loc"]), err)


def _error(path: Path, node, loc: tuple, err: dict) -> ConfigError:
    line = _line_of(node, loc)
    where = f", ligne {line}" if line else ""
    return ConfigError(f"{path}{where}: {_key_path(loc)}: {french_message(err)}")


def french_message(err: dict) -> str:
    """Pydantic's error, worded in French for the watch officer who edits the YAML."""
    ctx, given = err.get("ctx") or {}, err.get("input")
    shown = repr(given) if not isinstance(given, (dict, list)) else type(given).__name__

    def bound(name: str) -> str:
        value = ctx.get(name)
        return f"{value:g}" if isinstance(value, float) else str(value)

    expected = str(ctx.get("expected", "")).replace(" or ", " ou ")
    pattern = ("minuscules, chiffres et tirets" if ctx.get("pattern") == ID_PATTERN else ctx.get("pattern"))
    messages = {
        "extra_forbidden": "clé inconnue",
        "missing": "clé obligatoire absente",
        "greater_than": f"doit être supérieur à {bound('gt')} (lu : {shown})",
        "greater_than_equal": f"doit être au moins {bound('ge')} (lu : {shown})",
        "less_than": f"doit être inférieur à {bound('lt')} (lu : {shown})",
        "less_than_equal": f"doit être au plus {bound('le')} (lu : {shown})",
        "string_pattern_mismatch": f"format invalide (lu : {shown} ; attendu : {pattern})",
        "literal_error": f"valeur invalide (lu : {shown} ; attendu : {expected})",
        "int_parsing": f"nombre entier attendu (lu : {shown})",
        "int_from_float": f"nombre entier attendu (lu : {shown})",
        "float_parsing": f"nombre attendu (lu : {shown})",
        "bool_parsing": f"true ou false attendu (lu : {shown})",
        "string_type": f"texte attendu (lu : {shown})",
        "list_type": f"liste attendue (lu : {shown})",
        "dict_type": f"dictionnaire (clé: valeur) attendu (lu : {shown})",
        "model_type": f"dictionnaire (clé: valeur) attendu (lu : {shown})",
        "too_short": f"trop court : {ctx.get('min_length')} élément(s) au moins",
        "too_long": f"trop long : {ctx.get('max_length')} élément(s) au plus",
    }
    return messages.get(err["type"], err["msg"].removeprefix("Value error, "))


def _duplicates(items, what: str, path: Path) -> None:
    seen = set()
    for item in items:
        if item.id in seen:
            raise ConfigError(f"{path}: {what} en double : {item.id!r}")
        seen.add(item.id)


def load_config(folder: str | Path, overlay: str | Path | None = None) -> Config:
    """Load and validate a config folder (optionally overlaid). Raises ConfigError."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ConfigError(f"{folder}: dossier de configuration introuvable")
    paths: dict[str, Path] = {}
    for name in FILES:
        candidates = [Path(overlay) / f"{name}.yaml"] if overlay else []
        candidates.append(folder / f"{name}.yaml")
        found = next((p for p in candidates if p.is_file()), None)
        if found is None and name in ("themes", "markets", "sources"):
            raise ConfigError(f"{folder / (name + '.yaml')}: fichier obligatoire absent")
        if found is not None:
            paths[name] = found
    loaded = {name: _validate_file(name, path) for name, path in paths.items()}
    loaded.setdefault("settings", Settings())
    loaded.setdefault("actors", [])
    loaded.setdefault("profiles", [])
    config = Config(folder=folder, **loaded)
    _check_references(config, paths)
    return config


def _check_references(config: Config, paths: dict[str, Path]) -> None:
    for name in ("sources", "themes", "markets", "actors", "profiles"):
        if name in paths:
            _duplicates(getattr(config, name), "identifiant", paths[name])
    themes, markets = config.theme_ids, config.market_ids
    source_ids = {s.id for s in config.sources}
    for i, source in enumerate(config.sources):
        _known(source.themes, themes, paths["sources"], f"sources[{i}].themes", "thème")
        _known(source.markets, markets, paths["sources"], f"sources[{i}].markets", "marché")
    for i, actor in enumerate(config.actors):
        _known(actor.themes, themes, paths.get("actors"), f"actors[{i}].themes", "thème")
    for i, profile in enumerate(config.profiles):
        where = paths.get("profiles")
        _known(profile.themes, themes, where, f"profiles[{i}].themes", "thème")
        _known(profile.markets, markets, where, f"profiles[{i}].markets", "marché")
        _known(profile.sources, source_ids, where, f"profiles[{i}].sources", "source")
    groups = {s.group for s in config.sources}
    missing = sorted(groups - set(config.settings.schedule.sources))
    if missing and "default" not in config.settings.schedule.sources:
        raise ConfigError(f"{paths.get('settings', 'settings.yaml')}: schedule.sources: aucun horaire pour "
                          f"le groupe de sources {missing[0]!r} (ajoutez-le, ou un horaire 'default')")


def _known(values, allowed, path, key, what) -> None:
    for value in values:
        if value not in allowed:
            raise ConfigError(f"{path}: {key}: {what} inconnu {value!r}")
