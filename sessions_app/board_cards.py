"""The board's outlet cards, rendered once and kept in the cache.

A card's key is made from every value it shows (the outlet, its tills, their open shifts and
lost opens), the language and the time zone. Any change to what the card shows is a new key,
so a card can never be stale: nothing has to remember to invalidate it, whichever writer (this
dashboard, a till, a refresh) changed the data.

The one thing a card shows that changes by itself is how long ago each shift opened: the
cached card holds a marker there (`<!--age ISO-->`, which no escaped value can contain), and
each request writes the ages in (`_Ages`). So a card stays valid until its data changes,
not for a minute. Everything else on a card (URLs, labels) is built here once per card, and
the template prints plain values.
"""

import hashlib
import logging
import re
from datetime import datetime, tzinfo
from html import escape
from typing import Any

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from sessions_app.dates import DateTimes, ago
from sessions_app.formatting import money
from sessions_app.models import PendingOpen
from sessions_app.policy import outlet_zone
from sessions_app.selectors.board import BoardOutlet, OpenShift, Till
from sessions_app.tables import url_maker

logger = logging.getLogger(__name__)

TEMPLATE = "board/partials/outlet_card.html"
KEEP_SECONDS = 24 * 60 * 60  # unread keys (their data changed) simply expire
AGE = re.compile(r"<!--age ([0-9T:.+\-]+)-->")


# A till on its card, in each of its states (templates/board/partials/outlet_card.html is the
# card around them). Every value is escaped before it goes in.
OPEN_TILL = """<li class="station station--open">
      <h3 class="station__name">{name}</h3>
      <p><span class="badge badge--open"><span aria-hidden="true">●</span> {w_open}</span>
        {opened_by},
        <time datetime="{opened_iso}" title="{opened_title}"><!--age {opened_iso}--></time></p>
      <p class="muted">{float_line}</p>{missing}{others}{held}
      <div class="actions">{close}
        <a class="button{x_report_kind}" href="{x_report_url}"
          aria-label="{x_report_label}">{w_x_report}</a>
        <a class="button button--quiet" href="{detail_url}"
          aria-label="{detail_label}">{w_details}</a>
      </div>
      <p class="station__status muted">{w_reported} {status}</p>
    </li>"""
CLOSE_BUTTON = """
        <a class="button button--primary" href="{url}"
          aria-label="{label}">{text}</a>"""
PENDING_TILL = """<li class="station">
      <h3 class="station__name">{name}</h3>
      <p><span class="badge badge--review"><span aria-hidden="true">?</span> {w_pending}</span></p>
      <p class="muted">{pending_line}</p>
      <div class="actions">
        <a class="button" href="{open_url}" aria-label="{open_label}">{w_settle}</a>
      </div>
      <p class="station__status muted">{w_reported} {status}</p>
    </li>"""
FREE_TILL = """<li class="station">
      <h3 class="station__name">{name}</h3>
      {state}
      <div class="actions">
        <a class="button" href="{open_url}" aria-label="{open_label}">{w_open_shift}</a>
      </div>
      <p class="station__status muted">{w_reported} {status}</p>
    </li>"""


class _Words:
    """The URLs and words of the cards, reversed and translated once per request (escaped)."""

    def __init__(self) -> None:
        self.close = url_maker("sessions_app:shift_close")
        self.x_report = url_maker("sessions_app:x_report")
        self.detail = url_maker("sessions_app:shift_detail")
        self.open_url = reverse("sessions_app:shift_open")
        self.times = DateTimes("DATETIME_FORMAT")
        self.by = _("by %(who)s")
        self.float_line = _("Float %(float)s · %(number)s")
        self.pending_line = _(
            "%(number)s by %(who)s may have reached Final POS: its answer was lost."
        )
        self.close_label = _("Close the shift on %(station)s")
        self.x_report_label = _("X report of the shift on %(station)s")
        self.detail_label = _("Details of the shift on %(station)s")
        self.open_label = _("Open a shift on %(station)s")
        self.settle_label = _("Settle the open of %(station)s")
        self.statuses = {"IN_USE": _("in use"), "AVAILABLE": _("available")}
        self.unknown = _("unknown")
        self.fixed = {
            key: escape(text)
            for key, text in {
                "w_open": _("Open"),
                "w_close": _("Close shift"),
                "w_x_report": _("X report"),
                "w_details": _("Details"),
                "w_reported": _("Till last reported:"),
                "w_pending": _("Opening not confirmed"),
                "w_settle": _("Settle it"),
                "w_open_shift": _("Open shift"),
            }.items()
        }
        self.missing = (
            '\n      <p class="warning-text">'
            + escape(
                _(
                    "Final POS could not find this shift at the last check; it stays here "
                    "until a later check confirms it is gone."
                )
            )
            + "</p>"
        )
        self.more_than_one = escape(_("Final POS has more than one open shift on this till:"))
        self.close_one = escape(_("Close the one that is not in use."))
        self.in_use = (
            '<p><span class="badge badge--review"><span aria-hidden="true">!</span> '
            + escape(_("In use on the till — shift not yet seen"))
            + '</span></p>\n      <p class="muted">'
            + escape(
                _(
                    "The till says it is in use, but the dashboard has not found its shift "
                    "yet (a shift shows up here once the till records a sale). Opening a "
                    "shift here asks you to check the till first."
                )
            )
            + "</p>"
        )
        self.held = escape(_("Opened on the till: close it there."))
        self.held_moved = escape(_("Cash moved here is kept until then."))
        self.free = '<p><span class="badge">' + escape(_("No open shift")) + "</span></p>"

    def url(self, parts: tuple[str, str], shift_id: str) -> str:
        return escape(f"{parts[0]}{shift_id}{parts[1]}")


def _till(
    till: Till,
    shifts: list[OpenShift],
    pending: PendingOpen | None,
    words: _Words,
    zone: tzinfo,
) -> str:
    """One till's <li>, in the state its shifts and lost opens say."""
    named = {"station": till.name}
    status = escape(words.statuses.get(till.status) or till.status or words.unknown)
    if shifts:
        shift = shifts[0]
        others = ""
        if len(shifts) > 1:
            links = ", ".join(
                f'<a href="{words.url(words.detail, other.id)}">{escape(other.session_number)}'
                f"</a> ({escape(other.opened_by)})"
                for other in shifts
            )
            others = (
                f'\n      <p class="alert alert--warning">{words.more_than_one} {links}. '
                f"{words.close_one}</p>"
            )
        return OPEN_TILL.format(
            name=escape(till.name),
            status=status,
            opened_by=escape(words.by % {"who": shift.opened_by}),
            opened_iso=words.times.local(shift.open_time, zone).isoformat(),
            opened_title=escape(words.times.short(shift.open_time, zone)),
            float_line=escape(
                words.float_line
                % {
                    "float": money(shift.opening_amount, shift.currency),
                    "number": shift.session_number,
                }
            ),
            missing=words.missing if shift.missing_since else "",
            others=others,
            held=_held_line(shift, words),
            # A shift the till holds is closed on the till: no close here, the X report first.
            close=""
            if shift.held_by_till
            else CLOSE_BUTTON.format(
                url=words.url(words.close, shift.id),
                label=escape(words.close_label % named),
                text=words.fixed["w_close"],
            ),
            x_report_kind=" button--primary" if shift.held_by_till else "",
            x_report_url=words.url(words.x_report, shift.id),
            detail_url=words.url(words.detail, shift.id),
            x_report_label=escape(words.x_report_label % named),
            detail_label=escape(words.detail_label % named),
            **words.fixed,
        )
    open_url = escape(f"{words.open_url}?station={till.id}")
    if pending is not None:
        return PENDING_TILL.format(
            name=escape(till.name),
            status=status,
            pending_line=escape(
                words.pending_line % {"number": pending.session_number, "who": pending.opened_by}
            ),
            open_url=open_url,
            open_label=escape(words.settle_label % named),
            **words.fixed,
        )
    return FREE_TILL.format(
        name=escape(till.name),
        status=status,
        state=words.in_use if till.status == "IN_USE" else words.free,
        open_url=open_url,
        open_label=escape(words.open_label % named),
        **words.fixed,
    )


def _held_line(shift: OpenShift, words: _Words) -> str:
    if not shift.held_by_till:
        return ""
    moved = f" {words.held_moved}" if shift.unsynced else ""
    return f'\n      <p class="muted">{words.held}{moved}</p>'


def _card(item: BoardOutlet, words: _Words) -> str:
    zone = outlet_zone(item.outlet.id)  # the open shifts' times on the outlet's clock
    tills = [
        mark_safe(  # noqa: S308 - every value escaped in _till
            _till(entry.till, entry.open_shifts, entry.pending_open, words, zone)
        )
        for entry in item.tills
    ]
    return render_to_string(
        TEMPLATE, {"outlet": item.outlet, "tills": tills, "open_count": item.open_count}
    )


def _shown(item: BoardOutlet) -> tuple[object, ...]:
    """Everything the card template reads, in order."""
    outlet = item.outlet
    tills = []
    for entry in item.tills:
        shifts = [
            (
                s.id,
                s.session_number,
                s.opened_by,
                s.open_time,
                s.opening_amount,
                s.currency,
                s.missing_since,
                s.held_by_till,
                bool(s.unsynced),
            )
            for s in entry.open_shifts
        ]
        pending = entry.pending_open
        tills.append(
            (
                entry.till.id,
                entry.till.name,
                entry.till.status,
                tuple(shifts),
                (pending.session_number, pending.opened_by) if pending else None,
            )
        )
    return (TEMPLATE, outlet.id, outlet.name, outlet.city, tuple(tills))


def _key(item: BoardOutlet) -> str:
    context = (
        settings.VERSION,  # a new release's cards never mix with the last one's
        _shown(item),
        translation.get_language(),
        outlet_zone(item.outlet.id).key,
    )
    digest = hashlib.blake2b(repr(context).encode(), digest_size=16).hexdigest()
    return f"board-card:{item.outlet.id}:{digest}"


def outlet_cards(board: list[BoardOutlet]) -> list[SafeString]:
    """The rendered card of each outlet, from the cache where it holds one, with the ages of
    its open shifts written in as of now."""
    keys = [_key(item) for item in board]
    try:
        kept = cache.get_many(keys)
    except Exception:  # a cache outage costs speed, never the board
        logger.warning("Board cards could not be read from the cache", exc_info=True)
        kept = {}
    cards: list[SafeString] = []
    rendered: dict[str, str] = {}
    words: _Words | None = None
    ages = _Ages()
    for key, item in zip(keys, board, strict=True):
        card = kept.get(key)
        if card is None:
            words = words or _Words()
            card = rendered[key] = _card(item, words)
        cards.append(ages.written_in(card))
    if rendered:
        try:
            _keep(rendered)
        except Exception:
            logger.warning("Board cards could not be kept in the cache", exc_info=True)
    return cards


def _keep(cards: dict[str, str]) -> None:
    if isinstance(caches["default"], DatabaseCache):
        # One transaction: the database cache would otherwise commit (and sync the disk)
        # once per card.
        with transaction.atomic():
            cache.set_many(cards, KEEP_SECONDS)
    else:
        cache.set_many(cards, KEEP_SECONDS)


class _Ages:
    """ "12 minutes ago" (or "just now") for each marker, as of this request."""

    def __init__(self) -> None:
        self.found: dict[str, str] = {}

    def _age(self, match: re.Match[str]) -> str:
        moment = match[1]
        if moment not in self.found:
            self.found[moment] = ago(datetime.fromisoformat(moment))
        return self.found[moment]

    def written_in(self, card: Any) -> SafeString:
        # The ages are plain words and digits: nothing to escape.
        return mark_safe(AGE.sub(self._age, card))  # noqa: S308 - our own template's output
