"""Records found by what people call them: a name, an alias or an id.

:meth:`Dataset.find_organisation`, :meth:`Dataset.find_place` and
:meth:`Dataset.find_sector` (and the command line, which calls them) follow
the rules here:

1. An id written exactly as the data writes it wins.
2. Otherwise a record matches when the text equals its id, its name or one
   of its aliases, ignoring case, accents and spacing (``segou`` is
   ``Ségou``); a place also matches by its name without the word for its
   level (``Sikasso`` is the Sikasso region, cercle and city), and a sector
   by its OECD DAC code.
3. One match is the answer. Several are an
   :class:`~mali_aid.errors.AmbiguousNameError` listing them, unless they
   are nested (one lies in or under all the others) and the caller asks for
   the widest.
4. No match is an :class:`~mali_aid.errors.UnknownNameError` that suggests
   records whose names come close (a spelling slip) or hold the text as a
   word (``health``), never unrelated ones.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from . import _arguments
from ._model import Organisation, Place, Sector
from ._text import alternatives
from .errors import AmbiguousNameError, UnknownNameError

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = ["find_organisation", "find_place", "find_sector", "fold"]

_R = TypeVar("_R", Organisation, Place, Sector)

#: How alike two folded names must be (difflib's ratio) to be suggested.
_CLOSE: float = 0.75
_MAX_SUGGESTIONS = 5

#: Words that name a level of place, in English and French, as the names
#: and aliases of the data use them ("Sikasso region", "région de Sikasso").
_LEVEL_WORDS = frozenset(
    {"region", "cercle", "circle", "city", "commune", "district", "town", "ville"}
)
_LINKS = frozenset({"of", "de", "du", "d'"})
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")


def fold(text: str) -> str:
    """``text`` as lookups compare it: accents dropped, case folded, hyphens
    and runs of spaces made one space.

    >>> fold("  Région de  SÉGOU ")
    'region de segou'
    >>> fold("Nioro-du-Sahel")
    'nioro du sahel'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    bare = bare.replace("’", "'").replace("-", " ").replace("_", " ")
    return " ".join(bare.casefold().split())


def _without_level(folded: str) -> str | None:
    """A folded place name without its level word: "sikasso region" and
    "region de sikasso" are "sikasso"; ``None`` when there is none to drop."""
    words = folded.split(" ")
    if len(words) > 1 and words[-1] in _LEVEL_WORDS:
        return " ".join(words[:-1])
    if len(words) > 1 and words[0] in _LEVEL_WORDS:
        rest = words[1:]
        if len(rest) > 1 and rest[0] in _LINKS:
            rest = rest[1:]
        return " ".join(rest)
    return None


def _place_forms(place: Place) -> set[str]:
    forms = {fold(place.id), fold(place.name), *(fold(a) for a in place.aliases)}
    stripped = {_without_level(form) for form in forms}
    return forms | {form for form in stripped if form}


def _organisation_forms(organisation: Organisation) -> set[str]:
    return {
        fold(organisation.id),
        fold(organisation.name),
        *(fold(alias) for alias in organisation.aliases),
    }


def _sector_forms(sector: Sector) -> set[str]:
    forms = {fold(sector.id), fold(sector.name)}
    if sector.dac_code is not None:
        forms.add(sector.dac_code)
    return forms


def _suggest(wanted: str, forms: Sequence[tuple[str, str]]) -> tuple[str, ...]:
    """Ids of records with a form close to ``wanted`` or holding it as a word.

    ``forms`` pairs each folded form with its record's id.
    """
    by_form: dict[str, list[str]] = {}
    for form, record_id in forms:
        by_form.setdefault(form, []).append(record_id)
    found: dict[str, None] = {}
    for form in difflib.get_close_matches(
        wanted, by_form, n=_MAX_SUGGESTIONS, cutoff=_CLOSE
    ):
        found.update(dict.fromkeys(by_form[form]))
    if len(wanted) >= 3:
        for form, record_id in forms:
            if wanted in _WORD.findall(form) or (
                " " in wanted and f" {wanted} " in f" {form} "
            ):
                found[record_id] = None
    return tuple(found)[:_MAX_SUGGESTIONS]


def _find(
    what: str,
    wanted: str,
    records: Sequence[_R],
    forms_of: Callable[[_R], set[str]],
    describe: Callable[[_R], str],
    within: Callable[[str, str], bool] | None,
    widest: bool,
) -> _R:
    if not isinstance(wanted, str):
        raise TypeError(f"a {what} name must be a str, not {type(wanted).__name__}")
    for record in records:
        if record.id == wanted:
            return record
    folded = fold(wanted)
    forms = [(record, forms_of(record)) for record in records]
    matches = [record for record, names in forms if folded and folded in names]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        suggested = _suggest(
            folded, [(form, record.id) for record, names in forms for form in names]
        )
        by_id = {record.id: record for record in records}
        hint = (
            f"; did you mean {alternatives(describe(by_id[one]) for one in suggested)}?"
            if suggested
            else ""
        )
        raise UnknownNameError(
            f"no {what} is called {wanted!r}{hint}", suggestions=suggested
        )
    top = _widest(matches, within)
    if top is not None and widest:
        return top
    ordered = _widest_first(matches, within)
    choices = "; ".join(describe(record) for record in ordered)
    raise AmbiguousNameError(
        f"{what} {wanted!r} is ambiguous: use one of the ids {choices}",
        candidates=tuple(record.id for record in ordered),
        widest=None if top is None else top.id,
    )


def _widest(
    matches: Iterable[_R], within: Callable[[str, str], bool] | None
) -> _R | None:
    """The match that every other match lies in, if there is one."""
    if within is None:
        return None
    matches = list(matches)
    for candidate in matches:
        if all(within(other.id, candidate.id) for other in matches):
            return candidate
    return None


def _widest_first(
    matches: Sequence[_R], within: Callable[[str, str], bool] | None
) -> list[_R]:
    """The matches, those that hold more of the others first, else in file order."""
    if within is None:
        return list(matches)

    def holds(record: _R) -> int:
        return sum(within(other.id, record.id) for other in matches)

    return sorted(matches, key=holds, reverse=True)


def find_organisation(
    data: Dataset, name: str, *, widest: bool = False
) -> Organisation:
    """The organisation ``name`` means (see the module's rules)."""
    _arguments.check("find_organisation", data=data, name=name, widest=widest)

    def under(inner: str, outer: str) -> bool:
        return outer in data._organisation_chain(inner)

    return _find(
        "organisation",
        name,
        data.organisations,
        _organisation_forms,
        lambda record: f"{record.id} ({record.name}, {record.kind})",
        under,
        widest,
    )


def find_place(data: Dataset, name: str, *, widest: bool = False) -> Place:
    """The place ``name`` means (see the module's rules)."""
    _arguments.check("find_place", data=data, name=name, widest=widest)
    return _find(
        "place",
        name,
        data.places,
        _place_forms,
        lambda record: f"{record.id} ({record.name}, {record.level})",
        data.lies_in,
        widest,
    )


def find_sector(data: Dataset, name: str) -> Sector:
    """The sector ``name`` means (see the module's rules)."""
    _arguments.check("find_sector", data=data, name=name)
    return _find(
        "sector",
        name,
        data.sectors,
        _sector_forms,
        lambda record: f"{record.id} ({record.name})",
        None,
        False,
    )
