"""`veille subscribers check`: every profile's addresses and perimeter, checked.

Errors make the digest unsendable or wrong (bad address, unknown id, a query
that does not parse); warnings are worth a look (no recipient, duplicates,
an empty perimeter that takes everything).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from email.utils import parseaddr

from index.base import QuerySyntaxError
from index.query import parse
from reports.mailer import ADDRESS
from veille.config import Config


@dataclass
class Finding:
    profile: str
    recipients: int
    perimeter: str
    schedule: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_profiles(config: Config) -> list[Finding]:
    themes, markets, sources = config.theme_ids, config.market_ids, {s.id for s in config.sources}
    actors = {a.id for a in config.actors}
    findings = []
    for profile in config.profiles:
        perimeter = "; ".join(part for part in (
            f"thèmes : {', '.join(profile.themes)}" if profile.themes else "",
            f"marchés : {', '.join(profile.markets)}" if profile.markets else "",
            f"sources : {', '.join(profile.sources)}" if profile.sources else "",
            f"requête : {profile.query}" if profile.query else "") if part) or "tout"
        when = (f"chaque {profile.day} à {profile.time}" if profile.frequency == "weekly"
                else f"chaque jour à {profile.time}") + (" ; relecture" if profile.review else "")
        finding = Finding(profile.id, len(profile.recipients), perimeter, when)
        for address in profile.recipients:
            name, parsed = parseaddr(address)
            if not ADDRESS.match(address) or parsed != address or name:
                finding.errors.append(f"adresse invalide : {address!r}")
        for address, count in Counter(a.lower() for a in profile.recipients).items():
            if count > 1:
                finding.warnings.append(f"adresse en double : {address}")
        if not profile.recipients:
            finding.warnings.append("aucun destinataire : la synthèse est écrite mais jamais envoyée")
        for value, known, what in ((profile.themes, themes, "thème"), (profile.markets, markets, "marché"),
                                   (profile.sources, sources, "source")):
            finding.errors += [f"{what} inconnu : {v}" for v in value if v not in known]
        if profile.query:
            try:
                parse(profile.query)
            except QuerySyntaxError as exc:
                finding.errors.append(f"requête invalide : {exc}")
        if not (profile.themes or profile.markets or profile.query or profile.sources):
            finding.warnings.append("périmètre vide : la synthèse prendra toutes les actualités")
        if profile.language == "en":
            untranslated = [c.id for c in config.themes if c.id in profile.themes and not c.label_en]
            untranslated += [c.id for c in config.markets if c.id in profile.markets and not c.label_en]
            if untranslated:
                finding.warnings.append(f"language: en — sans label_en, ces thèmes ou marchés resteront en "
                                        f"français dans la synthèse : {', '.join(untranslated)}")
        if profile.member and profile.member not in actors:
            finding.warnings.append(f"membre {profile.member!r} absent du registre des acteurs (actors.yaml)")
        findings.append(finding)
    return findings
