import pytest

from veille.record import Article


def test_order_and_count_preserved_over_a_mixed_batch(enricher, samples, article):
    names = list(samples) * 2
    articles = [article(name) for name in names]
    urls = [a.url for a in articles]
    out = list(enricher.enrich(articles, batch_size=3))
    assert [a.url for a in out] == urls
    langs = [a.lang for a in out]
    assert "fr" in langs and "en" in langs
    # same article, same result, whatever its neighbours in the batch
    first = {a.url: a for a in out[: len(samples)]}
    for again in out[len(samples):]:
        assert again.model_dump() == first[again.url].model_dump()


def test_enrich_is_lazy_over_an_iterator(enricher):
    articles = (Article(url=f"http://e.org/{i}", text="Un laser femtoseconde pour la recherche.") for i in range(5))
    out = enricher.enrich(articles, batch_size=2)
    assert next(out).url == "http://e.org/0"
    assert len(list(out)) == 4


def test_enriched_with_names_taxonomy_and_model(enriched):
    french, english = enriched("spatial-laser"), enriched("english-space")
    assert "fr_core_news_sm-" in french.enriched_with and "taxo=" in french.enriched_with
    assert "blank_en" in english.enriched_with
    taxo = lambda a: a.enriched_with.split("taxo=")[1].split(";")[0]  # noqa: E731
    assert taxo(french) == taxo(english)


def test_pipelines_are_assembled_from_registered_components(enricher):
    french, english = enricher.pipelines["fr"], enricher.pipelines["en"]
    assert french.pipe_names == ["tok2vec", "morphologizer", "attribute_ruler", "lemmatizer", "ner",
                                 "sentencizer", "veille_normalizer", "veille_actor_linker",
                                 "veille_thesaurus", "veille_labeller", "veille_summarizer",
                                 "veille_announcements"]
    assert english.pipe_names == ["sentencizer", "veille_normalizer", "entity_ruler", "veille_actor_linker",
                                  "veille_thesaurus", "veille_labeller", "veille_summarizer",
                                  "veille_announcements"]


def test_long_text_is_truncated(enricher):
    text = "Le laser femtoseconde progresse. " * 2000
    result = next(enricher.enrich([Article(url="http://e.org/long", text=text, lang="fr")]))
    assert result.entities == [] or max(e.end for e in result.entities) <= enricher.max_chars
    assert result.themes and result.themes[0].id == "optique-photonique"


@pytest.mark.parametrize("fields", [
    {"text": "   \n\n  \t "},
    {"title": "Seulement un titre"},
    {"text": "!!! ... ??? --- ;;;"},
    {"text": "x" * 5000},
    {"text": "Ligne\u0000avec\u001b[31m des caractères de contrôle\u202e et <b>balises</b>."},
    {"title": "Title", "text": "Short.\n\n\n\nAnother one.", "lang": "en"},
])
def test_odd_inputs_do_not_crash(enricher, fields):
    result = next(enricher.enrich([Article(url="http://e.org/odd", **fields)]))
    assert result.enriched_with
    assert isinstance(result.summary, str)


def test_given_language_is_normalised(enricher):
    result = next(enricher.enrich([Article(url="http://e.org/l", text="Le laser femtoseconde.", lang="FR-fr")]))
    assert result.lang == "fr"
    assert result.themes and result.themes[0].id == "optique-photonique"
