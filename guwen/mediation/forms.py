"""Forms of the mediation pages. Field names are the services' keyword arguments, so a view passes
``cleaned_data`` through; the services hold the rules and their Chinese refusals."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from guwen.accounts.models import User
from guwen.core.formtools import DateInput, Form
from guwen.mediation.models import (
    CallbackMethod,
    DisputeType,
    FileItemKind,
    Grade,
    LeadStatus,
    PartyKind,
    PartyRole,
    Performed,
    RiskLevel,
    Satisfaction,
    Sex,
    Source,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})
BIG_TEXTAREA = forms.Textarea(attrs={"rows": 6})


def _types():
    return DisputeType.objects.filter(is_active=True).order_by("sort", "code")


class CommunityChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


def _amount():
    return forms.DecimalField(
        label=_("涉及金额（元）"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
    )


def _people():
    return forms.IntegerField(label=_("涉及人数"), min_value=1, max_value=100000, initial=2)


class LeadForm(Form):
    community = CommunityChoice(label=_("社区"), queryset=None, empty_label=None)
    dispute_type = forms.ModelChoiceField(label=_("纠纷类型"), queryset=None, empty_label=None)
    found_on = forms.DateField(label=_("发现日期"), widget=DateInput())
    place = forms.CharField(label=_("地点"), max_length=100)
    parties = forms.CharField(label=_("当事人情况"), max_length=500, widget=TEXTAREA)
    summary = forms.CharField(label=_("纠纷简要情况"), max_length=2000, widget=TEXTAREA)
    people_affected = _people()
    amount = _amount()
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices, initial=RiskLevel.BLUE)
    notes = forms.CharField(label=_("备注"), max_length=1000, required=False, widget=TEXTAREA)

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if communities is None:
            del self.fields["community"]
        else:
            self.fields["community"].queryset = communities
        self.fields["dispute_type"].queryset = _types()


class LeadEditForm(LeadForm):
    status = forms.ChoiceField(label=_("状态"), choices=LeadStatus.choices)
    handed_to = forms.CharField(label=_("移交单位"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, communities=None, **kwargs)
        del self.fields["found_on"]


class CaseForm(Form):
    community = CommunityChoice(label=_("调委会（社区）"), queryset=None, empty_label=None)
    source = forms.ChoiceField(
        label=_("案件来源"),
        choices=[(v, label) for v, label in Source.choices if v != Source.LEAD],
    )
    consultation = forms.IntegerField(
        label=_("关联法律咨询编号"), required=False, min_value=1, help_text=_("来源为法律咨询时填写")
    )
    dispute_type = forms.ModelChoiceField(label=_("纠纷类型"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("纠纷名称"), max_length=100)
    summary = forms.CharField(label=_("纠纷简要情况"), max_length=4000, widget=BIG_TEXTAREA)
    requests = forms.CharField(label=_("申请事项"), max_length=2000, required=False, widget=TEXTAREA)
    amount = _amount()
    people_affected = _people()
    intake_on = forms.DateField(label=_("受理登记日期"), widget=DateInput())

    def __init__(self, *args, communities=None, from_lead: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dispute_type"].queryset = _types()
        if from_lead:
            for name in ("community", "source", "consultation"):
                del self.fields[name]
        else:
            self.fields["community"].queryset = communities


class CaseActionForm(Form):
    """An action form on the case page; ``case`` lets a form offer the case's own choices."""

    def __init__(self, *args, case=None, action: str = "", **kwargs):
        self.case = case
        if action:  # several action forms share the case page: ids must not repeat
            kwargs.setdefault("auto_id", f"id_{action}_%s")
        super().__init__(*args, **kwargs)


class NoteForm(CaseActionForm):
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class RefuseForm(CaseActionForm):
    reason = forms.CharField(label=_("当事人拒绝调解的情况"), max_length=300, widget=TEXTAREA)


class PartyForm(CaseActionForm):
    role = forms.ChoiceField(label=_("身份"), choices=PartyRole.choices)
    kind = forms.ChoiceField(label=_("类别"), choices=PartyKind.choices)
    name = forms.CharField(label=_("姓名或名称"), max_length=80)
    sex = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Sex.choices], required=False)
    ethnicity = forms.CharField(label=_("民族"), max_length=20, required=False)
    age = forms.IntegerField(label=_("年龄"), min_value=0, max_value=130, required=False)
    occupation = forms.CharField(label=_("职业或职务"), max_length=40, required=False)
    id_number = forms.CharField(label=_("身份证号"), max_length=30, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    address = forms.CharField(label=_("单位或住址"), max_length=120, required=False)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=30, required=False)
    representative = forms.CharField(label=_("法定代表人"), max_length=40, required=False)
    agent_name = forms.CharField(label=_("委托代理人"), max_length=40, required=False)
    agent_authorisation = forms.CharField(label=_("授权情况"), max_length=200, required=False)


class PartyEditForm(PartyForm):
    """Correcting a party: the stored 身份证号 and phone are never shown in full, so a blank one
    keeps what is stored and a box removes it."""

    clear_id_number = forms.BooleanField(label=_("删除已登记的身份证号"), required=False)
    clear_phone = forms.BooleanField(label=_("删除已登记的联系电话"), required=False)

    def __init__(self, *args, party=None, **kwargs):
        super().__init__(*args, **kwargs)
        if party is not None:
            kept = _("已登记 %(masked)s，不修改请留空")
            if party.id_number_masked:
                self.fields["id_number"].help_text = kept % {"masked": party.id_number_masked}
            if party.phone_masked:
                self.fields["phone"].help_text = kept % {"masked": party.phone_masked}
            if party.credit_code:
                self.fields["credit_code"].help_text = _("不修改请留空")


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class UserMultipleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return str(obj)


class AssignForm(CaseActionForm):
    users = UserMultipleChoice(label=_("调解员"), queryset=None, widget=forms.CheckboxSelectMultiple)
    primary = UserChoice(label=_("主持调解员"), queryset=None)

    def __init__(self, *args, **kwargs):
        from guwen.mediation.services import mediator_choices

        super().__init__(*args, **kwargs)
        choices = mediator_choices(self.case) if self.case is not None else User.objects.none()
        self.fields["users"].queryset = choices
        self.fields["primary"].queryset = choices

    def clean(self):
        data = super().clean()
        if "users" in data:
            data["users"] = list(data["users"])
        return data


class InvestigationForm(CaseActionForm):
    held_on = forms.DateField(label=_("调查日期"), widget=DateInput())
    place = forms.CharField(label=_("调查地点"), max_length=100)
    subject = forms.CharField(label=_("被调查人"), max_length=80)
    content = forms.CharField(label=_("调查情况"), max_length=4000, widget=BIG_TEXTAREA)
    evidence = forms.CharField(label=_("证据材料"), max_length=1000, required=False, widget=TEXTAREA)


class SessionForm(CaseActionForm):
    held_on = forms.DateField(label=_("调解日期"), widget=DateInput())
    place = forms.CharField(label=_("调解地点"), max_length=100)
    mediators = forms.CharField(label=_("调解员"), max_length=200)
    attendees = forms.CharField(label=_("参加人"), max_length=300)
    record = forms.CharField(label=_("调解记录"), max_length=8000, widget=BIG_TEXTAREA)


class AgreeForm(CaseActionForm):
    kind = forms.ChoiceField(
        label=_("协议形式"), choices=[("written", _("书面协议")), ("oral", _("口头协议"))], initial="written"
    )
    decided_on = forms.DateField(label=_("协议日期"), widget=DateInput())
    facts = forms.CharField(
        label=_("主要事实、争议事项及责任"), max_length=4000, required=False, widget=TEXTAREA
    )
    terms = forms.CharField(label=_("协议内容"), max_length=4000, required=False, widget=BIG_TEXTAREA)
    performance_method = forms.CharField(label=_("履行方式"), max_length=200, required=False)
    performance_place = forms.CharField(label=_("履行地点"), max_length=100, required=False)
    performance_deadline = forms.DateField(label=_("履行期限"), required=False, widget=DateInput())


class TerminateForm(CaseActionForm):
    decided_on = forms.DateField(label=_("终止日期"), widget=DateInput())
    reason = forms.CharField(label=_("终止原因"), max_length=300, widget=TEXTAREA)
    routes_told = forms.CharField(
        label=_("告知当事人的其他解决途径"),
        max_length=300,
        initial=_("已告知当事人可依法通过仲裁、行政、司法等途径维护自己的权利"),
    )


class PerformanceForm(CaseActionForm):
    checked_on = forms.DateField(label=_("记录日期"), widget=DateInput())
    item = forms.CharField(label=_("履行事项"), max_length=200)
    due_on = forms.DateField(label=_("履行期限"), required=False, widget=DateInput())
    done = forms.BooleanField(label=_("已履行"), required=False)
    note = forms.CharField(label=_("情况说明"), max_length=300, required=False)


class CallbackForm(CaseActionForm):
    called_on = forms.DateField(label=_("回访日期"), widget=DateInput())
    method = forms.ChoiceField(label=_("回访方式"), choices=CallbackMethod.choices)
    interviewee = forms.CharField(label=_("被回访人"), max_length=80)
    performed = forms.ChoiceField(label=_("履行情况"), choices=Performed.choices)
    satisfaction = forms.ChoiceField(label=_("满意度"), choices=Satisfaction.choices)
    lawsuit = forms.BooleanField(label=_("当事人已起诉"), required=False)
    lawsuit_note = forms.CharField(label=_("诉讼情况"), max_length=200, required=False)
    remaining_risk = forms.CharField(label=_("遗留风险"), max_length=300, required=False)
    measures = forms.CharField(label=_("采取措施"), max_length=300, required=False)


class ConfirmationForm(CaseActionForm):
    applied_on = forms.DateField(label=_("申请司法确认日期"), widget=DateInput())
    note = forms.CharField(label=_("司法确认情况"), max_length=200, required=False)


class ExtensionForm(CaseActionForm):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=30, initial=30)
    reason = forms.CharField(label=_("延期理由"), max_length=300)
    consent = forms.CharField(label=_("当事人同意延期的情况"), max_length=300)


class ExtensionDecideForm(Form):
    decision = forms.ChoiceField(label=_("审批"), choices=[("approve", _("批准")), ("reject", _("不批准"))])


class UploadForm(CaseActionForm):
    kind = forms.ModelChoiceField(label=_("卷宗材料"), queryset=None, empty_label=None)
    upload = forms.FileField(label=_("签字盖章后的扫描件（JPG、PNG、WebP 或 PDF）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = FileItemKind.objects.order_by("number")


class GradeForm(CaseActionForm):
    grade = forms.ChoiceField(label=_("案件等级"), choices=Grade.choices)
    reason = forms.CharField(label=_("定级理由"), max_length=300)


class CloseForm(CaseActionForm):
    """Closing takes no input: the page shows the completeness check beside the button."""


class CommitteeForm(Form):
    address = forms.CharField(label=_("调委会地址"), max_length=120, required=False)
    phone = forms.CharField(
        label=_("联系电话"), max_length=30, required=False, help_text=_("带区号的固定电话或手机号")
    )
