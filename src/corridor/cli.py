"""The ``corridor`` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from corridor._errors import CorridorError, DataError, Problem
from corridor.io import load_network, validate_paths

app = typer.Typer(
    name="corridor",
    help="Route freight across the multimodal corridors out of Guizhou.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _table(df: pd.DataFrame, title: str, index_name: str | None = None) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(index_name or str(df.index.name or ""), style="bold")
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col])
        table.add_column(str(col), justify="right" if numeric else "left")
    for idx, row in df.iterrows():
        cells = []
        for v in row:
            if isinstance(v, float):
                cells.append(f"{v:,.0f}")
            else:
                cells.append(str(v))
        table.add_row(str(idx), *cells)
    return table


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="GeoJSON (or other vector) files of hubs and/or links, or folders holding "
            "nodes.geojson and edges.geojson.",
        ),
    ],
) -> None:
    """Check network files against the schema; print every problem, exit 1 on any."""
    problems, checked = validate_paths(paths)
    for note in checked:
        out.print(note)
    for p in problems:
        out.print(f"[red]error[/red] {p}")
    if problems:
        err.print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found")
        raise typer.Exit(1)
    out.print("[green]ok[/green]: no problems found")


@app.command()
def summary(
    nodes: Annotated[Path | None, typer.Option(help="hubs file (default: bundled)")] = None,
    edges: Annotated[Path | None, typer.Option(help="links file (default: bundled)")] = None,
) -> None:
    """Summarise the network: hubs by kind, links and km by mode and by corridor."""
    net = load_network(nodes, edges)
    s = net.summary()
    out.print(f"[bold]{s.n_hubs} hubs, {s.n_links} links[/bold]")
    out.print(_table(s.hubs_by_kind.to_frame(), "Hubs by kind", "kind"))
    out.print(_table(s.hubs_by_country.to_frame(), "Hubs by country", "country"))
    out.print(_table(s.links_by_mode, "Links by mode (km counted once per link)", "mode"))
    out.print(_table(s.corridors, "Corridors (a link may serve several)", "corridor"))


def main() -> None:
    """Entry point: run the app, turning library errors into clear lines and exit code 1."""
    try:
        app()
    except DataError as exc:
        for line in [str(p) for p in exc.problems] or [str(exc)]:
            err.print(f"error: {line}")
        raise SystemExit(1) from None
    except CorridorError as exc:
        err.print(f"error: {exc}")
        raise SystemExit(1) from None


__all__ = ["Problem", "app", "main"]
