"""The data schema: allowed values and the typed fields of hubs and links, defined once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

MODES: Final = ("rail", "road", "sea", "inland_waterway", "air")
KINDS: Final = (
    "city",
    "rail_terminal",
    "dry_port",
    "seaport",
    "river_port",
    "airport",
    "border",
    "waypoint",
    "bonded_zone",
)
STATUSES: Final = ("operational", "under_construction", "planned")
GAUGES_MM: Final = (1000, 1067, 1435, 1520)
ROAD_CLASSES: Final = ("expressway", "national", "mountain")
TERRAINS: Final = ("plain", "hilly", "mountain")
#: Largest distance (km) allowed between a link geometry's end and its hub.
END_TOLERANCE_KM: Final = 5.0
#: Longest link (km): half the Earth's circumference (no shortest way is longer).
MAX_LINK_KM: Final = 20_040.0
#: Longest time (h) or money (USD per TEU) one link, crossing or handling can take: a
#: year, and twice the value of a loaded TEU (corridor.costs: USD 54,500): bounds of the
#: physical, not of the plausible, that catch 1e308 and unit mistakes.
MAX_HOURS: Final = 8_760.0
MAX_USD: Final = 110_000.0
#: km/h nothing of the mode can beat (a physical bound on speeds and published times):
#: rail 160, the design speed of the China–Laos Railway and the top speed of Chinese
#: container trains; road 130 (above any truck speed limit on the network); sea 46.3 (25
#: knots, above any container ship's service speed); inland waterway 30; air 950 (a
#: freighter's cruise speed).
MAX_SPEED_KMH: Final = {
    "rail": 160.0,
    "road": 130.0,
    "sea": 46.3,
    "inland_waterway": 30.0,
    "air": 950.0,
}

FieldType = Literal["str", "float", "int", "bool", "list[str]"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One property of a feature: its type, whether it must be there, its bounds."""

    name: str
    type: FieldType
    required: bool = False
    nullable: bool = True
    choices: tuple[str, ...] | tuple[int, ...] | None = None
    #: numbers: the value must be > ``gt`` (if set) and >= ``ge`` (if set)
    gt: float | None = None
    ge: float | None = None
    le: float | None = None
    doc: str = ""


def _req(name: str, type_: FieldType, doc: str, **kw: object) -> FieldSpec:
    return FieldSpec(name, type_, required=True, nullable=False, doc=doc, **kw)  # type: ignore[arg-type]


def _opt(name: str, type_: FieldType, doc: str, **kw: object) -> FieldSpec:
    return FieldSpec(name, type_, doc=doc, **kw)  # type: ignore[arg-type]


NODE_FIELDS: Final[tuple[FieldSpec, ...]] = (
    _req("id", "str", "stable slug"),
    _req("name", "str", "English name"),
    _opt("name_zh", "str", "Chinese name"),
    _opt("aliases", "list[str]", "other names: pinyin, local, UN/LOCODE"),
    _req("kind", "str", "what the hub is", choices=KINDS),
    _req("country", "str", "ISO 3166 alpha-3 code"),
    _req("modes", "list[str]", "modes served", choices=MODES),
    _opt("handling_usd", "float", "USD per TEU to change mode here", ge=0.0, le=MAX_USD),
    _opt("dwell_hours", "float", "hours per TEU to change mode here", ge=0.0, le=MAX_HOURS),
    _opt("crossing_hours", "float", "hours to pass: border, lock or canal", ge=0.0, le=MAX_HOURS),
    _opt("crossing_usd", "float", "USD per TEU to pass: border, lock or canal", ge=0.0, le=MAX_USD),
    _opt("gauge_change_hours", "float", "hours to change rail gauge here", ge=0.0, le=MAX_HOURS),
    _opt("gauge_change_usd", "float", "USD per TEU to change rail gauge here", ge=0.0, le=MAX_USD),
    _opt(
        "clears_for",
        "list[str]",
        "seaports (hub ids) whose export clearance a declaration at this inland port replaces",
    ),
    _req("source", "str", "where the facts come from"),
    _opt("method", "str", "how derived values were derived"),
)

EDGE_FIELDS: Final[tuple[FieldSpec, ...]] = (
    _req("id", "str", "stable slug"),
    _req("from", "str", "hub id at the geometry's start"),
    _req("to", "str", "hub id at the geometry's end"),
    _req("mode", "str", "transport mode", choices=MODES),
    _req("line", "str", "service or route name"),
    _opt("corridors", "list[str]", "corridors the link belongs to"),
    _req("length_km", "float", "route length", gt=0.0, le=MAX_LINK_KM),
    _opt(
        "speed_kmh",
        "float",
        "commercial freight speed, if published (at most the mode's MAX_SPEED_KMH)",
        gt=0.0,
        le=max(MAX_SPEED_KMH.values()),
    ),
    _opt("transit_hours", "float", "published transit time over the link", gt=0.0, le=MAX_HOURS),
    _opt(
        "ordinary_speed_kmh",
        "float",
        "rail: speed of ordinary trains (no listed service) where the link's speed_kmh is a "
        "block train's, if published (at most speed_kmh)",
        gt=0.0,
        le=MAX_SPEED_KMH["rail"],
    ),
    _opt("tariff_usd_per_teu_km", "float", "line-specific tariff", gt=0.0, le=100.0),
    _opt("gauge_mm", "int", "rail gauge (rail only)", choices=GAUGES_MM),
    _opt(
        "road_class", "str", "expressway, national or mountain (road links)", choices=ROAD_CLASSES
    ),
    _opt("terrain", "str", "terrain the link crosses", choices=TERRAINS),
    _opt(
        "headhaul",
        "str",
        "sea links of an unbalanced trade lane: the loaded direction (forward = from -> to); "
        "the other pays CostModel.sea_backhaul_factor",
        choices=("forward", "backward"),
    ),
    _req("status", "str", "operational, under_construction or planned", choices=STATUSES),
    _opt("opens", "int", "year the line opened or is due to", ge=1800, le=2100),
    _req("bidirectional", "bool", "usable both ways"),
    _req("source", "str", "where the facts come from"),
    _opt("method", "str", "how derived values were derived"),
)

NODE_FIELD_NAMES: Final = tuple(f.name for f in NODE_FIELDS)
EDGE_FIELD_NAMES: Final = tuple(f.name for f in EDGE_FIELDS)
#: the link figures a search divides by or multiplies with (floats; each > 0 when given)
EDGE_NUMBERS: Final = (
    "length_km",
    "speed_kmh",
    "transit_hours",
    "ordinary_speed_kmh",
    "tariff_usd_per_teu_km",
)
