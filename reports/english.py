"""English wording of the digest: its phrases, keyed by the French text, and its dates.

Templates and build_digest write French and wrap each phrase in the wording's
`_()`; this catalog gives the English text, as the web app's catalog does
(veille/web/i18n.py). Placeholders in braces are filled after translation.
Dates, periods and plural forms come from Babel's CLDR data (British English).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Optional

from babel import Locale
from babel.dates import format_date, format_datetime, format_interval

LOCALE = Locale.parse("en_GB")

EN = {
    # cover and sections
    "Période": "Period", "Thèmes": "Themes", "Marchés": "Markets", "Sources": "Sources",
    "Requête": "Query", "Relecture": "Editorial review", "tous": "all", "toutes": "all",
    "Faits marquants": "Highlights", "Acteurs": "Actors", "Tendances": "Trends",
    "Appels à projets et événements": "Calls for projects and events",
    "Opportunités transversales": "Cross-cluster opportunities",
    "Marchés × thèmes": "Markets × themes",
    "Thème : {label}": "Theme: {label}", "Marché : {label}": "Market: {label}",
    "Thèmes : {labels}": "Themes: {labels}", "Marchés : {labels}": "Markets: {labels}",
    "Acteurs les plus cités": "Most cited actors",
    "Nouveaux acteurs repérés (hors registre)": "New actors spotted (not in the registry)",
    "Nouveaux venus (absents des quatre périodes précédentes)":
        "Newcomers (absent from the four previous periods)",
    "hors registre": "not in the registry",
    "Termes en hausse": "Rising terms", "terme": "term", "cette période": "this period",
    "moyenne avant": "average before",
    "Volume hebdomadaire par thème ({weeks} dernières semaines)":
        "Weekly volume per theme (last {weeks} weeks)",
    "Courbes : nombre d'articles par thème et par semaine": "Chart: number of articles per theme and per week",
    "thème": "theme", "semaine du": "week of", "marché \\ thème": "market \\ theme",
    "Articles {period} ; chaque case ouvre sa recherche.": "Articles {period}; each cell opens its search.",
    "Articles {period}, par marché et par thème (cases non nulles) :":
        "Articles {period}, per market and theme (non-empty cells):",
    "aucun article": "no articles",
    "Des sujets hors du cœur du périmètre qui intéressent aussi d'autres pôles.":
        "Topics outside the core of the perimeter that also matter to other clusters.",
    "Aussi chez": "Also covered by",
    "Toute la sélection dans la veille": "The whole selection in veille",
    "Les articles de ces semaines dans la veille": "These weeks' articles in veille",
    "Accès payant": "Paywalled", "résumé limité au titre ou à un extrait.":
        "summary limited to the title or an excerpt.",
    "Accès payant : résumé limité au titre ou à un extrait":
        "Paywalled: summary limited to the title or an excerpt",
    "Note de la rédaction": "Editor's note",
    "… et {count} autre": "… and {count} more", "… et {count} autres": "… and {count} more",
    "Comment cette synthèse a été produite": "How this digest was made",
    "Se désabonner": "Unsubscribe",
    # empty sections ("Aucun article cette semaine.")
    "Aucun article": "No articles", "Aucun acteur du registre cité": "No registry actor cited",
    "Aucun nouvel acteur repéré": "No new actor spotted", "Aucun nouveau venu": "No newcomer",
    "Aucun terme en hausse": "No rising term",
    "cette semaine": "this week", "ces dernières 24 heures": "in the last 24 hours",
    # counts
    "article": "article", "articles": "articles", "source": "source", "sources": "sources",
    "article lu": "article read", "articles lus": "articles read",
    # items
    "(sans titre)": "(untitled)", "source inconnue": "unknown source", "date inconnue": "date unknown",
    "Appel à projets": "Call for projects", "Événement": "Event",
    "Date : {date}": "Date: {date}", "Clôture : {date}": "Deadline: {date}",
    # review status (reports/delivery.py)
    "brouillon, en attente d'approbation": "draft, awaiting approval",
    "relue et approuvée": "reviewed and approved",
    # actor types
    "entreprise": "company", "laboratoire": "laboratory", "université": "university",
    "pôle de compétitivité": "competitiveness cluster", "organisme public": "public body",
    "investisseur": "investor", "personne": "person",
    # chart
    "articles / semaine": "articles / week",
    # method (footer)
    "Synthèse produite automatiquement par veille le {when} (heure de {city}).":
        "Digest produced automatically by veille on {when} ({city} time).",
    "Articles publiés {period} {scope} : {articles} de {sources}.":
        "Articles published {period} {scope}: {articles} from {sources}.",
    "qui relèvent d'au moins un thème ou un marché du profil":
        "that belong to at least one of the profile's themes or markets",
    "de toutes les thématiques": "on every theme",
    ", parmi les sources choisies": ", among the chosen sources",
    ", et qui répondent à la requête « {query} »": ", and that match the query “{query}”",
    "Faits marquants : les {count} sujets les plus pertinents pour le périmètre (scores des thèmes et marchés "
    "pondérés par la fraîcheur), un article par sujet ; les autres sources qui l'ont couvert sont citées.":
        "Highlights: the {count} stories most relevant to the perimeter (theme and market scores weighted "
        "by freshness), one article per story; the other sources that covered it are named.",
    "Thèmes, marchés, acteurs et résumés sont attribués automatiquement par le thésaurus de la veille{engines} ; "
    "vérifiez l'article d'origine avant de le citer.":
        "Themes, markets, actors and summaries are assigned automatically by veille's thesaurus{engines}; "
        "check the original article before quoting it.",
    "Appels à projets et événements : repérés par mots-clés dans le titre et le texte.":
        "Calls for projects and events: spotted by keywords in the title and the text.",
    "Les résumés sont ceux des sources, en version originale.":
        "Summaries are the sources' own, in their original language.",
}


def date_en(moment: Optional[date]) -> str:
    """'22 November 2026'; 'date unknown' when the source gave none."""
    return "date unknown" if moment is None else format_date(moment, "d MMMM y", locale=LOCALE)


def datetime_en(moment: Optional[datetime]) -> str:
    """'22 November 2026 at 07:05'."""
    return "date unknown" if moment is None else format_datetime(moment, "d MMMM y 'at' HH:mm",
                                                                 tzinfo=moment.tzinfo, locale=LOCALE)


def period_en(start: datetime, end: datetime, with_time: bool = False) -> str:
    """A period [start, end): '16 – 22 Nov 2026' (Babel's interval format; `end` is exclusive)."""
    if with_time:
        return f"from {datetime_en(start)} to {datetime_en(end)}"
    last = end - timedelta(microseconds=1)
    if start.date() == last.date():
        return f"on {date_en(start)}"
    return format_interval(start.date(), last.date(), "yMMMd", locale=LOCALE)


def short_month_en(moment: date) -> str:
    """'16 Nov' (chart ticks)."""
    return format_date(moment, "d MMM", locale=LOCALE)


def plural_category(count: int) -> str:
    """CLDR plural category of `count` in English ('one' or 'other': zero is plural)."""
    return LOCALE.plural_form(count)
