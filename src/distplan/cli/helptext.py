"""Help that reads like a Unix manual: `--json`, `--as-of DATE`, `record FILE...`, not Typer's
`<bool>`, `<str>`, `<list[Path]>`.

One place decides every metavar, from the parameter's type and name, so a new option gets a
sensible one without anyone remembering to write `metavar=`. An explicit `metavar=` still wins.
The root group (`DistplanGroup`, given to the Typer app as `cls`) applies it to every command
below it when the CLI is built.
"""

from __future__ import annotations

import enum
import pathlib
import typing
from typing import Any

from typer import _click
from typer.core import TyperArgument, TyperGroup, TyperOption

# By parameter name (the Python name Typer gives it): what the value means.
_BY_NAME = {
    "db": "URL",
    "spark_master": "URL",
    "as_of": "DATE",
    "from_": "DATE",
    "to": "DATE",
    "effective": "DATE",
    "month": "YYYY-MM",
    "known_at": "SEQ|TIMESTAMP",
    "from_known_at": "SEQ|TIMESTAMP",
    "to_known_at": "SEQ|TIMESTAMP",
    "recorded_at": "TIMESTAMP",
    "distribution": "PERCENT",
    "service": "PERCENT",
    "aggregate": "PERCENT",
    "plan": "PLAN",
    "plan_ref": "PLAN",
    "due_days": "DAYS",
    "expect_head": "HASH",
    "entry": "SEQ",
}


def _annotation(param: TyperArgument | TyperOption) -> Any:
    annotation = param.type_descriptor.annotation
    if typing.get_origin(annotation) is list:
        (annotation,) = typing.get_args(annotation)
    return annotation


def metavar_for(param: TyperArgument | TyperOption) -> str:
    """The metavar of one parameter: empty for a flag, `a|b` for a choice, FILE for a path,
    the meaning for a known name (DATE, URL), else the option's own name in capitals."""
    if isinstance(param, TyperOption) and (param.is_flag or param.count):
        return ""
    annotation = _annotation(param)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "|".join(str(member.value) for member in annotation)
    if isinstance(annotation, type) and issubclass(annotation, pathlib.PurePath):
        return "FILE"
    name = param.name or ""
    if name in _BY_NAME:
        return _BY_NAME[name]
    if annotation is int:
        return "N"
    longest = max(param.opts, key=len, default=name)
    return longest.lstrip("-").replace("_", "-").upper() or "VALUE"


class _Argument(TyperArgument):
    """An argument shown by its metavar alone (no type column), `FILE...` when repeated."""

    def display_type_rich(self, ctx: _click.Context) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        return name if self.required else f"[{name}]"


def humanize(command: _click.Command) -> None:
    """Give every parameter of `command` and of the commands below it a readable metavar."""
    params = list(command.params)
    help_option = command.get_help_option(_click.Context(command))
    if help_option is not None:
        params.append(help_option)
    for param in params:
        if isinstance(param, TyperArgument):
            if param.metavar is None:
                param.metavar = metavar_for(param) + ("..." if param.nargs != 1 else "")
            param.__class__ = _Argument
        elif isinstance(param, TyperOption) and param.metavar is None:
            param.metavar = metavar_for(param)
    for sub in getattr(command, "commands", {}).values():
        humanize(sub)


class DistplanGroup(TyperGroup):
    """The root command group: applies `humanize` to the whole command tree once it is built."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        humanize(self)


__all__ = ["DistplanGroup", "humanize", "metavar_for"]
