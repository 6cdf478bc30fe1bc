"""Outlet and till setup, and a manager's own alert preference."""

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from babel.core import Locale, get_global
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

from sessions_app.cash import parse_denominations
from sessions_app.formatting import money, plain_amount
from sessions_app.forms.fields import MoneyField, set_choices
from sessions_app.money import (
    CASH_ONLY,
    DOWN,
    EVERY_TENDER,
    HALF_UP,
    UP,
    active_currency,
    currencies_in_use,
    is_known_currency,
)
from sessions_app.policy import site_amount_in


def one_line(value: str) -> None:
    """Names end up in e-mail subjects, CSV cells and other systems: one line, no control
    characters."""
    if any(not character.isprintable() for character in value):
        raise ValidationError(_("Use one line of plain text."), code="control_characters")


# Codes CLDR names that are not countries (the EU, the UN, "unknown region" ...).
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"})
# The leading digits of a coin a cash total can be rounded to: 0.05, 0.10, 0.20, 0.25, 0.50, 1.
ROUNDING_STEPS = frozenset({Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)})


class OutletForm(forms.Form):
    """An outlet's details; the fields Final POS requires on create are required here."""

    name = forms.CharField(label=_("Name"), max_length=200)
    alias = forms.CharField(label=_("Short name"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=300)
    address2 = forms.CharField(label=_("Address line 2"), max_length=300, required=False)
    city = forms.CharField(label=_("City"), max_length=120)
    state = forms.CharField(label=_("State or province"), max_length=120)
    post_code = forms.CharField(label=_("Post code"), max_length=40)
    country = forms.CharField(
        label=_("Country"), max_length=80, help_text=_("Two-letter code, like US or CA.")
    )
    phone = forms.RegexField(
        label=_("Phone"),
        max_length=40,
        regex=r"^\+?[0-9 ().-]{5,}$",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        error_messages={"invalid": _("Enter a phone number, like +1 207 555 0100.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.validators.append(one_line)

    def clean_country(self) -> str:
        """ISO 3166 two letters (CH, not Switzerland); a value Final POS already holds is kept
        as it is when it is not changed."""
        country: str = self.cleaned_data["country"].strip()
        if "country" not in self.changed_data:
            return country
        if not (
            country.isalpha()
            and country.upper() in Locale("en").territories
            and country.upper() not in NOT_COUNTRIES
        ):
            raise ValidationError(
                _("Enter the country's two-letter code, like CH for Switzerland or US."),
                code="country",
            )
        return country.upper()

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.strip()
        return cleaned


class TillForm(forms.Form):
    name = forms.CharField(label=_("Till name"), max_length=200, validators=[one_line])

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if not name:
            raise ValidationError(_("Give the till a name."), code="required")
        return name


class AlertPreferencesForm(forms.Form):
    variance_alerts = forms.BooleanField(
        label=_("E-mail me when a shift at my outlets needs review"),
        required=False,
        help_text=_("Sent when a shift closes with a difference above the approval limit."),
    )
    weekly_digest = forms.BooleanField(
        label=_("E-mail me a summary of my outlets' week every Monday"),
        required=False,
        help_text=_(
            "Shifts short, cashiers short more than once, counts changed after seeing "
            "expected, and the reviews still waiting."
        ),
    )


class LanguagePreferenceForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_("Dates, times and amounts follow it too."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self.fields["language"],
            [("", _("My browser's language")), *settings.LANGUAGES],
        )


# Offered first: the zones most stores are in, by the cities people know.
COMMON_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Vancouver",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Europe/Amsterdam",
    "Europe/Zurich",
    "Europe/Stockholm",
    "Asia/Dubai",
    "Asia/Kuwait",
    "Asia/Tokyo",
    "Asia/Singapore",
    "Australia/Sydney",
    "Pacific/Auckland",
    "UTC",
)
_NOT_PLACES = ("Etc/", "SystemV/", "US/", "posix", "right/")


def canonical_zones() -> list[str]:
    """Time zones by their current names: none of the old aliases tz keeps for compatibility
    (Africa/Asmera, America/Atka), no Etc/GMT+5 or US/Pacific."""
    aliases = get_global("zone_aliases")
    return sorted(
        zone
        for zone in available_timezones()
        if "/" in zone and zone not in aliases and not zone.startswith(_NOT_PLACES)
    )


def _zone_label(zone: str) -> str:
    region, _slash, place = zone.partition("/")
    offset = datetime.now(ZoneInfo(zone)).strftime("%z")
    utc = f"UTC{offset[:3]}:{offset[3:]}".replace("-", "\u2212")
    if not place:
        return f"{zone} ({utc})"
    return f"{place.replace('_', ' ').replace('/', ', ')} · {region} ({utc})"


def _time_zone_choices(in_use: Iterable[str] = ()) -> list[Any]:
    """The common zones (and any an outlet already uses) first, then every place by region."""
    default = _("The site's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE}
    common = list(dict.fromkeys([settings.TIME_ZONE, *in_use, *COMMON_ZONES]))
    regions: dict[str, list[tuple[str, str]]] = {}
    for zone in canonical_zones():
        regions.setdefault(zone.partition("/")[0], []).append((zone, _zone_label(zone)))
    return [
        ("", default),
        (_("Common"), [(zone, _zone_label(zone)) for zone in common if zone]),
        *((region, zones) for region, zones in sorted(regions.items())),
    ]


def _currency_choices(in_use: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The currencies tendered today, with any the outlet is already set to (a currency
    withdrawn since stays its own): never one withdrawn long ago, like ADP or DEM."""
    default = _("The company's currency (%(code)s)") % {"code": settings.CURRENCY}
    names = Locale.parse(to_locale(get_language() or settings.LANGUAGE_CODE)).currencies
    offered = currencies_in_use() | {code for code in in_use if code and is_known_currency(code)}
    return [
        ("", default),
        *((code, f"{code} · {names.get(code, code)}") for code in sorted(offered)),
    ]


class OutletSettingsForm(forms.Form):
    """An outlet's own rules; a blank field keeps the site's default (shown in its help)."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("The outlet's business day runs midnight to midnight in this time zone."),
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        required=False,
        help_text=_(
            "What the outlet's drawers hold. It cannot change once the outlet has shifts in "
            "another currency."
        ),
    )
    cash_rounding = MoneyField(
        label=_("Round cash sales to"),
        required=False,
        help_text=_("Where the smallest coins are gone: 0.05 in Switzerland. 0: no rounding."),
    )
    cash_rounding_mode = forms.ChoiceField(label=_("Rounding"), required=False)
    cash_rounding_applies_to = forms.ChoiceField(label=_("Rounded tenders"), required=False)
    denominations = forms.CharField(
        label=_("Notes and coins counted"),
        required=False,
        max_length=300,
        help_text=_("Largest first, separated by commas, like 100, 50, 20, 0.50."),
    )
    variance_reason_threshold = MoneyField(
        label=_("Difference that needs a reason"), required=False
    )
    variance_approval_threshold = MoneyField(
        label=_("Difference that needs a manager's approval"), required=False
    )
    target_float = MoneyField(label=_("Float to leave in the drawer"), required=False)
    blind_count = forms.ChoiceField(
        label=_("Cashiers count before seeing expected (blind count)"), required=False
    )
    movement_approval_limit = MoneyField(
        label=_("Cash movement a manager must approve, above"), required=False
    )

    def __init__(self, *args: Any, defaults: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        time_zone = self.fields["time_zone"]
        assert isinstance(time_zone, forms.ChoiceField)
        # A zone saved under an old name stays choosable (it is still a valid zone).
        saved = {self.initial.get("time_zone") or "", self.data.get("time_zone") or ""}
        time_zone.choices = _time_zone_choices(in_use=sorted(saved & available_timezones()))
        # The currency the outlet is set to stays choosable, even one withdrawn since.
        set_choices(
            self.fields["currency"], _currency_choices(in_use=[self.initial.get("currency") or ""])
        )
        set_choices(
            self.fields["cash_rounding_mode"],
            [
                ("", _("The site's default (%(mode)s)") % {"mode": defaults["cash_rounding_mode"]}),
                (HALF_UP, _("To the nearest (half up)")),
                (UP, _("Up")),
                (DOWN, _("Down")),
            ],
        )
        set_choices(
            self.fields["cash_rounding_applies_to"],
            [
                (
                    "",
                    _("The site's default (%(tenders)s)")
                    % {"tenders": defaults["cash_rounding_applies_to"]},
                ),
                (CASH_ONLY, _("Cash only")),
                (EVERY_TENDER, _("Every tender")),
            ],
        )
        blind = self.fields["blind_count"]
        assert isinstance(blind, forms.ChoiceField)
        blind.choices = [
            ("", _("The site's default (%(default)s)") % {"default": defaults["blind_count"]}),
            ("yes", _("Yes")),
            ("no", _("No")),
        ]
        for name, default in defaults.items():
            if name in self.fields and name not in (
                "time_zone",
                "blind_count",
                "cash_rounding_mode",
                "cash_rounding_applies_to",
            ):
                self.fields[name].help_text = _("Blank: the site's default, %(default)s.") % {
                    "default": default
                }

    def clean(self) -> dict[str, Any]:
        """Rules that contradict each other are refused: a difference that needs a manager's
        approval but no reason, say."""
        cleaned = super().clean() or {}
        reason = cleaned.get("variance_reason_threshold")
        approval = cleaned.get("variance_approval_threshold")
        here = active_currency()  # the outlet's, or the one this form changes it to
        if reason is None:
            reason = site_amount_in(settings.VARIANCE_REASON_THRESHOLD, here)
        if approval is None:
            approval = site_amount_in(settings.VARIANCE_APPROVAL_THRESHOLD, here)
        if "variance_approval_threshold" not in self.errors and approval < reason:
            self.add_error(
                "variance_approval_threshold",
                _(
                    "This is below the difference that needs a reason (%(reason)s): a shift "
                    "would need a manager's approval without a reason to approve. Make it at "
                    "least %(reason)s."
                )
                % {"reason": money(reason)},
            )
        return cleaned

    def clean_cash_rounding(self) -> Decimal | None:
        """A step a drawer can pay out: a coin of the 1-2-5 series (or a quarter), never
        0.03."""
        step: Decimal | None = self.cleaned_data.get("cash_rounding")
        if not step:
            return step
        if step.scaleb(-step.adjusted()).normalize() not in ROUNDING_STEPS:
            whole = active_currency().decimals == 0
            coins = ("5", "10", "50", "100") if whole else ("0.05", "0.10", "0.25", "1")
            examples = [plain_amount(Decimal(value)) for value in coins]
            raise ValidationError(
                _("Round to a coin's value, like %(examples)s.")
                % {"examples": ", ".join(examples)},
                code="invalid",
            )
        return step

    def clean_blind_count(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("blind_count") or "")

    def clean_denominations(self) -> str:
        text: str = self.cleaned_data.get("denominations") or ""
        if not text.strip():
            return ""
        try:
            values = parse_denominations(text)
        except ValueError:
            raise ValidationError(
                _("Type the notes and coins as amounts, like 100, 50, 20, 0.50."), code="invalid"
            ) from None
        return ",".join(format(value, "f") for value in values)
