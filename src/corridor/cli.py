"""The ``corridor`` command line: route, compare, scenarios, sensitivity, hubs, lines, maps.

Every bad input or fault ends in one line ``error: …`` on stderr and exit code 1 (usage
errors, as Click reports them, exit 2); nothing from data or the user is read as Rich
markup, and output that the terminal's encoding cannot hold is replaced, not fatal. Set
``CORRIDOR_DEBUG=1`` to see the traceback of an unexpected error.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import math
import numbers
import os
import re
import shutil
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text
from typer.core import TyperGroup

from corridor import __version__
from corridor._checks import check_int, check_number, check_seed
from corridor._checks import shown as _shown
from corridor._errors import CorridorError, DataError, NodeNotFound, NoRouteError
from corridor._schema import MODES
from corridor.costs import CRITERIA, CostModel
from corridor.io import load_network, validate_paths
from corridor.scenario import Scenario, load_scenarios, presets
from corridor.sensitivity import DEFAULT_VARY, PARAMETERS
from corridor.sensitivity import MAX_SAMPLES as _MAX_SAMPLES
from corridor.tradeoffs import MAX_K as _MAX_K

#: longest error line printed (a megabyte of input never becomes a megabyte of message)
MAX_LINE_CHARS = 1_000
#: most problems of one DataError printed, one line each
MAX_PROBLEM_LINES = 20
#: largest scenario or pairs file read (they are small; a device or a huge file is a mistake)
MAX_INPUT_BYTES = 64 * 2**20
#: bounds of numeric options (the library's own)
MAX_SAMPLES = _MAX_SAMPLES
MAX_ROUTES = _MAX_K
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
    parquet = "parquet"


#: the format an --output file's extension implies
EXTENSION_FORMAT: dict[str, Format] = {
    ".csv": Format.csv,
    ".json": Format.json,
    ".geojson": Format.geojson,
    ".parquet": Format.parquet,
}


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"corridor {__version__}\n")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="print the version and exit", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Route freight across the multimodal corridors out of Guizhou."""


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


#: value of time of the default cost model, USD per TEU-hour (cargo value x daily % / 24)
VALUE_OF_TIME = CostModel().value_of_time_usd_per_hour
GENERALIZED = "generalized cost (USD + value of time + carbon)"
LIST_HELP = "repeatable or comma-separated"

FormatOpt = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="output format (default: from the --output file's extension: .csv, .json, "
        ".geojson, .parquet; else table)",
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="write to this file instead of the terminal; its extension picks the format",
        callback=_output_option("--output"),
    ),
]
ByOpt = Annotated[
    By,
    typer.Option(
        "--by",
        help=f"what to minimise: generalized = {GENERALIZED} per TEU, time valued at USD "
        f"{VALUE_OF_TIME:.2f} per TEU-hour (cargo value x daily time cost, CostModel) and CO2 "
        "at the carbon price (0 by default); or usd, hours, km, co2 alone",
    ),
]
ScenarioOpt = Annotated[
    str | None,
    typer.Option(
        "--scenario",
        "-s",
        help="a preset key (see `corridor scenarios --list`) or a JSON scenario file",
    ),
]
WideOpt = Annotated[
    bool,
    typer.Option(
        "--wide",
        help="show every column in full, however wide (by default a table in a terminal fits "
        "its width: long text folds or gives way first, numbers and ids are never cut)",
    ),
]
CorridorsOpt = Annotated[
    list[str] | None,
    typer.Option(metavar="ID,...", help=f"corridor ids ({LIST_HELP}; default: all)"),
]


def _listed(help_: str, metavar: str = "NAME") -> Any:
    """A list option shown as ``NAME,...`` in --help, said to be repeatable or
    comma-separated."""
    return typer.Option(metavar=f"{metavar},...", help=f"{help_} ({LIST_HELP})")


# -------------------------------------------------------------------------- output format


def _need_pyarrow(output: Path) -> None:
    """Refuse a .parquet output before any work when pyarrow is missing."""
    try:
        importlib.import_module("pyarrow")
    except ImportError:
        raise DataError(
            f"--output {_p(output)}: writing .parquet needs pyarrow: "
            "pip install 'corridor[dask]' (or pip install pyarrow)"
        ) from None


def _format(fmt: Format | None, output: Path | None, *, geojson: bool = True) -> Format:
    """The output format: --format, else the one the --output file's extension implies, else
    a table; checked before any work (a contradiction, GeoJSON where there is no geometry,
    Parquet without pyarrow or without a file)."""
    implied = EXTENSION_FORMAT.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        fmt = implied or Format.table
    elif (
        implied is not None
        and fmt is not implied
        and not (fmt is Format.geojson and implied is Format.json)  # GeoJSON is JSON
    ):
        assert output is not None
        raise DataError(
            f"--format {fmt.value} contradicts --output {_p(output)} (a {implied.value} "
            f"file); leave out --format, or give a file the format fits"
        )
    if fmt is Format.geojson and not geojson:
        if implied is Format.geojson and output is not None:
            raise DataError(
                f"--output {_p(output)}: GeoJSON is not available for this command; "
                "use a .csv, .json or .parquet file"
            )
        raise DataError(
            "--format geojson is not available for this command; use table, json or csv"
        )
    if fmt is Format.parquet:
        if output is None:
            raise DataError("--format parquet writes a file: give --output NAME.parquet")
        _need_pyarrow(output)
    return fmt


# ------------------------------------------------------------------------------ numbers

#: decimals shown and written, by column name (the first pattern found wins; 0: whole
#: numbers): USD to 1, days and hours to 0.1, km and kg CO2 to 1, coordinates to 4
_ROUNDING: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern), decimals)
    for pattern, decimals in (
        (r"(^|_)(lon|lat)$", 4),
        (r"share", 3),
        (r"utilisation", 2),
        (r"per_week", 2),
        (r"usd|generalized|gen_cost", 0),
        (r"co2_kg", 0),
        (r"(^|_)(wtw|ttw)_kg$|^co2e_", 1),
        (r"_per_t(eu)?km$", 1),
        (r"(^|_)tkm$", 0),
        (r"days|hours|(^|_)h$", 1),
        (r"km", 0),
    )
)
#: columns that count things: whole numbers
_COUNTS = re.compile(r"^(d_)?(transfers|border_crossings|borders|gauge_changes|links)$")


def _decimals(column: object) -> int | None:
    """Decimals a numeric column is rounded to, by its name (None: as it is).

    Examples
    --------
    >>> [_decimals(c) for c in ("usd_p50", "wait_hours", "km", "transfers", "lat", "model")]
    [0, 1, 0, 0, 4, None]
    """
    name = str(column)
    if _COUNTS.match(name):
        return 0
    return next((d for pattern, d in _ROUNDING if pattern.search(name)), None)


def _round(value: Any, column: object) -> Any:
    """One figure rounded as its column is (whole numbers as int); others unchanged."""
    d = _decimals(column)
    if d is None or isinstance(value, bool) or not isinstance(value, numbers.Real):
        return value
    x = float(value)
    if not math.isfinite(x):
        return None if math.isnan(x) else x
    return round(x) if d == 0 else round(x, d)


def _rounded(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every known numeric column rounded for output (whole-number columns as
    nullable integers), so that JSON and CSV read 11602.6, not 11602.600000000002."""
    df = df.copy()
    for col in df.columns:
        s = df[col]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            continue
        d = _decimals(col)
        if d is None:
            continue
        x = s.astype("float64").round(d)
        finite = x.dropna()
        if d == 0 and finite.map(math.isfinite).all():
            df[col] = x.astype("Int64")
        else:
            df[col] = x
    return df


def _cell(value: Any, column: object) -> str:
    """A figure as shown in a table: rounded as in JSON, thousands separated, changes
    (``d_*``) signed, shares of wins in percent.

    Examples
    --------
    >>> _cell(11602.600000000002, "usd"), _cell(12.46, "days"), _cell(-0.01, "d_days")
    ('11,603', '12.5', '0.0')
    >>> _cell(191.2, "d_usd"), _cell(0.625, "win_share"), _cell(102.6, "lon")
    ('+191', '62.5%', '102.6000')
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return _clean(value)
    name = str(column)
    x = float(value)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if name == "win_share":
        return f"{round(x, 3) * 100:.1f}%"
    d = _decimals(name)
    if d is None:  # not a known measure: a readable number of decimals
        if isinstance(value, numbers.Integral):
            return f"{int(value):,}"
        d = 0 if abs(x) >= 100 else 1 if abs(x) >= 10 else 2
    sign = "+" if name.startswith("d_") else ""
    text = f"{round(x, d):{sign},.{d}f}"
    if text.lstrip("+-").strip("0.,") == "":  # +0, -0.0: no change
        text = text.lstrip("+-")
    return text


# ------------------------------------------------------------------------------ tables

#: headers shown instead of a column's name
_LABELS = {
    "generalized": "gen_cost",
    "d_generalized": "d_gen_cost",
    "baseline_generalized": "baseline_gen_cost",
    "generalized_p10": "gen_cost_p10",
    "generalized_p50": "gen_cost_p50",
    "generalized_p90": "gen_cost_p90",
    "win_share": "wins",
}
#: narrowest a folding text column is made (or its header, or its longest word up to
#: WORD_MAX, if longer)
TEXT_MIN = 14
WORD_MAX = 18
#: columns between two table columns
GAP = 2


class _Buffer(io.StringIO):
    """Rendered text, with the encoding of the stream it goes to (Rich draws ASCII boxes
    for a legacy encoding)."""

    def __init__(self, encoding: str) -> None:
        super().__init__()
        self._target_encoding = encoding

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return self._target_encoding


def _terminal_width() -> int | None:
    """Columns of the terminal stdout is, or None if it is not one (a pipe, a file)."""
    try:
        if sys.stdout is None or not sys.stdout.isatty():
            return None
    except (AttributeError, OSError, ValueError):
        return None
    return max(20, shutil.get_terminal_size((80, 24)).columns)


_TRAILING = re.compile(r"(?:[ \t]|\x1b\[[0-9;]*m)+$")


def _rstrip(line: str) -> str:
    """A line without trailing blanks, its closing style codes kept."""
    m = _TRAILING.search(line)
    if m is None:
        return line
    return line[: m.start()] + "".join(re.findall(r"\x1b\[[0-9;]*m", m[0]))


@dataclass(slots=True)
class _Col:
    name: str
    label: str
    cells: list[str]
    kind: str  # "id": never cut nor dropped; "num" and "key": never cut; "text": folds
    natural: int = 0
    minimum: int = 0

    def __post_init__(self) -> None:
        widths = [cell_len(c) for c in self.cells]
        self.natural = max([cell_len(self.label), *widths])
        least = self.natural
        if self.kind == "text":  # as narrow as TEXT_MIN, or its longest word (within reason)
            words = [cell_len(w) for c in self.cells for w in c.split()]
            least = max(cell_len(self.label), TEXT_MIN, min(max(words, default=0), WORD_MAX))
        self.minimum = min(least, self.natural)


def _span(widths: Iterable[int]) -> int:
    ws = list(widths)
    return sum(ws) + GAP * max(len(ws) - 1, 0)


def _fit(
    cols: list[_Col], width: int, gives_way: Sequence[str]
) -> tuple[list[_Col], list[int], list[_Col]]:
    """The columns shown in ``width`` and their widths, and the columns left out.

    Text columns fold first (down to their minimum); when even that is too wide, columns
    are left out in the order of ``gives_way``. Numbers, keys and ids keep their widths."""
    shown = list(cols)
    dropped: list[_Col] = []
    for name in gives_way:
        if _span(c.minimum for c in shown) <= width:
            break
        found = [c for c in shown if c.name == name and c.kind != "id"]
        for c in found:
            shown.remove(c)
            dropped.append(c)
    widths = [c.minimum for c in shown]
    room = width - _span(widths)
    texts = [i for i, c in enumerate(shown) if c.kind == "text"]
    while room > 0:  # water-filling: the text column furthest from its natural width first
        wanting = [i for i in texts if widths[i] < shown[i].natural]
        if not wanting:
            break
        i = max(wanting, key=lambda j: shown[j].natural - widths[j])
        widths[i] += 1
        room -= 1
    return shown, widths, dropped


def _table(cols: list[_Col], widths: list[int], rows: list[list[str]], header: bool) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
        show_header=header,
        header_style="bold",
        expand=False,
    )
    for c, w in zip(cols, widths, strict=True):
        table.add_column(
            Text(c.label),
            justify="right" if c.kind == "num" else "left",
            width=w,
            no_wrap=c.kind != "text",
            overflow="fold",
            style="bold" if c.kind == "id" else None,
        )
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def _show(
    df: pd.DataFrame,
    title: str | Sequence[str] | None = None,
    *,
    wide: bool = False,
    output: Path | None = None,
    text: Sequence[str] = (),
    gives_way: Sequence[str] | None = None,
    notes: Sequence[str] = (),
    apart: Mapping[Any, str] | None = None,
    apart_in: str | None = None,
    grouped: bool = False,
    fold_index: bool = False,
    labels: Mapping[str, str] | None = None,
    collect: list[Any] | None = None,
) -> None:
    """Print (or write to ``output``) a frame as a table that reads in the terminal
    (or, with ``collect``, add what would be printed to it, for one print of several).

    In a terminal, unless ``wide``, the table fits its width: ``text`` columns fold, then
    columns are left out in the order of ``gives_way`` (by default the text columns, then
    the others from the last), and a note says which. Numbers and ids are never broken, and
    are shown rounded as in JSON. Piped or written to a file, every column is shown in full,
    with no padding at the ends of lines. Rows named in ``apart`` (label -> text) are listed
    under the table instead when column ``apart_in`` is left out. With ``grouped``, the first
    level of a two-level index heads groups of rows.
    """
    df = _rounded(df)
    width = None if wide or output is not None else _terminal_width()
    index_label = " / ".join(str(n) for n in df.index.names if n is not None) or ""
    if grouped and df.index.nlevels == 2:
        groups = [str(g) for g in df.index.get_level_values(0)]
        ids = [str(i) for i in df.index.get_level_values(1)]
        index_label = str(df.index.names[1] or "")
    else:
        groups = []
        ids = [" / ".join(map(str, i)) if isinstance(i, tuple) else str(i) for i in df.index]
    text_cols = set(text)
    cols = [_Col("", index_label, [_clean(i) for i in ids], "text" if fold_index else "id")]
    if fold_index:
        cols[0].minimum = min(cols[0].natural, max(cell_len(index_label), 24))
    for col in df.columns:
        numeric = pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col])
        kind = "num" if numeric else "text" if col in text_cols else "key"
        cells = [_cell(v, col) for v in df[col]]
        label = (labels or {}).get(str(col)) or _LABELS.get(str(col), str(col))
        cols.append(_Col(str(col), label, cells, kind))
    lines: list[Text] = []
    if title:
        for t in [title] if isinstance(title, str) else title:
            lines.append(Text(_clean(t), style="bold" if not lines else ""))
    dropped: list[_Col] = []
    if width is None:
        shown, widths = cols, [c.natural for c in cols]
    else:
        order = list(gives_way) if gives_way is not None else []
        if gives_way is None:
            order = [c.name for c in reversed(cols[1:]) if c.kind == "text"]
            order += [c.name for c in reversed(cols[1:]) if c.kind != "text"]
        shown, widths, dropped = _fit(cols, width, order)
    keep_rows = list(range(len(df)))
    after: list[str] = []
    if apart and apart_in in {c.name for c in dropped}:
        listed: dict[str, list[str]] = {}
        row_labels = list(df.index)
        for i, label in enumerate(row_labels):
            if label in apart:
                listed.setdefault(apart[label], []).append(ids[i])
        keep_rows = [i for i, label in enumerate(row_labels) if label not in apart]
        after = [f"{_bracket(why)}: {', '.join(names)}" for why, names in listed.items()]
    position = {c.name: k for k, c in enumerate(cols)}
    rows = [[cols[position[c.name]].cells[i] for c in shown] for i in keep_rows]
    renderables: list[Any] = list(lines)
    if groups:
        renderables.append(_table(shown, widths, [], header=True))
        start = 0
        for k in range(1, len(keep_rows) + 1):
            if k == len(keep_rows) or groups[keep_rows[k]] != groups[keep_rows[start]]:
                renderables.append(Text(_clean(groups[keep_rows[start]]), style="bold"))
                renderables.append(_table(shown, widths, rows[start:k], header=False))
                start = k
    else:
        renderables.append(_table(shown, widths, rows, header=True))
    tail = [*after, *notes]
    if dropped:
        names = ", ".join(c.label for c in dropped)
        tail.append(f"not shown at {width} columns: {names}; --wide shows every column")
    renderables.extend(Text(_clean(t), style="dim") for t in tail)
    if collect is not None:
        collect.extend(renderables)
        return
    _print(renderables, width, output)


def _bracket(note: str) -> str:
    """``"status: reason"`` as ``"status (reason)"``."""
    status, sep, reason = note.partition(": ")
    return f"{status} ({reason})" if sep else note


def _print(renderables: Sequence[Any], width: int | None, output: Path | None = None) -> None:
    """Render to text (wrapped at ``width``, else as wide as it is) and write it to stdout or
    ``output``, every line without trailing blanks."""
    tty = width is not None and output is None
    stream = sys.stdout
    encoding = "utf-8" if output is not None else getattr(stream, "encoding", None) or "utf-8"
    buf = _Buffer(encoding)
    console = _console(
        file=buf,
        width=width if width is not None else 100_000,
        force_terminal=tty,
        no_color=not tty,
        soft_wrap=False,
        legacy_windows=False,
    )
    for r in renderables:
        console.print(r)
    text = "\n".join(_rstrip(line) for line in buf.getvalue().splitlines()) + "\n"
    if output is None:
        stream.write(text)
        stream.flush()
    else:
        _write_text(output, text)


def _figures(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """Figures of a JSON document rounded as their names say."""
    return {k: _round(v, k) for k, v in pairs}


def _emit(
    df: pd.DataFrame,
    fmt: Format,
    output: Path | None,
    *,
    title: str | Sequence[str] | None = None,
    wide: bool = False,
    geojson: Callable[[], str] | None = None,
    **show: Any,
) -> None:
    """Print or write a table in the asked format; figures rounded in every format."""
    if fmt is Format.table:
        _show(df, title, wide=wide, output=output, **show)
    elif fmt is Format.parquet:
        assert output is not None
        flat = _rounded(df).reset_index()
        flat.columns = [str(c) for c in flat.columns]
        try:
            flat.to_parquet(output, index=False)
        except ImportError:
            _need_pyarrow(output)
            raise
        except OSError as exc:
            raise DataError(f"--output {_p(output)}: cannot write: {exc.strerror or exc}") from None
    else:
        if fmt is Format.json:
            text = _rounded(df).reset_index().to_json(orient="records", force_ascii=False, indent=1)
        elif fmt is Format.csv:
            text = _rounded(df).to_csv()
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


def _geojson(frame: Any) -> str:
    """A GeoDataFrame as GeoJSON, its figures rounded."""
    rounded: Any = _rounded(frame)
    return str(rounded.to_json(na="null", ensure_ascii=False))


def _split(values: list[str] | None, option: str) -> list[str]:
    """Options given repeatedly or comma-separated; given, they must name something."""
    out_: list[str] = []
    for v in values or []:
        out_.extend(x.strip() for x in v.split(",") if x.strip())
    if values and not out_:
        raise DataError(f"{option}: empty value; leave the option out for the default")
    return out_


def _modes(values: list[str] | None, option: str) -> list[str]:
    """Modes as :func:`_split` gives them, any case (``RAIL``, ``Sea``, ``inland-waterway``)."""
    out_ = []
    for m in _split(values, option):
        key = re.sub(r"[\s-]+", "_", m.lower())
        out_.append(key if key in MODES else m)
    return out_


def _generalized_note(scenario: Scenario | None = None, costs: CostModel | None = None) -> str:
    """What the generalized cost is, with the value of time and carbon price in force."""
    cm = costs or (scenario.costs if scenario is not None and scenario.costs else CostModel())
    carbon = cm.carbon_price_usd_per_t
    if scenario is not None and scenario.carbon_price_usd_per_t is not None:
        carbon = scenario.carbon_price_usd_per_t
    return (
        f"gen_cost: {GENERALIZED} per TEU, time valued at USD "
        f"{cm.value_of_time_usd_per_hour:,.2f} per TEU-hour, carbon at USD {carbon:,.0f} per t"
    )


def _ranking(by: By) -> str:
    """What a ranking is by, as titles say it (the generalized cost defined on the next line)."""
    return "gen_cost" if by is By.generalized else by.value


#: the totals of a route in its JSON document
_TOTALS = (
    "total_usd", "total_hours", "total_days", "total_km", "total_co2_kg", "total_generalized",
    "wait_hours",
)  # fmt: skip


@app.command()
def route(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    by: ByOpt = By.generalized,
    via: Annotated[list[str] | None, _listed("hubs to pass, in order", "HUB")] = None,
    avoid: Annotated[list[str] | None, _listed("hubs or lines not to use", "HUB")] = None,
    modes: Annotated[
        list[str] | None,
        _listed("only these modes, any case: rail, road, sea, inland_waterway, air", "MODE"),
    ] = None,
    scenario: ScenarioOpt = None,
    depart: Annotated[
        str | None,
        typer.Option(
            help="leave then (ISO 8601, e.g. 2026-12-01T08:00): earliest arrival over the "
            "published departure days; --by must then be hours (the default with --depart)"
        ),
    ] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """The best route between two hubs, leg by leg (waits for departures included)."""
    from corridor.routing import parse_depart
    from corridor.routing import route as best

    fmt = _format(fmt, output)
    net = load_network()
    start = parse_depart(depart) if depart is not None else None
    scn = _scenario(scenario)
    r = best(
        net,
        origin,
        destination,
        by=None if start is not None and by is By.generalized else by.value,
        via=_split(via, "--via"),
        avoid=_split(avoid, "--avoid"),
        modes=_modes(modes, "--modes") or None,
        scenario=scn,
        depart=start,
    )
    legs = r.legs.copy()
    legs.index = pd.RangeIndex(1, len(legs) + 1, name="leg")
    if fmt is Format.json:
        doc = {
            "origin": r.origin,
            "destination": r.destination,
            "by": r.by,
            **_figures((k, getattr(r, k)) for k in _TOTALS),
            "departure": r.departure.isoformat() if r.departure else None,
            "arrival": r.arrival.isoformat() if r.arrival else None,
            "transfers": r.transfers,
            "border_crossings": r.border_crossings,
            "hubs": list(r.hubs),
            "services": list(r.services),
            "legs": json.loads(_rounded(r.legs).to_json(orient="records", force_ascii=False)),
        }
        if r.by == "generalized":
            cm = scn.costs if scn is not None and scn.costs is not None else CostModel()
            doc["value_of_time_usd_per_hour"] = round(cm.value_of_time_usd_per_hour, 2)
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        if output is None:
            sys.stdout.write(text + "\n")
        else:
            _write_text(output, text)
            _stderr(f"wrote {output}")
        return
    names = net._nodes["name"]
    t = r.transfers
    title = [
        f"{names[r.origin]} → {names[r.destination]}, best by {_ranking(By(r.by))}, per TEU",
        f"USD {_cell(r.total_usd, 'usd')} · {_cell(r.total_days, 'days')} days "
        f"({_cell(r.total_hours, 'hours')} h, {_cell(r.wait_hours, 'hours')} h of them waiting "
        f"for departures) · {_cell(r.total_km, 'km')} km · {_cell(r.total_co2_kg, 'co2_kg')} kg "
        f"CO2 · gen_cost {_cell(r.total_generalized, 'generalized')} · {t} transfer"
        f"{'s' if t != 1 else ''}, {r.border_crossings} border crossing"
        f"{'s' if r.border_crossings != 1 else ''}",
    ]
    if r.departure is not None and r.arrival is not None:
        title.append(
            f"leaves {r.departure:%a %Y-%m-%d %H:%M}, arrives {r.arrival:%a %Y-%m-%d %H:%M}"
        )
    title.append(_generalized_note(scn))
    shown = legs if wide or fmt is not Format.table else legs.drop(columns=["link"])
    _emit(
        shown,
        fmt,
        output,
        title=title,
        wide=wide,
        geojson=lambda: _geojson(r.to_geodataframe()),
        text=["line"],
        gives_way=[
            "line", "service", "link", "co2_kg", "wait_hours", "kind", "mode", "km",
            *_last(["hours", "usd", "generalized"], r.by),
        ],
    )  # fmt: skip


def _last(columns: list[str], by: str) -> list[str]:
    """``columns`` with the one ``by`` ranks on moved to the end (it gives way last)."""
    keys = {by, *{"co2": ["co2_kg"], "hours": ["days", "wait_days"]}.get(by, [])}
    return [c for c in columns if c not in keys] + [c for c in columns if c in keys]


def _comparison_geojson(results: dict[str, Any]) -> str:
    import geopandas as gpd

    frames = []
    for key, res in results.items():
        if res.route is not None:
            g = res.route.to_geodataframe()
            g.insert(0, "corridor", key)
            frames.append(g)
    return _geojson(gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326"))


_SHOW = [
    "name", "usd", "days", "wait_days", "km", "co2_kg", "generalized", "transfers", "borders",
    "route",
]  # fmt: skip
#: free-text columns of the comparison tables (they fold, and give way first)
_TEXT = ["name", "route", "path", "lines", "reason", "note", "description"]


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


def _why(status: object, reason: object) -> str:
    """A row's status and reason as one note (empty for a served row)."""
    if status == "ok":
        return ""
    return f"{status}: {reason}" if isinstance(reason, str) and reason else str(status)


def _brief(df: pd.DataFrame, *, reliability: bool = False) -> pd.DataFrame:
    """The comparison as a terminal table: the path, or why there is none (with the
    percentile columns after ``days`` when ``reliability``)."""
    brief = df.rename(columns={"border_crossings": "borders"}).copy()
    brief["wait_days"] = brief["wait_hours"] / 24
    brief["route"] = [
        p if s == "ok" else _why(s, r)
        for p, s, r in zip(df["path"], df["status"], df["reason"], strict=True)
    ]
    brief.index.name = "corridor"
    cols = list(_SHOW)
    if reliability:
        at = cols.index("days") + 1
        cols[at:at] = ["p50_days", "p90_days", "p95_days", "on_time_share"]
    return brief[cols]


def _comparison_table(
    df: pd.DataFrame,
    by: By,
    fmt: Format,
    output: Path | None,
    title: list[str],
    wide: bool,
    *,
    reliability: bool = False,
) -> None:
    """A comparison (:func:`corridor.compare.table`) in the asked format: in a table, the
    corridors without a route listed with their reasons under it if the terminal is too
    narrow for the route column."""
    if fmt is not Format.table:
        _emit(df, fmt, output)
        return
    shown = df if wide else _brief(df, reliability=reliability)
    apart = {k: _why(s, r) for k, s, r in zip(df.index, df["status"], df["reason"], strict=True)}
    _emit(
        shown,
        fmt,
        output,
        title=title,
        wide=wide,
        text=_TEXT,
        gives_way=[
            "name", "route", "borders", "wait_days", "transfers", "p95_days", "p50_days",
            *_last(["co2_kg", "km", "on_time_share", "p90_days", "days", "usd", "generalized"],
                   by.value),
        ],
        labels={"p50_days": "p50", "p90_days": "p90", "p95_days": "p95",
                "on_time_share": "on_time"},
        apart={k: v for k, v in apart.items() if v},
        apart_in="route",
    )  # fmt: skip


def _titles(head: str, scn: Scenario | None = None) -> list[str]:
    """A table's title, and what the generalized cost (column gen_cost) is."""
    lines = [head + (f"; scenario: {scn.name}" if scn is not None else "")]
    lines.append(_generalized_note(scn))
    return lines


@app.command()
def compare(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    by: ByOpt = By.generalized,
    corridors: CorridorsOpt = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
    reliability: Annotated[
        bool,
        typer.Option(
            "--reliability",
            help="add the 50th, 90th and 95th percentiles of the door-to-door days and the "
            "on-time share (within a day of the expected time), from 10,000 draws per corridor",
        ),
    ] = False,
    seed: Annotated[
        int, typer.Option(min=0, max=2**32 - 1, help="seed of the --reliability draws")
    ] = 0,
) -> None:
    """Compare the corridors between two hubs: USD, days, km, CO2 per TEU."""
    from corridor.compare import add_reliability, corridor_routes, table

    fmt = _format(fmt, output)
    net = load_network()
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
    if reliability:
        add_reliability(df, results, 10_000, seed)
    if fmt is Format.geojson:
        _emit(df, fmt, output, geojson=lambda: _comparison_geojson(results))
        return
    o, d = net.hub(origin).name, net.hub(destination).name
    head = f"{o} → {d}, per TEU, best first by {_ranking(by)}"
    titles = _titles(head, scn)
    if reliability:
        titles.append(
            "p50/p90/p95: percentiles of the door-to-door days (10,000 draws, seed "
            f"{seed}); on_time: share within a day of the expected days"
        )
    _comparison_table(df, by, fmt, output, titles, wide, reliability=reliability)


#: element columns of `corridor emissions`, and the short headers they are shown under
_ELEMENT_SHOWN = ["what", "vehicle", "energy", "km", "tkm", "wtw_g_per_tkm", "wtw_kg",
                  "ttw_kg", "tier"]  # fmt: skip
_ELEMENT_LABELS = {"wtw_g_per_tkm": "g/tkm", "wtw_kg": "WTW_kg", "ttw_kg": "TTW_kg"}
_VEHICLE_SHORT = {
    "rail_electric": "rail (electric)", "rail_diesel": "rail (diesel)", "truck": "truck 40 t",
    "container_ship_intra_asia": "ship intra-Asia", "container_ship_asia_europe": "ship Asia-EU",
    "barge": "barge", "freighter_short_haul": "freighter SH", "freighter_long_haul": "freighter LH",
    "rail_terminal": "rail terminal", "river_port": "river port", "gauge_change": "gauge change",
}  # fmt: skip


def _main_mode(route: Any) -> str:
    """The mode a route runs most of its km on."""
    legs = route.legs
    km = legs[legs["kind"] == "link"].groupby("mode")["km"].sum()
    return str(km.idxmax()) if len(km) else ""


@app.command()
def emissions(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    corridors: Annotated[
        list[str] | None,
        typer.Option(
            metavar="ID,...",
            help=f"corridors whose elements to list ({LIST_HELP}; default: the best rail "
            "and the best sea corridor, by generalized cost)",
        ),
    ] = None,
    cargo_t: Annotated[
        float | None,
        typer.Option(
            "--cargo-t",
            help="tonnes of cargo in a loaded TEU, on which trains, trucks, barges and "
            "aircraft are counted (default 12, the middle of 10-14 t)",
        ),
    ] = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """Emissions per TEU as ISO 14083 and the GLEC Framework count them: every corridor's
    well-to-wheel and tank-to-wheel kg CO2e, then the transport chain elements (legs and
    hub handlings) of the chosen corridors' routes."""
    from corridor.compare import corridor_routes
    from corridor.emissions import ELEMENT_COLUMNS

    fmt = _format(fmt, output, geojson=False)
    net = load_network()
    scn = _scenario(scenario)
    cm = scn.costs if scn is not None and scn.costs is not None else CostModel()
    if cargo_t is not None:
        if not (math.isfinite(cargo_t) and 0 < cargo_t <= 30):
            raise DataError(
                f"--cargo-t must be the tonnes of cargo in a TEU, above 0 and at most 30 "
                f"(a TEU's payload), got {cargo_t:g}"
            )
        cm = cm.replace(load_t_per_teu=cargo_t)
    picked = _split(corridors, "--corridors")
    results = corridor_routes(net, origin, destination, scenario=scn, costs=cm)
    names = [k for k in results if k != "best"]
    unknown = [c for c in picked if c not in names]
    if unknown:
        raise DataError(f"--corridors: unknown corridor {unknown[0]!r}; one of {', '.join(names)}")
    served = {k: v.route for k, v in results.items() if v.route is not None and k != "best"}
    if not served:
        raise NoRouteError(f"no corridor serves {origin} → {destination}")
    rows = []
    for k, r in sorted(served.items(), key=lambda kv: kv[1].total_generalized):
        rows.append(
            {"corridor": k, "main_mode": _main_mode(r), "km": r.total_km,
             "wtw_kg": r.total_co2_kg, "ttw_kg": r.total_co2e_ttw_kg,
             "wtw_g_per_teukm": 1000.0 * r.total_co2_kg / r.total_km if r.total_km else 0.0}
        )  # fmt: skip
    summary = pd.DataFrame(rows).set_index("corridor")
    if not picked:
        for mode in ("rail", "sea"):
            best = summary.index[summary["main_mode"] == mode]
            if len(best):
                picked.append(str(best[0]))
    for k in picked:
        if k not in served:
            raise NoRouteError(
                f"--corridors: {k} does not serve {origin} → {destination}: {results[k].reason}"
            )
    tables = {}
    for k in picked:
        e = served[k].emissions()
        e["what"] = [
            f"{a} → {b}" if kind == "leg" else str(a)
            for kind, a, b in zip(e["kind"], e["from"], e["to"], strict=True)
        ]
        e["vehicle"] = [_VEHICLE_SHORT.get(v, v) for v in e["vehicle"]]
        hub = e["kind"].eq("hub")
        e.loc[hub, ["km", "km_adjusted", "tkm"]] = math.nan
        tables[k] = e.set_index("element")
    if fmt is Format.json:
        doc = {
            "origin": net.hub_id(origin), "destination": net.hub_id(destination),
            "cargo_t_per_teu": cm.load_t_per_teu,
            "corridors": json.loads(_rounded(summary).reset_index().to_json(orient="records")),
            "elements": {
                k: json.loads(_rounded(t[ELEMENT_COLUMNS[1:]]).reset_index().to_json(
                    orient="records", force_ascii=False))
                for k, t in tables.items()
            },
        }  # fmt: skip
        text = json.dumps(doc, ensure_ascii=False, indent=1)
        if output is None:
            sys.stdout.write(text + "\n")
        else:
            _write_text(output, text)
            _stderr(f"wrote {output}")
        return
    if fmt is not Format.table:
        long = pd.concat({k: t[ELEMENT_COLUMNS[1:]] for k, t in tables.items()}, names=["corridor"])
        _emit(long, fmt, output)
        return
    o, d = net.hub(origin).name, net.hub(destination).name
    head = (
        f"{o} → {d}: kg CO2e per TEU, well-to-wheel (WTW) and tank-to-wheel (TTW), "
        f"ISO 14083 / GLEC v3, {cm.load_t_per_teu:g} t of cargo per TEU"
    )
    sources = (
        "intensities: VesselBot 2025 (ships by class), UK DESNZ 2026 (trucks, freighters), "
        "LIPASTO 2016 and EcoTransIT (trains) x grid factors by country (Ember 2023), "
        "ETRR 2019 (barges); hubs: Hutchison Ports 2022, HHLA (data/sources/emissions_notes.md)"
    )
    out: list[Any] = []
    _show(
        summary, _titles(head, scn)[:1], wide=wide, output=output, collect=out,
        labels={"wtw_kg": "WTW_kg", "ttw_kg": "TTW_kg", "wtw_g_per_teukm": "WTW_g/TEU-km"},
        gives_way=["main_mode", "km"],
    )  # fmt: skip
    for k, t in tables.items():
        r = served[k]
        _show(
            t[_ELEMENT_SHOWN],
            [f"{k}: {r.path}",
             f"WTW {_cell(r.total_co2_kg, 'wtw_kg')} kg · TTW "
             f"{_cell(r.total_co2e_ttw_kg, 'ttw_kg')} kg per TEU"],
            wide=wide, output=output, collect=out,
            text=["what", "energy"],
            gives_way=["tier", "energy", "tkm", "wtw_g_per_tkm", "vehicle"],
            labels=_ELEMENT_LABELS,
            notes=[sources] if k == list(tables)[-1] else (),
        )  # fmt: skip
    _print(out, None if wide or output is not None else _terminal_width(), output)
    if output is not None:
        _stderr(f"wrote {output}")


#: short headers of the segments in the shares table (a legend follows it)
_SEGMENT_LABELS = {
    "total": "all", "fertiliser": "fert", "tyres": "tyre", "liquor": "liq", "tea": "tea",
    "guitars": "guit", "electromechanical": "mech", "battery_materials": "batt",
    "ores": "ore", "equipment": "equip",
}  # fmt: skip


@app.command()
def shares(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    segments: Annotated[
        list[str] | None, _listed("cargo segments (default: all of data/sources/segments.csv)")
    ] = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """Market shares of the corridors by cargo segment (a calibrated logit over the
    generalized cost with each segment's value of time and of reliability)."""
    from corridor.segments import load_segments
    from corridor.shares import market_shares

    fmt = _format(fmt, output, geojson=False)
    net = load_network()
    scn = _scenario(scenario)
    df = market_shares(
        net, origin, destination, segments=_split(segments, "--segments") or None, scenario=scn
    )
    if fmt is not Format.table:
        _emit(df, fmt, output)
        return
    table = load_segments()
    cols = ["total", *[c for c in df.columns if c != "total"]]
    pct = (df[cols] * 100).round(0).astype("Int64")
    pct.index.name = "corridor"
    o, d = net.hub(origin).name, net.hub(destination).name
    scale = df.attrs["scale"]
    consts = ", ".join(f"{k} USD {v:,.0f}" for k, v in df.attrs["constants"].items())
    rows = table.to_dict("index")
    legend = "; ".join(
        f"{_SEGMENT_LABELS.get(c, c)} = {rows[c]['name']} (USD "
        f"{float(rows[c]['value_usd_per_teu']):,.0f} a TEU, "
        f"{float(rows[c]['time_value_pct_per_day']):g}% a day)"
        for c in cols[1:]
        if c in rows
    )
    _emit(
        pct,
        fmt,
        output,
        title=[
            f"{o} → {d}: share of boxes by corridor and cargo segment, %"
            + (f"; scenario: {scn.name}" if scn is not None else ""),
            f"logit over the generalized cost with the value of reliability (P90 - P50); "
            f"scale USD {scale:,.0f} a TEU, constants: {consts}; total weighted by "
            "Guizhou's trade (exports 71%, imports 29%, split evenly)",
        ],
        wide=wide,
        labels={c: _SEGMENT_LABELS.get(c, c) for c in cols},
        notes=[f"all = the total; {legend}"],
    )


def _changed(df: pd.DataFrame) -> pd.Series:
    """Rows of a scenario comparison that differ from the baseline's row of the same
    corridor (status, reason or a figure as shown); every baseline row counts."""
    base = df.xs("baseline", level="scenario")
    corridor = df.index.get_level_values("corridor")
    keep = df.index.get_level_values("scenario") == "baseline"
    for col in ("status", "reason"):
        keep |= df[col].to_numpy() != base[col].reindex(corridor).to_numpy()
    for col in [c for c in df.columns if c.startswith("d_")]:
        d = _decimals(col) or 0
        keep |= df[col].fillna(0).round(d).abs().to_numpy() > 0
    return pd.Series(keep, index=df.index)


@app.command()
def scenarios(
    origin: Annotated[str | None, typer.Argument(help="hub id, name or alias")] = None,
    destination: Annotated[str | None, typer.Argument(help="hub id, name or alias")] = None,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            "--scenario",
            "-s",
            metavar="KEY,...",
            help=f"preset keys or JSON files ({LIST_HELP}; default: all presets)",
        ),
    ] = None,
    by: ByOpt = By.generalized,
    corridors: CorridorsOpt = None,
    list_: Annotated[bool, typer.Option("--list", help="list the presets and exit")] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """What changes under each scenario: every corridor against the baseline.

    A corridor a scenario leaves without a route is shown with the reason. The table shows
    the rows of a scenario that differ from the baseline; --wide shows every row, with the
    lines used.
    """
    fmt = _format(fmt, output, geojson=False)
    if list_:
        df = pd.DataFrame(
            [{"key": k, "name": s.name, "description": s.description} for k, s in presets().items()]
        ).set_index("key")
        _emit(df, fmt, output, title="Scenario presets", wide=wide, text=_TEXT)
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
    if fmt is not Format.table:
        _emit(df, fmt, output)
        return
    o, d = net.hub(origin).name, net.hub(destination).name
    title = [f"{o} → {d}: each scenario against the baseline, per TEU, best first by "
             f"{_ranking(by)}; d_*: the change"]  # fmt: skip
    title.append(_generalized_note() + " (the baseline's; a scenario may change them)")
    key = {"co2": "co2_kg", "hours": "days"}.get(by.value, by.value)
    measures = [key] + [m for m in ("usd", "days", "co2_kg", "generalized") if m != key]
    shown = df.copy()
    shown.insert(0, "note", [_why(s, r) for s, r in zip(df["status"], df["reason"], strict=True)])
    unchanged = 0
    if not wide:
        keep = _changed(df)
        unchanged = int((~keep).sum())
        shown = shown[keep.to_numpy()]
        columns = [c for m in measures for c in (m, f"d_{m}")]
        shown = shown[[*columns, "note"]].copy()
        baseline = shown.index.get_level_values("scenario") == "baseline"
        shown.loc[baseline, [f"d_{m}" for m in measures]] = math.nan
    notes = []
    if unchanged:
        notes.append(
            f"{unchanged} rows the same as the baseline's are left out; --wide shows every row"
        )
    _emit(
        shown,
        fmt,
        output,
        title=title,
        wide=wide,
        text=_TEXT,
        grouped=True,
        notes=notes,
        gives_way=[
            *(c for c in ("d_co2_kg", "co2_kg", "d_generalized", "generalized", "d_days", "d_usd",
                          "days", "usd") if c not in (key, f"d_{key}")),
            "note", f"d_{key}", key,
        ],
    )  # fmt: skip


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
        typer.Option(
            metavar="KEY=LOW:HIGH",
            help="draw KEY uniformly from LOW to HIGH, repeatable; the others are held at the "
            f"cost model's values. KEY is one of: {', '.join(PARAMETERS)}. Default: all of "
            "them over their default ranges, corridor.sensitivity.DEFAULT_VARY ("
            + ", ".join(f"{k}={lo:g}:{hi:g}" for k, (lo, hi) in DEFAULT_VARY.items())
            + ")",
        ),
    ] = None,
    by: ByOpt = By.generalized,
    corridors: CorridorsOpt = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """How often each corridor wins when tariffs, time value, border times and carbon price vary.

    Each corridor's cost over the draws (10th, 50th and 90th percentiles) is shown beside its
    baseline: its figure at the cost model's defaults.
    """
    from corridor.compare import compare as baseline_of
    from corridor.sensitivity import sensitivity as run

    fmt = _format(fmt, output, geojson=False)
    samples = check_int("--samples", samples, ge=1, le=MAX_SAMPLES)
    seed = check_seed("--seed", seed)
    draws = _vary(vary)
    scn = _scenario(scenario)
    chosen = _split(corridors, "--corridors") or None
    net = load_network()
    res = run(
        net,
        origin,
        destination,
        samples=samples,
        seed=seed,
        vary=draws,
        by=by.value,
        corridors=chosen,
        scenario=scn,
    )
    base = baseline_of(net, origin, destination, by=by.value, corridors=chosen, scenario=scn)
    key = {"co2": "co2_kg", "hours": "days"}.get(by.value, by.value)
    df = res.summary.copy()
    if f"{key}_p50" not in df.columns:  # km: not in the summary; from the totals
        for q in (10, 50, 90):
            df[f"{key}_p{q}"] = [
                res.totals[k][key].replace(math.inf, math.nan).quantile(q / 100)
                if k in res.totals
                else math.nan
                for k in df.index
            ]
    measures = [key] + [m for m in ("usd", "days", "co2_kg", "generalized") if m != key]
    for m in measures:
        df[f"baseline_{m}"] = base[m].reindex(df.index)
    if fmt is not Format.table:
        _emit(df, fmt, output)
        return
    note = {
        k: _why(s, r)
        for k, s, r in zip(base.index, base["status"], base["reason"], strict=True)
        if s != "ok"
    }
    df["note"] = [note.get(k, "") for k in df.index]
    labels = {f"baseline_{key}": "baseline", **{f"{key}_p{q}": f"p{q}" for q in (10, 50, 90)}}
    if not wide:
        columns = ["win_share", f"baseline_{key}", f"{key}_p10", f"{key}_p50", f"{key}_p90"]
        for m in measures[1:3]:
            columns += [f"baseline_{m}", f"{m}_p50"]
            labels[f"baseline_{m}"] = f"{m}_base"
        df = df[[*columns, "note"]]
    df.index.name = "corridor"
    name = {"generalized": "gen_cost", "co2_kg": "kg CO2", "days": "days", "km": "km"}
    unit = {"generalized": "USD", "usd": "USD", "co2_kg": "kg CO2", "days": "days", "km": "km"}
    title = [
        f"{net.hub(origin).name} → {net.hub(destination).name}: {samples:,} draws, best by "
        f"{_ranking(by)}"
        + (f", seed {seed}" if seed is not None else "")
        + (f"; scenario: {scn.name}" if scn is not None else ""),
        f"wins: share of draws the corridor is best in; baseline: its {name.get(key, key)} per "
        f"TEU at the cost model's defaults; p10, p50, p90: percentiles over the draws "
        f"({unit[key]})",
    ]
    if by is By.generalized or wide:
        title.append(_generalized_note(scn))
    _emit(
        df,
        fmt,
        output,
        title=title,
        wide=wide,
        text=_TEXT,
        labels=labels,
        apart={k: v for k, v in note.items() if k in df.index},
        apart_in="note",
        gives_way=[
            "note", *(f"{m}_p50" for m in measures[3:]), *(f"baseline_{m}" for m in measures[3:]),
            *(c for m in reversed(measures[1:3]) for c in (f"{m}_p50", f"baseline_{m}")),
            f"{key}_p10", f"{key}_p90", "win_share", f"baseline_{key}", f"{key}_p50",
        ],
    )  # fmt: skip


@app.command()
def hubs(
    country: Annotated[list[str] | None, _listed("ISO 3166 alpha-3 codes", "CODE")] = None,
    kind: Annotated[list[str] | None, _listed("hub kinds", "KIND")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """List the hubs (coordinates in degrees, to 4 decimals: about 10 m)."""
    fmt = _format(fmt, output)
    net = load_network()
    nodes = net.nodes
    if country:
        nodes = nodes[nodes["country"].isin([c.upper() for c in _split(country, "--country")])]
    if kind:
        nodes = nodes[nodes["kind"].isin([k.lower() for k in _split(kind, "--kind")])]
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
        if fmt is Format.table and not wide
        else df
    )
    _emit(
        shown,
        fmt,
        output,
        title=f"{len(df)} hubs",
        wide=wide,
        geojson=lambda: _geojson(nodes),
        text=["name", "modes", "aliases", "source", "note", "notes"],
        gives_way=["aliases", "source", "modes", "name_zh", "name", "kind", "country"],
    )


@app.command()
def lines(
    mode: Annotated[list[str] | None, _listed("only these modes, any case", "MODE")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """List the lines: links grouped by line name, with their km and status."""
    fmt = _format(fmt, output)
    net = load_network()
    edges = net.edges
    if mode:
        edges = edges[edges["mode"].isin(_modes(mode, "--mode"))]
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
        wide=wide,
        geojson=lambda: _geojson(edges),
        text=["corridors", "status"],
        fold_index=True,
        gives_way=["corridors", "status", "links"],
    )


@app.command()
def services(
    mode: Annotated[list[str] | None, _listed("only these modes, any case", "MODE")] = None,
    hub: Annotated[str | None, typer.Option(help="only services calling at this hub")] = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """List the scheduled services: stops, departures a week, transit, source."""
    fmt = _format(fmt, output, geojson=False)
    net = load_network()
    s = net.services
    if mode:
        s = s[s["mode"].isin(_modes(mode, "--mode"))]
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
    shown = df.drop(columns=["source", "stops"]) if fmt is Format.table and not wide else df
    _emit(
        shown,
        fmt,
        output,
        title=f"{len(df)} services",
        wide=wide,
        text=["name", "stops", "days", "source"],
        gives_way=["source", "stops", "name", "days", "both_ways", "status", "km", "mode"],
    )


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
            "model against published (exit 1 if under 90% of the independent ones used are in "
            "range)",
        ),
    ] = False,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """Check network files against the schema, or the model against published figures."""
    if published:
        from corridor.validation import independent_share, summary, used, validate_published

        fmt = _format(fmt, output, geojson=False)
        v = validate_published(load_network())
        shown = pd.DataFrame(
            {
                "pair": v["origin"] + " → " + v["destination"],
                "by": [c or "+".join(m) for c, m in zip(v["corridor"], v["modes"], strict=True)],
                "metric": v["metric"],
                "model": v["model"].round(1),
                "published": v["published"],
                "range": [f"{lo:.5g}–{hi:.5g}" for lo, hi in zip(v["low"], v["high"], strict=True)],
                "ok": v["in_range"].map({True: "yes", False: "NO"}),
                "calibrated": v["calibrated"].map({True: "yes", False: ""}),
                "used": [
                    "" if u else f"{st.replace('_', ' ')} {i}".strip()
                    for u, st, i in zip(used(v), v["status"], v["instead"], strict=True)
                ],
            },
            index=v.index,
        )
        if fmt is Format.table:  # a row kept but not used: its id starred
            shown.index = [i if u else f"{i}*" for i, u in zip(v.index, used(v), strict=True)]
            shown.index.name = "id"
        _emit(
            shown,
            fmt,
            output,
            title="The model against published figures",
            wide=wide,
            text=["pair", "by"],
            gives_way=["used", "calibrated", "by", "range", "pair"],
        )
        line = summary(v)
        if not used(v).all() and fmt is Format.table:
            line += " (starred; the used column says why)"
        (out if fmt is Format.table and output is None else err).print(line)
        share = independent_share(v)
        if not share >= 0.9:  # NaN (no independent figure used) fails too
            _stderr(f"error: {share:.0%} of the used independent figures in range, under 90%")
            raise typer.Exit(1)
        return
    if not paths:
        raise DataError("give network files or folders to check, or --published")
    if output is not None or fmt is not None:
        raise DataError("--format and --output apply to --published only")
    problems, checked = validate_paths(paths)
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


@app.command()
def summary(
    nodes: Annotated[Path | None, typer.Option(help="hubs file (default: bundled)")] = None,
    edges: Annotated[Path | None, typer.Option(help="links file (default: bundled)")] = None,
    wide: WideOpt = False,
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
    s = net.summary()
    _print([_text(f"{s.n_hubs} hubs, {s.n_links} links", style="bold")], _terminal_width())
    for frame, title in (
        (s.hubs_by_kind.to_frame(), "Hubs by kind"),
        (s.hubs_by_country.to_frame(), "Hubs by country"),
        (s.links_by_mode, "Links by mode (km counted once per link)"),
        (s.corridors, "Corridors (a link may serve several)"),
    ):
        _show(frame, title, wide=wide, text=["name"])


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
        list[str] | None, _listed("destinations (default: Singapore, Duisburg, Shenzhen)", "HUB")
    ] = None,
    by: ByOpt = By.generalized,
    map_: Annotated[
        Path,
        typer.Option(
            "--map", help="map of the winning routes (.png, .svg, .pdf)", callback=_map_option
        ),
    ] = Path("corridors.png"),
    scenario: ScenarioOpt = None,
    wide: WideOpt = False,
) -> None:
    """The main job: compare the corridors to each destination and map the winners.

    Where the best route of all is not a named corridor's, the map shows it too.
    """
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
        head = f"{o_name} → {d_name}: corridors per TEU, best first by {_ranking(by)}"
        _comparison_table(df, by, Format.table, None, _titles(head, scn), wide)
        served = df[(df["status"] == "ok") & (df.index != "best")]
        if not served.empty:
            key = served.index[0]
            best = results[key].route
            assert best is not None
            winners.append(best)
            brief = _leg_runs(best.legs)
            _show(
                brief,
                f"{served.loc[key, 'name']}: legs, waits for departures included",
                wide=wide,
                text=["what"],
                gives_way=["wait_hours", "what", "leg"],
            )
            labels.append(
                f"{d_name}: {served.loc[key, 'name']} "
                f"({_cell(served.loc[key, 'days'], 'days')} d, "
                f"USD {_cell(served.loc[key, 'usd'], 'usd')})"
            )
            overall = results["best"].route
            if overall is not None and overall.path != best.path:
                winners.append(overall)
                labels.append(
                    f"{d_name}: best route, no named corridor "
                    f"({_cell(overall.total_days, 'days')} d, "
                    f"USD {_cell(overall.total_usd, 'usd')})"
                )
    if not winners:
        raise DataError("no corridor serves any of the destinations; no map written")
    ranking = "generalized cost" if by is By.generalized else by.value
    fig, _ = plot_routes(
        winners, labels=labels, title=f"Best corridor by {ranking} from {net.hub(origin).name}"
    )
    _save_figure(fig, map_, "--map")


class Method(StrEnum):
    ue = "ue"
    sue = "sue"
    aon = "aon"


def _assignment_tables(a: Any, top: int, wide: bool, title: str) -> None:
    flows = a.corridor_flows()
    flows.index.name = "corridor"
    _show(flows, [title, "TEU a year by corridor (other: routes no corridor describes)"], wide=wide)
    b = a.bottlenecks(top).set_index("what")
    shown = b[["utilisation", "flow_teu_per_week", "capacity_teu_per_week", "delay_hours"]]
    shown = shown.rename(
        columns={"flow_teu_per_week": "flow_per_week", "capacity_teu_per_week": "capacity"}
    )
    shown.index.name = "element"
    _show(
        shown,
        f"The {len(shown)} most utilised elements: utilisation = (flow + background) / "
        "capacity, TEU a week; delay: hours the assigned flow adds to a box",
        wide=wide,
        text=["element"],
        fold_index=True,
    )


@app.command()
def assign(
    demand: Annotated[
        Path,
        typer.Argument(
            help="demand table (.csv, .parquet, .json): origin, destination, "
            "teu_per_year or teu_per_week, optional segment"
        ),
    ],
    method: Annotated[
        Method,
        typer.Option(
            help="ue: user equilibrium (bi-conjugate Frank-Wolfe); sue: stochastic user "
            "equilibrium (the market-share logit); aon: all-or-nothing"
        ),
    ] = Method.ue,
    scenario: ScenarioOpt = None,
    gap: Annotated[float, typer.Option(help="target relative gap (> 0)")] = 1e-4,
    max_iter: Annotated[int, typer.Option("--max-iter", help="most iterations")] = 200,
    top: Annotated[int, typer.Option(min=1, max=1000, help="bottlenecks to list")] = 10,
    map_: Annotated[
        Path,
        typer.Option("--map", help="map of the flows (.png, .svg, .pdf)", callback=_map_option),
    ] = Path("flows.png"),
    no_map: Annotated[bool, typer.Option("--no-map", help="write no map")] = False,
    output: OutputOpt = None,
    fmt: FormatOpt = None,
    wide: WideOpt = False,
) -> None:
    """Assign container demand to the corridors under capacity: corridor flows, bottlenecks
    and a flow map (with --scenario, also the shift of flows against the baseline)."""
    import matplotlib

    matplotlib.use("Agg")
    from corridor.flows import Demand
    from corridor.flows import assign as run

    _check_input(demand, "DEMAND", "a demand table")
    net = load_network()
    scn = _scenario(scenario)
    try:
        d = Demand.read(demand, net)
    except DataError as exc:
        raise DataError(f"DEMAND {exc}") from None
    a = run(net, d, method=method.value, scenario=scn, gap=gap, max_iter=max_iter)
    conv = (
        f"{a.method.upper()}: {'converged' if a.converged else 'NOT converged'} in "
        f"{a.iterations} iterations, relative gap {a.gaps[-1]:.2g}"
        if a.gaps
        else "AON: all-or-nothing at free flow"
    )
    head = f"{d.total_teu_per_year:,.0f} TEU a year from {_p(demand)}" + (
        f"; scenario: {scn.name}" if scn is not None else ""
    )
    _assignment_tables(a, top, wide, head)
    out.print(_text(conv))
    if scn is not None:
        base = run(net, d, method=method.value, gap=gap, max_iter=max_iter)
        shift = a.shift(base).rename(
            columns={"teu_per_year": scn.name, "teu_per_year_other": "baseline"}
        )
        shift["change"] = -shift["change"]
        shift.index.name = "corridor"
        _show(shift, f"TEU a year by corridor: scenario {scn.name} against the baseline", wide=wide)
    if output is not None:
        f = _format(fmt, output)
        frame = a.flows_frame()
        if f is Format.geojson:
            _emit(frame.drop(columns="geometry"), f, output, geojson=lambda: _geojson(frame))
        else:
            _emit(pd.DataFrame(frame.drop(columns="geometry")), f, output)
    if not no_map:
        from corridor.plot import plot_flows

        fig, _ = plot_flows(a)
        _save_figure(fig, map_, "--map")
    if not a.converged:
        _stderr(f"warning: {conv}")


def _routes_out(
    routes: list[Any], fmt: Format, output: Path | None, title: list[str], wide: bool, by: str
) -> None:
    from corridor.tradeoffs import front_table

    df = front_table(routes)
    if fmt is Format.table and not wide:
        df = df[["usd", "days", "km", "co2_kg", "generalized", "transfers", "path"]]

    def geojson() -> str:
        import geopandas as gpd

        frames = []
        for i, r in enumerate(routes, start=1):
            g = r.to_geodataframe()
            g.insert(0, "route", i)
            frames.append(g)
        return _geojson(gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326"))

    _emit(
        df,
        fmt,
        output,
        title=title,
        wide=wide,
        geojson=geojson,
        text=["path", "lines"],
        gives_way=[
            "lines", "path", "transfers",
            *_last(["co2_kg", "km", "hours", "days", "usd", "generalized"], by),
        ],
    )  # fmt: skip


@app.command()
def pareto(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    criteria: Annotated[
        list[str] | None, _listed("two or three of usd, hours, co2, km, generalized", "CRITERION")
    ] = None,
    max_routes: Annotated[
        int | None, typer.Option(help="at most this many, spread along the front")
    ] = None,
    scenario: ScenarioOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """The Pareto front: every route no other beats on all the criteria at once."""
    from corridor.tradeoffs import pareto as front

    fmt = _format(fmt, output)
    crit = [c.lower() for c in _split(criteria, "--criteria")] or ["usd", "hours"]
    if max_routes is not None:
        max_routes = check_int("--max-routes", max_routes, ge=1, le=MAX_ROUTES)
    scn = _scenario(scenario)
    net = load_network()
    routes = front(net, origin, destination, criteria=crit, max_routes=max_routes, scenario=scn)
    o, d = net.hub(origin).name, net.hub(destination).name
    title = [f"{o} → {d}: Pareto front over {', '.join(crit)}, per TEU"]
    title.append(_generalized_note(scn))
    _routes_out(routes, fmt, output, title, wide, crit[0])


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
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    wide: WideOpt = False,
) -> None:
    """Good routes that differ: each shares at most --max-overlap of its km with the others."""
    from corridor.tradeoffs import alternatives as alts

    fmt = _format(fmt, output)
    n = check_int("-n", n, ge=1, le=MAX_ROUTES)
    max_overlap = check_number("--max-overlap", max_overlap, ge=0.0, le=1.0)
    scn = _scenario(scenario)
    net = load_network()
    routes = alts(net, origin, destination, n=n, max_overlap=max_overlap, by=by.value, scenario=scn)
    o, d = net.hub(origin).name, net.hub(destination).name
    head = f"{o} → {d}: {len(routes)} alternatives, best first by {_ranking(by)}, per TEU"
    _routes_out(routes, fmt, output, _titles(head, scn), wide, by.value)


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
    wide: WideOpt = False,
) -> None:
    """Every scenario x every pair: usd, hours, km, CO2 and corridor used, locally or on Dask."""
    from corridor.sweep import sweep as run

    if output is not None and output.suffix.lower() == ".parquet":
        _need_pyarrow(output)
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
                _rounded(df).to_parquet(output, index=False)
            else:
                _rounded(df).to_csv(output, index=False)
        except ImportError:
            _need_pyarrow(output)
            raise
        except OSError as exc:
            raise DataError(f"--output {_p(output)}: cannot write: {exc.strerror or exc}") from None
        _stderr(f"wrote {output}")
    counts = df.groupby(["scenario", "status"], observed=True).size().unstack(fill_value=0)
    title = [f"{len(df):,} routes, {len(chosen)} scenarios in {took:.1f} s, best by {_ranking(by)}"]
    if by is By.generalized:
        title.append(_generalized_note())
    _show(counts, title, wide=wide)
    if len(failed) == len(chosen):
        _stderr(f"error: every scenario failed ({len(chosen)}); see the warnings above")
        raise typer.Exit(1)


@app.command()
def warmup() -> None:
    """Compile and cache every Numba kernel now (run it once after install).

    Each public search path runs once on a tiny input, so that later commands load the cached
    kernels in milliseconds instead of compiling them (1-8 s each) on first use.
    """
    import numpy as np

    from corridor import csgraph
    from corridor.compare import compare as compare_
    from corridor.routing import parse_depart, route_matrix
    from corridor.routing import route as route_
    from corridor.sensitivity import sensitivity as sensitivity_
    from corridor.sweep import sweep as sweep_
    from corridor.tradeoffs import alternatives as alternatives_
    from corridor.tradeoffs import k_shortest
    from corridor.tradeoffs import pareto as pareto_

    o, d = "Kunming", "Vientiane"
    holder: dict[str, Any] = {}

    def network() -> None:
        holder["net"] = load_network()

    def dijkstra() -> None:
        w = np.array([[0.0, 1.0, 4.0], [0.0, 0.0, 2.0], [1.0, 0.0, 0.0]])
        csgraph.dijkstra(w, indices=[0, 1], return_predecessors=True)
        csgraph.dijkstra(w, indices=[0, 1], return_predecessors=True, min_only=True)

    def net() -> Any:
        return holder["net"]

    steps: list[tuple[str, str, Callable[[], object]]] = [
        ("load_network", "the bundled network, validated", network),
        ("route", "one search (shortest_path)", lambda: route_(net(), o, d)),
        (
            "route --depart",
            "a timetable search (earliest_arrival, path_edges)",
            lambda: route_(net(), o, d, modes=["rail"], depart=parse_depart("2026-12-01T08:00")),
        ),
        ("route_matrix", "pairs in parallel (sweep_pairs)", lambda: route_matrix(net(), [o], [d])),
        ("compare", "each corridor's best route (dijkstra, reset)", lambda: compare_(net(), o, d)),
        ("k_shortest", "Yen's algorithm (shortest_path)", lambda: k_shortest(net(), o, d, 2)),
        ("alternatives", "routes that differ", lambda: alternatives_(net(), o, d, n=2)),
        ("pareto", "the Pareto front (pareto_labels, many_to_all)", lambda: pareto_(net(), o, d)),
        (
            "sensitivity",
            "8 draws (sample_paths, in parallel)",
            lambda: sensitivity_(net(), o, d, samples=8, seed=0, progress=False),
        ),
        (
            "sweep",
            "one scenario, one pair (sweep_pairs)",
            lambda: sweep_(net(), [Scenario("baseline")], [(o, d)], progress=False),
        ),
        ("csgraph.dijkstra", "many_to_all, min_over_sources", dijkstra),
    ]
    width = max(len(name) for name, _, _ in steps)
    start = time.perf_counter()
    for name, what, step in steps:
        t0 = time.perf_counter()
        step()
        took = time.perf_counter() - t0
        sys.stdout.write(f"{name:<{width}}  {took:6.2f} s  {what}\n")
        sys.stdout.flush()
    total = time.perf_counter() - start
    sys.stdout.write(
        f"warm: {len(steps)} steps in {total:.1f} s; the compiled kernels are cached "
        "(Numba cache=True), so the next commands reuse them\n"
    )


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


def _best_corridors(
    origin: str,
    destination: str,
    by: By,
    corridors: list[str] | None,
    top: int,
    scenario: str | None,
    what: str,
    *,
    every_named: bool,
) -> tuple[Any, str, str, pd.DataFrame, list[Any]]:
    """The served corridors between two hubs, best first (the first ``top``, or every one
    named in ``--corridors`` when ``every_named``): ``(scenario, origin name, destination
    name, their compare rows, their routes)``; one line if there is nothing to ``what``."""
    from corridor.compare import corridor_routes, table

    top = check_int("--top", top, ge=1, le=8)
    net = load_network()
    _same_hub(net, origin, destination, f"nothing to {what}")
    scn = _scenario(scenario)
    chosen = _split(corridors, "--corridors") or None
    results = corridor_routes(net, origin, destination, by=by.value, corridors=chosen, scenario=scn)
    df = table(results, by.value)
    served = df[(df["status"] == "ok") & (df.index != "best")]
    if chosen is None or not every_named:
        served = served.head(top)
    o, d = net.hub(origin).name, net.hub(destination).name
    if served.empty:
        raise DataError(f"no corridor serves {o} → {d}; nothing to {what}")
    return scn, o, d, served, [results[k].route for k in served.index]


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
    corridors: CorridorsOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Map the best corridors between two hubs to a PNG or an interactive HTML page."""
    suffix = output.suffix.lower()
    scn, o, d, served, routes = _best_corridors(
        origin, destination, by, corridors, top, scenario, "map", every_named=False
    )
    labels = [
        f"{row['name']}: {_cell(row['days'], 'days')} d, USD {_cell(row['usd'], 'usd')}"
        for _, row in served.iterrows()
    ]
    ranking = "generalized cost" if by is By.generalized else by.value
    title = f"{o} → {d}, best {len(routes)} by {ranking}" + (f" ({scn.name})" if scn else "")
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


class TcdAxis(StrEnum):
    """What a time/cost-distance chart plots against km."""

    hours = "hours"
    usd = "usd"


@app.command("tcd")
def tcd(
    origin: Annotated[str, typer.Argument(help="hub id, name or alias")],
    destination: Annotated[str, typer.Argument(help="hub id, name or alias")],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="chart file: .png, .svg or .pdf",
            callback=_output_option("--output", (".png", ".svg", ".pdf")),
        ),
    ],
    y: Annotated[
        TcdAxis, typer.Option("--y", help="cumulative time (hours) or cost (usd) against km")
    ] = TcdAxis.hours,
    by: ByOpt = By.generalized,
    corridors: CorridorsOpt = None,
    top: Annotated[
        int, typer.Option(help="without --corridors: how many corridors (1 to 8), best first")
    ] = 3,
    scenario: ScenarioOpt = None,
) -> None:
    """Time/cost-distance chart (the UNESCAP method): cumulative hours or USD against km,
    legs as slopes coloured by mode, borders, transfers and waits as vertical steps."""
    _, _, _, served, routes = _best_corridors(
        origin, destination, by, corridors, top, scenario, "chart", every_named=True
    )
    import matplotlib

    matplotlib.use("Agg")
    from corridor.plot import plot_tcd

    fig, _ = plot_tcd([r for r in routes if r is not None], y=y.value, labels=list(served["name"]))
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
