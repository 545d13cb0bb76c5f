"""The crosswalk across catalogs: the matching rule, and an assessment's coverage of another
catalog's risks, worked by hand.

The hand example. Source catalog (CoSAI-style), scope: persona pA selected.

    S1 weight 1, atlas AML.M0007@5.0.1, owasp LLM01:2025; answer 0.5   -> 50
    S2 weight 2, atlas AML.M0008@5.0.1;                   answer 0.75  -> 75
    S3 weight 1, for persona pB only (out of scope), atlas AML.M0001@5.0.1, owasp LLM04:2025
    S4 weight 3, owasp LLM06:2025;                         answered N/A -> N/A
    S5 weight 1, no mappings;                              answer 0.25  -> 25
    risks: rPoison (atlas AML.T0020@5.0.1, owasp LLM04:2025), mitigated by S1 and S5:
           engine coverage (50 + 25) / 2 = 37.5; rInject (owasp LLM01:2025), by nothing.

ATLAS-like target: mitigations M0007 (T0020, T0010.002), M0008 (T0020), M0001 (T0020),
M0020 (T0051), each mapped to itself @5.6.0; techniques T0020, T0010.002, T0051, T0010,
each mapped to itself @5.6.0.

    T0020: mitigations reached M0007 (S1), M0008 (S2); M0001 only by S3, out of scope.
           Own reference unreached (no source control maps a technique). Partly.
           coverage = (1×50 + 2×75) / (1 + 2) = 66.67; related source risk rPoison.
    T0010.002: its one mitigation M0007 reached by S1: covered, coverage 50.
    T0051: M0020 mapped by nothing: not covered, N/A.
    T0010: no mitigation; the sub-technique's S1 does not reach the parent: not covered.

FINOS-like target (schemes nist-sp-800-53r5, iso-42001 on controls: the source uses none):

    ri-10 owasp-llm llm01-2025, llm06-2025, llm10-2025; eu-ai-act c3-s2-a14.
          Counted references: the three OWASP ones (the source has no eu-ai-act).
          llm01 <- S1, llm06 <- S4 (in scope, N/A), llm10 <- nothing: partly;
          coverage 50 (S4 is N/A); related source risk rInject.
    ri-4  owasp-llm llm06-2025: reached by S4: covered, though N/A (status is reach).
    ri-9  owasp-llm llm04-2025: only S3, out of scope: not covered, N/A; listed: S3, rPoison.
    ri-16 eu-ai-act only: nothing can reach it: not covered.
"""

from __future__ import annotations

import pytest

from scorecard.scoring import (
    Answer,
    Catalog,
    Control,
    Domain,
    Question,
    Risk,
    ScoringInputError,
    score,
)
from scorecard.scoring.crosswalk_catalogs import (
    COVERED,
    NOT_COVERED,
    PARTLY,
    SCHEME_ALIASES,
    Match,
    canonical_reference,
    catalog_schemes,
    crosswalk_catalogs,
    reference_key,
    same_reference,
)

ATLAS, OWASP = "mitre-atlas", "owasp-top10-llm"


def _control(cid, weight=1.0, personas=(), risks=(), allow_na=False, **mappings):
    return Control(
        cid,
        name=f"Control {cid}",
        weight=weight,
        personas=personas,
        risks=risks,
        mappings=tuple(
            (scheme.replace("_", "-"), tuple(refs)) for scheme, refs in mappings.items()
        ),
        questions=(Question(f"{cid}.1", "scale", allow_na=allow_na),),
    )


SOURCE = Catalog(
    domains=(
        Domain(
            "D",
            controls=(
                _control(
                    "S1",
                    risks=("rPoison",),
                    mitre_atlas=["AML.M0007@5.0.1"],
                    owasp_top10_llm=["LLM01:2025"],
                ),
                _control("S2", weight=2, mitre_atlas=["AML.M0008@5.0.1"]),
                _control(
                    "S3",
                    personas=("pB",),
                    mitre_atlas=["AML.M0001@5.0.1"],
                    owasp_top10_llm=["LLM04:2025"],
                ),
                _control("S4", weight=3, allow_na=True, owasp_top10_llm=["LLM06:2025"]),
                _control("S5", risks=("rPoison",)),
            ),
        ),
    ),
    risks=(
        Risk(
            "rPoison",
            "Poisoning",
            mappings=((ATLAS, ("AML.T0020@5.0.1",)), (OWASP, ("LLM04:2025",))),
        ),
        Risk("rInject", "Injection", mappings=((OWASP, ("LLM01:2025",)),)),
    ),
)
ANSWERS = [
    Answer("S1.1", 0.5),
    Answer("S2.1", 0.75),
    Answer("S3.1", 1.0),
    Answer("S4.1", na=True),
    Answer("S5.1", 0.25),
]


def _atlas_item(ident: str) -> tuple:
    return ((ATLAS, (f"{ident}@5.6.0",)),)


def _mitigation(mid: str, *techniques: str) -> Control:
    return Control(mid, name=mid, risks=techniques, mappings=_atlas_item(mid))


ATLAS_TARGET = Catalog(
    domains=(
        Domain(
            "mitigations",
            controls=(
                _mitigation("AML.M0007", "AML.T0020", "AML.T0010.002"),
                _mitigation("AML.M0008", "AML.T0020"),
                _mitigation("AML.M0001", "AML.T0020"),
                _mitigation("AML.M0020", "AML.T0051"),
            ),
        ),
    ),
    risks=tuple(
        Risk(t, t, mappings=_atlas_item(t))
        for t in ("AML.T0020", "AML.T0010.002", "AML.T0051", "AML.T0010")
    ),
)

FINOS_TARGET = Catalog(
    domains=(
        Domain(
            "mitigations",
            controls=(
                Control(
                    "mi-1",
                    risks=("ri-10", "ri-4"),
                    mappings=(("iso-42001", ("A-6-2-3",)), ("nist-sp-800-53r5", ("cm-2",))),
                ),
            ),
        ),
    ),
    risks=(
        Risk(
            "ri-10",
            "Prompt injection",
            mappings=(
                ("eu-ai-act", ("c3-s2-a14",)),
                ("owasp-llm", ("llm01-2025", "llm06-2025", "llm10-2025")),
            ),
        ),
        Risk("ri-4", "Hallucination", mappings=(("owasp-llm", ("llm06-2025",)),)),
        Risk("ri-9", "Data poisoning", mappings=(("owasp-llm", ("llm04-2025",)),)),
        Risk("ri-16", "Bias", mappings=(("eu-ai-act", ("c3-s2-a10",)),)),
    ),
)


@pytest.fixture(scope="module")
def result():
    return score(SOURCE, ANSWERS, ("pA",))


def rows(coverage):
    return {r.id: r for r in coverage.risks}


# --- the matching rule ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (("owasp-top10-llm", "LLM01:2025"), ("owasp-llm", "llm01-2025")),
        (("mitre-atlas", "AML.T0020@5.0.1"), ("mitre-atlas", "AML.T0020")),
        (("mitre-atlas", "AML.M0007@5.0.1"), ("mitre-atlas", "AML.M0007@5.6.0")),
        (("MITRE-ATLAS", " aml.m0007 "), ("mitre-atlas", "AML.M0007")),
        (("nist-ai-rmf", "GOVERN 1.1"), ("nist-ai-rmf", "govern_1.1@1.0")),
        (("x", "a : - b"), ("x", "A-B")),
    ],
)
def test_the_same_reference_however_written(a, b):
    assert same_reference(a, b)
    assert reference_key(*a) == reference_key(*b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A sub-technique is a reference of its own.
        (("mitre-atlas", "AML.T0020.001"), ("mitre-atlas", "AML.T0020")),
        # OWASP's edition is part of the id, not a pin.
        (("owasp-top10-llm", "LLM01:2025"), ("owasp-top10-llm", "LLM01:2023")),
        # Only the aliases listed join schemes: OWASP's ML list is another list.
        (("owasp-top10-llm", "LLM01:2025"), ("owasp-ml", "llm01-2025")),
        (("nist-ai-rmf", "2-1"), ("nist-ai-600-1", "2-1")),
        (("mitre-atlas", "AML.M0007"), ("mitre-atlas", "AML.M00070")),
    ],
)
def test_different_references_stay_different(a, b):
    assert not same_reference(a, b)


def test_the_alias_table_is_exactly_the_owasp_pair():
    assert SCHEME_ALIASES == {"owasp-llm": "owasp-top10-llm"}


def test_a_pin_is_dropped_only_at_the_end():
    assert canonical_reference("AML.M0007@5.0.1") == "aml.m0007"
    assert canonical_reference("LLM01:2025") == "llm01-2025"
    assert canonical_reference("@5.0") == "@5.0"  # nothing before the @: no pin


@pytest.mark.parametrize("bad", ["", "  ", ":", " - ", None, 7])
def test_an_empty_or_non_text_reference_is_refused(bad):
    with pytest.raises(ScoringInputError, match="reference"):
        reference_key("mitre-atlas", bad)


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_an_empty_scheme_is_refused(bad):
    with pytest.raises(ScoringInputError, match="scheme"):
        reference_key(bad, "AML.M0007")


def test_schemes_of_a_catalog_are_read_as_the_rule_compares_them():
    assert catalog_schemes(SOURCE) == {ATLAS, OWASP}
    assert catalog_schemes(FINOS_TARGET) == {"iso-42001", "nist-sp-800-53r5", "eu-ai-act", OWASP}


# --- the ATLAS-like target ------------------------------------------------------------------


def test_atlas_techniques_are_covered_through_the_mitigations_both_name(result):
    coverage = crosswalk_catalogs(target=ATLAS_TARGET, source=SOURCE, result=result)
    by_id = rows(coverage)
    assert [r.id for r in coverage.risks] == [
        "AML.T0020",
        "AML.T0010.002",
        "AML.T0051",
        "AML.T0010",
    ]
    assert coverage.shared_schemes == (ATLAS,)
    assert (coverage.covered, coverage.partly, coverage.not_covered) == (1, 1, 2)

    poison = by_id["AML.T0020"]
    assert poison.status == PARTLY
    assert poison.mitigations == ("AML.M0007", "AML.M0008", "AML.M0001")
    assert poison.mitigations_reached == ("AML.M0007", "AML.M0008")
    assert poison.references == ("mitre-atlas AML.T0020@5.6.0",)
    assert poison.references_reached == ()
    assert poison.coverage == pytest.approx((1 * 50 + 2 * 75) / 3)
    assert poison.figure.shown == "66.67"
    assert "(1×50.00 + 2×75.00) / (1 + 2) = 66.67" in poison.figure.formula
    assert [(c.id, c.in_scope, c.score, c.counted) for c in poison.controls] == [
        ("S1", True, 50.0, True),
        ("S2", True, 75.0, True),
        ("S3", False, None, False),
    ]
    assert poison.controls[0].matches == (
        Match("mitre-atlas AML.M0007@5.0.1", "mitre-atlas AML.M0007@5.6.0", "AML.M0007"),
    )
    # The related source risk is listed with its own coverage: (50 + 25) / 2.
    assert [(r.id, r.coverage) for r in poison.risks] == [("rPoison", pytest.approx(37.5))]
    assert poison.risks[0].matches == (
        Match("mitre-atlas AML.T0020@5.0.1", "mitre-atlas AML.T0020@5.6.0"),
    )

    sub = by_id["AML.T0010.002"]
    assert (sub.status, sub.coverage, [c.id for c in sub.controls]) == (COVERED, 50.0, ["S1"])
    for tid in ("AML.T0051", "AML.T0010"):
        row = by_id[tid]
        assert (row.status, row.coverage, row.controls, row.risks) == (NOT_COVERED, None, (), ())
        assert row.figure.shown == "N/A"


def test_with_every_control_in_scope_the_third_mitigation_is_reached_too():
    result = score(SOURCE, ANSWERS, ())  # no persona selected: every control applies
    poison = rows(crosswalk_catalogs(target=ATLAS_TARGET, source=SOURCE, result=result))[
        "AML.T0020"
    ]
    assert poison.status == COVERED
    # S3 now counts with its answer 1.0: (1×50 + 2×75 + 1×100) / (1 + 2 + 1).
    assert poison.coverage == pytest.approx(75.0)


def test_a_source_control_mapped_to_the_technique_itself_covers_it():
    source = Catalog(domains=(Domain("D", controls=(_control("X", mitre_atlas=["AML.T0051"]),)),))
    result = score(source, [Answer("X.1", 0.25)])
    row = rows(crosswalk_catalogs(target=ATLAS_TARGET, source=source, result=result))["AML.T0051"]
    assert (row.status, row.coverage, row.references_reached) == (
        COVERED,
        25.0,
        ("mitre-atlas AML.T0051@5.6.0",),
    )
    assert row.mitigations_reached == ()  # M0020 itself is still unmapped


# --- the FINOS-like target ------------------------------------------------------------------


def test_finos_risks_are_covered_through_their_owasp_keys(result):
    coverage = crosswalk_catalogs(target=FINOS_TARGET, source=SOURCE, result=result)
    by_id = rows(coverage)
    assert coverage.shared_schemes == (OWASP,)
    assert (coverage.covered, coverage.partly, coverage.not_covered) == (1, 1, 2)

    inject = by_id["ri-10"]
    assert inject.status == PARTLY
    assert inject.references == (
        "owasp-llm llm01-2025",
        "owasp-llm llm06-2025",
        "owasp-llm llm10-2025",
    )
    assert inject.references_reached == ("owasp-llm llm01-2025", "owasp-llm llm06-2025")
    assert inject.mitigations == ()  # mi-1 maps only schemes the source does not use
    assert [(c.id, c.score) for c in inject.controls] == [("S1", 50.0), ("S4", None)]
    assert inject.coverage == 50.0
    assert [r.id for r in inject.risks] == ["rInject"]
    assert inject.risks[0].matches == (Match("owasp-top10-llm LLM01:2025", "owasp-llm llm01-2025"),)

    halluc = by_id["ri-4"]
    assert (halluc.status, halluc.coverage, halluc.figure.shown) == (COVERED, None, "N/A")

    poison = by_id["ri-9"]
    assert (poison.status, poison.coverage) == (NOT_COVERED, None)
    assert [(c.id, c.in_scope) for c in poison.controls] == [("S3", False)]
    assert [r.id for r in poison.risks] == ["rPoison"]

    bias = by_id["ri-16"]
    assert (bias.status, bias.references, bias.controls) == (NOT_COVERED, (), ())


def test_the_figure_is_the_engines_risk_coverage_over_the_same_controls(result):
    """A target risk reached through exactly rPoison's controls gets rPoison's coverage."""
    target = Catalog(
        domains=(
            Domain(
                "T",
                controls=(
                    Control("t1", risks=("tr",), mappings=((ATLAS, ("AML.M0007",)),)),
                    Control("t2", risks=("tr",), mappings=((ATLAS, ("AML.M9999",)),)),
                ),
            ),
        ),
        risks=(Risk("tr"),),
    )
    source = Catalog(
        domains=(
            Domain(
                "D",
                controls=(
                    _control("A", weight=2, risks=("r",), mitre_atlas=["AML.M0007"]),
                    _control("B", weight=1, risks=("r",), mitre_atlas=["AML.M9999@1"]),
                ),
            ),
        ),
        risks=(Risk("r"),),
    )
    result = score(source, [Answer("A.1", 0.25), Answer("B.1", 1.0)])
    row = crosswalk_catalogs(target=target, source=source, result=result).risks[0]
    # (2×25 + 1×100) / 3 = 50, the engine's coverage of r.
    assert row.coverage == pytest.approx(50.0) == pytest.approx(result.risks["r"].coverage)
    assert row.status == COVERED


# --- bad input ------------------------------------------------------------------------------


def test_a_result_of_another_catalog_is_refused(result):
    with pytest.raises(ScoringInputError, match="not scored on the source catalog"):
        crosswalk_catalogs(target=ATLAS_TARGET, source=ATLAS_TARGET, result=result)


def test_a_target_that_is_not_a_catalog_is_refused(result):
    with pytest.raises(ScoringInputError, match="target must be an engine Catalog"):
        crosswalk_catalogs(target={"risks": []}, source=SOURCE, result=result)


def test_a_target_with_a_duplicate_risk_is_refused(result):
    target = Catalog(domains=(), risks=(Risk("ri-1"), Risk("ri-1")))
    with pytest.raises(ScoringInputError, match="duplicate risk id 'ri-1'"):
        crosswalk_catalogs(target=target, source=SOURCE, result=result)


def test_a_blank_reference_in_a_target_mapping_is_refused(result):
    target = Catalog(domains=(), risks=(Risk("ri-1", mappings=(("owasp-llm", ("",)),)),))
    with pytest.raises(ScoringInputError, match="reference '' is empty"):
        crosswalk_catalogs(target=target, source=SOURCE, result=result)
