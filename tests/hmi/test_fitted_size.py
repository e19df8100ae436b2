"""Shrink-to-fit gives the largest size that fits, not the first the estimate lands on: glyph
advances round per size, so a text scaled from its 14 px extents can land one size short of
one that fits (German "Gondwana Stone, Dach Glacier White" in My vehicle drew at 9 px, under
the legible minimum, though it fits at 10)."""

from __future__ import annotations

import pytest

from hmi.widgets.controls import SMALLEST, fitted_size, natural_size

TEXTS = ["Gondwana Stone, Dach Glacier White", "Keswick Green, Narvik Black roof",
         "Wheelarch extensions", "Heritage Numeral decals"]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("width", [120, 150, 167, 190, 215])
def test_the_fitted_size_is_the_largest_that_fits(window, text: str, width: int) -> None:
    size = fitted_size(text, 14, False, width, 40)
    assert natural_size(text, size, False)[0] <= width or size == SMALLEST
    if size < 13:
        assert natural_size(text, size + 1, False)[0] > width, f"{size + 1} px fits too"
