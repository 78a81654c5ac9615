"""Forms of the subsidy pages. Field names are the services' keyword arguments; the services hold
the rules and their Chinese refusals."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guwen.core.formtools import DateInput, Form
from guwen.subsidy.models import GRADE_ITEMS, BatchPeriod, CallbackResult, FeeKind, Item

ERR_REQUIRED = {"required": _("请填写此项")}


# One wording for every amount in yuan, whichever form asks for it.
AMOUNT_ERRORS = {
    **ERR_REQUIRED,
    "invalid": _("请填写正确的金额"),
    "max_decimal_places": _("金额最多两位小数"),
    "max_digits": _("金额过大"),
    "max_whole_digits": _("金额过大"),
}


class ActForm(Form):
    """A step of the chain: the revision the user saw, so a second approver is told they were late."""

    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={
            "required": _("页面已过期，请刷新后重试"),
            "invalid": _("页面已过期，请刷新后重试"),
            "min_value": _("页面已过期，请刷新后重试"),
        },
    )
    reason = forms.CharField(
        label=_("理由"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PayForm(ActForm):
    finance_reference = forms.CharField(label=_("财务凭证号"), max_length=60, error_messages=ERR_REQUIRED)
    paid_on = forms.DateField(
        label=_("发放日期"),
        widget=DateInput,
        error_messages={**ERR_REQUIRED, "invalid": _("请填写正确的日期")},
    )


class AdjustForm(ActForm):
    amount = forms.DecimalField(
        label=_("调整金额（元，核减填负数）"),
        max_digits=10,
        decimal_places=2,
        error_messages=AMOUNT_ERRORS,
    )


class RunForm(Form):
    district = forms.ModelChoiceField(
        label=_("区"), queryset=None, error_messages={**ERR_REQUIRED, "invalid_choice": _("请选择区")}
    )
    month = forms.CharField(label=_("月份（YYYY-MM）"), max_length=7, error_messages=ERR_REQUIRED)

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts

    def clean_month(self):
        from guwen.subsidy.selectors import parse_month

        value = parse_month(self.cleaned_data["month"])
        if value is None:
            raise forms.ValidationError(_("请按 YYYY-MM 填写月份"))
        return value


class FlagDecideForm(Form):
    decision = forms.ChoiceField(
        label=_("处理结果"),
        choices=[("clear", _("核实无误")), ("reject", _("核减"))],
        error_messages={**ERR_REQUIRED, "invalid_choice": _("请选择处理结果")},
    )
    reason = forms.CharField(label=_("理由"), max_length=300, error_messages=ERR_REQUIRED)


class CallbackForm(Form):
    result = forms.ChoiceField(
        label=_("回访结果"),
        choices=[c for c in CallbackResult.choices if c[0]],
        error_messages={**ERR_REQUIRED, "invalid_choice": _("请选择回访结果")},
    )
    note = forms.CharField(label=_("回访情况"), max_length=300, required=False)


class NewVersionForm(Form):
    effective_from = forms.DateField(
        label=_("生效日期"),
        widget=DateInput,
        error_messages={**ERR_REQUIRED, "invalid": _("请填写正确的日期")},
    )
    name = forms.CharField(label=_("名称"), max_length=60, required=False)
    district = forms.ModelChoiceField(
        label=_("区"), queryset=None, error_messages={**ERR_REQUIRED, "invalid_choice": _("请选择区")}
    )

    def __init__(self, *args, districts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts


MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
MONEY_ERRORS = {**AMOUNT_ERRORS, "min_value": _("金额不能为负数")}
PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": 0, "max_value": 100}
PERCENT_ERRORS = {
    **ERR_REQUIRED,
    "invalid": _("请填写正确的比例"),
    "min_value": _("比例不能为负数"),
    "max_value": _("比例不能超过 100"),
    "max_decimal_places": _("比例最多两位小数"),
    "max_digits": _("比例不能超过 100"),
    "max_whole_digits": _("比例不能超过 100"),
}


class RuleSetForm(Form):
    name = forms.CharField(label=_("名称"), max_length=60, error_messages=ERR_REQUIRED)
    effective_from = forms.DateField(
        label=_("生效日期"),
        widget=DateInput,
        error_messages={**ERR_REQUIRED, "invalid": _("请填写正确的日期")},
    )
    oral_percent = forms.DecimalField(
        label=_("口头协议按比例（%）"), error_messages=PERCENT_ERRORS, **PERCENT
    )
    terminated_percent = forms.DecimalField(
        label=_("调解不成（有终止告知书）按比例（%）"), error_messages=PERCENT_ERRORS, **PERCENT
    )
    terminated_min_grade = forms.ChoiceField(
        label=_("调解不成可补贴的最低等级"),
        choices=[(i.value, i.label) for i in GRADE_ITEMS],
        error_messages={**ERR_REQUIRED, "invalid_choice": _("请选择等级")},
    )
    primary_percent = forms.DecimalField(
        label=_("主持调解员分成（%，留空为平均分配）"),
        required=False,
        error_messages=PERCENT_ERRORS,
        **PERCENT,
    )
    cap_advisor_month = forms.DecimalField(
        label=_("每人每月上限（元）"), required=False, error_messages=MONEY_ERRORS, **MONEY
    )
    cap_advisor_year = forms.DecimalField(
        label=_("每人每年上限（元）"), required=False, error_messages=MONEY_ERRORS, **MONEY
    )
    cap_community_month = forms.DecimalField(
        label=_("每社区每月预算（元）"), required=False, error_messages=MONEY_ERRORS, **MONEY
    )
    require_complete_file = forms.BooleanField(label=_("要求卷宗齐全"), required=False)
    require_callback = forms.BooleanField(label=_("要求已回访"), required=False)
    require_performed = forms.BooleanField(label=_("要求协议已履行"), required=False)
    sample_percent = forms.DecimalField(
        label=_("抽查回访比例（%）"), error_messages=PERCENT_ERRORS, **PERCENT
    )
    batch_period = forms.ChoiceField(
        label=_("批次周期"),
        choices=BatchPeriod.choices,
        error_messages={**ERR_REQUIRED, "invalid_choice": _("请选择批次周期")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for item in Item:
            self.fields[f"amount_{item.value}"] = forms.DecimalField(
                label=_("%(i)s（元）") % {"i": item.label}, error_messages=MONEY_ERRORS, **MONEY
            )


class FeeForm(Form):
    """A fee paid to an advisor or to a firm for a community and a period (顾问费收入)."""

    community = forms.ModelChoiceField(
        label=_("社区"),
        queryset=None,
        error_messages={**ERR_REQUIRED, "invalid_choice": _("请选择管辖范围内的社区")},
    )
    lawyer = forms.ModelChoiceField(
        label=_("顾问律师（付给律师本人时）"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("请选择顾问律师")},
    )
    firm = forms.ModelChoiceField(
        label=_("律所（付给律所时）"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("请选择律所")},
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=FeeKind.choices,
        error_messages={**ERR_REQUIRED, "invalid_choice": _("请选择费用类型")},
    )
    period_start = forms.DateField(
        label=_("所属期间起"),
        widget=DateInput,
        error_messages={**ERR_REQUIRED, "invalid": _("请填写正确的日期")},
    )
    period_end = forms.DateField(
        label=_("所属期间止"),
        widget=DateInput,
        error_messages={**ERR_REQUIRED, "invalid": _("请填写正确的日期")},
    )
    amount = forms.DecimalField(
        label=_("金额（元）"),
        max_digits=12,
        decimal_places=2,
        error_messages=AMOUNT_ERRORS,
    )
    reference = forms.CharField(
        label=_("合同或凭证号"),
        max_length=60,
        required=False,
        error_messages={"max_length": _("最多 60 个字")},
    )
    note = forms.CharField(
        label=_("说明"), max_length=200, required=False, error_messages={"max_length": _("最多 200 个字")}
    )

    def __init__(self, *args, communities, lawyers, firms, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["lawyer"].queryset = lawyers
        self.fields["firm"].queryset = firms
        self.fields["community"].label_from_instance = lambda region: region.name
        self.fields["lawyer"].label_from_instance = lambda lawyer: (
            f"{lawyer.name}（{lawyer.firm.name}）" if lawyer.firm_id else lawyer.name
        )

    def clean(self):
        data = super().clean()
        if not self.errors and (data.get("lawyer") is None) == (data.get("firm") is None):
            self.add_error("lawyer", _("请选择顾问律师或律所中的一项"))
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("期间止不能早于期间起"))
        amount = data.get("amount")
        if amount is not None and amount <= 0:
            self.add_error("amount", _("金额须大于零"))
        return data


class FeeDeleteForm(Form):
    reason = forms.CharField(
        label=_("删除原因"), max_length=300, error_messages={**ERR_REQUIRED, "max_length": _("最多 300 个字")}
    )
