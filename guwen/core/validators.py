"""Validators for Chinese identification numbers and codes.

Each ``validate_*`` function follows Django's validator protocol: it returns
``None`` for a good value and raises ``ValidationError`` with a message in
Chinese and a ``code`` otherwise. Each accepts the loose form people type
(spaces, lowercase letters) and checks the ``normalize_*`` form, which is the
form to store.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guwen.core.errors import DomainError

# --- 居民身份证号 (resident identity card number), GB 11643-1999 ----------------------------

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_NUMBER_RE = re.compile(r"^[0-9]{17}[0-9X]$")
# Province-level codes of GB/T 2260, plus 71/81/82 (Taiwan, Hong Kong, Macao) and 83, which
# the residence permits of Hong Kong, Macao and Taiwan residents (港澳台居民居住证) carry.
ID_PROVINCE_CODES = frozenset(
    {"11", "12", "13", "14", "15", "21", "22", "23"}
    | {f"{n}" for n in range(31, 38)}
    | {f"{n}" for n in range(41, 47)}
    | {f"{n}" for n in range(50, 55)}
    | {f"{n}" for n in range(61, 66)}
    | {"71", "81", "82", "83"}
)
ID_MIN_BIRTH_YEAR = 1900


def _text(value: object) -> str:
    return "" if value is None else str(value)


def normalize_id_number(value: str) -> str:
    """The stored form: no surrounding or inner spaces, check character upper-case."""
    return re.sub(r"\s+", "", _text(value)).upper()


def id_number_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character for the first 17 digits."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("first17 must be 17 ASCII digits")
    total = sum(int(digit) * weight for digit, weight in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def validate_id_number(value: str) -> None:
    number = normalize_id_number(value)
    if not ID_NUMBER_RE.fullmatch(number):
        raise ValidationError(_("身份证号应为18位：前17位为数字，最后一位为数字或X"), code="id_number_format")
    if number[:2] not in ID_PROVINCE_CODES:
        raise ValidationError(_("身份证号的前两位不是有效的省级行政区代码"), code="id_number_province")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        born = None
    if born is None or born.year < ID_MIN_BIRTH_YEAR or born > timezone.localdate():
        raise ValidationError(_("身份证号中的出生日期不正确"), code="id_number_birth_date")
    if id_number_check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验码不正确，请核对后重新输入"), code="id_number_check_char")


# --- 统一社会信用代码 (unified social credit code), GB 32100-2015 ---------------------------

CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# 登记管理部门码 (first character) and the 机构类别码 (second character) each one allows, from the
# table of GB 32100-2015: 1 机构编制 (1 机关, 2 事业单位, 3 编办直接管理机构编制的群众团体, 9 其他),
# 2 外交 (1 外国常驻新闻机构, 9 其他), 3 司法行政 (1 律师执业机构, 2 公证处, 3 基层法律服务所,
# 4 司法鉴定机构, 5 仲裁委员会, 9 其他), 4 文化 (1 外国在华文化中心, 9 其他), 5 民政 (1 社会团体,
# 2 民办非企业单位, 3 基金会, 9 其他), 6 旅游 (1 外国旅游部门常驻代表机构, 2 港澳台地区旅游部门常驻
# 内地代表机构, 9 其他), 7 宗教 (1 宗教活动场所, 2 宗教院校, 9 其他), 8 工会 (1 基层工会, 9 其他),
# 9 工商 (1 企业, 2 个体工商户, 3 农民专业合作社), A 中央军委改革和编制办公室 (1 军队事业单位,
# 9 其他), N 农业 (1 组级, 2 村级, 3 乡镇级集体经济组织, 9 其他), Y 其他 (1).
CREDIT_CODE_TYPES = {
    "1": "1239",
    "2": "19",
    "3": "123459",
    "4": "19",
    "5": "1239",
    "6": "129",
    "7": "129",
    "8": "19",
    "9": "123",
    "A": "19",
    "N": "1239",
    "Y": "1",
}
CREDIT_CODE_DEPARTMENTS = frozenset(CREDIT_CODE_TYPES)
# 登记管理机关行政区划码 (characters 3-8), GB/T 2260: a province-level prefix 11..82, or 100000
# (中华人民共和国) for the bodies registered nationally.
CREDIT_CODE_PROVINCES = ID_PROVINCE_CODES - {"83"}
CREDIT_CODE_NATIONAL_DIVISION = "100000"
CREDIT_CODE_RE = re.compile(rf"^[{CREDIT_CODE_CHARS}]{{2}}[0-9]{{6}}[{CREDIT_CODE_CHARS}]{{10}}$")
# 组织机构代码 (characters 9-17), GB 11714-1997: eight body characters and a MOD 11 check character.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def normalize_credit_code(value: str) -> str:
    """The stored form: no spaces, upper-case."""
    return re.sub(r"\s+", "", _text(value)).upper()


def credit_code_check_char(first17: str) -> str:
    """The MOD 31 check character for the first 17 characters of a credit code."""
    if len(first17) != 17 or any(char not in CREDIT_CODE_CHARS for char in first17):
        raise ValueError("first17 must be 17 characters of the credit-code alphabet")
    total = sum(
        CREDIT_CODE_CHARS.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    """The GB 11714 check character of an organisation code's eight body characters (digits and
    upper-case letters, A=10 … Z=35): 11 - (weighted sum mod 11), with 10 as X and 11 as 0."""
    if len(body) != 8 or not body.isascii() or not body.isalnum() or body != body.upper():
        raise ValueError("body must be 8 ASCII digits or upper-case letters")
    check = 11 - sum(int(char, 36) * weight for char, weight in zip(body, ORG_CODE_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def validate_credit_code(value: str) -> None:
    code = normalize_credit_code(value)
    if not CREDIT_CODE_RE.fullmatch(code):
        raise ValidationError(
            _("统一社会信用代码应为18位，由数字和大写字母组成（不含I、O、S、V、Z），第3至8位为数字"),
            code="credit_code_format",
        )
    if code[0] not in CREDIT_CODE_DEPARTMENTS:
        raise ValidationError(
            _("统一社会信用代码的第一位（登记管理部门码）不正确"), code="credit_code_department"
        )
    if code[1] not in CREDIT_CODE_TYPES[code[0]]:
        raise ValidationError(
            _("统一社会信用代码的第二位（机构类别码）与第一位的登记管理部门不相符"), code="credit_code_type"
        )
    division = code[2:8]
    if division != CREDIT_CODE_NATIONAL_DIVISION and division[:2] not in CREDIT_CODE_PROVINCES:
        raise ValidationError(
            _("统一社会信用代码的第3至8位（登记管理机关行政区划码）不是有效的行政区划代码"),
            code="credit_code_division",
        )
    if org_code_check_char(code[8:16]) != code[16]:
        raise ValidationError(
            _("统一社会信用代码的第9至17位（组织机构代码）校验位不正确，请核对后重新输入"),
            code="credit_code_org_check",
        )
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("统一社会信用代码校验码不正确，请核对后重新输入"), code="credit_code_check_char"
        )


# --- 手机号 (mainland mobile number) ---------------------------------------------------------

MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")


# Separators people type between the digits: spaces (full-width ones too), hyphens and dashes of
# every kind, dots and brackets, as a Chinese IME or a copied business card gives them.
MOBILE_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―.·()（）]+")


# Bidirectional controls reorder what a reader sees (an advisor could read a number or a name the
# other way round); they are removed. Other control characters (NUL among them, which PostgreSQL
# refuses in text) are refused; line breaks and tabs are text.
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_chars_message(text: str) -> str:
    """The refusal of ``text`` that holds a control character, saying where: the character is
    invisible, so a person could not find it otherwise."""
    found = CONTROL_CHARS.search(text)
    position = found.start() + 1 if found else 0
    return _(
        "内容第 %(n)d 个字处含有不可见的控制字符（常见于从 PDF 或 Word 复制的文字），请删除后重新填写"
    ) % {"n": position}


def plain_text(value: str | None, *, field: str) -> str:
    """Text a person typed, without bidirectional controls; ``DomainError`` on ``field`` when it
    holds other control characters."""
    text = BIDI_CONTROLS.sub("", value or "")
    if CONTROL_CHARS.search(text):
        raise DomainError(control_chars_message(text), field=field, code="control_characters")
    return text


def _dotted(path: str, key) -> str:
    return f"{path}.{key}" if path else str(key)


def plain_data(value, *, field: str = ""):
    """``plain_text`` applied to every string in decoded input (JSON, a query string): dicts and
    lists are walked, keys kept, other values left as they are. The ``DomainError`` names the
    dotted path of the string at fault (``items.0.text``), or "body" for a bare string."""
    if isinstance(value, str):
        return plain_text(value, field=field or "body")
    if isinstance(value, dict):
        return {key: plain_data(item, field=_dotted(field, key)) for key, item in value.items()}
    if isinstance(value, list):
        # Items of a list are reported on the list: a query string's ?tag=a&tag=b names "tag".
        return [plain_data(item, field=field or "body") for item in value]
    return value


def normalize_mobile(value: str) -> str:
    """The digits of a mobile number as typed: full-width digits and signs made plain (NFKC),
    separators dropped, and a leading +86 / 0086 / 86 country code removed."""
    number = MOBILE_SEPARATORS.sub("", unicodedata.normalize("NFKC", _text(value)))
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    elif number.startswith("86") and len(number) == 13:
        number = number[2:]
    return number


def validate_mobile(value: str) -> None:
    number = normalize_mobile(value)
    if not MOBILE_RE.fullmatch(number):
        raise ValidationError(_("请输入正确的11位手机号码"), code="mobile_format")


def mobile_or_empty(value: str | None) -> str:
    """The stored form of a mobile number, or "" when it is not one (for look-ups and sends that
    skip a bad number instead of refusing)."""
    number = normalize_mobile(value or "")
    return number if MOBILE_RE.fullmatch(number) else ""


def clean_mobile(value: str | None, *, field: str = "phone") -> str:
    """The stored form of a mobile number a person typed, or ``DomainError`` on ``field``: the one
    phone cleaner every service uses."""
    number = normalize_mobile(value or "")
    try:
        validate_mobile(number)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), field=field) from exc
    return number


# --- 律师执业证号 (lawyer's practising licence number) -----------------------------------------

LICENCE_NUMBER_RE = re.compile(r"^[0-9]{17}$")
LICENCE_MIN_YEAR = 1979  # lawyers' practice was restored in 1979


def validate_licence_number(value: str) -> None:
    number = re.sub(r"\s+", "", _text(value))
    if not LICENCE_NUMBER_RE.fullmatch(number):
        raise ValidationError(_("执业证号应为17位数字"), code="licence_number_format")
    year = int(number[5:9])  # positions 6-9: the year the licence was first issued
    if not LICENCE_MIN_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(_("执业证号中的年份不正确"), code="licence_number_year")


# --- 统计用区划代码 (12-digit statistical division code) ---------------------------------------

REGION_CODE_RE = re.compile(r"^[0-9]{12}$")


def validate_region_code(value: str) -> None:
    code = _text(value)
    if not REGION_CODE_RE.fullmatch(code):
        raise ValidationError(_("区划代码应为12位数字"), code="region_code_format")
