"""Enrichment throughput: veille's Enricher against spaCy's own nlp.pipe, same texts, same run.

    python bench/enrich.py --articles 600 --batch-size 32

Texts: the development set (enrich/devset/devset.jsonl, French and English)
repeated to N articles. Baseline: spaCy's `nlp.pipe` with the same French
model and the same enabled components (tok2vec, morphologizer,
attribute_ruler, lemmatizer, ner + the sentencizer) on the French texts, and
a blank English pipeline with the sentencizer on the English ones, the way
the Enricher routes them. veille adds language detection, the normaliser, the
actor linker, the thesaurus, the labeller and the summariser, and fills the
records. Words are whitespace-separated words of title and text. The two
sides run in turn, three times each, and each side's fastest run counts
(the first warms caches up); ratio =
veille's words/s over spaCy's (goal: at least 0.8). One process: the Enricher
runs nlp.pipe in the calling process (the pipeline runs it once the crawl is over).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def texts(count: int):
    from enrich.devset import DEFAULT_DEVSET, load_labels

    items = load_labels(DEFAULT_DEVSET)
    return [items[i % len(items)] for i in range(count)]


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=600)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import spacy

    from enrich import Enricher
    from enrich.pipeline import FRENCH_COMPONENTS, SENTENCE_ENDS
    from veille.config import load_config

    config = load_config(ROOT / "config")
    items = texts(args.articles)
    words = sum(len(i.title.split()) + len(i.text.split()) for i in items)
    enricher = Enricher(config, label_model=None)
    analysed = {i.id: Enricher.analysed_text(i.article())[0] for i in items}
    french = [analysed[i.id] for i in items if i.lang == "fr"]
    english = [analysed[i.id] for i in items if i.lang != "fr"]

    fr_nlp = spacy.load(config.settings.enrich.model_fr, exclude=["parser", "senter"])
    for name in [n for n in fr_nlp.pipe_names if n not in FRENCH_COMPONENTS]:
        fr_nlp.remove_pipe(name)
    fr_nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_ENDS})
    en_nlp = spacy.blank("en")
    en_nlp.add_pipe("sentencizer", config={"punct_chars": SENTENCE_ENDS})

    def raw():
        for _ in fr_nlp.pipe(french, batch_size=args.batch_size):
            pass
        for _ in en_nlp.pipe(english, batch_size=args.batch_size):
            pass

    def ours():
        for _ in enricher.enrich((i.article() for i in items), batch_size=args.batch_size):
            pass

    spacy_s = veille_s = float("inf")
    for _ in range(args.runs):  # interleaved, so a burst of load elsewhere hits both sides alike
        spacy_s = min(spacy_s, best_of(1, raw))
        veille_s = min(veille_s, best_of(1, ours))
    print(f"articles={len(items)} (fr={len(french)}, en={len(english)}) words={words} "
          f"batch_size={args.batch_size} processes=1 cores={os.cpu_count()}")
    print(f"spaCy nlp.pipe   {spacy_s:7.2f} s  {words / spacy_s:9.0f} words/s  components: {fr_nlp.pipe_names}")
    print(f"veille Enricher  {veille_s:7.2f} s  {words / veille_s:9.0f} words/s  components: "
          f"{enricher.pipelines['fr'].pipe_names}")
    print(f"ratio (veille / spaCy words/s) = {spacy_s / veille_s:.2f}  (goal >= 0.8)")


if __name__ == "__main__":
    main()
