"""Border processes by mode and direction, and seaport times: sourced tables beside the network.

``data/sources/borders.csv``: per border hub, mode and direction (``export``: a box leaving
the hub's country over a crossing; ``import``: entering it) the hours and USD per TEU of the
process. ``data/sources/ports.csv``: per seaport, export (gate-in to on board), import
(discharge to gate-out) and transshipment (ship to ship) hours and USD. Both are checked
against the network's hubs (every problem named by row, hub and field) and bundled as JSON
by ``scripts/build_data.py``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from corridor._errors import DataError, Problem
from corridor._schema import MAX_USD, MODES

__all__ = ["BORDER_COLUMNS", "PORT_COLUMNS", "read_borders", "read_ports"]

BORDER_COLUMNS = ("hub", "mode", "direction", "hours", "usd", "source", "method")
PORT_NUMBERS = (
    "export_hours", "export_usd", "import_hours", "import_usd", "transship_hours",
    "transship_usd",
)  # fmt: skip
PORT_COLUMNS = ("hub", *PORT_NUMBERS, "source", "method")
#: no border process or port stay is longer than this many hours in these tables: 60 days
#: (congestion peaks of weeks are scenario matters, not defaults)
MAX_HOURS = 60 * 24.0


def read_rows(
    source: str | os.PathLike[str] | pd.DataFrame, what: str
) -> tuple[str, list[dict[str, Any]]]:
    """The rows of a table as dicts, and a label for errors: a DataFrame, a CSV file (every
    cell as text) or a JSON file (a list of objects, or ``{what: [...]}``)."""
    if isinstance(source, pd.DataFrame):
        return what, [{str(k): v for k, v in r.items()} for r in source.to_dict("records")]
    if not isinstance(source, str | os.PathLike):
        raise DataError(f"{what} must be a path or a DataFrame, got {type(source).__name__}")
    p = Path(source)
    try:
        if p.suffix.lower() == ".json":
            doc = json.loads(p.read_text(encoding="utf-8"))
            items = doc.get(what) if isinstance(doc, dict) else doc
            if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
                raise DataError(f"{p}: expected a list of objects or {{{what!r}: [...]}}")
            return str(p), items
        frame = pd.read_csv(p, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"{p}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DataError(f"{p}: not a readable {what} table: {exc}") from None
    return str(p), [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def cell_number(
    v: Any, bound: float | None = None, unit: str = "", *, required: bool = False
) -> float | None:
    """A table cell as a number >= 0 (at most ``bound``), None when empty (ValueError
    when ``required``); ValueError saying what is wrong otherwise."""
    if (
        v is None
        or (isinstance(v, float) and math.isnan(v))
        or (isinstance(v, str) and not v.strip())
    ):
        if required:
            raise ValueError("is required")
        return None
    if isinstance(v, bool):
        raise ValueError(f"must be a number, got {v!r}")
    try:
        x = float(v.strip() if isinstance(v, str) else v)
    except (TypeError, ValueError):
        raise ValueError(f"must be a number, got {v!r}") from None
    if not math.isfinite(x) or x < 0:
        raise ValueError(f"must be a finite number >= 0, got {v!r}")
    if bound is not None and x > bound:
        raise ValueError(f"must be at most {bound:g} {unit}".rstrip() + f", got {v!r}")
    return x


def _number(v: Any, bound: float | None, unit: str = "h") -> float:
    x = cell_number(v, bound, unit)
    if x is None:
        raise ValueError(f"must be a number, got {v!r}")
    return x


#: Customs unions among the network's countries (ISO 3166 alpha-3): one customs territory
#: each, so a box is *in transit* only through a whole union, not a member state. Eurasian
#: Economic Union: Treaty on the EAEU (Astana, 2014-05-29), art. 25, and the EAEU Customs
#: Code (in force 2018-01-01): a single customs territory of Armenia, Belarus, Kazakhstan,
#: Kyrgyzstan and Russia with no customs control at the internal borders. A box from
#: China bound for Moscow is released into it once (at the entry border, or at an inland
#: customs post after customs transit), whatever member state it enters by; one bound for
#: Poland crosses it under transit. The European Union (Union Customs Code, Regulation
#: (EU) 952/2013) is listed for the same reason, though no EU border has a transit figure.
CUSTOMS_UNIONS: Mapping[str, str] = {
    **dict.fromkeys(("ARM", "BLR", "KAZ", "KGZ", "RUS"), "EAEU"),
    **dict.fromkeys(
        ("AUT", "BEL", "BGR", "CYP", "CZE", "DEU", "DNK", "ESP", "EST", "FIN", "FRA", "GRC",
         "HRV", "HUN", "IRL", "ITA", "LTU", "LUX", "LVA", "MLT", "NLD", "POL", "PRT", "ROU",
         "SVK", "SVN", "SWE"),
        "EU",
    ),
}  # fmt: skip


def customs_area(country: str) -> str:
    """The customs territory of ``country``: its union (:data:`CUSTOMS_UNIONS`) or itself.

    Examples
    --------
    >>> customs_area("RUS"), customs_area("KAZ"), customs_area("CHN")
    ('EAEU', 'EAEU', 'CHN')
    """
    return CUSTOMS_UNIONS.get(country, country)


#: a border process: ``export`` (leaving the country at the hub), ``import`` (entering it
#: and clearing the goods for use there) and ``transit`` (entering its customs territory, the
#: country or its customs union, on a through train under a transit declaration, to leave
#: that territory again without a stop: no import clearance)
DIRECTIONS = ("export", "import", "transit")


def read_borders(
    source: str | os.PathLike[str] | pd.DataFrame, nodes: pd.DataFrame
) -> pd.DataFrame:
    """Border processes, checked: a known border hub, a mode, a direction of
    :data:`DIRECTIONS`, hours (at most 60 days) and USD finite and >= 0, each (hub, mode,
    direction) once.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``(hub, mode, direction)``: ``hours``, ``usd``, ``source``, ``method``.
    """
    src, rows = read_rows(source, "borders")
    problems: list[Problem] = []
    out = []
    seen: set[tuple[str, str, str]] = set()
    for i, row in enumerate(rows):
        hub, mode, direction = row.get("hub"), row.get("mode"), row.get("direction")
        label = f"#{i + 1} ({hub}/{mode}/{direction})"

        def bad(field: str, message: str, label: str = label) -> None:
            problems.append(Problem(src, label, field, message))

        if hub not in nodes.index:
            bad("hub", f"unknown hub {hub!r}")
        if mode not in MODES:
            bad("mode", f"must be one of {', '.join(MODES)}, got {mode!r}")
        if direction not in DIRECTIONS:
            bad("direction", f"must be one of {', '.join(DIRECTIONS)}, got {direction!r}")
        values = {}
        for field, bound, unit in (("hours", MAX_HOURS, "h"), ("usd", MAX_USD, "USD")):
            try:
                values[field] = _number(row.get(field), bound, unit)
            except ValueError as exc:
                bad(field, str(exc))
        if not isinstance(row.get("source"), str) or not str(row.get("source")).strip():
            bad("source", "must say where the figure comes from")
        key = (str(hub), str(mode), str(direction))
        if key in seen:
            bad("hub", "the same hub, mode and direction twice")
        seen.add(key)
        out.append({"hub": hub, "mode": mode, "direction": direction, **values,
                    "source": row.get("source"), "method": row.get("method") or None})  # fmt: skip
    if problems:
        raise DataError(problems)
    df = pd.DataFrame(out, columns=list(BORDER_COLUMNS))
    return df.set_index(["hub", "mode", "direction"])


def read_ports(source: str | os.PathLike[str] | pd.DataFrame, nodes: pd.DataFrame) -> pd.DataFrame:
    """Seaport times and fees, checked: a known seaport, every figure a finite number >= 0
    (hours at most 60 days), each port once.

    Returns
    -------
    pandas.DataFrame
        Indexed by hub id, with the columns of :data:`PORT_COLUMNS`.
    """
    src, rows = read_rows(source, "ports")
    problems: list[Problem] = []
    out = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        hub = row.get("hub")
        label = str(hub) if isinstance(hub, str) and hub else f"#{i + 1}"
        if hub not in nodes.index:
            problems.append(Problem(src, label, "hub", f"unknown hub {hub!r}"))
        elif nodes.at[hub, "kind"] != "seaport":
            problems.append(
                Problem(src, label, "hub", f"{hub!r} is a {nodes.at[hub, 'kind']!s}, not a seaport")
            )
        if hub in seen:
            problems.append(Problem(src, label, "hub", "listed twice"))
        seen.add(str(hub))
        values: dict[str, Any] = {"hub": hub}
        for field in PORT_NUMBERS:
            try:
                hours = field.endswith("hours")
                values[field] = _number(
                    row.get(field), MAX_HOURS if hours else MAX_USD, "h" if hours else "USD"
                )
            except ValueError as exc:
                problems.append(Problem(src, label, field, str(exc)))
        values["source"], values["method"] = row.get("source"), row.get("method") or None
        out.append(values)
    if problems:
        raise DataError(problems)
    return (
        pd.DataFrame(out, columns=list(PORT_COLUMNS)).set_index("hub", drop=False).rename_axis(None)
    )


def check_border_coverage(borders: pd.DataFrame, nodes: pd.DataFrame, edges: pd.DataFrame) -> None:
    """Every link between two countries has the export and import process of its mode at
    both ends (in the directions it runs); raise one DataError listing what is missing."""
    country = nodes["country"]
    have = set(borders.index)
    problems: list[Problem] = []
    for ident, a, b, mode, both in zip(
        edges.index, edges["from"], edges["to"], edges["mode"], edges["bidirectional"], strict=True
    ):
        if country[a] == country[b] or mode in ("sea", "air"):
            continue
        ends = [(a, b)] + ([(b, a)] if both else [])
        for out_hub, in_hub in ends:
            for key in ((out_hub, mode, "export"), (in_hub, mode, "import")):
                if key not in have:
                    problems.append(
                        Problem(
                            "borders", str(ident), "mode", f"link {ident!r} crosses from "
                            f"{country[out_hub]} to {country[in_hub]} by {mode}, but the border "
                            f"table has no {key[2]} process for {key[0]!r} by {mode}",
                        )
                    )  # fmt: skip
    problems += _idle_transit(borders, nodes, edges)
    if problems:
        raise DataError(problems)


def _idle_transit(borders: pd.DataFrame, nodes: pd.DataFrame, edges: pd.DataFrame) -> list[Problem]:
    """A ``transit`` process is charged only where a link enters its hub from outside the
    hub's customs territory (:func:`customs_area`); one that no link can reach so would be
    silently ignored (e.g. at a border inside the EAEU)."""
    area = {h: customs_area(str(c)) for h, c in nodes["country"].items()}
    entries: set[tuple[str, str]] = set()
    for a, b, mode, both in zip(
        edges["from"], edges["to"], edges["mode"], edges["bidirectional"], strict=True
    ):
        if area.get(a) != area.get(b):
            entries.add((b, mode))
            if both:
                entries.add((a, mode))
    return [
        Problem(
            "borders",
            str(hub),
            "direction",
            f"a transit process at {hub!r} by {mode} is never "
            f"charged: no {mode} link enters {hub!r} across the outer border of its customs "
            f"territory ({area.get(hub)})",
        )
        for hub, mode, direction in borders.index
        if direction == "transit" and (hub, mode) not in entries
    ]


def to_json(df: pd.DataFrame) -> str:
    """A checked table as the bundled JSON list of rows."""
    flat = df.reset_index(drop=isinstance(df.index, pd.RangeIndex) or "hub" in df.columns)
    rows = [{str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
            for r in flat.to_dict("records")]  # fmt: skip
    return json.dumps(rows, ensure_ascii=False, indent=0) + "\n"
