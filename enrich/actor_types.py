"""Type guess for an organisation that is not in the actor registry, and whether a
name looks like an organisation at all (the small French model often tags one LOC or MISC).

Rule, on the folded words of the name, first match wins:
  lab         laboratoire, labo, lab, laboratory, institut(e), UMR/UPR units,
              a CNRS/Inserm/Inria unit name (« LAAS-CNRS »), research centre
  university  université, university, école, school, college, IUT, INSA, faculté
  public-body agence, agency, ministère, ministry, région, conseil, commission,
              préfecture, direction générale, gouvernement, a few state acronyms (DGA...)
  company     anything else
"""
from __future__ import annotations

import re

from .text import fold

LAB_WORDS = {"laboratoire", "laboratoires", "labo", "labos", "lab", "laboratory", "laboratories",
             "institut", "instituts", "institute", "umr", "upr", "cnrs", "inserm", "inria", "inrae",
             "research"}
LAB_PHRASES = ("centre de recherche", "centre de recherches", "research center", "research centre")
UNIVERSITY_WORDS = {"universite", "universites", "university", "universitat", "universidad", "ecole",
                    "school", "college", "iut", "insa", "faculte", "polytech"}
PUBLIC_WORDS = {"agence", "agency", "ministere", "ministry", "region", "conseil", "commission",
                "prefecture", "gouvernement", "government", "metropole", "mairie", "departement",
                "dga", "dge", "dgac", "anssi", "cnil", "sgpi", "ue"}
PUBLIC_PHRASES = ("direction generale", "conseil regional", "union europeenne", "european union")

# « X Labs » is a start-up's name far more often than a public laboratory.
COMPANY_WORDS = {"sa", "sas", "sarl", "inc", "ltd", "gmbh", "ag", "spa", "group", "groupe", "technologies",
                 "technology", "systems", "systemes", "labs", "industries", "corp", "corporation", "company"}

_WORD = re.compile(r"[a-z0-9]+")


def guess_actor_type(name: str) -> str:
    folded = fold(name)
    words = set(_WORD.findall(folded))
    if words & LAB_WORDS or any(p in folded for p in LAB_PHRASES):
        return "lab"
    if words & UNIVERSITY_WORDS:
        return "university"
    if words & PUBLIC_WORDS or any(p in folded for p in PUBLIC_PHRASES):
        return "public-body"
    return "company"


def looks_like_organisation(name: str) -> bool:
    """True when the name has an organisation word (lab, school, agency, SA, Labs...)."""
    return guess_actor_type(name) != "company" or bool(set(_WORD.findall(fold(name))) & COMPANY_WORDS)
