"""The documents of one case: which of the twelve 卷宗 forms it has now, and each form's context
built from the case's records, holding exactly the variables ``guwen.mediation.documents``
declares for its kind.

Reads only (no audit here: the download service records each download). Personal numbers go in
masked, as on the case page (``id_masked``, masked phone): the forms are printed and signed on
paper, where a party writes what the office needs in full, so producing a document never reads
an encrypted number.

A record kind (调查记录, 调解记录, 回访记录) gives one document per record, numbered in date order:
``session-1``, ``session-2``. The other kinds give at most one, named after the kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from guwen.mediation import documents as kinds
from guwen.mediation.models import (
    CaseStatus,
    Committee,
    MediationCase,
    OutcomeKind,
    Party,
    PartyKind,
    PartyRole,
    Performed,
    Source,
)

# The kinds of which a case has one document per record, and the related name of those records.
PER_RECORD = {"investigation": "investigations", "session": "sessions", "callback": "callbacks"}
# 结案报告表, 封面, 封底: once the case is closed or may be closed now.
CLOSING = (CaseStatus.CALLBACK_DONE, CaseStatus.TERMINATED, CaseStatus.CLOSED)
NOT_ACCEPTED = (CaseStatus.REGISTERED, CaseStatus.REFUSED)
SEE_FACTS = "见纠纷主要事实"
_NUMERALS = "零一二三四五六七八九十"
_NUMBERING = re.compile(r"^\s*(?:[（(]?\d+[）)．.、]|[一二三四五六七八九十]+[、．.])\s*")


@dataclass(frozen=True)
class CaseDocument:
    """One document a case has: ``name`` in its URL, the registered kind, a title for people."""

    name: str  # "agreement", "session-2"
    kind: str  # "agreement", "session" (the key in guwen.mediation.documents.KINDS)
    title: str
    record: Any = None  # the Investigation, Session or Callback of a per-record kind

    @property
    def key(self) -> str:
        return f"mediation.{self.kind}"


def cn_date(value: date | None) -> str:
    """2026年12月3日 (the official way; no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def cn_count(n: int) -> str:
    """三 for 3 (the number of copies on a form), digits past ten."""
    return _NUMERALS[n] if 0 <= n <= 10 else str(n)


def _amount(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}元" if value == value.to_integral_value() else f"{value:,.2f}元"


def _lines(text: str) -> list[str]:
    """A text field as list items: one per line, numbering the user typed ("1." "（2）" "三、") off."""
    rows = [_NUMBERING.sub("", line).strip() for line in (text or "").splitlines()]
    return [row for row in rows if row]


def _name(user) -> str:
    return str(user) if user is not None else ""


def _outcome(case: MediationCase):
    return getattr(case, "outcome", None) if hasattr(case, "outcome") else None


def _records(case: MediationCase, kind: str) -> list:
    rows = getattr(case, PER_RECORD[kind]).all()
    if kind == "callback":
        rows = rows.select_related("caller")
    elif kind in ("investigation", "session"):
        rows = rows.select_related("recorded_by")
    return list(rows.order_by(f"{'called_on' if kind == 'callback' else 'held_on'}", "id"))


def documents_available(case: MediationCase) -> list[CaseDocument]:
    """The documents ``case`` has in its present state, in the order the 卷宗 is bound."""
    outcome = _outcome(case)
    outcome_kind = outcome.kind if outcome else None
    single = {
        "cover": case.status in CLOSING,
        "application": case.source == Source.APPLICATION,
        "registration": True,
        "rights_notice": case.status not in NOT_ACCEPTED,
        "agreement": outcome_kind == OutcomeKind.WRITTEN,
        "oral_agreement": outcome_kind == OutcomeKind.ORAL,
        "termination": outcome_kind == OutcomeKind.TERMINATED,
        "closing_report": case.status in CLOSING,
        "back_cover": case.status in CLOSING,
    }
    found: list[CaseDocument] = []
    for kind, (title, _file, _variables) in kinds.KINDS.items():
        if kind in PER_RECORD:
            records = _records(case, kind)
            for number, record in enumerate(records, 1):
                when = record.called_on if kind == "callback" else record.held_on
                label = (
                    f"{title}（{cn_date(when)}）"
                    if len(records) == 1
                    else f"{title}（{number}，{cn_date(when)}）"
                )
                found.append(CaseDocument(f"{kind}-{number}", kind, label, record))
        elif single[kind]:
            found.append(CaseDocument(kind, kind, title))
    return found


def object_key(case: MediationCase, doc: CaseDocument) -> str:
    """The key the document cache files this document under (one folder per case and document)."""
    return f"case-{case.pk}-{doc.name}"


def find_document(case: MediationCase, name: str) -> CaseDocument | None:
    """The available document called ``name``, or None (unknown, or not available now)."""
    return next((doc for doc in documents_available(case) if doc.name == name), None)


# --- the variables ------------------------------------------------------------------------------


def _party(party: Party) -> dict[str, str]:
    person = party.kind == PartyKind.PERSON
    agent = f"{party.agent_name}（{party.agent_authorisation}）" if party.agent_name else ""
    return {
        "role": party.get_role_display(),
        "name": party.name,
        "sex": party.get_sex_display() if person and party.sex else "",
        "ethnicity": party.ethnicity if person else "",
        "age": str(party.age) if person and party.age is not None else "",
        # The forms' note: for an organisation the 职业或职务 column holds its representative.
        "occupation": party.occupation or ("" if person else party.representative),
        "phone": party.phone_masked,
        "address": party.address,
        "id_masked": party.id_number_masked if person else party.credit_code,
        "representative": "" if person else party.representative,
        "agent": agent,
    }


def _mediator_names(case: MediationCase) -> list[str]:
    return [str(m.user) for m in case.mediators.select_related("user").order_by("-is_primary", "id")]


def _primary(case: MediationCase) -> str:
    names = _mediator_names(case)
    return names[0] if names else ""


def _closed_on(case: MediationCase) -> date | None:
    return timezone.localdate(case.closed_at) if case.closed_at and case.status == CaseStatus.CLOSED else None


def committee_of(case: MediationCase) -> dict[str, str]:
    """The committee as its documents print it: name, address, phone."""
    return _committee(case)


def _committee(case: MediationCase) -> dict[str, str]:
    # Address and phone as the community's staff or office keep them (blank until they do).
    row = Committee.objects.filter(community=case.community).first()
    return {
        "name": f"{case.community.name}人民调解委员会",
        "address": row.address if row else "",
        "phone": row.phone if row else "",
    }


def _case(case: MediationCase, parties: list[Party]) -> dict[str, str]:
    def side(role: str) -> str:
        return "、".join(p.name for p in parties if p.role == role)

    names = "与".join(filter(None, (side(PartyRole.APPLICANT), side(PartyRole.RESPONDENT))))
    # The 卷名 names the parties (张某某与李某某邻里漏水纠纷): prefixed when the title does not.
    named = not parties or any(p.name in case.title for p in parties)
    return {
        "number": case.number,
        "title": case.title if named else f"{names}{case.title}",
        "type": case.dispute_type.name,
        "source": case.get_source_display(),
        "summary": case.summary,
        "parties_names": names,
        "amount": _amount(case.amount),
        "accepted_on": cn_date(case.intake_on),
        "closed_on": cn_date(_closed_on(case)),
    }


def _outcome_text(outcome) -> str:
    if outcome is None:
        return ""
    if outcome.kind == OutcomeKind.WRITTEN:
        return "达成书面协议（人民调解协议书）"
    if outcome.kind == OutcomeKind.ORAL:
        return "达成口头协议（人民调解口头协议登记表）"
    return f"调解终止（{outcome.termination_reason}）"


def _performance_text(case: MediationCase, outcome) -> str:
    if outcome is None:
        return ""
    if outcome.kind == OutcomeKind.TERMINATED:
        return "调解终止，无需履行"
    last = case.callbacks.order_by("-called_on", "-id").first()
    checks = list(case.performances.order_by("checked_on", "id"))
    parts = [
        f"{c.item}：{'已履行' if c.done else '未履行'}{'（' + c.note + '）' if c.note else ''}"
        for c in checks
    ]
    if last is not None:
        parts.append(f"{cn_date(last.called_on)}回访：{last.get_performed_display()}")
    return "；".join(parts) or "尚无履行记录"


def _deadline(value: date | None) -> str:
    return f"{cn_date(value)}前" if value else ""


def _routes(text: str) -> list[str]:
    text = re.sub(r"^已?告知(当事人|双方)?(可以|可)?", "", (text or "").strip())
    rows = [_NUMBERING.sub("", row).strip() for row in re.split(r"[\n；;]+", text)]
    return [row for row in rows if row]


def _file(case: MediationCase, outcome, sessions) -> dict[str, str]:
    closed_on = _closed_on(case)
    notes = [_outcome_text(outcome)] if outcome else []
    last = case.callbacks.order_by("-called_on", "-id").first()
    if last is not None:
        notes.append(
            f"{cn_date(last.called_on)}回访，{last.get_performed_display()}，当事人{last.get_satisfaction_display()}"
        )
    return {
        "mediators": "、".join(_mediator_names(case)),
        "mediated_from": cn_date(sessions[0].held_on if sessions else case.intake_on),
        "mediated_to": cn_date(
            outcome.decided_on if outcome else (sessions[-1].held_on if sessions else None)
        ),
        "filed_by": _name(case.closed_by) if closed_on else "",
        "filed_on": cn_date(closed_on),
        "retention": case.retention,
        "notes": "。".join(notes) + ("。" if notes else ""),
        "item_count": str(case.file_items.count()),
        # Pages are counted when the paper file is bound: left blank to write in.
        "page_count": "",
        "checked_by": "",
    }


def _entries(text: str, speaker: str) -> list[dict[str, str]]:
    """A record's lines as entries: a line "调解员：……" keeps its speaker, any other line is
    ``speaker``'s (调查情况, 调解情况)."""
    entries = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        head, sep, rest = line.partition("：")
        if sep and 0 < len(head) <= 12 and rest.strip():
            entries.append({"speaker": head, "text": rest.strip()})
        else:
            entries.append({"speaker": speaker, "text": line})
    return entries


def _own(case: MediationCase, doc: CaseDocument, parties: list[Party], outcome, sessions) -> dict[str, Any]:
    kind, record = doc.kind, doc.record
    copies = cn_count(len(parties) + 1)
    if kind == "application":
        return {"application": {"requests": _lines(case.requests), "applied_on": cn_date(case.intake_on)}}
    if kind == "registration":
        return {
            "registration": {"registrar": _name(case.created_by), "registered_on": cn_date(case.intake_on)}
        }
    if kind == "rights_notice":
        return {"notice": {"notified_on": cn_date(case.intake_on)}}
    if kind == "investigation":
        entries = _entries(record.content, "调查情况")
        if record.evidence:
            entries.append({"speaker": "证据材料", "text": record.evidence})
        return {
            "investigation": {
                "time": cn_date(record.held_on),
                "place": record.place,
                "investigators": "、".join(_mediator_names(case)) or _name(record.recorded_by),
                "recorder": _name(record.recorded_by),
                "interviewee": record.subject,
                "present": "",
                "entries": entries,
            }
        }
    if kind == "session":
        # The last session before the outcome ends with it; an earlier one with more to come.
        result = _outcome_text(outcome) if record == sessions[-1] else "继续调解"
        return {
            "session": {
                "time": cn_date(record.held_on),
                "place": record.place,
                "mediators": record.mediators,
                "recorder": _name(record.recorded_by),
                "parties_present": record.attendees,
                "others_present": "",
                "entries": _entries(record.record, "调解情况"),
                "result": result,
            }
        }
    if kind == "agreement":
        return {
            "agreement": {
                "number": case.number,
                "facts": outcome.facts,
                # The record keeps facts, points in dispute and responsibility in one text (the
                # form's 主要事实、争议事项及责任): it prints as the facts; the points in dispute
                # are the application's requests, else the case summary (which says what the
                # parties could not agree on).
                "dispute_points": "；".join(_lines(case.requests)) or case.summary,
                "responsibility": SEE_FACTS if outcome.facts else "",
                "terms": _lines(outcome.terms),
                "performance_method": outcome.performance_method,
                "performance_place": outcome.performance_place,
                "performance_deadline": _deadline(outcome.performance_deadline),
                "copies": copies,
                "signed_on": cn_date(outcome.decided_on),
            }
        }
    if kind == "oral_agreement":
        return {
            "oral": {
                "reached_on": cn_date(outcome.decided_on),
                "place": sessions[-1].place if sessions else "",
                "facts": outcome.facts or case.summary,
                "terms": _lines(outcome.terms),
                "performance_method": outcome.performance_method,
                "performance_deadline": _deadline(outcome.performance_deadline),
                "registered_on": cn_date(outcome.decided_on),
            }
        }
    if kind == "termination":
        return {
            "termination": {
                "reason": outcome.termination_reason,
                "routes": _routes(outcome.routes_told),
                "terminated_on": cn_date(outcome.decided_on),
                "copies": copies,
            }
        }
    if kind == "callback":
        performance = record.get_performed_display()
        if record.performed != Performed.NA:
            checks = "；".join(f"{c.item}{'已履行' if c.done else '未履行'}" for c in case.performances.all())
            performance = f"{performance}（{checks}）" if checks else performance
        return {
            "callback": {
                "interviewee": record.interviewee,
                "agreement_number": case.number,
                "subject": case.title,
                "visited_on": cn_date(record.called_on),
                "method": record.get_method_display(),
                "performance": performance,
                "satisfaction": record.get_satisfaction_display(),
                "lawsuit": f"已起诉：{record.lawsuit_note}" if record.lawsuit else "未起诉",
                "risk": record.remaining_risk or "无",
                "measures": record.measures or "无",
                "visitor": _name(record.caller),
            }
        }
    if kind == "closing_report":
        return {
            "closing": {
                "filled_on": cn_date(_closed_on(case)),
                "handler": _primary(case),
                "outcome": _outcome_text(outcome),
                "performance": _performance_text(case, outcome),
            }
        }
    return {}


def case_document_context(case: MediationCase, name: str) -> dict[str, Any]:
    """The context of ``case``'s document ``name`` ("agreement", "session-2"): exactly the
    variables its kind declares. Raises ``LookupError`` when the case has no such document now."""
    doc = find_document(case, name)
    if doc is None:
        raise LookupError(name)
    return document_context(case, doc)


def document_context(case: MediationCase, doc: CaseDocument) -> dict[str, Any]:
    parties = list(case.parties.order_by("role", "id"))
    outcome = _outcome(case)
    sessions = list(case.sessions.order_by("held_on", "id"))
    primary = _primary(case)
    recorder = _name(outcome.recorded_by) if outcome is not None and outcome.recorded_by_id else primary
    shared: dict[str, Any] = {
        "committee": _committee(case),
        "case": _case(case, parties),
        "parties": [_party(p) for p in parties],
        "applicants": [_party(p) for p in parties if p.role == PartyRole.APPLICANT],
        "respondents": [_party(p) for p in parties if p.role == PartyRole.RESPONDENT],
        "mediator": {"name": primary},
        "recorder": {"name": recorder},
    }
    if doc.kind in ("cover", "back_cover"):
        shared["file"] = _file(case, outcome, sessions)
    shared.update(_own(case, doc, parties, outcome, sessions))
    variables = kinds.KINDS[doc.kind][2]
    return {name: shared[name] for name in variables}
