"""mali_aid: a curated, typed, citable dataset of international cooperation
with Mali, and the pure functions to total it, find where engagements overlap
and compare donors.

Importing the package is cheap: the data, pint and Hypothesis are loaded only
when first used.
"""

from __future__ import annotations

from typing import Any

from ._aggregate import Totals, totals
from ._convert import from_dict, to_dict
from ._dataset import DATA_VERSION, Dataset, load
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
    Organisation,
    OrganisationKind,
    Participant,
    Place,
    PlaceLevel,
    PlaceShare,
    Qualifier,
    Role,
    Sector,
    SectorShare,
    Source,
    Status,
    Theme,
)
from ._money import Money, minor_unit
from ._period import Period, Precision
from ._rates import Peg, Rates, default_rates
from .errors import (
    CurrencyMismatchError,
    DataError,
    MaliAidError,
    NoRateError,
    OpenPeriodError,
    UnknownIdError,
)

__all__ = [
    "DATA_VERSION",
    "Amount",
    "AmountKind",
    "Channel",
    "Citation",
    "Count",
    "CurrencyMismatchError",
    "DataError",
    "Dataset",
    "Engagement",
    "EngagementKind",
    "Event",
    "Indicator",
    "MaliAidError",
    "Money",
    "NoRateError",
    "OpenPeriodError",
    "Organisation",
    "OrganisationKind",
    "Participant",
    "Peg",
    "Period",
    "Place",
    "PlaceLevel",
    "PlaceShare",
    "Precision",
    "Qualifier",
    "Rates",
    "Role",
    "Sector",
    "SectorShare",
    "Source",
    "Status",
    "Theme",
    "Totals",
    "UnknownIdError",
    "default_rates",
    "from_dict",
    "load",
    "minor_unit",
    "to_dict",
    "totals",
]


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import version

        return version("mali-aid")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
