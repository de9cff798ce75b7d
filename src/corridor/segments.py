"""Cargo segments of Guizhou's trade: what a box is worth and what a day costs it.

``data/sources/segments.csv`` holds, per segment of the province's export and import mix
(fertiliser, tyres, liquor, tea, guitars, electromechanical equipment, battery materials;
ores and equipment coming in): the cargo value per TEU, the value of time (% of the value a
day in transit, inside Hummels & Schaur's published 0.6-2.1% range), the reliability ratio
(value of a day of P90 - P50 buffer against a day in transit), the trade value where
published, and the ``source`` and ``method`` of each. ``scripts/build_data.py`` bundles it
as ``data/segments.json``; :meth:`corridor.CostModel.for_segment` prices a segment.

Weights: Guizhou's trade was 71% exports and 29% imports (Guiyang Customs, January-July
2023: exports CNY 31.01 of 43.81 billion; chunichishinpou.com 2023-08-28). No value by
product is published for most segments, so each direction's share is split equally among
its segments (an assumption; the per-segment shares do not depend on it, only the total).
"""

from __future__ import annotations

import json
import math
import os
from functools import lru_cache

import pandas as pd

from corridor._errors import DataError, Problem

__all__ = ["DIRECTION_SHARE", "SEGMENT_COLUMNS", "load_segments", "read_segments"]

SEGMENT_COLUMNS = (
    "segment", "name", "direction", "value_usd_per_teu", "time_value_pct_per_day",
    "reliability_ratio", "trade_usd_m", "trade_year", "source", "method",
)  # fmt: skip
#: Guizhou's trade by direction, January-July 2023 (Guiyang Customs via chunichishinpou.com)
DIRECTION_SHARE = {"export": 31.01 / 43.81, "import": 12.79 / 43.81}
_BOUNDS = {
    "value_usd_per_teu": (1e7, "USD"),
    "time_value_pct_per_day": (100.0, "% a day"),
    "reliability_ratio": (100.0, "x"),
    "trade_usd_m": (1e7, "USD million"),
}


def read_segments(source: str | os.PathLike[str] | pd.DataFrame) -> pd.DataFrame:
    """The segment table, checked: every problem named by row and field (an id twice, a
    direction other than export/import, a value, time value or reliability ratio that is
    missing, negative, non-finite or beyond its bound, no source).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``segment``, with :data:`SEGMENT_COLUMNS` and ``weight`` (the segment's
        share of the trade, see the module notes).
    """
    from corridor.tables import cell_number, read_rows

    src, rows = read_rows(source, "segments")
    problems: list[Problem] = []
    out = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        ident = row.get("segment")
        label = str(ident) if isinstance(ident, str) and ident.strip() else f"#{i + 1}"
        before = len(problems)

        def bad(fld: str, message: str, label: str = label) -> None:
            problems.append(Problem(src, label, fld, message))

        if not isinstance(ident, str) or not ident.strip():
            bad("segment", "must be a non-empty id")
        elif ident in seen:
            bad("segment", "the same segment twice")
        seen.add(str(ident))
        if row.get("direction") not in DIRECTION_SHARE:
            bad("direction", f"must be export or import, got {row.get('direction')!r}")
        nums: dict[str, float | None] = {}
        for fld, (hi, unit) in _BOUNDS.items():
            try:
                nums[fld] = cell_number(row.get(fld), hi, unit, required=fld != "trade_usd_m")
            except ValueError as exc:
                bad(fld, str(exc))
        if nums.get("value_usd_per_teu") == 0.0:
            bad("value_usd_per_teu", "must be > 0")
        if not isinstance(row.get("source"), str) or not str(row.get("source")).strip():
            bad("source", "must say where the figures come from")
        if len(problems) > before:
            continue
        text = {k: row.get(k) for k in ("name", "trade_year", "method")}
        out.append(
            {"segment": ident, "name": str(text["name"] or ident), "direction": row["direction"],
             **nums, "trade_year": str(text["trade_year"] or ""), "source": row["source"],
             "method": str(text["method"] or "")}
        )  # fmt: skip
    if not out and not problems:
        problems.append(Problem(src, None, None, "no segments"))
    if problems:
        raise DataError(problems)
    df = pd.DataFrame(out, columns=list(SEGMENT_COLUMNS)).set_index("segment")
    n = df["direction"].value_counts()
    df["weight"] = [DIRECTION_SHARE[d] / n[d] for d in df["direction"]]
    df["weight"] /= df["weight"].sum()
    return df


def to_json(df: pd.DataFrame) -> str:
    """The table as the bundled JSON."""
    rows = []
    for rec in df.drop(columns="weight").reset_index().to_dict("records"):
        rows.append(
            {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in rec.items()}
        )
    return json.dumps(rows, ensure_ascii=False, indent=0) + "\n"


@lru_cache(maxsize=1)
def _bundled() -> pd.DataFrame:
    from corridor.io import bundled_data_path

    return read_segments(bundled_data_path("segments.json"))


def load_segments(source: str | os.PathLike[str] | pd.DataFrame | None = None) -> pd.DataFrame:
    """The cargo segments: the bundled table, or yours (checked as :func:`read_segments`).

    Examples
    --------
    >>> s = load_segments()
    >>> bool(s["time_value_pct_per_day"].between(0.6, 2.1).all())
    True
    >>> round(float(s["weight"].sum()), 6)
    1.0
    """
    if source is None:
        return _bundled()
    return read_segments(source)
