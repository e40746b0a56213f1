"""The judgements file the experts' web app writes and `veille train` reads."""
from pathlib import Path

from enrich.judgements import examples_from_judgements, known_labels, read_judgements
from veille.record import article_id

DATA = Path(__file__).parent / "data"


def test_bad_lines_are_reported_with_their_line_and_skipped():
    problems = []
    found = read_judgements(DATA / "judgements.jsonl", problems.append)
    assert len(found) == 3
    text = "\n".join(problems)
    assert "ligne 4" in text and "« article_id » ou « url » requis" in text
    assert "ligne 5" in text and "JSON illisible" in text
    assert "ligne 6" in text and "vont ensemble" in text


def test_latest_judgement_wins_and_corrections_make_the_whole_kind_known(enrich_config):
    found = read_judgements(DATA / "judgements.jsonl")
    known = known_labels(found, enrich_config)
    assert known["art-1"] == {"theme:sante": 0.0}  # paul's later verdict overrides marie's
    corrected = known[article_id("https://exemple.fr/a2")]
    assert corrected["theme:optique-photonique"] == 1.0 and corrected["theme:sante"] == 0.0
    assert corrected["market:defense"] == 1.0 and corrected["market:spatial"] == 0.0
    assert len(corrected) == len(enrich_config.themes) + len(enrich_config.markets)


def test_examples_need_the_article_text(enrich_config):
    found = read_judgements(DATA / "judgements.jsonl")
    examples = examples_from_judgements(found, enrich_config, {"art-1": "Un titre\n\nUn texte."})
    assert len(examples) == 1 and examples[0].cats == {"theme:sante": 0.0}
