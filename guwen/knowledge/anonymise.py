"""Removing personal data from question and answer text before it joins the knowledge base.

Replaced: 身份证号, mobile and landline numbers, bank card numbers, e-mail addresses, licence
plates, street addresses down to the door (the city and district stay: they matter to the law), and
people's names (a name the segmenter tags as a person, or one introduced by 我叫/本人/姓名…), which
become the surname plus 某 as court documents write them (张某).

Statute names are never names of people: the segmenter tags the tail of some (仲裁法 in
劳动争议调解仲裁法, 安全法 in 道路交通安全法) as a person, which would turn a citation into
"劳动争议调解仲某" that no longer links to its article. A tagged word that ends a known law's name
(the shipped statutes' titles and aliases, and the common laws listed below) is left as it is.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache

import rjieba

from guwen.knowledge.text import DATA_DIR, fold_width

ID_MARK = "[身份证号]"
PHONE_MARK = "[电话]"
CARD_MARK = "[卡号]"
EMAIL_MARK = "[邮箱]"
PLATE_MARK = "[车牌]"
ADDRESS_MARK = "[地址]"

_ID = re.compile(r"(?<![0-9A-Za-z])(?:\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<!\d)(?:\+?86[-\s]?)?1[3-9]\d[-\s]?\d{4}[-\s]?\d{4}(?!\d)")
_LANDLINE = re.compile(r"(?<!\d)(?:\(?0\d{2,3}\)?[-\s]?)?[2-9]\d{6,7}(?!\d)")
_CARD = re.compile(r"(?<!\d)\d{4}[\s-]?\d{4}[\s-]?\d{4}[\s-]?\d{4}(?:[\s-]?\d{1,3})?(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·\s]?[A-Z0-9]{5,6}"
)
_NUM = r"[\dA-Za-z一二三四五六七八九十百零〇两]+"
_PLACE = r"(?:路|街|大道|大街|巷|弄|胡同|村|小区|花园|家园|公寓|大厦|广场|新村|苑|庄|屯|组|里)"
_DOOR = rf"(?:{_NUM}(?:号楼|号院|号|栋|幢|座|单元|室|楼|层|户|排|巷|弄|组)[-之]?)"
_ADDRESS = re.compile(rf"[\u4e00-\u9fa5]{{1,12}}?{_PLACE}(?:{_NUM}号?)?{_DOOR}+")
_ADDRESS_FIELD = re.compile(r"((?:住址|地址|家住|住在|现住)[:：]?\s*)[^，,。；;！!？?\n]{2,40}")
_NAME_INTRO = re.compile(
    r"((?:我叫|本人叫|本人|我是|名叫|叫做|姓名[:：]?|申请人[:：]?|被申请人[:：]?|当事人[:：]?|原告[:：]?|被告[:：]?)\s*)"
    r"([\u4e00-\u9fa5]{2,3})(?=[，,。、\s(（]|$|\d|先生|女士|今年|男|女)"
)
_TITLED = re.compile(r"([\u4e00-\u9fa5]{2})(?=先生|女士|小姐|老板|经理|师傅|律师|医生|老师|阿姨)")
_RELATION = re.compile(
    r"((?:邻居|老板|丈夫|老公|妻子|老婆|前夫|前妻|儿子|女儿|朋友|同事|对方|房东|租客|经理|工头|包工头|债务人|借款人)"
    r"(?:是|叫)?)([\u4e00-\u9fa5]{2,3})"
)
# A character after a two-character name that starts the next word rather than ending the name.
_AFTER_NAME = set("总是在把给说对欠不已就还也都和跟向让要一经从没曾今去来打借拿找等的了")

SURNAMES = set(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛奚范彭郎鲁韦昌马苗"
    "凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛"
    "禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌"
    "霍虞万支柯昝管卢莫经房裘缪干解应宗丁宣邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊惠甄曲家封芮羿储靳汲邴"
    "糜松井段富巫乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘厉戎祖武符刘景詹束龙叶幸司韶黎蓟薄印宿白怀蒲"
    "邰从鄂索咸籍赖卓蔺屠蒙池乔阴胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂濮牛寿通边扈燕冀僪浦尚农温别庄"
    "晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融"
    "冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相查后荆红游竺权逯盖益桓公"
)
# Words the segmenter sometimes tags as names but that are not (kept as they are).
NOT_NAMES = frozenset(
    {"高兴", "常常", "明白", "江湖", "黄金", "白天", "司法", "温暖", "安全", "周边", "张某"}
)


# Laws residents and lawyers cite that the app does not ship, besides those it does (read from
# data/laws): their names protect words like 仲裁法 from being taken for a person.
OTHER_LAWS = [
    "刑法",
    "民事诉讼法",
    "刑事诉讼法",
    "行政诉讼法",
    "行政复议法",
    "仲裁法",
    "公司法",
    "合伙企业法",
    "安全生产法",
    "食品安全法",
    "网络安全法",
    "数据安全法",
    "个人信息保护法",
    "保险法",
    "商标法",
    "专利法",
    "著作权法",
    "反不正当竞争法",
    "产品质量法",
    "城市房地产管理法",
    "农村土地承包法",
    "村民委员会组织法",
    "老年人权益保障法",
    "残疾人保障法",
    "就业促进法",
    "劳动合同法实施条例",
    "最高人民法院关于审理劳动争议案件适用法律问题的解释",
]
_LAW_WORD_ENDS = ("法", "条例", "规定", "办法", "解释", "细则")


@lru_cache(maxsize=1)
def _law_names() -> frozenset[str]:
    names = set(OTHER_LAWS)
    laws = DATA_DIR / "laws"
    for csv_name, columns in (("manifest.csv", ("title",)), ("aliases.csv", ("short_title", "aliases"))):
        path = laws / csv_name
        if path.exists():
            with path.open(encoding="utf-8") as handle:
                for row in csv.DictReader(handle):
                    for column in columns:
                        names.update((row.get(column) or "").split())
    return frozenset(names)


def _is_law_word(word: str) -> bool:
    """Whether ``word`` is the end of a law's name (仲裁法, 安全法), not a person."""
    return word.endswith(_LAW_WORD_ENDS) and any(name.endswith(word) for name in _law_names())


def _mask_person(name: str) -> str:
    return name[0] + "某" if name and name[0] in SURNAMES else "某某"


_PERSON_TAGS = frozenset({"nr", "nrfg"})
# How the segmenter tags a surname it did not join to the given name (not 钱 "money", 和 "and").
_LONE_SURNAME_TAGS = frozenset({"q", "ng", "nr"})


def _relation_name(match: re.Match) -> str:
    lead, name = match.group(1), match.group(2)
    if name[0] not in SURNAMES or "某" in name:
        return match.group(0)
    if not lead.endswith(("是", "叫")):
        # Without 是/叫 what follows 邻居/老板/对方 is mostly not a name (邻居家卫生间, 对方公司,
        # 丈夫家暴, 同事关系): only a word the segmenter takes for a person is masked.
        rest = match.string[match.start(2) : match.start(2) + 8]
        word, flag = next(iter(rjieba.tag(rest)), ("", ""))
        if flag in _PERSON_TAGS and 2 <= len(word) <= 3 and name.startswith(word):
            return lead + _mask_person(word) + name[len(word) :]
        if len(word) == 1 and word in SURNAMES and word != "家" and flag in _LONE_SURNAME_TAGS:
            # A surname the segmenter left on its own (张 in 张三家的狗): it and the next character.
            return lead + _mask_person(name[:2]) + name[2:]
        return match.group(0)
    if len(name) == 3 and name[2] in _AFTER_NAME:
        return lead + _mask_person(name[:2]) + name[2]
    return lead + _mask_person(name)


def _names(text: str) -> str:
    text = _NAME_INTRO.sub(lambda m: m.group(1) + _mask_person(m.group(2)), text)
    text = _RELATION.sub(_relation_name, text)
    text = _TITLED.sub(
        lambda m: (
            _mask_person(m.group(1)) if m.group(1)[0] in SURNAMES and "某" not in m.group(1) else m.group(1)
        ),
        text,
    )
    out = []
    for word, flag in rjieba.tag(text):
        if (
            flag == "nr"
            and 2 <= len(word) <= 4
            and word[0] in SURNAMES
            and word not in NOT_NAMES
            and "某" not in word
            and not _is_law_word(word)
        ):
            out.append(_mask_person(word))
        else:
            out.append(word)
    return "".join(out)


def anonymise(text: str | None) -> str:
    """``text`` with personal data replaced; never raises."""
    if not text:
        return ""
    text = fold_width(str(text))
    text = _EMAIL.sub(EMAIL_MARK, text)
    text = _ID.sub(ID_MARK, text)
    text = _CARD.sub(CARD_MARK, text)
    text = _MOBILE.sub(PHONE_MARK, text)
    text = _LANDLINE.sub(PHONE_MARK, text)
    text = _PLATE.sub(PLATE_MARK, text)
    text = _ADDRESS_FIELD.sub(lambda m: m.group(1) + ADDRESS_MARK, text)
    text = _ADDRESS.sub(ADDRESS_MARK, text)
    return _names(text)
