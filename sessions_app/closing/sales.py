"""The shift's sales by payment method, in the drawer's currency: each sale with its cash
rounding, tenders nobody declares and sales in another currency kept apart."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy

from sessions_app.closing.drawer import MethodSales, SalesSummary
from sessions_app.finalpos.records import Transaction
from sessions_app.money import NO_ROUNDING, CashRounding, Currency, active_currency

SALE_TYPES = {"sale", "payment"}
REFUND_TYPES = {"refund", "return"}


@dataclass(frozen=True)
class PaymentMethod:
    key: str
    name: str


# The default methods' names, in the reader's language; a name configured otherwise (a brand,
# "Oliver Pay") is shown as configured.
_BUILT_IN_NAMES = {"Cash": gettext_lazy("Cash"), "Card": gettext_lazy("Card")}


def payment_methods() -> list[PaymentMethod]:
    return [
        PaymentMethod(key, str(_BUILT_IN_NAMES.get(name, name)))
        for key, name in settings.PAYMENT_METHODS
    ]


# Tenders a till may write that the dashboard does not reconcile, by their key without case or
# separators; any other key is shown in words ("storeCredit" -> "Store credit").
_OTHER_TENDER_NAMES = {
    "giftcard": gettext_lazy("Gift card"),
    "storecredit": gettext_lazy("Store credit"),
    "voucher": gettext_lazy("Voucher"),
    "cheque": gettext_lazy("Cheque"),
    "loyalty": gettext_lazy("Loyalty points"),
}


def tender_name(key: str) -> str:
    """A tender's name for people: the configured method's, else a known one's, else its key
    in words (never "gift_card")."""
    for method in payment_methods():
        if method.key == key:
            return method.name
    plain = re.sub(r"[\s_-]+", "", key).lower()
    if plain in _OTHER_TENDER_NAMES:
        return str(_OTHER_TENDER_NAMES[plain])
    spaced = key.replace("_", " ").replace("-", " ")
    if key[:1].islower():  # an identifier, "storeCredit": its words, acronyms kept ("UK")
        spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", spaced)
        words = [word if word.isupper() else word.lower() for word in spaced.split()]
    else:  # written as a name already ("PayPal", "EBT")
        words = spaced.split()
    text = " ".join(words)
    return text[:1].upper() + text[1:] if text else key


def other_tenders(amounts: dict[str, Decimal]) -> dict[str, Decimal]:
    """Amounts declared for tenders the dashboard is not configured for (a gift card a till
    wrote): kept on every write and shown, never reconciled or added to anything."""
    configured = {method.key for method in payment_methods()}
    return {key: amount for key, amount in amounts.items() if key not in configured}


def method_key_for(transaction_method: str) -> str:
    """Maps a transaction's paymentMethod string to one of our method keys."""
    aliases = {alias.lower(): key for alias, key in settings.PAYMENT_METHOD_ALIASES.items()}
    return aliases.get(transaction_method.strip().lower(), transaction_method.strip())


@dataclass(frozen=True)
class DrawerMoney:
    """The drawer's currency and the outlet's cash rounding: what its sales are counted in."""

    currency: Currency
    rounding: CashRounding = NO_ROUNDING


def sales_summary(
    transactions: Iterable[Transaction], *, money: DrawerMoney | None = None
) -> SalesSummary:
    """Sales and refunds per tender, each with its cash rounding; tenders nobody declares at
    close, and sales in another currency than the drawer's, are kept apart.

    A sale's rounding is what rounding its amount to the increment adds (15.72 -> -0.02 at
    0.05); an amount already on the increment (Final POS reporting what was paid) adds
    nothing, so nothing is rounded twice. A transaction that states its own rounding
    (paymentData.rounding) was rounded by the till: its amount is what was paid, and its
    stated rounding is used as it is."""
    money = money or DrawerMoney(active_currency())
    configured = {method.key for method in payment_methods()}
    summary = SalesSummary(by_method={key: MethodSales() for key in configured})
    for transaction in transactions:
        key = method_key_for(transaction.payment_method)
        currency = transaction.currency.strip().upper()
        if currency and currency != money.currency.code:
            _add(summary.foreign.setdefault(currency, MethodSales()), transaction, NO_ROUNDING, key)
            continue
        lines = summary.by_method if key in configured else summary.other
        _add(lines.setdefault(key, MethodSales()), transaction, money.rounding, key)
        _add_extras(summary, transaction)
    return summary


EXTRAS = (("discounts", "discount"), ("tax", "tax"), ("tips", "tip"))


def _add_extras(summary: SalesSummary, transaction: Transaction) -> None:
    """The discounts, tax and tips the sales carry, net of the refunds that carry them."""
    sign = 1 if transaction.type in SALE_TYPES else -1 if transaction.type in REFUND_TYPES else 0
    for name, attribute in EXTRAS:
        value = getattr(transaction, attribute)
        if value is not None and sign:
            summary.extras[name] = summary.extras.get(name, Decimal(0)) + sign * abs(value)


def _add(line: MethodSales, transaction: Transaction, rounding: CashRounding, key: str) -> None:
    """A sale adds its amount and its rounding; a refund takes away its amount and its
    rounding (a 15.72 refund paid out as 15.70 leaves 0.02 more in the drawer, as it was
    0.02 short on the sale). Refunds are rounded on their size, like the sale they undo."""
    is_sale = transaction.type in SALE_TYPES
    if not is_sale and transaction.type not in REFUND_TYPES:
        return
    amount = transaction.amount if is_sale else abs(transaction.amount)
    if transaction.stated_rounding is not None:
        adjustment = transaction.stated_rounding
        amount -= adjustment  # the amount was what was paid: the sale came to this
    elif rounding.applies(key):
        adjustment = rounding.adjustment(amount)
    else:
        adjustment = Decimal(0)
    if is_sale:
        line.sales += amount
        line.rounding += adjustment
        line.sale_count += 1
    else:
        line.refunds += amount
        line.rounding -= adjustment
        line.refund_count += 1
