"""The `veille` command line."""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from veille.config import Config, ConfigError, load_config

app = typer.Typer(help="veille : veille technologique et marché pour les pôles de compétitivité.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None)
console = Console()
err_console = Console(stderr=True, soft_wrap=True)

DEMO_OVERLAY = "demo"
DEMO_PORT = 8470
EXIT_LOCKED = 75  # EX_TEMPFAIL: another run holds the data folder; cron may simply try again later
ConfigOption = typer.Option(None, "--config", help="Dossier de configuration (défaut : ./config ou $VEILLE_CONFIG).")
DemoOption = typer.Option(False, "--demo", help="Utiliser la configuration et les données de la démo.")


def _config_dir(config_dir: Optional[Path]) -> Path:
    return Path(config_dir or os.environ.get("VEILLE_CONFIG") or "config")


def load(config_dir: Optional[Path] = None, demo: bool = False) -> Config:
    """Load the config or exit with code 2 and one message naming the culprit."""
    folder = _config_dir(config_dir)
    try:
        return load_config(folder, overlay=folder / DEMO_OVERLAY if demo else None)
    except ConfigError as exc:
        err_console.print(f"[bold red]Configuration invalide[/] — {escape(str(exc))}")
        raise typer.Exit(2)


@contextmanager
def index_of(config: Config):
    """The configured index, or exit 2 with a message saying why it cannot be used."""
    from index import BackendUnavailable, open_index

    try:
        index = open_index(config)
    except BackendUnavailable as exc:
        err_console.print(f"[bold red]Index indisponible[/] — {escape(str(exc))}")
        raise typer.Exit(2)
    with index:
        yield index


def setup_logging_for(config: Config, verbose: bool = False) -> None:
    from veille.logsafe import setup_logging

    setup_logging(verbose, secret_env=[config.settings.index.url_env])


STAGE_LABELS = {"crawl": "collecte", "extract": "extraction", "enrich": "enrichissement",
                "index": "indexation", "digest": "synthèses"}


def print_report(report) -> None:
    table = Table(title="Étapes", show_lines=False)
    table.add_column("étape")
    table.add_column("résultat")
    table.add_column("durée", justify="right")
    for stage, counts in report.counts.items():
        table.add_row(STAGE_LABELS.get(stage, stage), ", ".join(f"{k}={v}" for k, v in counts.items()),
                      f"{report.seconds.get(stage, 0):.1f} s")
    console.print(table)
    if report.sources:
        print_sources(report.sources)
    if report.errors:
        console.print(f"[yellow]{len(report.errors)} problème(s) signalé(s) :[/]")
        for error in report.errors:
            where = " ".join(x for x in (error["source"], error["url"]) if x)
            console.print(f"  • [{error['stage']}] {escape(where)} — {escape(error['reason'])}")
    if not report.ok:
        err_console.print(f"[bold red]Échec à l'étape {STAGE_LABELS.get(report.failed_stage)}[/] : "
                          f"{escape(report.failure)} — rien de ce qui a été collecté n'est perdu ; "
                          "relancez la commande pour reprendre.")


def errors_by_reason(errors: list[dict]) -> str:
    """« HTTP 404 ×2, délai dépassé » from a source's errors (the reason before any detail)."""
    from collections import Counter

    kinds = Counter(error["reason"].split(" (")[0].split(" : ")[0] for error in errors)
    return ", ".join(f"{kind} ×{n}" if n > 1 else kind for kind, n in kinds.most_common())


def print_sources(sources: dict[str, dict]) -> None:
    """The per-source report of a run: what each source gave, and why it failed where it did."""
    table = Table(title="Sources")
    for column in ("source", "flux lus", "inchangés (304)", "nouveaux", "déjà connus", "mis à jour",
                   "doublons", "erreurs"):
        table.add_column(column, justify="left" if column in ("source", "erreurs") else "right")
    for source_id, stats in sorted(sources.items()):
        if stats.get("not_due"):
            table.add_row(escape(source_id), "—", "—", "—", "—", "—", "—", "pas encore due")
            continue
        table.add_row(escape(source_id), str(stats.get("feeds", 0)), str(stats.get("not_modified", 0)),
                      str(stats.get("new", 0)), str(stats.get("known", 0)), str(stats.get("updated", 0)),
                      str(stats.get("duplicates", 0)), escape(errors_by_reason(stats.get("errors", []))) or "—")
    console.print(table)


def run_with_progress(config: Config, stages=None, verbose: bool = False, **options):
    """Run the pipeline; a progress bar over the stages on a terminal, log lines otherwise."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from veille.pipeline import STAGES, Pipeline

    stages = stages or STAGES
    setup_logging_for(config, verbose)
    pipeline = Pipeline(config, **options)
    progress = Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TimeElapsedColumn(), console=err_console, transient=True, disable=not err_console.is_terminal)
    try:
        with progress:
            task = progress.add_task(f"Étape : {STAGE_LABELS[stages[0]]}", total=len(stages))

            def on_stage(stage: str, counts: dict) -> None:
                done = stages.index(stage) + 1
                following = STAGE_LABELS[stages[done]] if done < len(stages) else "terminé"
                progress.update(task, completed=done, description=f"Étape : {following}")

            pipeline.on_stage = on_stage
            report = pipeline.run(stages)
    finally:
        pipeline.close()
    return report


@contextmanager
def run_lock(config: Config, command: str, name: str = ""):
    """The data folder's run lock (or the lock `name`), or exit EXIT_LOCKED saying who holds it."""
    from veille.locks import RUN_LOCK, DataLock, LockHeld

    lock = DataLock(config.data_dir, name or RUN_LOCK, command)
    try:
        lock.acquire(wait_seconds=0)
    except LockHeld as exc:
        err_console.print(f"[yellow]Une autre exécution travaille déjà sur {config.data_dir}[/] : "
                          f"{escape(str(exc))}. Rien n'a été fait ; la prochaine exécution reprendra.")
        raise typer.Exit(EXIT_LOCKED)
    try:
        yield lock
    finally:
        lock.release()


def print_notes(report) -> None:
    for note in report.notes:
        console.print(f"• {escape(note)}")


@app.command()
def run(config_dir: Optional[Path] = ConfigOption, verbose: bool = typer.Option(False, "--verbose", "-v")):
    """Collecter, enrichir, indexer et produire les synthèses avec les sources de la configuration."""
    config = load(config_dir)
    with run_lock(config, "veille run"):
        report = run_with_progress(config, verbose=verbose, command="run")
    print_report(report)
    for path in report.digests:
        console.print(f"Synthèse : {path}")
    print_notes(report)
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def demo(config_dir: Optional[Path] = ConfigOption, verbose: bool = typer.Option(False, "--verbose", "-v"),
         port: int = typer.Option(DEMO_PORT, "--port", min=1, max=65535,
                                  help="Port du web d'actualités local (le même d'une démo à l'autre, "
                                       "pour que les adresses des articles restent les mêmes).")):
    """Lancer la démo : un web d'actualités local, tout le pipeline, une synthèse."""
    from veille.demo import DemoWeb

    config = load(config_dir, demo=True)
    web = DemoWeb(port=port)
    try:
        web.start()
    except OSError as exc:
        err_console.print(f"[bold red]Impossible de démarrer le web d'actualités local sur le port {port}[/] "
                          f"({escape(str(exc))}) — choisissez un port libre avec --port.")
        raise typer.Exit(2)
    with web:
        config = web.bind(config)
        console.print(f"Web d'actualités local : {', '.join(web.bases.values())}")
        with run_lock(config, "veille demo"):
            report = run_with_progress(config, verbose=verbose, command="demo")
    print_report(report)
    console.print(f"\nArticles dans l'index : [bold]{report.index_total}[/] (données : {config.data_dir})")
    for path in report.digests:
        console.print(f"Synthèse Zoom-Marché : {path}")
    print_notes(report)
    console.print("\nRecherches à essayer :")
    for example in ('veille search --demo "laser"',
                    'veille search --demo "nanosatellite" --theme aeronautique-spatial',
                    'veille search --demo "hydrogène OR éolien" --market energie --limit 5'):
        console.print(f"  {example}")
    raise typer.Exit(0 if report.ok else 1)


def _parse_date(value: Optional[str]) -> Optional[datetime]:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        err_console.print(f"[red]Date invalide : {escape(value)} (format AAAA-MM-JJ)[/]")
        raise typer.Exit(2)


@app.command()
def search(
    query: str = typer.Argument("", help='Requête experte : mots, "phrases", AND/OR/NOT, theme:, market:, …'),
    theme: list[str] = typer.Option([], "--theme", help="Filtrer par thème (répétable)."),
    market: list[str] = typer.Option([], "--market", help="Filtrer par marché (répétable)."),
    source: list[str] = typer.Option([], "--source", help="Filtrer par source (répétable)."),
    since: Optional[str] = typer.Option(None, "--since", help="Depuis cette date (AAAA-MM-JJ)."),
    limit: int = typer.Option(10, "--limit", min=1, max=1000),
    sort: str = typer.Option("relevance", "--sort", help="relevance ou date"),
    as_json: bool = typer.Option(False, "--json", help="Sortie JSON (une ligne par résultat)."),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Chercher dans l'index."""
    from index.base import QuerySyntaxError, SearchRequest

    config = load(config_dir, demo)
    for value, known, what in ((theme, config.theme_ids, "thème"), (market, config.market_ids, "marché"),
                               (source, {s.id for s in config.sources}, "source")):
        unknown = [v for v in value if v not in known]
        if unknown:
            err_console.print(f"[red]{what} inconnu : {escape(unknown[0])}[/] (valeurs : {', '.join(sorted(known))})")
            raise typer.Exit(2)
    if sort not in ("relevance", "date"):
        err_console.print("[red]--sort attend relevance ou date[/]")
        raise typer.Exit(2)
    request = SearchRequest(query=query, themes=theme, markets=market, sources=source,
                            since=_parse_date(since), limit=limit, sort=sort)
    try:
        with index_of(config) as index:
            result = index.search(request)
    except QuerySyntaxError as exc:
        err_console.print(f"[red]Requête invalide :[/] {escape(str(exc))}")
        raise typer.Exit(2)
    if as_json:
        for hit in result.hits:
            record = json.loads(hit.article.model_dump_json(exclude={"text"}))
            print(json.dumps({"score": hit.score, "snippet": hit.snippet, "article": record}, ensure_ascii=False))
        return
    _print_hits(config, result)


def _print_hits(config: Config, result) -> None:
    from veille.terminal import snippet_to_rich

    labels = {t.id: t.label for t in config.themes}
    console.print(f"{result.total} résultat(s)")
    for rank, hit in enumerate(result.hits, 1):
        article = hit.article
        date = article.published.strftime("%d/%m/%Y") if article.published else "date inconnue"
        themes = ", ".join(labels.get(t, t) for t in article.theme_ids) or "—"
        console.print(f"\n[bold]{rank}. {escape(article.title or article.url)}[/]")
        console.print(f"   {escape(article.source_name or article.source)} · {date} · {escape(themes)}")
        console.print("   ", snippet_to_rich(hit.snippet))
        console.print(f"   [dim]{escape(article.url)}[/]")


@app.command()
def enrich(
    file: Optional[Path] = typer.Argument(None, help="Fichier JSON lines (défaut : entrée standard)."),
    config_dir: Optional[Path] = ConfigOption,
):
    """Enrichir des articles JSON lines (url, title, text ou summary) et les écrire sur la sortie standard."""
    from veille.jsonl import read_articles
    from enrich import Enricher

    config = load(config_dir)
    stream = file.open(encoding="utf-8") if file else sys.stdin
    name = str(file) if file else "<stdin>"
    problems = []
    articles = list(read_articles(stream, name, problems.append))
    for problem in problems:
        err_console.print(f"[yellow]{escape(problem)}[/]")
    for article in Enricher(config).enrich(articles):
        sys.stdout.write(article.model_dump_json() + "\n")
    if problems and not articles:
        raise typer.Exit(1)


import veille.cli_ops  # noqa: E402,F401  (registers scheduler, refresh, status, coverage)
import veille.cli_web  # noqa: E402,F401  (registers serve, users, judgements)
import veille.cli_digest  # noqa: E402,F401  (registers digest, subscribers)
import veille.cli_enrich  # noqa: E402,F401  (registers eval, train, actors, reclassify)

from veille.cli_index import index_app; app.add_typer(index_app, name="index")  # noqa: E402,E702


def main() -> None:  # pragma: no cover
    app()
