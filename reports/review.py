"""Editorial review: a digest drafted as YAML, edited by the watch officer, then approved.

The draft (`<profile>-<date>.draft.yaml` beside the archive page) lists each
section's articles. The watch officer deletes lines to remove articles,
moves them to reorder them, and fills `commentaire` (by hand, or in the web
app's review page, which rewrites the file with `revise_draft`). `veille digest approve`
checks the draft against the digest and records the SHA-256 of the approved
file in the send log: a draft edited after approval must be approved again.
Only approved digests are sent; sending rebuilds the digest for the draft's
period and keeps exactly what the draft lists, in its order.
"""
from __future__ import annotations

import hashlib
import os
from datetime import datetime
from pathlib import Path
from typing import Optional

import yaml

from reports.model import Digest, Item
from reports.render import digest_basename
from reports.text import clean_line

SUFFIX = ".draft.yaml"
# Digest.review, shown on the cover (translated by the digest's wording)
PENDING = "brouillon, en attente d'approbation"
APPROVED = "relue et approuvée"
COMMENT_MAX = 500
HEADER = """\
# Brouillon de synthèse à relire avant envoi.
# - Supprimez un article : effacez ses trois lignes (- id, titre, commentaire).
# - Réordonnez : déplacez-les ; un article peut changer de section.
# - Commentez : remplissez « commentaire » (il s'affiche sous l'article).
# - Ne modifiez pas les « id ». Les titres ne sont là que pour vous repérer.
# Puis : veille digest approve {profile}
"""


class ReviewError(ValueError):
    """A draft that cannot be applied (message in French, for the watch officer)."""


def draft_path(out_dir: Path, digest: Digest) -> Path:
    return Path(out_dir) / f"{digest_basename(digest)}{SUFFIX}"


def draft_data(digest: Digest) -> dict:
    return {
        "profil": digest.profile_id,
        "periode": digest.period.label,
        "fin_periode": digest.period.end.isoformat(),
        "sections": [
            {"id": section.id, "titre": section.title,
             "articles": [{"id": item.article_id, "titre": item.title, "commentaire": item.comment}
                          for item in section.items]}
            for section in digest.sections()
        ],
    }


def write_draft(digest: Digest, path: Path) -> Path:
    text = HEADER.format(profile=digest.profile_id) + yaml.safe_dump(
        draft_data(digest), allow_unicode=True, sort_keys=False, width=100)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def revise_draft(digest: Digest, layout: dict[str, list[tuple[str, str]]], path: Path) -> bool:
    """Rewrite the draft at `path` as `layout` (section id -> [(article id, comment)], in order).

    `digest` is the full digest of the draft's period: it checks the ids, gives the titles,
    and is reduced to the layout. An article listed twice in a section is kept once, at its
    first place. The file is replaced atomically, and only when the layout differs from what
    it says (so an approval stands): returns whether it was rewritten.
    """
    sections = []
    for section_id, entries in layout.items():
        comments: dict[str, str] = {}
        for article_id, comment in entries:
            comment = clean_line(comment)[:COMMENT_MAX].strip()
            if not comments.get(article_id):
                comments[article_id] = comment
        sections.append({"id": section_id, "articles": [{"id": a, "commentaire": c} for a, c in comments.items()]})
    current = read_draft(path)
    reviewed = apply_review(digest, {"profil": digest.profile_id, "sections": sections})
    if _listing(draft_data(reviewed)) == _listing(current):
        return False
    temporary = path.with_name(path.name + ".tmp")
    write_draft(reviewed, temporary)
    os.replace(temporary, path)
    return True


def _listing(draft: dict) -> dict[str, list[tuple[str, str]]]:
    listing: dict[str, list[tuple[str, str]]] = {}
    for section in draft["sections"]:
        for article in (section.get("articles") or []) if isinstance(section, dict) else []:
            if isinstance(article, dict):
                listing.setdefault(str(section.get("id")), []).append(
                    (str(article.get("id")), clean_line(str(article.get("commentaire") or ""))))
    return listing


def read_draft(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", ligne {mark.line + 1}" if mark else ""
        raise ReviewError(f"{path.name}{where} : YAML illisible ({getattr(exc, 'problem', exc)})")
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise ReviewError(f"{path.name} : il manque la liste « sections »")
    return data


def period_end(draft: dict) -> datetime:
    try:
        return datetime.fromisoformat(str(draft["fin_periode"]))
    except (KeyError, ValueError):
        raise ReviewError("« fin_periode » manquante ou illisible : ne la modifiez pas")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def apply_review(digest: Digest, draft: dict) -> Digest:
    """Keep what the draft lists, in its order, with its comments; everything else is dropped."""
    if draft.get("profil") != digest.profile_id:
        raise ReviewError(f"ce brouillon est celui du profil {draft.get('profil')!r}, pas {digest.profile_id!r}")
    items: dict[str, Item] = {}
    for section in digest.sections():
        for item in section.items:
            items.setdefault(item.article_id, item)
    sections = {section.id: section for section in digest.sections()}
    wanted: dict[str, list[Item]] = {section_id: [] for section_id in sections}
    for number, entry in enumerate(draft["sections"], 1):
        if not isinstance(entry, dict) or entry.get("id") not in sections:
            raise ReviewError(f"section n° {number} inconnue : {entry.get('id') if isinstance(entry, dict) else entry!r}")
        for article in entry.get("articles") or []:
            article_id = article.get("id") if isinstance(article, dict) else None
            if article_id not in items:
                raise ReviewError(f"section {entry['id']} : article inconnu {article_id!r}")
            chosen = _copy(items[article_id])
            chosen.comment = clean_line(str(article.get("commentaire") or ""))
            wanted[entry["id"]].append(chosen)
    for section_id, section in sections.items():
        section.items = wanted[section_id]
        section.more = 0
    return digest


def _copy(item: Item) -> Item:
    from dataclasses import replace

    return replace(item, also=list(item.also), themes=list(item.themes), markets=list(item.markets))


def latest_draft(out_dir: Path, profile_id: str) -> Optional[Path]:
    drafts = sorted(Path(out_dir).glob(f"{profile_id}-????-??-??{SUFFIX}"))
    return drafts[-1] if drafts else None


def draft_key(path: Path) -> str:
    return path.name[: -len(SUFFIX)]
