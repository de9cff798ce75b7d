"""Named corridors, defined in data: the gateways a route must pass, feeders free."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from corridor._checks import shown
from corridor._errors import DataError
from corridor._schema import MODES
from corridor.network import Network

__all__ = ["Corridor", "Gateway", "load_corridors"]


@dataclass(frozen=True, slots=True)
class Gateway:
    """One way to meet a gateway step: arriving at (or leaving) a hub by a mode."""

    hub: str
    mode: str
    #: "arrive" (a link or service ride into the hub by ``mode``), "depart" (out of it),
    #: "link" (running over link ``link`` from its ``from`` end to its ``to`` end) or
    #: "link_back" (from its ``to`` end to its ``from`` end)
    direction: str = "arrive"
    link: str | None = None

    def flipped(self) -> Gateway:
        """The same gateway met the other way: arriving for leaving, a link run backwards."""
        turn = {"arrive": "depart", "depart": "arrive", "link": "link_back", "link_back": "link"}
        return Gateway(self.hub, self.mode, turn[self.direction], self.link)

    def __str__(self) -> str:
        if self.direction in ("link", "link_back"):
            back = " backwards" if self.direction == "link_back" else ""
            return f"running over link {self.link}{back}"
        verb = "arriving at" if self.direction == "arrive" else "leaving"
        return f"{verb} {self.hub} by {self.mode.replace('_', ' ')}"


@dataclass(frozen=True, slots=True)
class Corridor:
    """A corridor: the gateways a route must pass, in order, and whom it serves.

    Feeder legs to and from the gateways may use any link, so any origin can feed the
    corridor; ``modes`` (optional) limits the whole route to some modes (the road corridor).

    Attributes
    ----------
    id, name, description, source : str
    gateways : tuple of tuple of Gateway
        Steps the route must pass in order; each step is met by any one of its options,
        e.g. ``Gateway("boten", "rail")``: arriving at Boten by rail.
    serves : tuple of str
        ISO 3166 alpha-3 codes of the destination countries the corridor is offered for.
    modes : tuple of str or None
        The only modes the route may use (None: any).
    exclusive : bool
        A way out (the default): its routes may not pass the gateways of the other
        exclusive corridors. The all-sea corridors are not: any way out may feed them.
    onward : tuple of Gateway
        A last step the route must also pass unless the destination is in one of the
        ``onward_unless`` countries: e.g. leaving a Greater Bay Area port by sea, for the
        Guizhou–Guangdong trains to anywhere but China and Hong Kong.
    onward_unless : tuple of str
    inbound : bool
        The corridor run the other way (:meth:`reversed`): into China from the countries it
        serves; its steps, met the other way, in reverse order.
    """

    id: str
    name: str
    description: str
    gateways: tuple[tuple[Gateway, ...], ...]
    serves: tuple[str, ...]
    source: str
    modes: tuple[str, ...] | None = None
    exclusive: bool = True
    onward: tuple[Gateway, ...] = ()
    onward_unless: tuple[str, ...] = ()
    inbound: bool = False

    def steps_to(self, country: str) -> tuple[tuple[Gateway, ...], ...]:
        """The gateway steps of a route to a destination in ``country`` (inbound: from an
        origin in ``country``, the onward step first)."""
        if self.onward and country not in self.onward_unless:
            return (self.onward, *self.gateways) if self.inbound else (*self.gateways, self.onward)
        return self.gateways

    def reversed(self) -> Corridor:
        """The corridor run the other way, for boxes coming in: the steps in reverse order,
        each met the other way (arriving at a Beibu Gulf port by sea, then leaving it by
        rail, for the Land–Sea corridor's imports).

        Examples
        --------
        >>> c = {x.id: x for x in load_corridors()}["land_sea"].reversed()
        >>> str(c.gateways[0][0]), c.inbound
        ('arriving at qinzhou_port by sea', True)
        """
        return _reversed(self)

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
        v = d.get("serves")
        if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
            problems.append(f"{label}: field 'serves' must be a list of strings")
        modes = d.get("modes")
        if modes is not None and (
            not isinstance(modes, list) or not modes or any(m not in MODES for m in modes)
        ):
            problems.append(f"{label}: field 'modes' must be a non-empty list from {MODES}")
        if not isinstance(d.get("exclusive", True), bool):
            problems.append(f"{label}: field 'exclusive' must be true or false")
        if "tags" in d:
            problems.append(
                f"{label}: field 'tags' is no longer used: a corridor is its 'gateways' "
                "(feeders may use any link)"
            )
        onward: tuple[Gateway, ...] = ()
        if "onward" in d:
            parsed = cls._parse_steps([d["onward"]], label, "onward", problems)
            onward = parsed[0] if parsed else ()
        unless = d.get("onward_unless", [])
        if not isinstance(unless, list) or not all(isinstance(x, str) for x in unless):
            problems.append(f"{label}: field 'onward_unless' must be a list of country codes")
            unless = []
        steps: list[tuple[Gateway, ...]] = []
        gw = d.get("gateways", [])
        if not isinstance(gw, list):
            problems.append(f"{label}: field 'gateways' must be a list of steps")
            gw = []
        steps = cls._parse_steps(gw, label, "gateways", problems)
        if not steps and modes is None and not problems:
            problems.append(f"{label}: needs 'gateways' or 'modes': else it is any route")
        if problems:
            raise DataError("; ".join(problems))
        return cls(
            id=d["id"],
            name=d["name"],
            description=str(d.get("description", "")),
            gateways=tuple(steps),
            serves=tuple(d["serves"]),
            source=d["source"],
            modes=tuple(modes) if modes is not None else None,
            exclusive=d.get("exclusive", True),
            onward=onward,
            onward_unless=tuple(unless),
        )

    @staticmethod
    def _parse_steps(
        raw: list[Any], label: str, field: str, problems: list[str]
    ) -> list[tuple[Gateway, ...]]:
        steps: list[tuple[Gateway, ...]] = []
        for i, step in enumerate(raw):
            if not isinstance(step, list) or not step:
                problems.append(f"{label}: {field}[{i}] must be a non-empty list of 'hub:mode'")
                continue
            options = []
            for opt in step:
                parts = opt.split(":") if isinstance(opt, str) else []
                if len(parts) == 2 and parts[0] == "link" and parts[1]:
                    options.append(Gateway("", "", "link", parts[1]))
                    continue
                ok = len(parts) in (2, 3) and parts[0] and parts[1] in MODES
                if ok and len(parts) == 3 and parts[2] not in ("arrive", "depart"):
                    ok = False
                if not ok:
                    problems.append(
                        f"{label}: {field}[{i}]: {opt!r} is not 'hub:mode', "
                        f"'hub:mode:depart' (a mode from {', '.join(MODES)}) or 'link:ID'"
                    )
                    continue
                options.append(Gateway(*parts))
            steps.append(tuple(options))
        return steps

    def check(self, net: Network) -> None:
        """Raise DataError if a gateway hub is unknown to ``net``."""
        problems = [
            f"corridor {self.id!r}: gateway link {gw.link!r} is not in the network"
            if gw.direction in ("link", "link_back")
            else f"corridor {self.id!r}: gateway hub {gw.hub!r} is not in the network"
            for step in (*self.gateways, self.onward)
            for gw in step
            if (
                gw.link not in net._edges.index
                if gw.direction in ("link", "link_back")
                else gw.hub not in net._nodes.index
            )
        ]
        if problems:
            raise DataError("; ".join(problems))


@cache
def _reversed(c: Corridor) -> Corridor:
    return Corridor(
        id=c.id,
        name=c.name,
        description=c.description,
        gateways=tuple(tuple(gw.flipped() for gw in step) for step in reversed(c.gateways)),
        serves=c.serves,
        source=c.source,
        modes=c.modes,
        exclusive=c.exclusive,
        onward=tuple(gw.flipped() for gw in c.onward),
        onward_unless=c.onward_unless,
        inbound=not c.inbound,
    )


def load_corridors(path: str | os.PathLike[str] | None = None) -> tuple[Corridor, ...]:
    """Corridor definitions from a JSON file (the bundled ``corridors.json`` by default).

    Examples
    --------
    >>> [c.id for c in load_corridors()][:3]
    ['china_laos', 'land_sea', 'china_vietnam_rail']
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
    except IsADirectoryError:
        raise DataError(f"{p}: is a directory, not a corridor file") from None
    except OSError as exc:
        raise DataError(f"{p}: cannot be read: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{p}: not a JSON corridor file: {exc}") from None
    except RecursionError:
        raise DataError(f"{p}: not a corridor file: JSON nested too deeply") from None
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
    if isinstance(corridors, bytes | Mapping) or not isinstance(corridors, Iterable):
        raise DataError(f"corridors must be a list of corridor ids, got {shown(corridors)}")
    by_id = {c.id: c for c in available}
    out = []
    for c in corridors:
        if isinstance(c, Corridor):
            out.append(c)
        elif isinstance(c, str) and c in by_id:
            out.append(by_id[c])
        else:
            raise DataError(f"unknown corridor {shown(c)}; known: {', '.join(by_id)}")
    return out
