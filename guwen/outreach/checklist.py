"""The default checklist of an enterprise legal health check (法治体检): twelve areas, a handful of
items each. The data migration loads it as the district-less default set; districts edit it in the
admin (add their own areas, switch items off) without touching code."""

from __future__ import annotations

DEFAULT_CHECKLIST: list[tuple[str, str, list[str]]] = [
    (
        "identity",
        "主体资格与证照",
        [
            "营业执照登记事项与实际经营是否一致，是否按时公示年度报告",
            "经营范围内需许可的项目是否取得行政许可且在有效期内",
            "注册地址与实际经营地址是否一致",
            "分支机构是否依法登记",
        ],
    ),
    (
        "governance",
        "公司治理与印章管理",
        [
            "公司章程是否与现行《公司法》一致，出资期限是否符合规定",
            "股东会、董事会（执行董事）决议是否有书面记录并签字",
            "公章、合同章、财务章的保管、用印审批和登记制度",
            "法定代表人、董事、监事、高级管理人员变更是否及时登记",
        ],
    ),
    (
        "contracts",
        "合同管理",
        [
            "是否使用经审查的合同范本，重要条款（价款、交付、违约、争议解决）是否完整",
            "合同签订的授权审批和对方主体资格审查",
            "合同履行跟踪、变更和解除是否留有书面证据",
            "合同原件归档保管",
        ],
    ),
    (
        "labour",
        "劳动用工与社会保险",
        [
            "是否在用工之日起一个月内订立书面劳动合同",
            "是否为全部职工足额缴纳社会保险和住房公积金",
            "工作时间、加班和加班费是否符合规定，考勤记录是否完整",
            "规章制度是否经民主程序制定并向劳动者公示",
            "竞业限制、保密协议和离职手续",
        ],
    ),
    (
        "ip",
        "知识产权",
        [
            "商标、专利、软件著作权是否及时申请登记并按期续展",
            "与研发人员、合作方的知识产权归属约定",
            "商业秘密保护措施（保密制度、涉密人员管理）",
            "使用他人商标、软件、图片、字体是否取得授权",
        ],
    ),
    (
        "tax",
        "财税与发票",
        [
            "发票开具、取得和保管是否合规，是否存在虚开或代开",
            "是否按期申报纳税，享受税收优惠是否符合条件",
            "公私账户是否分开，股东借款是否规范",
        ],
    ),
    (
        "safety",
        "安全生产",
        [
            "安全生产责任制和主要负责人、安全管理人员培训考核",
            "特种作业人员是否持证上岗",
            "生产安全事故应急预案及演练记录",
            "隐患排查治理台账",
        ],
    ),
    (
        "fire",
        "消防安全",
        [
            "消防设计审查、验收或备案手续",
            "消防设施、器材定期检测和维护保养记录",
            "疏散通道、安全出口是否畅通，是否存在“三合一”场所",
            "员工消防安全培训和灭火疏散演练",
        ],
    ),
    (
        "environment",
        "生态环境保护",
        [
            "建设项目环境影响评价及“三同时”验收",
            "排污许可或排污登记",
            "危险废物的贮存、转移联单和委托处置合同",
        ],
    ),
    (
        "data",
        "数据与个人信息保护",
        [
            "收集员工、客户个人信息是否告知并取得同意，是否最小必要",
            "个人信息和重要数据的存储、访问权限和泄露应急措施",
            "向第三方提供或委托处理个人信息的合同约定",
            "网站、小程序、App 的隐私政策",
        ],
    ),
    (
        "financing",
        "融资与担保",
        [
            "对外担保是否经股东会或董事会决议",
            "民间借贷的利率、借款合同和资金用途",
            "抵押、质押登记及主债权到期情况",
        ],
    ),
    (
        "litigation",
        "涉诉与应收账款",
        [
            "未结诉讼、仲裁和被执行情况",
            "应收账款台账、对账确认和诉讼时效管理",
            "催收函件的送达和证据保存",
            "失信被执行、经营异常等信用记录",
        ],
    ),
]


def seed(get_model) -> None:
    """Load the default set (no district) where it is missing; a district's own edits are rows
    of their own and never touched (get_or_create by code). ``get_model(name)`` gives the model:
    the historical one in the data migration, the current one in ``ensure``."""
    area_model, item_model = get_model("ChecklistArea"), get_model("ChecklistItem")
    for order, (code, name, items) in enumerate(DEFAULT_CHECKLIST, start=1):
        area, created = area_model.objects.get_or_create(
            district=None, code=code, defaults={"name": name, "order": order * 10}
        )
        if created:
            rows = [item_model(area=area, text=text, order=i * 10) for i, text in enumerate(items, start=1)]
            item_model.objects.bulk_create(rows)


def ensure() -> None:
    """``seed`` with the current models: the demo calls it, since a database flushed after
    migrating (tests that truncate tables) has lost the migration's rows."""
    from django.apps import apps

    seed(lambda name: apps.get_model("outreach", name))
