"""The refusals' family tree: one neutral base, one family per area."""

import inspect

from sessions_app.services import errors
from sessions_app.services.errors import ApplicationError, SetupError, ShiftError, StaffError

AREAS = (ShiftError, SetupError, StaffError)


def test_every_refusal_belongs_to_exactly_one_area_under_the_neutral_base():
    refusals = [
        kind
        for _name, kind in inspect.getmembers(errors, inspect.isclass)
        if issubclass(kind, ApplicationError) and kind not in (ApplicationError, *AREAS)
    ]
    assert refusals
    for kind in refusals:
        assert sum(issubclass(kind, area) for area in AREAS) == 1, kind


def test_setup_and_staff_refusals_are_not_shift_errors():
    assert not issubclass(SetupError, ShiftError) and not issubclass(StaffError, ShiftError)
    assert not issubclass(ShiftError, (SetupError, StaffError))
