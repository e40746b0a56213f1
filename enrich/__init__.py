"""Enrichment stage: language, entities, actors, themes, markets, transversal flag, summary.

    from enrich import Enricher
    enricher = Enricher(config)                  # loads the models once
    for article in enricher.enrich(articles):    # same articles, same order
        ...

Built the spaCy way: registered components (enrich.normalizer, enrich.actors,
enrich.thesaurus, enrich.summarizer) assembled in enrich.pipeline.
"""
from .enricher import Enricher

__all__ = ["Enricher"]
