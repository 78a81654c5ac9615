"""Forms of the consultation pages. They only parse input; the services validate and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guwen.consultations.models import Channel, Level, Schedule, Status, Urgency
from guwen.consultations.services.common import TEXT_MAX
from guwen.core import formtools
from guwen.core.formtools import DateInput, DateTimeInput
from guwen.knowledge.selectors import category_names
from guwen.knowledge.urgency import UrgencyKind

REQUIRED = {"required": _("此项为必填项")}
DATE_ERRORS = {"invalid": _("请输入正确的日期")}
WAITED_DAYS_MAX = 365
WAITED_DAYS_ERROR = _("等待天数请填写 1 到 365 之间的整数")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class AskForm(formtools.Form):
    text = forms.CharField(
        label=_("您的问题"),
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "maxlength": TEXT_MAX,
                "placeholder": _("请说明发生了什么、想问什么（10–2000 字）"),
            }
        ),
        error_messages=REQUIRED,
        strip=True,
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("用于查询答复和接收短信通知，不会公开"),
    )
    resident_name = forms.CharField(label=_("称呼（可不填）"), max_length=40, required=False)
    attachments = MultipleFileField(
        label=_("照片或 PDF（可不传，最多 5 个，每个不超过 10 MB）"),
        required=False,
        error_messages={"invalid": _("文件上传不完整，请重新选择")},
    )
    consent = forms.BooleanField(
        label=_("我已阅读并同意：所填信息仅用于法律咨询服务，由社区法律顾问和司法行政部门依法保密处理"),
        error_messages={"required": _("请阅读并同意隐私说明后再提交")},
    )
    # The client key (DESIGN §5: idempotent intake); a hidden input, never shown, labelled for errors.
    key = forms.CharField(label=_("提交标识"), widget=forms.HiddenInput, required=False, max_length=64)


class LookupForm(formtools.Form):
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    receipt_code = forms.CharField(label=_("回执码"), max_length=20, error_messages=REQUIRED)


class ResidentMessageForm(formtools.Form):
    text = forms.CharField(
        label=_("补充或追问"),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
        error_messages=REQUIRED,
    )


class RatingForm(formtools.Form):
    score = forms.TypedChoiceField(
        label=_("满意度"),
        coerce=int,
        choices=[
            (5, _("5 星 · 非常满意")),
            (4, _("4 星 · 满意")),
            (3, _("3 星 · 一般")),
            (2, _("2 星 · 不满意")),
            (1, _("1 星 · 很不满意")),
        ],
        widget=forms.RadioSelect,
        error_messages={**REQUIRED, "invalid_choice": _("请选择 1 到 5 星")},
    )
    comment = forms.CharField(
        label=_("意见建议（可不填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(formtools.Form):
    # A distinct id: the knowledge panel beside it inserts citations into this box.
    body = forms.CharField(
        label=_("答复内容"),
        widget=forms.Textarea(attrs={"rows": 5, "id": "id_reply_body"}),
        error_messages=REQUIRED,
    )


class AskInfoForm(formtools.Form):
    body = forms.CharField(
        label=_("需要居民补充什么"), widget=forms.Textarea(attrs={"rows": 3}), error_messages=REQUIRED
    )


class EscalateForm(formtools.Form):
    reason = forms.CharField(label=_("提交上级的原因"), max_length=200, error_messages=REQUIRED)


class CloseForm(formtools.Form):
    category = forms.ChoiceField(
        label=_("确认咨询类别"), error_messages={**REQUIRED, "invalid_choice": _("请从列表中选择咨询类别")}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("请选择"))] + [(name, name) for name in category_names()]


class ReassignForm(formtools.Form):
    owner = forms.TypedChoiceField(
        label=_("改派给"),
        coerce=int,
        error_messages={**REQUIRED, "invalid_choice": _("请选择本街道的顾问律师或司法所工作人员")},
    )
    reason = forms.CharField(label=_("原因"), max_length=200, required=False)

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", _("请选择"))] + [(u.pk, str(u)) for u in owners]


class LogForm(formtools.Form):
    """A phone or walk-in question, logged by the advisor in a few taps."""

    channel = forms.ChoiceField(
        label=_("来源"),
        choices=[(Channel.PHONE, Channel.PHONE.label), (Channel.WALK_IN, Channel.WALK_IN.label)],
        initial=Channel.PHONE,
        widget=forms.RadioSelect,
        error_messages=REQUIRED,
    )
    community = forms.ChoiceField(
        label=_("社区"), error_messages={**REQUIRED, "invalid_choice": _("请选择您服务的社区")}
    )
    phone = forms.CharField(
        label=_("居民手机号"),
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    resident_name = forms.CharField(label=_("称呼（可不填）"), max_length=40, required=False)
    text = forms.CharField(label=_("问题"), widget=forms.Textarea(attrs={"rows": 4}), error_messages=REQUIRED)
    answer = forms.CharField(
        label=_("当场答复（可不填）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("已当场解答的，填写答复要点即记为已答复"),
    )

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [(c.code, c.name) for c in communities]
        if len(self.fields["community"].choices) == 1:
            self.fields["community"].initial = self.fields["community"].choices[0][0]


class FilterForm(formtools.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *Status.choices])
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[("", _("全部")), *Level.choices])
    category = forms.ChoiceField(label=_("类别"), required=False)
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=[("", _("全部")), *Channel.choices])
    community = forms.ChoiceField(label=_("社区"), required=False)
    date_from = forms.DateField(
        label=_("起始日期"),
        required=False,
        widget=DateInput(),
        error_messages=DATE_ERRORS,
    )
    date_to = forms.DateField(
        label=_("截止日期"),
        required=False,
        widget=DateInput(),
        error_messages=DATE_ERRORS,
    )
    date_by = forms.ChoiceField(
        label=_("日期按"),
        required=False,
        choices=[("", _("提问日期")), ("answered", _("首次答复日期"))],
    )
    waited_days = forms.IntegerField(
        label=_("等待超过（天）"),
        required=False,
        min_value=1,
        max_value=WAITED_DAYS_MAX,
        help_text=_("只看居民提问后超过这么多天仍未答复或办结的咨询"),
        error_messages={
            "invalid": WAITED_DAYS_ERROR,
            "min_value": WAITED_DAYS_ERROR,
            "max_value": WAITED_DAYS_ERROR,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": WAITED_DAYS_MAX}),
    )

    def __init__(self, *args, communities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("全部"))] + [(n, n) for n in category_names()]
        self.fields["community"].choices = [("", _("全部"))] + [(c.code, c.name) for c in communities]
        for field in self.fields.values():
            field.error_messages.setdefault("invalid_choice", _("请选择列表中的选项"))
            field.error_messages["invalid_choice"] = _("请选择列表中的选项")


class AwayForm(formtools.Form):
    starts_at = forms.DateTimeField(
        label=_("开始时间"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={**REQUIRED, "invalid": _("请输入正确的时间")},
    )
    ends_at = forms.DateTimeField(
        label=_("结束时间"),
        widget=DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={**REQUIRED, "invalid": _("请输入正确的时间")},
    )
    reason = forms.CharField(label=_("事由"), max_length=100, required=False)


class UrgencyRuleForm(formtools.Form):
    label = forms.CharField(
        label=_("名称"), max_length=40, error_messages=REQUIRED, help_text=_("如：燃气泄漏")
    )
    risk = forms.ChoiceField(
        label=_("紧急类型"),
        choices=[("", _("请选择")), *UrgencyKind.choices],
        error_messages={"required": _("请选择紧急类型"), "invalid_choice": _("请选择列表中的紧急类型")},
        help_text=_("顾问和司法所看到的原因，如“紧急：自伤风险”；选“其他”时显示规则名称。"),
    )
    keywords = forms.CharField(
        label=_("关键词"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=REQUIRED,
        help_text=_(
            "用顿号、逗号或换行分隔；问题里出现任一关键词即标为紧急。每个至少 2 个字。"
            "“坐在…不走”表示同一句里前后都出现。"
        ),
    )
    exclude = forms.CharField(
        label=_("不算的说法"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text=_("可不填。先去掉这些说法再匹配，如“打我电话、打折”。"),
    )
    effective_from = forms.DateField(
        label=_("生效日期"),
        widget=DateInput(),
        error_messages={**REQUIRED, "invalid": _("请输入正确的日期")},
    )


class EmergencyNumbersForm(formtools.Form):
    # The lines are checked by the service (emergency_numbers_set), which names the line at fault.
    lines = forms.CharField(
        label=_("紧急求助电话"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": _("内容过长，最多 1000 个字")},
        help_text=_(
            "每行一个，先写号码再写名称，如“110 报警”。紧急问题的回执页最先显示这些电话。留空恢复默认号码。"
        ),
    )


class GroupRobotForm(formtools.Form):
    # Its length is checked by the service (group_channel_issue_secret), whose message the page shows.
    group_name = forms.CharField(label=_("群名称"), required=False)


class DeadlinePolicyForm(formtools.Form):
    """A new version of the deadlines: minutes and counting for each level and urgency."""

    effective_from = forms.DateField(
        label=_("生效日期"),
        widget=DateInput(),
        error_messages={**REQUIRED, "invalid": _("请输入正确的日期")},
    )
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        self.rows = []
        for level, level_label in Level.choices:
            for urgency, urgency_label in Urgency.choices:
                minutes, schedule = current.get((level, urgency), (None, Schedule.ONLINE))
                minutes_name, schedule_name = f"minutes_{level}_{urgency}", f"schedule_{level}_{urgency}"
                self.fields[minutes_name] = forms.IntegerField(
                    label=_("%(level)s级 · %(urgency)s（分钟）")
                    % {"level": level_label, "urgency": urgency_label},
                    min_value=1,
                    max_value=7 * 24 * 60,
                    initial=minutes,
                    error_messages={
                        **REQUIRED,
                        "invalid": _("请输入整数分钟数"),
                        "min_value": _("期限至少 1 分钟"),
                        "max_value": _("期限最多 7 天（10080 分钟）"),
                    },
                )
                self.fields[schedule_name] = forms.ChoiceField(
                    label=_("计时方式"),
                    choices=Schedule.choices,
                    initial=schedule,
                    error_messages={**REQUIRED, "invalid_choice": _("请从列表中选择计时方式")},
                )
                self.rows.append((level, urgency, self[minutes_name], self[schedule_name]))

    def table(self) -> dict[tuple[str, str], tuple[int, str]]:
        data = self.cleaned_data
        return {
            (level, urgency): (data[f"minutes_{level}_{urgency}"], data[f"schedule_{level}_{urgency}"])
            for level in Level.values
            for urgency in Urgency.values
        }
