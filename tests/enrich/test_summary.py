import re

from veille.record import Article


def test_summary_has_two_or_three_sentences_of_the_text_in_order(enriched, article):
    source = article("summary-long")
    result = enriched("summary-long")
    sentences = re.split(r"(?<=[.!?])\s+", result.summary)
    assert 2 <= len(sentences) <= 3
    positions = [source.text.find(s) for s in sentences]
    assert all(p >= 0 for p in positions), sentences
    assert positions == sorted(positions)
    assert "Court." not in sentences
    assert source.title not in result.summary


def test_summary_prefers_sentences_with_terms_and_actors(enriched):
    summary = enriched("summary-long").summary
    assert "CEA-Leti" in summary
    assert "buffet" not in summary


def test_feed_summary_only(enriched):
    result = enriched("feed-summary-only")
    assert result.summary == "Le CNES a commandé un satellite de télécommunications à Thales Alenia Space."
    assert {"cnes", "thales-alenia-space"} <= {a.id for a in result.actors}
    assert "aeronautique-spatial" in result.theme_ids


def test_empty_article_does_not_crash(enricher):
    result = next(enricher.enrich([Article(url="http://e.org/empty")]))
    assert result.summary == "" and result.themes == [] and result.actors == [] and result.entities == []
    assert result.lang == "fr"  # settings.language
    assert result.enriched_with
