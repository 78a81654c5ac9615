import contextlib
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from guwen.core.validators import (
    CREDIT_CODE_CHARS,
    CREDIT_CODE_DEPARTMENTS,
    CREDIT_CODE_NATIONAL_DIVISION,
    CREDIT_CODE_PROVINCES,
    CREDIT_CODE_TYPES,
    ID_PROVINCE_CODES,
    credit_code_check_char,
    id_number_check_char,
    normalize_credit_code,
    normalize_id_number,
    normalize_mobile,
    org_code_check_char,
    validate_credit_code,
    validate_id_number,
    validate_licence_number,
    validate_mobile,
    validate_region_code,
)

VALIDATORS = [
    validate_id_number,
    validate_credit_code,
    validate_mobile,
    validate_licence_number,
    validate_region_code,
]


def error_code(validator, value):
    with pytest.raises(ValidationError) as info:
        validator(value)
    return info.value.code


# --- strategies -------------------------------------------------------------------------------

digits = st.text(alphabet="0123456789", min_size=1, max_size=1)


@st.composite
def id_numbers(draw):
    province = draw(st.sampled_from(sorted(ID_PROVINCE_CODES)))
    area = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    born = draw(st.dates(min_value=date(1900, 1, 1), max_value=timezone.localdate()))
    serial = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    first17 = f"{province}{area}{born:%Y%m%d}{serial}"
    return first17 + id_number_check_char(first17)


def credit_code(head: str, body: str) -> str:
    """The code whose first eight characters are ``head`` and organisation code body ``body``,
    with both check characters computed."""
    first17 = head + body + org_code_check_char(body)
    return first17 + credit_code_check_char(first17)


@st.composite
def credit_codes(draw):
    department = draw(st.sampled_from(sorted(CREDIT_CODE_DEPARTMENTS)))
    kind = draw(st.sampled_from(CREDIT_CODE_TYPES[department]))
    province = draw(st.sampled_from(sorted(CREDIT_CODE_PROVINCES)))
    area = draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    division = draw(st.sampled_from([province + area, CREDIT_CODE_NATIONAL_DIVISION]))
    body = draw(st.text(alphabet=CREDIT_CODE_CHARS, min_size=8, max_size=8))
    return credit_code(department + kind + division, body)


def single_changes(value, alphabet):
    """Every string that differs from ``value`` in exactly one position, over ``alphabet``."""
    for position, original in enumerate(value):
        for char in alphabet:
            if char != original:
                yield value[:position] + char + value[position + 1 :]


# --- 身份证号 ---------------------------------------------------------------------------------


@given(id_numbers())
def test_generated_id_numbers_pass(number):
    validate_id_number(number)
    validate_id_number(number.lower())


@settings(max_examples=30, deadline=None)
@given(id_numbers())
def test_any_single_change_of_an_id_number_fails(number):
    for changed in single_changes(number, "0123456789X"):
        with pytest.raises(ValidationError):
            validate_id_number(changed)


def test_accepts_standard_examples():
    # The worked examples of GB 11643-1999 (the 1949 one ends in X) and the brief's example.
    validate_id_number("11010519491231002X")
    validate_id_number(" 11010519491231002x ")
    assert normalize_id_number(" 11010519491231002x ") == "11010519491231002X"
    assert id_number_check_char("44030719900101123") == "2"
    validate_id_number("440307199001011232")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "id_number_format"),
        ("11010519491231002", "id_number_format"),  # 17 characters
        ("11010519491231002XX", "id_number_format"),
        ("1101051949123100X2", "id_number_format"),  # X before the end
        ("１１０１０５１９４９１２３１００２Ｘ", "id_number_format"),  # full-width digits
        ("991005194912310027", "id_number_province"),
        ("001005194912310020", "id_number_province"),
        ("440524188001010014", "id_number_birth_date"),  # GB 11643 example, but born in 1880
        ("110105194902300023", "id_number_birth_date"),  # 30 February
        ("440307199001011234", "id_number_check_char"),
        ("110105194912310021", "id_number_check_char"),
    ],
)
def test_rejects_bad_id_number(value, code):
    assert error_code(validate_id_number, value) == code


@pytest.mark.time_machine("2026-03-18T15:00:00+08:00")
def test_rejects_id_number_born_in_the_future():
    tomorrow = timezone.localdate() + timedelta(days=1)
    first17 = f"110105{tomorrow:%Y%m%d}001"
    assert error_code(validate_id_number, first17 + id_number_check_char(first17)) == "id_number_birth_date"


def test_id_number_message_is_chinese():
    with pytest.raises(ValidationError) as info:
        validate_id_number("440307199001011234")
    assert "校验码" in str(info.value.message)


def test_id_number_check_char_needs_17_digits():
    with pytest.raises(ValueError):
        id_number_check_char("1234")


# --- 统一社会信用代码 -------------------------------------------------------------------------


@given(credit_codes())
def test_generated_credit_codes_pass(code):
    validate_credit_code(code)
    validate_credit_code(code.lower())


@settings(max_examples=20, deadline=None)
@given(credit_codes())
def test_any_single_change_of_a_credit_code_fails(code):
    for changed in single_changes(code, CREDIT_CODE_CHARS + "IOSVZ"):
        with pytest.raises(ValidationError):
            validate_credit_code(changed)


@pytest.mark.parametrize(
    "code",
    # Check characters verified by hand against credit_code_check_char: the sample code used
    # in many documents, two company codes and a 司法行政 (law firm, first char 3) code.
    ["91350100M000100Y43", "91440300708461136T", "91110108551385082Q", credit_code("31440307", "MA5D0L1Q")],
)
def test_accepts_known_credit_codes(code):
    validate_credit_code(code)
    assert normalize_credit_code(f" {code.lower()} ") == code


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "credit_code_format"),
        ("91350100M000100Y4", "credit_code_format"),
        ("91350100M000100Y43A", "credit_code_format"),
        ("91350100M000I00Y43", "credit_code_format"),  # I is not in the alphabet
        ("9135A100M000100Y43", "credit_code_format"),  # division code must be digits
        ("B1350100M000100Y4" + credit_code_check_char("B1350100M000100Y4"), "credit_code_department"),
        ("91350100M000100Y44", "credit_code_check_char"),
        # 工商 (9) registers only 企业 1, 个体工商户 2 and 农民专业合作社 3; 律师 (31) is 司法行政.
        (credit_code("94350100", "M000100Y"), "credit_code_type"),
        (credit_code("3A440300", "MA5D0L1Q"), "credit_code_type"),
        (credit_code("Y2440300", "MA5D0L1Q"), "credit_code_type"),
        # 99 and 00 are no province; 10 is only 100000 itself (national registration).
        (credit_code("91990100", "M000100Y"), "credit_code_division"),
        (credit_code("91000000", "M000100Y"), "credit_code_division"),
        (credit_code("91100100", "M000100Y"), "credit_code_division"),
        (credit_code("91830000", "M000100Y"), "credit_code_division"),  # 83 is on ID cards only
        # The organisation code M000100Y4 with a wrong check digit, and the credit code's own check
        # character recomputed so that only the organisation code is wrong.
        ("91350100M000100Y5" + credit_code_check_char("91350100M000100Y5"), "credit_code_org_check"),
        ("91110000100000589A", "credit_code_org_check"),  # 10000058's check digit is 5, not 9
    ],
)
def test_rejects_bad_credit_code(value, code):
    assert error_code(validate_credit_code, value) == code


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (credit_code("94350100", "M000100Y"), "机构类别码"),
        (credit_code("91990100", "M000100Y"), "行政区划"),
        ("91350100M000100Y5" + credit_code_check_char("91350100M000100Y5"), "组织机构代码"),
    ],
)
def test_credit_code_messages_say_which_part_is_wrong(value, words):
    with pytest.raises(ValidationError) as info:
        validate_credit_code(value)
    assert words in info.value.messages[0]


def test_accepts_a_nationally_registered_credit_code():
    validate_credit_code(credit_code("11100000", "00001312"))


@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=8))
def test_org_code_check_char_matches_gb_11714(body):
    check = org_code_check_char(body)
    values = [int(char, 36) for char in body] + [10 if check == "X" else int(check)]
    # The check digit makes the weighted sum (its own weight 1) a multiple of 11.
    assert sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2, 1), strict=True)) % 11 == 0


def test_org_code_check_char_wraps_10_to_x_and_11_to_0():
    assert org_code_check_char("00000000") == "0"  # 11 - 0
    assert org_code_check_char("M000100Y") == "4"
    assert org_code_check_char("40000000") == "X"  # 4 * 3 = 12, 11 - 1 = 10


def test_credit_code_check_char_wraps_31_to_0():
    # 31 - (sum mod 31) is 31 when the sum is a multiple of 31; the check character is then "0".
    assert credit_code_check_char("00000000000000000") == "0"


# --- 手机号 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "+86 138 1234 5678",
        "008613812345678",
        "8613812345678",
        "１３８１２３４５６７８",  # full-width digits, as a Chinese IME types them
        "＋８６ １３８－１２３４－５６７８",
        "138\u30001234\u30005678",  # ideographic spaces
        "138—1234—5678",
        "(+86) 138.1234.5678",
        "（+86）13812345678",
    ],
)
def test_accepts_mobile_forms(value):
    validate_mobile(value)
    assert normalize_mobile(value) == "13812345678"


@pytest.mark.parametrize(
    "value",
    [
        "",
        "12812345678",
        "1381234567",
        "138123456789",
        "010-12345678",
        "1381234567a",
        "١٣٨١٢٣٤٥٦٧٨",  # other scripts' digits are not a Chinese mobile number
        "138\x001234\x005678",
        "+1 13812345678",
    ],
)
def test_rejects_bad_mobile(value):
    assert error_code(validate_mobile, value) == "mobile_format"


# --- 执业证号 / 区划代码 ----------------------------------------------------------------------


@pytest.mark.time_machine("2026-03-18T15:00:00+08:00")
def test_accepts_licence_number():
    validate_licence_number("11101201010123456")
    validate_licence_number(f"44031{timezone.localdate().year}10654321")
    validate_licence_number("11101197910123456")


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("1110120101012345", "licence_number_format", "执业证号应为17位数字"),
        ("1110120101012345X", "licence_number_format", "执业证号应为17位数字"),
        ("11101197810123456", "licence_number_year", "执业证号中的年份不正确"),
        ("11101999910123456", "licence_number_year", "执业证号中的年份不正确"),
    ],
)
def test_rejects_bad_licence_number(value, code, message):
    with pytest.raises(ValidationError) as info:
        validate_licence_number(value)
    assert info.value.code == code
    assert str(info.value.message) == message


def test_region_code():
    validate_region_code("440305007001")
    for bad in ["44030500700", "4403050070011", "44030500700a", ""]:
        assert error_code(validate_region_code, bad) == "region_code_format"


# --- any input --------------------------------------------------------------------------------


@given(st.text(max_size=40), st.sampled_from(VALIDATORS))
def test_random_text_raises_only_validation_error(value, validator):
    with contextlib.suppress(ValidationError):
        validator(value)


@given(st.text(alphabet="0123456789Xx +-", max_size=22), st.sampled_from(VALIDATORS))
def test_random_digit_strings_raise_only_validation_error(value, validator):
    with contextlib.suppress(ValidationError):
        validator(value)


@pytest.mark.parametrize("validator", VALIDATORS)
def test_none_is_a_validation_error(validator):
    with pytest.raises(ValidationError):
        validator(None)
