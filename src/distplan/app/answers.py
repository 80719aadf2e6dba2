"""Answers kept while the ledger's head stays where it is.

A web server asks the same questions of an unchanged ledger over and over (today's schedule
and its pages, the known-at selector's labels, the plans), and each answer folds the plan's
history: on a 10,000-fund ledger that is tens of milliseconds a request. Entries are
append-only with gapless seqs, so the ledger's head (the last seq and its hash) names
everything an answer was derived from: an answer is kept under its question and arguments
until the head moves, by this process or any other. The head is checked on every call (one
query on the primary key, `Ledger.head_seq`); its hash is read once per move.

Kept answers are shared between callers: the views are frozen, and callers must not change
the lists inside them (none does: they are encoded or rendered).
"""

from __future__ import annotations

import functools
import inspect
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

if TYPE_CHECKING:
    from distplan.app.core import Core

Head = tuple[int, str | None]
T = TypeVar("T")
P = ParamSpec("P")
C = TypeVar("C", bound="Core")
_MOST = 64  # answers kept: a 10,000-row schedule's state is ~1 MB of references and names


class Answers:
    """Answers by question, for one head of one ledger; an LRU of at most `most`."""

    def __init__(self, most: int = _MOST) -> None:
        self._most = most
        self._head: Head | None = None
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self.made = 0  # answers worked out, not found kept (for tests and the bench)

    def get(self, head: Head, key: Hashable, work: Callable[[], T]) -> T:
        """The answer kept under `key` at this `head`, else `work()`'s (then kept)."""
        if head != self._head:
            self._kept.clear()
            self._head = head
        if key in self._kept:
            self._kept.move_to_end(key)
            found: T = self._kept[key]
            return found
        answer = work()
        self.made += 1
        while len(self._kept) >= self._most:
            self._kept.popitem(last=False)
        self._kept[key] = answer
        return answer


def kept(method: Callable[Concatenate[C, P], T]) -> Callable[Concatenate[C, P], T]:
    """A Workspace question whose answer is kept until the ledger's head moves; its
    arguments (defaults filled in) are the key. A call with a keyword-only argument set (a
    what-if's facts, another rulebook) is not the ledger's answer alone: worked out afresh."""
    signature = inspect.signature(method)
    optional = [n for n, p in signature.parameters.items() if p.kind is p.KEYWORD_ONLY]

    @functools.wraps(method)
    def question(self: C, /, *args: P.args, **kwargs: P.kwargs) -> T:
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        if any(bound.arguments[n] is not None for n in optional):
            return method(self, *args, **kwargs)
        key = (method.__name__, *list(bound.arguments.values())[1:])
        return self._kept(key, lambda: method(self, *args, **kwargs))

    return question
