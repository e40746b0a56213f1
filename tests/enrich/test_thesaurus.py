from enrich.thesaurus import is_transversal


def label(labels, label_id):
    return next((l for l in labels if l.id == label_id), None)


def test_plural_form_matches_lemma_term_with_evidence_sentence(enriched):
    article = enriched("spatial-laser")
    optics = label(article.themes, "optique-photonique")
    assert optics is not None
    evidence = {e.term: e for e in optics.evidence}
    assert "laser femtoseconde" in evidence
    # the longest term wins: « laser » alone is not counted again on the same words
    assert "laser" not in evidence
    sentence = evidence["laser femtoseconde"].sentence
    assert "lasers femtosecondes" in sentence


def test_title_match_is_boosted(enriched):
    article = enriched("spatial-laser")
    optics = label(article.themes, "optique-photonique")
    # one occurrence in the title (counts 2) + one in the body: 3.0 * (1 + ln 3)
    assert optics.score == 6.3


def test_negative_term_cancels_the_term_it_contains(enriched):
    assert label(enriched("optics-positive").themes, "optique-photonique") is not None
    assert label(enriched("optics-negative").themes, "optique-photonique") is None


def test_english_article_is_classified_with_english_terms(enriched):
    article = enriched("english-space")
    assert article.lang == "en"
    assert article.themes[0].id == "aeronautique-spatial"
    assert {e.term for e in article.themes[0].evidence} >= {"launcher", "satellite"}
    spatial = label(article.markets, "spatial")
    assert spatial is not None and "earth observation" in {e.term for e in spatial.evidence}


def test_multi_label_sorted_by_score_and_capped(enriched, enrich_config):
    article = enriched("multi-label")
    scores = [l.score for l in article.themes]
    assert [l.id for l in article.themes][:2] == ["optique-photonique", "electronique"]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= enrich_config.settings.enrich.min_label_score for s in scores)
    assert len(article.themes) <= enrich_config.settings.enrich.max_labels
    for theme in article.themes:
        assert 1 <= len(theme.evidence) <= 3
        weights = [e.weight for e in theme.evidence]
        assert weights == sorted(weights, reverse=True)


def test_transversal_when_themes_have_disjoint_clusters(enriched):
    yes = enriched("transversal-yes")
    assert {"optique-photonique", "sante"} <= set(yes.theme_ids)
    assert yes.transversal is True
    no = enriched("transversal-no")
    assert {"optique-photonique", "electronique"} <= set(no.theme_ids)
    assert no.transversal is False  # both themes belong to ALPHA-RLH


def test_transversal_rule():
    clusters = {"a": {"x", "y"}, "b": {"y"}, "c": {"z"}, "d": set()}
    assert not is_transversal(["a", "b"], clusters)
    assert is_transversal(["a", "b", "c"], clusters)
    assert not is_transversal(["a", "d"], clusters)  # a theme without clusters does not count
    assert not is_transversal(["c"], clusters)
