"""Versioned indices behind an alias: `<alias>-v1`, `<alias>-v2`, …

The alias is what veille reads and writes. A rebuild creates the next
version from the template, copies every record into it (re-deriving each
document from its stored Article, so mapping and analysis changes apply),
then moves the alias in one `update_aliases` call: searches answer from the
old index until that instant and from the new one after it. Records written
through the alias while a rebuild copies are not in the copy; run rebuilds
between pipeline runs (the CLI takes the data folder's run lock).
"""
from __future__ import annotations

import re

from elasticsearch import BadRequestError, Elasticsearch, NotFoundError

from index.elasticsearch.analysis import best_chain
from index.elasticsearch.mappings import template_body


class Versions:
    def __init__(self, client: Elasticsearch, alias: str):
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,200}", alias):
            raise ValueError(f"nom d'index Elasticsearch invalide : {alias!r} (minuscules, chiffres, - _ .)")
        self.client = client
        self.alias = alias
        self.chain = ""

    def name(self, version: int) -> str:
        return f"{self.alias}-v{version}"

    def versions(self) -> list[int]:
        """Version numbers of the existing indices, ascending."""
        try:
            names = self.client.indices.get(index=f"{self.alias}-v*", expand_wildcards="open,closed")
        except NotFoundError:
            return []
        pattern = re.compile(re.escape(self.alias) + r"-v(\d+)$")
        return sorted(int(m.group(1)) for name in names if (m := pattern.match(name)))

    def current(self) -> str:
        """The index the alias points at."""
        return next(iter(self.client.indices.get_alias(name=self.alias)))

    def put_template(self) -> None:
        self.chain = best_chain(self.client)
        self.client.indices.put_index_template(name=self.alias, **template_body(f"{self.alias}-v*", self.chain))

    def create(self, version: int) -> str:
        """A new empty version from the (re-written) template; returns its name."""
        self.put_template()
        name = self.name(version)
        self.client.indices.create(index=name, wait_for_active_shards="1")
        self.client.cluster.health(index=name, wait_for_status="yellow", timeout="30s")
        return name

    def ensure(self) -> None:
        """The alias exists (first use creates version 1 behind it)."""
        if self.client.indices.exists_alias(name=self.alias):
            return
        if self.client.indices.exists(index=self.alias):
            raise ValueError(f"« {self.alias} » est un index et non un alias : "
                             "choisissez un autre nom (VEILLE_ES_INDEX) ou supprimez cet index")
        try:
            name = self.create(max(self.versions(), default=0) + 1)
            self.client.indices.put_alias(index=name, name=self.alias, is_write_index=True)
        except BadRequestError as exc:  # another process created it first
            if "already_exists" not in str(exc.error) or not self.client.indices.exists_alias(name=self.alias):
                raise

    def swap(self, old: str, new: str) -> None:
        """Move the alias from old to new atomically."""
        self.client.indices.update_aliases(actions=[
            {"remove": {"index": old, "alias": self.alias}},
            {"add": {"index": new, "alias": self.alias, "is_write_index": True}},
        ])

    def drop_all(self) -> None:
        """Delete every version, the alias and the template (tests, reset)."""
        for version in self.versions():
            self.client.indices.delete(index=self.name(version), ignore_unavailable=True)
        try:
            self.client.indices.delete_index_template(name=self.alias)
        except NotFoundError:
            pass
