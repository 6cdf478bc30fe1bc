"""Staff accounts: a member's details, role and outlets, and how they get a password."""

from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sessions_app.forms.fields import set_choices
from sessions_app.forms.setup import one_line
from sessions_app.roles import CASHIER_GROUP, MANAGER_GROUP, StaffReach, User

ROLE_CHOICES = [(CASHIER_GROUP, _("Cashier")), (MANAGER_GROUP, _("Manager"))]
TYPE_PASSWORD, EMAIL_LINK = "type", "email"


class StaffForm(forms.Form):
    """A member's name, e-mail, role and outlets; the fields the person may not change about
    this member are left out."""

    no_optional_mark: frozenset[str] = frozenset()

    first_name = forms.CharField(
        label=_("First name"), max_length=150, required=False, validators=[one_line]
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=150, required=False, validators=[one_line]
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        help_text=_("For password links and, for managers, review alerts."),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=ROLE_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("Managers also see history, insights, the audit trail, staff and setup."),
    )
    outlets = forms.MultipleChoiceField(
        label=_("Outlets they work at"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one outlet.")},
    )

    def __init__(
        self,
        *args: Any,
        outlets: list[tuple[str, str]],
        reach: StaffReach | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self.fields["outlets"], outlets)
        if reach is not None:
            if not reach.details:
                for name in ("first_name", "last_name", "email"):
                    del self.fields[name]
            if not reach.role:
                del self.fields["role"]
            if not reach.outlets:
                del self.fields["outlets"]
            elif not reach.details:
                # They also work at outlets beyond the person's: taking them off all of the
                # person's outlets still leaves them somewhere.
                self.fields["outlets"].required = False


def password_fields(form: forms.Form, *, offer_email_link: bool) -> None:
    """Adds the choice of a typed password (twice) or, when e-mail is set up, a link to choose
    one; the password is required only when typed."""
    if offer_email_link:
        form.fields["password_method"] = forms.ChoiceField(
            label=_("How they get a password"),
            choices=[
                (EMAIL_LINK, _("E-mail them a link to choose their own")),
                (TYPE_PASSWORD, _("Type a password now and tell them")),
            ],
            initial=EMAIL_LINK,
            widget=forms.RadioSelect,
        )
    help_text = " ".join(password_validation.password_validators_help_texts())
    if offer_email_link:
        help_text = " ".join([help_text, str(_("Leave empty when e-mailing a link."))])
    form.fields["password1"] = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=help_text,
    )
    form.fields["password2"] = forms.CharField(
        label=_("The same password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


def clean_password(form: forms.Form, user: User) -> None:
    """Checks the typed password against the validators, for this user; fills in
    cleaned_data["password"] (None when a link is to be e-mailed)."""
    cleaned = form.cleaned_data
    cleaned["password"] = None
    if cleaned.get("password_method") == EMAIL_LINK:
        return
    first, second = cleaned.get("password1"), cleaned.get("password2")
    if not first:
        form.add_error("password1", _("Type a password."))
    elif first != second:
        form.add_error("password2", _("The two passwords are not the same."))
    else:
        try:
            password_validation.validate_password(first, user)
        except ValidationError as error:
            form.add_error("password1", error)
        else:
            cleaned["password"] = first


class NewStaffForm(StaffForm):
    """A new cashier or manager: a username, their details, and their first password."""

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text=_("What they sign in with: letters, digits and @ . + - _"),
        widget=forms.TextInput(attrs={"autocapitalize": "none", "autocomplete": "off"}),
    )
    field_order = ["username", "first_name", "last_name", "email", "role", "outlets"]
    no_optional_mark = frozenset({"password1", "password2"})  # required when typing one

    def __init__(self, *args: Any, offer_email_link: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        password_fields(self, offer_email_link=offer_email_link)
        self.order_fields(self.field_order)

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(
                _("There is already an account named %(username)s."),
                code="taken",
                params={"username": username},
            )
        return username

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        wants_link = cleaned.get("password_method") == EMAIL_LINK
        if wants_link and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Add their e-mail address to send them a link."))
        someone = get_user_model()(
            username=cleaned.get("username", ""),
            first_name=cleaned.get("first_name", ""),
            last_name=cleaned.get("last_name", ""),
            email=cleaned.get("email", ""),
        )
        clean_password(self, someone)
        return cleaned


class PasswordForm(forms.Form):
    """A new password for a member, typed twice, or an e-mailed link to choose one."""

    no_optional_mark = frozenset({"password1", "password2"})

    def __init__(self, *args: Any, member: User, offer_email_link: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.member = member
        password_fields(self, offer_email_link=offer_email_link)

    def clean(self) -> dict[str, Any]:
        super().clean()
        clean_password(self, self.member)
        return self.cleaned_data
