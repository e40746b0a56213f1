"""Commands for running veille unattended: scheduler, refresh (for cron), status, coverage."""
from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from veille.cli import (DEMO_PORT, EXIT_LOCKED, STAGE_LABELS, ConfigOption, DemoOption, app, console, err_console,
                        index_of, load, print_report, run_lock, run_with_progress, setup_logging_for)


@app.command()
def refresh(
    sources: list[str] = typer.Option([], "--sources", help="Groupe de sources à collecter (répétable ; défaut : tous)."),
    digests: bool = typer.Option(False, "--digests", help="Produire aussi les synthèses de tous les profils."),
    config_dir: Optional[Path] = ConfigOption,
    verbose: bool = typer.Option(False, "--verbose", "-v"),
):
    """Un passage de collecte (pour cron) ; ne chevauche jamais une autre exécution."""
    from veille.pipeline import COLLECT, STAGES

    config = load(config_dir)
    groups = sorted({s.group for s in config.sources})
    unknown = [g for g in sources if g not in groups]
    if unknown:
        err_console.print(f"[red]groupe de sources inconnu : {escape(unknown[0])}[/] "
                          f"(groupes : {', '.join(groups)})")
        raise typer.Exit(2)
    command = "refresh" + (f" {','.join(sources)}" if sources else "") + (" +synthèses" if digests else "")
    with run_lock(config, f"veille {command}"):
        report = run_with_progress(config, STAGES if digests else COLLECT, verbose=verbose,
                                   groups=sources or None, command=command)
    print_report(report)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def scheduler(
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
    port: int = typer.Option(DEMO_PORT, "--port", help="Avec --demo : port du web d'actualités local."),
    verbose: bool = typer.Option(False, "--verbose", "-v"),
):
    """Planificateur permanent : collectes et synthèses aux horaires de la configuration."""
    from veille.scheduler import SchedulerAlreadyRunning, VeilleScheduler

    config = load(config_dir, demo)
    setup_logging_for(config, verbose)
    web = None
    if demo:
        from veille.demo import DemoWeb

        web = DemoWeb(port=port)
        try:
            web.start()
        except OSError as exc:
            err_console.print(f"[bold red]Impossible de démarrer le web d'actualités local sur le port {port}[/] "
                              f"({escape(str(exc))})")
            raise typer.Exit(2)
        config = web.bind(config)
    stop = threading.Event()
    running = VeilleScheduler(config)
    try:
        running.start()
    except SchedulerAlreadyRunning as exc:
        err_console.print(f"[bold red]Planificateur refusé[/] — {escape(str(exc))}")
        if web:
            web.stop()
        raise typer.Exit(EXIT_LOCKED)

    def on_signal(signum, frame):
        running.request_stop()
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    console.print(f"Planificateur démarré (données : {config.data_dir}) ; arrêt : Ctrl-C ou SIGTERM.")
    for job in running.jobs():
        console.print(f"  {job['id']:<40} prochaine exécution : {job['next_run']}")
    try:
        while not stop.wait(1):
            pass
        console.print("Arrêt demandé : fin de l'étape en cours, puis arrêt.")
    finally:
        running.shutdown()
        if web:
            web.stop()


@app.command()
def status(
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
    as_json: bool = typer.Option(False, "--json", help="Sortie JSON, pour la supervision."),
    runs: int = typer.Option(10, "--runs", min=1, max=500, help="Nombre d'exécutions récentes."),
):
    """État de la veille : dernières exécutions, santé des sources, file d'attente, index, prochaines tâches."""
    from veille.status import gather_status

    config = load(config_dir, demo)
    state = gather_status(config, runs)
    if as_json:
        print(json.dumps(state, ensure_ascii=False, indent=2))
        return
    _print_status(state)


def _print_status(state: dict) -> None:
    table = Table(title="Dernières exécutions")
    for column in ("début (UTC)", "commande", "résultat", "bilan"):
        table.add_column(column)
    for run in state["runs"]:
        counts = "; ".join(f"{STAGE_LABELS.get(stage, stage)} " + " ".join(f"{k}={v}" for k, v in c.items())
                           for stage, c in run["counts"].items())
        table.add_row(run["started_at"], escape(run["command"]), escape(run["outcome"]), counts or "—")
    console.print(table)

    table = Table(title="Sources")
    for column in ("source", "groupe", "dernier succès", "échecs de suite", "dernière erreur"):
        table.add_column(column)
    for source in state["sources"]:
        failures = source["consecutive_failures"]
        table.add_row(source["id"] + ("" if source["enabled"] else " (désactivée)"), source["group"],
                      source["last_success"] or "jamais", f"[red]{failures}[/]" if failures else "0",
                      escape(source["last_error"] or ""))
    console.print(table)
    for source in state["sources"]:
        for alert in source.get("alerts", []):
            console.print(f"[bold yellow]⚠ {escape(source['id'])}[/] : {escape(alert)}")

    backlog = state["backlog"]
    if backlog:
        console.print(f"File d'attente : {backlog['pages_to_extract']} page(s) à extraire, "
                      f"{backlog['to_enrich']} article(s) à enrichir, {backlog['to_index']} à indexer "
                      f"({backlog['indexed']} indexés)")
    index = state["index"]
    if "error" in index:
        console.print(f"Index ({index['backend']}) : [red]indisponible[/] — {escape(index['error'])}")
    else:
        size = f", {index['bytes'] / 1e6:.1f} Mo" if "bytes" in index else ""
        console.print(f"Index ({index['backend']}) : {index['articles']} article(s){size}")
    for what, holder in (("Planificateur", state["locks"]["scheduler"]), ("Exécution", state["locks"]["run"])):
        if holder:
            console.print(f"{what} en cours : {escape(holder.get('command', '?'))} (pid {holder.get('pid', '?')})")
    jobs = state["jobs"]
    origin = "base du planificateur" if jobs["from"] == "scheduler" else "d'après la configuration"
    console.print(f"Prochaines tâches ({origin}) :")
    for job in jobs["jobs"]:
        console.print(f"  {job['id']:<40} {job['next_run'] or 'en pause'}")


@app.command()
def coverage(
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
    weeks: int = typer.Option(8, "--weeks", min=1, max=104, help="Semaines observées."),
    min_live: int = typer.Option(2, "--min-live", min=1, help="Sources vivantes en dessous desquelles alerter."),
    as_json: bool = typer.Option(False, "--json"),
):
    """Couverture : pour chaque thème et marché, les sources qui l'alimentent, le volume hebdomadaire, les silences."""
    from veille.coverage import as_dicts, coverage as compute

    config = load(config_dir, demo)
    with index_of(config) as index:
        results = compute(config, index, weeks=weeks, min_live=min_live)
    if as_json:
        print(json.dumps(as_dicts(results), ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Couverture sur {weeks} semaine(s) (du {results[0].weeks_start[0]})" if results else "")
    for column in ("", "thème / marché", "articles", "par semaine", "sources vivantes", "sources muettes"):
        table.add_column(column)
    for row in results:
        flag = "[bold red]⚠[/]" if row.flagged else ""
        kind = "thème" if row.kind == "theme" else "marché"
        table.add_row(flag, f"{escape(row.label)} ({kind})", str(row.articles), " ".join(map(str, row.weekly)),
                      ", ".join(row.live) or "aucune", ", ".join(row.silent) or "—")
    console.print(table)
    flagged = [r for r in results if r.flagged]
    if flagged:
        console.print(f"[bold red]{len(flagged)} périmètre(s) avec moins de {min_live} source(s) vivante(s)[/] : "
                      + ", ".join(r.id for r in flagged))
