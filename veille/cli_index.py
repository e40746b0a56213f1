"""`veille index status|rebuild`: the state of the configured index, and a rebuild
into the next version behind the Elasticsearch alias (searches answer throughout)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape

from veille.cli import ConfigOption, DemoOption, console, err_console, index_of, load, run_lock

index_app = typer.Typer(help="L'index de recherche : état, reconstruction.", no_args_is_help=True,
                        add_completion=False, rich_markup_mode=None)


@index_app.command()
def status(config_dir: Optional[Path] = ConfigOption, demo: bool = DemoOption,
           as_json: bool = typer.Option(False, "--json", help="Sortie JSON.")):
    """Moteur, emplacement et nombre d'articles de l'index."""
    config = load(config_dir, demo)
    with index_of(config) as index:
        if hasattr(index, "status"):
            info = {"backend": "elasticsearch", **index.status()}
        else:
            info = {"backend": "sqlite", "path": str(index.path), "documents": index.count()}
    if as_json:
        print(json.dumps(info, ensure_ascii=False))
        return
    for key, value in info.items():
        console.print(f"{key} : {escape(str(value))}")


@index_app.command()
def rebuild(config_dir: Optional[Path] = ConfigOption, demo: bool = DemoOption):
    """Reconstruire l'index Elasticsearch dans une nouvelle version, puis basculer l'alias."""
    from index.base import BackendUnavailable

    config = load(config_dir, demo)
    if config.settings.index.backend != "elasticsearch":
        err_console.print("[red]veille index rebuild ne concerne que le moteur elasticsearch[/] "
                          f"(settings.yaml : index.backend = {config.settings.index.backend})")
        raise typer.Exit(2)
    with run_lock(config, "veille index rebuild"), index_of(config) as index:
        try:
            old, new, report = index.rebuild()
        except BackendUnavailable as exc:
            err_console.print(f"[bold red]Index indisponible[/] — {escape(str(exc))}")
            raise typer.Exit(1)
    console.print(f"Index reconstruit : {report.indexed} article(s) copiés de {old} vers {new} ; "
                  f"l'alias {index.alias} désigne maintenant {new}.")
    for article_id, reason in report.failed:
        err_console.print(f"[yellow]non copié[/] {escape(article_id)} — {escape(reason)}")
    raise typer.Exit(1 if report.failed else 0)
