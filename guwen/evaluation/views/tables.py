"""The district's tables (区司法局): the satisfaction questionnaire, the quarterly community
evaluation form and the appraisal scheme. Each page shows the version in force for a year; a change
is always a new version, copied from the one shown and edited, so what responses, evaluations and
appraisals refer to never changes under them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_http_methods

from guwen.accounts.scope import is_sysadmin
from guwen.core.formtools import form_status, form_submit
from guwen.evaluation import rules, selectors, services
from guwen.evaluation.forms import EvaluationFormVersionForm, QuestionnaireVersionForm, SchemeVersionForm
from guwen.evaluation.models import AppraisalScheme, EvaluationForm, Questionnaire
from guwen.evaluation.views.common import require_roles

KINDS = {
    "questionnaire": (Questionnaire, _l("满意度问卷")),
    "form": (EvaluationForm, _l("社区季度评价表")),
    "scheme": (AppraisalScheme, _l("考核方案")),
}


def _kind(kind: str):
    if kind not in KINDS:
        raise Http404
    return KINDS[kind]


def _year(request) -> int:
    """``?year=``: last year, this year or next (the years a version may be made for)."""
    this_year = timezone.localdate().year
    text = request.GET.get("year", "")
    return int(text) if text.isdigit() and this_year - 1 <= int(text) <= this_year + 1 else this_year


def _district(request, districts):
    """``?district=<id>`` among the user's districts; the system admin may ask for the city default
    (``?district=city``); otherwise the first district."""
    wanted = request.GET.get("district", "")
    if wanted == "city" and is_sysadmin(request.user):
        return None
    if wanted.isdigit() and (found := districts.filter(pk=int(wanted)).first()):
        return found
    return districts.first()


@login_required
def tables(request):
    """The version of each table in force for a district and year, and every version made."""
    require_roles(request.user, selectors.TABLE_EDITORS)
    districts = selectors.table_districts(request.user)
    district, year = _district(request, districts), _year(request)
    sections = []
    for kind, (model, label) in KINDS.items():
        visible = selectors.tables_visible_to(request.user, model).order_by("-year", "-version")
        versions = list(visible.filter(district=district))
        city = list(visible.filter(district=None)) if district is not None else []
        used = selectors.tables_in_use(model, [v.pk for v in versions + city])
        sections.append(
            {
                "kind": kind,
                "label": label,
                "in_force": selectors.table_in_force(model, district, year),
                "versions": versions,
                "city": city,
                "used": used,
                "count": len(versions) + len(city),
            }
        )
    this_year = timezone.localdate().year
    return render(
        request,
        "evaluation/tables.html",
        {
            "sections": sections,
            "year": year,
            "years": [this_year - 1, this_year, this_year + 1],
            "district": district,
            "districts": districts,
            "city": is_sysadmin(request.user),
        },
    )


@login_required
def table(request, kind: str, pk: int):
    """One version, as it reads; whether records refer to it."""
    require_roles(request.user, selectors.TABLE_EDITORS)
    model, label = _kind(kind)
    row = get_object_or_404(selectors.tables_visible_to(request.user, model), pk=pk)
    return render(
        request,
        "evaluation/table.html",
        {
            "kind": kind,
            "label": label,
            "row": row,
            "used": selectors.table_in_use(row),
            "indicators": [(str(name), row.weights.get(key, 0)) for key, name in rules.INDICATORS.items()]
            if kind == "scheme"
            else None,
            "can_copy": is_sysadmin(request.user) or selectors.table_districts(request.user).exists(),
        },
    )


def _base(request, kind: str, model, district):
    """The version a new one starts from: ``?from=<id>`` if the user may read it, else the one in
    force for the district this year (the built-in defaults if there is none at all)."""
    wanted = request.GET.get("from", "")
    if wanted.isdigit():
        found = selectors.tables_visible_to(request.user, model).filter(pk=int(wanted)).first()
        if found is not None:
            return found
    return selectors.table_in_force(model, district, timezone.localdate().year)


def _question_rows(lines: list[str], base) -> list[dict]:
    """A question copied unchanged keeps its code; a new one gets the next free ``q<n>``."""
    known = {q["text"]: q["key"] for q in (base.questions if base else [])}
    taken = {known[line] for line in lines if line in known}
    rows, serial = [], 1
    for line in lines:
        key = known.get(line)
        if key is None:
            while f"q{serial}" in taken:
                serial += 1
            key = f"q{serial}"
            taken.add(key)
        rows.append({"key": key, "text": line})
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def table_create(request, kind: str):
    """A new version: the form starts as a copy of the base version; saving never touches it."""
    require_roles(request.user, selectors.TABLE_EDITORS)
    model, label = _kind(kind)
    districts = selectors.table_districts(request.user)
    city = is_sysadmin(request.user)
    if not districts.exists() and not city:
        raise Http404
    district = _district(request, districts)
    base = _base(request, kind, model, district)
    this_year = timezone.localdate().year
    initial = {
        "district": base.district if base and (base.district in districts) else district,
        "year": this_year,
    }
    common = {"districts": districts, "city": city}
    data = request.POST if request.method == "POST" else None
    if kind == "questionnaire":
        if base is not None:
            initial |= {"title": base.title, "questions": "\n".join(q["text"] for q in base.questions)}
        form = QuestionnaireVersionForm(data, initial=initial, **common)

        def save(d):
            return services.questionnaire_create(
                district=d["district"],
                year=d["year"],
                title=d["title"],
                questions=_question_rows(d["questions"], base),
                note=d["note"],
                by=request.user,
            )

    elif kind == "form":
        form = EvaluationFormVersionForm(
            data, initial=initial, items=base.items if base else rules.DEFAULT_FORM_ITEMS, **common
        )

        def save(d):
            return services.evaluation_form_create(
                district=d["district"], year=d["year"], items=d["items"], note=d["note"], by=request.user
            )

    else:
        weights = base.weights if base else rules.DEFAULT_WEIGHTS
        initial |= {f"w_{key}": weights.get(key, 0) for key in rules.INDICATORS}
        if base is not None:
            initial |= {
                "excellent_from": base.excellent_from,
                "qualified_from": base.qualified_from,
                "basic_from": base.basic_from,
            }
        form = SchemeVersionForm(
            data, initial=initial, indicators={k: str(v) for k, v in rules.INDICATORS.items()}, **common
        )

        def save(d):
            return services.appraisal_scheme_create(
                district=d["district"],
                year=d["year"],
                weights=d["weights"],
                excellent_from=d["excellent_from"],
                qualified_from=d["qualified_from"],
                basic_from=d["basic_from"],
                note=d["note"],
                by=request.user,
            )

    done, row = form_submit(request, form, save)
    if done:
        messages.success(
            request,
            _("已保存%(label)s %(year)d 年第 %(v)d 版，自保存起生效")
            % {"label": label, "year": row.year, "v": row.version},
        )
        return redirect(reverse("evaluation:table", args=[kind, row.pk]))
    return render(
        request,
        "evaluation/table_form.html",
        {"kind": kind, "label": label, "form": form, "base": base},
        status=form_status(form),
    )
