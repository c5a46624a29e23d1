"""Rounding a total's pieces: once per engagement, so that every grouping
adds up the same rounded pieces and any two add up to the same whole.

The rules of :mod:`mali_aid._rules` cut an engagement's money into exact
atoms; here the atoms of one engagement that fall on the same leaf (donor,
kind, sector, place, implementer, year and rate) are added into a
:class:`_Piece`, and the pieces are rounded to the minor unit by largest
remainder, level by level, so that they sum to the engagement's own
rounded total.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from ._rules import Atom, Basis, Conversion, Figure

if TYPE_CHECKING:
    from ._selection import Filters


@attrs.frozen
class _Piece:
    """The atoms of one engagement that fall on one key, added up.

    ``atom`` is one of them: they share the engagement, the key and every
    value a selection's conditions look at.
    """

    atom: Atom
    key: tuple[Hashable, ...]
    figure: Figure
    basis: frozenset[Basis]
    conversions: frozenset[Conversion]
    #: The piece in its amount's own currency, exact (``None`` if unknown).
    original: Fraction | None = None
    #: The bases that hold only in a total by (or filtered on) a dimension.
    splits: frozenset[tuple[str, Basis]] = frozenset()


@attrs.frozen
class _Rounded:
    """A piece with its figures in minor units."""

    piece: _Piece
    best: int | None
    low: int
    high: int | None

    @property
    def atom(self) -> Atom:
        return self.piece.atom


def _added(figures: Iterable[Figure]) -> Figure:
    best: Fraction | None = None
    low = Fraction(0)
    high: Fraction | None = Fraction(0)
    for figure in figures:
        if figure.best is not None:
            best = figure.best if best is None else best + figure.best
        low += figure.low
        high = None if high is None or figure.high is None else high + figure.high
    return Figure(best, low, high)


def _pieces(
    atoms: Sequence[Atom],
    key_of: Callable[[Atom], tuple[Hashable, ...]],
    filters: Filters,
    seen: tuple[str, ...],
    split: str,
) -> dict[str, list[_Piece]]:
    """Each engagement's atoms added up into leaves: one per donor, kind,
    sector, place, implementer and year, whatever the grouping asked for, so
    that every grouping is a sum of the same rounded leaves."""
    grouped: dict[tuple[Any, ...], list[Atom]] = {}
    for atom in atoms:
        fine = (atom.engagement.id, atom.status, *_leaf(atom))
        grouped.setdefault(fine, []).append(atom)
    by_engagement: dict[str, list[_Piece]] = {}
    for members in grouped.values():
        piece = _Piece(
            atom=members[0],
            key=key_of(members[0]),
            figure=_added(member.figure for member in members),
            basis=frozenset().union(*(member.basis_for(seen) for member in members)),
            conversions=frozenset(
                member.conversion
                for member in members
                if member.conversion is not None and member.conversion.basis
            ),
            original=_added(
                Figure(member.original, Fraction(0), None) for member in members
            ).best,
            splits=frozenset(split for member in members for split in member.splits),
        )
        by_engagement.setdefault(members[0].engagement.id, []).append(piece)
    return by_engagement


def _largest_remainder(values: Sequence[Fraction], target: int) -> list[int]:
    """Round each value so that the rounded values sum to ``target`` (the
    rounded sum, or a parent's share): largest remainders take the units."""
    floors = [math.floor(value) for value in values]
    leftover = target - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (floors[i] - values[i], i))
    for index in order[:leftover]:
        floors[index] += 1
    return floors


def _leaf(atom: Atom) -> tuple[Hashable, ...]:
    """Where an atom lies, in the order rounding descends: donor, kind,
    sector, place, implementer, year. The shares of a split come first, so
    that a half or a quarter of a round amount stays round; a year's slice
    is an estimate to the cent anyway."""
    return (
        (atom.donor, atom.funders),
        atom.kind,
        atom.sector,
        atom.place,
        atom.implementer,
        atom.year,
        # One rate per leaf: the amount's currency and the time it converts at.
        (atom.currency, None if atom.conversion is None else atom.conversion.when),
    )


def _descend(
    indices: Sequence[int],
    values: Sequence[Fraction],
    leaves: Sequence[tuple[Hashable, ...]],
    target: int,
    depth: int,
    out: dict[int, int],
) -> None:
    """Share ``target`` minor units among ``indices``, level by level.

    At each level the groups' exact sums are rounded by largest remainder so
    that they keep their parent's rounded sum; so a donor's share, a kind's,
    a sector's or a place's is as near its exact value as rounding allows,
    and the leaves always sum to the engagement's rounded total.
    """
    if len(indices) == 1 or depth == len(leaves[indices[0]]):
        shares = _largest_remainder([values[i] for i in indices], target)
        out.update(zip(indices, shares, strict=True))
        return
    groups: dict[Hashable, list[int]] = {}
    for index in indices:
        groups.setdefault(leaves[index][depth], []).append(index)
    members = list(groups.values())
    sums = [sum((values[i] for i in group), Fraction(0)) for group in members]
    for group, share in zip(members, _largest_remainder(sums, target), strict=True):
        _descend(group, values, leaves, share, depth + 1, out)


def _round_engagement(pieces: Sequence[_Piece], places: int) -> list[_Rounded]:
    """Round one engagement's pieces: the best figures keep their sum, level
    by level; bounds equal to the best figure stay equal to it, others round
    outwards."""
    scale = 10**places
    known = [i for i, piece in enumerate(pieces) if piece.figure.best is not None]
    values = [(piece.figure.best or 0) * scale for piece in pieces]
    rounded_best: dict[int, int] = {}
    if known:
        target = round(sum((values[i] for i in known), Fraction(0)))
        leaves = [_leaf(piece.atom) for piece in pieces]
        _descend(known, values, leaves, target, 0, rounded_best)
    result = []
    for index, piece in enumerate(pieces):
        figure = piece.figure
        best = rounded_best.get(index)
        low = (
            best
            if best is not None and figure.low == figure.best
            else math.floor(figure.low * scale)
        )
        if figure.high is None:
            high = None
        elif best is not None and figure.high == figure.best:
            high = best
        else:
            high = math.ceil(figure.high * scale)
        result.append(_Rounded(piece, best, low, high))
    return result


def _round_whole(pieces: Sequence[_Piece], places: int) -> list[_Rounded]:
    # Counted whole under each key, each key's copy is rounded on its own.
    copies: dict[Hashable, list[_Piece]] = {}
    for piece in pieces:
        atom = piece.atom
        copies.setdefault((atom.sector, atom.place, atom.implementer), []).append(piece)
    return [r for copy in copies.values() for r in _round_engagement(copy, places)]
