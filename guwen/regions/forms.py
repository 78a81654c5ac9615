from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guwen.core import formtools
from guwen.core.formtools import DateInput
from guwen.regions.models import AssignmentRole, LawFirm, Region

REQUIRED = {"required": _("此项为必填项")}


class LawFirmForm(formtools.Form):
    name = forms.CharField(label=_("律师事务所名称"), max_length=100, error_messages=REQUIRED)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, error_messages=REQUIRED)
    district = forms.ModelChoiceField(label=_("登记所在区"), queryset=Region.objects.none(), required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)

    def __init__(self, *args, districts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts if districts is not None else Region.objects.none()


class LawyerForm(formtools.Form):
    name = forms.CharField(label=_("姓名"), max_length=40, error_messages=REQUIRED)
    licence_number = forms.CharField(label=_("执业证号"), max_length=30, error_messages=REQUIRED)
    firm = forms.ModelChoiceField(
        label=_("所属律所"),
        queryset=LawFirm.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("请选择您有权管理的律师事务所")},
    )
    phone = forms.CharField(label=_("手机号"), max_length=20, error_messages=REQUIRED)
    id_number = forms.CharField(
        label=_("身份证号"), max_length=30, required=False, help_text=_("加密保存，仅用于补贴发放")
    )
    specialties = forms.CharField(label=_("擅长领域"), max_length=200, required=False)

    def __init__(self, *args, firms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = firms if firms is not None else LawFirm.objects.none()


class LawyerEditForm(formtools.Form):
    """What changes in a lawyer's record: contact number, specialties, 身份证号 and whether in post."""

    phone = forms.CharField(label=_("手机号"), max_length=20, error_messages=REQUIRED)
    specialties = forms.CharField(
        label=_("擅长领域"), max_length=200, required=False, help_text=_("以顿号或逗号分隔")
    )
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=30,
        required=False,
        help_text=_("不修改请留空；加密保存，仅用于补贴发放"),
    )
    is_active = forms.BooleanField(
        label=_("在职"), required=False, help_text=_("取消后不再分派新咨询，由备岗顾问或街道接手")
    )


class AssignmentForm(formtools.Form):
    licence_number = forms.CharField(
        label=_("律师执业证号"), max_length=30, error_messages=REQUIRED, help_text=_("17 位数字")
    )
    role = forms.ChoiceField(
        label=_("派驻角色"), choices=AssignmentRole.choices, initial=AssignmentRole.PRIMARY
    )
    starts_on = forms.DateField(
        label=_("开始日期"),
        widget=DateInput(),
        error_messages={**REQUIRED, "invalid": _("请输入正确的日期")},
    )
    ends_on = forms.DateField(
        label=_("结束日期"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("请输入正确的日期")},
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class AssignmentEndForm(formtools.Form):
    ends_on = forms.DateField(
        label=_("结束日期"),
        widget=DateInput(),
        error_messages={**REQUIRED, "invalid": _("请输入正确的日期")},
    )
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)
