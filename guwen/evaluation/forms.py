"""Forms of evaluation pages. Services check everything again; these give the messages on the field."""

from __future__ import annotations

from django import forms
from django.utils import timezone
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


# --- versioned tables: a new version, copied from the one shown and edited ------------------------

YEAR_ERRORS = {**REQUIRED, "invalid": _("请填写年份")}
WEIGHT_ERRORS = {
    "required": _("请填写权重"),
    "invalid": _("权重必须是整数"),
    "min_value": _("权重须在 0 到 100 之间"),
    "max_value": _("权重须在 0 到 100 之间"),
}
LINE_ERRORS = {
    **REQUIRED,
    "invalid": _("分数线须为数字"),
    "min_value": _("分数线须在 0 到 100 之间"),
    "max_value": _("分数线须在 0 到 100 之间"),
    "max_decimal_places": _("最多两位小数"),
    "max_digits": _("分数线须在 0 到 100 之间"),
}


class TableVersionForm(formtools.Form):
    """What every new version names: whose it is, the year it applies to, and why it changed."""

    district = forms.ModelChoiceField(
        label=_("适用范围"), queryset=None, error_messages={**REQUIRED, "invalid_choice": _("请选择本区")}
    )
    year = forms.IntegerField(label=_("适用年度"), error_messages=YEAR_ERRORS)
    note = forms.CharField(
        label=_("修订说明"),
        max_length=200,
        error_messages={**REQUIRED, "max_length": _("修订说明最多 200 个字")},
        help_text=_("写明改了什么、为什么改，记入操作日志"),
    )

    def __init__(self, *args, districts, city: bool, **kwargs):
        super().__init__(*args, **kwargs)
        # The years a version may be made for: last year (still being appraised), this and next.
        this_year = timezone.localdate().year
        span = _("适用年度须在 %(a)d 到 %(b)d 年之间") % {"a": this_year - 1, "b": this_year + 1}
        self.fields["year"] = forms.IntegerField(
            label=_("适用年度"),
            min_value=this_year - 1,
            max_value=this_year + 1,
            error_messages={**YEAR_ERRORS, "min_value": span, "max_value": span},
        )
        field = self.fields["district"]
        field.queryset = districts
        field.required = not city
        field.empty_label = _("全市默认") if city else None


class QuestionnaireVersionForm(TableVersionForm):
    title = forms.CharField(
        label=_("问卷标题"),
        max_length=100,
        error_messages={**REQUIRED, "max_length": _("问卷标题最多 100 个字")},
    )
    questions = forms.CharField(
        label=_("题目（每行一题，居民逐题评 1–5 分）"),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages=REQUIRED,
    )

    def __init__(self, *args, districts, city: bool, **kwargs):
        super().__init__(*args, districts=districts, city=city, **kwargs)
        self.order_fields(["title", "questions", "district", "year", "note"])

    def clean_questions(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]
        if not lines:
            raise forms.ValidationError(_("请至少设置一个题目"))
        if len(lines) > 20:
            raise forms.ValidationError(_("题目最多 20 个，现为 %(n)d 个") % {"n": len(lines)})
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError(_("每个题目最多 200 个字"))
        if len(set(lines)) != len(lines):
            raise forms.ValidationError(_("题目不能重复"))
        return lines


class EvaluationFormVersionForm(TableVersionForm):
    """The items as rows of name and weight; a row left empty is dropped, weights add up to 100."""

    def __init__(self, *args, items: list[dict], spare: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        self.row_count = min(len(items) + spare, 15)
        for i in range(self.row_count):
            item = items[i] if i < len(items) else {}
            self.fields[f"key_{i}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, max_length=30, initial=item.get("key", "")
            )
            self.fields[f"label_{i}"] = forms.CharField(
                label=_("项目 %(n)d") % {"n": i + 1},
                required=False,
                max_length=30,
                initial=item.get("label", ""),
                error_messages={"max_length": _("项目名称最多 30 个字")},
            )
            self.fields[f"weight_{i}"] = forms.IntegerField(
                label=_("权重"),
                required=False,
                min_value=0,
                max_value=100,
                initial=item.get("weight"),
                error_messages=WEIGHT_ERRORS,
            )

    def rows(self):
        return [(self[f"label_{i}"], self[f"weight_{i}"], self[f"key_{i}"]) for i in range(self.row_count)]

    def clean(self):
        data = super().clean()
        items, total = [], 0
        for i in range(self.row_count):
            label = (data.get(f"label_{i}") or "").strip()
            weight = data.get(f"weight_{i}")
            if f"weight_{i}" in self.errors or f"label_{i}" in self.errors:
                continue
            if not label and weight in (None, 0):
                continue
            if not label:
                self.add_error(f"label_{i}", _("请填写项目名称，或清空这一行的权重"))
                continue
            if not weight:
                self.add_error(f"weight_{i}", _("权重须大于 0；不要这一项请清空名称"))
                continue
            items.append({"key": (data.get(f"key_{i}") or "").strip(), "label": label, "weight": weight})
            total += weight
        if not self.errors:
            if not items:
                raise forms.ValidationError(_("请至少设置一个评价项目"))
            if total != 100:
                raise forms.ValidationError(_("各项权重合计必须为 100，现为 %(total)d") % {"total": total})
        taken = {item["key"] for item in items if item["key"]}
        serial = 1
        for item in items:  # a new row gets the next free code; a copied row keeps its own
            if not item["key"]:
                while f"item{serial}" in taken:
                    serial += 1
                item["key"] = f"item{serial}"
                taken.add(item["key"])
        data["items"] = items
        return data


def _grade_line(label) -> forms.DecimalField:
    """A grade's lower line, a score out of 100 to the cent."""
    return forms.DecimalField(
        label=label, min_value=0, max_value=100, max_digits=5, decimal_places=2, error_messages=LINE_ERRORS
    )


class SchemeVersionForm(TableVersionForm):
    """One weight per indicator (0 leaves it out) and the three grade lines."""

    excellent_from = _grade_line(_("优秀线（≥）"))
    qualified_from = _grade_line(_("合格线（≥）"))
    basic_from = _grade_line(_("基本合格线（≥）"))

    def __init__(self, *args, indicators: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.weight_keys = list(indicators)
        for key, label in indicators.items():
            self.fields[f"w_{key}"] = forms.IntegerField(
                label=label, min_value=0, max_value=100, error_messages=WEIGHT_ERRORS
            )
        # The weights first, then the grade lines, then scope, year and note.
        order = [f"w_{k}" for k in self.weight_keys] + ["excellent_from", "qualified_from", "basic_from"]
        self.order_fields([*order, "district", "year", "note"])

    def weight_fields(self):
        return [self[f"w_{k}"] for k in self.weight_keys]

    def clean(self):
        data = super().clean()
        weights = {k: data[f"w_{k}"] for k in self.weight_keys if data.get(f"w_{k}") is not None}
        if len(weights) == len(self.weight_keys):
            total = sum(weights.values())
            if total != 100:
                raise forms.ValidationError(_("各项权重合计必须为 100，现为 %(total)d") % {"total": total})
        lines = [data.get(n) for n in ("excellent_from", "qualified_from", "basic_from")]
        if None not in lines and not (lines[0] > lines[1] > lines[2]):
            self.add_error("excellent_from", _("等次分数线须满足 100 ≥ 优秀 > 合格 > 基本合格 ≥ 0"))
        data["weights"] = weights
        return data
