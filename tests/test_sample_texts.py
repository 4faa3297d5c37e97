"""Words of the sample books: plate numerals, label styles, descriptions that name what is drawn."""

from __future__ import annotations

import numpy as np
import pytest

from culti.sample.attributes import MURAL_SUBJECTS, SILK_MOTIFS, mural_attrs, silk_attrs
from culti.sample.texts import (
    chinese_numeral,
    label_for,
    mural_description,
    silk_description,
    silk_title,
)

_DIGITS = "零一二三四五六七八九"


def _spoken(n: int) -> str:
    """A naive oracle: read the digits with their units, then apply the printed-form rules."""
    digits = [int(c) for c in str(n)]
    units = ["千", "百", "十", ""][4 - len(digits):]
    out = "".join(_DIGITS[d] + (u if d else "") for d, u in zip(digits, units, strict=True))
    while "零零" in out:
        out = out.replace("零零", "零")
    out = out.rstrip("零")
    return out[1:] if out.startswith("一十") else out


@pytest.mark.parametrize("n", [1, 5, 10, 11, 19, 20, 21, 99, 100, 101, 105, 110, 111, 120, 999, 1000, 1001, 1010, 2024])
def test_chinese_numerals_match_the_oracle(n):
    assert chinese_numeral(n) == _spoken(n)


def test_label_styles():
    assert label_for("chapter", 3, 14, 40) == "图3-14"
    assert label_for("plain", 3, 14, 40) == "图40"
    assert label_for("plate", 3, 14, 5) == "图版五"
    assert label_for("chatu", 3, 14, 2) == "插图2"
    with pytest.raises(ValueError, match="label style"):
        label_for("roman", 1, 1, 1)


def test_descriptions_name_the_drawn_attributes():
    rng = np.random.default_rng(0)
    for _ in range(200):
        a = silk_attrs(rng)
        d = silk_description(a, "唐代", "新疆出土", rng)
        assert 40 <= len(d) <= 150 and f"{a.ground}色地" in d and SILK_MOTIFS[a.motif][1] in d
        assert silk_title(a).startswith(a.ground)
        if a.material == "锦":
            assert all(ink in d for ink in a.inks)
        m = mural_attrs(rng, (217, 45))
        d = mural_description(m, "盛唐")
        assert 40 <= len(d) <= 150 and f"{m.ground}地" in d and MURAL_SUBJECTS[m.subject][1] in d
