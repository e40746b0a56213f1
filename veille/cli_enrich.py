"""Commands of the enrichment: eval, train, actors, reclassify."""
from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer
from rich.markup import escape
from rich.table import Table

from veille.cli import ConfigOption, DemoOption, app, console, err_console, index_of, load, run_lock

LabelsOption = typer.Option(None, "--labels", help="Articles étiquetés, JSON lines (défaut : le jeu de développement).")


def _date(value: Optional[str], option: str) -> Optional[datetime]:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        err_console.print(f"[red]{option} : date invalide {escape(value)!s} (attendu : AAAA-MM-JJ)[/]")
        raise typer.Exit(2)


def _labelled(config, labels: Optional[Path]):
    from enrich.devset import DEFAULT_DEVSET, load_labels

    path = labels or DEFAULT_DEVSET
    if not path.is_file():
        err_console.print(f"[red]{escape(str(path))} : fichier d'articles étiquetés introuvable[/]")
        raise typer.Exit(2)
    items = load_labels(path, lambda m: err_console.print(f"[yellow]{escape(m)}[/]"), config)
    if not items:
        err_console.print(f"[red]{escape(str(path))} : aucun article étiqueté utilisable[/]")
        raise typer.Exit(2)
    return path, items


def _scores_row(name: str, scores) -> list[str]:
    m = scores.micro
    return [name, f"{m.precision:.3f}", f"{m.recall:.3f}", f"{m.f1:.3f}", f"{scores.macro_precision:.3f}",
            f"{scores.macro_recall:.3f}", f"{scores.macro_f1:.3f}", f"{scores.per_article:.2f} / {scores.gold_per_article:.2f}"]


def _print_report(title: str, report) -> None:
    table = Table(title=f"{title} — {report.articles} articles")
    for column in ("", "P micro", "R micro", "F1 micro", "P macro", "R macro", "F1 macro", "étiq./article prédit/attendu"):
        table.add_column(column, justify="right" if column else "left")
    table.add_row(*_scores_row("thèmes", report.themes))
    table.add_row(*_scores_row("marchés", report.markets))
    table.add_row(*_scores_row("acteurs (registre)", report.actors))
    console.print(table)
    t = report.transversal
    console.print(f"transversal : P {t.precision:.3f} R {t.recall:.3f} F1 {t.f1:.3f} "
                  f"(articles signalés : {report.transversal_rate:.0%})")


def _print_per_label(report) -> None:
    table = Table(title="Par étiquette")
    for column in ("type", "étiquette", "P", "R", "F1", "attendus"):
        table.add_column(column, justify="left" if column in ("type", "étiquette") else "right")
    for kind, scores in (("thème", report.themes), ("marché", report.markets)):
        for label, c in sorted(scores.per_label.items()):
            table.add_row(kind, label, f"{c.precision:.2f}", f"{c.recall:.2f}", f"{c.f1:.2f}", str(c.support))
    console.print(table)


def _as_dict(report) -> dict:
    def scores(s):
        return {"micro": {"precision": s.micro.precision, "recall": s.micro.recall, "f1": s.micro.f1},
                "macro": {"precision": s.macro_precision, "recall": s.macro_recall, "f1": s.macro_f1},
                "per_article": s.per_article, "gold_per_article": s.gold_per_article,
                "per_label": {k: {"precision": c.precision, "recall": c.recall, "f1": c.f1, "support": c.support}
                              for k, c in sorted(s.per_label.items())}}
    t = report.transversal
    return {"articles": report.articles, "themes": scores(report.themes), "markets": scores(report.markets),
            "actors": scores(report.actors), "transversal": {"precision": t.precision, "recall": t.recall,
                                                             "f1": t.f1, "rate": report.transversal_rate}}


@app.command("eval")
def eval_command(
    labels: Optional[Path] = LabelsOption,
    model: Optional[Path] = typer.Option(None, "--model", help="Modèle appris à comparer (défaut : celui du dossier de données)."),
    as_json: bool = typer.Option(False, "--json", help="Sortie JSON."),
    config_dir: Optional[Path] = ConfigOption,
):
    """Qualité de l'enrichissement sur des articles étiquetés : précision, rappel, F1 par étiquette et moyennes."""
    from enrich.devset import split
    from enrich.evaluate import run_eval
    from enrich.labeller import model_dir, read_meta

    config = load(config_dir)
    path, items = _labelled(config, labels)
    model = model or model_dir(config)
    report = run_eval(config, items, "rules")
    results = {"rules_all": report}
    _, held_out = split(items)
    if read_meta(model) and held_out:
        for mode in ("rules", "model", "combined"):
            results[f"{mode}_held_out"] = run_eval(config, held_out, mode, model)
    if as_json:
        print(json.dumps({k: _as_dict(v) for k, v in results.items()}, ensure_ascii=False, indent=2))
        return
    _print_report(f"Règles (thésaurus), tout {path.name}", report)
    _print_per_label(report)
    if len(results) > 1:
        table = Table(title=f"Partie réservée ({len(held_out)} articles) : règles, modèle, combinés — modèle {model}")
        for column in ("", "thèmes P", "R", "F1", "marchés P", "R", "F1"):
            table.add_column(column, justify="right" if column else "left")
        for mode, name in (("rules", "règles seules"), ("model", "modèle seul"), ("combined", "combinés")):
            r = results[f"{mode}_held_out"]
            table.add_row(name, *(f"{x:.3f}" for x in (r.themes.micro.precision, r.themes.micro.recall, r.themes.micro.f1,
                                                       r.markets.micro.precision, r.markets.micro.recall, r.markets.micro.f1)))
        console.print(table)
    else:
        console.print(f"[dim]Pas de modèle appris dans {escape(str(model))} : « veille train » pour comparer "
                      f"règles, modèle et combinés.[/]")


@app.command()
def train(
    labels: Optional[Path] = LabelsOption,
    judgements: Optional[Path] = typer.Option(None, "--judgements", help="Jugements des experts (défaut : DATA/judgements.jsonl)."),
    no_labels: bool = typer.Option(False, "--no-labels", help="N'apprendre que des jugements des experts."),
    epochs: int = typer.Option(20, "--epochs", min=1, max=200),
    out: Optional[Path] = typer.Option(None, "--out", help="Dossier du modèle (défaut : DATA/models/labels)."),
    config_dir: Optional[Path] = ConfigOption,
):
    """Apprendre le modèle de thèmes et marchés (spaCy textcat_multilabel) des étiquettes et jugements des experts."""
    from enrich.devset import split
    from enrich.labeller import model_dir
    from enrich.training import train as train_model

    config = load(config_dir)
    items = [] if no_labels else split(_labelled(config, labels)[1])[0]  # the held-out part stays for eval
    judgements = judgements or config.data_dir / "judgements.jsonl"
    target = out or model_dir(config)
    try:
        meta = train_model(config, items, judgements, target, epochs,
                           on_problem=lambda m: err_console.print(f"[yellow]{escape(m)}[/]"))
    except ValueError as exc:
        err_console.print(f"[red]{escape(str(exc))}[/]")
        raise typer.Exit(1)
    sources = meta["sources"]
    console.print(f"Modèle appris sur {meta['examples']} articles ({sources['labelled_articles']} étiquetés, "
                  f"{sources['judged_articles']} jugés), version {meta['version']} : {target}")
    console.print("Il sert aux prochains enrichissements ; « veille reclassify » ré-étiquette les articles déjà stockés.")


@app.command()
def actors(
    new: bool = typer.Option(False, "--new", help="Les organisations inconnues du registre (candidats)."),
    since: Optional[str] = typer.Option(None, "--since", help="Vus pour la première fois depuis AAAA-MM-JJ."),
    as_json: bool = typer.Option(False, "--json"),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Acteurs candidats : organisations citées qui ne sont pas dans actors.yaml, avec leur type deviné."""
    from enrich.candidates import CandidateStore

    if not new:
        err_console.print("[red]Préciser --new (les acteurs candidats)[/]")
        raise typer.Exit(2)
    config = load(config_dir, demo)
    known = [name for a in config.actors for name in (a.name, *a.aliases)]
    with CandidateStore(config.data_dir / "spool.sqlite") as store:
        found = store.new_since(_date(since, "--since"), known)
    if as_json:
        print(json.dumps([asdict(c) for c in found], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"Acteurs candidats ({len(found)})")
    for column in ("nom", "type deviné", "vu d'abord le", "articles", "premier article"):
        table.add_column(column)
    for c in found:
        table.add_row(escape(c.name), c.type, c.first_seen[:10], str(c.articles), escape(c.first_url))
    console.print(table)


@app.command()
def reclassify(
    since: Optional[str] = typer.Option(None, "--since", help="Seulement les articles publiés depuis AAAA-MM-JJ."),
    config_dir: Optional[Path] = ConfigOption,
    demo: bool = DemoOption,
):
    """Ré-enrichir les articles stockés (sans recollecte) avec le thésaurus, le registre et le modèle actuels, et mettre l'index à jour."""
    from enrich.reclassify import reclassify as run

    config = load(config_dir, demo)
    with run_lock(config, "veille reclassify"), index_of(config) as index:
        counts = run(config, index, _date(since, "--since"),
                     on_problem=lambda m: err_console.print(f"[yellow]{escape(m)}[/]"))
    console.print(f"Articles ré-enrichis : {counts['articles']} ; étiquettes changées : {counts['changed']} ; "
                  f"indexés : {counts['indexed']} ; échecs d'indexation : {counts['failed']} ; version : {counts['version']}")
    if counts["failed"]:
        raise typer.Exit(1)
