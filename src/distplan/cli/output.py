"""Terminal output that never interprets data.

Every value printed comes from a document, a file name or a database: hostile until shown
otherwise. So the consoles here have Rich markup and emoji codes OFF (a fund named `[/b]`
or `:smile:` prints as written, instead of crashing or changing), and every string they render
passes through `printable`, which shows terminal control characters (ESC, CR, C1 codes, bidi
overrides, lone surrogates) as visible escapes instead of sending them to the terminal.
Styled text uses `styled()` (a Rich Text, never markup) or `print(..., markup=True)` with
`rich.markup.escape` around the data.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from rich.console import Console
from rich.text import Text

# C0 controls but tab and newline, DEL and C1 (CSI is U+009B), bidi marks, embeddings,
# overrides and isolates (the "Trojan Source" reorderings), and lone surrogates (which cannot
# be encoded, so printing one would crash).
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_LINE = re.compile(_UNSAFE.pattern[:-1] + "\n]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with every terminal control character shown as an escape such as `\\x1b`."""
    return _UNSAFE.sub(_visible, text)


def one_line(text: str) -> str:
    """`printable`, and newlines escaped too: for messages that must stay on one line."""
    return _UNSAFE_LINE.sub(_visible, text)


class SafeConsole(Console):
    """A Console for data: no markup, no emoji codes, no highlighting by default, and control
    characters made visible in every string it renders (table cells and titles included)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        kwargs.setdefault("emoji", False)
        kwargs.setdefault("highlight", False)
        kwargs.setdefault("soft_wrap", True)
        super().__init__(**kwargs)

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(printable(text), **kwargs)


def styled(text: str, style: str) -> Text:
    """Data in a style, without markup (a Text is never parsed for tags)."""
    return Text(printable(text), style=style)


# Piped output gets wide tables rather than Rich's 80-column default.
out = SafeConsole(width=None if sys.stdout.isatty() else 160)
err = SafeConsole(stderr=True)


# What json.dumps(ensure_ascii=False) leaves raw but a terminal acts on (it escapes C0 itself).
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def terminal_json(text: str) -> str:
    """JSON text (from json.dumps) with DEL, C1 codes, bidi controls, line separators and lone
    surrogates written as \\uXXXX escapes: the same JSON value, harmless on a terminal."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def echo_json(text: str) -> None:
    """Print JSON text made by json.dumps (see `terminal_json`)."""
    sys.stdout.write(terminal_json(text) + "\n")


def error_line(message: str) -> None:
    """One line on stderr, prefixed `distplan:`: how every failure is reported."""
    print(f"distplan: {one_line(message)}", file=sys.stderr)


__all__ = [
    "SafeConsole",
    "echo_json",
    "err",
    "error_line",
    "one_line",
    "out",
    "printable",
    "styled",
    "terminal_json",
]
