from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from guwen.accounts.models import Role
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


class CommunityFinderForm(formtools.Form):
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


class OwnPasswordChangeForm(formtools.PlainTextMixin, PasswordChangeForm):
    """Django's password change (old password, new password twice, the password validators), with
    the labels and messages in Chinese whatever locale Django's own catalogue is in."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": _("当前密码不正确，请重新输入。"),
        "password_mismatch": _("两次输入的新密码不一致。"),
    }

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["old_password"].label = _("当前密码")
        self.fields["new_password1"].label = _("新密码")
        self.fields["new_password2"].label = _("再次输入新密码")
        self.fields["new_password1"].help_text = _(
            "至少 10 个字符，不能全是数字，不能是常见密码，也不能与用户名、姓名过于相似。"
        )
        for name in ("old_password", "new_password1", "new_password2"):
            self.fields[name].error_messages["required"] = _("请填写%(label)s") % {
                "label": self.fields[name].label
            }

    def clean(self):
        cleaned = super().clean()
        password = cleaned.get("new_password1")
        if password and not self.has_error("new_password2") and password == cleaned.get("old_password"):
            self.add_error("new_password1", _("新密码不能与当前密码相同。"))
        return cleaned


class AccountForm(formtools.Form):
    """Name and mobile of an account someone looks after."""

    display_name = forms.CharField(
        label=_("姓名"), max_length=40, error_messages={"required": _("请填写姓名")}
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )


class AccountCreateForm(AccountForm):
    role = forms.ChoiceField(label=_("角色"), error_messages={"required": _("请选择角色")})
    region = forms.ModelChoiceField(
        label=_("所属社区或街道"),
        queryset=None,
        required=False,
        help_text=_("社区工作人员选社区，司法所选街道"),
        error_messages={"invalid_choice": _("请选择您负责的区域")},
    )
    lawyer = forms.ModelChoiceField(
        label=_("律师"),
        queryset=None,
        required=False,
        help_text=_("顾问律师的账号是律师档案的登录账号；只列出还没有账号的律师"),
        error_messages={"invalid_choice": _("请选择您负责的律师")},
    )
    username = forms.CharField(
        label=_("用户名"),
        max_length=40,
        help_text=_("登录用，英文字母、数字和 . _ -，3 到 40 个字符"),
        error_messages={"required": _("请填写用户名")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    field_order = ["role", "region", "lawyer", "display_name", "phone", "username"]

    def __init__(self, *args, roles, regions, lawyers, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [("", "---------")] + [(r, labels[r]) for r in roles]
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda r: f"{r.name}（{r.get_level_display()}）"
        if Role.OFFICE not in roles:
            self.fields["region"].label = _("所属社区")
            self.fields["region"].help_text = _("社区工作人员所在的社区")
        self.fields["lawyer"].queryset = lawyers
        self.fields["lawyer"].label_from_instance = lambda lawyer: f"{lawyer.name}（{lawyer.firm.name}）"
        if not roles or Role.ADVISOR not in roles:
            del self.fields["lawyer"]
        if not [r for r in roles if r != Role.ADVISOR]:
            del self.fields["region"]


class MembershipAddForm(formtools.Form):
    role = forms.ChoiceField(label=_("角色"), error_messages={"required": _("请选择角色")})
    region = forms.ModelChoiceField(
        label=_("区域"),
        queryset=None,
        error_messages={"required": _("请选择区域"), "invalid_choice": _("请选择您负责的区域")},
    )

    def __init__(self, *args, roles, regions, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Role.choices)
        self.fields["role"].choices = [(r, labels[r]) for r in roles]
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda r: f"{r.name}（{r.get_level_display()}）"
