"""Helpers for the index tests (a uniquely named module: tests have no packages)."""
from pathlib import Path

from veille.record import Article

DATA = Path(__file__).parent / "data"


def load_articles() -> list[Article]:
    with open(DATA / "articles.jsonl", encoding="utf-8") as lines:
        return [Article.model_validate_json(line) for line in lines if line.strip()]


def slug(article: Article) -> str:
    """The last part of a sample article's URL: how the tests name records."""
    return article.url.rsplit("/", 1)[-1]


def slugs(result) -> list[str]:
    return [slug(hit.article) for hit in result.hits]
