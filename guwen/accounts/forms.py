from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续多次输错后账号将被暂时锁定。"),
        "inactive": _("该账号已停用。"),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("用户名")
        self.fields["password"].label = _("密码")
        self.fields["username"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})


class TokenForm(forms.Form):
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


class CommunityFinderForm(forms.Form):
    """The visitor's search on ``/``: a part of the community's name, and optionally its street."""

    q = forms.CharField(
        label=_("社区名称"),
        max_length=30,
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("如：南龙"),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
        error_messages={"max_length": _("社区名称最多 30 个字，请只输入名称中的几个字")},
    )
    street = forms.ChoiceField(
        label=_("街道"),
        required=False,
        error_messages={"invalid_choice": _("请从列表中选择街道")},
    )

    def __init__(self, *args, streets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street"].choices = [("", _("全部街道"))] + [
            (s.code, f"{s.parent.name} · {s.name}" if s.parent_id else s.name) for s in streets
        ]

    def clean_q(self) -> str:
        value = self.cleaned_data["q"]
        if any(ord(ch) < 32 for ch in value):
            raise forms.ValidationError(_("社区名称含有无法识别的字符"), code="control")
        return value
