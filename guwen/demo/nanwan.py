"""The Nanwan demo: 龙岗区 → 南湾街道 → 14 communities, the 8 firms the report names, fictional
lawyers (marked as demo) and one login per role. Re-runnable: a second run changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db import transaction

from guwen.accounts import services as accounts
from guwen.accounts.models import Membership, Role, User
from guwen.core.validators import credit_code_check_char, org_code_check_char
from guwen.regions import services as regions
from guwen.regions.models import Assignment, LawFirm, Lawyer, Region

DATA = Path(__file__).resolve().parent.parent / "regions" / "data" / "nanwan.csv"
DISTRICT = "440307000000"
STREET = "440307012000"
DEMO_PASSWORD = "nanwan-demo-2026"

FIRMS = [
    "广东卓建（龙岗）律师事务所",
    "广东南龙律师事务所",
    "广东晟典律师事务所",
    "广东融方（深圳）律师事务所",
    "广东知恒（龙岗）律师事务所",
    "广东国欣律师事务所",
    "广东普罗米修律师事务所",
    "广东穗江律师事务所",
]

# The report says 8 of the 14 are 村改居; which 8 it does not say. These are the ones whose names
# carry the former villages; the flag is data, editable on each community.
VILLAGE_CONVERTED = {
    "上李朗社区",
    "下李朗社区",
    "南岭村社区",
    "沙湾社区",
    "厦村社区",
    "吉厦社区",
    "樟树布社区",
    "丹竹头社区",
}

SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦"
SPECIALTIES = [
    "劳动争议、工伤",
    "婚姻家庭、继承",
    "合同纠纷、公司",
    "房产、物业",
    "交通事故、侵权",
    "土地征收拆迁",
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    where: str


def demo_credit_code(index: int) -> str:
    """A well-formed but fictional 统一社会信用代码: 31 = 律师执业机构 under the justice bureau,
    registered in 440307 (龙岗区), with an organisation code whose own check digit is right."""
    body = f"MA{index:06d}"
    first17 = "31440307" + body + org_code_check_char(body)
    return first17 + credit_code_check_char(first17)


def demo_licence(index: int) -> str:
    return f"1440320151{index:07d}"


def demo_phone(index: int) -> str:
    return f"1390000{index:04d}"


def load(*, stdout=None) -> list[DemoLogin]:
    say = stdout.write if stdout else (lambda _msg: None)
    with transaction.atomic():
        result = regions.regions_import_file(path=DATA, under=STREET)
        say(f"区划：新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
        district = Region.objects.get(code=DISTRICT)
        street = Region.objects.get(code=STREET)
        communities = list(Region.objects.filter(parent=street).order_by("code"))
        for community in communities:
            wanted = community.name in VILLAGE_CONVERTED
            if community.is_village_converted != wanted:
                regions.region_set_village_converted(region=community, value=wanted, by=None)
        firms = [_firm(i, name, district) for i, name in enumerate(FIRMS, start=1)]
        logins = _users(street=street, district=district, community=communities[0], firm=firms[0])
        _lawyers_and_assignments(communities, firms, logins)
    return [
        DemoLogin("admin", "系统管理员", "全部"),
        DemoLogin("bureau", "区司法局", district.name),
        DemoLogin("office", "司法所", street.name),
        DemoLogin("staff", "社区工作人员", communities[0].name),
        DemoLogin("advisor", "顾问律师", communities[0].name),
        DemoLogin("advisor2", "顾问律师", communities[1].name),
        DemoLogin("firm", "律所管理员", firms[0].name),
        DemoLogin("association", "律师协会（只读汇总）", "匿名汇总"),
    ]


def _firm(index: int, name: str, district: Region) -> LawFirm:
    firm = LawFirm.objects.filter(name=name).first()
    if firm is None:
        firm = regions.lawfirm_create(
            name=name,
            credit_code=demo_credit_code(index),
            district=district,
            by=None,
            is_demo=True,
            address=f"深圳市龙岗区（演示地址 {index}）",
        )
    return firm


def _user(username: str, display_name: str, *, superuser: bool = False) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = accounts.user_create(
            username=username,
            password=DEMO_PASSWORD,
            display_name=display_name,
            by=None,
            is_demo=True,
            is_superuser=superuser,
        )
    return user


def _grant(user: User, role: str, *, region=None, firm=None) -> None:
    if not Membership.objects.filter(user=user, role=role, region=region, firm=firm).exists():
        accounts.membership_grant(
            user=user, role=role, region=region, firm=firm, by=None, starts_on=date(2025, 1, 1)
        )


def _users(*, street: Region, district: Region, community: Region, firm: LawFirm) -> dict[str, User]:
    users = {
        "admin": _user("admin", "演示·系统管理员", superuser=True),
        "bureau": _user("bureau", "演示·区司法局科员"),
        "office": _user("office", "演示·南湾司法所所长"),
        "staff": _user("staff", "演示·社区工作人员"),
        "advisor": _user("advisor", "演示律师 赵一"),
        "advisor2": _user("advisor2", "演示律师 钱二"),
        "firm": _user("firm", "演示·律所主任"),
        "association": _user("association", "演示·律协研究员"),
    }
    _grant(users["admin"], Role.SYSADMIN)
    _grant(users["bureau"], Role.BUREAU, region=district)
    _grant(users["office"], Role.OFFICE, region=street)
    _grant(users["staff"], Role.COMMUNITY_STAFF, region=community)
    _grant(users["advisor"], Role.ADVISOR)
    _grant(users["advisor2"], Role.ADVISOR)
    _grant(users["firm"], Role.FIRM_ADMIN, firm=firm)
    _grant(users["association"], Role.ASSOCIATION)
    return users


def _advisor_user(number: int, name: str) -> User:
    """Every demo lawyer can sign in (lawyer03 … lawyer18), so questions route as they would live."""
    user = _user(f"lawyer{number:02d}", name)
    _grant(user, Role.ADVISOR)
    return user


def _lawyers_and_assignments(communities: list[Region], firms: list[LawFirm], users: dict[str, User]) -> None:
    """One primary advisor per community (firms take turns), a backup for every other community,
    and one change of advisor in 2025 so the history shows."""
    start = date(2025, 1, 1)
    lawyers = []
    for i in range(len(communities) + 4):
        licence = demo_licence(i + 1)
        lawyer = Lawyer.objects.filter(licence_number=licence).first()
        if lawyer is None:
            digits = "一二三四五六七八九十"
            name = f"演示律师 {SURNAMES[i % len(SURNAMES)]}{digits[i % 10]}"
            user = users["advisor"] if i == 0 else users["advisor2"] if i == 1 else _advisor_user(i + 1, name)
            lawyer = regions.lawyer_create(
                name=name,
                licence_number=licence,
                firm=firms[i % len(firms)],
                phone=demo_phone(i + 1),
                specialties=SPECIALTIES[i % len(SPECIALTIES)],
                user=user,
                by=None,
                is_demo=True,
            )
        lawyers.append(lawyer)
    for i, community in enumerate(communities):
        if Assignment.objects.filter(community=community).exists():
            continue
        primary = lawyers[i]
        if i == 2:
            # 下李朗: the first advisor served until mid-2025, then the firm sent another.
            former = lawyers[len(communities)]
            regions.assignment_create(
                lawyer=former,
                community=community,
                starts_on=start,
                ends_on=date(2025, 6, 30),
                by=None,
                note="演示：2025 年年中更换顾问",
            )
            regions.assignment_create(
                lawyer=primary, community=community, starts_on=date(2025, 7, 1), by=None
            )
        else:
            regions.assignment_create(lawyer=primary, community=community, starts_on=start, by=None)
        if i % 2 == 0:
            backup = lawyers[len(communities) + 1 + (i // 2) % 3]
            regions.assignment_create(
                lawyer=backup, community=community, starts_on=start, role="backup", by=None
            )
