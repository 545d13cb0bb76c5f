"""Report workflows: request a PDF (reusing a cached one), render it, retry a failure.

The web request only records a queued Report and hands its id to a worker after commit; the
worker renders through render_report_to_file (reports/render.py). A finalised assessment
cannot change, so its PDF is reused while the score snapshot, the template version and
the sign-offs are the same.

Renders cost a worker 10-20 s each, so they are limited: one in flight per assessment (a
second request gets the first one's Report) and PDF_RENDERS_PER_HOUR per person.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from assessments.access import role_allows, sees_whole_organisation
from assessments.models import Membership, Organisation, Report, ReportKind, ReportStatus, SignOff
from assessments.reports import pdf

# Re-exported for the callers that render through this module (commands, tests).
from assessments.reports.render import render_report_to_file, render_to_path
from assessments.scoring import latest_snapshot
from assessments.services.guards import WorkflowError, lock_assessment, require_role
from assessments.tasks import render_report

log = logging.getLogger(__name__)

# A report still queued or rendering after this long lost its worker; offer a retry.
STALE_AFTER = timedelta(minutes=10)
# PDF_RENDERS_PER_HOUR counts the renders a person queued within this window.
RATE_WINDOW = timedelta(hours=1)
RENDERING = "create PDF scorecards"
PORTFOLIO_REFUSED = "Your role in this organisation does not allow creating PDF reports."
ABANDONED = "Rendering stopped without finishing; the worker may have restarted."


class ReportNotRetryable(ValueError):
    pass


class ReportRefused(WorkflowError):
    """A render that may not be queued now (role, rate). Nothing was written."""


def cache_key(assessment) -> str:
    """The snapshot hash a finalised assessment's PDF is cached under; "" means never cache."""
    if not assessment.is_finalised:
        return ""
    snapshot = latest_snapshot(assessment)
    return snapshot.result_hash if snapshot else ""


def cached_report(assessment, key: str) -> Report | None:
    """A finished PDF of the same snapshot and template that no later sign-off made stale."""
    if not key:
        return None
    report = (
        Report.objects.filter(
            assessment=assessment,
            status=ReportStatus.DONE,
            snapshot_hash=key,
            template_version=pdf.TEMPLATE_VERSION,
        )
        .exclude(file="")
        .order_by("-started_at", "-created_at")
        .first()
    )
    if report is None or not report.file.storage.exists(report.file.name):
        return None
    # Sign-offs are the one thing added to a finalised assessment; the PDF lists them.
    signed_later = SignOff.objects.filter(
        assessment=assessment, created_at__gte=report.started_at or report.created_at
    ).exists()
    return None if signed_later else report


# A finished render reused for a finalised assessment, a render of the same assessment
# already under way (returned instead of a second one), or a newly queued render.
CACHED, IN_FLIGHT, QUEUED = "cached", "in_flight", "queued"


@dataclass(frozen=True)
class ReportRequest:
    report: Report
    outcome: str  # CACHED, IN_FLIGHT or QUEUED

    @property
    def cached(self) -> bool:
        return self.outcome == CACHED


@transaction.atomic
def request_report(*, assessment, user) -> ReportRequest:
    """The Report to show for a PDF request: a cached PDF, the render already under way
    for this assessment, or a newly queued one (rendered once the transaction commits).

    Raises ReportRefused, with nothing written, when the user may not queue renders or
    has queued as many as PDF_RENDERS_PER_HOUR allows.
    """
    _require_render(user, assessment)
    # The assessment's row lock makes "one render in flight" hold when two requests
    # arrive together: the second waits here, then finds the first one's Report.
    return _request(lock_assessment(assessment), user)


@transaction.atomic
def retry_report(*, report: Report, user) -> ReportRequest:
    """A new render in place of a failed (or abandoned) one, which is kept as it failed.

    A new Report rather than the old one re-queued, so that every render is one row: the
    hourly rate counts each retry, for the person who retried. The same rules as a
    request apply (a cached PDF, or a render already under way, is returned instead).
    """
    _require_render(user, report.assessment)
    assessment = lock_assessment(report.assessment)
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.status == ReportStatus.DONE or not (
        report.status == ReportStatus.FAILED or is_stale(report)
    ):
        raise ReportNotRetryable("Only a failed report can be retried.")
    if report.status != ReportStatus.FAILED:
        # Abandoned by its worker: record it as the failure it was.
        report.status = ReportStatus.FAILED
        report.error = ABANDONED
        report.finished_at = timezone.now()
        report.save(update_fields=["status", "error", "finished_at"])
    return _request(assessment, user)


def _request(assessment, user) -> ReportRequest:
    """The shared tail of a request and a retry, under the assessment's row lock."""
    key = cache_key(assessment)
    cached = cached_report(assessment, key)
    if cached is not None:
        return ReportRequest(cached, CACHED)
    pending = in_flight(assessment)
    if pending is not None:
        return ReportRequest(pending, IN_FLIGHT)
    _check_rate(user)
    report = Report.objects.create(
        assessment=assessment,
        requested_by=user,
        snapshot_hash=key,
        template_version=pdf.TEMPLATE_VERSION,
    )
    _queue(report)
    return ReportRequest(report, QUEUED)


def _require_render(user, assessment) -> None:
    try:
        require_role(user=user, assessment=assessment, actions=("render",), doing=RENDERING)
    except WorkflowError as error:
        raise ReportRefused(error.message, code=error.code) from None


def in_flight(assessment) -> Report | None:
    """The newest render of this assessment still queued or rendering, unless abandoned."""
    return _in_flight(assessment=assessment)


def _in_flight(**owner) -> Report | None:
    cutoff = timezone.now() - STALE_AFTER
    return (
        Report.objects.filter(**owner, status__in=(ReportStatus.QUEUED, ReportStatus.RUNNING))
        .filter(Q(started_at__gte=cutoff) | Q(started_at__isnull=True, created_at__gte=cutoff))
        .order_by("-created_at")
        .first()
    )


@transaction.atomic
def request_portfolio_report(*, organisation, user) -> ReportRequest:
    """The render already under way for the organisation's portfolio, or a newly queued one.

    A portfolio mixes drafts, which change at any time, with finalised assessments, so its
    PDF is never reused from a cache: each request renders what the portfolio is now. The
    rate limit and "one render in flight" hold as for scorecards (the organisation's row
    lock plays the assessment's part). Raises ReportRefused, nothing written, for a
    non-member, a role without "render", or a person over the hourly rate.
    """
    membership = Membership.objects.filter(user_id=user.pk, organisation=organisation).first()
    if (
        membership is None
        or not role_allows(membership.role, "render")
        or not sees_whole_organisation(membership)
    ):
        raise ReportRefused(PORTFOLIO_REFUSED, code="role")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    pending = _in_flight(organisation=organisation, kind=ReportKind.PORTFOLIO)
    if pending is not None:
        return ReportRequest(pending, IN_FLIGHT)
    _check_rate(user)
    report = Report.objects.create(
        kind=ReportKind.PORTFOLIO,
        organisation=organisation,
        assessment=None,
        requested_by=user,
        template_version=pdf.TEMPLATE_VERSION,
    )
    _queue(report)
    return ReportRequest(report, QUEUED)


def _check_rate(user) -> None:
    """Refuse a render beyond PDF_RENDERS_PER_HOUR queued by this user in the last hour."""
    limit = settings.PDF_RENDERS_PER_HOUR
    recent = Report.objects.filter(
        requested_by_id=user.pk, created_at__gte=timezone.now() - RATE_WINDOW
    )
    count = recent.count()
    if count < limit:
        return
    # The render whose hour runs out first brings the count back under the limit; the
    # time is rounded up to the minute, so that asking at the minute named works.
    oldest = recent.order_by("created_at").values_list("created_at", flat=True)[count - limit]
    free = (oldest + RATE_WINDOW).astimezone(UTC)
    if free.second or free.microsecond:
        free = free.replace(second=0, microsecond=0) + timedelta(minutes=1)
    scorecards = "PDF scorecard" if limit == 1 else "PDF scorecards"
    raise ReportRefused(
        f"You have asked for {limit} {scorecards} in the last hour, the most one person may. "
        f"Nothing was queued. You can ask again from {free:%H:%M} UTC; the PDFs already "
        "made can still be downloaded.",
        code="rate",
    )


def _queue(report: Report) -> None:
    report_id = str(report.id)
    transaction.on_commit(lambda: render_report.delay(report_id))


def is_stale(report: Report) -> bool:
    if report.status not in (ReportStatus.QUEUED, ReportStatus.RUNNING):
        return False
    since = report.started_at or report.created_at
    return timezone.now() - since > STALE_AFTER


__all__ = [
    "CACHED",
    "IN_FLIGHT",
    "QUEUED",
    "ReportNotRetryable",
    "ReportRefused",
    "ReportRequest",
    "cache_key",
    "cached_report",
    "in_flight",
    "is_stale",
    "render_report_to_file",
    "render_to_path",
    "request_portfolio_report",
    "request_report",
    "retry_report",
]
