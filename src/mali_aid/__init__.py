"""mali_aid: a curated, typed, citable dataset of international cooperation
with Mali, and the pure functions to total it, find where engagements overlap
and compare donors.

Importing the package is cheap: it defines the records and the value types;
the data, cattrs, pint and Hypothesis are loaded only when first used, and so
are the modules behind loading, totals, overlaps, comparisons and exchange
rates.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._model import (
    Amount,
    AmountKind,
    Channel,
    Citation,
    Count,
    Engagement,
    EngagementKind,
    Event,
    Indicator,
    Inference,
    Organisation,
    OrganisationKind,
    Participant,
    Place,
    PlaceLevel,
    PlaceShare,
    PolicyMarker,
    Qualifier,
    Role,
    Sector,
    SectorShare,
    Source,
    Statement,
    StatementKind,
    Status,
    Theme,
)
from ._money import Money, minor_unit
from ._period import Period, Precision
from .errors import (
    AmbiguousNameError,
    ArgumentError,
    CurrencyMismatchError,
    DataError,
    MaliAidError,
    NoRateError,
    OpenPeriodError,
    UnknownIdError,
    UnknownNameError,
)

__all__ = [
    "BROWSABLE",
    "DATA_VERSION",
    "OVERLAP_DIMENSIONS",
    "RECORD_KINDS",
    "TOTAL_DIMENSIONS",
    "AmbiguousNameError",
    "Amount",
    "AmountKind",
    "ArgumentError",
    "Basis",
    "Cell",
    "Channel",
    "Citation",
    "Conversion",
    "Count",
    "CurrencyMismatchError",
    "DataDiff",
    "DataError",
    "Dataset",
    "DonorComparison",
    "DonorProfile",
    "DonorSummary",
    "Engagement",
    "EngagementKind",
    "Event",
    "FieldChange",
    "Filters",
    "Indicator",
    "Inference",
    "Listing",
    "MaliAidError",
    "Money",
    "NoRateError",
    "OpenPeriodError",
    "Organisation",
    "OrganisationKind",
    "Overlap",
    "Overlaps",
    "Participant",
    "Peg",
    "Period",
    "Place",
    "PlaceLevel",
    "PlaceShare",
    "PolicyMarker",
    "Precision",
    "Qualifier",
    "Rates",
    "RecordChange",
    "Role",
    "Sector",
    "SectorShare",
    "Selection",
    "Source",
    "Statement",
    "StatementKind",
    "Status",
    "Summary",
    "Theme",
    "Totals",
    "UnknownIdError",
    "UnknownNameError",
    "browse",
    "compare_donor_matrix",
    "compare_donors",
    "default_rates",
    "diff",
    "find_overlaps",
    "from_dict",
    "iter_overlaps",
    "load",
    "minor_unit",
    "plot_timeline",
    "save",
    "summarise",
    "to_dict",
    "totals",
]


if TYPE_CHECKING:
    from ._aggregate import totals
    from ._browse import BROWSABLE, Listing, browse
    from ._compare import (
        DonorComparison,
        DonorProfile,
        compare_donor_matrix,
        compare_donors,
    )
    from ._convert import from_dict, to_dict
    from ._dataset import Dataset
    from ._diff import DataDiff, FieldChange, RecordChange, diff
    from ._loading import DATA_VERSION, load
    from ._overlap import Overlap, Overlaps, find_overlaps, iter_overlaps
    from ._rates import Peg, Rates, default_rates
    from ._rules import Basis, Conversion
    from ._save import save
    from ._selection import Filters, Selection
    from ._summary import DonorSummary, Summary, summarise
    from ._timeline import plot_timeline
    from ._totals_result import Cell, Totals
    from ._vocabulary import OVERLAP_DIMENSIONS, RECORD_KINDS, TOTAL_DIMENSIONS

#: Public names whose modules are imported on first use. The records and
#: the value types are imported with the package; the dataset, its loading
#: and the cattrs converter come with the first name that needs them.
_LAZY = {
    "DATA_VERSION": "._loading",
    "load": "._loading",
    "Dataset": "._dataset",
    "Filters": "._selection",
    "Selection": "._selection",
    "from_dict": "._convert",
    "to_dict": "._convert",
    "Basis": "._rules",
    "Conversion": "._rules",
    "Cell": "._totals_result",
    "Totals": "._totals_result",
    "totals": "._aggregate",
    "DataDiff": "._diff",
    "FieldChange": "._diff",
    "RecordChange": "._diff",
    "diff": "._diff",
    "DonorComparison": "._compare",
    "DonorProfile": "._compare",
    "compare_donor_matrix": "._compare",
    "compare_donors": "._compare",
    "Overlap": "._overlap",
    "Overlaps": "._overlap",
    "find_overlaps": "._overlap",
    "iter_overlaps": "._overlap",
    "Peg": "._rates",
    "Rates": "._rates",
    "default_rates": "._rates",
    "plot_timeline": "._timeline",
    "BROWSABLE": "._browse",
    "Listing": "._browse",
    "browse": "._browse",
    "save": "._save",
    "DonorSummary": "._summary",
    "Summary": "._summary",
    "summarise": "._summary",
    "OVERLAP_DIMENSIONS": "._vocabulary",
    "RECORD_KINDS": "._vocabulary",
    "TOTAL_DIMENSIONS": "._vocabulary",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("mali-aid")
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    # The public names only: not the helpers and private modules this
    # module happens to hold.
    return sorted({*__all__, "__version__"})
