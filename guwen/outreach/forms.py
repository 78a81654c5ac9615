"""Outreach forms: thin input parsing; the services decide (and say in Chinese what is wrong)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guwen.core import formtools
from guwen.core.formtools import DateInput
from guwen.outreach.models import (
    ActivityKind,
    AidCategory,
    Channel,
    ChecklistArea,
    ChecklistItem,
    Enterprise,
    OpinionKind,
    Pairing,
    RiskLevel,
)
from guwen.regions.models import LawFirm, Lawyer, Region

REQUIRED = {"required": _("此项为必填项")}
DATE = {**REQUIRED, "invalid": _("请输入正确的日期")}
INTEGER = {"invalid": _("请输入整数")}


def date_field(label, required=True):
    return forms.DateField(label=label, required=required, widget=DateInput(), error_messages=DATE)


class LawyerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Lawyer) -> str:
        return f"{obj.name}（{obj.firm.name}）"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def _scan_field(label):
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
        error_messages={"invalid": _("请上传文件"), "empty": _("上传的文件是空的")},
    )


class ActivityForm(formtools.Form):
    community = forms.ModelChoiceField(
        label=_("社区"),
        queryset=Region.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("请选择您负责的社区")},
    )
    kind = forms.ChoiceField(label=_("活动类型"), choices=ActivityKind.choices, error_messages=REQUIRED)
    channel = forms.ChoiceField(
        label=_("宣传形式"),
        choices=[("", _("（普法宣传必选）")), *Channel.choices],
        required=False,
        error_messages={"invalid_choice": _("请选择宣传形式")},
    )
    date = date_field(_("活动日期"))
    topic = forms.CharField(label=_("主题"), max_length=120, error_messages=REQUIRED)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    advisors = LawyerChoices(
        label=_("顾问律师"),
        queryset=Lawyer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请至少选择一名顾问律师"),
            "invalid_choice": _("请选择本社区的顾问律师"),
        },
    )
    audience_count = forms.IntegerField(
        label=_("参与人数"),
        required=False,
        help_text=_("已开展的活动填写参与人数；留空则保存为计划"),
        error_messages=INTEGER,
    )
    summary = forms.CharField(label=_("活动情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    pairing = forms.ModelChoiceField(
        label=_("结对共建（共建活动选择）"),
        queryset=Pairing.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择本社区的结对共建协议")},
    )

    def __init__(self, *args, communities, lawyers, pairings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["advisors"].queryset = lawyers
        if pairings is not None:
            self.fields["pairing"].queryset = pairings


class HoldForm(formtools.Form):
    audience_count = forms.IntegerField(label=_("参与人数"), error_messages={**REQUIRED, **INTEGER})
    summary = forms.CharField(label=_("活动情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    photos = MultipleFileField(label=_("活动照片（可多选）"), required=False)
    materials = _scan_field(_("宣传材料（图片或 PDF）"))
    sign_in_sheet = _scan_field(_("签到表扫描件（图片或 PDF）"))


class CancelForm(formtools.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)


class EnterpriseForm(formtools.Form):
    community = forms.ModelChoiceField(
        label=_("所在社区"),
        queryset=Region.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("请选择您负责的社区")},
    )
    name = forms.CharField(label=_("企业名称"), max_length=120, error_messages=REQUIRED)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=40, error_messages=REQUIRED)
    industry = forms.CharField(label=_("所属行业"), max_length=60, required=False)
    staff_count = forms.IntegerField(label=_("员工人数"), required=False, error_messages=INTEGER)
    contact_name = forms.CharField(label=_("联系人"), max_length=40, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class HealthCheckForm(formtools.Form):
    enterprise = forms.ModelChoiceField(
        label=_("企业"),
        queryset=Enterprise.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("请选择已登记的企业")},
    )
    date = date_field(_("体检日期"))
    advisors = LawyerChoices(
        label=_("体检律师"),
        queryset=Lawyer.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("请至少选择一名体检律师"),
            "invalid_choice": _("请选择本社区的顾问律师"),
        },
    )
    scope = forms.CharField(
        label=_("体检范围"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages=REQUIRED,
    )
    method = forms.CharField(
        label=_("体检方式"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        initial=_("企业自查问卷、负责人访谈、查阅资料"),
        error_messages=REQUIRED,
    )

    def __init__(self, *args, enterprises, lawyers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["advisors"].queryset = lawyers


class FindingForm(formtools.Form):
    area = forms.ModelChoiceField(
        label=_("体检领域"),
        queryset=ChecklistArea.objects.none(),
        error_messages={"required": _("请选择体检领域"), "invalid_choice": _("请选择体检领域")},
    )
    item = forms.ModelChoiceField(
        label=_("检查事项"),
        queryset=ChecklistItem.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("请选择检查事项")},
    )
    issue = forms.CharField(
        label=_("存在问题"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages=REQUIRED,
    )
    legal_basis = forms.CharField(
        label=_("法律依据"),
        max_length=200,
        required=False,
        help_text=_("写明法律名称和条文，如：《劳动合同法》第八十二条"),
    )
    risk_level = forms.ChoiceField(
        label=_("风险等级"),
        choices=[("", "—"), *RiskLevel.choices],
        error_messages={
            "required": _("请选择风险等级（高、中、低）"),
            "invalid_choice": _("风险等级只能是高、中、低"),
        },
    )
    recommendation = forms.CharField(
        label=_("整改建议"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages=REQUIRED,
    )
    owner = forms.CharField(label=_("整改责任人"), max_length=40, required=False)
    deadline = date_field(_("整改期限"), required=False)

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = ChecklistArea.objects.filter(pk__in=[a.pk for a in areas])
        self.fields["item"].queryset = ChecklistItem.objects.filter(
            area__in=[a.pk for a in areas], is_active=True
        )


class FollowUpForm(formtools.Form):
    follow_up_on = date_field(_("回访日期"))


class CloseForm(formtools.Form):
    follow_up_result = forms.CharField(
        label=_("回访结果"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages=REQUIRED,
    )


class OpinionRequestForm(formtools.Form):
    community = forms.ModelChoiceField(
        label=_("社区"),
        queryset=Region.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("请选择您负责的社区")},
    )
    kind = forms.ChoiceField(label=_("类型"), choices=OpinionKind.choices, error_messages=REQUIRED)
    title = forms.CharField(label=_("事项"), max_length=120, error_messages=REQUIRED)
    question = forms.CharField(
        label=_("需求说明"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages=REQUIRED,
    )
    related_to = forms.CharField(
        label=_("服务的决定或合同"), max_length=200, required=False, help_text=_("如：民生大盘菜项目采购合同")
    )
    due_on = date_field(_("答复期限（留空为5个工作日）"), required=False)
    attachment = _scan_field(_("相关材料（图片或 PDF）"))

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class OpinionDeliverForm(formtools.Form):
    opinion = forms.CharField(
        label=_("法律意见"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        error_messages=REQUIRED,
    )
    opinion_file = _scan_field(_("意见书（盖章扫描件，可选）"))


class PairingForm(formtools.Form):
    firm = forms.ModelChoiceField(
        label=_("律师事务所"),
        queryset=LawFirm.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("请选择律师事务所")},
    )
    branch = forms.CharField(label=_("律所党支部"), max_length=100, error_messages=REQUIRED)
    community = forms.ModelChoiceField(
        label=_("社区"),
        queryset=Region.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("请选择您负责的社区")},
    )
    committee = forms.CharField(label=_("社区党委（党支部）"), max_length=100, error_messages=REQUIRED)
    starts_on = date_field(_("开始日期"))
    ends_on = date_field(_("结束日期"))
    goals = forms.CharField(
        label=_("共建目标"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages=REQUIRED,
    )
    contacts = forms.CharField(label=_("联络人"), max_length=200, required=False)

    def __init__(self, *args, firms, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["firm"].queryset = firms
        self.fields["community"].queryset = communities


class ReferralForm(formtools.Form):
    community = forms.ModelChoiceField(
        label=_("社区"),
        queryset=Region.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("请选择您负责的社区")},
    )
    applicant = forms.CharField(label=_("申请人"), max_length=40, error_messages=REQUIRED)
    category = forms.ChoiceField(label=_("援助事项"), choices=AidCategory.choices, error_messages=REQUIRED)
    hardship = forms.BooleanField(label=_("经济困难"), required=False)
    situation = forms.CharField(
        label=_("申请人情况"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("经济状况、诉求和已有证据"),
        error_messages=REQUIRED,
    )
    attachment = _scan_field(_("材料（图片或 PDF）"))

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities


class ReferralNoteForm(formtools.Form):
    note = forms.CharField(
        label=_("处理情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class WorkLogEntryForm(formtools.Form):
    community = forms.ModelChoiceField(
        label=_("社区"),
        queryset=Region.objects.none(),
        error_messages={**REQUIRED, "invalid_choice": _("请选择您服务的社区")},
    )
    at = forms.DateTimeField(
        label=_("时间"),
        widget=formtools.DateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        error_messages={**REQUIRED, "invalid": _("请输入正确的日期和时间")},
    )
    place = forms.CharField(
        label=_("地点"), max_length=100, required=False, help_text=_("驻点、上门、线上等")
    )
    person = forms.CharField(label=_("服务对象"), max_length=100, error_messages=REQUIRED)
    content = forms.CharField(
        label=_("服务内容"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages=REQUIRED,
    )
    result = forms.CharField(
        label=_("结果"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000, required=False
    )

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
