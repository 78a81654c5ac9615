"""The official documents of the people's mediation (人民调解) case file (卷宗).

Twelve kinds, laid out as the Ministry of Justice's 2010 formats (司法部《人民调解文书格式》): for
each, its title, the shipped template (``doc_templates/<name>.docx``, built by
``doc_templates/build.py``), the variables it offers and a sample context. The context is plain
data (dicts, lists and strings, dates already written the Chinese way), so this module needs no
model: the case's services build the context from their records, and staff who replace a template
(``guwen.core.models.DocumentTemplate``) may use exactly these variables (docs/documents.md lists
them).

Personal numbers appear only masked (``id_masked``); the printed form is signed on paper, where
the party writes what the office needs in full.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from guwen.core.documents import DocumentKind, Schema, get_kind, register

TEMPLATES = Path(__file__).resolve().parent / "doc_templates"

# --- the variables ------------------------------------------------------------------------------

COMMITTEE: Schema = {
    "name": "人民调解委员会名称，如：南湾街道丹竹头社区人民调解委员会",
    "address": "委员会地址",
    "phone": "委员会联系电话",
}
CASE: Schema = {
    "number": "案号（卷号），如：（2026）南湾人调字第0001号",
    "title": "纠纷名称（卷名），如：张某某与李某某邻里漏水纠纷",
    "type": "纠纷类型，如：邻里纠纷",
    "source": "案件来源：当事人申请、人民调解委员会主动调解、公安机关移交、人民法院委托、政府有关部门指定等",
    "summary": "纠纷简要情况",
    "parties_names": "当事人姓名（名称）连写，如：张某某与李某某",
    "amount": "涉及金额，如：8,600元；无则为空",
    "accepted_on": "受理日期，如：2026年3月2日",
    "closed_on": "结案日期；未结案为空",
}
PARTY: Schema = {
    "role": "身份：申请人、被申请人或当事人",
    "name": "姓名或组织名称",
    "sex": "性别（组织为空）",
    "ethnicity": "民族（组织为空）",
    "age": "年龄（组织为空）",
    "occupation": "职业或职务",
    "phone": "联系方式",
    "address": "单位或住址",
    "id_masked": "身份证号码（脱敏，如 440307********1234）或统一社会信用代码",
    "representative": "法定代表人或负责人（自然人为空）",
    "agent": "委托代理人（无则为空）",
}
PERSON: Schema = {"name": "姓名"}
ENTRY: Schema = {"speaker": "发言人，如：调解员、申请人张某某", "text": "发言或陈述内容"}
FILE: Schema = {
    "mediators": "人民调解员（多人以顿号分隔）",
    "mediated_from": "调解开始日期",
    "mediated_to": "调解结束日期",
    "filed_by": "立卷人",
    "filed_on": "立卷日期",
    "retention": "保管期限：永久、长期或短期",
    "notes": "备注（封面）或本卷情况说明（封底）",
    "item_count": "卷内文件件数",
    "page_count": "卷内文件页数",
    "checked_by": "检查人",
}

OWN: dict[str, Schema] = {
    "application": {"requests": ["申请事项，每项一条"], "applied_on": "申请日期"},
    "registration": {"registrar": "登记人", "registered_on": "登记日期"},
    "notice": {"notified_on": "告知日期"},
    "investigation": {
        "time": "调查时间",
        "place": "调查地点",
        "investigators": "调查人",
        "recorder": "记录人",
        "interviewee": "被调查人（姓名及与纠纷的关系）",
        "present": "在场人",
        "entries": [ENTRY],
    },
    "session": {
        "time": "调解时间",
        "place": "调解地点",
        "mediators": "人民调解员",
        "recorder": "记录人",
        "parties_present": "到场当事人",
        "others_present": "其他参加人（邀请的亲属、邻里、专业人员等）",
        "entries": [ENTRY],
        "result": "本次调解结果",
    },
    "agreement": {
        "number": "协议编号（一般同案号）",
        "facts": "纠纷主要事实",
        "dispute_points": "争议事项",
        "responsibility": "各方当事人的责任",
        "terms": ["协议条款，每项一条"],
        "performance_method": "履行方式",
        "performance_place": "履行地点",
        "performance_deadline": "履行期限",
        "copies": "协议份数（当事人各一份、调委会一份）",
        "signed_on": "签订日期",
    },
    "oral": {
        "reached_on": "达成口头协议的日期",
        "place": "调解地点",
        "facts": "纠纷简要情况",
        "terms": ["口头协议内容，每项一条"],
        "performance_method": "履行方式",
        "performance_deadline": "履行期限",
        "registered_on": "登记日期",
    },
    "termination": {
        "reason": "终止调解的原因",
        "routes": ["告知当事人的救济途径，每项一条"],
        "terminated_on": "终止日期",
        "copies": "告知书份数",
    },
    "callback": {
        "interviewee": "被回访人",
        "agreement_number": "调解协议编号",
        "subject": "回访事由（纠纷名称）",
        "visited_on": "回访时间",
        "method": "回访方式：电话、上门、当面等",
        "performance": "协议履行情况",
        "satisfaction": "对调解结果是否满意",
        "lawsuit": "是否起诉及判决情况",
        "risk": "有无激化或其他风险",
        "measures": "采取的措施",
        "visitor": "回访人（人民调解员）",
    },
    "closing": {
        "filled_on": "填表时间（同立卷日期）",
        "handler": "承办人",
        "outcome": "调解结果：达成书面协议、达成口头协议、调解终止等",
        "performance": "履行情况",
    },
}


def _variables(*names: str) -> Schema:
    shared: dict[str, Any] = {
        "committee": COMMITTEE,
        "case": CASE,
        "parties": [PARTY],
        "applicants": [PARTY],
        "respondents": [PARTY],
        "mediator": PERSON,
        "recorder": PERSON,
        "file": FILE,
    }
    return {name: shared[name] if name in shared else OWN[name] for name in names}


# key → (title, template file, variables). Ordered as the 卷宗 is bound (DOMAIN §3.3).
KINDS: dict[str, tuple[str, str, Schema]] = {
    "cover": ("人民调解卷宗封面", "cover.docx", _variables("committee", "case", "file")),
    "application": (
        "人民调解申请书",
        "application.docx",
        _variables("committee", "case", "applicants", "respondents", "application"),
    ),
    "registration": (
        "人民调解受理登记表",
        "registration.docx",
        _variables("committee", "case", "parties", "mediator", "registration"),
    ),
    "rights_notice": (
        "人民调解当事人权利义务告知书",
        "rights_notice.docx",
        _variables("committee", "case", "parties", "notice"),
    ),
    "investigation": (
        "人民调解调查记录",
        "investigation.docx",
        _variables("committee", "case", "investigation"),
    ),
    "session": ("人民调解记录", "session.docx", _variables("committee", "case", "session")),
    "agreement": (
        "人民调解协议书",
        "agreement.docx",
        _variables("committee", "case", "parties", "agreement", "mediator", "recorder"),
    ),
    "oral_agreement": (
        "人民调解口头协议登记表",
        "oral_agreement.docx",
        _variables("committee", "case", "parties", "oral", "mediator", "recorder"),
    ),
    "termination": (
        "人民调解终止告知书",
        "termination.docx",
        _variables("committee", "case", "parties", "termination", "mediator"),
    ),
    "callback": ("人民调解回访记录", "callback.docx", _variables("committee", "case", "callback")),
    "closing_report": (
        "人民调解结案报告表",
        "closing_report.docx",
        _variables("committee", "case", "parties", "closing"),
    ),
    "back_cover": (
        "人民调解卷宗封底（卷内备考表）",
        "back_cover.docx",
        _variables("committee", "case", "file"),
    ),
}


# --- sample data (invented: no real person, case or committee) ----------------------------------

_APPLICANT = {
    "role": "申请人",
    "name": "陈丽华",
    "sex": "女",
    "ethnicity": "汉族",
    "age": "46",
    "occupation": "超市收银员",
    "phone": "139****2716",
    "address": "深圳市龙岗区南湾街道丹竹头社区翠园路18号3栋502",
    "id_masked": "440307********3527",
    "representative": "",
    "agent": "",
}
_RESPONDENT = {
    "role": "被申请人",
    "name": "林国栋",
    "sex": "男",
    "ethnicity": "汉族",
    "age": "52",
    "occupation": "个体经营者",
    "phone": "137****0483",
    "address": "深圳市龙岗区南湾街道丹竹头社区翠园路18号3栋602",
    "id_masked": "440321********1819",
    "representative": "",
    "agent": "林晓峰（其子，经书面授权）",
}

_SAMPLE: dict[str, Any] = {
    "committee": {
        "name": "南湾街道丹竹头社区人民调解委员会",
        "address": "深圳市龙岗区南湾街道丹竹头社区党群服务中心二楼",
        "phone": "0755-2870****",
    },
    "case": {
        "number": "（2026）南湾人调字第0137号",
        "title": "陈丽华与林国栋房屋漏水赔偿纠纷",
        "type": "邻里纠纷",
        "source": "当事人申请",
        "summary": (
            "2026年2月起，林国栋家卫生间防水层老化，污水渗漏至楼下陈丽华家，致其卫生间吊顶霉变、"
            "墙面瓷砖脱落。陈丽华多次上门协商未果，双方发生口角，陈丽华遂申请调解，"
            "要求林国栋修复防水并赔偿损失。"
        ),
        "parties_names": "陈丽华与林国栋",
        "amount": "8,600元",
        "accepted_on": "2026年3月2日",
        "closed_on": "2026年4月20日",
    },
    "parties": [_APPLICANT, _RESPONDENT],
    "applicants": [_APPLICANT],
    "respondents": [_RESPONDENT],
    "mediator": {"name": "周文斌"},
    "recorder": {"name": "黄嘉怡"},
    "file": {
        "mediators": "周文斌、何志强",
        "mediated_from": "2026年3月2日",
        "mediated_to": "2026年3月18日",
        "filed_by": "黄嘉怡",
        "filed_on": "2026年4月22日",
        "retention": "长期",
        "notes": "协议已于2026年4月15日履行完毕，回访当事人满意。",
        "item_count": "11",
        "page_count": "27",
        "checked_by": "南湾司法所 刘海燕",
    },
    "application": {
        "requests": [
            "请求被申请人修复卫生间防水层，停止渗漏；",
            "请求被申请人赔偿吊顶、墙面维修费用及清洁费用共计8,600元。",
        ],
        "applied_on": "2026年3月2日",
    },
    "registration": {"registrar": "黄嘉怡", "registered_on": "2026年3月2日"},
    "notice": {"notified_on": "2026年3月2日"},
    "investigation": {
        "time": "2026年3月5日 上午9时30分至10时20分",
        "place": "翠园路18号3栋502、602室",
        "investigators": "周文斌、何志强",
        "recorder": "黄嘉怡",
        "interviewee": "王建新（3栋物业管理处维修主管）",
        "present": "陈丽华、林国栋",
        "entries": [
            {"speaker": "调查人", "text": "请说明502室卫生间渗水的原因。"},
            {
                "speaker": "王建新",
                "text": (
                    "3月4日我们做了闭水试验，602室卫生间地面防水层破损，渗水点在淋浴区下方，"
                    "与502室吊顶霉变位置对应。"
                ),
            },
            {"speaker": "调查人", "text": "修复防水大约需要多少费用和时间？"},
            {"speaker": "王建新", "text": "重做淋浴区防水约需3,200元，工期5天左右。"},
        ],
    },
    "session": {
        "time": "2026年3月18日 下午2时30分",
        "place": "丹竹头社区人民调解室",
        "mediators": "周文斌、何志强",
        "recorder": "黄嘉怡",
        "parties_present": "陈丽华；林国栋及其委托代理人林晓峰",
        "others_present": "王建新（物业维修主管，应邀说明情况）",
        "entries": [
            {"speaker": "调解员", "text": "告知双方权利义务，双方均表示已知悉，同意调解。"},
            {
                "speaker": "陈丽华",
                "text": "渗水已经三个多月，吊顶要全部更换，维修报价6,800元，还有清洁和误工损失。",
            },
            {"speaker": "林国栋", "text": "同意修防水，但赔偿金额过高，吊顶本身也有些旧了。"},
            {
                "speaker": "调解员",
                "text": "依据《民法典》第二百八十八条，相邻各方应当互谅互让；物业闭水试验已确认渗水来源。",
            },
        ],
        "result": "双方自愿达成协议，当场签订人民调解协议书。",
    },
    "agreement": {
        "number": "（2026）南湾人调字第0137号",
        "facts": (
            "被申请人林国栋住房卫生间防水层破损，经物业闭水试验确认渗水至申请人陈丽华住房，"
            "造成吊顶霉变、墙面瓷砖脱落。"
        ),
        "dispute_points": "防水修复由谁负责；维修及清洁费用的数额。",
        "responsibility": (
            "渗漏系被申请人住房防水层破损所致，被申请人应承担修复责任和主要赔偿责任；"
            "申请人未及时采取防护措施，对损失扩大负次要责任。"
        ),
        "terms": [
            "林国栋于2026年3月31日前自费修复602室卫生间防水层，并经物业闭水试验合格；",
            "林国栋赔偿陈丽华吊顶、墙面维修费及清洁费共计人民币6,500元；",
            "上述款项于2026年4月15日前一次性转账至陈丽华指定账户；",
            "双方就本纠纷再无其他争议。",
        ],
        "performance_method": "修复防水由林国栋自行委托施工；赔偿款银行转账支付",
        "performance_place": "翠园路18号3栋；丹竹头社区人民调解委员会（转账凭证交调委会存档）",
        "performance_deadline": "防水修复于2026年3月31日前完成；赔偿款于2026年4月15日前付清",
        "copies": "三",
        "signed_on": "2026年3月18日",
    },
    "oral": {
        "reached_on": "2026年3月18日",
        "place": "丹竹头社区人民调解室",
        "facts": "楼上住户卫生间渗水至楼下，双方就修复与赔偿发生争执。",
        "terms": ["林国栋于3月31日前修复卫生间防水；", "林国栋当场支付陈丽华清洁费500元。"],
        "performance_method": "自行修复；现金当场支付",
        "performance_deadline": "2026年3月31日前",
        "registered_on": "2026年3月18日",
    },
    "termination": {
        "reason": "被申请人明确表示不再接受调解",
        "routes": [
            "向人民法院提起民事诉讼；",
            "向物业所在地的街道办事处或住房和建设主管部门反映；",
            "双方另行协商一致后，可再次申请人民调解。",
        ],
        "terminated_on": "2026年3月25日",
        "copies": "三",
    },
    "callback": {
        "interviewee": "陈丽华",
        "agreement_number": "（2026）南湾人调字第0137号",
        "subject": "陈丽华与林国栋房屋漏水赔偿纠纷",
        "visited_on": "2026年4月18日",
        "method": "上门回访",
        "performance": "防水已于3月29日修复并经闭水试验合格；赔偿款6,500元已于4月12日转账付清。",
        "satisfaction": "满意",
        "lawsuit": "未起诉",
        "risk": "无激化迹象，双方关系缓和",
        "measures": "提醒双方保留转账凭证；告知如再次渗漏可随时联系调委会。",
        "visitor": "周文斌",
    },
    "closing": {
        "filled_on": "2026年4月22日",
        "handler": "周文斌",
        "outcome": "达成书面协议（人民调解协议书）",
        "performance": "已全部履行",
    },
}


def sample_context(kind: str) -> dict[str, Any]:
    """Realistic invented data for ``kind`` ("agreement" or "mediation.agreement"): exactly the
    variables the kind offers, for the template check, the tests and the docs."""
    name = kind.removeprefix("mediation.")
    return {variable: _SAMPLE[variable] for variable in KINDS[name][2]}


def _register() -> None:
    for name, (title, filename, variables) in KINDS.items():
        register(
            DocumentKind(
                key=f"mediation.{name}",
                title=title,
                template=TEMPLATES / filename,
                variables=variables,
                sample=lambda name=name: sample_context(name),
            )
        )


_register()


def kind(name: str) -> DocumentKind:
    """The registered kind ``mediation.<name>``."""
    return get_kind(f"mediation.{name}")
