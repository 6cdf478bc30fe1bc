"""A staff member's own preferences."""

from sessions_app.models import StaffProfile
from sessions_app.roles import User


def staff_profile_for(*, user: User) -> StaffProfile:
    """The user's preferences, created with the defaults the first time they are looked at."""
    profile, _created = StaffProfile.objects.get_or_create(user=user)
    return profile


def alert_preference_set(*, user: User, enabled: bool, weekly_digest: bool = True) -> None:
    """Turns the user's review alerts and weekly digest by e-mail on or off."""
    StaffProfile.objects.update_or_create(
        user=user, defaults={"variance_alerts": enabled, "weekly_digest": weekly_digest}
    )


def language_preference_set(*, user: User, language: str) -> None:
    """The user's own language ("" for their browser's)."""
    StaffProfile.objects.update_or_create(user=user, defaults={"language": language})
