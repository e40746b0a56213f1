"""veille_actor_linker: links organisations and people to the actor registry.

Mentions are found two ways, and the longest non-overlapping ones are kept:

1. a PhraseMatcher over every registry name and alias. Short aliases (at most
   EXACT_MAX_LETTERS letters: « ST », « CEA », « TAS », « l'X ») are matched
   exactly, case included, on ORTH: the words « st » or « tas » never link.
   Longer aliases are matched on the folded form (token.norm_, see
   enrich.normalizer), so « Universite Paris-Saclay » and « UNIVERSITÉ
   PARIS-SACLAY » both find « Université Paris-Saclay ». The *capital rule*
   applies to them: when the alias has a capital letter, the mention must have
   one too, so the common nouns « orange » or « centre national... » in lower
   case are not taken for the names Orange or Centre national d'études spatiales;
2. the model's named entities (any label: the small French model often tags an
   organisation LOC or MISC) not already covered are looked up by their text
   without a leading article, exactly for short aliases and ignoring case,
   accents, spaces and punctuation for the others (« Université Paris Saclay »);
   an entity cut inside a hyphenated word is widened to the whole word first.

Entities labelled ORG that match nothing in the registry are kept as
*candidates* (id None) with a type guessed from their name (enrich.actor_types);
so are entities with another label whose name has an organisation word
(« Photonix Labs », « Institut Pasteur » tagged LOC by the small model).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from veille.config import Actor
from veille.record import ActorMention

from .actor_types import guess_actor_type, looks_like_organisation, names_no_organisation
from .normalizer import written_doc
from .text import compact, fold

EXACT_MAX_LETTERS = 3
LEADING_WORDS = {"le", "la", "les", "l'", "l", "the", "du", "de", "des", "d'", "d", "au", "aux", "a"}
CANDIDATE_LABELS = ("ORG",)
MAX_CANDIDATE_TOKENS = 10
APOSTROPHES = ("'", "\u2019")


def is_exact_alias(alias: str) -> bool:
    """Short aliases are matched with their exact case (see module docstring)."""
    return sum(c.isalpha() for c in alias) <= EXACT_MAX_LETTERS


def has_capital(text: str) -> bool:
    return any(c.isupper() for c in text)


def spellings(alias: str) -> list[str]:
    """The alias with its apostrophe written both ways."""
    forms = {alias}
    for a, b in (APOSTROPHES, APOSTROPHES[::-1]):
        forms.add(alias.replace(a, b))
    return sorted(forms)


@dataclass
class _Found:
    """An actor's mentions in one doc, gathered before becoming an ActorMention."""

    actor_id: str | None
    name: str
    type: str
    first: int
    mentions: list[str] = field(default_factory=list)
    hits: list[tuple[int, int]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.hits)

    def add(self, span: Span) -> None:
        self.hits.append((span.start, span.end))
        text = " ".join(span.text.split())
        if text not in self.mentions:
            self.mentions.append(text)

    def mention(self) -> ActorMention:
        return ActorMention(id=self.actor_id, name=self.name, type=self.type,
                            mentions=self.mentions, count=self.count)


class ActorLinker:
    def __init__(self, nlp: Language, set_ents: bool = False):
        self.nlp = nlp
        self.set_ents = set_ents  # write linked registry mentions as entities (the English path has no NER)
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="NORM")
        self.actors: dict[str, Actor] = {}
        self.capitalised: set[str] = set()  # folded-matcher labels under the capital rule
        self.exact_names: dict[str, str] = {}  # exact alias -> actor id
        self.loose_names: dict[str, tuple[str, bool]] = {}  # compact alias -> (actor id, capital rule)

    def add_actors(self, actors: list[Actor]) -> None:
        """Add registry actors; builds the match patterns once."""
        for actor in actors:
            self.actors[actor.id] = actor
            for alias in dict.fromkeys([actor.name, *actor.aliases]):
                if is_exact_alias(alias):
                    forms = spellings(alias)
                    self.exact.add(actor.id, [self.nlp.make_doc(form) for form in forms])
                    for form in forms:
                        self.exact_names.setdefault(form, actor.id)
                    continue
                capital = has_capital(alias)
                label = f"{actor.id}|capital" if capital else actor.id
                if capital:
                    self.capitalised.add(label)
                docs = {}
                for form in (alias, alias.lower(), alias.upper()):
                    doc = written_doc(self.nlp, form)
                    docs.setdefault(tuple(t.norm_ for t in doc), doc)
                self.folded.add(label, list(docs.values()))
                self.loose_names.setdefault(compact(alias), (actor.id, capital))

    def __call__(self, doc: Doc) -> Doc:
        spans = self._registry_matches(doc)
        covered = {i for span in spans for i in range(span.start, span.end)}
        candidates = []
        for ent in doc.ents:
            name = self._name_of(ent)
            if name is None or covered.intersection(range(name.start, name.end)):
                continue
            actor_id = self._lookup(name.text)
            if actor_id:
                spans.append(Span(doc, name.start, name.end, label=actor_id))
            elif (self._plausible(name) and not names_no_organisation(name.text)
                  and (ent.label_ in CANDIDATE_LABELS or looks_like_organisation(name.text))):
                candidates.append(name)
            else:
                continue
            covered.update(range(name.start, name.end))
        found: dict[str, _Found] = {}
        linked = filter_spans(spans)
        if self.set_ents:
            kinds = [Span(doc, sp.start, sp.end, label="PER" if self.actors[sp.label_].type == "person" else "ORG")
                     for sp in linked]
            doc.ents = filter_spans(kinds + [e for e in doc.ents])
        for span in linked:
            actor = self.actors[span.label_]
            found.setdefault(actor.id, _Found(actor.id, actor.name, actor.type, span.start)).add(span)
        unknown: dict[str, _Found] = {}
        for span in candidates:
            text = " ".join(span.text.split())
            unknown.setdefault(compact(text), _Found(None, text, guess_actor_type(text), span.start)).add(span)
        order = lambda f: (-f.count, f.first)  # noqa: E731
        doc._.actors = [f.mention() for group in (found, unknown) for f in sorted(group.values(), key=order)]
        doc._.actor_hits = sorted(hit for group in (found, unknown) for f in group.values() for hit in f.hits)
        return doc

    def _registry_matches(self, doc: Doc) -> list[Span]:
        strings = doc.vocab.strings
        spans = [Span(doc, s, e, label=strings[m]) for m, s, e in self.exact(doc)]
        for match_id, start, end in self.folded(doc):
            label = strings[match_id]
            if label in self.capitalised and not has_capital(doc[start:end].text):
                continue
            spans.append(Span(doc, start, end, label=label.split("|")[0]))
        return spans

    @staticmethod
    def _name_of(ent: Span) -> Span | None:
        """The entity without a leading article, widened to whole hyphenated words.

        The small model often tags only part of « LAAS-CNRS » or « CEA-Leti ».
        """
        doc = ent.doc
        start, end = ent.start, ent.end
        while start > 0 and not doc[start - 1].whitespace_ and "-" in (doc[start - 1].text, doc[start].text):
            start -= 1
        while end < len(doc) and not doc[end - 1].whitespace_ and "-" in (doc[end - 1].text, doc[end].text):
            end += 1
        while start < end and (doc[start].norm_ in LEADING_WORDS or doc[start].is_punct):
            start += 1
        while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        return doc[start:end] if end > start else None

    def _lookup(self, text: str) -> str | None:
        if text in self.exact_names:
            return self.exact_names[text]
        hit = self.loose_names.get(compact(text))
        if hit and (not hit[1] or has_capital(text)):
            return hit[0]
        return None

    @staticmethod
    def _plausible(span: Span) -> bool:
        text = span.text
        return (has_capital(text) and sum(c.isalnum() for c in text) >= 2
                and len(span) <= MAX_CANDIDATE_TOKENS and not fold(text).isdigit())


@Language.factory("veille_actor_linker", default_config={"set_ents": False})
def make_actor_linker(nlp: Language, name: str, set_ents: bool) -> ActorLinker:
    return ActorLinker(nlp, set_ents)


# Words that end (or start) an organisation's name in English news: the
# English path has no statistical NER, so unknown organisations are found by
# these rules and kept as candidates (see enrich.pipeline).
ORG_SUFFIXES = ["inc", "ltd", "llc", "plc", "corp", "corporation", "gmbh", "sa", "sas", "ag", "labs", "lab",
                "technologies", "technology", "systems", "photonics", "robotics", "therapeutics", "biosciences",
                "pharma", "energy", "aerospace", "semiconductors", "industries", "group", "institute",
                "university", "agency", "foundation", "ventures", "capital"]
ORG_PREFIXES = ["university", "institute", "ministry", "agency", "department"]


def english_organisation_patterns() -> list[dict]:
    """EntityRuler patterns for organisation names the registry does not know (label ORG, no id).

    « Lightcore Photonics », « Acme Robotics Inc », « University of Leeds »,
    « Ministry of Defence »: capitalised words then an organisation word, or an
    organisation word, « of », capitalised words.
    """
    capitalised = {"IS_TITLE": True, "IS_SENT_START": False}
    return [
        {"label": "ORG", "pattern": [{"IS_TITLE": True}, {"IS_TITLE": True, "OP": "{0,3}"},
                                     {"LOWER": {"IN": ORG_SUFFIXES}, "IS_TITLE": True}]},
        {"label": "ORG", "pattern": [{"LOWER": {"IN": ORG_PREFIXES}, "IS_TITLE": True}, {"LOWER": "of"},
                                     {"LOWER": "the", "OP": "?"}, capitalised, {"IS_TITLE": True, "OP": "{0,2}"}]},
    ]

