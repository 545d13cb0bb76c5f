"""Access rules on every scorecard, report and export URL.

Who may use each URL is written out below by hand (not read from assessments.access), so
a change to the permission table shows up here as a failing test.
"""

import pytest
from django.urls import reverse

from assessments.models import Assessment, Membership, Report, ReportStatus
from tests.conftest import release
from tests.factories import make_assessment

pytestmark = pytest.mark.django_db

ROLES = ("owner", "assessor", "viewer", "auditor")
# The "why" pages about the whole assessment that came with "every figure explained".
WHOLE_KINDS = ("completeness", "risks", "gaps", "tier", "path", "crosswalk")


@pytest.fixture
def done_report(scored, owner):
    from django.core.files.base import ContentFile

    report = Report(assessment=scored, requested_by=owner, status=ReportStatus.DONE, size=8)
    report.file.save("r.pdf", ContentFile(b"%PDF-1.7"), save=False)
    report.save()
    return report


# Every role of the organisation may read a scorecard and take its files away; viewers
# may not queue PDF renders (request, retry), only download the PDFs others made.
ALLOWED = {
    "scorecard": {"owner", "assessor", "viewer", "auditor"},
    "explain": {"owner", "assessor", "viewer", "auditor"},
    **{f"why-{kind}": {"owner", "assessor", "viewer", "auditor"} for kind in WHOLE_KINDS},
    "why-delta": {"owner", "assessor", "viewer", "auditor"},
    "request": {"owner", "assessor", "auditor"},
    "status": {"owner", "assessor", "viewer", "auditor"},
    "download": {"owner", "assessor", "viewer", "auditor"},
    "retry": {"owner", "assessor", "auditor"},
    "csv": {"owner", "assessor", "viewer", "auditor"},
    "xlsx": {"owner", "assessor", "viewer", "auditor"},
    "json": {"owner", "assessor", "viewer", "auditor"},
    "summary-csv": {"owner", "assessor", "viewer", "auditor"},
}


def urls(assessment, report) -> dict[str, tuple[str, str, str]]:
    """name -> (method, url, action)"""
    a = {"assessment_id": assessment.pk}
    r = {"report_id": report.pk}
    # An earlier assessment of the same organisation to compare with.
    earlier = Assessment.objects.filter(organisation=assessment.organisation).exclude(
        pk=assessment.pk
    ).first() or make_assessment(assessment.organisation, assessment.framework, title="Earlier")
    whole = {
        f"why-{kind}": (
            "get",
            reverse("score_explain", kwargs={**a, "kind": kind, "ref": "overall"}),
            "view",
        )
        for kind in WHOLE_KINDS
    }
    return {
        **whole,
        "why-delta": (
            "get",
            reverse("compare_explain", kwargs={**a, "other_id": earlier.pk}),
            "view",
        ),
        "scorecard": ("get", reverse("scorecard", kwargs=a), "view"),
        "explain": (
            "get",
            reverse("score_explain", kwargs={**a, "kind": "overall", "ref": "overall"}),
            "view",
        ),
        "request": ("post", reverse("report_request", kwargs=a), "render"),
        "status": ("get", reverse("report_status", kwargs=r), "export"),
        "download": ("get", reverse("report_download", kwargs=r), "export"),
        "retry": ("post", reverse("report_retry", kwargs=r), "render"),
        "csv": ("get", reverse("assessment_export", kwargs={**a, "fmt": "csv"}), "export"),
        "xlsx": ("get", reverse("assessment_export", kwargs={**a, "fmt": "xlsx"}), "export"),
        "json": ("get", reverse("assessment_export", kwargs={**a, "fmt": "json"}), "export"),
        "summary-csv": (
            "get",
            reverse("assessment_export", kwargs={**a, "fmt": "summary-csv"}),
            "export",
        ),
    }


NAMES = (
    "scorecard",
    "explain",
    *(f"why-{kind}" for kind in WHOLE_KINDS),
    "why-delta",
    "request",
    "status",
    "download",
    "retry",
    "csv",
    "xlsx",
    "json",
    "summary-csv",
)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("role", ROLES)
def test_every_role_allowed_by_the_table_gets_in(client, request, scored, done_report, role, name):
    user = request.getfixturevalue(role)
    method, url, _ = urls(scored, done_report)[name]
    client.force_login(user)
    response = getattr(client, method)(url)
    if role in ALLOWED[name]:
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"]
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("name", NAMES)
def test_outsider_gets_404(client, outsider, scored, done_report, name):
    method, url, _ = urls(scored, done_report)[name]
    client.force_login(outsider)
    response = getattr(client, method)(url)
    assert response.status_code == 404
    release(response)


@pytest.mark.parametrize("name", NAMES)
def test_anonymous_is_sent_to_log_in(client, scored, done_report, name):
    method, url, _ = urls(scored, done_report)[name]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", NAMES)
def test_auditor_limited_to_another_assessment_gets_404(
    client, auditor, organisation, report_framework, scored, done_report, name
):
    elsewhere = make_assessment(organisation, report_framework, title="Another system")
    Membership.objects.get(user=auditor).limited_to.add(elsewhere)
    method, url, _ = urls(scored, done_report)[name]
    client.force_login(auditor)
    assert getattr(client, method)(url).status_code == 404


def test_outsider_download_leaks_nothing(client, outsider, done_report):
    client.force_login(outsider)
    response = client.get(reverse("report_download", kwargs={"report_id": done_report.pk}))
    assert response.status_code == 404
    assert b"%PDF" not in response.content


def test_unknown_report_is_404(client, owner, scored):
    client.force_login(owner)
    url = reverse("report_download", kwargs={"report_id": "00000000-0000-0000-0000-000000000000"})
    assert client.get(url).status_code == 404
