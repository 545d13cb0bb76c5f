"""How wide a chart label is, so charts wrap or shorten it to the room it has.

SVG text does not wrap, and a label that is too long runs off the chart and is clipped
("xhaustion…" instead of "Resource exhaustion"). Charts are drawn in DejaVu Sans, the font
the PDF embeds and the first the page asks for; its advance widths for printable ASCII are
below, in thousandths of the font size (read from DejaVuSans.ttf and DejaVuSans-Bold.ttf,
version 2.37). Any other character counts as the widest, so a measured label can only be
narrower than measured, never wider. Browsers without DejaVu Sans fall back to Helvetica
or Arial, which are narrower still. Pure functions: no Django, no I/O.
"""

from __future__ import annotations

FIRST = 32  # the space; the tables run to "~" (126)
WIDEST = 1000
REGULAR = (
    318,
    401,
    460,
    838,
    636,
    950,
    780,
    275,
    390,
    390,
    500,
    838,
    318,
    361,
    318,
    337,
    636,
    636,
    636,
    636,
    636,
    636,
    636,
    636,
    636,
    636,
    337,
    337,
    838,
    838,
    838,
    531,
    1000,
    684,
    686,
    698,
    770,
    632,
    575,
    775,
    752,
    295,
    295,
    656,
    557,
    863,
    748,
    787,
    603,
    787,
    695,
    635,
    611,
    732,
    684,
    989,
    685,
    611,
    685,
    390,
    337,
    390,
    838,
    500,
    500,
    613,
    635,
    550,
    635,
    615,
    352,
    635,
    634,
    278,
    278,
    579,
    278,
    974,
    634,
    612,
    635,
    635,
    411,
    521,
    392,
    634,
    592,
    818,
    592,
    592,
    525,
    636,
    337,
    636,
    838,
)
BOLD = (
    348,
    456,
    521,
    838,
    696,
    1002,
    872,
    306,
    457,
    457,
    523,
    838,
    380,
    415,
    380,
    365,
    696,
    696,
    696,
    696,
    696,
    696,
    696,
    696,
    696,
    696,
    400,
    400,
    838,
    838,
    838,
    580,
    1000,
    774,
    762,
    734,
    830,
    683,
    683,
    821,
    837,
    372,
    372,
    775,
    637,
    995,
    837,
    850,
    733,
    850,
    770,
    720,
    682,
    812,
    774,
    1103,
    771,
    724,
    725,
    457,
    365,
    457,
    838,
    500,
    500,
    675,
    716,
    593,
    716,
    678,
    435,
    716,
    712,
    343,
    343,
    665,
    343,
    1042,
    712,
    687,
    716,
    716,
    493,
    595,
    478,
    712,
    652,
    924,
    645,
    652,
    582,
    712,
    365,
    712,
    838,
)
ELLIPSIS = "…"


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width of one line of text at `size` (user units), in the same units."""
    table = BOLD if bold else REGULAR
    total = 0
    for char in text:
        code = ord(char) - FIRST
        total += table[code] if 0 <= code < len(table) else WIDEST
    return total * size / 1000


def shorten(text: str, width: float, size: float, *, bold: bool = False) -> str:
    """The text, or as much of it as fits in `width` followed by an ellipsis."""
    if text_width(text, size, bold=bold) <= width:
        return text
    kept = text
    while kept and text_width(kept.rstrip() + ELLIPSIS, size, bold=bold) > width:
        kept = kept[:-1]
    return kept.rstrip() + ELLIPSIS


def wrap(text: str, width: float, size: float, *, max_lines: int = 2) -> list[str]:
    """The text broken between words into lines no wider than `width`; what does not fit
    in `max_lines` is cut at a word and ends the last line with an ellipsis. A line breaks
    only at a space, never inside a word: a single word wider than the room is shortened."""
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    current, started = "", 0
    for i, word in enumerate(words):
        trial = f"{current} {word}" if current else word
        if text_width(trial, size) <= width:
            current = trial
            continue
        if len(lines) == max_lines - 1:
            # The last line allowed: everything from its first word on, shortened to fit.
            return [*lines, shorten(" ".join(words[started:]), width, size)]
        if current:
            lines.append(current)
        current, started = word, i
    lines.append(current)
    return [shorten(line, width, size) for line in lines]
