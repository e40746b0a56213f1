"""What `veille train` does: gather expert labels, train the label model, save it.

Sources, both optional but not both empty: labelled articles (the development
set's training split by default, enrich/devset.py) and expert judgements
(DATA/judgements.jsonl, enrich/judgements.py) whose articles are found in the
spool. The model is saved in DATA/models/labels (enrich/labeller.py), where
the Enricher finds it; `veille reclassify` then re-labels stored articles.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Sequence

from .devset import LabelledArticle
from .judgements import examples_from_judgements, read_judgements, read_texts
from .labeller import TrainingExample, all_labels, full_cats, model_dir, train_model


def devset_examples(items: Sequence[LabelledArticle], config) -> list[TrainingExample]:
    return [TrainingExample(text=f"{i.title}\n\n{i.text}", cats=full_cats(i.themes, i.markets, config))
            for i in items]


def train(config, items: Sequence[LabelledArticle] = (), judgements: Path | None = None,
          out: Path | None = None, epochs: int = 12, on_problem: Callable[[str], None] = lambda m: None) -> dict:
    examples = devset_examples(items, config)
    judged = 0
    if judgements is not None and Path(judgements).exists():
        found = read_judgements(judgements, on_problem)
        texts = read_texts(config.data_dir / "spool.sqlite", sorted({j.target for j in found}))
        from_experts = examples_from_judgements(found, config, texts)
        missing = len({j.target for j in found}) - len(texts)
        if missing > 0:
            on_problem(f"{judgements} : {missing} article(s) jugé(s) introuvable(s) dans le spool, ignoré(s)")
        examples += from_experts
        judged = len(from_experts)
    if not examples:
        raise ValueError("aucun exemple d'apprentissage : ni articles étiquetés ni jugements utilisables")
    sources = {"labelled_articles": len(items), "judged_articles": judged}
    return train_model(examples, all_labels(config), out or model_dir(config), epochs=epochs, sources=sources)
