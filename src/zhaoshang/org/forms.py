from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from zhaoshang.core.forms import StyledForm
from zhaoshang.core.roles import ROLE_CHOICES
from zhaoshang.org.models import Unit, UnitKind, User
from zhaoshang.org.services import UNIT_PROFILE_FIELDS

PHONE_HELP = _("Digits, spaces and - only, e.g. 0571-88888888 or 13800000000")


class UnitFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    kind = forms.ModelChoiceField(
        label=_("Kind"), queryset=UnitKind.objects.all(), required=False, empty_label=_("All kinds")
    )


class UnitProfileForm(StyledForm, forms.ModelForm):
    class Meta:
        model = Unit
        fields = UNIT_PROFILE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"phone": PHONE_HELP}

    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=200)


class UnitCreateForm(StyledForm, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=UnitKind.objects.all())
    parent = forms.ModelChoiceField(label=_("Parent"), queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents


class UserFilterForm(StyledForm, forms.Form):
    q = forms.CharField(label=_("Name or user name"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False, choices=[("", _("All roles")), *ROLE_CHOICES])


class UserCreateForm(StyledForm, forms.ModelForm):
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=True),
        help_text=_("At least 10 characters, not all digits, not a common password."),
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)

    class Meta:
        model = User
        fields = ["username", "display_name", "title", "phone", "email"]

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class MembershipForm(StyledForm, forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class AccountPasswordForm(StyledForm, PasswordChangeForm):
    pass
