import pytest
from hypothesis import given
from hypothesis import strategies as st

from guwen.core.masking import mask_id_number, mask_name, mask_phone


def test_masks_phone():
    assert mask_phone("13812345678") == "138****5678"


def test_masks_id_number():
    assert mask_id_number("440307199001011234") == "440307********1234"
    assert mask_id_number("11010519491231002X") == "110105********002X"


@pytest.mark.parametrize(
    ("name", "masked"), [("张三丰", "张**"), ("张三", "张*"), ("欧阳娜娜", "欧***"), ("张", "*")]
)
def test_masks_name(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize("mask", [mask_phone, mask_id_number, mask_name])
@pytest.mark.parametrize("value", [None, "", "   "])
def test_empty_input_gives_empty_string(mask, value):
    assert mask(value) == ""


def test_short_input_is_all_stars():
    assert mask_phone("1234567") == "*******"
    assert mask_id_number("1234567890") == "**********"


@given(st.one_of(st.none(), st.text(max_size=30)), st.sampled_from([mask_phone, mask_id_number, mask_name]))
def test_never_raises_and_keeps_length(value, mask):
    masked = mask(value)
    assert isinstance(masked, str)
    assert len(masked) == len((value or "").strip())
