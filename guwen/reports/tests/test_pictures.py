"""Chart labels in the summary's pictures never run into their neighbours."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from guwen.reports.pictures import _fit, _font

FONT = _font(26)
LETTERS = "劳动争议婚姻家庭合同纠纷侵权损害赔偿物业服务与邻里AB1 "


@settings(max_examples=60, deadline=None)
@given(label=st.text(alphabet=LETTERS, min_size=1, max_size=40))
def test_a_label_is_cut_into_at_most_two_lines_that_fit_its_slot(label):
    width = 160.0
    lines = _fit(label, FONT, width)
    assert 1 <= len(lines) <= 2
    assert all(FONT.getlength(line) <= width or len(line) <= 2 for line in lines)
    text = "".join(lines)
    if text.endswith("…"):
        assert label.startswith(text[:-1]) and len(text) - 1 < len(label)
    else:
        assert text == label


def test_a_short_label_stays_whole_on_one_line():
    assert _fit("其他", FONT, 160) == ["其他"]
