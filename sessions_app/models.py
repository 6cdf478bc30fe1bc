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
