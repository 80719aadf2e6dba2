"""Governance YAML parsed with the 1-based line of every field, within `yamlsafe`'s limits."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from distplan.compliance import yamlsafe
from distplan.errors import InputError


def compose(text: str, where: str) -> tuple[Any, dict[str, int]]:
    """Parse YAML keeping the 1-based line of every field (dotted path -> line), within the
    limits of `yamlsafe` (size, depth, aliases and what they expand to)."""
    node = yamlsafe.compose(text, where)
    if node is not None:
        yamlsafe.check_expansion(node, where, cycles=True)  # walk() names the field of a cycle
    lines: dict[str, int] = {}
    constructor = yaml.constructor.SafeConstructor()

    open_nodes: set[int] = set()

    def walk(n: yaml.Node, path: str) -> Any:
        lines[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode | yaml.SequenceNode):
            if id(n) in open_nodes:  # an alias to an enclosing node: a cycle
                raise InputError(f"{where}:{lines[path]}: {path or '(top)'}: refers to itself (YAML alias)")
            open_nodes.add(id(n))
            try:
                return walk_collection(n, path)
            finally:
                open_nodes.discard(id(n))
        try:
            value = constructor.construct_object(n)
        except (yaml.YAMLError, ValueError):
            return n.value  # e.g. a date-like 2003-13-21: the field's reader reports it
        # YAML floats lose exactness: keep the written digits for money and share counts.
        return Decimal(n.value) if isinstance(value, float) and is_decimal(n.value) else value

    def walk_collection(n: yaml.Node, path: str) -> Any:
        if isinstance(n, yaml.MappingNode):
            out: dict[str, Any] = {}
            for key_node, value_node in n.value:
                key = constructor.construct_object(key_node)
                if not isinstance(key, str):
                    raise InputError(
                        f"{where}:{key_node.start_mark.line + 1}: {path or '(top)'}: keys must be names"
                    )
                if key in out:
                    raise InputError(
                        f"{where}:{key_node.start_mark.line + 1}: {join_path(path, key)}: given twice"
                    )
                out[key] = walk(value_node, join_path(path, key))
            return out
        return [walk(item, f"{path}[{i}]") for i, item in enumerate(n.value)]

    if node is None:
        return None, lines
    try:
        return walk(node, ""), lines
    except RecursionError:  # aliases of aliases can nest deeper than the file does
        raise InputError(f"{where}: refused: nested too deep (through aliases)") from None


def is_decimal(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def join_path(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
