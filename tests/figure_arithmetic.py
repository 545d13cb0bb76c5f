"""Working a "why" page's printed arithmetic by hand, for the tests that check derivations.

Written independently of scorecard/scoring/figures.py: the tests must not trust the code
whose output they check. The arithmetic uses decimal numbers, + − × /, parentheses (× and
/ bind tighter than + and −, left to right) and count(a, b, …), the number of items listed.
"""

from __future__ import annotations

import re
from fractions import Fraction

TOKEN = re.compile(r"count\([^)]*\)|\d+(?:\.\d+)?|[()+×/−-]")


def evaluate(arithmetic: str) -> Fraction:
    """The exact value of printed arithmetic."""
    tokens = TOKEN.findall(arithmetic)
    assert "".join(tokens).replace(" ", "") == arithmetic.replace(" ", ""), arithmetic
    pos = 0

    def peek():
        return tokens[pos] if pos < len(tokens) else None

    def take():
        nonlocal pos
        pos += 1
        return tokens[pos - 1]

    def factor() -> Fraction:
        token = take()
        if token == "(":
            value = expr()
            assert take() == ")", arithmetic
            return value
        if token.startswith("count("):
            inside = token[len("count(") : -1]
            return Fraction(len([item for item in inside.split(", ") if item.strip()]))
        return Fraction(token)

    def term() -> Fraction:
        value = factor()
        while peek() in ("×", "/"):
            value = value * factor() if take() == "×" else value / factor()
        return value

    def expr() -> Fraction:
        value = term()
        while peek() in ("+", "−", "-"):
            value = value + term() if take() == "+" else value - term()
        return value

    value = expr()
    assert pos == len(tokens), arithmetic
    return value


def shown_value(text: str) -> Fraction:
    """A number as a page prints it: "58.33", "+3.21", "-1.00", "±0.00", "25"."""
    return Fraction(text.replace("±", "").replace("−", "-").lstrip("+"))


def places(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def matches(arithmetic: str, rounding: str, shown: str) -> bool:
    """Whether the arithmetic, rounded as the rounding line says, gives the number shown."""
    exact = evaluate(arithmetic)
    target = shown_value(shown)
    if "nothing to round" in rounding or "nothing else to round" in rounding:
        return exact == target
    digits = re.search(r"rounded to (\d+) decimals", rounding)
    if digits is None:
        step = Fraction(1, 10 ** places(shown))
        boundary = (exact // step) * step + step / 2
        if "a hair from a rounding boundary" in rounding:
            # Binary floating point crossed a boundary the exact arithmetic misses by less
            # than 1e-9; the page says so and shows one of the two neighbours.
            near = abs(exact - boundary) < Fraction(1, 10**9)
            return near and abs(boundary - target) == step / 2
        # A tie the exact arithmetic lands on: the page says so and shows one neighbour.
        assert "exactly halfway between" in rounding, rounding
        return exact == boundary and abs(exact - target) == step / 2
    assert "halfway goes to the even digit" in rounding, rounding
    assert int(digits.group(1)) == places(shown), (rounding, shown)
    # Fraction's round() is exact and sends halves to the even digit.
    return round(exact, places(shown)) == target
