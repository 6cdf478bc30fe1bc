"""Local tables: who may see which outlets, and (from later migrations) the display index.

Final POS is the source of truth for outlets, stations and sessions; these tables keep only
what the pages need to render without calling it.
"""

from django.conf import settings
from django.db import models


class StaffProfile(models.Model):
    """Per-user preferences that do not belong on Django's User."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile"
    )
    variance_alerts = models.BooleanField(
        default=True, help_text="E-mail me when a shift in my outlets closes needing review."
    )

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


class SyncState(models.Model):
    """The outcome of the last refresh of a kind of data from Final POS, shown on pages."""

    name = models.CharField(max_length=40, primary_key=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name
