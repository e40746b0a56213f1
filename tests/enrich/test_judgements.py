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


def test_the_web_apps_judgements_are_read_and_their_articles_found_in_the_spool(shipped_config, tmp_path):
    """The contract with veille/web/store.py: what it appends, `veille train` learns from."""
    import json
    from dataclasses import asdict

    from enrich.devset import DEFAULT_DEVSET, load_labels, split
    from enrich.training import train
    from veille.record import Article
    from veille.spool import Spool
    from veille.web.store import Judgement as WebJudgement

    config = shipped_config.model_copy(update={"settings": shipped_config.settings.model_copy(
        update={"data_dir": tmp_path})})
    article = Article(url="https://exemple.fr/laser", title="Un laser femtoseconde", text="Pour la défense.")
    with Spool(tmp_path / "spool.sqlite") as spool:
        spool.put_articles([article], "indexed")
    verdicts = [WebJudgement(article_id=article.id, url=article.url, who="marie", kind="market", label="defense",
                             relevant=True),
                WebJudgement(article_id="", url=article.url, who="paul", themes=["optique-photonique"]),
                WebJudgement(article_id="absent", url="https://exemple.fr/absent", who="paul", themes=[])]
    path = tmp_path / "judgements.jsonl"
    path.write_text("".join(json.dumps(asdict(v), ensure_ascii=False) + "\n" for v in verdicts), encoding="utf-8")
    problems = []
    found = read_judgements(path, problems.append)
    assert len(found) == 3 and problems == []
    items = split(load_labels(DEFAULT_DEVSET, config=config))[0][:10]
    meta = train(config, items, path, out=tmp_path / "model", epochs=1, on_problem=problems.append)
    assert meta["sources"] == {"labelled_articles": 10, "judged_articles": 1}
    assert meta["examples"] == 11
    assert any("introuvable" in p for p in problems)
