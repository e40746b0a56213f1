"""The custom attributes the veille components write on spaCy docs.

doc._.title_chars   length of the title at the start of the analysed text (set
                    by the caller before the pipeline runs; 0 if no title)
doc._.actors        list[ActorMention], registry actors first, then candidates
doc._.actor_hits    list[(start_token, end_token)] of every actor mention
doc._.themes        list[Label] kept for the article (scored, sorted)
doc._.markets       list[Label]
doc._.transversal   bool, see enrich.thesaurus.is_transversal
doc._.term_hits     list[(start_token, end_token, weight)] of counted terms
doc._.summary       str, extractive summary ("" when no sentence qualifies)
doc._.announcement  dict or None: a call or event and its date (enrich.announcements)
"""
from spacy.tokens import Doc

DOC_EXTENSIONS = {
    "title_chars": 0,
    "actors": None,
    "actor_hits": None,
    "themes": None,
    "markets": None,
    "transversal": False,
    "term_hits": None,
    "summary": "",
    "announcement": None,
}


def register_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
