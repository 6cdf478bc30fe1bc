"""A manager's week at their outlets, for the weekly digest: the shifts that came up short,
the cashiers short again and again, the counts changed after expected was seen, and the
reviews still waiting."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum

from sessions_app.models import SessionRecord
from sessions_app.roles import MANAGER_GROUP, User
from sessions_app.selectors.shifts import shifts_visible_to

REPEATED = 2  # cash shorts in one week that make a cashier's pattern worth a word


@dataclass(frozen=True)
class CashierShorts:
    name: str
    shorts: int
    total_short: Decimal
    currency: str


@dataclass(frozen=True)
class WeekDigest:
    start: date  # a Monday
    end: date  # the Sunday after it
    closed: int
    short: int
    over: int
    repeated_shorts: list[CashierShorts] = field(default_factory=list)
    recounts_after_seeing_expected: list[SessionRecord] = field(default_factory=list)
    waiting_review: int = 0
    in_conflict: int = 0

    @property
    def has_news(self) -> bool:
        return bool(self.closed or self.waiting_review or self.in_conflict)


def week_before(today: date) -> tuple[date, date]:
    """The last whole week (Monday to Sunday) before ``today``."""
    this_monday = today - timedelta(days=today.weekday())
    return this_monday - timedelta(days=7), this_monday - timedelta(days=1)


def week_digest(*, user: User, start: date, end: date) -> WeekDigest:
    shifts = shifts_visible_to(user=user).filter(deleted_at__isnull=True)
    week = shifts.filter(business_date__gte=start, business_date__lte=end, close_time__isnull=False)
    tolerance = settings.VARIANCE_TOLERANCE
    counts = week.aggregate(
        closed=Count("id"),
        short=Count("id", filter=Q(cash_variance__lt=-tolerance)),
        over=Count("id", filter=Q(cash_variance__gt=tolerance)),
    )
    repeated = (
        week.filter(cash_variance__lt=-tolerance)
        .values("closed_by", "currency")
        .annotate(shorts=Count("id"), total=Sum("cash_variance"))
        .filter(shorts__gte=REPEATED)
        .order_by("-shorts", "total")
    )
    recounted = list(week.filter(report__blindCount__recounted=True).order_by("close_time")[:20])
    return WeekDigest(
        start=start,
        end=end,
        closed=counts["closed"],
        short=counts["short"],
        over=counts["over"],
        repeated_shorts=[
            CashierShorts(
                name=row["closed_by"] or "?",
                shorts=row["shorts"],
                total_short=-(row["total"] or Decimal(0)),
                currency=row["currency"],
            )
            for row in repeated
        ],
        recounts_after_seeing_expected=recounted,
        waiting_review=shifts.filter(review_state="needs_review").count(),
        in_conflict=shifts.filter(in_conflict=True).count(),
    )


def digest_recipients(*, week_start: date) -> list[User]:
    """Active managers with an address, who keep the digest on and have not had this week's;
    never for a week that ended before their account was made."""
    week_end = week_start + timedelta(days=6)
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=MANAGER_GROUP, date_joined__date__lte=week_end)
        .exclude(email="")
        .exclude(staff_profile__weekly_digest=False)
        .exclude(staff_profile__digest_sent_for__gte=week_start)
        .distinct()
    )
