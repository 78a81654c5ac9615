"""A year of people's mediation for the Nanwan demo, on top of guwen/demo/nanwan.py: screening
leads in every community (a few group disputes and red leads, already alerted), and cases in every
state, of all four grades, with each outcome (written and oral agreements, termination), callbacks,
court-confirmation applications, complete files on the closed ones, and some past their limit.
Parties, places and stories are invented. Re-runnable: a second run adds nothing.

Cases go through the services with past dates, as the advisor and the office would have recorded
them. Leads are written directly with their alert time, so back-filling a year alerts nobody.
"""

from __future__ import annotations

import io
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from PIL import Image

from guwen.accounts.models import User
from guwen.mediation import reference, services
from guwen.mediation.models import (
    DisputeLead,
    DisputeType,
    FileItemKind,
    LeadStatus,
    MediationCase,
    OutcomeKind,
)
from guwen.mediation.services.leads import warning_reasons
from guwen.regions.models import Region
from guwen.regions.selectors import primary_assignment

STREET = "440307012000"
CASES_PER_COMMUNITY = 3

# (type code, title, summary, amount, people affected, applicant, respondent)
STORIES = [
    (
        "neighbour",
        "楼上漏水纠纷",
        "楼上卫生间漏水致楼下天花板受损，双方就维修费用协商不成。",
        "3000",
        2,
        "王建国",
        "李春华",
    ),
    (
        "wage",
        "工地拖欠工资纠纷",
        "某工地班组12名工人反映被拖欠三个月工资。",
        "180000",
        12,
        "刘志强",
        "深圳某建筑劳务有限公司",
    ),
    ("family", "赡养纠纷", "三名子女就老人赡养费分担产生争议。", "", 4, "陈玉兰", "陈国平"),
    (
        "traffic",
        "电动车碰撞纠纷",
        "电动车与行人相撞，就医疗费、误工费赔偿发生争议。",
        "26000",
        2,
        "黄小燕",
        "周明",
    ),
    ("tenancy", "租房押金纠纷", "租客退租后房东以墙面损坏为由拒退押金。", "4500", 2, "吴丽", "郑海"),
    (
        "property",
        "物业费纠纷",
        "业主以电梯长期故障为由拒交物业费。",
        "12000",
        3,
        "某物业服务有限公司",
        "孙伟",
    ),
    (
        "medical",
        "医患纠纷",
        "患者家属认为社康中心用药不当致病情加重。",
        "120000",
        3,
        "何丽娟",
        "某社区健康服务中心",
    ),
    (
        "demolition",
        "城市更新补偿纠纷",
        "城市更新项目中多户居民对补偿方案有异议。",
        "2600000",
        35,
        "林振华",
        "某城市更新项目公司",
    ),
    (
        "labour",
        "工伤待遇纠纷",
        "员工工伤后与公司就停工留薪期工资发生争议。",
        "60000",
        2,
        "杨帆",
        "深圳某电子有限公司",
    ),
    (
        "consumer",
        "装修质量纠纷",
        "装修完工后墙面开裂，业主要求返工并赔偿。",
        "30000",
        2,
        "徐静",
        "某装饰工程有限公司",
    ),
]
ORGANISATION_MARKERS = ("公司", "中心")

# Where each case stops, in the order they are handed out: every state, each outcome, some late.
STOPS = [
    "closed_written",
    "registered",
    "mediating_overdue",
    "closed_oral",
    "refused",
    "agreed",
    "closed_terminated",
    "investigating",
    "performing",
    "callback_done",
    "terminated",
    "accepted_overdue",
    "closed_written",
    "accepted",
]


def _png() -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (8, 10), (245, 245, 240)).save(out, format="PNG")
    out.seek(0)
    out.name = "scan.png"
    return out


def _party(case, by, role: str, name: str, serial: int) -> None:
    from guwen.core.validators import credit_code_check_char, id_number_check_char, org_code_check_char

    if any(marker in name for marker in ORGANISATION_MARKERS):
        body = f"MB{serial:06d}"
        first17 = "91440307" + body + org_code_check_char(body)
        services.party_add(
            case=case,
            by=by,
            role=role,
            kind="organisation",
            name=name,
            credit_code=first17 + credit_code_check_char(first17),
            representative="（演示）法定代表人",
        )
        return
    first17 = f"44030719{70 + serial % 30:02d}0{1 + serial % 9}1{serial % 10}{serial % 1000:03d}"
    services.party_add(
        case=case,
        by=by,
        role=role,
        kind="person",
        name=name,
        sex="male" if serial % 2 else "female",
        ethnicity="汉族",
        age=30 + serial % 40,
        occupation="（演示）",
        id_number=first17 + id_number_check_char(first17),
        phone=f"1990000{serial % 10000:04d}",
        address="深圳市龙岗区南湾街道（演示地址）",
    )


def _leads(community: Region, index: int, owner: User | None, today) -> list[DisputeLead]:
    types = {t.code: t for t in DisputeType.objects.all()}
    rows = []
    for k in range(4):
        n = index * 4 + k
        code, _title, summary, amount, people, applicant, respondent = STORIES[n % len(STORIES)]
        risk = ["blue", "yellow", "orange", "red"][n % 4] if n % 5 else "blue"
        found = today - timedelta(days=(n * 23) % 360)
        lead = DisputeLead(
            community=community,
            dispute_type=types[code],
            found_on=found,
            place=f"{community.name}（演示地点 {k + 1}）",
            parties=f"{applicant}与{respondent}",
            summary=summary,
            people_affected=people,
            amount=Decimal(amount) if amount else None,
            risk_level=risk,
            owner=owner,
            created_by=owner,
            status=[LeadStatus.WATCHING, LeadStatus.RESOLVED, LeadStatus.HANDED_OVER, LeadStatus.WATCHING][k],
            is_demo=True,
        )
        if lead.status == LeadStatus.HANDED_OVER:
            lead.handed_to = "南湾派出所" if n % 2 else "区劳动监察大队"
        if warning_reasons(lead):
            lead.warned_at = timezone.now() - timedelta(days=(n * 23) % 360)
        lead.save()
        rows.append(lead)
    return rows


def _case(community, lawyer_user, office, stop: str, serial: int, today, lead=None):
    code, title, summary, amount, people, applicant, respondent = STORIES[serial % len(STORIES)]
    late = stop.endswith("_overdue") or stop.startswith("closed") or stop in ("performing", "callback_done")
    offset = 40 + (serial * 11) % 300 if late else 2 + serial % 20
    if stop in ("agreed", "terminated"):
        offset = 28
    intake_on = today - timedelta(days=offset)
    data = {
        "dispute_type": DisputeType.objects.get(code=code),
        "title": title,
        "summary": summary,
        "amount": Decimal(amount) if amount else None,
        "people_affected": people,
        "intake_on": intake_on,
        "is_demo": True,
    }
    if lead is not None:
        case = services.dispute_lead_escalate(lead=lead, by=lawyer_user, **data)
    else:
        source = ["application", "initiative", "police", "court", "government"][serial % 5]
        case = services.case_intake(community=community, by=lawyer_user, source=source, **data)
    _party(case, lawyer_user, "applicant", applicant, serial * 2)
    _party(case, lawyer_user, "respondent", respondent, serial * 2 + 1)
    if stop == "registered":
        return case
    if stop == "refused":
        services.case_refuse(case=case, by=lawyer_user, reason="被申请人明确表示不同意调解")
        return case
    services.case_accept(case=case, by=lawyer_user)
    services.mediators_assign(case=case, by=office, users=[lawyer_user], primary=lawyer_user)
    day = lambda n: min(intake_on + timedelta(days=n), today)  # noqa: E731 - a date n days into the case
    if stop.startswith("accepted"):
        return case
    services.investigation_record(
        case=case,
        by=lawyer_user,
        held_on=day(1),
        place="当事人住所",
        subject=applicant,
        content="了解纠纷经过，查看现场并拍照留存。",
        evidence="现场照片、聊天记录截图",
    )
    if stop == "investigating":
        return case
    mediator = str(lawyer_user)
    services.session_record(
        case=case,
        by=lawyer_user,
        held_on=day(3),
        place=f"{community.name}党群服务中心调解室",
        mediators=mediator,
        attendees=f"{applicant}、{respondent}",
        record="双方陈述事实和诉求，调解员释明相关法律规定，双方就赔偿数额进行协商。",
    )
    if stop.startswith("mediating"):
        return case
    if "terminated" in stop:
        services.outcome_terminate(
            case=case,
            by=lawyer_user,
            decided_on=day(8),
            reason="双方对赔偿数额分歧较大，经多次调解未能达成协议",
            routes_told="已告知当事人可申请仲裁或向人民法院提起诉讼",
        )
    else:
        kind = OutcomeKind.ORAL if "oral" in stop else OutcomeKind.WRITTEN
        services.outcome_agree(
            case=case,
            by=lawyer_user,
            kind=kind,
            decided_on=day(8),
            facts="经查，纠纷事实清楚，被申请人应承担主要责任。",
            terms=f"{respondent}向{applicant}支付补偿款，双方就此纠纷再无其他争议。",
            performance_method="银行转账" if kind == OutcomeKind.WRITTEN else "",
            performance_deadline=day(18) if kind == OutcomeKind.WRITTEN else None,
        )
        if kind == OutcomeKind.WRITTEN and serial % 3 == 0:
            services.confirmation_record(
                case=case, by=lawyer_user, applied_on=day(12), note="已向龙岗区人民法院申请司法确认"
            )
    if stop in ("agreed", "terminated"):
        return case
    if "terminated" not in stop and "oral" not in stop:
        services.performance_record(
            case=case, by=lawyer_user, checked_on=day(18), item="支付补偿款", due_on=day(18), done=True
        )
    if stop == "performing":
        return case
    if "terminated" not in stop:
        services.callback_record(
            case=case,
            by=lawyer_user,
            called_on=day(25),
            method=["phone", "visit"][serial % 2],
            interviewee=applicant,
            performed="yes" if "oral" not in stop else "na",
            satisfaction=["satisfied", "basic"][serial % 2],
            remaining_risk="" if serial % 4 else "双方关系仍较紧张，持续关注",
        )
    if stop == "callback_done":
        return case
    services.grade_confirm(case=case, by=office, grade=case.grade_suggested, reason="按定级规则确认")
    for kind in FileItemKind.objects.filter(required=True):
        services.file_item_upload(case=case, by=lawyer_user, kind=kind, upload=_png())
    services.case_close(case=case, by=office)
    # Filed two days after the callback, as it would have been then (the subsidy pays by this day).
    filed = timezone.make_aware(datetime.combine(day(27), time(16, 30)))
    MediationCase.objects.filter(pk=case.pk).update(closed_at=min(filed, timezone.now()))
    return case


def load(*, stdout=None) -> None:
    say = stdout.write if stdout else (lambda _msg: None)
    reference.ensure()
    if MediationCase.objects.filter(is_demo=True).exists():
        say("人民调解：已有演示数据，未重复载入")
        return
    office = User.objects.get(username="office")
    today = timezone.localdate()
    communities = list(Region.objects.filter(parent__code=STREET).order_by("code"))
    serial = 0
    with transaction.atomic():
        for index, community in enumerate(communities):
            # The committee's address and phone, which the notices print in their footer (invented).
            services.committee_update(
                community=community,
                by=office,
                address=f"深圳市龙岗区南湾街道{community.name}党群服务中心（演示地址）",
                phone=f"0755-2870{index:04d}",
            )
            assignment = primary_assignment(community=community)
            lawyer_user = assignment.lawyer.user if assignment and assignment.lawyer.user_id else None
            if lawyer_user is None:
                continue
            leads = _leads(community, index, lawyer_user, today)
            watching = [lead for lead in leads if lead.status == LeadStatus.WATCHING]
            for k in range(CASES_PER_COMMUNITY):
                stop = STOPS[serial % len(STOPS)]
                lead = watching.pop() if (k == 0 and watching) else None
                _case(community, lawyer_user, office, stop, serial, today, lead=lead)
                serial += 1
    say(f"人民调解：{serial} 件案件，{DisputeLead.objects.filter(is_demo=True).count()} 条排查线索")
