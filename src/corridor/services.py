"""Scheduled freight services: the trains, ships, barges and flights that run on the links.

A service runs over a chain of links (so its geometry and km come from the infrastructure),
stops at some of the hubs on the way (where a box may board or alight), and departs so many
times a week, on published weekdays and at a published time where those are known. Services
are read from a table (the bundled ``services.json`` is built from
``data/sources/services.csv`` by ``scripts/build_data.py``), checked against the network, and
every problem is reported naming the service id and the field.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from corridor._errors import DataError, Problem
from corridor._schema import MAX_HOURS, MAX_SPEED_KMH, MAX_USD
from corridor.tables import read_rows

__all__ = ["SERVICE_COLUMNS", "SERVICE_MODES", "TOP_SPEED_KMH", "WEEKDAYS", "read_services"]

#: Modes that run on services; road (trucks, drayage) needs none.
SERVICE_MODES = ("rail", "sea", "inland_waterway", "air")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
SERVICE_STATUSES = ("operational", "suspended", "planned", "under_construction")
#: km/h no scheduled service of the mode can beat end to end (a physical bound for checking
#: published transit times; see ``corridor._schema.MAX_SPEED_KMH``)
TOP_SPEED_KMH = {m: MAX_SPEED_KMH[m] for m in SERVICE_MODES}
SERVICE_COLUMNS = (
    "id", "name", "operator", "mode", "stops", "links", "departures_per_week", "weekdays",
    "departure_time", "transit_hours", "tariff_usd_per_teu", "status", "opens",
    "bidirectional", "source", "method",
)  # fmt: skip
_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_TRUE = {True, "true", "True", "TRUE"}
_FALSE = {False, "false", "False", "FALSE"}


def _missing(v: Any) -> bool:
    return (
        v is None
        or (isinstance(v, float) and math.isnan(v))
        or (isinstance(v, str) and not v.strip())
    )


def _split(v: Any) -> list[str] | None:
    """A ``;``-separated cell or a list as a list of stripped strings (None if malformed)."""
    if _missing(v):
        return []
    if isinstance(v, list | tuple):
        return [str(x).strip() for x in v] if all(isinstance(x, str) for x in v) else None
    if isinstance(v, str):
        return [x.strip() for x in v.split(";") if x.strip()]
    return None


def _number(v: Any) -> float | None:
    """A numeric cell as float; raises ValueError for text or booleans."""
    if _missing(v):
        return None
    if isinstance(v, bool):
        raise ValueError(f"must be a number, got {v!r}")
    if isinstance(v, str):
        v = v.strip()
    try:
        x = float(v)
    except (TypeError, ValueError):
        raise ValueError(f"must be a number, got {v!r}") from None
    if not math.isfinite(x):
        raise ValueError(f"must be finite, got {v!r}")
    return x


class _Checker:
    """Collects the problems of one services table."""

    def __init__(self, src: str) -> None:
        self.src = src
        self.problems: list[Problem] = []

    def bad(self, ident: str, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.src, ident, field, message))


def _chain(
    ident: str,
    stops: list[str],
    links: list[str],
    edges: pd.DataFrame,
    mode: str,
    ck: _Checker,
) -> list[str] | None:
    """Hubs passed along the links, checked: each link of the mode, joined end to end from
    the first stop, passing the stops in order. None (with problems recorded) if not."""
    ok = True
    for li in links:
        if li not in edges.index:
            ck.bad(ident, "links", f"unknown link {li!r}")
            ok = False
        elif edges.at[li, "mode"] != mode:
            ck.bad(ident, "links", f"link {li!r} is {edges.at[li, 'mode']!s}, not {mode}")
            ok = False
    if not ok:
        return None
    hubs = [stops[0]]
    for li in links:
        a, b = str(edges.at[li, "from"]), str(edges.at[li, "to"])
        if hubs[-1] == a:
            hubs.append(b)
        elif hubs[-1] == b:
            hubs.append(a)
        else:
            ck.bad(ident, "links", f"link {li!r} ({a}–{b}) does not start at {hubs[-1]!r}")
            return None
    it = iter(hubs)
    if not all(s in it for s in stops) or hubs[-1] != stops[-1]:
        ck.bad(
            ident,
            "stops",
            f"the links pass {' → '.join(hubs)}, which does not call at the stops "
            f"{' → '.join(stops)} in order and end at the last",
        )
        return None
    return hubs


def _check_text(
    ident: str, row: dict[str, Any], nodes: pd.DataFrame, ck: _Checker
) -> dict[str, Any]:
    """Names, mode, stops and links, status and direction."""
    out: dict[str, Any] = {"id": ident}
    for key in ("name", "source"):
        v = row.get(key)
        if not isinstance(v, str) or not v.strip():
            ck.bad(ident, key, f"must be a non-empty string, got {v!r}")
        out[key] = v
    for key in ("operator", "method"):
        v = row.get(key)
        out[key] = None if _missing(v) else str(v)
    mode = row.get("mode")
    if mode not in SERVICE_MODES:
        ck.bad(ident, "mode", f"must be one of {', '.join(SERVICE_MODES)}, got {mode!r}")
    out["mode"] = mode
    stops, links = _split(row.get("stops")), _split(row.get("links"))
    if stops is None or len(stops) < 2:
        ck.bad(ident, "stops", f"must list at least two hub ids, got {row.get('stops')!r}")
    else:
        for s in stops:
            if s not in nodes.index:
                ck.bad(ident, "stops", f"unknown hub {s!r}")
        if len(set(stops)) != len(stops):
            ck.bad(ident, "stops", "a hub is listed twice")
    if links is None or not links:
        ck.bad(ident, "links", f"must list the link ids run over, got {row.get('links')!r}")
    out["stops"], out["links"] = tuple(stops or ()), tuple(links or ())
    status = row.get("status")
    if status not in SERVICE_STATUSES:
        ck.bad(ident, "status", f"must be one of {', '.join(SERVICE_STATUSES)}, got {status!r}")
    out["status"] = status
    bidi = row.get("bidirectional")
    if bidi in _TRUE or bidi in _FALSE:
        out["bidirectional"] = bidi in _TRUE
    else:
        ck.bad(ident, "bidirectional", f"must be true or false, got {bidi!r}")
    return out


def _check_numbers(ident: str, row: dict[str, Any], ck: _Checker) -> dict[str, Any]:
    """Frequency, transit, tariff and opening year: numbers within physical bounds."""
    numbers: dict[str, float | None] = {}
    for key in ("departures_per_week", "transit_hours", "tariff_usd_per_teu", "opens"):
        try:
            numbers[key] = _number(row.get(key))
        except ValueError as exc:
            ck.bad(ident, key, str(exc))
            numbers[key] = None
    freq = numbers["departures_per_week"]
    if _missing(row.get("departures_per_week")):
        ck.bad(ident, "departures_per_week", "is required")
    elif freq is not None and not 0 < freq <= 7 * 24:
        ck.bad(ident, "departures_per_week", f"must be > 0 and at most 168, got {freq!r}")
    for key, top in (("transit_hours", MAX_HOURS), ("tariff_usd_per_teu", MAX_USD)):
        x = numbers[key]
        if x is not None and not 0 < x <= top:
            ck.bad(ident, key, f"must be > 0 and at most {top:g}, got {x!r}")
    opens = numbers["opens"]
    if opens is not None and not (opens == int(opens) and 1800 <= opens <= 2100):
        ck.bad(ident, "opens", f"must be a year between 1800 and 2100, got {opens!r}")
    return {**numbers, "opens": None if opens is None else int(opens)}


def _check_timetable(
    ident: str, row: dict[str, Any], freq: float | None, ck: _Checker
) -> dict[str, Any]:
    """Departure weekdays and time: real days, as many as departures a week, HH:MM."""
    out: dict[str, Any] = {"departure_time": None}
    days = _split(row.get("weekdays"))
    if days is None or any(d not in WEEKDAYS for d in days) or len(set(days)) != len(days):
        ck.bad(
            ident, "weekdays", f"must be distinct days from {';'.join(WEEKDAYS)} separated by "
            f"';', got {row.get('weekdays')!r}",
        )  # fmt: skip
        days = []
    if days and freq is not None and abs(len(days) - freq) > 1e-9:
        ck.bad(
            ident, "weekdays", f"lists {len(days)} departure days but departures_per_week is "
            f"{freq:g}",
        )  # fmt: skip
    out["weekdays"] = tuple(days)
    t = row.get("departure_time")
    if _missing(t):
        pass
    elif not isinstance(t, str) or not _TIME.match(t.strip()):
        ck.bad(ident, "departure_time", f"must be HH:MM (24 h), got {t!r}")
    elif not days:
        ck.bad(ident, "departure_time", "a departure time needs the weekdays it applies to")
    else:
        out["departure_time"] = t.strip()
    return out


def _check_row(
    row: dict[str, Any], nodes: pd.DataFrame, edges: pd.DataFrame, ck: _Checker
) -> dict[str, Any] | None:
    """One service checked (problems recorded in ``ck``), or None if it has any."""
    ident = row.get("id")
    if not isinstance(ident, str) or not ident.strip():
        ck.bad(f"#{row.get('_row')}", "id", f"must be a non-empty string, got {ident!r}")
        return None
    n0 = len(ck.problems)
    out = _check_text(ident, row, nodes, ck)
    out.update(_check_numbers(ident, row, ck))
    out.update(_check_timetable(ident, row, out["departures_per_week"], ck))
    if len(ck.problems) > n0:
        return None
    mode = str(out["mode"])
    hubs = _chain(ident, list(out["stops"]), list(out["links"]), edges, mode, ck)
    if hubs is None:
        return None
    km = float(edges.loc[list(out["links"]), "length_km"].astype(float).sum())
    transit = out["transit_hours"]
    if transit is not None and transit < km / TOP_SPEED_KMH[mode]:
        ck.bad(
            ident, "transit_hours", f"{transit:g} h over {km:,.0f} km is faster than a {mode} "
            f"service can run ({TOP_SPEED_KMH[mode]:g} km/h at most)",
        )  # fmt: skip
        return None
    out["hubs"] = tuple(hubs)
    out["km"] = km
    return out


def read_services(
    source: str | os.PathLike[str] | pd.DataFrame, nodes: pd.DataFrame, edges: pd.DataFrame
) -> pd.DataFrame:
    """Read and check a services table against the network's hubs and links.

    Parameters
    ----------
    source : path (.csv or .json) or DataFrame
        Columns as :data:`SERVICE_COLUMNS`; ``stops``, ``links`` and ``weekdays`` are
        ``;``-separated (or lists in JSON).
    nodes, edges : DataFrame
        The network's hubs and links, indexed by id.

    Returns
    -------
    pandas.DataFrame
        Indexed by service id, with ``hubs`` (every hub passed) and ``km`` added.

    Raises
    ------
    DataError
        Every problem of the table, each naming the service id and the field.
    """
    src, rows = read_rows(source, "services")
    ck = _Checker(src)
    missing = [
        c
        for c in ("id", "mode", "stops", "links", "departures_per_week")
        if rows and c not in rows[0]
    ]
    if missing:
        raise DataError(f"{src}: missing columns: {', '.join(missing)}")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        row = {**row, "_row": i}
        ident = row.get("id")
        if isinstance(ident, str) and ident in seen:
            ck.bad(ident, "id", "duplicate service id")
            continue
        if isinstance(ident, str):
            seen.add(ident)
        checked = _check_row(row, nodes, edges, ck)
        if checked is not None:
            out.append(checked)
    if ck.problems:
        raise DataError(ck.problems)
    cols = [*SERVICE_COLUMNS, "hubs", "km"]
    df = pd.DataFrame(out, columns=cols)
    return df.set_index("id", drop=False).rename_axis(None)


def services_to_json(df: pd.DataFrame) -> str:
    """The bundled ``services.json`` text of a checked services table."""
    items = []
    for rec in df[list(SERVICE_COLUMNS)].to_dict("records"):
        rec = {k: (list(v) if isinstance(v, tuple) else v) for k, v in rec.items()}
        items.append(
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
        )
    return json.dumps({"services": items}, ensure_ascii=False, indent=1) + "\n"


def empty_services() -> pd.DataFrame:
    """A services table with no rows (a network without timetables)."""
    return pd.DataFrame(columns=[*SERVICE_COLUMNS, "hubs", "km"])


def weekly_departures(row: Any) -> list[float]:
    """Departure times from the first stop, in hours after Monday 00:00, if published.

    Weekdays without a published time are taken to depart at 12:00 (midday: the middle of
    the day, so the error is at most 12 h).

    Examples
    --------
    >>> weekly_departures({"weekdays": ("Mon", "Thu"), "departure_time": "08:30"})
    [8.5, 80.5]
    """
    days: Sequence[str] = row["weekdays"]
    t = row["departure_time"]
    hh, mm = (12, 0) if t is None else (int(t[:2]), int(t[3:]))
    return [WEEKDAYS.index(d) * 24.0 + hh + mm / 60.0 for d in days]
