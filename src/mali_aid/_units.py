"""The pint view of money and counts, built on first use.

pint takes a good part of a second to import and builds registries slowly,
so nothing here runs until a caller asks for ``Money.quantity`` or
``Count.quantity``. The registry is private to this package: each currency is
its own base dimension (so pint itself refuses to add EUR to CAD), and each
counting unit (person, helicopter...) is one too. Magnitudes are
``Decimal``, so nothing passes through a float.
"""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import TYPE_CHECKING

from ._currencies import MINOR_UNITS
from ._money import Money
from .errors import CurrencyMismatchError, DataError

if TYPE_CHECKING:
    import pint

    from ._model import Count

__all__ = ["count_to_quantity", "money_to_quantity", "quantity_to_money", "registry"]

_lock = threading.Lock()
_registry: pint.UnitRegistry[Decimal] | None = None


def registry() -> pint.UnitRegistry[Decimal]:
    """The package's own pint registry, built once on first call."""
    global _registry
    if _registry is None:
        with _lock:
            if _registry is None:
                import pint

                built: pint.UnitRegistry[Decimal] = pint.UnitRegistry(
                    None, non_int_type=Decimal
                )
                for code in MINOR_UNITS:
                    built.define(f"{code} = [currency_{code}]")
                _registry = built
    return _registry


def money_to_quantity(money: Money) -> pint.Quantity[Decimal]:
    units = registry()
    return units.Quantity(money.amount, money.currency)


def quantity_to_money(quantity: pint.Quantity[Decimal]) -> Money:
    units = registry()
    if not isinstance(quantity, units.Quantity):
        raise DataError("expected a Quantity from mali_aid's own unit registry")
    dimensions = dict(quantity.dimensionality)
    if len(dimensions) != 1:
        raise CurrencyMismatchError(f"{quantity.units} is not one currency")
    ((dimension, power),) = dimensions.items()
    if power != 1 or not dimension.startswith("[currency_"):
        raise CurrencyMismatchError(f"{quantity.units} is not a currency")
    code = dimension[len("[currency_") : -1]
    magnitude = quantity.to(code).magnitude
    if isinstance(magnitude, int):
        magnitude = Decimal(magnitude)
    if not isinstance(magnitude, Decimal):
        raise DataError(f"magnitude {magnitude!r} is not a Decimal")
    return Money(magnitude, code)


def count_to_quantity(count: Count) -> pint.Quantity[Decimal]:
    units = registry()
    with _lock:
        if count.unit not in units:
            units.define(f"{count.unit} = [{count.unit}]")
    return units.Quantity(count.value, count.unit)
