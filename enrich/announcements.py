"""veille_announcements: articles announcing a call (for projects, tenders) or an event, and its date.

Cues are phrases matched on the folded form (token.norm_, so case and accents
do not matter): calls (« appel à projets », « appel d'offres », « call for
proposals »...) win over events (« salon », « colloque », « webinaire »,
« conference », « trade fair »...); « conférence de presse » is not an event.
Dates are found by a spaCy Matcher: day, month name (French or English,
folded), optional year (« 15 mars », « 1er juin 2026 », « 30 January »). The
date of a sentence holding a deadline word (« avant », « jusqu'au », « date
limite », « before », « deadline », « cut-off »...) is the call's deadline;
otherwise the first date after the cue is the event's date. The component
writes doc._.announcement = {"kind", "day", "month", "year", "deadline",
"sentence"} or None; the Enricher gives a year to a date without one (the
article's year, or the next when that date would be long past).
"""
from __future__ import annotations

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from .normalizer import written_doc
from .sentences import Sentences
from .text import one_line

CALL_CUES = ["appel à projets", "appel à projet", "appels à projets", "appel à candidatures", "appel à candidature",
             "appel à propositions", "appel à manifestation d'intérêt", "appel d'offres", "appel d'offre",
             "call for projects", "call for proposals", "call for tenders", "call for applications", "joint call",
             "tender", "accelerator round", "cut-off date"]
EVENT_CUES = ["salon", "colloque", "congrès", "webinaire", "journée technique", "journée", "conférence",
              "convention d'affaires", "rencontres", "hackathon", "forum", "trade fair", "trade show", "conference",
              "webinar", "workshop", "summit", "business meeting", "symposium"]
NOT_EVENTS = ["conférence de presse", "press conference", "journée de travail"]
DEADLINE_WORDS = ["avant", "jusqu'au", "jusqu'à", "au plus tard", "date limite", "clôture", "before", "by",
                  "until", "deadline", "cut-off", "closes", "due"]
MONTHS = {"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8,
          "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
          "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
          "september": 9, "october": 10, "november": 11, "december": 12}


class Announcements:
    def __init__(self, nlp: Language):
        self.cues = PhraseMatcher(nlp.vocab, attr="NORM")
        for label, phrases in (("call", CALL_CUES), ("event", EVENT_CUES), ("not", NOT_EVENTS),
                               ("deadline", DEADLINE_WORDS)):
            self.cues.add(label, [written_doc(nlp, p) for p in phrases])
        self.dates = Matcher(nlp.vocab)
        day = {"TEXT": {"REGEX": r"^(?:[1-9]|[12][0-9]|3[01])(?:er)?$"}}
        month = {"NORM": {"IN": list(MONTHS)}}
        year = {"TEXT": {"REGEX": r"^20[2-9][0-9]$"}}
        self.dates.add("date", [[day, month, year], [day, month]], greedy="LONGEST")

    def __call__(self, doc: Doc) -> Doc:
        doc._.announcement = None
        strings = doc.vocab.strings
        found = {"call": [], "event": [], "not": [], "deadline": []}
        for match_id, start, end in self.cues(doc):
            found[strings[match_id]].append((start, end))
        masked = {i for s, e in found["not"] for i in range(s, e)}
        events = [(s, e) for s, e in found["event"] if s not in masked]
        kind = "call" if found["call"] else "event" if events else None
        if kind is None:
            return doc
        cue = min(found["call"] or events)[0]
        sentences = Sentences(doc)
        deadline_sentences = {sentences.index(s) for s, _ in found["deadline"]}
        dates = sorted((s, e) for _, s, e in self.dates(doc))
        chosen, is_deadline = None, False
        if kind == "call":
            chosen = next(((s, e) for s, e in dates if sentences.index(s) in deadline_sentences), None)
            is_deadline = chosen is not None
        if chosen is None:
            chosen = next(((s, e) for s, e in dates if s >= cue), dates[0] if dates else None)
        announcement = {"kind": kind, "day": None, "month": None, "year": None, "deadline": is_deadline,
                        "sentence": one_line(sentences.of(cue if chosen is None else chosen[0]).text)[:400]}
        if chosen is not None:
            tokens = doc[chosen[0]:chosen[1]]
            announcement["day"] = int(tokens[0].text.removesuffix("er"))
            announcement["month"] = MONTHS[tokens[1].norm_]
            announcement["year"] = int(tokens[2].text) if len(tokens) > 2 else None
        doc._.announcement = announcement
        return doc


@Language.factory("veille_announcements")
def make_announcements(nlp: Language, name: str) -> Announcements:
    return Announcements(nlp)
