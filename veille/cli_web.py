"""Commands of the experts' web app: serve, users, judgements."""
from __future__ import annotations

import getpass
import os
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from veille.cli import ConfigOption, DemoOption, app, console, err_console, load, setup_logging_for

users_app = typer.Typer(help="Comptes des experts (application web).", no_args_is_help=True)
judgements_app = typer.Typer(help="Jugements des experts.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(judgements_app, name="judgements")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Adresse d'écoute."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Lancer l'application web des experts (recherche, lecture, jugements, suivis, tendances, archives)."""
    import uvicorn

    from veille.web.app import create_app

    config = load(config_dir, demo)
    setup_logging_for(config)
    if config.settings.web.auth == "local":
        from veille.web.store import WebStore

        store = WebStore(config.data_dir)
        if not store.users():
            console.print("[yellow]Aucun compte : créez-en un avec « veille users add NOM »[/]")
        store.close()
    console.print(f"Application web : http://{host}:{port}/ (données : {config.data_dir})")
    uvicorn.run(create_app(config), host=host, port=port, log_level="info", proxy_headers=False)


@users_app.command("add")
def users_add(
    username: str = typer.Argument(..., help="Identifiant (lettres, chiffres, . _ @ -)."),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Créer un compte, ou changer son mot de passe (lu sur le terminal, ou dans VEILLE_NEW_PASSWORD)."""
    from veille.web.auth import AuthError, check_new_account, hash_password
    from veille.web.store import WebStore

    config = load(config_dir, demo)
    password = os.environ.get("VEILLE_NEW_PASSWORD")
    if password is None:
        password = getpass.getpass("Mot de passe : ")
        if getpass.getpass("Le même, encore : ") != password:
            err_console.print("[red]Les deux mots de passe diffèrent.[/]")
            raise typer.Exit(2)
    try:
        check_new_account(username, password)
    except AuthError as exc:
        err_console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(2)
    store = WebStore(config.data_dir)
    try:
        store.set_user(username, hash_password(password))
    finally:
        store.close()
    console.print(f"Compte {escape(username)} enregistré.")


@users_app.command("list")
def users_list(config_dir: Optional[Path] = ConfigOption, demo: bool = DemoOption):
    """Lister les comptes."""
    from veille.web.store import WebStore

    store = WebStore(load(config_dir, demo).data_dir)
    try:
        for name in store.users():
            console.print(escape(name))
    finally:
        store.close()


@judgements_app.command("export")
def judgements_export(
    out: Optional[Path] = typer.Option(None, "--out", help="Fichier JSON lines (défaut : DATA/judgements.jsonl)."),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Exporter tous les jugements en JSON lines (ce dont `veille train` apprend)."""
    from veille.web.store import WebStore

    store = WebStore(load(config_dir, demo).data_dir)
    try:
        path = store.export_judgements(out)
        console.print(f"{len(store.judgements())} jugement(s) → {path}")
    finally:
        store.close()


follow_app = typer.Typer(help="Recherches suivies des experts.", no_args_is_help=True)
app.add_typer(follow_app, name="follow")


@follow_app.command("notify")
def follow_notify(config_dir: Optional[Path] = ConfigOption, demo: bool = DemoOption):
    """Envoyer par e-mail les nouveautés des recherches suivies arrivées à échéance (pour cron)."""
    from reports.mailer import MailNotConfigured
    from veille.cli import run_lock
    from veille.locks import FOLLOW_LOCK
    from veille.web.follow import notify_all

    config = load(config_dir, demo)
    setup_logging_for(config)
    with run_lock(config, "veille follow notify", FOLLOW_LOCK):
        try:
            report = notify_all(config)
        except MailNotConfigured as exc:
            err_console.print(f"[red]Rien n'est envoyé[/] : {escape(str(exc))}.")
            raise typer.Exit(2)
    console.print(f"Recherches suivies : {report.due} à échéance, {report.sent} avis envoyé(s), "
                  f"{report.empty} sans nouveauté, {report.failed} en échec"
                  + (f", {report.unsubscribed} non envoyé(s) (adresse désabonnée)." if report.unsubscribed else "."))
    for line in report.problems:
        err_console.print(f"[yellow]{escape(line)}[/]")
    raise typer.Exit(1 if report.failed else 0)


@follow_app.command("list")
def follow_list(config_dir: Optional[Path] = ConfigOption, demo: bool = DemoOption):
    """Lister les recherches suivies (propriétaire, fréquence, adresse, dernier avis)."""
    from veille.web.store import WebStore

    store = WebStore(load(config_dir, demo).data_dir)
    try:
        for search in store.saved_searches():
            console.print(f"{search.id}\t{escape(search.owner)}\t{escape(search.name)}\t{search.frequency}\t"
                          f"{escape(search.email or '—')}\t{search.last_notified or 'jamais'}")
    finally:
        store.close()
