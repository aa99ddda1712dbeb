from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed

from zhaoshang.core.forms import StyledForm
from zhaoshang.core.roles import ROLE_CHOICES
from zhaoshang.core.versioning import VersionedForm
from zhaoshang.org.models import Unit, UnitKind, User
from zhaoshang.org.services import UNIT_PROFILE_FIELDS

PHONE_HELP = "只能填写数字、空格和“-”，如 0571-88888888 或 13800000000"


class UnitProfileForm(VersionedForm, StyledForm, forms.ModelForm):
    class Meta:
        model = Unit
        fields = UNIT_PROFILE_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"phone": PHONE_HELP}

    reason = forms.CharField(label="修改原因", required=False, max_length=200)


class UnitCreateForm(StyledForm, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ModelChoiceField(label="类型", queryset=UnitKind.objects.all())
    parent = forms.ModelChoiceField(label="上级单位", queryset=Unit.objects.none(), required=False)

    def __init__(self, *args: Any, parents: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if parents is not None:
            self.fields["parent"].queryset = parents


class UserCreateForm(StyledForm, forms.ModelForm):
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=True),
        help_text="至少 10 位，不能全是数字，不能是常见密码。",
    )
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)

    class Meta:
        model = User
        fields = ["username", "display_name", "title", "phone", "email"]

    def __init__(self, *args: Any, units: Any = None, with_role: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_role:
            # 三权分立: a system administrator creates the account, a security administrator grants its role.
            del self.fields["unit"], self.fields["role"]
        elif units is not None:
            self.fields["unit"].queryset = units


class MembershipForm(StyledForm, forms.Form):
    unit = forms.ModelChoiceField(label="单位", queryset=Unit.objects.none())
    role = forms.ChoiceField(label="角色", choices=ROLE_CHOICES)

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units


class ReasonForm(StyledForm, forms.Form):
    reason = forms.CharField(label="原因", max_length=200)


class AccountPasswordForm(StyledForm, PasswordChangeForm):
    """A wrong old password counts as a failed log-in, so guessing it here is throttled too."""

    LOCKED = "尝试次数过多，已暂时锁定：请 15 分钟后再试，或联系系统管理员。"

    def __init__(self, user: Any, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old = self.cleaned_data["old_password"]
        if self.request is None:
            return str(super().clean_old_password())
        credentials = {"username": self.user.get_username()}
        if not AxesProxyHandler.is_allowed(self.request, credentials):
            raise forms.ValidationError(self.LOCKED, code="locked")
        if not self.user.check_password(old):
            user_login_failed.send(sender=__name__, credentials=credentials, request=self.request)
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return str(old)


class TokenForm(StyledForm, forms.Form):
    token = forms.CharField(
        label="验证码",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text="验证器应用显示的 6 位数字；手机不在身边时，可输入一个恢复码。",
    )
