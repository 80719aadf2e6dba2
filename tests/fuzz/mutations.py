"""Mutations for the fuzz harness (fuzzing.py): each takes a Random and the bytes of a seed
input and returns new bytes. Text-level (byte flips, truncation, lines duplicated, deleted or
shuffled, huge numbers, full-width digits, odd unicode, lone surrogates, pathological lines,
growth to ~1 MB), structure-level for JSON and YAML (a node replaced by a hostile value,
deleted or duplicated; deep nesting; alias bombs) and value-level for Parquet NAV tables."""

from __future__ import annotations

import io
import json
import random
import re
from collections.abc import Callable

import yaml

# --- text --------------------------------------------------------------------------------

Mutator = Callable[[random.Random, bytes], bytes]
_NUMBER = re.compile(rb"\d+(?:\.\d+)?")
_HUGE = [b"1" + b"0" * 100, b"1e999999", b"-5", b"0", b"1_000", b"NaN", b"inf", b"-0.0", b"9" * 40, b"1e-400"]
_ODD = [
    "\u200f",  # right-to-left mark
    "\u202e",  # right-to-left override
    "\x00",
    "\ufeff",  # BOM / zero-width no-break space
    "\u200b",  # zero-width space
    "e\u0301\u0301\u0301",  # stacked combining marks
    "\x1b[2J",
    "[/b]",
    "\r",
    "\u2028",  # line separator
    "ＩＮＶＥＳＣＯ",  # full-width letters
]


def byte_flips(rng: random.Random, data: bytes) -> bytes:
    buf = bytearray(data or b"\x00")
    for _ in range(rng.randint(1, 8)):
        buf[rng.randrange(len(buf))] = rng.randrange(256)
    return bytes(buf)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randint(0, max(len(data) - 1, 0))]


def duplicate_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True) or [b""]
    i = rng.randrange(len(lines))
    return b"".join(lines[:i] + [lines[i]] * rng.randint(2, 50) + lines[i + 1 :])


def delete_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if len(lines) < 2:
        return data
    i = rng.randrange(len(lines))
    return b"".join(lines[:i] + lines[i + rng.randint(1, 5) :])


def shuffle_lines(rng: random.Random, data: bytes) -> bytes:
    lines = data.splitlines(keepends=True)
    if len(lines) < 3:
        return data
    i = rng.randrange(len(lines) - 2)
    block = lines[i : i + 3]
    rng.shuffle(block)
    return b"".join(lines[:i] + block + lines[i + 3 :])


def huge_numbers(rng: random.Random, data: bytes) -> bytes:
    found = list(_NUMBER.finditer(data))
    if not found:
        return data + rng.choice(_HUGE)
    for m in rng.sample(found, min(len(found), rng.randint(1, 4))):
        data = data[: m.start()] + rng.choice(_HUGE) + data[m.end() :]
        break  # one at a time keeps the offsets right; the mutators compose
    return data


def fullwidth_digits(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    for i in rng.sample(digits, min(len(digits), rng.randint(1, 20))):
        text = text[:i] + chr(0xFF10 + int(text[i])) + text[i + 1 :]
    return text.encode("utf-8", "surrogateescape")


def odd_unicode(rng: random.Random, data: bytes) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    for _ in range(rng.randint(1, 5)):
        i = rng.randint(0, len(text))
        text = text[:i] + rng.choice(_ODD) + text[i:]
    return text.encode("utf-8", "surrogateescape")


def surrogates(rng: random.Random, data: bytes) -> bytes:
    """A `\\ud800` escape (valid JSON syntax, not a character) or its raw UTF-8-ish bytes."""
    i = rng.randint(0, len(data))
    quote = data.rfind(b'"', 0, i)
    piece = rb"\ud800" if quote >= 0 and rng.random() < 0.7 else b"\xed\xa0\x80"
    return data[:i] + piece + data[i:]


def pathological_lines(rng: random.Random, data: bytes) -> bytes:
    """The shapes that once made the extractor's regexes backtrack for ever (item 16)."""
    piece = rng.choice(
        [
            b"-" * 60 + b" text",
            b"INVESCO Dynamics Fund" + b"*" * 32,
            b"=" * 5000,
            b" " * 3000 + b"x",
            b"(" * 2000,
        ]
    )
    lines = data.splitlines(keepends=True) or [b""]
    i = rng.randrange(len(lines))
    return b"".join([*lines[:i], piece + b"\n", *lines[i:]])


def grow(rng: random.Random, data: bytes) -> bytes:
    """The document repeated to about 1 MB (bounded time on big inputs)."""
    return (data + b"\n") * max(1, min(200, 1_000_000 // max(len(data), 1)))


TEXT_MUTATORS: list[Mutator] = [
    byte_flips,
    truncate,
    duplicate_lines,
    delete_lines,
    shuffle_lines,
    huge_numbers,
    fullwidth_digits,
    odd_unicode,
    surrogates,
    pathological_lines,
]


def deep_nesting(rng: random.Random, data: bytes) -> bytes:
    depth = rng.choice([100, 1000, 50_000])
    if data.lstrip().startswith((b"{", b"[")):
        return b"[" * depth + data + b"]" * depth
    return data + b"\ndeep: " + b"[" * depth + b"]" * depth + b"\n"


def yaml_aliases(rng: random.Random, data: bytes) -> bytes:
    """A billion-laughs alias bomb, appended as a new key or as the whole document."""
    bomb = [b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, rng.randint(4, 9)):
        prev, cur = chr(ord("a") + n - 1).encode(), chr(ord("a") + n).encode()
        bomb.append(cur + b": &" + cur + b" [" + b",".join([b"*" + prev] * 9) + b"]")
    text = b"\n".join(bomb) + b"\n"
    return text if rng.random() < 0.3 else data + b"\n" + text


# Values that a structured mutation puts where a JSON/YAML value was.
_HOSTILE_VALUES: list[object] = [
    None,
    "",
    "x" * 10_000,
    10**100,
    -5,
    0,
    1.5,
    float("inf"),
    "1e999999",
    "NaN",
    "0001-01-01",
    "9999-12-31",
    "２００３-１１-０３",
    "\u202eevil",
    "[/b] \x1b[2J",
    [],
    {},
    [1, [2, [3]]],
    {"nested": {"deeper": [None]}},
    True,
    "Investor Class",
    "INVESCO Liesure Fund",
]


def _paths(value: object, prefix: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:20]):
            found += _paths(v, (*prefix, i))
    return found


def mutate_structure(rng: random.Random, value: object) -> object:
    """Replace, delete or duplicate one node of a parsed JSON/YAML document."""
    paths = [p for p in _paths(value) if p]
    if not paths:
        return rng.choice(_HOSTILE_VALUES)
    path = rng.choice(paths)
    parent: object = value
    for key in path[:-1]:
        parent = parent[key]  # type: ignore[index]
    key = path[-1]
    action = rng.random()
    if action < 0.6:
        parent[key] = rng.choice(_HOSTILE_VALUES)  # type: ignore[index]
    elif action < 0.8:
        del parent[key]  # type: ignore[attr-defined]
    elif isinstance(parent, list):
        parent.insert(int(key), parent[int(key)])  # type: ignore[call-overload]
    else:
        parent[f"unknown_{key}"] = parent[key]  # type: ignore[index]
    return value


def json_structure(rng: random.Random, data: bytes) -> bytes:
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return byte_flips(rng, data)
    for _ in range(rng.randint(1, 3)):
        value = mutate_structure(rng, value)
    return json.dumps(value, ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")


def yaml_structure(rng: random.Random, data: bytes) -> bytes:
    try:
        value = yaml.safe_load(data)
    except (yaml.YAMLError, RecursionError):
        return byte_flips(rng, data)
    for _ in range(rng.randint(1, 3)):
        value = mutate_structure(rng, value)
    try:
        return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8", "surrogatepass")
    except (yaml.YAMLError, ValueError, RecursionError):
        return data


# NAV values a spreadsheet or a broken feed may hold.
_NAV_VALUES: dict[str, list[object]] = {
    "net_assets": [
        float("nan"),
        float("inf"),
        -1.0,
        0.0,
        1e300,
        1e-300,
        None,
        10**30,
        "12,345.67",
        "$100",
        "1e5",
    ],
    "date": ["0001-01-01", "9999-12-31", None, "2003-13-45", "11/03/2003", "２００３-１１-０３"],
    "fund": [None, "", "investor class", "\u202eFund", "[/b]", "x" * 5000, "INVESCO Dynamics Fund\x00"],
    "share_class": [None, "", "Investor Class", "INVESTOR", "Ｉｎｖｅｓｔｏｒ"],
}


def parquet_values(rng: random.Random, data: bytes) -> bytes:
    """Rewrite the NAV table with hostile values, duplicated rows or a changed column type."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(io.BytesIO(data))
    rows = table.to_pylist()
    action = rng.random()
    if action < 0.15:
        rows += rng.sample(rows, min(len(rows), rng.randint(1, 20)))  # duplicate NAV rows (item 7)
    elif action < 0.25:
        rows = rng.sample(rows, max(1, len(rows) - rng.randint(1, 30)))  # missing days
    else:
        column = rng.choice([c for c in _NAV_VALUES if c in table.column_names])
        for row in rng.sample(rows, min(len(rows), rng.randint(1, 5))):
            row[column] = rng.choice(_NAV_VALUES[column])
    columns = {c: [r.get(c) for r in rows] for c in table.column_names}
    arrays = {}
    for name, values in columns.items():
        try:
            arrays[name] = pa.array(values, type=table.schema.field(name).type)
        except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
            arrays[name] = pa.array([None if v is None else str(v) for v in values], type=pa.string())
    sink = io.BytesIO()
    pq.write_table(pa.table(arrays), sink)
    return sink.getvalue()
