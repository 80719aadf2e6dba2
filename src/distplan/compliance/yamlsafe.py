"""YAML from files we do not trust (governance files, rulebooks): bounded size, nesting depth,
aliases and the number of values the aliases expand to, each refused with one line naming the
file and line. Plain `yaml.safe_load` would expand an alias bomb until memory runs out and
overflow Python's stack on deep nesting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from distplan.errors import InputError

MAX_BYTES = 4 * 1024 * 1024  # a governance file of a 10,000-fund family is well under 1 MiB
MAX_DEPTH = 32  # governance files nest 8 deep, the rulebook 6
MAX_ALIASES = 64  # the sample uses 2 (one list of funds named by several approvals)
MAX_VALUES = 1_000_000  # scalars and collections once aliases are expanded


class _Limit(yaml.YAMLError):
    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class BoundedLoader(yaml.SafeLoader):
    """`SafeLoader` that refuses more than MAX_ALIASES aliases and nesting deeper than
    MAX_DEPTH while it composes (before anything is expanded or constructed)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise _Limit(f"more than {MAX_ALIASES} aliases (*name)", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Limit(f"nested more than {MAX_DEPTH} deep", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def check_size(size: int, where: str) -> None:
    if size > MAX_BYTES:
        raise InputError(f"{where}: refused: more than {MAX_BYTES:,} bytes")


def read_bounded(path: Path, what: str) -> bytes:
    """The bytes of a file of at most MAX_BYTES; InputError naming it otherwise."""
    try:
        with path.open("rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, not {what}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read {what}: {exc.strerror}") from None
    check_size(len(raw), str(path))
    return raw


def decode(raw: bytes, where: str) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{where}: not UTF-8 text (byte {exc.start})") from None


def compose(text: str, where: str) -> yaml.Node | None:
    """The node graph of one YAML document; InputError on bad YAML or a limit passed."""
    check_size(len(text), where)
    loader = None
    try:
        loader = BoundedLoader(text)  # the reader refuses unprintable characters right here
        return loader.get_single_node()
    except _Limit as exc:
        raise InputError(f"{where}:{exc.problem_mark.line + 1}: refused: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise _invalid(exc, where) from None
    except RecursionError:  # not expected below MAX_DEPTH; never a traceback
        raise InputError(f"{where}: refused: nested too deep") from None
    finally:
        if loader is not None:
            loader.dispose()


class Budget:
    """Counts values as a walk expands aliases; refuses past MAX_VALUES."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.left = MAX_VALUES

    def spend(self, node: yaml.Node) -> None:
        self.left -= 1
        if self.left < 0:
            raise InputError(
                f"{self.where}:{node.start_mark.line + 1}: refused: its aliases expand to more than "
                f"{MAX_VALUES:,} values"
            )


def check_expansion(node: yaml.Node, where: str, *, cycles: bool = False) -> None:
    """Refuse a node graph whose aliases expand to more than MAX_VALUES values, counting
    without building anything. A cycle (&a [*a]) is refused too unless `cycles` (the caller
    then reports it, with the field it is in)."""
    budget = Budget(where)
    on_path: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        n, leaving = stack.pop()
        if leaving:
            on_path.discard(id(n))
            continue
        budget.spend(n)
        if not isinstance(n, yaml.MappingNode | yaml.SequenceNode):
            continue
        if id(n) in on_path:
            if cycles:
                continue
            raise InputError(f"{where}:{n.start_mark.line + 1}: refused: refers to itself (YAML alias)")
        on_path.add(id(n))
        stack.append((n, True))
        if isinstance(n, yaml.MappingNode):
            stack.extend((part, False) for pair in n.value for part in pair)
        else:
            stack.extend((item, False) for item in n.value)


def load(text: str, where: str) -> Any:
    """`yaml.safe_load` within the limits above."""
    node = compose(text, where)
    if node is None:
        return None
    check_expansion(node, where)
    try:
        return yaml.constructor.SafeConstructor().construct_document(node)
    except yaml.YAMLError as exc:
        raise _invalid(exc, where) from None
    except ValueError as exc:  # a value YAML's resolver takes for a date: 2003-13-21
        raise InputError(f"{where}: not valid YAML: {exc}") from None
    except RecursionError:
        raise InputError(f"{where}: refused: nested too deep (through aliases)") from None


def _invalid(exc: yaml.YAMLError, where: str) -> InputError:
    mark = getattr(exc, "problem_mark", None)
    line = f":{mark.line + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return InputError(f"{where}{line}: not valid YAML: {problem}")
