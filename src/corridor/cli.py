"""The ``corridor`` command line: route, compare, scenarios, sensitivity, hubs, lines, maps.

Every bad input or fault ends in one line ``error: …`` on stderr and exit code 1 (usage
errors, as Click reports them, exit 2); nothing from data or the user is read as Rich
markup, and output that the terminal's encoding cannot hold is replaced, not fatal. Set
``CORRIDOR_DEBUG=1`` to see the traceback of an unexpected error.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from corridor._checks import check_int, check_number, check_seed
from corridor._checks import shown as _shown
from corridor._errors import CorridorError, DataError, NodeNotFound, Problem
from corridor.costs import CRITERIA
from corridor.io import load_network, validate_paths
from corridor.scenario import Scenario, load_scenarios, presets

#: longest error line printed (a megabyte of input never becomes a megabyte of message)
MAX_LINE_CHARS = 1_000
#: most problems of one DataError printed, one line each
MAX_PROBLEM_LINES = 20
#: largest scenario or pairs file read (they are small; a device or a huge file is a mistake)
MAX_INPUT_BYTES = 64 * 2**20
#: bounds of numeric options
MAX_SAMPLES = 1_000_000
MAX_ROUTES = 1_000
MAX_TIMEOUT_S = 24 * 3600.0

# control characters (terminal escapes among them) and bidirectional overrides: shown
# escaped, never sent to the terminal as they are; tab and newline are kept
_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _clean(text: object) -> str:
    r"""``str(text)`` with control characters and bidi overrides escaped.

    Examples
    --------
    >>> _clean("a\x1b[31mb")
    'a\\x1b[31mb'
    """
    return _UNSAFE.sub(
        lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}",
        str(text),
    )


def _one_line(message: object) -> str:
    """A message as one printable line, cut to :data:`MAX_LINE_CHARS`."""
    line = " ".join(_clean(message).split())
    if len(line) > MAX_LINE_CHARS:
        line = line[: MAX_LINE_CHARS - 1] + f"… ({len(line):,} characters)"
    return line


def _p(path: object) -> str:
    """A path for a message: as typed when short, else shortened."""
    text = str(path)
    return text if len(text) <= 120 else _shown(text, 120)


def _stderr(line: str) -> None:
    """One line on stderr, written as is (never through Rich markup)."""
    try:
        sys.stderr.write(_one_line(line) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # stderr closed or gone: nothing left to tell
        pass


def _console(**kwargs: Any) -> Console:
    """A Rich console that prints text literally: no markup, emoji codes or highlighting."""
    return Console(highlight=False, markup=False, emoji=False, **kwargs)


def _text(value: object, style: str = "") -> Text:
    """Data or user input for Rich: a Text object, control characters escaped."""
    return Text(_clean(value), style=style)


class _GuardedGroup(TyperGroup):
    """The command group, run so that every failure ends in one line on stderr (also under
    Click's ``CliRunner``, which calls :meth:`main` directly)."""

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        parent = super().main

        def run() -> Any:
            return parent(
                args=args,
                prog_name=prog_name,
                complete_var=complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )

        code = _guarded(run)
        if standalone_mode:
            sys.exit(code)
        return code


app = typer.Typer(
    name="corridor",
    cls=_GuardedGroup,
    help="Route freight across the multimodal corridors out of Guizhou.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = _console(width=None if sys.stdout is not None and sys.stdout.isatty() else 200)
err = _console(stderr=True, soft_wrap=True)


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

# ------------------------------------------------------------------ checked inputs and outputs


def _exists(path: Path) -> bool:
    """``path.exists()``, False for a name the OS refuses (too long, say)."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def _check_output(path: Path, option: str, suffixes: Sequence[str] = ()) -> Path:
    """``path`` if a file can be written there: before any work, not after it."""
    where = f"{option} {_p(path)}"
    if suffixes and path.suffix.lower() not in suffixes:
        listed = (
            ", ".join(suffixes[:-1]) + f" or {suffixes[-1]}" if len(suffixes) > 1 else suffixes[0]
        )
        raise DataError(f"{where}: use a {listed} file")
    try:
        if path.is_dir():
            raise DataError(f"{where}: is a directory; give a file name")
        parent = path.parent
        if not parent.exists():
            raise DataError(f"{where}: folder {_p(parent)} does not exist")
        if not parent.is_dir():
            raise DataError(f"{where}: {_p(parent)} is not a folder")
        if path.exists():
            if not os.access(path, os.W_OK):
                raise DataError(f"{where}: no permission to write this file")
        elif not os.access(parent, os.W_OK | os.X_OK):
            raise DataError(f"{where}: no permission to write in folder {_p(parent)}")
    except (OSError, ValueError) as exc:  # too long a name; a NUL character
        if isinstance(exc, DataError):
            raise
        raise DataError(f"{where}: {getattr(exc, 'strerror', None) or exc}") from None
    return path


def _output_option(
    option: str, suffixes: Sequence[str] = ()
) -> Callable[[Path | None], Path | None]:
    """A Typer callback checking an output path while the options are parsed."""

    def check(value: Path | None) -> Path | None:
        return None if value is None else _check_output(value, option, suffixes)

    return check


def _write_text(path: Path, text: str, option: str = "--output") -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{option} {_p(path)}: cannot write: {exc.strerror or exc}") from None


def _check_input(path: Path, option: str, what: str) -> Path:
    """``path`` if it is a readable regular file of a sensible size."""
    where = f"{option} {_p(path)}"
    try:
        if path.is_dir():
            raise DataError(f"{where}: is a directory, not {what}")
        if not path.exists():
            raise DataError(f"{where}: file not found")
        if not path.is_file():
            raise DataError(f"{where}: not a regular file")
        size = path.stat().st_size
        if not os.access(path, os.R_OK):
            raise DataError(f"{where}: no permission to read this file")
    except (OSError, ValueError) as exc:  # too long a name; a NUL character
        if isinstance(exc, DataError):
            raise
        raise DataError(f"{where}: {getattr(exc, 'strerror', None) or exc}") from None
    if size > MAX_INPUT_BYTES:
        raise DataError(
            f"{where}: {size:,} bytes is too large for {what} (at most {MAX_INPUT_BYTES:,})"
        )
    return path


def _read_scenarios(path: Path, option: str) -> list[Scenario]:
    """Every scenario of a JSON file, any failure named by option and file."""
    _check_input(path, option, "a JSON scenario file")
    where = f"{option} {_p(path)}"
    try:
        return load_scenarios(path)
    except DataError as exc:
        if exc.problems or not str(exc).startswith(str(path)):
            raise
        raise DataError(f"{option} {exc}") from None  # the file named, and how it was given
    except RecursionError:
        raise DataError(f"{where}: JSON nested too deeply to read") from None
    except (OSError, UnicodeError) as exc:
        raise DataError(f"{where}: cannot read: {_fault(exc)}") from None


def _scenario(spec: str | None, option: str = "--scenario") -> Scenario | None:
    """A preset by key or name, or the single scenario of a JSON file."""
    if spec is None:
        return None
    found = presets().get(spec) or next((s for s in presets().values() if s.name == spec), None)
    if found is not None:
        return found
    path = Path(spec)
    if path.suffix.lower() == ".json" or _exists(path):
        items = _read_scenarios(path, option)
        if len(items) != 1:
            raise DataError(
                f"{option} {_p(path)}: holds {len(items)} scenarios; {option} takes a file of one"
            )
        return items[0]
    raise DataError(f"no scenario preset or file {_shown(spec)}; presets: {', '.join(presets())}")


def _read_pairs(spec: str, net: Any, option: str = "--pairs") -> Any:
    """``"all"``, or the pairs of a CSV file as hub ids, each bad cell named by row and
    column."""
    if spec == "all":
        return "all"
    path = _check_input(Path(spec), option, "a CSV file of origin,destination pairs")
    where = f"{option} {_p(path)}"
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeError) as exc:
        raise DataError(
            f"{where}: not a CSV of origin,destination pairs: {_one_line(exc)}"
        ) from None
    except OSError as exc:
        raise DataError(f"{where}: cannot read: {_fault(exc)}") from None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in ("origin", "destination") if c not in df.columns]
    if missing:
        found = ", ".join(_shown(c, 30) for c in df.columns[:10])
        raise DataError(
            f"{where}: needs columns origin and destination; lacks {', '.join(missing)} "
            f"(found: {found})"
        )
    if df.empty:
        raise DataError(f"{where}: no pairs (a header but no rows)")
    ids: dict[str, str] = {}
    resolved: dict[str, list[str]] = {"origin": [], "destination": []}
    for i, (o, d) in enumerate(zip(df["origin"], df["destination"], strict=True), start=1):
        for column, value in (("origin", o), ("destination", d)):
            name = str(value).strip()
            if not name:
                raise DataError(f"{where}: row {i}, column {column!r}: empty cell")
            if name not in ids:
                try:
                    ids[name] = net.hub_id(name)
                except NodeNotFound as exc:
                    raise DataError(f"{where}: row {i}, column {column!r}: {exc}") from None
            resolved[column].append(ids[name])
    return pd.DataFrame(resolved)


def _same_hub(net: Any, origin: str, destination: str, what: str) -> None:
    if net.hub_id(origin) == net.hub_id(destination):
        raise DataError(f"origin and destination are the same hub ({net.hub(origin).name}); {what}")


def _map_suffixes() -> tuple[str, ...]:
    """The image formats Matplotlib writes (png, svg, pdf, ...)."""
    from matplotlib.backend_bases import FigureCanvasBase

    return tuple(sorted(f".{ext}" for ext in FigureCanvasBase.get_supported_filetypes()))


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="output format")]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="write to this file instead of the terminal",
        callback=_output_option("--output"),
    ),
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


# ------------------------------------------------------------------------------ tables


def _fmt(v: Any) -> str:
    if v is None or (isinstance(v, float) and pd.isna(v)) or v is pd.NA:
        return ""
    if isinstance(v, float):
        if abs(v) >= 100:
            return f"{v:,.0f}"
        return f"{v:,.2f}" if abs(v) < 10 else f"{v:,.1f}"
    return str(v)


def _rich(df: pd.DataFrame, title: str | None = None) -> Table:
    """A DataFrame as a Rich table; every cell, header and title is literal text."""
    table = Table(
        title=None if title is None else _text(title),
        title_justify="left",
        header_style="bold",
    )
    table.add_column(_text(df.index.name or ""), style="bold")
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col])
        table.add_column(_text(col), justify="right" if numeric else "left", overflow="fold")
    for idx, row in df.iterrows():
        label = " / ".join(map(str, idx)) if isinstance(idx, tuple) else str(idx)
        table.add_row(_text(label), *(_text(_fmt(v)) for v in row))
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
        try:
            with output.open("w", encoding="utf-8") as f:
                _console(file=f, width=250).print(_rich(df, title))
        except OSError as exc:
            raise DataError(f"--output {_p(output)}: cannot write: {exc.strerror or exc}") from None
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
            _write_text(output, text)
    if output is not None:
        _stderr(f"wrote {output}")


def _no_geojson(fmt: Format) -> None:
    """Refuse --format geojson before any work, for commands without geometry."""
    if fmt is Format.geojson:
        raise DataError(
            "--format geojson is not available for this command; use table, json or csv"
        )


def _split(values: list[str] | None, option: str) -> list[str]:
    """Options given repeatedly or comma-separated; given, they must name something."""
    out_: list[str] = []
    for v in values or []:
        out_.extend(x.strip() for x in v.split(",") if x.strip())
    if values and not out_:
        raise DataError(f"{option}: empty value; leave the option out for the default")
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
        via=_split(via, "--via"),
        avoid=_split(avoid, "--avoid"),
        modes=_split(modes, "--modes") or None,
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
            _write_text(output, text)
            _stderr(f"wrote {output}")
        return
    if fmt is Format.table and output is None:
        out.print(_text(r._summary(), style="bold"))
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
        corridors=_split(corridors, "--corridors") or None,
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
    _no_geojson(fmt)
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
    for spec in _split(scenario, "--scenario") or list(presets()):
        p = Path(spec)
        if spec not in presets() and (p.suffix.lower() == ".json" or _exists(p)):
            chosen.extend(_read_scenarios(p, "--scenario"))
        else:
            s = _scenario(spec)
            assert s is not None
            chosen.append(s)
    net = load_network()
    df = compare_scenarios(
        net,
        origin,
        destination,
        chosen,
        by=by.value,
        corridors=_split(corridors, "--corridors") or None,
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
                f"--vary {_shown(spec)}: expected KEY=LOW:HIGH, e.g. tariff.rail=0.14:0.56"
            ) from None
    return out_


@app.command()
def sensitivity(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    samples: Annotated[int, typer.Option(help=f"number of draws (1 to {MAX_SAMPLES:,})")] = 10_000,
    seed: Annotated[
        int | None, typer.Option(help="random seed, 0 to 2**32-1 (same seed, same result)")
    ] = None,
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

    _no_geojson(fmt)
    samples = check_int("--samples", samples, ge=1, le=MAX_SAMPLES)
    seed = check_seed("--seed", seed)
    draws = _vary(vary)
    scn = _scenario(scenario)
    net = load_network()
    res = run(
        net,
        origin,
        destination,
        samples=samples,
        seed=seed,
        vary=draws,
        by=by.value,
        corridors=_split(corridors, "--corridors") or None,
        scenario=scn,
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
        nodes = nodes[nodes["country"].isin([c.upper() for c in _split(country, "--country")])]
    if kind:
        nodes = nodes[nodes["kind"].isin(_split(kind, "--kind"))]
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
        edges = edges[edges["mode"].isin(_split(mode, "--mode"))]
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
    _no_geojson(fmt)
    net = load_network()
    s = net.services
    if mode:
        s = s[s["mode"].isin(_split(mode, "--mode"))]
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

        _no_geojson(fmt)
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
        share = independent["in_range"].mean()
        if share < 0.9:
            _stderr(f"error: {share:.0%} of the independent figures in range, under 90%")
            raise typer.Exit(1)
        return
    if not paths:
        raise DataError("give network files or folders to check, or --published")
    if output is not None or fmt is not Format.table:
        raise DataError("--format and --output apply to --published only")
    problems, checked = _validate_paths(paths)
    for note in checked:
        out.print(_text(note))
    for p in problems:
        out.print(Text.assemble(("error", "red"), " ", _clean(p)))
    if problems:
        sources = list(dict.fromkeys(p.source for p in problems))
        where = ", ".join(_p(x) for x in sources[:3]) + (", …" if len(sources) > 3 else "")
        n = len(problems)
        _stderr(f"error: {n} problem{'s' if n != 1 else ''} found in {where}")
        raise typer.Exit(1)
    out.print(Text.assemble(("ok", "green"), ": no problems found"))


def _unreadable(path: Path) -> str | None:
    """Why a file cannot be read as hubs or links at all, if the reader crashes on it
    (a CSV has no geometry; JSON can nest too deeply); None if it reads or fails cleanly."""
    from corridor.io import read_records

    try:
        read_records(path, "nodes")
    except CorridorError:
        return None
    except RecursionError:
        return "JSON nested too deeply to read"
    except Exception:
        return (
            "not a vector file of hubs or links (no geometry); "
            "give GeoJSON or another format GeoPandas reads"
        )
    return None


def _validate_paths(paths: Sequence[Path]) -> tuple[list[Problem], list[str]]:
    """:func:`validate_paths`, with a file it cannot read at all (a CSV, say) reported as a
    problem of that file rather than a crash."""
    try:
        return validate_paths(paths)
    except (CorridorError, MemoryError):
        raise
    except Exception:
        unread: list[Problem] = []
        rest: list[Path] = []
        for path in paths:
            files = [path / "nodes.geojson", path / "edges.geojson"] if path.is_dir() else [path]
            why = [(f, w) for f in files if f.is_file() and (w := _unreadable(f)) is not None]
            unread.extend(Problem(str(f), None, None, w) for f, w in why)
            if not why:
                rest.append(path)
        if not unread:
            raise
        problems, notes = validate_paths(rest) if rest else ([], [])
        return [*unread, *problems], notes


@app.command()
def summary(
    nodes: Annotated[Path | None, typer.Option(help="hubs file (default: bundled)")] = None,
    edges: Annotated[Path | None, typer.Option(help="links file (default: bundled)")] = None,
) -> None:
    """Summarise the network: hubs by kind, links and km by mode and by corridor."""
    given = [(o, p) for o, p in (("--nodes", nodes), ("--edges", edges)) if p is not None]
    for option, path in given:
        if path.is_dir():
            raise DataError(f"{option} {_p(path)}: is a directory, not a file of hubs or links")
    try:
        net = load_network(nodes, edges)
    except DataError as exc:  # a file unreadable as a whole: name the option that gave it
        for option, path in given:
            whole = [p for p in exc.problems if p.source == str(path) and p.feature is None]
            if whole and len(whole) == len(exc.problems):
                messages = "; ".join(p.message for p in whole)
                raise DataError(f"{option} {_p(path)}: {messages}") from None
        raise
    except (CorridorError, MemoryError):
        raise
    except Exception:
        for option, path in given:
            if (why := _unreadable(path)) is not None:
                raise DataError(f"{option} {_p(path)}: {why}") from None
        raise
    s = net.summary()
    out.print(_text(f"{s.n_hubs} hubs, {s.n_links} links", style="bold"))
    out.print(_rich(s.hubs_by_kind.to_frame(), "Hubs by kind"))
    out.print(_rich(s.hubs_by_country.to_frame(), "Hubs by country"))
    out.print(_rich(s.links_by_mode, "Links by mode (km counted once per link)"))
    out.print(_rich(s.corridors, "Corridors (a link may serve several)"))


def _map_option(value: Path) -> Path:
    return _check_output(value, "--map", _map_suffixes())


def _save_figure(fig: Any, path: Path, option: str) -> None:
    import matplotlib.pyplot as plt

    try:
        fig.savefig(path, dpi=150)
    except OSError as exc:
        raise DataError(f"{option} {_p(path)}: cannot write: {exc.strerror or exc}") from None
    finally:
        plt.close(fig)
    _stderr(f"wrote {path}")


@app.command()
def report(
    origin: Annotated[str, typer.Option(help="where the containers start")] = "Guiyang",
    to: Annotated[
        list[str] | None, typer.Option(help="destinations (default: Singapore, Duisburg, Shenzhen)")
    ] = None,
    by: ByOpt = By.generalized,
    map_: Annotated[
        Path,
        typer.Option(
            "--map", help="map of the winning routes (.png, .svg, .pdf)", callback=_map_option
        ),
    ] = Path("corridors.png"),
    scenario: ScenarioOpt = None,
) -> None:
    """The main job: compare the corridors to each destination and map the winners."""
    import matplotlib

    matplotlib.use("Agg")
    from corridor.compare import corridor_routes, table
    from corridor.plot import plot_routes

    net = load_network()
    dests = _split(to, "--to") or ["Singapore", "Duisburg", "Shenzhen"]
    for d in dests:  # every name checked before any table is printed
        if net.hub_id(d) == net.hub_id(origin):
            raise DataError(
                f"--to {_shown(d)}: the same hub as --origin ({net.hub(origin).name}); "
                "nothing to route"
            )
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
    _save_figure(fig, map_, "--map")


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
        int | None, typer.Option(help="at most this many, spread along the front")
    ] = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """The Pareto front: every route no other beats on all the criteria at once."""
    from corridor.tradeoffs import pareto as front

    crit = _split(criteria, "--criteria") or ["usd", "hours"]
    if max_routes is not None:
        max_routes = check_int("--max-routes", max_routes, ge=1, le=MAX_ROUTES)
    scn = _scenario(scenario)
    net = load_network()
    routes = front(net, origin, destination, criteria=crit, max_routes=max_routes, scenario=scn)
    title = (
        f"{net.hub(origin).name} → {net.hub(destination).name}: Pareto front over {', '.join(crit)}"
    )
    _routes_out(routes, fmt, output, title)


@app.command()
def alternatives(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    n: Annotated[int, typer.Option("-n", "--n", help=f"how many routes (1 to {MAX_ROUTES:,})")] = 3,
    max_overlap: Annotated[
        float, typer.Option(help="largest share (0 to 1) of a route's km it may share")
    ] = 0.5,
    by: ByOpt = By.generalized,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = Format.table,
    output: OutputOpt = None,
) -> None:
    """Good routes that differ: each shares at most --max-overlap of its km with the others."""
    from corridor.tradeoffs import alternatives as alts

    n = check_int("-n", n, ge=1, le=MAX_ROUTES)
    max_overlap = check_number("--max-overlap", max_overlap, ge=0.0, le=1.0)
    scn = _scenario(scenario)
    net = load_network()
    routes = alts(net, origin, destination, n=n, max_overlap=max_overlap, by=by.value, scenario=scn)
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
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="results .parquet or .csv",
            callback=_output_option("--output", (".parquet", ".csv")),
        ),
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address (default: run locally)")
    ] = None,
    timeout: Annotated[
        float, typer.Option(help="seconds to wait for the --scheduler to answer")
    ] = 10.0,
    by: ByOpt = By.generalized,
    chunk: Annotated[int | None, typer.Option(help="scenarios per Dask task")] = None,
) -> None:
    """Every scenario x every pair: usd, hours, km, CO2 and corridor used, locally or on Dask."""
    import time

    from corridor.sweep import sweep as run

    timeout = check_number("--timeout", timeout, gt=0.0, le=MAX_TIMEOUT_S)
    if chunk is not None:
        chunk = check_int("--chunk", chunk, ge=1)
    if scenarios == "presets":
        chosen = [Scenario("baseline"), *presets().values()]
    else:
        chosen = _read_scenarios(Path(scenarios), "--scenarios")
    net = load_network()
    pair_arg = _read_pairs(pairs, net)
    client = None if scheduler is None else _connect(scheduler, timeout)
    try:
        t0 = time.perf_counter()
        df = run(net, chosen, pair_arg, by=by.value, client=client, chunk=chunk)
        took = time.perf_counter() - t0
    finally:
        if client is not None:
            _disconnect(client)
    failed = df[df["status"] == "failed"].drop_duplicates("scenario")
    for _, row in failed.iterrows():
        _stderr(f"warning: {row['error']}")
    if output is not None:
        try:
            if output.suffix.lower() == ".parquet":
                df.to_parquet(output, index=False)
            else:
                df.to_csv(output, index=False)
        except ImportError:
            raise DataError(
                "writing .parquet needs pyarrow: pip install 'corridor[dask]'"
            ) from None
        except OSError as exc:
            raise DataError(f"--output {_p(output)}: cannot write: {exc.strerror or exc}") from None
        _stderr(f"wrote {output}")
    counts = df.groupby(["scenario", "status"], observed=True).size().unstack(fill_value=0)
    out.print(_rich(counts, f"{len(df):,} routes, {len(chosen)} scenarios in {took:.1f} s"))
    if len(failed) == len(chosen):
        _stderr(f"error: every scenario failed ({len(chosen)}); see the warnings above")
        raise typer.Exit(1)


def _connect(address: str, timeout: float) -> Any:
    """A Dask client of the scheduler at ``address``, or one line saying why not (see
    :func:`corridor.sweep.connect`)."""
    from corridor.sweep import connect

    try:
        return connect(address, timeout, name="--scheduler")
    except DataError as exc:
        raise DataError(f"{exc} (--timeout {timeout:g})") from None


def _disconnect(client: Any) -> None:
    with contextlib.suppress(Exception):  # the sweep's outcome matters more than a goodbye
        client.close(timeout=5)


@app.command("map")
def map_(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="route.png (static map) or route.html (interactive)",
            callback=_output_option("--output", (".png", ".svg", ".pdf", ".html", ".htm")),
        ),
    ],
    by: ByOpt = By.generalized,
    top: Annotated[int, typer.Option(help="how many corridors to draw (1 to 8), best first")] = 4,
    corridors: Annotated[list[str] | None, typer.Option(help="corridor ids (default: all)")] = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Map the best corridors between two hubs to a PNG or an interactive HTML page."""
    from corridor.compare import corridor_routes, table

    top = check_int("--top", top, ge=1, le=8)
    suffix = output.suffix.lower()
    net = load_network()
    _same_hub(net, origin, destination, "nothing to map")
    scn = _scenario(scenario)
    results = corridor_routes(
        net,
        origin,
        destination,
        by=by.value,
        corridors=_split(corridors, "--corridors") or None,
        scenario=scn,
    )
    df = table(results, by.value)
    served = df[(df["status"] == "ok") & (df.index != "best")].head(top)
    o, d = net.hub(origin).name, net.hub(destination).name
    if served.empty:
        raise DataError(f"no corridor serves {o} → {d}; nothing to map")
    routes = [results[k].route for k in served.index]
    labels = [
        f"{row['name']}: {row['days']:.1f} d, USD {row['usd']:,.0f}" for _, row in served.iterrows()
    ]
    title = f"{o} → {d}, best {len(routes)} by {by.value}" + (f" ({scn.name})" if scn else "")
    if suffix in (".html", ".htm"):
        from corridor.interactive import explore

        page = explore([r for r in routes if r is not None], labels=labels)
        try:
            page.save(str(output))
        except OSError as exc:
            raise DataError(f"--output {_p(output)}: cannot write: {exc.strerror or exc}") from None
        _stderr(f"wrote {output}")
    else:
        import matplotlib

        matplotlib.use("Agg")
        from corridor.plot import plot_routes

        fig, _ = plot_routes([r for r in routes if r is not None], labels=labels, title=title)
        _save_figure(fig, output, "--output")


def _tolerant_streams() -> None:
    """Replace what stdout cannot encode (a cp1252 console, a pipe in ASCII) instead of
    failing; escape it on stderr. A closed stream (``>&-``) is replaced by the null device."""
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(AttributeError, OSError, TypeError, ValueError):
                reconfigure(errors=errors)


def _warning_line(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Warnings as one line each, like errors."""
    _stderr(f"warning: {category.__name__}: {message}")


def _stdout_broken() -> bool:
    """Whether stdout is a closed pipe (``corridor hubs | head``); if so, silence it."""
    try:
        sys.stdout.flush()
        return False
    except BrokenPipeError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return True
    except (OSError, ValueError):
        return False


def _fault(exc: BaseException) -> str:
    """A fault (not a bug of corridor's) in one line: what failed and on which file."""
    if isinstance(exc, RecursionError):
        return "input nested too deeply to read (RecursionError)"
    if isinstance(exc, MemoryError):
        detail = _one_line(exc)[:200]
        return f"out of memory{': ' + detail if detail else ''}; ask for less work"
    if isinstance(exc, UnicodeError):
        return f"text encoding: {_one_line(exc)[:300]}"
    if isinstance(exc, OSError):
        files = [
            os.fsdecode(f) for f in (exc.filename, exc.filename2) if isinstance(f, str | bytes)
        ]
        what = exc.strerror or _one_line(exc)[:300] or type(exc).__name__
        return ": ".join([*map(_p, files), what])
    return _one_line(exc)[:300]


def _guarded(run: Callable[[], Any]) -> int:
    """Run the command line and return its exit code: every failure becomes one line
    ``error: …`` on stderr (a traceback too, with ``CORRIDOR_DEBUG=1``, for faults and bugs)."""
    _tolerant_streams()
    debug = os.environ.get("CORRIDOR_DEBUG", "").strip() not in ("", "0")
    try:
        with warnings.catch_warnings():
            if not debug:
                setattr(warnings, "showwarning", _warning_line)  # noqa: B010
            rv = run()
        return rv if isinstance(rv, int) and not isinstance(rv, bool) else 0
    except typer.TyperException as exc:  # Click's errors, as Typer vendors them
        message = exc.format_message()
        if type(exc).__name__ == "NoArgsIsHelpError":
            if message.strip():  # Typer's Rich help is printed already
                typer.echo(message)
            return exc.exit_code
        message = message.replace(": Value error, ", ": ").rstrip(". ")
        ctx = getattr(exc, "ctx", None)
        if exc.exit_code == 2 and ctx is not None:
            message += f"; see '{ctx.command_path} --help'"
        _stderr(f"error: {message}")
        return exc.exit_code
    except typer.Abort:
        _stderr("error: aborted")
        return 1
    except DataError as exc:
        lines = [str(p) for p in exc.problems] or [str(exc)]
        for line in lines[:MAX_PROBLEM_LINES]:
            _stderr(f"error: {line}")
        if len(lines) > MAX_PROBLEM_LINES:
            more = len(lines) - MAX_PROBLEM_LINES
            _stderr(f"error: … and {more:,} more problems (`corridor validate` lists them all)")
        return 1
    except CorridorError as exc:
        _stderr(f"error: {exc}")
        return 1
    except KeyboardInterrupt:
        _stderr("error: interrupted")
        return 130
    except (OSError, UnicodeError, RecursionError, MemoryError) as exc:
        if isinstance(exc, BrokenPipeError) and _stdout_broken():
            return 1  # the reader went away (`| head`): nothing to report
        if debug:
            traceback.print_exc()
        _stderr(f"error: {_fault(exc)}")
        return 1
    except Exception as exc:
        if debug:
            traceback.print_exc()
        detail = _one_line(exc)[:300]
        _stderr(
            f"error: unexpected {type(exc).__name__}{': ' + detail if detail else ''} "
            "(a bug in corridor: please report it with the traceback that CORRIDOR_DEBUG=1 "
            "prints)"
        )
        return 1


def main() -> None:
    """Entry point: run the app; every failure is one line ``error: …`` on stderr and exit
    code 1 (2 for usage errors)."""
    app()


__all__ = ["app", "main"]
