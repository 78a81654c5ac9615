from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from guwen.core import formtools
from guwen.core.formtools import DateInput, DateTimeInput
from guwen.duty.models import WEEKDAY_LABELS, ChangeKind, DutyShift
from guwen.regions.models import Lawyer

REQUIRED = {"required": _("此项为必填项")}
DATE = {**REQUIRED, "invalid": _("请输入正确的日期")}
TIME = {**REQUIRED, "invalid": _("请输入正确的时间（时:分）")}
DATETIME = {**REQUIRED, "invalid": _("请输入正确的日期和时间")}


def date_field(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(),
        error_messages=DATE,
    )


def time_field(label):
    return forms.TimeField(label=label, widget=forms.TimeInput(attrs={"type": "time"}), error_messages=TIME)


def datetime_field(label):
    return forms.DateTimeField(
        label=label,
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages=DATETIME,
    )


class LawyerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Lawyer) -> str:
        return f"{obj.name}（{obj.firm.name}）"


class RuleForm(formtools.Form):
    lawyer = LawyerChoice(
        label=_("值班律师"),
        queryset=Lawyer.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("请选择派驻本社区的律师")},
    )
    weekdays = forms.MultipleChoiceField(
        label=_("星期"),
        choices=[(str(i), label) for i, label in enumerate(WEEKDAY_LABELS)],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个星期"), "invalid_choice": _("星期只能是周一至周日")},
    )
    start_time = time_field(_("开始时间"))
    end_time = time_field(_("结束时间"))
    place = forms.CharField(label=_("驻点地点"), max_length=120, error_messages=REQUIRED)
    service_content = forms.CharField(
        label=_("服务内容"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REQUIRED,
    )
    capacity = forms.IntegerField(
        label=_("每班预约名额"),
        required=False,
        min_value=1,
        max_value=100,
        error_messages={
            "invalid": _("请输入整数"),
            "min_value": _("至少为 1"),
            "max_value": _("不能超过 100"),
        },
    )
    valid_from = date_field(_("生效日期"))
    valid_to = date_field(_("截止日期"), required=False)

    def __init__(self, *args, lawyers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].queryset = lawyers if lawyers is not None else Lawyer.objects.none()


class RuleEndForm(formtools.Form):
    valid_to = date_field(_("截止日期"))
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)


class GenerateForm(formtools.Form):
    start = date_field(_("开始日期"))
    end = date_field(_("结束日期"))


class CheckForm(formtools.Form):
    photo = forms.FileField(
        label=_("现场照片（可选）"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp", "capture": "environment"}
        ),
        error_messages={"invalid": _("请上传图片文件"), "empty": _("上传的文件是空的")},
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class NoteForm(formtools.Form):
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class CancelShiftForm(formtools.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, error_messages=REQUIRED)


class ShiftChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: DutyShift) -> str:
        from django.utils import timezone

        return f"{timezone.localtime(obj.starts_at):%m月%d日 %H:%M} {obj.community.name} {obj.lawyer.name}"


class ChangeRequestForm(formtools.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=ChangeKind.choices, error_messages=REQUIRED)
    substitute = LawyerChoice(
        label=_("替班律师（替班时选择）"),
        queryset=Lawyer.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择本社区的备岗顾问")},
    )
    other_shift = ShiftChoice(
        label=_("对调的班次（换班时选择）"),
        queryset=DutyShift.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择本街道其他律师的班次")},
    )
    reason = forms.CharField(label=_("原因"), max_length=200, error_messages=REQUIRED)

    def __init__(self, *args, substitutes=None, other_shifts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if substitutes is not None:
            self.fields["substitute"].queryset = substitutes
        if other_shifts is not None:
            self.fields["other_shift"].queryset = other_shifts


class DecideForm(formtools.Form):
    decision = forms.ChoiceField(
        label=_("审批"),
        choices=[("approve", _("同意")), ("reject", _("驳回")), ("withdraw", _("撤回"))],
        error_messages={**REQUIRED, "invalid_choice": _("请选择同意或驳回")},
    )
    note = forms.CharField(label=_("意见"), max_length=200, required=False)


class RotaSlotForm(formtools.Form):
    lawyer = LawyerChoice(
        label=_("值班律师"),
        queryset=Lawyer.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("请选择派驻本街道社区的律师")},
    )
    starts_at = datetime_field(_("开始"))
    ends_at = datetime_field(_("结束"))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, lawyers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].queryset = lawyers if lawyers is not None else Lawyer.objects.none()


class BookingForm(formtools.Form):
    shift = ShiftChoice(
        label=_("驻点时间"),
        queryset=DutyShift.objects.none(),
        widget=forms.RadioSelect,
        error_messages={**REQUIRED, "invalid_choice": _("该时间已不可预约，请选择其他时间")},
    )
    name = forms.CharField(label=_("称呼"), max_length=20, error_messages=REQUIRED, help_text=_("如：王女士"))
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    topic = forms.CharField(
        label=_("咨询事项（可选）"), max_length=200, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    client_key = forms.CharField(label=_("提交标识"), widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, shifts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if shifts is not None:
            self.fields["shift"].queryset = shifts


class BookingLookupForm(formtools.Form):
    receipt_code = forms.CharField(label=_("预约码"), max_length=20, error_messages=REQUIRED)
    phone = forms.CharField(
        label=_("预约手机号"),
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )


MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str | None, default: date) -> date:
    """``"2026-03"`` → 2026-03-01; ValueError with a Chinese message for anything else."""
    if not value:
        return default.replace(day=1)
    match = MONTH_RE.fullmatch(value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise ValueError(str(_("月份格式应为 YYYY-MM，例如 2026-03")))
    return date(int(match.group(1)), int(match.group(2)), 1)
