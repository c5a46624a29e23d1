"""The codes users filter on: aid, flow, finance and tied-status types,
policy markers with their significance, and the humanitarian flag.

Each code is checked against the copy of its IATI codelist (the tables
generated from scripts/iati-codelists/); a code not in it, or of another
vocabulary than the OECD DAC's, is reported and not kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from xml.etree.ElementTree import Element

import attrs

from mali_aid._limits import shown
from mali_aid._model import PolicyMarker
from mali_aid.errors import DataError

from ._codelist_tables import CODELISTS

if TYPE_CHECKING:
    from ._activity import ActivityReader

#: The single-valued defaults: element, codelist, the engagement's field.
SINGLE: Final = (
    ("default-flow-type", "FlowType", "flow_type"),
    ("default-finance-type", "FinanceType", "finance_type"),
    ("default-tied-status", "TiedStatus", "tied_status"),
)


@attrs.frozen
class Classification:
    """What an activity's codes give its engagement."""

    aid_types: tuple[str, ...] = ()
    flow_type: str | None = None
    finance_type: str | None = None
    tied_status: str | None = None
    policy_markers: tuple[PolicyMarker, ...] = ()
    humanitarian: bool | None = None


#: The transaction-level counterparts of the single-valued defaults.
ON_TRANSACTIONS: Final = {
    "flow_type": "flow-type",
    "finance_type": "finance-type",
    "tied_status": "tied-status",
}


def classify(reader: ActivityReader) -> Classification:
    """The codes of one activity, each checked against its codelist.

    Where the activity gives no default and every transaction read as an
    amount gives the same code, that code is the engagement's; where they
    differ, or differ from the default, the transactions' codes are
    reported, since an engagement holds one.
    """
    singles = {
        field: _on_transactions(
            reader, _single(reader, name, codelist), codelist, ON_TRANSACTIONS[field]
        )
        for name, codelist, field in SINGLE
    }
    return Classification(
        aid_types=_aid_types(reader),
        policy_markers=_policy_markers(reader),
        humanitarian=humanitarian_flag(reader),
        **singles,
    )


def humanitarian_flag(reader: ActivityReader) -> bool | None:
    flag = reader.element.get("humanitarian")
    if flag is None:
        return None
    cleaned = flag.strip().lower()
    if cleaned not in {"1", "0", "true", "false"}:
        raise DataError(
            f"humanitarian {shown(flag)} is not a boolean (1, 0, true or false)",
            field="@humanitarian",
        )
    reader.marks.use(reader.element, "humanitarian")
    return cleaned in {"1", "true"}


def _known(reader: ActivityReader, element: Element, codelist: str) -> str | None:
    """The element's code where its codelist has it; reported otherwise."""
    code = reader.code(element)
    if code in CODELISTS[codelist]:
        return code
    reader.marks.skip(
        element,
        f"code {shown(code)} is not in the {codelist} codelist (IATI 2.03)"
        if code
        else "no code",
    )
    return None


def _single(reader: ActivityReader, name: str, codelist: str) -> str | None:
    found = reader.children(reader.element, name)
    for extra in found[1:]:
        reader.marks.skip(extra, f"a second {name}; the first is used")
    if not found:
        return None
    code = _known(reader, found[0], codelist)
    if code is not None:
        reader.marks.use(found[0], "code")
    return code


def _on_transactions(
    reader: ActivityReader, default: str | None, codelist: str, name: str
) -> str | None:
    """The activity's code, or the one its kept transactions agree on."""
    found = [
        element
        for transaction in reader.kept_transactions
        for element in reader.children(transaction, name)
    ]
    if not found:
        return default
    codes = {reader.code(element) for element in found}
    given = default is not None or bool(
        reader.children(reader.element, f"default-{name}")
    )
    agreed = len(codes) == 1 and len(found) == len(reader.kept_transactions)
    if not given and agreed and next(iter(codes)) in CODELISTS[codelist]:
        for element in found:
            reader.marks.use(element, "code")
        return next(iter(codes))
    for element in found:
        code = reader.code(element)
        if default is not None and code == default:
            reader.marks.use(element, "code")
            continue
        reader.marks.skip(
            element,
            f"{name} {shown(code)} of one transaction: an engagement holds one"
            + (
                f" {name}, the activity's default {default}"
                if default is not None
                else f" {name}, the activity's default-{name}, which is reported"
                if given
                else f" {name}, and its transactions do not all give the same"
                " one from the codelist"
            ),
        )
    return default


def _dac_vocabulary(reader: ActivityReader, element: Element, what: str) -> bool:
    """Whether the element's vocabulary is the OECD DAC's (1, the default);
    reported where it is not."""
    vocabulary = reader.code(element, "vocabulary") or "1"
    if vocabulary == "1":
        return True
    reader.marks.skip(
        element,
        f"{what} of vocabulary {shown(vocabulary)}: only the OECD DAC's"
        " (vocabulary 1) is read",
    )
    return False


def _aid_types(reader: ActivityReader) -> tuple[str, ...]:
    codes: list[str] = []
    for element in reader.children(reader.element, "default-aid-type"):
        if not _dac_vocabulary(reader, element, "an aid type"):
            continue
        code = _known(reader, element, "AidType")
        if code is None:
            continue
        if code in codes:
            reader.marks.skip(element, f"aid type {code} a second time")
            continue
        reader.marks.use(element, "code", "vocabulary")
        codes.append(code)
    return tuple(codes)


def _policy_markers(reader: ActivityReader) -> tuple[PolicyMarker, ...]:
    markers: list[PolicyMarker] = []
    for element in reader.children(reader.element, "policy-marker"):
        if not _dac_vocabulary(reader, element, "a policy marker"):
            continue
        code = _known(reader, element, "PolicyMarker")
        if code is None:
            continue
        if any(marker.code == code for marker in markers):
            reader.marks.skip(element, f"policy marker {code} a second time")
            continue
        significance = reader.code(element, "significance") or None
        if (
            significance is not None
            and significance not in CODELISTS["PolicySignificance"]
        ):
            raise DataError(
                f"significance {shown(significance)} is not in the"
                " PolicySignificance codelist (0 to 4)",
                field=reader.path(element, "significance"),
            )
        reader.marks.use(element, "code", "vocabulary", "significance")
        for narrative, _, _ in reader.narratives(element):
            reader.marks.skip(
                narrative, f"the marker's name; it is recorded as policy marker {code}"
            )
        markers.append(PolicyMarker(code=code, significance=significance))
    return tuple(markers)
