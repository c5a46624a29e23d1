"""Rebuild ``src/mali_aid/_currencies.py`` from pycountry's ISO 4217 list.

Run from the repository root with the ``dev`` extra installed::

    python scripts/build_currencies.py

The minor units are the ISO 4217 table's; pycountry does not carry them, so
the currencies whose minor unit is not 2 are listed here.
"""

from __future__ import annotations

import pathlib

import pycountry

NO_MINOR_UNIT = {
    "XAD",
    "XAG",
    "XAU",
    "XBA",
    "XBB",
    "XBC",
    "XBD",
    "XPD",
    "XPT",
    "XSU",
    "XTS",
    "XUA",
    "XXX",
    "XDR",
}
MINOR_UNIT = {
    **dict.fromkeys(
        [
            "BIF",
            "CLP",
            "DJF",
            "GNF",
            "ISK",
            "JPY",
            "KMF",
            "KRW",
            "PYG",
            "RWF",
            "UGX",
            "UYI",
            "VND",
            "VUV",
            "XAF",
            "XOF",
            "XPF",
        ],
        0,
    ),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(["CLF", "UYW"], 4),
}

HEADER = '''"""ISO 4217 currencies and their minor units.

Origin: the list of active ISO 4217 codes as published by ISO (read from the
copy that the ``pycountry`` package ships, version {version}) and the minor
units of the ISO 4217 table (list one, "Minor unit" column). Precious
metals, bond-market units, the SDR and the testing codes have no minor unit
and are left out. Regenerate with ``scripts/build_currencies.py``.
"""

from __future__ import annotations

from types import MappingProxyType

#: Minor unit (number of decimal places) of each known currency.
MINOR_UNITS = MappingProxyType(
    {{
'''


def main() -> None:
    from importlib.metadata import version

    out = [HEADER.format(version=version("pycountry"))]
    for currency in sorted(pycountry.currencies, key=lambda c: c.alpha_3):
        code = currency.alpha_3
        if code in NO_MINOR_UNIT:
            continue
        out.append(f'        "{code}": {MINOR_UNIT.get(code, 2)},  # {currency.name}\n')
    out.append("    }\n)\n")
    target = pathlib.Path(__file__).parents[1] / "src" / "mali_aid" / "_currencies.py"
    target.write_text("".join(out), encoding="utf-8")


if __name__ == "__main__":
    main()
