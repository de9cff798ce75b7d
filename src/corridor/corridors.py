"""Named corridors, defined in data: the lines and gateways a route must use."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from corridor._errors import DataError
from corridor._schema import MODES
from corridor.network import Network

__all__ = ["Corridor", "load_corridors"]


@dataclass(frozen=True, slots=True)
class Corridor:
    """A corridor: which links a route may use, which gateways it must pass, whom it serves.

    Attributes
    ----------
    id, name, description, source : str
    tags : tuple of str
        The route may use only links carrying one of these tags (field ``corridors``).
    gateways : tuple of tuple of (hub, mode)
        Steps the route must pass in order; each step is met by any one of its
        ``(hub id, mode)`` states, e.g. ``(("boten", "rail"),)``: arriving at Boten by rail.
    serves : tuple of str
        ISO 3166 alpha-3 codes of the destination countries the corridor is offered for.
    """

    id: str
    name: str
    description: str
    tags: tuple[str, ...]
    gateways: tuple[tuple[tuple[str, str], ...], ...]
    serves: tuple[str, ...]
    source: str

    @classmethod
    def from_dict(cls, d: dict[str, Any], where: str = "corridor") -> Corridor:
        """Build and check one corridor; errors name ``where``, the corridor id and the field."""
        if not isinstance(d, dict):
            raise DataError(f"{where}: a corridor must be an object, got {d!r}")
        ident = d.get("id")
        label = f"{where} {ident!r}" if isinstance(ident, str) else where
        problems: list[str] = []
        for key in ("id", "name", "source"):
            if not isinstance(d.get(key), str) or not d[key].strip():
                problems.append(f"{label}: field {key!r} must be a non-empty string")
        for key in ("tags", "serves"):
            v = d.get(key)
            if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
                problems.append(f"{label}: field {key!r} must be a list of strings")
        if isinstance(d.get("tags"), list) and not d["tags"]:
            problems.append(f"{label}: field 'tags' must not be empty")
        steps: list[tuple[tuple[str, str], ...]] = []
        gw = d.get("gateways", [])
        if not isinstance(gw, list):
            problems.append(f"{label}: field 'gateways' must be a list of steps")
            gw = []
        for i, step in enumerate(gw):
            if not isinstance(step, list) or not step:
                problems.append(f"{label}: gateways[{i}] must be a non-empty list of 'hub:mode'")
                continue
            options = []
            for opt in step:
                hub, sep, mode = opt.partition(":") if isinstance(opt, str) else ("", "", "")
                if not sep or not hub or mode not in MODES:
                    problems.append(
                        f"{label}: gateways[{i}]: {opt!r} is not 'hub:mode' with a mode from "
                        f"{', '.join(MODES)}"
                    )
                    continue
                options.append((hub, mode))
            steps.append(tuple(options))
        if problems:
            raise DataError("; ".join(problems))
        return cls(
            id=d["id"],
            name=d["name"],
            description=str(d.get("description", "")),
            tags=tuple(d["tags"]),
            gateways=tuple(steps),
            serves=tuple(d["serves"]),
            source=d["source"],
        )

    def check(self, net: Network) -> None:
        """Raise DataError if a gateway hub is unknown or a tag is on no link of ``net``."""
        problems = []
        for step in self.gateways:
            for hub, _ in step:
                if hub not in net._nodes.index:
                    problems.append(
                        f"corridor {self.id!r}: gateway hub {hub!r} is not in the network"
                    )
        used = {t for tags in net._edges["corridors"] for t in tags}
        for t in self.tags:
            if t not in used:
                problems.append(f"corridor {self.id!r}: tag {t!r} is on no link")
        if problems:
            raise DataError("; ".join(problems))


def load_corridors(path: str | os.PathLike[str] | None = None) -> tuple[Corridor, ...]:
    """Corridor definitions from a JSON file (the bundled ``corridors.json`` by default).

    Examples
    --------
    >>> [c.id for c in load_corridors()][:3]
    ['china_laos', 'land_sea', 'guizhou_guangdong']
    """
    if path is None:
        return _bundled()
    return _read(Path(path))


@cache
def _bundled() -> tuple[Corridor, ...]:
    from corridor.io import bundled_data_path

    return _read(bundled_data_path("corridors.json"))


def _read(p: Path) -> tuple[Corridor, ...]:
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{p}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{p}: not a JSON corridor file: {exc}") from None
    items = doc.get("corridors") if isinstance(doc, dict) else None
    if not isinstance(items, list) or not items:
        raise DataError(f"{p}: expected {{'corridors': [...]}} with at least one corridor")
    out = [Corridor.from_dict(item, where=str(p)) for item in items]
    ids = [c.id for c in out]
    dup = sorted({i for i in ids if ids.count(i) > 1})
    if dup:
        raise DataError(f"{p}: duplicate corridor ids: {', '.join(dup)}")
    return tuple(out)


def select(
    corridors: Sequence[str | Corridor] | None, available: Sequence[Corridor]
) -> list[Corridor]:
    """Corridors by id (or as given); unknown ids raise DataError listing the known ones."""
    if corridors is None:
        return list(available)
    if isinstance(corridors, str | Corridor):
        corridors = [corridors]
    by_id = {c.id: c for c in available}
    out = []
    for c in corridors:
        if isinstance(c, Corridor):
            out.append(c)
        elif c in by_id:
            out.append(by_id[c])
        else:
            raise DataError(f"unknown corridor {c!r}; known: {', '.join(by_id)}")
    return out
