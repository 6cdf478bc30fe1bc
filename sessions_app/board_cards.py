"""The board's outlet cards, rendered once and kept in the cache.

A card's key is made from every value it shows (the outlet, its tills, their open shifts and
lost opens), the minute (for "12 minutes ago"), the language and the time zone. Any change
to what the card shows is a new key, so a card can never be stale: nothing has to remember
to invalidate it, whichever writer (this dashboard, a till, a refresh) changed the data.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe

from sessions_app.selectors.board import BoardOutlet

logger = logging.getLogger(__name__)

TEMPLATE = "board/partials/outlet_card.html"
KEEP_SECONDS = 120  # a key holds the minute: older cards are never read again


def _shown(item: BoardOutlet) -> tuple[object, ...]:
    """Everything the card template reads, in order."""
    outlet = item.outlet
    stations = []
    for entry in item.stations:
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
                s.unsynced,
            )
            for s in entry.open_shifts
        ]
        pending = entry.pending_open
        stations.append(
            (
                entry.station.id,
                entry.station.name,
                entry.station.status,
                tuple(shifts),
                (pending.session_number, pending.opened_by) if pending else None,
            )
        )
    return (TEMPLATE, outlet.id, outlet.name, outlet.city, tuple(stations))


def _key(item: BoardOutlet, minute: str) -> str:
    context = (
        settings.VERSION,  # a new release's cards never mix with the last one's
        _shown(item),
        minute,
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    digest = hashlib.blake2b(repr(context).encode(), digest_size=16).hexdigest()
    return f"board-card:{item.outlet.id}:{digest}"


def outlet_cards(board: list[BoardOutlet]) -> list[SafeString]:
    """The rendered card of each outlet, from the cache where it holds one."""
    minute = timezone.now().strftime("%Y%m%d%H%M")
    keys = [_key(item, minute) for item in board]
    try:
        kept = cache.get_many(keys)
    except Exception:  # a cache outage costs speed, never the board
        logger.warning("Board cards could not be read from the cache", exc_info=True)
        kept = {}
    cards: list[SafeString] = []
    rendered: dict[str, str] = {}
    for key, item in zip(keys, board, strict=True):
        card = kept.get(key)
        if card is None:
            card = rendered[key] = render_to_string(TEMPLATE, {"item": item})
        cards.append(mark_safe(card))  # noqa: S308 - our own template's output, escaped
    if rendered:
        try:
            cache.set_many(rendered, KEEP_SECONDS)
        except Exception:
            logger.warning("Board cards could not be kept in the cache", exc_info=True)
    return cards
