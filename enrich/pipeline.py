"""Assembly of the two spaCy pipelines the Enricher routes articles to.

French (lang "fr"): the model named by settings.enrich.model_fr
(fr_core_news_sm) with only the components we need: tok2vec, morphologizer,
attribute_ruler, lemmatizer and ner. The parser and the senter are not loaded;
sentence boundaries come from a rule-based sentencizer that also ends a
sentence at a line break (titles and list items have no full stop). Then the
veille components: normalizer, actor linker, thesaurus, labeller (the model
learned from expert labels, when there is one: enrich.labeller), summarizer,
announcements (calls and events with their date: enrich.announcements).

English and any other language, on purpose a rules-only path:
spacy.blank("en") + sentencizer + normalizer + an EntityRuler holding
organisation-name rules (capitalised words ending with Inc, Labs, Photonics,
University...: unknown organisations, kept as candidates) + the same veille
components, the actor linker also writing the registry actors it links as
entities (its phrase matchers are far faster than the same names as
EntityRuler token patterns, and apply the same case rules); English
terms are matched on their plural-stripped form (enrich.text). The French
model never sees English text. Why not en_core_web_sm: spaCy's English models
are not published on PyPI (only on GitHub releases, unreachable from CI), and
unofficial PyPI copies are not something to depend on; the registry and the
rules cover what the watch needs (actors we follow, organisation names).

Component order matters: the normalizer rewrites NORM and LEMMA, so it runs
after the model components that read them.
"""
from __future__ import annotations

import spacy
from spacy.language import Language
from spacy.pipeline import Sentencizer

from veille.config import Config

from . import actors, announcements, extensions, labeller, normalizer, summarizer, thesaurus  # noqa: F401

FRENCH_COMPONENTS = ("tok2vec", "morphologizer", "attribute_ruler", "lemmatizer", "ner")
SENTENCE_ENDS = sorted(set(Sentencizer.default_punct_chars) | {"\n", "\n\n"})


def build_french(config: Config, label_model: str = "", label_mode: str = "combined",
                 label_min_examples: int = 300) -> Language:
    model = config.settings.enrich.model_fr
    nlp = spacy.load(model, exclude=["parser", "senter"])
    extra = [name for name in nlp.pipe_names if name not in FRENCH_COMPONENTS]
    for name in extra:
        nlp.remove_pipe(name)
    nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_ENDS})
    nlp.add_pipe("veille_normalizer")
    _add_veille_components(nlp, config, label_model, label_mode, label_min_examples)
    return nlp


def build_english(config: Config, label_model: str = "", label_mode: str = "combined",
                  label_min_examples: int = 300) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_ENDS})
    nlp.add_pipe("veille_normalizer")
    ruler = nlp.add_pipe("entity_ruler", config={"validate": True})
    ruler.add_patterns(actors.english_organisation_patterns())
    _add_veille_components(nlp, config, label_model, label_mode, label_min_examples, set_ents=True)
    return nlp


def _add_veille_components(nlp: Language, config: Config, label_model: str, label_mode: str,
                           label_min_examples: int, set_ents: bool = False) -> None:
    settings = config.settings.enrich
    linker = nlp.add_pipe("veille_actor_linker", config={"set_ents": set_ents})
    linker.add_actors(config.actors)
    scorer = nlp.add_pipe("veille_thesaurus", config={
        "min_score": settings.min_label_score, "max_labels": settings.max_labels})
    scorer.add_categories("themes", config.themes)
    scorer.add_categories("markets", config.markets)
    labeller = nlp.add_pipe("veille_labeller", config={"model_path": label_model, "mode": label_mode,
                                                        "min_examples": label_min_examples})
    labeller.clusters = scorer.clusters
    nlp.add_pipe("veille_summarizer")
    nlp.add_pipe("veille_announcements")


def model_version(nlp: Language) -> str:
    """« fr_core_news_sm-3.8.0 » for a packaged model, « blank_en-spacy3.8.x » otherwise."""
    meta = nlp.meta
    if meta.get("name") and meta.get("name") != "pipeline":
        return f"{meta.get('lang', nlp.lang)}_{meta['name']}-{meta.get('version', '?')}"
    return f"blank_{nlp.lang}-spacy{spacy.__version__}"
