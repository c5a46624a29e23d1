"""The IATI 2.03 codelists, as far as they map onto mali_aid's records."""

from __future__ import annotations

from typing import Final

from mali_aid._model import (
    AmountKind,
    Channel,
    OrganisationKind,
    Role,
    Status,
)

from ._codelist_tables import CODELISTS

# -- the IATI 2.03 codelists, as far as they map -----------------------------------

#: OrganisationRole: 1 Funding, 2 Accountable, 3 Extending, 4 Implementing.
ROLES: Final = {str(role.iati_code): role for role in Role}

#: OrganisationType codes with a clean counterpart; the others (11 Local
#: Government, 15 Other Public Sector, 30 Public Private Partnership,
#: 60 Foundation, 90 Other) get the default kind and are reported.
ORGANISATION_KINDS: Final = {
    "10": OrganisationKind.GOVERNMENT,
    "21": OrganisationKind.NGO,
    "22": OrganisationKind.NGO,
    "23": OrganisationKind.NGO,
    "24": OrganisationKind.NGO,
    "40": OrganisationKind.MULTILATERAL,
    "70": OrganisationKind.COMPANY,
    "71": OrganisationKind.COMPANY,
    "72": OrganisationKind.COMPANY,
    "73": OrganisationKind.COMPANY,
    "80": OrganisationKind.UNIVERSITY,
}
#: The kind of an organisation whose type is absent or has no counterpart.
DEFAULT_KIND: Final = OrganisationKind.AGENCY

#: ActivityStatus: 1 Pipeline/identification, 2 Implementation,
#: 3 Finalisation (the work is done, the books not yet closed), 4 Closed.
STATUSES: Final = {
    "1": Status.PLANNED,
    "2": Status.ONGOING,
    "3": Status.COMPLETED,
    "4": Status.COMPLETED,
}
STATUS_NAMES: Final = {"5": "cancelled", "6": "suspended"}

#: TransactionType codes that are amounts of the activity's own money.
TRANSACTION_KINDS: Final = {
    "2": AmountKind.COMMITMENT,
    "3": AmountKind.DISBURSEMENT,
    "4": AmountKind.EXPENDITURE,
    "12": AmountKind.PLEDGE,
}
#: The TransactionType codelist in full, from its copy: every code's name.
TRANSACTION_TYPES: Final = CODELISTS["TransactionType"]
#: Money the activity receives: the other side of a funder's flow.
INCOMING: Final = {code: TRANSACTION_TYPES[code].lower() for code in ("1", "11", "13")}
#: The types with no kind of amount of their own (5 to 10: interest and
#: loan repayments, reimbursements, equity, credit guarantees).
OTHER_TRANSACTIONS: Final = {
    code: name.lower()
    for code, name in TRANSACTION_TYPES.items()
    if code not in TRANSACTION_KINDS and code not in INCOMING
}

#: CollaborationType codes with a clean channel.
CHANNELS: Final = {
    "1": Channel.BILATERAL,
    "2": Channel.MULTILATERAL,
    "4": Channel.MULTILATERAL,
    "7": Channel.NGO,
    "8": Channel.BILATERAL,
}

BUDGET_STATUSES: Final = {"1": "indicative", "2": "committed"}


# -- regions ------------------------------------------------------------------------

#: The OECD DAC regions (recipient-region vocabulary 1), from the Region
#: codelist.
REGIONS: Final = CODELISTS["Region"]

#: The DAC regions that contain Mali: 289 South of Sahara, 298 Africa,
#: 1030 Western Africa (the DAC's list of ODA recipients puts Mali in each),
#: and 998 Developing countries unspecified, which holds every recipient.
#: Money for one of them is partly Mali's, in a share nobody states.
REGIONS_CONTAINING_MALI: Final = frozenset({"289", "298", "998", "1030"})
