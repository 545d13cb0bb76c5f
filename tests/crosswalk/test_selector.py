"""The selector of the crosswalk page: which other catalogs an assessment meets, and the
coverage it gives their risks (hand-worked in conftest.py), at a fixed number of queries."""

from __future__ import annotations

import pytest
import yaml

from assessments.scoring import current_result
from assessments.selectors.crosswalk import catalog_crosswalk, latest_published_others
from scorecard import scoring
from scorecard.catalog.bundled import READINESS_FILE, bundled_dir
from scorecard.catalog.store import save_document
from scorecard.loader import catalog_to_dict, clear_catalog_cache, load_catalog
from scorecard.models import Framework, FrameworkStatus
from scorecard.scoring.crosswalk_catalogs import COVERED, NOT_COVERED, PARTLY
from tests.crosswalk.conftest import atlas_document, finos_document, publish

pytestmark = pytest.mark.django_db

MOD1 = 100 * (0.25 + 0.25 + 0) / 3  # 16.6667, weight 2


def rows(crosswalk, slug):
    other = next(c for c in crosswalk.catalogs if c.framework.slug == slug)
    return other.coverage, {r.id: r for r in other.coverage.risks}


def test_the_bundled_yaml_maps_the_mitigations_and_owasp_entries_to_these_controls():
    """The controls the hand figures assume, read from the bundled file with plain yaml."""
    doc = yaml.safe_load((bundled_dir() / READINESS_FILE).read_text())
    by_ref: dict[str, set[str]] = {}
    stack = list(doc["domains"])
    while stack:
        domain = stack.pop()
        stack.extend(domain.get("domains") or ())
        for control in domain.get("controls") or ():
            for refs in (control.get("mappings") or {}).values():
                for ref in refs:
                    by_ref.setdefault(ref.split("@")[0], set()).add(control["id"])
    assert by_ref["AML.M0007"] == {"controlTrainingDataSanitization"}
    assert by_ref["AML.M0008"] == {"controlAdversarialTrainingAndTesting"}
    assert "AML.M0001" not in by_ref
    both = {"controlInputValidationAndSanitization", "controlOutputValidationAndSanitization"}
    assert by_ref["AML.M0020"] == by_ref["AML.M0024"] == both
    assert by_ref["LLM01:2025"] == {"controlInputValidationAndSanitization"}
    assert (
        by_ref["LLM02:2025"] == by_ref["LLM05:2025"] == {"controlOutputValidationAndSanitization"}
    )
    assert by_ref["LLM03:2025"] == {"controlInterComponentTransportSecurity"}
    assert "LLM04:2025" not in by_ref
    assert by_ref["LLM06:2025"] == {
        "controlAgentPluginPermissions",
        "controlAgentCredentialIsolation",
    }
    assert by_ref["LLM10:2025"] == {
        "controlApplicationAccessManagement",
        "controlAgentExecutionBounds",
    }


def test_atlas_techniques_are_covered_through_shared_mitigations(answered, others):
    crosswalk = catalog_crosswalk(assessment=answered, result=current_result(answered))
    coverage, by_id = rows(crosswalk, "mitre-atlas")
    assert coverage.shared_schemes == ("mitre-atlas",)
    assert (coverage.covered, coverage.partly, coverage.not_covered) == (2, 1, 1)
    poison = by_id["AML.T0020"]
    # M0007 by DAT-4 (50) and M0008 by MOD-3 (87.5); M0001 is mapped by nothing.
    assert poison.status == PARTLY
    assert poison.mitigations_reached == ("AML.M0007", "AML.M0008")
    assert poison.coverage == pytest.approx((50 + 87.5) / 2)  # 68.75
    assert [c.id for c in poison.controls] == [
        "controlTrainingDataSanitization",
        "controlAdversarialTrainingAndTesting",
    ]
    # The bundled 5.0.1 pin matches the importer's 5.6.0 one.
    assert poison.controls[0].matches[0].source == "mitre-atlas AML.M0007@5.0.1"
    assert poison.controls[0].matches[0].target == "mitre-atlas AML.M0007@5.6.0"
    assert (by_id["AML.T0010.002"].status, by_id["AML.T0010.002"].coverage) == (COVERED, 50.0)
    injection = by_id["AML.T0051"]
    assert injection.status == COVERED
    assert injection.coverage == pytest.approx((2 * MOD1 + 1 * 0) / 3)  # 11.11
    assert injection.figure.shown == "11.11"
    assert (by_id["AML.T0010"].status, by_id["AML.T0010"].coverage) == (NOT_COVERED, None)


def test_finos_risks_are_covered_through_their_owasp_keys(answered, others):
    crosswalk = catalog_crosswalk(assessment=answered, result=current_result(answered))
    coverage, by_id = rows(crosswalk, "finos-aigf")
    assert coverage.shared_schemes == ("owasp-top10-llm",)
    assert (coverage.covered, coverage.partly, coverage.not_covered) == (1, 2, 1)
    inject = by_id["ri-10"]
    assert inject.status == PARTLY  # llm04-2025 is mapped by no bundled control
    assert inject.references_reached == (
        "owasp-llm llm01-2025",
        "owasp-llm llm06-2025",
        "owasp-llm llm10-2025",
    )
    assert inject.mitigations == ()  # mi-3 maps NIST SP 800-53 and ISO 42001 only
    # MOD-1 (w2, 16.67), APL-1 (0), APL-9 (100); APL-4 and APL-8 are N/A.
    assert inject.coverage == pytest.approx((2 * MOD1 + 0 + 100) / 4)  # 33.33
    assert [c.id for c in inject.controls if not c.counted] == [
        "controlAgentPluginPermissions",
        "controlAgentCredentialIsolation",
    ]
    assert (by_id["ri-1"].status, by_id["ri-1"].coverage) == (COVERED, 0.0)  # MOD-2 unanswered
    assert (by_id["ri-9"].status, by_id["ri-9"].coverage) == (PARTLY, (75 + 0) / 2)
    assert (by_id["ri-16"].status, by_id["ri-16"].controls) == (NOT_COVERED, ())


def test_only_other_catalogs_that_share_a_scheme_are_compared(answered, others):
    crosswalk = catalog_crosswalk(assessment=answered, result=current_result(answered))
    # Sorted by name; the NIST slice maps to nothing the bundled catalog uses.
    assert [c.framework.slug for c in crosswalk.catalogs] == ["finos-aigf", "mitre-atlas"]


def test_the_latest_published_version_is_used_and_drafts_and_retired_are_left_out(answered):
    old = publish(atlas_document(version="5.5.0", extra=1))
    newest = publish(atlas_document(version="5.6.0"))
    save_document(atlas_document(version="5.7.0", extra=5))  # a draft
    retired = publish(finos_document())
    Framework.objects.filter(pk=retired.pk).update(status=FrameworkStatus.RETIRED)
    assert old.published_at <= newest.published_at
    assert latest_published_others(answered.framework) == [newest]
    crosswalk = catalog_crosswalk(assessment=answered, result=current_result(answered))
    assert [c.framework for c in crosswalk.catalogs] == [newest]
    assert len(crosswalk.catalogs[0].coverage.risks) == 4  # not the 5 of 5.5.0 or the 9 of 5.7.0


def test_another_version_of_the_own_catalog_and_a_catalog_without_risks_are_left_out(answered):
    own = atlas_document(version="2.0")
    own["framework"]["slug"] = answered.framework.slug
    publish(own)
    riskless = atlas_document()
    riskless["framework"]["slug"] = "atlas-mitigations-only"
    riskless["risks"] = []
    for control in riskless["domains"][0]["controls"]:
        control["risks"] = []
    publish(riskless)
    assert catalog_crosswalk(assessment=answered, result=current_result(answered)).catalogs == ()


def test_a_result_of_another_catalog_is_refused(answered, others):
    atlas = load_catalog(others["atlas"])
    foreign = scoring.score(atlas, [])
    with pytest.raises(scoring.ScoringInputError, match="not scored on the source catalog"):
        catalog_crosswalk(assessment=answered, result=foreign)


@pytest.mark.parametrize("extra", [0, 60])
def test_queries_are_one_plus_eight_per_uncached_catalog_at_any_size(
    answered, extra, django_assert_num_queries
):
    publish(atlas_document(extra=extra))
    publish(finos_document())
    result = current_result(answered)
    clear_catalog_cache()
    load_catalog(answered.framework)  # the page has loaded the assessment's own to score it
    with django_assert_num_queries(1 + 8 * 2):
        cold = catalog_crosswalk(assessment=answered, result=result)
    with django_assert_num_queries(1):
        warm = catalog_crosswalk(assessment=answered, result=result)
    assert len(cold.catalogs[1].coverage.risks) == len(warm.catalogs[1].coverage.risks) == 4 + extra


def test_risk_mappings_reach_the_engine_but_not_the_catalog_fingerprint(others):
    atlas = load_catalog(others["atlas"])
    assert atlas.risks[0].mappings == (("mitre-atlas", ("AML.T0020@5.6.0",)),)
    assert catalog_to_dict(atlas)["risks"][0] == {
        "id": "AML.T0020",
        "name": "Technique AML.T0020",
        "category": "",
    }
