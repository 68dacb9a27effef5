"""Pure conversions behind links and downloads (no Streamlit): a control's value ↔ its text in the address,
a page's state ↔ JSON, a labelled matrix → CSV or NPY bytes and back.

A link is hostile input: every ``decode`` returns a value the control accepts (clamped into range, or the
default) and says what it did (``OK``, ``CLAMPED``, ``DROPPED``); nothing here raises on a bad value.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

OK, CLAMPED, DROPPED = "ok", "clamped", "dropped"
MAX_VALUE_CHARS = 400  # longer text in one parameter is not a value any control takes
TRUE, FALSE = ("1", "true", "on", "yes"), ("0", "false", "off", "no")


@dataclass(frozen=True)
class Spec:
    """What a control accepts: ``kind`` is number, bool, choice (one of ``options``), multi (several of
    ``options``, at most ``max_items``) or text (at most ``max_items`` characters)."""

    kind: str
    default: Any
    lo: float | None = None
    hi: float | None = None
    integer: bool = False
    options: tuple = ()
    max_items: int | None = None


def option_id(option: Any) -> str:
    """An option as the address shows it: its id, never a translated label (``None`` → ``none``,
    ``(2, 3)`` → ``2-3``)."""
    if option is None:
        return "none"
    if isinstance(option, bool):
        return "1" if option else "0"
    if isinstance(option, tuple | list):
        return "-".join(option_id(o) for o in option)
    return str(option)


def encode(spec: Spec, value: Any) -> str | None:
    """The text for ``value`` in the address; None for the default (defaults stay out of links)."""
    if spec.kind == "multi":
        value = list(value or ())
        return None if value == list(spec.default or ()) else ",".join(option_id(v) for v in value)
    if value == spec.default:
        return None
    if spec.kind == "bool":
        return "1" if value else "0"
    if spec.kind == "number":
        return str(int(value)) if spec.integer else repr(float(value))
    if spec.kind == "choice":
        return option_id(value)
    return str(value)


def decode(spec: Spec, raw: str) -> tuple[Any, str]:
    """``raw`` from the address as a value ``spec`` accepts, and OK, CLAMPED or DROPPED (then the default)."""
    if not isinstance(raw, str) or (len(raw) > MAX_VALUE_CHARS and spec.kind != "text"):
        return spec.default, DROPPED
    reader = {"number": _number, "bool": _bool, "choice": _choice, "multi": _multi, "text": _text}.get(spec.kind)
    return reader(spec, raw) if reader else (spec.default, DROPPED)


def _number(spec: Spec, raw: str) -> tuple[Any, str]:
    try:
        x = float(raw.strip())
    except ValueError:
        return spec.default, DROPPED
    if not math.isfinite(x):
        return spec.default, DROPPED
    status = OK if raw.isascii() else DROPPED  # "１２" is read as 12, and the notice says so
    if spec.integer and x != int(x):
        x, status = float(int(x)), CLAMPED  # 3.7 → 3, as a slider would take it
    lo = spec.lo if spec.lo is not None else -math.inf
    hi = spec.hi if spec.hi is not None else math.inf
    if not lo <= x <= hi:
        x, status = min(max(x, lo), hi), CLAMPED
    return (int(x) if spec.integer else x), status


def _bool(spec: Spec, raw: str) -> tuple[Any, str]:
    word = raw.strip().lower()
    if word in TRUE or word in FALSE:
        return word in TRUE, OK
    return spec.default, DROPPED


def _choice(spec: Spec, raw: str) -> tuple[Any, str]:
    by_id = {option_id(o): o for o in spec.options}
    return (by_id[raw], OK) if raw in by_id else (spec.default, DROPPED)


def _multi(spec: Spec, raw: str) -> tuple[Any, str]:
    by_id = {option_id(o): o for o in spec.options}
    parts = [p for p in raw.split(",") if p] if raw else []
    chosen = list(dict.fromkeys(by_id[p] for p in parts if p in by_id))  # known, once each, in link order
    status = OK if len(chosen) == len(parts) else CLAMPED
    if spec.max_items is not None and len(chosen) > spec.max_items:
        chosen, status = chosen[: spec.max_items], CLAMPED
    if parts and not chosen:
        return list(spec.default or ()), DROPPED
    return chosen, status


def _text(spec: Spec, raw: str) -> tuple[Any, str]:
    limit = spec.max_items or MAX_VALUE_CHARS
    return (raw, OK) if len(raw) <= limit else (raw[:limit], CLAMPED)


def cells_to_text(cells: Sequence[tuple[int, int]]) -> str | None:
    """Blocked cells (query, key) of a custom mask as ``0.1,2.3``; None for none blocked (the default)."""
    return ",".join(f"{i}.{j}" for i, j in sorted(cells)) or None


def cells_from_text(raw: str, n: int) -> tuple[tuple[tuple[int, int], ...], str]:
    """``cells_to_text``'s text back for an ``n``-token sentence; cells outside it or unreadable are left out."""
    if len(raw) > 8 * n * n + 8:
        return (), DROPPED
    cells, parts = set(), [p for p in raw.split(",") if p]
    for part in parts:
        i, dot, j = part.partition(".")
        if dot and i.isascii() and j.isascii() and i.isdigit() and j.isdigit() and int(i) < n and int(j) < n:
            cells.add((int(i), int(j)))
    status = OK if len(cells) == len(parts) else (DROPPED if not cells else CLAMPED)
    return tuple(sorted(cells)), status


# ---- a page's state as JSON -------------------------------------------------------------------------------------

STATE_FORMAT = "attention-lab/state"
STATE_VERSION = 1
MAX_STATE_BYTES = 64 * 1024
MAX_STATE_CONTROLS = 200


class StateRejected(ValueError):
    """A state file the app cannot load; ``code`` names why (``link.state_<code>`` in the catalogues)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def state_to_json(page: str, params: dict[str, str]) -> bytes:
    """The page and its address parameters (language, sentence, every control not at its default) as JSON."""
    document = {"format": STATE_FORMAT, "version": STATE_VERSION, "page": page, "params": dict(sorted(params.items()))}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def state_from_json(data: bytes) -> tuple[str, dict[str, str]]:
    """(page, params) from ``state_to_json``'s bytes, read as hostile input: raises ``StateRejected`` for
    anything that is not such a file (too big, not UTF-8 JSON, another format or version, wrong types).
    The values themselves are checked later, control by control, like a link's."""
    if len(data) > MAX_STATE_BYTES:
        raise StateRejected("too_big")
    try:
        document = json.loads(data.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise StateRejected("not_json") from None
    if not isinstance(document, dict) or document.get("format") != STATE_FORMAT:
        raise StateRejected("not_state")
    if document.get("version") != STATE_VERSION:
        raise StateRejected("version")
    page, params = document.get("page"), document.get("params")
    if not isinstance(page, str) or not isinstance(params, dict) or len(params) > MAX_STATE_CONTROLS:
        raise StateRejected("not_state")
    if not all(isinstance(k, str) and isinstance(v, str) and len(k) <= 100 for k, v in params.items()):
        raise StateRejected("not_state")
    return page, params


def _no_constant(name: str) -> None:
    raise ValueError(name)  # NaN / Infinity are not JSON


# ---- matrices ---------------------------------------------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_text(label: Any) -> str:
    """A label as a CSV cell a spreadsheet shows as text: one starting like a formula gets a leading '."""
    text = str(label)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(matrix: np.ndarray, rows: Sequence[Any], cols: Sequence[Any]) -> bytes:
    """A 2-D matrix with its row and column labels as UTF-8 CSV (full float precision; NaN for masked)."""
    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2 or matrix.shape != (len(rows), len(cols)):
        raise ValueError(f"a {matrix.shape} matrix needs {matrix.shape[0]} row and {matrix.shape[-1]} column labels")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["", *map(cell_text, cols)])
    for label, row in zip(rows, matrix):
        writer.writerow([cell_text(label), *(repr(float(x)) for x in row)])
    return out.getvalue().encode("utf-8")


def from_csv(data: bytes) -> tuple[np.ndarray, list[str], list[str]]:
    """``to_csv``'s bytes back as (matrix, row labels, column labels)."""
    table = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    cols, body = table[0][1:], table[1:]
    matrix = np.array([[float(x) for x in row[1:]] for row in body], dtype=float).reshape(len(body), len(cols))
    return matrix, [row[0] for row in body], cols


def to_npy(matrix: np.ndarray) -> bytes:
    """A matrix as NumPy's .npy bytes (float64, no pickled objects)."""
    out = io.BytesIO()
    np.save(out, np.asarray(matrix, dtype=np.float64), allow_pickle=False)
    return out.getvalue()


def from_npy(data: bytes) -> np.ndarray:
    return np.load(io.BytesIO(data), allow_pickle=False)


def file_stem(*parts: str, max_chars: int = 80) -> str:
    """A download's file name without extension: the parts joined by ``_``, each reduced to letters, digits
    and ``-`` (any script: a Chinese sentence keeps its characters), cut to ``max_chars``."""
    words = []
    for part in parts:
        word = "".join(c if c.isalnum() else "-" for c in str(part)).strip("-")
        word = "-".join(w for w in word.split("-") if w)
        if word:
            words.append(word)
    return "_".join(words)[:max_chars].rstrip("-_") or "attention-lab"
