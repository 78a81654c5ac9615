"""Forms of evaluation pages. Services check everything again; these give the messages on the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from guwen.core import formtools

REQUIRED = {"required": _("此项为必填项")}
STARS = [(5, "5"), (4, "4"), (3, "3"), (2, "2"), (1, "1")]
SCALE_ERRORS = {**REQUIRED, "invalid_choice": _("请选择 1 到 5 分")}


def _scale(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, coerce=int, choices=STARS, widget=forms.RadioSelect, error_messages=SCALE_ERRORS
    )


class SurveyForm(formtools.Form):
    """The questionnaire in force, one 1–5 question per row."""

    def __init__(self, *args, questionnaire, **kwargs):
        super().__init__(*args, **kwargs)
        for question in questionnaire.questions:
            self.fields[question["key"]] = _scale(question["text"])
        self.fields["comment"] = forms.CharField(
            label=_("意见建议（可不填）"),
            max_length=500,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )
        self.fields["key"] = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
        self.question_keys = [q["key"] for q in questionnaire.questions]


class CommunityEvaluationForm(formtools.Form):
    community = forms.ModelChoiceField(
        label=_("社区"), queryset=None, error_messages={**REQUIRED, "invalid_choice": _("请选择社区")}
    )
    lawyer = forms.ModelChoiceField(
        label=_("法律顾问"), queryset=None, error_messages={**REQUIRED, "invalid_choice": _("请选择律师")}
    )
    quarter = forms.CharField(
        label=_("季度"), max_length=7, error_messages=REQUIRED, help_text=_("如 2026Q4")
    )

    def __init__(self, *args, communities, lawyers, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        self.fields["lawyer"].queryset = lawyers
        self.item_keys = []
        for item in items:
            self.fields[item["key"]] = _scale(f"{item['label']}（权重 {item['weight']}）")
            self.item_keys.append(item["key"])
        self.fields["comment"] = forms.CharField(
            label=_("意见建议（可不填）"),
            max_length=1000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        )


class OutcomeForm(formtools.Form):
    outcome = forms.CharField(
        label=_("处理结果"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REQUIRED,
    )


class ReplyForm(formtools.Form):
    text = forms.CharField(
        label=_("回复"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}), error_messages=REQUIRED
    )


class AdjustForm(formtools.Form):
    points = forms.DecimalField(
        label=_("加减分"),
        max_digits=5,
        decimal_places=2,
        min_value=-20,
        max_value=20,
        error_messages={
            **REQUIRED,
            "invalid": _("加减分须为数字"),
            "min_value": _("加减分须在 -20 到 20 之间"),
            "max_value": _("加减分须在 -20 到 20 之间"),
            "max_decimal_places": _("最多两位小数"),
            "max_digits": _("加减分须在 -20 到 20 之间"),
        },
    )
    reason = forms.CharField(label=_("理由"), max_length=300, error_messages=REQUIRED)


class ReviewForm(formtools.Form):
    comment = forms.CharField(
        label=_("审核意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REQUIRED,
    )


class RespondForm(formtools.Form):
    text = forms.CharField(
        label=_("我的反馈"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=REQUIRED,
    )


class OpenForm(formtools.Form):
    lawyer = forms.ModelChoiceField(
        label=_("律师"), queryset=None, error_messages={**REQUIRED, "invalid_choice": _("请选择律师")}
    )
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        error_messages={**REQUIRED, "invalid": _("请填写年份")},
    )

    def __init__(self, *args, lawyers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lawyer"].queryset = lawyers
