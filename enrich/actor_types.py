"""Type guess for an organisation that is not in the actor registry, and whether a
name looks like an organisation at all (the small French model often tags one LOC or MISC).

Rule, on the folded words of the name, first match wins:
  lab         laboratoire, labo, lab, laboratory, institut(e), UMR/UPR units,
              a CNRS/Inserm/Inria unit name (« LAAS-CNRS »), research centre
  university  université, university, école, school, college, IUT, INSA, faculté
  public-body agence, agency, ministère, ministry, région, conseil régional (and
              other councils, not « conseil » alone: consulting firms), commission,
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
PUBLIC_WORDS = {"agence", "agency", "ministere", "ministry", "region", "commission",
                "prefecture", "gouvernement", "government", "metropole", "mairie", "departement",
                "dga", "dge", "dgac", "anssi", "cnil", "sgpi", "ue"}
# « conseil » alone is as often a consulting firm (« Photonmark Conseil ») as a council.
PUBLIC_PHRASES = ("direction generale", "conseil regional", "conseil departemental", "conseil europeen",
                  "conseil de l'", "conseil national", "union europeenne", "european union")
# Words the small model tags as organisations that name no organisation (kinds of firm, technologies).
NOT_ORGANISATIONS = {"pme", "eti", "tpe", "pmi", "oled", "led", "microled", "ia", "ai", "r&d", "rd", "ceo", "pdg",
                     "cto", "5g", "4g", "iot", "gps", "ue", "eu", "co2", "cmos", "lidar", "vcsel", "swir", "saas"}

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


def names_no_organisation(name: str) -> bool:
    """True for words the model mistakes for organisations (« PME », « OLED »): never candidates."""
    return fold(name).strip() in NOT_ORGANISATIONS


def looks_like_organisation(name: str) -> bool:
    """True when the name has an organisation word (lab, school, agency, SA, Labs...)."""
    return guess_actor_type(name) != "company" or bool(set(_WORD.findall(fold(name))) & COMPANY_WORDS)
