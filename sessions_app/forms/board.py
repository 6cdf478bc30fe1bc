"""The board's choice of outlet (read from the query string): one outlet's card alone."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sessions_app.forms.fields import QuickSelect, set_choices


class BoardOutletForm(forms.Form):
    outlet = forms.ChoiceField(label=_("Outlet"), required=False, widget=QuickSelect)

    def __init__(self, *args: Any, outlets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["outlet"], [("", _("All outlets")), *outlets])
        self.fields["outlet"].widget.attrs["id"] = "board-outlet"
