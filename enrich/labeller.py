"""The label model: a spaCy textcat_multilabel trained from expert labels.

Training (`train_model`, `veille train`): a small pipeline, a multi-language
tokenizer (spacy.blank("xx")) and a `textcat_multilabel` with the bag-of-words
architecture (spacy.TextCatBOW.v3, unigrams): no vectors, no GPU,
seconds on two cores for a few hundred articles. Texts are folded (lower case,
no accents) before the model reads them, so the model sees « electronique »
and « Électronique » as one word. Labels are « theme:ID » and « market:ID ».
An example may leave labels unknown (an expert judged one label only): they
are left out of its `cats` and spaCy does not count them in the loss.

The model folder (DATA/models/labels by default) holds the spaCy pipeline and
`veille-model.json`: labels, example count, training date, a version hash.

Using it (`veille_labeller`, a registered component after veille_thesaurus):
when the model was trained on at least `min_examples` articles (300: on the
development set, a model trained on 100 articles does not beat the thesaurus,
see README), each doc's label probabilities are combined with the thesaurus
labels:

- a thesaurus label is kept unless the model gives it less than `veto` (the
  experts have taught that such a label is wrong here);
- a label the thesaurus missed is added when the model gives it at least
  `add` (evidence: « modèle appris », its probability);
- `mode` "model" ignores the thesaurus and keeps the labels the model gives at
  least `model_threshold` (used by `veille eval` to compare).
"""
from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from veille.record import Evidence, Label

from .text import fold

META_FILE = "veille-model.json"
MODEL_EVIDENCE = "modèle appris"
KINDS = {"theme": "themes", "market": "markets"}


def model_dir(config) -> Path:
    return config.data_dir / "models" / "labels"


@dataclass
class TrainingExample:
    """One article's text and what is known of its labels: label -> 1.0 or 0.0."""

    text: str
    cats: dict[str, float]


def full_cats(themes: Iterable[str], markets: Iterable[str], config) -> dict[str, float]:
    """Every theme and market known: the given ones positive, the others negative."""
    themes, markets = set(themes), set(markets)
    cats = {f"theme:{t}": float(t in themes) for t in sorted(config.theme_ids)}
    cats.update({f"market:{m}": float(m in markets) for m in sorted(config.market_ids)})
    return cats


def all_labels(config) -> list[str]:
    return [f"theme:{t}" for t in sorted(config.theme_ids)] + [f"market:{m}" for m in sorted(config.market_ids)]


def build_trainer(labels: Sequence[str]) -> Language:
    nlp = spacy.blank("xx")
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": {
        "@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 1,
        "no_output_layer": False, "length": 262144}})
    for label in labels:
        textcat.add_label(label)
    return nlp


def train_model(examples: Sequence[TrainingExample], labels: Sequence[str], out: Path,
                epochs: int = 20, seed: int = 0, sources: dict | None = None) -> dict:
    """Train, save to `out`, return the meta written beside the model."""
    if not examples:
        raise ValueError("aucun exemple d'apprentissage")
    random.seed(seed)
    spacy.util.fix_random_seed(seed)
    nlp = build_trainer(labels)
    data = [Example.from_dict(nlp.make_doc(fold(e.text)), {"cats": e.cats}) for e in examples]
    optimizer = nlp.initialize(lambda: data)
    losses: dict = {}
    for _ in range(epochs):
        random.shuffle(data)
        losses = {}
        for batch in spacy.util.minibatch(data, size=8):
            nlp.update(batch, sgd=optimizer, losses=losses)
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    digest = hashlib.sha256()
    for e in examples:
        digest.update(e.text.encode("utf-8"))
        digest.update(json.dumps(e.cats, sort_keys=True).encode())
    meta = {"examples": len(examples), "labels": list(labels), "epochs": epochs,
            "trained_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "version": digest.hexdigest()[:10], "loss": round(losses.get("textcat_multilabel", 0.0), 4),
            "sources": sources or {}}
    (out / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return meta


def read_meta(path: Path) -> dict | None:
    try:
        return json.loads((Path(path) / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class Labeller:
    """Combines the thesaurus labels (doc._.themes, doc._.markets) with the model's."""

    def __init__(self, model_path: str, mode: str, min_examples: int, veto: float, add: float,
                 model_threshold: float, transversal_min_score: float = 3.0):
        self.mode = mode
        self.model_threshold = model_threshold
        self.veto = veto
        self.add = add
        self.model: Language | None = None
        self.meta: dict = {}
        self.clusters: dict[str, set[str]] = {}
        self.transversal_min_score = transversal_min_score
        meta = read_meta(Path(model_path)) if model_path else None
        if meta and meta.get("examples", 0) >= min_examples:
            self.model = spacy.load(model_path)
            self.meta = meta

    @property
    def version(self) -> str:
        return f"model={self.meta['version']}" if self.model is not None else ""

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        if self.model is None:
            yield from docs
            return
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._label(batch)
                batch = []
        if batch:
            yield from self._label(batch)

    def _label(self, docs: list[Doc]) -> list[Doc]:
        from .thesaurus import is_transversal

        texts = (fold(doc.text) for doc in docs)
        for doc, scored in zip(docs, self.model.pipe(texts)):
            for kind, attr in KINDS.items():
                probs = {label.split(":", 1)[1]: p for label, p in scored.cats.items() if label.startswith(kind + ":")}
                doc._.set(attr, self._combine(getattr(doc._, attr) or [], probs))
            if self.clusters:
                strong = [l.id for l in doc._.themes if l.score >= self.transversal_min_score]
                doc._.transversal = is_transversal(strong, self.clusters)
        return docs

    def _combine(self, rules: list[Label], probs: dict[str, float]) -> list[Label]:
        def learned_label(label_id: str, p: float) -> Label:
            return Label(id=label_id, score=round(10 * p, 2), evidence=[Evidence(term=MODEL_EVIDENCE, weight=round(p, 3))])

        if self.mode == "model":
            alone = [learned_label(i, p) for i, p in probs.items() if p >= self.model_threshold]
            return sorted(alone, key=lambda l: (-l.score, l.id))
        learned = [learned_label(i, p) for i, p in probs.items() if p >= self.add]
        kept = [l for l in rules if probs.get(l.id, 1.0) >= self.veto]
        have = {l.id for l in kept}
        return kept + sorted((l for l in learned if l.id not in have), key=lambda l: (-l.score, l.id))


@Language.factory("veille_labeller", default_config={
    "model_path": "", "mode": "combined", "min_examples": 300, "veto": 0.05, "add": 0.6,
    "model_threshold": 0.25, "transversal_min_score": 3.0})
def make_labeller(nlp: Language, name: str, model_path: str, mode: str, min_examples: int, veto: float,
                  add: float, model_threshold: float, transversal_min_score: float) -> Labeller:
    return Labeller(model_path, mode, min_examples, veto, add, model_threshold, transversal_min_score)
