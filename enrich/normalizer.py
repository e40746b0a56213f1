"""veille_normalizer: the forms the veille matchers compare.

After this component, on every token:

- ``token.norm_`` is the folded word as written (enrich.text.fold): the actor
  linker matches registry names on it (« UNIVERSITÉ » and « Universite » both
  give « universite »; names are not stemmed: « Photonix » is not
  « Photonis »), and the thesaurus uses it to find a term exactly as written;
- ``token.lemma_`` is the *lemma key*: the model's lemma, folded and stripped
  then stripped of its inflection (enrich.text.KeyMaker). It replaces the
  model's lemma, which nothing downstream of this component reads. English
  docs have no lemmatizer: their key is made from the word as written.

In the French pipeline it runs after the model's components (the tok2vec
reads NORM as a feature, the lemmatizer writes LEMMA); in the English one it
runs before the EntityRuler and the actor linker, whose patterns are written
on NORM. It reads and writes the attributes as arrays, with a memo per
(word, model lemma), so it costs little next to the model. Pattern docs are normalised by this same component (`analysed_docs`,
`written_doc`), so patterns and text always agree.
"""
from __future__ import annotations

from typing import Iterable

import numpy
from spacy.attrs import LEMMA, NORM, ORTH
from spacy.language import Language
from spacy.tokens import Doc

from .text import KeyMaker, fold

# Components that produce lemmas; the only ones run on thesaurus terms.
LEMMA_COMPONENTS = ("tok2vec", "morphologizer", "tagger", "attribute_ruler", "lemmatizer")


MEMO_SIZE = 500_000


class Normalizer:
    def __init__(self, lang: str):
        self.key = KeyMaker(lang)
        self._memo: dict[tuple[int, int], tuple[int, int]] = {}  # (ORTH, LEMMA) -> (NORM, LEMMA key)

    def __call__(self, doc: Doc) -> Doc:
        """Reads and writes the token attributes as arrays (one pass, no Token objects)."""
        if not len(doc):
            return doc
        strings = doc.vocab.strings
        memo = self._memo
        pairs = doc.to_array([ORTH, LEMMA]).tolist()
        out = []
        for orth, lemma in pairs:
            hit = memo.get((orth, lemma))
            if hit is None:
                text = strings[orth]
                hit = (strings.add(fold(text)), strings.add(self.key(strings[lemma] if lemma else text)))
                if len(memo) < MEMO_SIZE:
                    memo[(orth, lemma)] = hit
            out.append(hit)
        doc.from_array([NORM, LEMMA], numpy.array(out, dtype="uint64"))
        return doc

    def written(self, doc: Doc) -> Doc:
        """Normalise a doc taking each word as written as its own lemma."""
        key = self.key
        for token in doc:
            token.norm_ = fold(token.text)
            token.lemma_ = key(token.text)
        return doc


@Language.factory("veille_normalizer")
def make_normalizer(nlp: Language, name: str) -> Normalizer:
    return Normalizer(nlp.lang)


def analysed_docs(nlp: Language, texts: Iterable[str]) -> list[Doc]:
    """Docs of short phrases (terms, names) lemmatised in isolation then normalised."""
    normalizer: Normalizer = nlp.get_pipe("veille_normalizer")
    disable = [name for name in nlp.pipe_names if name not in LEMMA_COMPONENTS]
    with nlp.select_pipes(disable=disable):
        return [normalizer(doc) for doc in nlp.pipe(texts)]


def written_doc(nlp: Language, text: str) -> Doc:
    """Doc of a phrase whose words are taken as written (the thesaurus writes base forms)."""
    normalizer: Normalizer = nlp.get_pipe("veille_normalizer")
    return normalizer.written(nlp.make_doc(text))
