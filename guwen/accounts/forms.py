from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from guwen.core import formtools


class LoginForm(formtools.PlainTextMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续多次输错后账号将被暂时锁定。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})


class TokenForm(formtools.Form):
    token = forms.CharField(
        label=_("动态口令"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
        error_messages={
            "required": _("请输入 6 位动态口令"),
            "min_length": _("动态口令是 6 位数字"),
            "max_length": _("动态口令是 6 位数字"),
        },
    )

    def clean_token(self) -> str:
        # Letters are refused here, before they reach a device and count as a throttled failure.
        token = self.cleaned_data["token"]
        if not token.isdigit():
            raise forms.ValidationError(_("动态口令是 6 位数字"), code="digits")
        return token
