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


class CheckOutForm(CheckForm):
    # Sent as 1 by the second submit, after the page asked whether a check-out so soon is meant.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class BulkConfirmForm(formtools.Form):
    shift = forms.TypedMultipleChoiceField(
        label=_("班次"),
        coerce=int,
        error_messages={"required": _("请至少选择一个班次"), "invalid_choice": _("所选班次不正确")},
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, shift_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shift"].choices = [(pk, pk) for pk in shift_ids]


class DisputeForm(formtools.Form):
    reason = forms.CharField(
        label=_("异议理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("例如：签到在案，但当天社区未见律师到岗"),
        error_messages={"required": _("请写明异议理由"), "max_length": _("异议理由不能超过500字")},
    )


CHOOSE_DECISION = _("请选择异议成立或不成立")


class DisputeDecideForm(formtools.Form):
    decision = forms.ChoiceField(
        label=_("决定"),
        choices=[
            ("", _("请选择")),
            ("accept", _("异议成立，按缺勤计")),
            ("reject", _("异议不成立，维持到岗")),
        ],
        error_messages={
            "required": _("请选择异议成立或不成立"),
            "invalid_choice": _("请选择异议成立或不成立"),
        },
    )
    note = forms.CharField(
        label=_("说明"), max_length=200, required=False, error_messages={"max_length": _("说明不能超过200字")}
    )


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


MAX_SPAN_DAYS = 366  # a year, leap or not: the appraisal's period


def parse_span(first: str | None, last: str | None) -> tuple[date, date] | None:
    """``date_from`` and ``date_to`` (YYYY-MM-DD, both or neither) → (first, last) or None;
    ValueError with a Chinese message for a malformed day, a missing end, an end before the start
    or a span over a year."""
    first, last = (first or "").strip(), (last or "").strip()
    if not first and not last:
        return None
    if not first or not last:
        raise ValueError(str(_("请同时填写起始日期和截止日期")))
    try:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
    except ValueError:
        raise ValueError(str(_("日期格式应为 YYYY-MM-DD，例如 2026-03-01"))) from None
    if end < start:
        raise ValueError(str(_("截止日期不能早于起始日期")))
    if (end - start).days + 1 > MAX_SPAN_DAYS:
        raise ValueError(str(_("日期范围不能超过一年")))
    return start, end


DAY_LINE = re.compile(
    r"^(?P<first>\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:~|～|至|到|—)\s*(?P<last>\d{4}-\d{1,2}-\d{1,2}))?\s*(?P<name>.*)$"
)
MAX_RANGE_DAYS = 15  # the longest statutory holiday with 调休 is 9 days; a longer range is a typo


def parse_day_lines(text: str, *, default_name: str = "") -> list[tuple[date, str]]:
    """Lines like ``2027-10-01 至 2027-10-07 国庆节`` or ``2027-09-26 调休上班`` → [(day, name)];
    ValueError naming the line for anything else."""
    from datetime import timedelta

    days: list[tuple[date, str]] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = DAY_LINE.match(line)
        if match is None:
            raise ValueError(
                _("第 %(n)d 行：应以日期开头，如 2027-10-01 国庆节 或 2027-10-01 至 2027-10-07 国庆节")
                % {"n": number}
            )
        try:
            first = date.fromisoformat(_iso(match["first"]))
            last = date.fromisoformat(_iso(match["last"])) if match["last"] else first
        except ValueError:
            raise ValueError(_("第 %(n)d 行：日期不存在") % {"n": number}) from None
        if last < first or (last - first).days >= MAX_RANGE_DAYS:
            raise ValueError(_("第 %(n)d 行：日期范围不正确") % {"n": number})
        name = match["name"].strip() or default_name
        if not name:
            raise ValueError(_("第 %(n)d 行：请在日期后写上节日名称") % {"n": number})
        day = first
        while day <= last:
            days.append((day, name))
            day += timedelta(days=1)
    return days


def _iso(text: str) -> str:
    y, m, d = text.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


REST_EXAMPLE = "2027-01-01 元旦\n2027-10-01 至 2027-10-07 国庆节"


class HolidayYearForm(formtools.Form):
    rest_days = forms.CharField(
        label=_("放假日期"),
        widget=forms.Textarea(
            attrs={"rows": 8, "placeholder": "2027-01-01 元旦\n2027-10-01 至 2027-10-07 国庆节"}
        ),
        help_text=_("每行一个日期或一段日期，后面写节日名称"),
        error_messages={"required": _("请至少填写一天放假日期")},
    )
    workdays = forms.CharField(
        label=_("调休上班日期"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "2027-02-20 春节调休上班"}),
        help_text=_("周六或周日需要上班的日子，每行一个；名称可省略"),
    )

    def clean_rest_days(self):
        try:
            return parse_day_lines(self.cleaned_data["rest_days"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean_workdays(self):
        try:
            return parse_day_lines(self.cleaned_data["workdays"], default_name=str(_("调休上班")))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
