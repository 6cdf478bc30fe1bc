"""Every refusal a service can answer with: ``message`` says why, in words the person can act on.

One neutral base, ``ApplicationError``, with a family per area (shifts, setup, staff).
Failures of Final POS itself are FinalPOSError (sessions_app.finalpos.errors); views catch
both families and show the message with the form still filled in.
"""


class ApplicationError(Exception):
    """An operation refused for a reason the person can act on."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class ShiftError(ApplicationError):
    """A write to a shift refused."""


class SetupError(ApplicationError):
    """A change to outlets or tills refused."""


class StaffError(ApplicationError):
    """A change to a staff account refused."""


class TillBusy(ShiftError):
    """The till already has an open shift, or someone is opening one right now."""


class TillReportsInUse(ShiftError):
    """The till tells Final POS it is in use, yet no open shift of it is known: it may have a
    shift with no sales yet, which nothing can find. Opening needs the person to confirm."""


class MoreThanTheDrawerHolds(ShiftError):
    """A pay-out or a safe drop of more cash than the drawer should hold."""


class TillInUse(SetupError):
    """A till with an open shift cannot be deleted."""


class HeldByTill(ShiftError):
    """A till holds the shift open: the dashboard does not write over it (a manager can take
    it over when the till is out of use)."""


class ShiftChanged(ShiftError):
    """Final POS has a newer version of the shift than the one the person was looking at."""


class ShiftAlreadyClosed(ShiftError):
    """Someone else closed the shift first."""


class VarianceReasonRequired(ShiftError):
    """The difference is above the reason threshold and no reason was given."""


class ShiftNotReviewable(ShiftError):
    """The shift does not need a manager's approval, or has it already."""


class ShiftNotCorrectable(ShiftError):
    """A fix that does not apply: no reason, the shift still open, or nothing changed."""


class ShiftNotAllowed(ShiftError):
    """A shift outside the person's outlets, or on a till the dashboard does not know."""


class CountIsFinal(ShiftError):
    """A blind count already checked against expected, when recounting after that is off."""


class ShiftNotOpen(ShiftError):
    """Cash can only be moved in or out of a shift that is still open."""


class MovementNotFound(ShiftError):
    """No cash movement with that id on the shift."""


class ShiftBusy(ShiftError):
    """Someone else is saving a change to this shift, for longer than a second writer waits."""


class OpenOutcomeUnknown(ShiftError):
    """An open whose answer was lost: the shift may exist in Final POS. The till is held until
    that is settled (services/settle/opens.py, and settle/landed.py once the shift is read)."""


class NameTaken(SetupError):
    """An outlet, or a till in the same outlet, already has that name."""


class StaffNotAllowed(StaffError):
    """A change to a staff account beyond the person's reach: someone at outlets they do not
    manage, a superuser, their own role or outlets, or deactivating themselves."""


class StaffChangeRefused(StaffError):
    """A change to a staff account that cannot be made as asked: a username in use, no outlet,
    a password the validators refuse, or no way to e-mail a link."""


class CurrencyHasHistory(SetupError):
    """An outlet's currency cannot change once it has shifts in another: their amounts would
    be read in the new currency."""
