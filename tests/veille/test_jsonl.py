from pathlib import Path

from veille.jsonl import read_articles

DATA = Path(__file__).parent / "data" / "bad.jsonl"


def test_bad_lines_are_named_and_the_rest_goes_through():
    problems = []
    with DATA.open(encoding="utf-8") as lines:
        articles = list(read_articles(lines, "bad.jsonl", problems.append))
    assert [a.url for a in articles] == ["http://e.org/1", "http://e.org/3"]
    assert articles[1].feed_summary.startswith("Le CNES") and articles[1].lang == "fr"
    assert problems[0].startswith("bad.jsonl:2:") and "text ou summary" in problems[0]
    assert problems[1].startswith("bad.jsonl:3:") and "JSON invalide" in problems[1]
    assert problems[2].startswith("bad.jsonl:4:") and "objet JSON" in problems[2]
    assert problems[3].startswith("bad.jsonl:7:") and "published" in problems[3]
    assert len(problems) == 4
