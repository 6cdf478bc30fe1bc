"""Local tables: staff and their outlets, the cached catalog, the session index, the claims
and numbers used when opening, and the audit trail.

Final POS is the source of truth for outlets, stations and sessions; these tables keep only
what the pages need to render without calling it.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def money_field(**options: Any) -> models.DecimalField:
    """An amount in any currency, exactly: three decimals hold KWD, two USD, none JPY."""
    return models.DecimalField(max_digits=15, decimal_places=3, **options)


OPTIONAL = {"null": True, "blank": True}


def company_currency_code() -> str:
    """A shift indexed without a currency is in the company's (settings.CURRENCY)."""
    return str(settings.CURRENCY)


class StaffProfile(models.Model):
    """Per-user preferences that do not belong on Django's User."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    variance_alerts = models.BooleanField(
        default=True, help_text="E-mail me when a shift in my outlets closes needing review."
    )
    weekly_digest = models.BooleanField(
        default=True, help_text="E-mail me a summary of my outlets' week every Monday."
    )
    digest_sent_for = models.DateField(
        null=True, blank=True, help_text="The first day of the last week a digest was sent for"
    )
    # One of settings.LANGUAGES; blank: the browser's language (sessions_app/languages.py).
    language = models.CharField(max_length=10, blank=True, default="")

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class OutletAssignment(models.Model):
    """A staff user may work in (and see) this Final POS outlet."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outlet_assignments"
    )
    outlet_id = models.CharField(max_length=24, help_text="Final POS outlet id")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "outlet_id"], name="one_assignment_per_outlet")
        ]
        indexes = [models.Index(fields=["outlet_id"])]

    def __str__(self) -> str:
        return f"{self.user} @ {self.outlet_id}"


class Outlet(models.Model):
    """Display copy of a Final POS outlet (refreshed by catalog_refresh)."""

    id = models.CharField(max_length=24, primary_key=True)
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300, blank=True)
    address2 = models.CharField(max_length=300, blank=True)
    city = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=80, blank=True)
    post_code = models.CharField(max_length=40, blank=True)
    phone = models.CharField(max_length=60, blank=True)
    alias = models.CharField(max_length=120, blank=True)
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Station(models.Model):
    """Display copy of a Final POS station; `status` is what the till last reported."""

    id = models.CharField(max_length=24, primary_key=True)
    outlet_id = models.CharField(max_length=24, db_index=True)
    name = models.CharField(max_length=200)
    status = models.CharField(max_length=40, blank=True)
    status_reported_at = models.DateTimeField(null=True, blank=True)
    fetched_at = models.DateTimeField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OutletSettings(models.Model):
    """An outlet's own policy, kept by the dashboard (Final POS outlets carry none). A blank
    field means the site-wide default from the environment."""

    outlet_id = models.CharField(max_length=24, primary_key=True)
    time_zone = models.CharField(max_length=64, blank=True)
    # ISO 4217; blank: the company's CURRENCY. Refused once the outlet has shifts in another.
    currency = models.CharField(max_length=3, blank=True, default="")
    variance_reason_threshold = money_field(**OPTIONAL)
    variance_approval_threshold = money_field(**OPTIONAL)
    target_float = money_field(**OPTIONAL)
    blind_count = models.BooleanField(null=True, blank=True)
    movement_approval_limit = money_field(**OPTIONAL)
    # Cash rounding: the increment (0 for none), half_up/up/down, and cash or all tenders.
    cash_rounding = money_field(**OPTIONAL)
    cash_rounding_mode = models.CharField(max_length=10, blank=True, default="")
    cash_rounding_applies_to = models.CharField(max_length=10, blank=True, default="")
    # Notes and coins counted, largest first ("100,50,20"); blank: the currency's.
    denominations = models.CharField(max_length=300, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Settings of {self.outlet_id}"


class SyncState(models.Model):
    """The outcome of the last refresh of a kind of data from Final POS, shown on pages."""

    CATALOG = "catalog"  # outlets and stations
    SESSIONS = "sessions"  # the refresh of open and recent shifts
    DISCOVERY = "discovery"  # finding shifts the tills opened

    name = models.CharField(max_length=40, primary_key=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Outlets and tills Final POS stopped listing, kept until a manager confirms their removal
    # ({"outlets": [ids], "stations": [ids]}); empty when nothing is held.
    held_removals = models.JSONField(default=dict, blank=True)
    # Where a job that reads Final POS in steps got to (discovery's place in the sales list).
    position = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return self.name


_TIME_ORDER = ["-open_time", "-id"]
_CASHIER_COLUMNS = [
    "open_time",
    "variance_abs",
    "id",
    "outlet_id",
    "result",
    "business_date",
    "currency",
    "opening_amount",
    "closing_amount",
    "cash_variance",
    "rounding",
    "deleted_at",
]
_DIFFERENCE_ORDER = ["-variance_abs", *_TIME_ORDER]
HISTORY_INDEXES = {
    "history_time": [*_TIME_ORDER, "business_date", "outlet_id", "result"],
    "history_difference": [*_DIFFERENCE_ORDER, "business_date", "outlet_id", "result"],
    "history_result_time": ["result", *_TIME_ORDER, "business_date", "outlet_id"],
    "history_result_difference": ["result", *_DIFFERENCE_ORDER, "business_date", "outlet_id"],
    "history_outlet_time": ["outlet_id", *_TIME_ORDER, "business_date", "result"],
    "history_outlet_difference": ["outlet_id", *_DIFFERENCE_ORDER, "business_date", "result"],
    "history_day_difference": ["business_date", *_DIFFERENCE_ORDER, "outlet_id", "result"],
    # A cashier's shifts (opened by, closed by): sorted in memory, a few hundred at most, and
    # totalled per currency from the index alone (SQLite needs the condition's column in it
    # for that; without the currency and the rounding it read each shift's row, 4 times as
    # long).
    "history_opened_by": ["opened_by", *_CASHIER_COLUMNS],
    "history_closed_by": ["closed_by", *_CASHIER_COLUMNS],
}


class SessionRecord(models.Model):
    """The dashboard's index of Final POS sessions (shifts): display fields only.

    Rebuilt from the API's answer after every write and by refresh_finalpos; Final POS has no
    endpoint that lists sessions, so this is how history exists at all.
    """

    REVIEW_CHOICES = [
        ("", "No review needed"),
        ("needs_review", "Needs review"),
        ("approved", "Approved"),
    ]
    RESULT_CHOICES = [
        ("", "Not available"),
        ("over", "Over"),
        ("short", "Short"),
        ("balanced", "Balanced"),
        ("mixed", "Mixed"),
    ]

    id = models.CharField(max_length=24, primary_key=True)
    session_number = models.CharField(max_length=40)
    outlet_id = models.CharField(max_length=24, blank=True)
    station_id = models.CharField(max_length=24)
    opened_by = models.CharField(max_length=200)
    opened_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    open_time = models.DateTimeField()
    business_date = models.DateField(help_text="Day the shift opened, in TIME_ZONE")
    currency = models.CharField(
        max_length=3,
        default=company_currency_code,
        help_text="ISO 4217, fixed when the shift is first indexed",
    )
    opening_amount = money_field()
    opening_note = models.TextField(blank=True)
    closed_by = models.CharField(max_length=200, blank=True)
    close_time = models.DateTimeField(null=True, blank=True)
    closing_amount = money_field(**OPTIONAL)
    closing_note = models.TextField(blank=True)
    counted = models.JSONField(default=dict, blank=True, help_text="method -> amount")
    expected = models.JSONField(default=dict, blank=True, help_text="method -> amount")
    variances = models.JSONField(
        default=dict, blank=True, help_text="method -> counted minus expected"
    )
    cash_variance = models.DecimalField(
        max_digits=15, decimal_places=3, null=True, blank=True, help_text="Cash counted - expected"
    )
    variance_abs = models.DecimalField(
        max_digits=15,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="The largest difference on any one method (never a sum across methods)",
    )
    rounding = models.DecimalField(
        max_digits=15,
        decimal_places=3,
        null=True,
        blank=True,
        help_text="Cash rounding of the shift's sales, in expected (never a difference)",
    )
    result = models.CharField(
        max_length=10,
        choices=RESULT_CHOICES,
        blank=True,
        help_text="Balanced only when every method is; mixed when one is over and one short",
    )
    other_tenders_off = models.BooleanField(
        default=False, help_text="A tender other than cash is off, whatever cash did"
    )
    review_state = models.CharField(max_length=20, choices=REVIEW_CHOICES, blank=True)
    # Copied out of the report for the CSV, which would otherwise parse every report.
    variance_reason = models.TextField(blank=True, default="")
    approved_by = models.CharField(max_length=200, blank=True, default="")
    review_comment = models.TextField(blank=True, default="")
    # What the close said to leave in the drawer for the next shift (the report's bank
    # deposit): the open form offers it as each till's float without parsing a report.
    left_in_drawer = money_field(**OPTIONAL)
    # The shift's CSV line but for the outlet's and till's names (exports.export_columns), as
    # written for export_key (the payment methods and the outlet's time zone): an export reads
    # these instead of formatting some twenty cells a shift.
    export_head = models.TextField(blank=True, default="")
    export_tail = models.TextField(blank=True, default="")
    export_key = models.CharField(max_length=200, blank=True, default="")
    report = models.JSONField(null=True, blank=True, help_text="closingReportData, decoded")
    till_sales = models.JSONField(
        null=True,
        blank=True,
        help_text="A shift a till closed: its sales per tender, as read for its expected figures",
    )
    upstream_updated_at = models.DateTimeField(null=True, blank=True)
    station_status_pending = models.CharField(
        max_length=20, blank=True, help_text="Station status still to write to Final POS"
    )
    station_status_error = models.TextField(blank=True)
    fetched_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    # When Final POS first answered "no such session"; marked deleted only if still missing
    # at a later check (a single answer can come from a misrouted request).
    missing_since = models.DateTimeField(null=True, blank=True)
    # The ledger's view of the shift (LedgerEntry): what of ours Final POS does not carry yet,
    # and whether a manager must choose between our version and what Final POS has now.
    unsynced = models.PositiveSmallIntegerField(default=0)
    in_conflict = models.BooleanField(default=False)
    held_by_till = models.BooleanField(
        default=False, help_text="Open, and opened on a till: the dashboard does not write to it"
    )

    class Meta:
        # Final POS can hold two open sessions on one till (a till opens its own), so the index
        # allows it too and the board names both; the dashboard itself never opens a second
        # one (StationClaim, and a check of Final POS before every open).
        ordering = ["-open_time"]
        indexes = [
            models.Index(fields=["outlet_id", "-open_time"], name="session_outlet_time"),
            models.Index(fields=["station_id", "-open_time"], name="session_station_time"),
            models.Index(fields=["business_date"], name="session_business_date"),
            models.Index(fields=["-open_time"], name="session_open_time"),
            # The board and the manager's home: recent closes, the week's days, reviews due.
            models.Index(fields=["outlet_id", "-close_time"], name="session_outlet_close"),
            models.Index(fields=["-close_time"], name="session_close_time"),
            models.Index(fields=["outlet_id", "business_date"], name="session_outlet_day"),
            models.Index(fields=["outlet_id", "review_state"], name="session_outlet_review"),
            models.Index(fields=["review_state"], name="session_review"),
            # Insights: the closed shifts of a period, in one currency, summed per cashier and
            # till, read from the index alone (SQLite counts an index as covering only when it
            # also holds the columns of its own condition and of every filter: without the
            # currency it read each row of the table too, and its planner chose another index).
            models.Index(
                fields=[
                    "business_date",
                    "open_time",
                    "currency",
                    "closed_by",
                    "station_id",
                    "outlet_id",
                    "cash_variance",
                    "result",
                    "other_tenders_off",
                    "close_time",
                    "deleted_at",
                ],
                condition=models.Q(close_time__isnull=False, deleted_at__isnull=True),
                name="insights_closed",
            ),
            # The worker: the shifts whose stored CSV line was written for another key.
            models.Index(fields=["outlet_id", "export_key"], name="session_export_key"),
            # The open form: each till's last closed shift (what it left in the drawer).
            models.Index(
                fields=["station_id", "-close_time"],
                condition=models.Q(close_time__isnull=False, deleted_at__isnull=True),
                name="session_till_last_close",
            ),
            # The board: the shift open on each till of a page of outlets.
            models.Index(
                fields=["station_id", "open_time"],
                condition=models.Q(close_time__isnull=True, deleted_at__isnull=True),
                name="session_open_on_till",
            ),
            # The review count on the board reads only the shifts that need review.
            models.Index(
                fields=["outlet_id"],
                condition=models.Q(review_state="needs_review", deleted_at__isnull=True),
                name="session_review_due",
            ),
            # The conflict count: with its condition's columns, so SQLite counts from it alone
            # (without them its planner scanned another index of every shift: 23-37 ms on the
            # owner's board of 20,000 shifts).
            models.Index(
                fields=["outlet_id", "in_conflict", "deleted_at"],
                condition=models.Q(in_conflict=True, deleted_at__isnull=True),
                name="session_conflict",
            ),
            # The refresh writes back what a till dropped: only the shifts with something to write.
            # Led by its condition's column: without statistics SQLite's planner otherwise scans
            # another index of every shift for it.
            models.Index(
                fields=["unsynced", "id"],
                condition=models.Q(unsynced__gt=0),
                name="session_unsynced_first",
            ),
            # The refresh reads again the shifts Final POS could not find: a handful.
            models.Index(
                fields=["missing_since", "id"],
                condition=models.Q(missing_since__isnull=False),
                name="session_missing",
            ),
            # The history: an index per filter it serves (none, result, outlet, business
            # days) and per order (open time, or the largest difference then open time), each
            # holding every column the other filters read, so a page's ids come from the
            # index alone however deep the page (selectors/history.py). SQLite puts NULLs
            # (open shifts) last in a descending index; on PostgreSQL migration
            # 0018_history_indexes makes the difference orders DESC NULLS LAST to match.
            *(
                models.Index(
                    fields=fields,
                    condition=models.Q(deleted_at__isnull=True),
                    name=name,
                )
                for name, fields in HISTORY_INDEXES.items()
            ),
        ]

    def __str__(self) -> str:
        return self.session_number or self.id

    @property
    def is_open(self) -> bool:
        return self.close_time is None

    @property
    def needs_review(self) -> bool:
        return self.review_state == "needs_review"


class OutletTotals(models.Model):
    """An outlet's shifts in one currency over a period for the history's totals, in integer
    thousandths of a unit (exact for 0, 2 and 3 decimals), one row per result and
    open-or-closed, so a filter by result or state reads totals too. Kept by
    services/daily_totals.py in the same transaction as every index write, so the history's
    totals read a few rows per outlet and period instead of every shift. Deleted shifts are
    out."""

    outlet_id = models.CharField(max_length=24, blank=True)
    currency = models.CharField(max_length=3, blank=True, default="")
    # SessionRecord.result ("" for an open shift, or a close with no expected figures).
    result = models.CharField(max_length=10, blank=True, default="")
    closed = models.BooleanField(default=False)
    shifts = models.PositiveIntegerField(default=0)
    opening_thousandths = models.BigIntegerField(default=0)
    counted_thousandths = models.BigIntegerField(default=0)
    cash_over_thousandths = models.BigIntegerField(default=0)
    cash_short_thousandths = models.BigIntegerField(default=0)  # zero or below
    rounding_thousandths = models.BigIntegerField(default=0)

    FIGURES = (
        "shifts",
        "opening_thousandths",
        "counted_thousandths",
        "cash_over_thousandths",
        "cash_short_thousandths",
        "rounding_thousandths",
    )

    class Meta:
        abstract = True


class DailyTotals(OutletTotals):
    """One outlet's business day (its row with no result and not closed is always there: the
    day's lock)."""

    business_date = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["outlet_id", "business_date", "currency", "result", "closed"],
                name="daily_totals_day",
            )
        ]
        indexes = [
            models.Index(fields=["business_date"], name="daily_totals_date"),
            models.Index(fields=["result", "business_date"], name="daily_totals_result"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet_id} {self.business_date} {self.result}: {self.shifts} shifts"


class MonthlyTotals(OutletTotals):
    """One outlet's calendar month of business days (the sum of its DailyTotals): a long
    range reads a row per month, and only the days of a month it cuts through."""

    month = models.DateField(help_text="The month's first day")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["outlet_id", "month", "currency", "result", "closed"],
                name="monthly_totals_month",
            )
        ]
        indexes = [
            models.Index(fields=["month"], name="monthly_totals_month_idx"),
            models.Index(fields=["result", "month"], name="monthly_totals_result"),
        ]

    def __str__(self) -> str:
        return f"{self.outlet_id} {self.month:%Y-%m} {self.result}: {self.shifts} shifts"


class StationClaim(models.Model):
    """Held for the few seconds it takes to open a shift, so two people opening the same
    till at once get one shift: the primary key lets only one claim exist per station."""

    station_id = models.CharField(max_length=24, primary_key=True)
    claimed_at = models.DateTimeField()
    claimed_by = models.CharField(max_length=200)
    process = models.CharField(
        max_length=100, blank=True, help_text="the claiming process (ProcessBeat), to tell it died"
    )

    def __str__(self) -> str:
        return f"{self.station_id} claimed by {self.claimed_by}"


class JobLease(models.Model):
    """A background job one process runs at a time (the refresh from Final POS): the holder
    renews it on every pass; another process waits, and takes over once it goes stale."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=200)
    token = models.CharField(max_length=32)
    renewed_at = models.DateTimeField()
    process = models.CharField(
        max_length=100, blank=True, help_text="the holding process (ProcessBeat), to tell it died"
    )

    def __str__(self) -> str:
        return f"{self.name} held by {self.holder}"


class SessionNumberSequence(models.Model):
    """The last number used per year in the dashboard's own space, never reused."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class AuditEntry(models.Model):
    """One write the dashboard attempted in Final POS: who, when, what, before and after, and
    whether Final POS accepted it. Never edited; kept after the shift itself is deleted."""

    SYSTEM_ACTOR = "system"  # the actor_name of a write no person made

    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(max_length=200)
    action = models.CharField(max_length=40, db_index=True)
    object_type = models.CharField(max_length=20)
    object_id = models.CharField(max_length=24, blank=True)
    outlet_id = models.CharField(max_length=24, blank=True)
    summary = models.CharField(max_length=300)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    ACCEPTED, REFUSED, UNKNOWN, LANDED, NOT_LANDED, KEPT, LOCAL = (
        "accepted",
        "refused",
        "unknown",
        "landed",
        "not_landed",
        "kept",
        "local",
    )
    OUTCOME_CHOICES = [
        (ACCEPTED, _("Saved in Final POS")),
        (REFUSED, _("Not saved")),
        (UNKNOWN, _("Not confirmed yet: the answer was lost")),
        (LANDED, _("Saved: the answer was lost, then found saved")),
        (NOT_LANDED, _("Not saved: the answer was lost, then found not saved")),
        (KEPT, _("Kept here, to be written to Final POS later")),
        (LOCAL, _("Saved in the dashboard")),
    ]

    accepted = models.BooleanField(help_text="Final POS has the write (said so, or was found so)")
    outcome = models.CharField(max_length=12, choices=OUTCOME_CHOICES, default=ACCEPTED)
    error = models.TextField(blank=True)
    # An outcome not known at once (the answer was lost) becomes known later, once: when the
    # shift was read again (a check, the refresh) and the write found, or found missing.
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["outlet_id", "-at"], name="audit_outlet_time"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_id}"


class CountReveal(models.Model):
    """The first count a cashier submitted on a blind close, kept from the moment the expected
    figures were shown, so a count changed afterwards is on the record."""

    session_id = models.CharField(max_length=24, primary_key=True)
    revealed_at = models.DateTimeField()
    revealed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_counted = models.JSONField(help_text="method -> amount, as first submitted")
    expected_shown = models.JSONField(
        null=True, blank=True, help_text="method -> amount expected, as first shown beside it"
    )

    def __str__(self) -> str:
        return f"{self.session_id} revealed at {self.revealed_at:%Y-%m-%d %H:%M}"


class ShiftWriteLock(models.Model):
    """Held while one person writes to one shift (read, check, write, index), so a second
    writer, in any process on any machine, waits and then sees the first one's result."""

    session_id = models.CharField(max_length=24, primary_key=True)
    holder = models.CharField(max_length=200)
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    token = models.CharField(max_length=32)
    acquired_at = models.DateTimeField()
    process = models.CharField(
        max_length=100, blank=True, help_text="the holding process (ProcessBeat), to tell it died"
    )

    def __str__(self) -> str:
        return f"{self.session_id} held by {self.holder}"


class PendingOpen(models.Model):
    """An open whose answer was lost: the shift may exist in Final POS. The till is held until
    the shift is found (discovery, or added by id) or someone confirms it was not created."""

    station_id = models.CharField(max_length=24, primary_key=True)
    session_number = models.CharField(max_length=40)
    opened_by = models.CharField(max_length=200)
    opened_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opening_amount = money_field()
    attempted_at = models.DateTimeField()
    error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.session_number} on {self.station_id} (outcome unknown)"


class LedgerEntry(models.Model):
    """Something the dashboard wrote to a shift in Final POS, or is waiting to write: its own
    record, so the shift's figures never depend on a till leaving our part of the record alone.

    A till holds the shifts it opened and rewrites them whole (its close replaces the report,
    a queued edit may carry a copy from before ours). Every read of a shift is checked against
    these rows: a part of ours gone from the report is written back at the next safe moment;
    a field of ours written over is a conflict for a manager (ShiftConflict)."""

    OPEN, TAKEOVER, MOVEMENT, CLOSE, APPROVAL, CORRECTION, REOPEN = (
        "open",
        "takeover",
        "movement",
        "close",
        "approval",
        "correction",
        "reopen",
    )
    KIND_CHOICES = [
        (OPEN, "Opened here"),
        (TAKEOVER, "Taken over from the till"),
        (MOVEMENT, "Cash movement"),
        (CLOSE, "Close"),
        (APPROVAL, "Approval"),
        (CORRECTION, "Correction"),
        (REOPEN, "Reopening"),
    ]
    PENDING, WRITTEN, SUPERSEDED, OVERRULED, CONFLICT, UNKNOWN, NOT_LANDED = (
        "pending",
        "written",
        "superseded",
        "overruled",
        "conflict",
        "unknown",
        "not_landed",
    )
    STATE_CHOICES = [
        (PENDING, "Recorded here, not in Final POS yet"),
        (WRITTEN, "In Final POS"),
        (SUPERSEDED, "Replaced by a later write of ours"),
        (OVERRULED, "A manager kept what Final POS has"),
        (CONFLICT, "Written over in Final POS: waiting for a manager"),
        (UNKNOWN, "Sent, the answer lost: not confirmed yet"),
        (NOT_LANDED, "Sent, the answer lost, then found not saved"),
    ]

    session_id = models.CharField(max_length=24, db_index=True)
    kind = models.CharField(max_length=12, choices=KIND_CHOICES)
    key = models.CharField(max_length=64, help_text="The movement id, the close request id ...")
    recorded_at = models.DateTimeField()
    recorded_by = models.CharField(max_length=200)
    recorded_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    fields = models.JSONField(
        default=dict, blank=True, help_text="The record's fields it set, as written (wire names)"
    )
    part = models.JSONField(
        null=True, blank=True, help_text="What it added to the report (a movement, a review ...)"
    )
    report = models.JSONField(
        null=True, blank=True, help_text="The whole report of ours this write sent"
    )
    state = models.CharField(max_length=12, choices=STATE_CHOICES)
    written_at = models.DateTimeField(null=True, blank=True)
    written_version = models.DateTimeField(
        null=True, blank=True, help_text="Final POS's updatedAt in its answer: the version made"
    )
    lost_at = models.DateTimeField(null=True, blank=True, help_text="Last seen gone in a read")
    restores = models.PositiveSmallIntegerField(
        default=0, help_text="Times written back after a till dropped it"
    )
    audit = models.ForeignKey(
        "AuditEntry",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The audit row of a write whose answer was lost, settled with it",
    )

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session_id", "kind", "key"], name="ledger_one_entry")
        ]
        indexes = [
            models.Index(
                fields=["session_id"],
                condition=models.Q(state="pending"),
                name="ledger_pending",
            ),
            # The refresh reads again every shift written to in the last hour.
            models.Index(fields=["written_at"], name="ledger_written_at"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} on {self.session_id} ({self.state})"


class ShiftConflict(models.Model):
    """A read showed something the dashboard wrote written over in Final POS (a close erased, a
    correction reverted, a re-close over ours). Both versions are kept until a manager keeps
    what Final POS has now or applies ours again; either choice is audited."""

    CLOSE_ERASED, RECLOSED, REVERTED, REOPEN_UNDONE, DROPPED = (
        "close_erased",
        "reclosed",
        "reverted",
        "reopen_undone",
        "dropped",
    )
    WHAT_CHOICES = [
        (CLOSE_ERASED, "Our close is gone: the shift is open again"),
        (RECLOSED, "Closed again over our close"),
        (REVERTED, "Our correction was written over"),
        (REOPEN_UNDONE, "Our reopening was undone"),
        (DROPPED, "Our change keeps being dropped"),
    ]
    KEPT_THEIRS, APPLIED_OURS = "kept_theirs", "applied_ours"

    session_id = models.CharField(max_length=24, db_index=True)
    outlet_id = models.CharField(max_length=24, blank=True)
    entry = models.ForeignKey(LedgerEntry, on_delete=models.CASCADE, related_name="conflicts")
    what = models.CharField(max_length=16, choices=WHAT_CHOICES)
    detected_at = models.DateTimeField()
    ours = models.JSONField(help_text="The fields as the dashboard wrote them")
    theirs = models.JSONField(help_text="The same fields as Final POS has them now")
    theirs_record = models.JSONField(help_text="The whole record as read, kept whole")
    theirs_updated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.CharField(max_length=200, blank=True)
    resolution = models.CharField(max_length=16, blank=True)

    class Meta:
        ordering = ["-detected_at"]
        indexes = [
            models.Index(
                fields=["outlet_id"],
                condition=models.Q(resolved_at__isnull=True),
                name="conflict_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.what} on {self.session_id}"


class ProcessBeat(models.Model):
    """A process of the dashboard (a web worker, the task worker) that holds a lock, a lease or
    a task, and its last heartbeat: a holder on another machine whose beat has stopped has died,
    and what it held is taken over (on the same machine its pid says so at once)."""

    process = models.CharField(max_length=100, primary_key=True, help_text="host:pid:start")
    started_at = models.DateTimeField()
    beat_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.process} (last beat {self.beat_at:%H:%M:%S})"


class AlertDelivery(models.Model):
    """One review alert e-mailed to one manager by one task: a task re-run after its worker
    died mails only the managers it had not reached."""

    task_id = models.CharField(max_length=64)
    recipient = models.CharField(max_length=254)
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task_id", "recipient"], name="one_delivery_per_task")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} to {self.recipient}"


class SignInFailure(models.Model):
    """Failed sign-ins for one username from one address, within a lockout window: the sign-in
    throttle's count (sessions_app/signin.py). In the database, so a lockout holds whatever
    happens to the cache, and a manager's unlock or a new password can lift it."""

    username = models.CharField(max_length=150, help_text="as typed, NFKC and case-folded")
    address = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    window_ends_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["username", "address"], name="one_count_per_address")
        ]
        indexes = [models.Index(fields=["address", "window_ends_at"], name="sign_in_address")]

    def __str__(self) -> str:
        return f"{self.username} from {self.address}: {self.failures}"
