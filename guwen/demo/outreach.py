"""Outreach data for the Nanwan demo, on top of guwen/demo/nanwan.py: a year of lectures and
publicity in every community (held and confirmed), the current quarter with one community behind
on coverage (its lecture is only planned), six enterprises and health checks in every state of
the loop with findings. Re-runnable: a second run adds nothing.

Past activities are written directly (the services use the server's clock and a user's roles);
the checks go through the services so their findings are linked to the knowledge base's articles.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from guwen.core.validators import credit_code_check_char, org_code_check_char
from guwen.outreach import checklist, services
from guwen.outreach.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Channel,
    CheckStatus,
    CoverageRule,
    Enterprise,
    HealthCheck,
)
from guwen.outreach.selectors import checklist_for, quarter_of
from guwen.regions.models import Assignment, Region
from guwen.regions.selectors import assignments_on

STREET = "440307012000"
DISTRICT = "440307000000"
BEHIND = 13  # 南新社区 (the last of the fourteen): behind on lectures this quarter
LECTURES = [
    "《民法典》婚姻家庭编与继承编",
    "防范电信网络诈骗",
    "劳动合同与工资支付",
    "租房合同常见纠纷",
    "未成年人保护与家庭教育促进法",
    "物业管理与业主权利",
    "老年人权益保障与防范养老诈骗",
    "人民调解与矛盾纠纷化解",
]
PUBLICITY = [
    (Channel.GROUP_PUSH, "每月普法微课堂：拖欠工资怎么办"),
    (Channel.BANNER, "宪法宣传周展板"),
    (Channel.CHECKPOINT_TALK, "出租屋消防安全与租赁合同提示"),
    (Channel.PARTY_PAVILION, "党员谈心亭：邻里纠纷的法律边界"),
]
ENTERPRISES = [
    ("深圳市南湾精密五金有限公司", "金属制品制造", 86),
    ("深圳市丹竹头物流有限公司", "道路货物运输", 42),
    ("深圳市沙湾食品配送有限公司", "食品批发", 27),
    ("深圳市樟树布电子科技有限公司", "电子元器件制造", 150),
    ("深圳市李朗智能装备有限公司", "专用设备制造", 63),
    ("深圳市康乐家政服务有限公司", "居民服务", 35),
]
FINDINGS = [
    (
        "labour",
        "部分员工入职超过一个月未签订书面劳动合同",
        "high",
        "《劳动合同法》第八十二条",
        "立即补签劳动合同，核算应付二倍工资",
        "人事行政部",
    ),
    (
        "labour",
        "加班未安排补休也未支付加班费",
        "medium",
        "《劳动法》第四十四条",
        "规范考勤和加班审批，补发加班费",
        "人事行政部",
    ),
    (
        "contracts",
        "采购合同未约定违约责任和争议解决方式",
        "medium",
        "《民法典》第四百七十条",
        "使用经审查的合同范本，补充违约责任和管辖条款",
        "采购部",
    ),
    (
        "fire",
        "仓库疏散通道堆放货物",
        "high",
        "《消防法》第二十八条",
        "立即清理通道，指定专人每日巡查",
        "行政部",
    ),
    (
        "data",
        "收集客户身份证复印件未告知用途",
        "low",
        "《个人信息保护法》第十七条",
        "制定告知书，最小必要收集并限期删除",
        "客服部",
    ),
    ("governance", "公章使用未登记审批", "low", "", "建立用印登记和审批制度", "总经理办公室"),
]


def demo_enterprise_code(index: int) -> str:
    """A well-formed but fictional 统一社会信用代码: 91 (an enterprise under market regulation),
    registered in 440307 (龙岗区)."""
    body = f"MA5D{index:04d}"
    first17 = "91440307" + body + org_code_check_char(body)
    return first17 + credit_code_check_char(first17)


def _advisor(community: Region, day: date):
    current = assignments_on(day).filter(community=community)
    assignment = current.filter(role="primary").first() or current.first()
    if assignment is None:
        assignment = Assignment.objects.filter(community=community, role="primary").order_by("pk").first()
    return assignment.lawyer if assignment else None


def _add(community, kind, day, topic, status, audience, *, channel="", confirmed_at=None) -> Activity:
    activity = Activity.objects.create(
        community=community,
        kind=kind,
        channel=channel,
        date=day,
        topic=topic,
        place=f"{community.name}党群服务中心",
        status=status,
        audience_count=audience,
        summary="讲解典型案例并现场答疑" if status != ActivityStatus.PLANNED else "",
        held_at=timezone.now() if audience is not None else None,
        confirmed_at=confirmed_at,
    )
    lawyer = _advisor(community, day)
    if lawyer is not None:
        activity.advisors.set([lawyer])
    return activity


def _activities(communities: list[Region], today: date) -> int:
    current = quarter_of(today)
    quarters = [current]
    for _n in range(4):
        quarters.append(quarters[-1].previous())
    created = 0
    now = timezone.now()
    for q_index, quarter in enumerate(reversed(quarters)):
        is_current = quarter == current
        for c_index, community in enumerate(communities):
            span = (min(quarter.last_day, today) - quarter.first_day).days
            if span < 0:
                continue
            day = quarter.first_day + timedelta(days=(c_index * 5 + 9) % max(span, 1))
            topic = LECTURES[(q_index + c_index) % len(LECTURES)]
            if is_current and c_index == BEHIND:
                # Behind this quarter: only a lecture planned for the last weeks.
                _add(
                    community,
                    ActivityKind.LECTURE,
                    quarter.last_day - timedelta(days=10),
                    topic,
                    ActivityStatus.PLANNED,
                    None,
                )
            else:
                confirmed = not is_current or c_index % 3 != 0
                _add(
                    community,
                    ActivityKind.LECTURE,
                    day,
                    topic,
                    ActivityStatus.CONFIRMED if confirmed else ActivityStatus.HELD,
                    20 + (c_index * 7 + q_index * 3) % 45,
                    confirmed_at=now if confirmed else None,
                )
            created += 1
            if (c_index + q_index) % 2 == 0:
                channel, title = PUBLICITY[(c_index + q_index) % len(PUBLICITY)]
                pday = quarter.first_day + timedelta(days=(c_index * 3 + 20) % max(span, 1))
                _add(
                    community,
                    ActivityKind.PUBLICITY,
                    pday,
                    title,
                    ActivityStatus.CONFIRMED,
                    60 + c_index * 5,
                    channel=channel,
                    confirmed_at=now,
                )
                created += 1
        if not is_current:
            first = communities[q_index % len(communities)]
            _add(
                first,
                ActivityKind.MEDIATOR_TRAINING,
                quarter.first_day + timedelta(days=40),
                "人民调解员业务培训：调解协议的制作",
                ActivityStatus.CONFIRMED,
                18,
                confirmed_at=now,
            )
            created += 1
    return created


def _checks(communities: list[Region], today: date) -> int:
    states = [
        CheckStatus.CLOSED,
        CheckStatus.CLOSED,
        CheckStatus.FOLLOW_UP,
        CheckStatus.FIXING,
        CheckStatus.REPORTED,
        CheckStatus.CHECKING,
    ]
    created = 0
    for index, (name, industry, staff) in enumerate(ENTERPRISES):
        community = communities[(index * 3) % len(communities)]
        code = demo_enterprise_code(index + 1)
        enterprise = Enterprise.objects.filter(credit_code=code).first() or Enterprise.objects.create(
            name=name,
            credit_code=code,
            industry=industry,
            staff_count=staff,
            contact_name="陈经理",
            contact_phone="0755-2870 0000",
            address=f"深圳市龙岗区南湾街道{community.name}工业路{index + 8}号",
            community=community,
            is_demo=True,
        )
        if HealthCheck.objects.filter(enterprise=enterprise).exists():
            continue
        lawyer = _advisor(community, today)
        if lawyer is None:
            continue
        day = today - timedelta(days=300 - index * 50)
        check = HealthCheck.objects.create(
            enterprise=enterprise,
            community=community,
            date=day,
            scope="主体资格与证照、劳动用工与社会保险、合同管理、消防安全、数据与个人信息保护",
            method="企业自查问卷、负责人及人事财务人员访谈、查阅营业执照、劳动合同、采购合同和消防台账",
        )
        check.advisors.set([lawyer])
        areas = {area.code: area for area in checklist_for(community)}
        user = lawyer.user
        for f_index in range(2 + index % 3):
            code_, issue, risk, basis, advice, owner = FINDINGS[(index + f_index) % len(FINDINGS)]
            services.finding_add(
                health_check=check,
                area=areas[code_],
                issue=issue,
                risk_level=risk,
                legal_basis=basis,
                recommendation=advice,
                owner=owner,
                deadline=day + timedelta(days=30),
                by=user,
            )
        target = states[index]
        steps = [CheckStatus.REPORTED, CheckStatus.FIXING, CheckStatus.FOLLOW_UP, CheckStatus.CLOSED]
        order = [CheckStatus.CHECKING, *steps]
        for step in steps[: order.index(target)]:
            if step == CheckStatus.REPORTED:
                services.health_check_report(health_check=check, by=user)
                HealthCheck.objects.filter(pk=check.pk).update(reported_on=day + timedelta(days=7))
            elif step == CheckStatus.FIXING:
                services.health_check_start_fixing(health_check=check, by=user)
            elif step == CheckStatus.FOLLOW_UP:
                for finding in check.findings.all()[:1]:
                    services.finding_mark_fixed(finding=finding, fixed_on=day + timedelta(days=20), by=user)
                follow = min(day + timedelta(days=60), today)
                services.health_check_schedule_follow_up(health_check=check, follow_up_on=follow, by=user)
            else:
                services.health_check_close(
                    health_check=check,
                    follow_up_result="回访确认：劳动合同已补签，疏散通道已清理，其余事项按期整改中",
                    by=user,
                )
            check.refresh_from_db()
        created += 1
    return created


OPINIONS = [
    (
        "contract_review",
        "民生大盘菜项目采购合同审查",
        "民生大盘菜项目采购合同",
        "请审查付款节点、验收标准和违约条款",
        12,
        3,
    ),
    (
        "rules",
        "居规民约修订草案审查",
        "2026年居规民约修订",
        "请审查草案中关于停车和养犬的条款是否合法",
        40,
        5,
    ),
    (
        "contract_review",
        "工会职工福利采购合同审查",
        "社区工会福利采购合同",
        "请审查合同主体、发票和退换货条款",
        8,
        None,
    ),
    (
        "decision",
        "老旧小区加装电梯议事规则法律意见",
        "加装电梯议事规则",
        "请就业主表决比例和费用分摊出具意见",
        2,
        None,
    ),
]


def _opinions(communities: list[Region], today: date) -> int:
    from guwen.outreach.models import LegalOpinion
    from guwen.outreach.selectors import add_working_days

    created = 0
    for index, (kind, title, related, question, days_ago, taken) in enumerate(OPINIONS):
        if LegalOpinion.objects.filter(title=title).exists():
            continue
        community = communities[index % 2]
        lawyer = _advisor(community, today)
        requested = today - timedelta(days=days_ago)
        delivered = add_working_days(requested, taken) if taken is not None else None
        LegalOpinion.objects.create(
            community=community,
            kind=kind,
            title=title,
            question=question,
            related_to=related,
            advisor=lawyer,
            requested_on=requested,
            due_on=add_working_days(requested, 5),
            status="delivered" if delivered else "requested",
            opinion="经审查，建议补充验收节点和违约责任条款；其余条款合法有效。" if delivered else "",
            delivered_on=delivered,
            working_days_taken=taken,
        )
        created += 1
    return created


def _pairing(communities: list[Region], today: date) -> int:
    """One 结对共建 agreement for the first community's firm, with two joint activities."""
    from guwen.outreach.models import Pairing

    community = communities[0]
    lawyer = _advisor(community, today)
    if lawyer is None or Pairing.objects.filter(community=community).exists():
        return 0
    pairing = Pairing.objects.create(
        firm=lawyer.firm,
        branch=f"{lawyer.firm.name}党支部",
        community=community,
        committee=f"{community.name}党委",
        starts_on=date(today.year, 1, 1),
        ends_on=date(today.year, 12, 31),
        goals="每季度开展一次党员律师进社区活动；共同做好法治宣传和矛盾纠纷排查",
        contacts="律所党支部书记、社区党委副书记",
    )
    for months_ago, topic in ((8, "党员律师进社区：七一法律服务日"), (2, "“宪法宣传周”联合党日活动")):
        day = max(today - timedelta(days=30 * months_ago), pairing.starts_on)
        activity = _add(
            community,
            ActivityKind.PARTY_BUILDING,
            day,
            topic,
            ActivityStatus.CONFIRMED,
            40,
            confirmed_at=timezone.now(),
        )
        Activity.objects.filter(pk=activity.pk).update(pairing=pairing)
    return 1


def _referrals(district: Region, communities: list[Region], today: date) -> int:
    """The district's legal-aid centre and three referrals: accepted, closed and still waiting."""
    from guwen.outreach.models import LegalAidCentre, Referral

    centre, _created = LegalAidCentre.objects.get_or_create(
        district=district, defaults={"name": "龙岗区法律援助处（演示）", "phone": "0755-2890 0000"}
    )
    if Referral.objects.filter(centre=centre).exists():
        return 0
    rows = [
        ("王某", "wages", "被拖欠三个月工资共 1.8 万元，家庭经济困难，已有考勤和转账记录", "accepted", 20),
        ("刘某", "family", "年迈父母请求子女支付赡养费，本人无固定收入", "closed", 90),
        ("陈某", "injury", "工地摔伤后用人单位拒绝申报工伤", "sent", 3),
    ]
    for index, (applicant, category, situation, status, days_ago) in enumerate(rows):
        sent = today - timedelta(days=days_ago)
        community = communities[index]
        lawyer = _advisor(community, today)
        Referral.objects.create(
            community=community,
            centre=centre,
            referred_by=lawyer.user if lawyer else None,
            applicant=applicant,
            category=category,
            hardship=True,
            situation=situation,
            status=status,
            sent_on=sent,
            decided_on=sent + timedelta(days=5) if status != "sent" else None,
            closed_on=sent + timedelta(days=60) if status == "closed" else None,
            note="经调解已支付赡养费" if status == "closed" else "",
        )
    return len(rows)


def _free_entry(community: Region, today: date) -> None:
    """One work-log entry no module records: the advisor sat in on a residents' meeting."""
    from datetime import datetime, time

    from guwen.core.workcalendar import CHINA_TZ
    from guwen.outreach.models import WorkLogEntry

    lawyer = _advisor(community, today)
    if lawyer is None or WorkLogEntry.objects.filter(lawyer=lawyer).exists():
        return
    WorkLogEntry.objects.create(
        lawyer=lawyer,
        community=community,
        at=datetime.combine(today - timedelta(days=6), time(19, 30), tzinfo=CHINA_TZ),
        place="社区议事厅",
        person="社区两委及居民代表",
        content="列席居民议事会，解答小区公共收益分配和物业费调整的法律问题",
        result="建议按《民法典》第二百七十八条召开业主大会表决",
    )


def load(*, stdout=None) -> None:
    say = stdout.write if stdout else (lambda _msg: None)
    street = Region.objects.filter(code=STREET).first()
    if street is None:
        say("普法与体检：未找到南湾街道，请先载入南湾演示数据")
        return
    today = timezone.localdate()
    with transaction.atomic():
        checklist.ensure()
        district = Region.objects.get(code=DISTRICT)
        if not CoverageRule.objects.filter(district=district).exists():
            CoverageRule.objects.create(district=district, effective_from=date(2025, 1, 1))
        communities = list(Region.objects.filter(parent=street).order_by("code"))
        activities = 0
        if not Activity.objects.filter(community__in=communities).exists():
            activities = _activities(communities, today)
        checks = _checks(communities, today)
        opinions = _opinions(communities, today)
        pairings = _pairing(communities, today)
        referrals = _referrals(district, communities, today)
        _free_entry(communities[0], today)
    say(
        f"普法与体检：新增活动 {activities} 场，企业法治体检 {checks} 次，法律意见 {opinions} 件，"
        f"结对共建 {pairings} 份，法律援助转介 {referrals} 件"
    )
