"""The demo company's money: its currency (the dashboard's CURRENCY), amounts of the size a
store in that currency takes (a 35.00 sale in dollars is about 3500 yen or 10.500 dinars),
and amounts written the way the API writes them (two decimals, three for KWD)."""

from decimal import ROUND_HALF_UP, Decimal

from babel.core import get_global
from babel.numbers import get_currency_precision, is_currency
from django.conf import settings

# Roughly what one US dollar buys, so the demo's sales look like a store's in that currency.
SCALE = {
    "JPY": Decimal(150),
    "KRW": Decimal(1300),
    "CLP": Decimal(900),
    "ISK": Decimal(140),
    "HUF": Decimal(350),
    "SEK": Decimal(10),
    "NOK": Decimal(10),
    "DKK": Decimal(7),
    "INR": Decimal(80),
    "MXN": Decimal(17),
    "KWD": Decimal("0.3"),
    "BHD": Decimal("0.4"),
    "OMR": Decimal("0.4"),
    "JOD": Decimal("0.7"),
    "TND": Decimal(3),
}


def code() -> str:
    return settings.CURRENCY.upper()


def decimals() -> int:
    return min(get_currency_precision(code()), 3) if is_currency(code()) else 2


def scaled(dollars: Decimal, *, cash: bool = False) -> Decimal:
    """A dollar-sized amount in the demo's currency, with its decimals; a cash sale as the till
    reports it, already rounded where small coins are gone (0.05 in Switzerland)."""
    amount = (dollars * SCALE.get(code(), Decimal(1))).quantize(
        Decimal(1).scaleb(-decimals()), rounding=ROUND_HALF_UP
    )
    if cash:
        step = cash_increment()
        amount = (amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return amount


def cash_increment() -> Decimal:
    fractions = get_global("currency_fractions").get(code())
    if not fractions:
        return Decimal(1).scaleb(-decimals())
    _digits, _rounding, cash_digits, cash_rounding = fractions
    return Decimal(cash_rounding or 1).scaleb(-cash_digits)


def wire(amount: Decimal) -> str:
    """As the API writes money: "200.00", "2480.00", "6.125"."""
    places = Decimal("0.001") if decimals() == 3 else Decimal("0.01")
    return str(amount.quantize(places, rounding=ROUND_HALF_UP))


TAX_RATE = Decimal("0.08")  # the demo company's sales tax, included in its prices


def sale_details(amount: Decimal, *, method: str, chance: float) -> dict[str, str]:
    """What the Final POS app writes in a sale's paymentData beside its amount: the tax
    included in it, and now and then (``chance`` is a number in [0, 1) drawn for the sale) a
    tip on a card sale or a discount given."""
    step = Decimal(1).scaleb(-decimals())
    details = {"tax": wire((amount * TAX_RATE / (1 + TAX_RATE)).quantize(step))}
    if method != "cash" and chance < 0.25:
        details["tip"] = wire((amount * Decimal("0.15")).quantize(step))
    elif chance > 0.9:
        details["discount"] = wire((amount * Decimal("0.10")).quantize(step))
    return details
