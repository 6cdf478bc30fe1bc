"""Values every page needs: the mode banner, the role-based navigation, the currency."""

import functools
import math
from typing import Any

from babel.numbers import get_decimal_symbol
from django.conf import settings
from django.http import HttpRequest

from sessions_app.cash import current_locale
from sessions_app.drafts import page_messages
from sessions_app.finalpos import circuit
from sessions_app.money import active_currency
from sessions_app.notifications import email_configured
from sessions_app.password_reset import password_reset_offered
from sessions_app.roles import is_manager, is_staff_member


def dashboard(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    breaker = circuit.state()
    closes_in = breaker.open_until - circuit.clock() if breaker.open_until else 0
    # Read when the page shows them (base.html), as Django's own `messages` is: a page that
    # does not (a receipt) leaves them for the next one.
    split = functools.cache(lambda: page_messages(request))
    return {
        "finalpos_paused_for": math.ceil(max(closes_in, breaker.paused_for)),
        "page_messages": lambda: split()[0],
        # Drafts the browser may forget: Final POS accepted what they held (static/js/site.js).
        "drafts_accepted": lambda: split()[1],
        "demo_mode": settings.FINALPOS_DEMO_MODE,
        # The page's currency: the shift's or the outlet's (sessions_app.money.active_currency).
        "currency": active_currency().code,
        "currency_decimals": active_currency().decimals,
        "decimal_sign": get_decimal_symbol(current_locale()),
        "app_version": settings.VERSION,
        "user_is_manager": bool(user and is_manager(user)),
        "user_is_staff_member": bool(user and is_staff_member(user)),
        "email_configured": email_configured(),
        "password_reset_offered": password_reset_offered(),
    }
