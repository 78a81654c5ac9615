"""The district versions its questionnaire, evaluation form and appraisal scheme here (a new row
per version: the version in force for a year is the latest); the form refuses weights that do not
add up to 100. Evaluations and appraisals are written by the services, so the admin only shows them."""

from django.contrib import admin
from django.core.exceptions import ValidationError

from guwen.core import formtools
from guwen.core.errors import DomainError
from guwen.evaluation import rules, selectors
from guwen.evaluation.models import (
    Appraisal,
    AppraisalScheme,
    CommunityEvaluation,
    EvaluationForm,
    Questionnaire,
)


class EvaluationFormForm(formtools.ModelForm):
    class Meta:
        model = EvaluationForm
        fields = ["district", "year", "version", "items"]

    def clean_items(self):
        items = self.cleaned_data["items"]
        if not isinstance(items, list) or not all(
            isinstance(i, dict) and i.get("key") and i.get("label") for i in items
        ):
            raise ValidationError("评价项目应为列表，每项含 key、label、weight")
        try:
            rules.check_weights({i["key"]: i.get("weight") for i in items})
        except DomainError as exc:
            raise ValidationError(str(exc)) from None
        return items


class SchemeForm(formtools.ModelForm):
    class Meta:
        model = AppraisalScheme
        fields = ["district", "year", "version", "weights", "excellent_from", "qualified_from", "basic_from"]

    def clean(self):
        data = super().clean()
        try:
            if isinstance(data.get("weights"), dict):
                rules.check_weights(data["weights"], known=set(rules.INDICATORS))
            else:
                raise DomainError("指标权重应为“指标: 权重”的字典")
            if None not in (data.get("excellent_from"), data.get("qualified_from"), data.get("basic_from")):
                rules.check_thresholds(data["excellent_from"], data["qualified_from"], data["basic_from"])
        except DomainError as exc:
            raise ValidationError(str(exc)) from None
        return data


class VersionAdmin(admin.ModelAdmin):
    """A version that records refer to is never edited nor deleted: a change is a new version
    (the district makes one on /evaluation/tables/)."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and selectors.table_in_use(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and selectors.table_in_use(obj))


@admin.register(EvaluationForm)
class EvaluationFormAdmin(VersionAdmin):
    form = EvaluationFormForm
    list_display = ["district", "year", "version", "created_at"]
    list_filter = ["district", "year"]
    raw_id_fields = ["district"]


@admin.register(AppraisalScheme)
class AppraisalSchemeAdmin(VersionAdmin):
    form = SchemeForm
    list_display = ["district", "year", "version", "excellent_from", "qualified_from", "basic_from"]
    list_filter = ["district", "year"]
    raw_id_fields = ["district"]


@admin.register(Questionnaire)
class QuestionnaireAdmin(VersionAdmin):
    list_display = ["title", "district", "year", "version"]
    list_filter = ["district", "year"]
    raw_id_fields = ["district"]


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CommunityEvaluation)
class CommunityEvaluationAdmin(ReadOnly):
    list_display = ["community", "lawyer", "year", "quarter", "total", "created_at"]
    list_filter = ["year", "quarter"]


@admin.register(Appraisal)
class AppraisalAdmin(ReadOnly):
    list_display = ["lawyer", "year", "status", "score", "grade"]
    list_filter = ["year", "status"]
