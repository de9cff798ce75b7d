"""The ``corridor`` command line: route, compare, scenarios, sensitivity, hubs, lines, maps."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from corridor._errors import CorridorError, DataError
from corridor.costs import CRITERIA
from corridor.io import load_network, validate_paths
from corridor.scenario import Scenario, load_scenarios, presets

app = typer.Typer(
    name="corridor",
    help="Route freight across the multimodal corridors out of Guizhou.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class Format(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    geojson = "geojson"


class By(StrEnum):
    generalized = "generalized"
    usd = "usd"
    hours = "hours"
    km = "km"
    co2 = "co2"


assert {b.value for b in By} == set(CRITERIA)

FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="output format")]
OutputOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="write to this file instead of the terminal")
]
ByOpt = Annotated[By, typer.Option("--by", help="what to minimise")]
ScenarioOpt = Annotated[
    str | None,
    typer.Option(
        "--scenario",
        "-s",
        help="a preset key (see `corridor scenarios --list`) or a JSON scenario file",
    ),
]


def _scenario(spec: str | None) -> Scenario | None:
    """A preset by key or name, or the single scenario of a JSON file."""
    if spec is None:
        return None
    found = presets().get(spec) or next((s for s in presets().values() if s.name == spec), None)
    if found is not None:
        return found
    path = Path(spec)
    if path.suffix.lower() == ".json" or path.exists():
        items = load_scenarios(path)
        if len(items) != 1:
            raise DataError(f"{path}: holds {len(items)} scenarios; --scenario takes a file of one")
        return items[0]
    raise DataError(f"no scenario preset or file {spec!r}; presets: {', '.join(presets())}")


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return ""
    if isinstance(v, float):
        if abs(v) >= 100:
            return f"{v:,.0f}"
        return f"{v:,.2f}" if abs(v) < 10 else f"{v:,.1f}"
    return str(v)


def _rich(df: pd.DataFrame, title: str | None = None) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold")
    table.add_column(str(df.index.name or ""), style="bold")
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col])
        table.add_column(str(col), justify="right" if numeric else "left", overflow="fold")
    for idx, row in df.iterrows():
        table.add_row(
            str(idx) if not isinstance(idx, tuple) else " / ".join(map(str, idx)), *map(_fmt, row)
        )
    return table


def _emit(
    df: pd.DataFrame,
    fmt: Format,
    output: Path | None,
    *,
    title: str | None = None,
    geojson: Callable[[], str] | None = None,
) -> None:
    """Print or write a table in the asked format."""
    if fmt is Format.table:
        if output is None:
            out.print(_rich(df, title))
            return
        with output.open("w", encoding="utf-8") as f:
            Console(file=f, width=250, highlight=False).print(_rich(df, title))
    else:
        if fmt is Format.json:
            text = df.reset_index().to_json(orient="records", force_ascii=False, indent=1)
        elif fmt is Format.csv:
            text = df.to_csv()
        else:
            if geojson is None:
                raise DataError(
                    "--format geojson is not available for this command; use table, json or csv"
                )
            text = geojson()
        if output is None:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        else:
            output.write_text(text, encoding="utf-8")
    if output is not None:
        err.print(f"wrote {output}")


def _split(values: list[str] | None) -> list[str]:
    """Options given repeatedly or comma-separated."""
    out_: list[str] = []
    for v in values or []:
        out_.extend(x.strip() for x in v.split(",") if x.strip())
    return out_


@app.command()
def route(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    by: ByOpt = By.generalized,
    via: Annotated[list[str] | None, typer.Option(help="hubs to pass, in order")] = None,
    avoid: Annotated[list[str] | None, typer.Option(help="hubs or lines not to use")] = None,
    modes: Annotated[
        list[str] | None,
        typer.Option(help="only these modes (rail, road, sea, inland_waterway, air)"),
    ] = None,
    scenario: ScenarioOpt = None,
    depart: Annotated[
        str | None,
        typer.Option(
            help="leave then (ISO 8601, e.g. 2026-12-01T08:00): earliest arrival over the "
            "published departure days; --by must then be hours (the default with --depart)"
        ),
    ] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """The best route between two hubs, leg by leg (waits for departures included)."""
    from corridor.routing import parse_depart
    from corridor.routing import route as best

    net = load_network()
    start = parse_depart(depart) if depart is not None else None
    r = best(
        net,
        origin,
        destination,
        by=None if start is not None and by is By.generalized else by.value,
        via=_split(via),
        avoid=_split(avoid),
        modes=_split(modes) or None,
        scenario=_scenario(scenario),
        depart=start,
    )
    legs = r.legs.copy()
    legs.index = pd.RangeIndex(1, len(legs) + 1, name="leg")
    if fmt is Format.json:
        doc = {
            "origin": r.origin,
            "destination": r.destination,
            "by": r.by,
            "total_usd": r.total_usd,
            "total_hours": r.total_hours,
            "total_days": r.total_days,
            "total_km": r.total_km,
            "total_co2_kg": r.total_co2_kg,
            "total_generalized": r.total_generalized,
            "wait_hours": r.wait_hours,
            "departure": r.departure.isoformat() if r.departure else None,
            "arrival": r.arrival.isoformat() if r.arrival else None,
            "transfers": r.transfers,
            "border_crossings": r.border_crossings,
            "hubs": list(r.hubs),
            "services": list(r.services),
            "legs": json.loads(r.legs.to_json(orient="records", force_ascii=False)),
        }
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        if output is None:
            sys.stdout.write(text + "\n")
        else:
            output.write_text(text, encoding="utf-8")
            err.print(f"wrote {output}")
        return
    if fmt is Format.table and output is None:
        out.print(f"[bold]{r._summary()}[/bold]")
        if r.departure is not None and r.arrival is not None:
            out.print(
                f"leaves {r.departure:%a %Y-%m-%d %H:%M}, arrives {r.arrival:%a %Y-%m-%d %H:%M}"
            )
    _emit(
        legs,
        fmt,
        output,
        title=None if output is None else r._summary(),
        geojson=lambda: r.to_geodataframe().to_json(na="null", ensure_ascii=False),
    )


def _comparison_geojson(results: dict[str, Any]) -> str:
    import geopandas as gpd

    frames = []
    for key, res in results.items():
        if res.route is not None:
            g = res.route.to_geodataframe()
            g.insert(0, "corridor", key)
            frames.append(g)
    merged = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
    return str(merged.to_json(na="null", ensure_ascii=False))


_SHOW = [
    "name", "usd", "days", "wait_days", "km", "co2_kg", "generalized", "transfers", "borders",
    "route",
]  # fmt: skip


def _leg_runs(legs: pd.DataFrame) -> pd.DataFrame:
    """A route's legs in brief: each run of one service (or mode) as one ride, and every
    wait, transfer, border and port process on its own line."""
    riding = legs["kind"] == "link"
    key = legs["kind"] + "|" + legs["service"].fillna("") + "|" + legs["mode"]
    run = ((key != key.shift()) | ~riding).cumsum()
    brief = (
        legs.assign(run=run)
        .groupby("run")
        .agg(
            leg=("kind", "first"),
            from_=("from", "first"),
            to=("to", "last"),
            what=("line", "first"),
            mode=("mode", "first"),
            service=("service", "first"),
            hours=("hours", "sum"),
            wait_hours=("wait_hours", "sum"),
            usd=("usd", "sum"),
        )
    )
    brief["leg"] = brief["leg"].replace({"link": "ride"})
    rides = brief["leg"] == "ride"
    brief.loc[rides, "what"] = brief["service"].where(
        brief["service"] != "", brief["mode"].str.replace("_", " ") + " (no listed service)"
    )
    brief.loc[rides & (brief["mode"] == "road"), "what"] = "road"
    brief = brief.drop(columns=["service", "mode"]).rename(columns={"from_": "from"})
    brief = brief.reset_index(drop=True)
    brief.index = pd.RangeIndex(1, len(brief) + 1, name="#")
    return brief


def _brief(df: pd.DataFrame) -> pd.DataFrame:
    """The comparison as a terminal table: the path, or why there is none."""
    brief = df.rename(columns={"border_crossings": "borders"}).copy()
    brief["wait_days"] = brief["wait_hours"] / 24
    brief["route"] = [
        p if s == "ok" else f"{s}: {r}"
        for p, s, r in zip(df["path"], df["status"], df["reason"], strict=True)
    ]
    brief.index.name = "corridor"
    return brief[_SHOW]


@app.command()
def compare(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    by: ByOpt = By.generalized,
    corridors: Annotated[list[str] | None, typer.Option(help="corridor ids (default: all)")] = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Compare the corridors between two hubs: USD, days, km, CO2 per TEU."""
    from corridor.compare import corridor_routes, table

    net = load_network()
    results = corridor_routes(
        net,
        origin,
        destination,
        by=by.value,
        corridors=_split(corridors) or None,
        scenario=_scenario(scenario),
    )
    df = table(results, by.value)
    o, d = net.hub(origin).name, net.hub(destination).name
    shown = _brief(df) if fmt is Format.table else df
    _emit(
        shown,
        fmt,
        output,
        title=f"{o} → {d}, per TEU, sorted by {by.value}",
        geojson=lambda: _comparison_geojson(results),
    )


@app.command()
def scenarios(
    origin: Annotated[str | None, typer.Argument(help="hub id, name or alias")] = None,
    destination: Annotated[str | None, typer.Argument(help="hub id, name or alias")] = None,
    scenario: Annotated[
        list[str] | None,
        typer.Option("--scenario", "-s", help="preset keys or JSON files (default: all presets)"),
    ] = None,
    by: ByOpt = By.generalized,
    corridors: Annotated[list[str] | None, typer.Option(help="corridor ids (default: all)")] = None,
    list_: Annotated[bool, typer.Option("--list", help="list the presets and exit")] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """What changes under each scenario: every corridor against the baseline."""
    if list_:
        df = pd.DataFrame(
            [{"key": k, "name": s.name, "description": s.description} for k, s in presets().items()]
        ).set_index("key")
        _emit(df, fmt, output, title="Scenario presets")
        return
    if origin is None or destination is None:
        raise DataError("scenarios needs ORIGIN and DESTINATION (or --list)")
    from corridor.compare import compare_scenarios

    chosen: list[Scenario] = []
    for spec in _split(scenario) or list(presets()):
        p = Path(spec)
        if spec not in presets() and (p.suffix.lower() == ".json" or p.exists()):
            chosen.extend(load_scenarios(p))
        else:
            s = _scenario(spec)
            assert s is not None
            chosen.append(s)
    net = load_network()
    df = compare_scenarios(
        net, origin, destination, chosen, by=by.value, corridors=_split(corridors) or None
    )
    if fmt is Format.table:
        df = df[df["status"] == "ok"][
            [
                "usd",
                "days",
                "co2_kg",
                "generalized",
                "d_usd",
                "d_days",
                "d_co2_kg",
                "d_generalized",
                "lines",
            ]
        ]
    _emit(
        df,
        fmt,
        output,
        title=f"{net.hub(origin).name} → {net.hub(destination).name}: against the baseline",
    )


def _vary(specs: list[str] | None) -> dict[str, tuple[float, float]] | None:
    """``KEY=LOW:HIGH`` options to a vary mapping (None: the defaults)."""
    if not specs:
        return None
    out_: dict[str, tuple[float, float]] = {}
    for spec in specs:
        key, sep, rng = spec.partition("=")
        lo, sep2, hi = rng.partition(":")
        try:
            if not sep or not sep2:
                raise ValueError
            out_[key.strip()] = (float(lo), float(hi))
        except ValueError:
            raise DataError(
                f"--vary {spec!r}: expected KEY=LOW:HIGH, e.g. tariff.rail=0.14:0.56"
            ) from None
    return out_


@app.command()
def sensitivity(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    samples: Annotated[int, typer.Option(min=1, help="number of draws")] = 10_000,
    seed: Annotated[int | None, typer.Option(help="random seed (same seed, same result)")] = None,
    vary: Annotated[
        list[str] | None,
        typer.Option(help="KEY=LOW:HIGH, repeatable (default: the sourced ranges)"),
    ] = None,
    by: ByOpt = By.generalized,
    corridors: Annotated[list[str] | None, typer.Option(help="corridor ids (default: all)")] = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """How often each corridor wins when tariffs, time value, border times and carbon price vary."""
    from corridor.sensitivity import sensitivity as run

    net = load_network()
    res = run(
        net,
        origin,
        destination,
        samples=samples,
        seed=seed,
        vary=_vary(vary),
        by=by.value,
        corridors=_split(corridors) or None,
        scenario=_scenario(scenario),
    )
    df = res.summary
    if fmt is Format.table:
        df = df[
            [
                "status",
                "win_share",
                "usd_p10",
                "usd_p50",
                "usd_p90",
                "days_p50",
                "co2_kg_p50",
                "generalized_p50",
            ]
        ]
    _emit(
        df,
        fmt,
        output,
        title=f"{net.hub(origin).name} → {net.hub(destination).name}: {samples:,} samples, "
        f"best by {by.value}" + (f", seed {seed}" if seed is not None else ""),
    )


@app.command()
def hubs(
    country: Annotated[list[str] | None, typer.Option(help="ISO 3166 alpha-3 codes")] = None,
    kind: Annotated[list[str] | None, typer.Option(help="hub kinds")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """List the hubs."""
    net = load_network()
    nodes = net.nodes
    if country:
        nodes = nodes[nodes["country"].isin([c.upper() for c in _split(country)])]
    if kind:
        nodes = nodes[nodes["kind"].isin(_split(kind))]
    if nodes.empty:
        raise DataError("no hub matches the filters")
    df = pd.DataFrame(nodes.drop(columns="geometry"))
    df["modes"] = df["modes"].map(", ".join)
    df["aliases"] = df["aliases"].map("; ".join)
    df.insert(3, "lon", nodes.geometry.x.round(4))
    df.insert(4, "lat", nodes.geometry.y.round(4))
    df = df.drop(columns="id").rename_axis("id")
    shown = (
        df[["name", "name_zh", "kind", "country", "modes", "lon", "lat"]]
        if fmt is Format.table
        else df
    )
    _emit(
        shown,
        fmt,
        output,
        title=f"{len(df)} hubs",
        geojson=lambda: nodes.to_json(na="null", ensure_ascii=False),
    )


@app.command()
def lines(
    mode: Annotated[list[str] | None, typer.Option(help="only these modes")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """List the lines: links grouped by line name, with their km and status."""
    net = load_network()
    edges = net.edges
    if mode:
        edges = edges[edges["mode"].isin(_split(mode))]
    if edges.empty:
        raise DataError("no line matches the filters")
    grouped = (
        edges.groupby(["line", "mode"])
        .agg(
            links=("id", "size"),
            km=("length_km", "sum"),
            status=("status", lambda s: ", ".join(sorted(set(s)))),
            corridors=("corridors", lambda c: ", ".join(sorted({t for tags in c for t in tags}))),
        )
        .reset_index()
        .set_index("line")
        .sort_values(["mode", "km"], ascending=[True, False])
    )
    _emit(
        grouped,
        fmt,
        output,
        title=f"{len(grouped)} lines",
        geojson=lambda: edges.to_json(na="null", ensure_ascii=False),
    )


@app.command()
def services(
    mode: Annotated[list[str] | None, typer.Option(help="only these modes")] = None,
    hub: Annotated[str | None, typer.Option(help="only services calling at this hub")] = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """List the scheduled services: stops, departures a week, transit, source."""
    net = load_network()
    s = net.services
    if mode:
        s = s[s["mode"].isin(_split(mode))]
    if hub is not None:
        h = net.hub_id(hub)
        s = s[s["stops"].map(lambda stops: h in stops)]
    if s.empty:
        raise DataError("no service matches the filters")
    names = net._nodes["name"]
    df = pd.DataFrame(
        {
            "name": s["name"],
            "mode": s["mode"],
            "stops": s["stops"].map(lambda x: " – ".join(str(names[h]) for h in x)),
            "per_week": s["departures_per_week"].round(2),
            "days": s["weekdays"].map(" ".join),
            "transit_h": s["transit_hours"],
            "km": s["km"].round(0),
            "both_ways": s["bidirectional"],
            "status": s["status"],
            "source": s["source"],
        }
    ).rename_axis("id")
    shown = df.drop(columns=["source", "stops"]) if fmt is Format.table else df
    _emit(shown, fmt, output, title=f"{len(df)} services")


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="GeoJSON (or other vector) files of hubs and/or links, "
            "or folders holding nodes.geojson and edges.geojson."
        ),
    ] = None,
    published: Annotated[
        bool,
        typer.Option(
            "--published",
            help="run the model on every published figure in data/validation.csv and print "
            "model against published (exit 1 if under 90% of the independent ones are in range)",
        ),
    ] = False,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Check network files against the schema, or the model against published figures."""
    if published:
        from corridor.validation import summary, validate_published

        v = validate_published(load_network())
        shown = pd.DataFrame(
            {
                "pair": v["origin"] + " → " + v["destination"],
                "by": [c or "+".join(m) for c, m in zip(v["corridor"], v["modes"], strict=True)],
                "metric": v["metric"],
                "model": v["model"].round(1),
                "published": v["published"],
                "range": [f"{lo:g}–{hi:g}" for lo, hi in zip(v["low"], v["high"], strict=True)],
                "ok": v["in_range"].map({True: "yes", False: "NO"}),
                "calibrated": v["calibrated"].map({True: "yes", False: ""}),
            },
            index=v.index,
        )
        _emit(shown, fmt, output, title="The model against published figures")
        line = summary(v)
        (out if fmt is Format.table and output is None else err).print(line)
        independent = v[~v["calibrated"]]
        if independent["in_range"].mean() < 0.9:
            raise typer.Exit(1)
        return
    if not paths:
        raise DataError("give network files or folders to check, or --published")
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
    out.print(_rich(s.hubs_by_kind.to_frame(), "Hubs by kind"))
    out.print(_rich(s.hubs_by_country.to_frame(), "Hubs by country"))
    out.print(_rich(s.links_by_mode, "Links by mode (km counted once per link)"))
    out.print(_rich(s.corridors, "Corridors (a link may serve several)"))


@app.command()
def report(
    origin: Annotated[str, typer.Option(help="where the containers start")] = "Guiyang",
    to: Annotated[
        list[str] | None, typer.Option(help="destinations (default: Singapore, Duisburg, Shenzhen)")
    ] = None,
    by: ByOpt = By.generalized,
    map_: Annotated[Path, typer.Option("--map", help="PNG map of the winning routes")] = Path(
        "corridors.png"
    ),
    scenario: ScenarioOpt = None,
) -> None:
    """The main job: compare the corridors to each destination and map the winners."""
    import matplotlib

    matplotlib.use("Agg")
    from corridor.compare import corridor_routes, table
    from corridor.plot import plot_routes

    net = load_network()
    dests = _split(to) or ["Singapore", "Duisburg", "Shenzhen"]
    scn = _scenario(scenario)
    winners, labels = [], []
    for d in dests:
        results = corridor_routes(net, origin, d, by=by.value, scenario=scn)
        df = table(results, by.value)
        o_name, d_name = net.hub(origin).name, net.hub(d).name
        out.print(
            _rich(
                _brief(df),
                f"{o_name} → {d_name}: corridors per TEU, sorted by {by.value}"
                + (f" — scenario: {scn.name}" if scn else ""),
            )
        )
        served = df[(df["status"] == "ok") & (df.index != "best")]
        if not served.empty:
            key = served.index[0]
            best = results[key].route
            assert best is not None
            winners.append(best)
            brief = _leg_runs(best.legs)
            out.print(
                _rich(brief, f"{served.loc[key, 'name']}: legs, waits for departures included")
            )
            labels.append(
                f"{d_name}: {served.loc[key, 'name']} "
                f"({served.loc[key, 'days']:.1f} d, USD {served.loc[key, 'usd']:,.0f})"
            )
    if not winners:
        raise DataError("no corridor serves any of the destinations; no map written")
    fig, _ = plot_routes(
        winners, labels=labels, title=f"Best corridor by {by.value} from {net.hub(origin).name}"
    )
    fig.savefig(map_, dpi=150)
    err.print(f"wrote {map_}")


def _routes_out(routes: list[Any], fmt: Format, output: Path | None, title: str) -> None:
    from corridor.tradeoffs import front_table

    df = front_table(routes)
    if fmt is Format.table:
        df = df[["usd", "days", "km", "co2_kg", "generalized", "transfers", "path"]]

    def geojson() -> str:
        import geopandas as gpd

        frames = []
        for i, r in enumerate(routes, start=1):
            g = r.to_geodataframe()
            g.insert(0, "route", i)
            frames.append(g)
        merged = gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")
        return str(merged.to_json(na="null", ensure_ascii=False))

    _emit(df, fmt, output, title=title, geojson=geojson)


@app.command()
def pareto(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    criteria: Annotated[
        list[str] | None, typer.Option(help="two or three of usd, hours, co2, km, generalized")
    ] = None,
    max_routes: Annotated[
        int | None, typer.Option(min=1, help="at most this many, spread along the front")
    ] = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """The Pareto front: every route no other beats on all the criteria at once."""
    from corridor.tradeoffs import pareto as front

    crit = _split(criteria) or ["usd", "hours"]
    net = load_network()
    routes = front(
        net,
        origin,
        destination,
        criteria=crit,
        max_routes=max_routes,
        scenario=_scenario(scenario),
    )
    title = (
        f"{net.hub(origin).name} → {net.hub(destination).name}: Pareto front over {', '.join(crit)}"
    )
    _routes_out(routes, fmt, output, title)


@app.command()
def alternatives(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    n: Annotated[int, typer.Option("-n", "--n", min=1, help="how many routes")] = 3,
    max_overlap: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="largest share of a route's km it may share")
    ] = 0.5,
    by: ByOpt = By.generalized,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Good routes that differ: each shares at most --max-overlap of its km with the others."""
    from corridor.tradeoffs import alternatives as alts

    net = load_network()
    routes = alts(
        net,
        origin,
        destination,
        n=n,
        max_overlap=max_overlap,
        by=by.value,
        scenario=_scenario(scenario),
    )
    o, d = net.hub(origin).name, net.hub(destination).name
    title = f"{o} → {d}: {len(routes)} alternatives by {by.value}"
    _routes_out(routes, fmt, output, title)


@app.command()
def sweep(
    scenarios: Annotated[
        str, typer.Option(help="JSON scenario file, or 'presets' (with a baseline)")
    ],
    pairs: Annotated[
        str,
        typer.Option(help="CSV file with origin,destination columns, or 'all' (every hub pair)"),
    ],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="results .parquet or .csv")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (default: run locally)")
    ] = None,
    by: ByOpt = By.generalized,
    chunk: Annotated[int | None, typer.Option(min=1, help="scenarios per Dask task")] = None,
) -> None:
    """Every scenario x every pair: usd, hours, km, CO2 and corridor used, locally or on Dask."""
    import time

    from corridor.sweep import sweep as run

    if output is not None and output.suffix.lower() not in (".parquet", ".csv"):
        raise DataError(f"--output {output}: use a .parquet or .csv file")
    if scenarios == "presets":
        chosen = [Scenario("baseline"), *presets().values()]
    else:
        chosen = load_scenarios(Path(scenarios))
    if pairs == "all":
        pair_arg: Any = "all"
    else:
        path = Path(pairs)
        try:
            pair_arg = pd.read_csv(path, dtype=str)
        except FileNotFoundError:
            raise DataError(f"{path}: file not found") from None
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise DataError(f"{path}: not a CSV of origin,destination pairs: {exc}") from None
    net = load_network()
    t0 = time.perf_counter()
    df = run(net, chosen, pair_arg, by=by.value, client=scheduler, chunk=chunk)
    took = time.perf_counter() - t0
    failed = df[df["status"] == "failed"].drop_duplicates("scenario")
    for _, row in failed.iterrows():
        err.print(f"warning: {row['error']}")
    if output is not None:
        if output.suffix.lower() == ".parquet":
            try:
                df.to_parquet(output, index=False)
            except ImportError:
                raise DataError(
                    "writing .parquet needs pyarrow: pip install 'corridor[dask]'"
                ) from None
        else:
            df.to_csv(output, index=False)
        err.print(f"wrote {output}")
    counts = df.groupby(["scenario", "status"], observed=True).size().unstack(fill_value=0)
    out.print(_rich(counts, f"{len(df):,} routes, {len(chosen)} scenarios in {took:.1f} s"))
    if len(failed) == len(chosen):
        raise typer.Exit(1)


@app.command("map")
def map_(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="route.png (static map) or route.html (interactive)"),
    ],
    by: ByOpt = By.generalized,
    top: Annotated[
        int, typer.Option(min=1, max=8, help="how many corridors to draw, best first")
    ] = 4,
    corridors: Annotated[list[str] | None, typer.Option(help="corridor ids (default: all)")] = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Map the best corridors between two hubs to a PNG or an interactive HTML page."""
    from corridor.compare import corridor_routes, table

    suffix = output.suffix.lower()
    if suffix not in (".png", ".html", ".htm", ".svg", ".pdf"):
        raise DataError(f"--output {output}: use a .png, .svg, .pdf or .html file")
    net = load_network()
    scn = _scenario(scenario)
    results = corridor_routes(
        net, origin, destination, by=by.value, corridors=_split(corridors) or None, scenario=scn
    )
    df = table(results, by.value)
    served = df[(df["status"] == "ok") & (df.index != "best")].head(top)
    if served.empty:
        raise DataError(f"no corridor serves {origin} → {destination}; nothing to map")
    routes = [results[k].route for k in served.index]
    labels = [
        f"{row['name']}: {row['days']:.1f} d, USD {row['usd']:,.0f}" for _, row in served.iterrows()
    ]
    title = (
        f"{net.hub(origin).name} → {net.hub(destination).name}, best {len(routes)} by {by.value}"
        + (f" ({scn.name})" if scn else "")
    )
    if suffix in (".html", ".htm"):
        from corridor.interactive import explore

        explore([r for r in routes if r is not None], labels=labels).save(str(output))
    else:
        import matplotlib

        matplotlib.use("Agg")
        from corridor.plot import plot_routes

        fig, _ = plot_routes([r for r in routes if r is not None], labels=labels, title=title)
        fig.savefig(output, dpi=150)
    err.print(f"wrote {output}")


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


__all__ = ["app", "main"]
