"""What every command shares: printing, the terminal's width, names to ids,
the engagements the selection options choose."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mali_aid import Dataset, Selection


class Usage(Exception):
    """A mistake in the command: reported by argparse, with status 2."""


class MissingExtra(Exception):
    """An optional dependency is not installed: status 1, naming the install."""


def one_line(message: str) -> str:
    """The message on one line: a newline or other control character in a
    value the user typed is shown escaped."""
    return "".join(
        character if character.isprintable() else repr(character)[1:-1]
        for character in message
    )


def width() -> int | None:
    """The width tables fit: the terminal's when standard output is one
    (``COLUMNS`` overrides it), else ``None``: lines to a pipe or a file
    are never cut."""
    try:
        interactive = sys.stdout.isatty()
    except (AttributeError, ValueError):
        interactive = False
    return shutil.get_terminal_size().columns if interactive else None


def print_json(value: object) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


def emit(arguments: argparse.Namespace, result: Any, plain: Callable[[], Any]) -> int:
    """A result object as JSON (``--json``: what ``plain`` gives) or as its
    text, fitting the terminal; the command's exit status."""
    if arguments.json:
        print_json(plain())
    else:
        print(result.to_text(width()))
    return 0


def note(message: str) -> None:
    print(one_line(f"mali-aid: note: {message}"), file=sys.stderr)


def report(arguments: argparse.Namespace, facts: dict[str, Any], text: str) -> None:
    """What a command wrote: JSON on standard output, or a line on standard error."""
    if arguments.json:
        print_json(facts)
    else:
        print(text, file=sys.stderr)


# -- names to ids ----------------------------------------------------------------


def found(what: str, wanted: str, find: Callable[[str], Any]) -> str:
    """The id of the record ``wanted`` names, by the library's lookup rules.

    A name that means nested records takes the widest, with a note on
    standard error; no match, or several that are not nested, is a usage
    error.
    """
    from mali_aid.errors import AmbiguousNameError, UnknownIdError

    try:
        return str(find(wanted).id)
    except AmbiguousNameError as error:
        if error.widest is None:
            raise Usage(str(error)) from None
        others = ", ".join(c for c in error.candidates if c != error.widest)
        note(f"{what} {wanted!r} taken as the widest, {error.widest} (also: {others})")
        return error.widest
    except UnknownIdError as error:
        raise Usage(str(error)) from None


def organisation(data: Dataset, wanted: str) -> str:
    return found("organisation", wanted, data.find_organisation)


def place(data: Dataset, wanted: str) -> str:
    return found("place", wanted, data.find_place)


def sector(data: Dataset, wanted: str) -> str:
    return found("sector", wanted, data.find_sector)


def source(data: Dataset, wanted: str | None) -> str | None:
    """A source id as given, checked: sources have ids, not names."""
    from mali_aid.errors import UnknownIdError

    if wanted is None:
        return None
    try:
        return data.source(wanted).id
    except UnknownIdError as error:
        raise Usage(str(error)) from None


def channel(wanted: str) -> str:
    from mali_aid import Channel

    values = [channel.value for channel in Channel]
    if wanted.casefold() in values:
        return wanted.casefold()
    raise Usage(f"no channel is called {wanted!r}; the channels: {', '.join(values)}")


def selected(arguments: argparse.Namespace, data: Dataset) -> Selection:
    """The engagements the selection options ask for, in file order.

    Repeated options take any of their values (``select()`` takes several);
    the selection keeps its conditions, so that a total counts the share of
    each engagement that meets them.
    """
    resolve: dict[str, Callable[[Any], Any]] = {
        "donor": lambda text: organisation(data, text),
        "implementer": lambda text: organisation(data, text),
        "place": lambda text: place(data, text),
        "sector": lambda text: sector(data, text),
        "year": lambda year: year,
        "channel": channel,
    }
    conditions: dict[str, Any] = {
        option: tuple(turn(value) for value in values)
        for option, turn in resolve.items()
        if (values := getattr(arguments, option, None))
    }
    for option in ("aid_type", "flow_type", "finance_type", "tied_status"):
        if values := getattr(arguments, option, None):
            conditions[option] = tuple(values)
    if markers := getattr(arguments, "policy_marker", None):
        conditions["policy_marker"] = tuple(markers)
    if getattr(arguments, "humanitarian", None) is not None:
        conditions["humanitarian"] = arguments.humanitarian
    from mali_aid.errors import DataError

    try:
        return data.select(**conditions)
    except DataError as error:  # a value the options let through: a bad code
        raise Usage(str(error)) from None
