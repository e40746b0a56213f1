"""Extraction quality against ground truth written by us.

The fixtures are in `veille/newsweb/extraction/`: article pages of varied
real-world layouts (`pages/`) and `expected.yaml` (title, date, authors and the
main text a careful reader keeps). Text is compared as bags of lower-case word
tokens: precision is the share of extracted tokens that belong to the article,
recall the share of the article's tokens that were extracted.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from crawlers.extract import extract_page

FIXTURES = Path(__file__).resolve().parents[1] / "veille" / "newsweb" / "extraction"
TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> Counter:
    return Counter(TOKEN.findall(text.lower()))


@dataclass
class PageScore:
    page: str
    layout: str
    precision: float
    recall: float
    f1: float
    date_ok: bool
    title_ok: bool
    error: str = ""
    common: int = 0
    extracted: int = 0
    expected: int = 0


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_page(case: dict, folder: Path = FIXTURES) -> PageScore:
    body = (folder / "pages" / case["page"]).read_bytes()
    result = extract_page({"url": case["url"], "source": "bench", "final_url": case["url"], "body": body,
                           "encoding": "utf-8", "entry": {}})
    expected = tokens(case["text"])
    if result.article is None:
        return PageScore(case["page"], case["layout"], 0.0, 0.0, 0.0, False, False, result.error,
                         0, 0, sum(expected.values()))
    article = result.article
    got = tokens(article.text)
    common = sum((got & expected).values())
    precision = common / sum(got.values()) if got else 0.0
    recall = common / sum(expected.values()) if expected else 0.0
    date_ok = article.published is not None and article.published.date().isoformat() == str(case["date"])
    title_ok = " ".join(article.title.split()) == " ".join(case["title"].split())
    return PageScore(case["page"], case["layout"], precision, recall, _f1(precision, recall), date_ok, title_ok,
                     "", common, sum(got.values()), sum(expected.values()))


def load_cases(folder: Path = FIXTURES) -> list[dict]:
    return yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))["pages"]


def evaluate(folder: Path = FIXTURES) -> tuple[list[PageScore], dict]:
    """Per-page scores and the totals: micro-averaged P/R/F1 over all tokens,
    macro F1 (mean of the pages'), date and title accuracy."""
    scores = [score_page(case, folder) for case in load_cases(folder)]
    common = sum(s.common for s in scores)
    extracted = sum(s.extracted for s in scores)
    expected = sum(s.expected for s in scores)
    precision = common / extracted if extracted else 0.0
    recall = common / expected if expected else 0.0
    totals = {
        "pages": len(scores),
        "precision": precision,
        "recall": recall,
        "f1": _f1(precision, recall),
        "macro_f1": sum(s.f1 for s in scores) / len(scores) if scores else 0.0,
        "date_accuracy": sum(s.date_ok for s in scores) / len(scores) if scores else 0.0,
        "title_accuracy": sum(s.title_ok for s in scores) / len(scores) if scores else 0.0,
    }
    return scores, totals
