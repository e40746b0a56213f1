"""The English path: rules only, on purpose (registry names + organisation-name rules)."""
from veille.record import Article


def _actors(enricher, text):
    article = next(enricher.enrich([Article(url="http://e.org/en", lang="en", title="News", text=text)]))
    return {(m.id, m.name, m.type) for m in article.actors}


def test_unknown_english_organisations_become_typed_candidates(enricher):
    found = _actors(enricher, "Lightcore Photonics raised funds with Thales and the University of Leeds. "
                              "The Ministry of Defence backs Acme Robotics Inc. Researchers said it works.")
    assert ("thales", "Thales", "company") in found
    assert {(None, "Lightcore Photonics", "company"), (None, "University of Leeds", "university"),
            (None, "Ministry of Defence", "public-body")} <= {f for f in found if f[0] is None}
    assert not any(name.startswith("Researchers") for _, name, _ in found)


def test_english_text_never_reaches_the_french_model(enricher):
    english = enricher.pipelines["en"]
    assert english.lang == "en" and "ner" not in english.pipe_names
    assert english.get_pipe("entity_ruler").patterns
