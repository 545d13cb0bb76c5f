"""Figures a reader can recompute by hand: the arithmetic behind a number, at the precision
the number needs.

A score on the page is rounded to two decimals, but the engine computes at full precision. So
an explanation that printed its inputs rounded to two decimals could do arithmetic that lands
one hundredth away from the result it explains (58.33 shown, 58.34 from the printed sum).
Here each figure's arithmetic is built from the inputs at a chosen number of decimals, worked
exactly (fractions, no binary floating point), rounded the way the page rounds, and compared
with the number shown. The first precision that reproduces it is the one printed: two
decimals when those suffice (the inputs then read exactly as on the scorecard), more when
they do not. Shares (fractions of 1) are always printed two decimals finer than scores,
since a share multiplies a 0-100 score.

The arithmetic uses only decimal numbers, + − × / and parentheses, and count(a, b, …) for the
number of items listed, so it can be checked with a pencil or any calculator.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import NamedTuple

# The decimals a computed input may be printed with, tried in order.
PRECISIONS = (2, 4, 6, 9, 12, 15)
SHARE_EXTRA = 2
SHOWN_DECIMALS = 2
HALF_EVEN = "a value exactly halfway goes to the even digit"
NA = "N/A"


@dataclass(frozen=True, slots=True)
class Figure:
    """One number of the scorecard and how it comes about.

    ``shown`` is the number exactly as the scorecard prints it. ``arithmetic`` is the rule
    with the numbers put in (empty when the figure is not a number, or N/A); ``rounding``
    says how the exact value of the arithmetic becomes ``shown``.
    """

    id: str
    label: str
    shown: str
    rule: str
    arithmetic: str
    rounding: str
    value: float | None = None
    numeric: bool = True

    @property
    def formula(self) -> str:
        """The rule, the arithmetic and the result on one line (for N/A: the reason)."""
        if self.arithmetic and self.arithmetic != self.shown:
            return f"{self.rule} = {self.arithmetic} = {self.shown}"
        if self.arithmetic:
            return f"{self.rule} = {self.shown}"
        if self.shown == NA and self.rounding:
            return f"{self.rule} = {NA}: {self.rounding}"
        return f"{self.rule} = {self.shown}"


class Expr(NamedTuple):
    """Arithmetic text and its exact value. ``shape`` is "atom" (one number), "product" (× and
    / only) or "sum" (+ or −): what decides where parentheses are needed."""

    text: str
    exact: Fraction
    shape: str = "atom"


# --- numbers ------------------------------------------------------------------------------


def plain(value: float) -> str:
    """A number as stored, with no rounding and no exponent: 1, 1.5, 0.25, 0.0001."""
    if float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = format(Decimal(repr(float(value))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def exact(value: float) -> Expr:
    """A catalog weight, an answer value or a count: printed as it is, so exact."""
    text = plain(value)
    return Expr(text, Fraction(Decimal(text)))


def fixed(value: float, places: int) -> Expr:
    """A computed input (a score, a share) printed to ``places`` decimals."""
    text = f"{round(float(value), places) + 0.0:.{places}f}"
    return Expr(text, Fraction(Decimal(text)))


def _group(e: Expr) -> str:
    return f"({e.text})" if e.shape == "sum" else e.text


def add(terms: Iterable[Expr]) -> Expr:
    items = list(terms)
    if not items:
        return Expr("0", Fraction(0))
    if len(items) == 1:
        return items[0]
    return Expr(
        " + ".join(e.text for e in items), sum((e.exact for e in items), Fraction(0)), "sum"
    )


def sub(a: Expr, b: Expr) -> Expr:
    return Expr(f"{a.text} − {_group(b)}", a.exact - b.exact, "sum")


def times(a: Expr, b: Expr, *, spaced: bool = True) -> Expr:
    # × and / bind equally and left to right, so only a sum needs parentheses here.
    sign = " × " if spaced else "×"
    return Expr(f"{_group(a)}{sign}{_group(b)}", a.exact * b.exact, "product")


def over(a: Expr, b: Expr) -> Expr:
    right = b.text if b.shape == "atom" else f"({b.text})"
    return Expr(f"{_group(a)} / {right}", a.exact / b.exact, "product")


def weighted_mean(pairs: Iterable[tuple[Expr, Expr]], scale: Expr | None = None) -> Expr:
    """(w₁×s₁ + w₂×s₂ + …) / (w₁ + w₂ + …), or scale × (…) / (…) with a scale (100)."""
    pairs = list(pairs)
    top = add(times(w, s, spaced=False) for w, s in pairs)
    if scale is not None:
        top = times(scale, top)
    return over(top, add(w for w, _ in pairs))


def count(items: Iterable[str]) -> Expr:
    items = list(items)
    return Expr(f"count({', '.join(items)})", Fraction(len(items)))


# --- rounding -----------------------------------------------------------------------------


def decimals_of(shown: str) -> int:
    return len(shown.split(".", 1)[1]) if "." in shown else 0


def parse_shown(shown: str) -> Fraction:
    """The value of a number as the page prints it: "+3.21", "−1.00", "±0.00", "58.33"."""
    text = shown.replace("±", "").replace("−", "-").lstrip("+")
    return Fraction(Decimal(text))


def rounded(value: Fraction, places: int) -> Fraction:
    # Exact: scale, round half to even on the integer, scale back.
    scaled = value * 10**places
    floor = scaled.numerator // scaled.denominator
    rest = scaled - floor
    if rest > Fraction(1, 2) or (rest == Fraction(1, 2) and floor % 2 == 1):
        floor += 1
    return Fraction(floor, 10**places)


def reproduces(e: Expr, shown: str) -> bool:
    return rounded(e.exact, decimals_of(shown)) == parse_shown(shown)


def decimal_text(value: Fraction, places: int) -> str:
    """The exact value when it has at most ``places`` decimals, else "≈" and ``places``."""
    q = rounded(value, places)
    text = f"{Decimal(q.numerator) / Decimal(q.denominator):.{places}f}"
    if q != value:
        return f"≈ {text}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return f"{whole}.{frac}" if frac else whole


def fit(build: Callable[[int], Expr], shown: str) -> tuple[Expr, int]:
    """The arithmetic at the first precision that reproduces ``shown``, else at the finest
    (which is then the exact value of the inputs, as near as binary floats get)."""
    e = build(PRECISIONS[0])
    for places in PRECISIONS:
        e = build(places)
        if reproduces(e, shown):
            return e, places
    return e, PRECISIONS[-1]


def _result_sentence(e: Expr, shown: str) -> str:
    digits = decimals_of(shown)
    worked = decimal_text(e.exact, digits + 4)
    if reproduces(e, shown):
        return (
            f"Worked exactly, the arithmetic gives {worked}; rounded to {digits} decimals "
            f"({HALF_EVEN}), that is {shown}."
        )
    step = Fraction(1, 10**digits)
    low = (e.exact // step) * step
    if e.exact - low == step / 2:
        # Exact arithmetic lands on a tie that binary floating point does not: the engine's
        # number is a hair to one side of it, and the page shows the engine's rounding.
        return (
            f"Worked exactly, the arithmetic gives {worked}, exactly halfway between "
            f"{decimal_text(low, digits)} and {decimal_text(low + step, digits)}; the engine's "
            f"binary arithmetic lands a hair to one side, so the scorecard shows {shown}."
        )
    return (
        f"Worked exactly, the arithmetic gives {worked}, a hair from a rounding boundary; the "
        f"engine's binary arithmetic rounds it to {shown}."
    )


def rounding_text(e: Expr, shown: str, places: int, *, shares: bool = False) -> str:
    inputs = f"Scores in the arithmetic are printed to {places} decimals"
    if shares:
        inputs += f" and shares to {places + SHARE_EXTRA}"
    return (
        f"{inputs}, enough to reproduce the result; the engine itself works at full "
        f"precision. {_result_sentence(e, shown)}"
    )


def exact_rounding(e: Expr, shown: str) -> str:
    """For arithmetic of exact inputs only (catalog weights, answer values, counts)."""
    return (
        f"Every input is exact (as stored in the catalog or counted). {_result_sentence(e, shown)}"
    )


COUNT_ROUNDING = "A count of the items listed: nothing to round."
CATALOG_ROUNDING = "A value set in the catalog, shown as stored: nothing to round."
RULE_ROUNDING = "A fixed value of the methodology, shown as it is: nothing to round."


# --- figure builders ------------------------------------------------------------------------


def computed(
    ident: str,
    label: str,
    rule: str,
    value: float | None,
    shown: str,
    build: Callable[[int], Expr],
    *,
    shares: bool = False,
    na_reason: str = "",
) -> Figure:
    """A figure computed from other computed figures (scores, shares)."""
    if value is None:
        return Figure(ident, label, NA, rule, "", na_reason or "nothing to compute", None)
    e, places = fit(build, shown)
    return Figure(
        ident, label, shown, rule, e.text, rounding_text(e, shown, places, shares=shares), value
    )


def from_exact(
    ident: str,
    label: str,
    rule: str,
    value: float | None,
    shown: str,
    e: Expr | None,
    *,
    na_reason: str = "",
) -> Figure:
    """A figure whose inputs are all exact (catalog weights, answer values, counts)."""
    if value is None or e is None:
        return Figure(ident, label, NA, rule, "", na_reason or "nothing to compute", None)
    return Figure(ident, label, shown, rule, e.text, exact_rounding(e, shown), value)


def counted(ident: str, label: str, rule: str, items: Iterable[str]) -> Figure:
    e = count(items)
    n = int(e.exact)
    return Figure(ident, label, str(n), rule, e.text, COUNT_ROUNDING, float(n))


def stated(ident: str, label: str, rule: str, value: float, shown: str, rounding: str) -> Figure:
    """A value the catalog or the methodology sets: its arithmetic is the value itself."""
    return Figure(ident, label, shown, rule, plain(value), rounding, float(value))


def words(ident: str, label: str, shown: str, rule: str, rounding: str = "") -> Figure:
    """A figure that is not a number (a tier name), explained in words."""
    return Figure(ident, label, shown, rule, "", rounding, None, numeric=False)


def anchor(*parts: str) -> str:
    """An HTML id from ids of any characters: letters, digits and "-" stay, every other
    character becomes _hex_, and parts are joined with "." (never produced by escaping)."""
    return ".".join(
        "".join(
            ch if (ch.isascii() and ch.isalnum()) or ch == "-" else f"_{ord(ch):x}_" for ch in part
        )
        for part in parts
    )
