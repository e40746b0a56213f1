"""Digest commands: `digest` (write, preview, send), `digest approve`, `digest log`,
`digest resend-unknown`, and `subscribers check`, `optouts`, `unsubscribe`, `resubscribe`."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from veille.cli import ConfigOption, DemoOption, app, console, err_console, index_of, load, setup_logging_for
from veille.config import Config, ConfigError

digest_app = typer.Typer(help="Synthèses Zoom-Marché : rédiger, relire, approuver, envoyer.",
                         invoke_without_command=True, no_args_is_help=False, rich_markup_mode=None)
subscribers_app = typer.Typer(help="Abonnés et périmètres des synthèses.", no_args_is_help=True,
                              rich_markup_mode=None)
app.add_typer(digest_app, name="digest")
app.add_typer(subscribers_app, name="subscribers")


def _out(config: Config, out: Optional[Path]) -> Path:
    return out or config.data_dir / "digests"


@digest_app.callback()
def digest(
    ctx: typer.Context,
    profile: Optional[str] = typer.Option(None, "--profile", help="Identifiant du profil d'abonnement."),
    period: Optional[str] = typer.Option(None, "--period", help="week ou day (défaut : selon la fréquence du profil)"),
    out: Optional[Path] = typer.Option(None, "--out", help="Dossier de sortie (défaut : DATA/digests)."),
    preview: bool = typer.Option(False, "--preview", help="Écrire les fichiers seulement : ni brouillon ni envoi."),
    send: bool = typer.Option(False, "--send", help="Envoyer aux destinataires du profil (SMTP de settings.yaml)."),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Produire la synthèse Zoom-Marché d'un profil (HTML, texte, graphique) et, avec --send, l'envoyer."""
    if ctx.invoked_subcommand is not None:
        return
    from reports.delivery import publish
    from reports.digest import build_digest, write_digest
    from reports.mailer import MailNotConfigured

    config = load(config_dir, demo)
    setup_logging_for(config)
    if profile is None:
        err_console.print("[red]--profile est obligatoire[/] (exemple : veille digest --profile zoom-spatial-defense)")
        raise typer.Exit(2)
    if period not in (None, "week", "day"):
        err_console.print("[red]--period attend week ou day[/]")
        raise typer.Exit(2)
    if preview and send:
        err_console.print("[red]--preview et --send s'excluent[/]")
        raise typer.Exit(2)
    try:
        chosen = config.profile(profile)
    except ConfigError as exc:
        err_console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(2)
    if send and not config.settings.mail.host:
        err_console.print("[red]Aucun serveur SMTP configuré[/] (settings.yaml : mail.host) : rien n'est envoyé.")
        raise typer.Exit(2)
    period = period or ("day" if chosen.frequency == "daily" else "week")
    with index_of(config) as index:
        try:
            built = build_digest(config, index, profile, period=period)
        except ConfigError as exc:
            err_console.print(f"[bold red]Profil {escape(profile)} inutilisable[/] — {escape(str(exc))}")
            raise typer.Exit(2)
        if preview:
            html_path, text_path = write_digest(built, _out(config, out))
            console.print(f"Synthèse HTML : {html_path}\nSynthèse texte : {text_path}\n(aperçu : rien n'est envoyé)")
            return
        try:
            outcome = publish(config, index, built, _out(config, out), send=send)
        except MailNotConfigured as exc:
            err_console.print(f"[bold red]Envoi impossible[/] — {escape(str(exc))}")
            raise typer.Exit(2)
    if outcome.html_path:
        console.print(f"Synthèse HTML : {outcome.html_path}\nSynthèse texte : {outcome.text_path}")
    for note in outcome.notes:
        console.print(escape(note))
    if outcome.sent:
        report = outcome.sent
        console.print(f"Envoi {escape(report.key)} : {len(report.sent)} envoyé(s), "
                      f"{len(report.already_sent)} déjà servi(s), {len(report.refused)} à réessayer, "
                      f"{len(report.unknown)} d'issue inconnue")
    for problem in outcome.problems:
        err_console.print(f"[yellow]{escape(problem)}[/]")
    if outcome.problems:
        raise typer.Exit(1)


@digest_app.command("approve")
def approve_command(
    profile: str = typer.Argument(..., help="Profil dont le dernier brouillon est approuvé."),
    by: str = typer.Option("", "--by", help="Qui approuve (gardé dans le journal d'envoi)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Dossier des synthèses (défaut : DATA/digests)."),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Approuver le brouillon relu d'un profil : seul un brouillon approuvé est envoyé."""
    from reports.delivery import approve
    from reports.review import ReviewError

    config = load(config_dir, demo)
    with index_of(config) as index:
        try:
            draft, page = approve(config, index, profile, _out(config, out), by=by)
        except (ReviewError, ConfigError) as exc:
            err_console.print(f"[bold red]Approbation refusée[/] — {escape(str(exc))}")
            raise typer.Exit(2)
    console.print(f"Brouillon approuvé : {draft}\nSynthèse finale : {page}\n"
                  f"Envoi : veille digest --profile {profile} --send")


@digest_app.command("log")
def log_command(
    key: Optional[str] = typer.Argument(None, help="Une synthèse (profil-AAAA-MM-JJ) ; défaut : toutes."),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Le journal d'envoi : pour chaque synthèse et destinataire, l'état et la dernière erreur."""
    from reports.sendlog import SendLog

    config = load(config_dir, demo)
    with SendLog.of(config.data_dir) as book:
        rows = book.rows(key)
    table = Table(title="Journal d'envoi")
    for column in ("synthèse", "destinataire", "état", "essais", "dernière erreur", "mis à jour"):
        table.add_column(column)
    for row in rows:
        table.add_row(escape(row["key"]), escape(row["recipient"]), row["status"], str(row["attempts"]),
                      escape(row["last_error"]), row["updated_at"])
    console.print(table)


@digest_app.command("resend-unknown")
def resend_unknown(
    key: str = typer.Argument(..., help="La synthèse (profil-AAAA-MM-JJ) dont les envois d'issue inconnue sont relancés."),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Après vérification : renvoyer au prochain passage les envois d'issue inconnue (risque de doublon)."""
    from reports.sendlog import SendLog

    config = load(config_dir, demo)
    with SendLog.of(config.data_dir) as book:
        released = book.release_unknown(key)
    console.print(f"{released} envoi(s) d'issue inconnue seront retentés au prochain envoi de {escape(key)}.")


@subscribers_app.command("check")
def subscribers_check(
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Vérifier les adresses et les périmètres de chaque profil d'abonnement."""
    from reports.subscribers import check_profiles

    config = load(config_dir, demo)
    findings = check_profiles(config)
    table = Table(title="Profils d'abonnement")
    for column in ("profil", "destinataires", "périmètre", "envoi", "constats"):
        table.add_column(column)
    for finding in findings:
        table.add_row(escape(finding.profile), str(finding.recipients), escape(finding.perimeter),
                      escape(finding.schedule),
                      escape("\n".join([f"ERREUR : {e}" for e in finding.errors] +
                                       [f"attention : {w}" for w in finding.warnings]) or "ok"))
    console.print(table)
    errors = sum(len(f.errors) for f in findings)
    if not config.settings.mail.host:
        console.print("attention : aucun serveur SMTP (settings.yaml : mail.host) : les synthèses ne partiront pas.")
    console.print(f"{len(findings)} profil(s), {errors} erreur(s).")
    raise typer.Exit(1 if errors else 0)


OPTOUT_HOW = {"web": "page de désabonnement", "one-click": "un clic (messagerie)", "cli": "commande"}


@subscribers_app.command("optouts")
def subscribers_optouts(
    address: Optional[str] = typer.Argument(None, help="Une adresse ; défaut : toutes."),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Les désabonnements : liste quittée, adresse, quand et comment (page web, un clic, commande)."""
    from reports.sendlog import SendLog

    config = load(config_dir, demo)
    with SendLog.of(config.data_dir) as book:
        rows = book.optouts(address)
    table = Table(title="Désabonnements")
    for column in ("liste", "adresse", "depuis", "par"):
        table.add_column(column)
    for row in rows:
        table.add_row(escape(row["list"]), escape(row["address"]), row["opted_out_at"],
                      OPTOUT_HOW.get(row["how"], escape(row["how"])))
    console.print(table)
    console.print(f"{len(rows)} désabonnement(s).")


def _list_option(config: Config, list_id: str, known: bool = True) -> str:
    """A valid --list, naming (when `known`) a configured profile."""
    from reports.unsubscribe import check_list

    try:
        check_list(list_id)
        if known and list_id.startswith("digest:"):
            config.profile(list_id.partition(":")[2])
    except (ValueError, ConfigError) as exc:
        err_console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(2)
    return list_id


@subscribers_app.command("unsubscribe")
def subscribers_unsubscribe(
    address: str = typer.Argument(..., help="L'adresse à ne plus servir."),
    list_id: str = typer.Option(..., "--list", help="digest:<profil> ou follow:<numéro de recherche suivie>."),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Désabonner une adresse d'une liste (par exemple sur demande reçue par e-mail)."""
    from reports.mailer import ADDRESS
    from reports.sendlog import SendLog

    config = load(config_dir, demo)
    _list_option(config, list_id)
    if not ADDRESS.match(address.strip()):
        err_console.print(f"[red]adresse e-mail invalide : {escape(address)}[/]")
        raise typer.Exit(2)
    with SendLog.of(config.data_dir) as book:
        recorded = book.opt_out(list_id, address, "cli")
    console.print(f"{escape(address)} désabonné(e) de {escape(list_id)}." if recorded
                  else f"{escape(address)} était déjà désabonné(e) de {escape(list_id)}.")


@subscribers_app.command("resubscribe")
def subscribers_resubscribe(
    address: str = typer.Argument(..., help="L'adresse à servir de nouveau."),
    list_id: Optional[str] = typer.Option(None, "--list", help="Une seule liste (défaut : toutes)."),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Annuler les désabonnements d'une adresse (d'une liste, ou de toutes) : elle est de nouveau servie."""
    from reports.sendlog import SendLog

    config = load(config_dir, demo)
    if list_id is not None:
        _list_option(config, list_id, known=False)
    with SendLog.of(config.data_dir) as book:
        removed = book.resubscribe(address, list_id)
    if not removed:
        err_console.print(f"Aucun désabonnement pour {escape(address)}"
                          + (f" sur {escape(list_id)}." if list_id else "."))
        raise typer.Exit(1)
    console.print(f"{escape(address)} réabonné(e) : {removed} désabonnement(s) annulé(s).")
