from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guwen.core import formtools
from guwen.core.formtools import DateInput
from guwen.reports.imports import IMPORTABLE
from guwen.reports.ledgers import kind_choices
from guwen.reports.models import Delivery, Frequency

DATE_ERRORS = {"invalid": _("请输入正确的日期")}


class LedgerForm(formtools.Form):
    """A ledger of a region in the user's scope over a period (a month by default)."""

    region = forms.ChoiceField(label=_("范围"))
    kind = forms.ChoiceField(label=_("台账"))
    start = forms.DateField(label=_("开始日期"), widget=DateInput(), error_messages=DATE_ERRORS)
    end = forms.DateField(label=_("结束日期"), widget=DateInput(), error_messages=DATE_ERRORS)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        self.fields["region"].choices = [(r.code, f"{r.get_level_display()} · {r.name}") for r in regions]
        self.fields["kind"].choices = kind_choices()
        today = timezone.localdate()
        self.fields["start"].initial = today.replace(day=1)
        self.fields["end"].initial = today

    def clean_region(self):
        return self.regions[self.cleaned_data["region"]]


class ImportForm(formtools.Form):
    """A historical ledger to check (dry run) or import."""

    kind = forms.ChoiceField(label=_("台账"))
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        error_messages={"required": _("请选择要导入的文件"), "empty": _("文件是空的")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, t) for k, t in kind_choices() if k in IMPORTABLE]


class SubscriptionForm(formtools.Form):
    region = forms.ChoiceField(label=_("范围"))
    frequency = forms.ChoiceField(label=_("频率"), choices=Frequency.choices)
    delivery = forms.ChoiceField(label=_("方式"), choices=Delivery.choices)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        self.fields["region"].choices = [(r.code, f"{r.get_level_display()} · {r.name}") for r in regions]

    def clean_region(self):
        return self.regions[self.cleaned_data["region"]]
