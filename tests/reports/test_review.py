"""Editorial review: draft written, edited (remove, reorder, comment), approved, then sent."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import yaml

from reports.delivery import approve, approved_digest, publish
from reports.digest import build_digest
from reports.review import ReviewError, latest_draft
from reports.sendlog import SendLog

NOW = datetime(2026, 11, 23, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def drafted(mail_config, index, tmp_path, smtp_server):
    out = tmp_path / "digests"
    digest = build_digest(mail_config, index, "revue-spatial", now=NOW)
    outcome = publish(mail_config, index, digest, out, send=True)
    return out, outcome


def edit(path, change):
    head = "".join(line for line in path.read_text(encoding="utf-8").splitlines(True) if line.startswith("#"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(head + yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_nothing_is_sent_before_approval(drafted, smtp_server):
    out, outcome = drafted
    assert outcome.draft_path.name == "revue-spatial-2026-11-16.draft.yaml"
    assert outcome.sent is None and smtp_server.recorder.received == []
    assert "brouillon, en attente d'approbation" in outcome.html_path.read_text(encoding="utf-8")
    text = outcome.draft_path.read_text(encoding="utf-8")
    assert text.startswith("# Brouillon de synthèse") and "commentaire" in text


def test_removed_reordered_and_commented_items_are_what_is_sent(drafted, mail_config, index, smtp_server):
    out, outcome = drafted
    path = outcome.draft_path
    original = yaml.safe_load(path.read_text(encoding="utf-8"))
    highlights = original["sections"][0]["articles"]
    assert len(highlights) >= 3
    kept = [highlights[2], highlights[0]]           # third first, first second, the rest removed
    dropped = highlights[1]

    def change(data):
        data["sections"][0]["articles"] = [dict(kept[0], commentaire="À lire <b>absolument</b>"), kept[1]]
    edit(path, change)
    assert approved_digest(mail_config, index, "revue-spatial", out) is None   # not approved yet
    approve(mail_config, index, "revue-spatial", out, by="veilleur")
    second = publish(mail_config, index, build_digest(mail_config, index, "revue-spatial", now=NOW), out, send=True)
    assert second.sent.sent == ["redaction@example.org", "adherent@example.org"]
    message = smtp_server.recorder.messages()[0]
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    first, then = html.index(kept[0]["titre"][:40]), html.index(kept[1]["titre"][:40])
    assert first < then
    highlights_html = html[html.index("Faits marquants"):html.index("Marché : Spatial")]
    assert dropped["titre"][:40] not in highlights_html
    assert "À lire &lt;b&gt;absolument&lt;/b&gt;" in html and "Note de la rédaction : À lire <b>absolument</b>" in text
    assert "relue et approuvée" in html
    # a third run sends nothing again
    third = publish(mail_config, index, build_digest(mail_config, index, "revue-spatial", now=NOW), out, send=True)
    assert third.sent.sent == [] and len(smtp_server.recorder.received) == 2


def test_a_draft_edited_after_approval_is_not_sent(drafted, mail_config, index, smtp_server):
    out, outcome = drafted
    approve(mail_config, index, "revue-spatial", out)
    edit(outcome.draft_path, lambda data: data["sections"][0]["articles"].pop())
    again = publish(mail_config, index, build_digest(mail_config, index, "revue-spatial", now=NOW), out, send=True)
    assert again.sent is None and smtp_server.recorder.received == []


def test_an_existing_draft_is_never_overwritten(drafted, mail_config, index):
    out, outcome = drafted
    edit(outcome.draft_path, lambda data: data["sections"][0].update(articles=[]))
    before = outcome.draft_path.read_text(encoding="utf-8")
    publish(mail_config, index, build_digest(mail_config, index, "revue-spatial", now=NOW), out)
    assert outcome.draft_path.read_text(encoding="utf-8") == before


@pytest.mark.parametrize("change, message", [
    (lambda d: d["sections"][0]["articles"].append({"id": "inexistant"}), "article inconnu"),
    (lambda d: d["sections"].append({"id": "rubrique-inventee"}), "inconnue"),
    (lambda d: d.update(fin_periode="hier"), "fin_periode"),
])
def test_a_broken_draft_is_refused_in_french(drafted, mail_config, index, change, message):
    out, outcome = drafted
    edit(outcome.draft_path, change)
    with pytest.raises(ReviewError, match=message):
        approve(mail_config, index, "revue-spatial", out)
    with SendLog.of(mail_config.data_dir) as book:
        assert book.approval("revue-spatial-2026-11-16") is None
    assert latest_draft(out, "revue-spatial") == outcome.draft_path


def test_revise_draft_rewrites_only_what_changed_and_keeps_the_cli_format(drafted, mail_config, index):
    from reports.delivery import draft_period_digest, reviewed_digest
    from reports.review import read_draft, revise_draft

    out, outcome = drafted
    path = outcome.draft_path
    current = read_draft(path)
    layout = {s["id"]: [(a["id"], a["commentaire"] or "") for a in s["articles"]] for s in current["sections"]}
    before = path.read_bytes()
    assert revise_draft(draft_period_digest(mail_config, index, path, current), layout, path) is False
    assert path.read_bytes() == before

    highlights = current["sections"][0]["id"]
    first, second = layout[highlights][:2]
    layout[highlights] = [(second[0], "  Note\x1b[31m " + "x" * 600), first, (second[0], "doublon")]
    assert revise_draft(draft_period_digest(mail_config, index, path, current), layout, path) is True
    assert path.read_text(encoding="utf-8").startswith("# Brouillon de synthèse")
    items = reviewed_digest(mail_config, index, path).highlights.items
    assert [i.article_id for i in items] == [second[0], first[0]]
    assert items[0].comment.startswith("Note x") and len(items[0].comment) <= 500
    approve(mail_config, index, "revue-spatial", out)   # the CLI path accepts what the web wrote
