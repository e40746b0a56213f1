"""Candidate actors kept durably: first seen, counted once per article, listed by date."""
from datetime import datetime, timezone

from enrich.candidates import CandidateStore
from veille.record import ActorMention, Article


def _article(url, published, *names, known=()):
    actors = [ActorMention(id=None, name=n, type="company") for n in names]
    actors += [ActorMention(id=k, name=k, type="company") for k in known]
    return Article(url=url, text="x", published=published, actors=actors)


def test_first_seen_count_and_listing(tmp_path):
    path = tmp_path / "spool.sqlite"
    early = datetime(2026, 10, 1, tzinfo=timezone.utc)
    late = datetime(2026, 11, 20, tzinfo=timezone.utc)
    with CandidateStore(path) as store:
        assert store.record([_article("http://a/1", late, "Photonix Labs", known=["thales"])]) == 1
        assert store.record([_article("http://a/2", early, "PHOTONIX LABS"), _article("http://a/3", late, "Nouvelle Agence")]) == 1
        assert store.record([_article("http://a/1", late, "Photonix Labs")]) == 0  # same article again: not counted twice
    with CandidateStore(path) as store:  # durable
        found = {c.name: c for c in store.new_since()}
    assert set(found) == {"PHOTONIX LABS", "Nouvelle Agence"}
    photonix = found["PHOTONIX LABS"]
    assert photonix.first_seen.startswith("2026-10-01") and photonix.last_seen.startswith("2026-11-20")
    assert photonix.articles == 2 and photonix.first_url == "http://a/2"
    with CandidateStore(path) as store:
        recent = store.new_since(datetime(2026, 11, 1))
        assert [c.name for c in recent] == ["Nouvelle Agence"]
        assert store.new_since(known_names=["Nouvelle agence"])[0].name == "PHOTONIX LABS"
