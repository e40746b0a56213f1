"""The index template (explicit mappings, no dynamic fields) and article documents.

Fields:
- `title`, `text`: the original text, French analysis (analysis.py), for highlights;
- `title_terms_fr`, `text_terms_fr`, `title_terms_en`, `text_terms_en`: veille's
  index terms (index/textnorm.py), what queries match and rank on; the English
  ones only for English or undetected-language articles, as in index/sqlite.py;
- keyword facets `themes`, `markets`, `actors` (registry ids only), `source`,
  `lang`; `story_id`, `id`, `entities` (entity texts); `published` (date);
- `record`: the full Article as JSON, stored and never indexed (what searches return).
"""
from __future__ import annotations

from datetime import datetime

from index.elasticsearch.analysis import analysis_settings
from index.textnorm import terms
from veille.record import Article

MAPPING_VERSION = 1
TERMS_FIELDS = ("title_terms_fr", "text_terms_fr", "title_terms_en", "text_terms_en")

MAPPINGS = {
    "dynamic": "strict",
    "_meta": {"veille_mapping": MAPPING_VERSION},
    "properties": {
        "id": {"type": "keyword"},
        "title": {"type": "text", "analyzer": "veille_fr"},
        "text": {"type": "text", "analyzer": "veille_fr"},
        **{name: {"type": "text", "analyzer": "veille_terms"} for name in TERMS_FIELDS},
        "themes": {"type": "keyword"},
        "markets": {"type": "keyword"},
        "actors": {"type": "keyword"},
        "source": {"type": "keyword"},
        "lang": {"type": "keyword"},
        "story_id": {"type": "keyword"},
        "entities": {"type": "keyword", "ignore_above": 256},
        "published": {"type": "date"},
        "record": {"type": "object", "enabled": False},
    },
}


def template_body(pattern: str, chain: str, shards: int = 1, replicas: int = 0) -> dict:
    """A composable index template for the versioned indices `pattern` matches."""
    settings = {"number_of_shards": shards, "number_of_replicas": replicas, **analysis_settings(chain)}
    return {"index_patterns": [pattern], "version": MAPPING_VERSION,
            "_meta": {"analysis_chain": chain},
            "template": {"settings": settings, "mappings": MAPPINGS}}


def to_document(article: Article) -> dict:
    """The document indexed for an article (its _id is the article id)."""
    english = article.lang in ("en", "")
    body = article.body
    return {
        "id": article.id,
        "title": article.title,
        "text": body,
        "title_terms_fr": " ".join(terms(article.title, "fr")),
        "text_terms_fr": " ".join(terms(body, "fr")),
        "title_terms_en": " ".join(terms(article.title, "en")) if english else "",
        "text_terms_en": " ".join(terms(body, "en")) if english else "",
        "themes": [label.id for label in article.themes],
        "markets": [label.id for label in article.markets],
        "actors": sorted({actor.id for actor in article.actors if actor.id}),
        "source": article.source,
        "lang": article.lang,
        "story_id": article.story_id,
        "entities": sorted({entity.text for entity in article.entities}),
        # a record that bypassed validation may hold anything here: the cluster judges it
        "published": (article.published.isoformat() if isinstance(article.published, datetime)
                      else article.published or None),
        "record": article.model_dump(mode="json"),
    }
