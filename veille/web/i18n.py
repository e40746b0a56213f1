"""Interface language: French by default, English on request.

Templates are written in French and wrap what they show in `_()`; this catalog
gives the English wording, keyed by the French text (as gettext msgids are).
A missing entry shows the French text.
"""
from __future__ import annotations

LANGUAGES = ("fr", "en")

EN = {
    "Recherche": "Search", "Rechercher": "Search", "Tendances": "Trends", "Suivis": "Following",
    "Synthèses": "Digests", "Déconnexion": "Log out", "Connexion": "Log in", "Identifiant": "Username",
    "Mot de passe": "Password", "Se connecter": "Log in", "Identifiant ou mot de passe incorrect.":
    "Wrong username or password.", "résultat(s)": "result(s)", "Thèmes": "Themes", "Marchés": "Markets",
    "Acteurs": "Actors", "Sources": "Sources", "Langues": "Languages", "Période": "Period",
    "Tri": "Sort", "pertinence": "relevance", "date": "date", "Page": "Page", "précédente": "previous",
    "suivante": "next", "Requête invalide": "Invalid query", "Lire l'original": "Read the original",
    "Résumé": "Summary", "Texte extrait": "Extracted text", "Entités": "Entities",
    "Autres sources de la même information": "Other sources of the same story",
    "Votre jugement": "Your judgement", "Pertinent": "Relevant", "Non pertinent": "Not relevant",
    "Corriger les thèmes et marchés": "Correct themes and markets", "Note": "Note",
    "Enregistrer": "Save", "Jugements": "Judgements", "Suivre cette recherche": "Follow this search",
    "Nom": "Name", "Fréquence": "Frequency", "quotidienne": "daily", "hebdomadaire": "weekly",
    "E-mail": "Email", "Supprimer": "Delete", "Mes recherches suivies": "My followed searches",
    "Aucune recherche suivie.": "No followed search.", "Volume par thème": "Volume per theme",
    "Matrice marchés × thèmes": "Markets × themes matrix", "Termes en hausse": "Rising terms",
    "Archives des synthèses": "Digest archive", "Aucune synthèse pour l'instant.": "No digest yet.",
    # digest review (veille/web/review.py)
    "Relecture": "Review", "Relecture des synthèses": "Digest review", "Brouillons à relire": "Drafts to review",
    "Profil": "Profile", "État": "Status", "Relire": "Review", "Aperçu": "Preview", "brouillon": "draft",
    "approuvé": "approved", "modifié depuis l'approbation": "changed since approval", "envoyé": "sent",
    "illisible": "unreadable", "destinataire(s)": "recipient(s)", "approuvé par": "approved by",
    "Aucun brouillon à relire.": "No draft to review.", "Brouillons précédents": "Earlier drafts",
    "Sans brouillon pour l'instant (le prochain passage en écrira un) :": "No draft yet (the next run writes one):",
    "Les profils relus avant envoi reçoivent un brouillon à chaque synthèse. Seul un brouillon approuvé, et "
    "inchangé depuis son approbation, est envoyé.": "Profiles reviewed before sending get a draft for each digest. "
    "Only an approved draft, unchanged since its approval, is sent.",
    "Seuls les relecteurs désignés (web.reviewers) peuvent modifier ou approuver une synthèse.":
    "Only the designated reviewers (web.reviewers) may edit or approve a digest.",
    "Approuver": "Approve", "« Approuver » enregistre d'abord les changements de la page.":
    "“Approve” saves the changes made on this page first.",
    "Le brouillon a été modifié après son approbation : il ne sera pas envoyé avant d'être approuvé à nouveau.":
    "The draft was changed after its approval: it will not be sent until it is approved again.",
    "Aperçu de la synthèse": "Digest preview", "Tous les brouillons": "All drafts",
    "Décochez « Garder » pour retirer un article ; la position (1, 2, 3…) ordonne les articles d'une section ; "
    "la section peut changer ; le commentaire s'affiche sous l'article.": "Untick “Keep” to remove an article; "
    "the position (1, 2, 3…) orders a section's articles; the section can be changed; the comment is shown "
    "under the article.",
    "Aucun article dans cette section pour la période.": "No article in this section for the period.",
    "Garder": "Keep", "Position": "Position", "Article": "Article", "Section": "Section",
    "Commentaire": "Comment", "Monter": "Move up", "Descendre": "Move down", "retiré": "removed",
    "Synthèse approuvée : elle partira au prochain envoi.": "Digest approved: it goes out with the next send.",
    "Brouillon enregistré. Il avait été approuvé : approuvez-le à nouveau pour qu'il soit envoyé.":
    "Draft saved. It had been approved: approve it again for it to be sent.",
    "Brouillon enregistré.": "Draft saved.", "Aucune modification.": "No change.",
    "Cette synthèse est déjà partie : son brouillon n'est plus modifiable.":
    "This digest has been sent: its draft can no longer be changed.",
    "Un brouillon plus récent existe pour ce profil : celui-ci n'est plus envoyé.":
    "A newer draft exists for this profile: this one will not be sent.",
    "Brouillon introuvable.": "Draft not found.", "Action inconnue.": "Unknown action.",
    "Le brouillon a changé depuis l'ouverture de la page : rechargez-la avant d'enregistrer.":
    "The draft changed since this page was opened: reload it before saving.",
    "Tout": "All", "7 jours": "7 days", "30 jours": "30 days", "12 mois": "12 months",
    "Aucun résultat.": "No result.", "Jugement enregistré.": "Judgement saved.",
    "Recherche suivie.": "Search followed.", "semaines": "weeks", "Article introuvable.": "Article not found.",
    "preuves": "evidence", "Opportunité transversale": "Cross-cluster opportunity",
    "Syntaxe : mots, \"phrases\", AND/OR/NOT, theme:, market:, actor:, source:, lang:, date:AAAA-MM-JJ..AAAA-MM-JJ":
    "Syntax: words, \"phrases\", AND/OR/NOT, theme:, market:, actor:, source:, lang:, date:YYYY-MM-DD..YYYY-MM-DD",
    "Retirer ce filtre": "Remove this filter", "Filtres actifs": "Active filters",
    "Thème": "Theme", "tous": "all", "Du": "From", "au": "to", "Terme": "Term", "Articles": "Articles",
    "Avant": "Before", "nouveau": "new", "En hausse": "Rising", "Nouveaux": "New", "Aucun.": "None.",
    "candidat": "candidate", "texte": "text", "Historique insuffisant": "Not enough history",
    "article(s) dans les périodes précédentes pour": "article(s) in the previous periods for",
    "sur la période ; les termes ci-dessous sont à prendre avec prudence.":
    "in the period; take the terms below with caution.",
    "Aucun terme en hausse significative sur la période.": "No significantly rising term over the period.",
    "Par rapport aux quatre périodes précédentes de même durée (G² signé, articles comptés une fois).":
    "Against the four previous periods of the same length (signed G², each article counted once).",
}


def translator(lang: str):
    if lang == "en":
        return lambda text: EN.get(text, text)
    return lambda text: text


def pick_language(session_lang: str | None) -> str:
    """French unless the user chose English (the link in the page header)."""
    return session_lang if session_lang in LANGUAGES else "fr"
