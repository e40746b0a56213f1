"""The index stage: one interface (index/base.py), backends chosen by config."""
from __future__ import annotations

from typing import TYPE_CHECKING

from index.base import BackendUnavailable, IndexBackend

if TYPE_CHECKING:
    from veille.config import Config


def open_index(config: "Config") -> IndexBackend:
    """The index backend named by settings.index, ready to use (close it after)."""
    settings = config.settings.index
    if settings.backend == "sqlite":
        from index.sqlite import SqliteIndex

        return SqliteIndex(config.data_dir / settings.path, timezone=config.settings.timezone)
    if settings.backend == "elasticsearch":
        from index.elasticsearch import ElasticsearchIndex

        return ElasticsearchIndex(settings.url_env, alias=settings.alias or None, timezone=config.settings.timezone)
    raise BackendUnavailable(f"moteur d'index inconnu : {settings.backend!r} (attendu : sqlite ou elasticsearch)")
