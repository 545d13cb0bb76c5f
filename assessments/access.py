"""Every view fetches organisations and assessments through these helpers.

The rules: an object of an organisation the user is not a member of is a 404 (its
existence is never revealed); an object the user may see but not act on with their
role is a 403. Auditors limited to named assessments see only those.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from assessments.models import (
    AISystem,
    Assessment,
    Evidence,
    Invitation,
    Membership,
    Organisation,
    Report,
    ReviewComment,
    Role,
    SystemProposal,
)

SESSION_ORGANISATION = "organisation_id"

# Which roles may do what. Views name the action they perform; nothing else decides.
PERMISSIONS: dict[str, frozenset[str]] = {
    "view": frozenset({Role.OWNER, Role.ASSESSOR, Role.VIEWER, Role.AUDITOR}),
    "create": frozenset({Role.OWNER, Role.ASSESSOR}),
    "answer": frozenset({Role.OWNER, Role.ASSESSOR}),
    "submit": frozenset({Role.OWNER, Role.ASSESSOR}),
    "assign": frozenset({Role.OWNER}),
    "review": frozenset({Role.OWNER, Role.AUDITOR}),
    "reply": frozenset({Role.OWNER, Role.ASSESSOR}),
    # Taking part in a review thread: replying to or resolving a comment.
    "thread": frozenset({Role.OWNER, Role.ASSESSOR, Role.AUDITOR}),
    "finalise": frozenset({Role.OWNER}),
    "reopen": frozenset({Role.OWNER}),
    # Moving a draft to another version of its catalog.
    "upgrade": frozenset({Role.OWNER}),
    "signoff": frozenset({Role.AUDITOR}),
    # Taking files away: CSV/XLSX/JSON exports, a PDF's progress and its download.
    "export": frozenset({Role.OWNER, Role.ASSESSOR, Role.VIEWER, Role.AUDITOR}),
    # Queuing a PDF render (and retrying a failed one): each costs a worker 10-20 s, so
    # viewers, who only read, download the PDFs others made.
    "render": frozenset({Role.OWNER, Role.ASSESSOR, Role.AUDITOR}),
    "audit_log": frozenset({Role.OWNER, Role.AUDITOR}),
    "manage_members": frozenset({Role.OWNER}),
    # The AI system inventory: owners create, edit and decide on proposals; assessors (and
    # owners) propose a new system or a change, and withdraw their own proposal.
    "manage_systems": frozenset({Role.OWNER}),
    "propose_systems": frozenset({Role.OWNER, Role.ASSESSOR}),
}


def role_allows(role: str, action: str) -> bool:
    try:
        return role in PERMISSIONS[action]
    except KeyError:
        raise ValueError(f"unknown action {action!r}") from None


@dataclass(frozen=True)
class Access:
    organisation: Organisation
    membership: Membership

    @property
    def role(self) -> str:
        return self.membership.role

    def can(self, action: str) -> bool:
        return role_allows(self.role, action)


def memberships_of(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    return list(Membership.objects.filter(user=user).select_related("organisation"))


def current_access(request: HttpRequest) -> Access | None:
    """The organisation the user works in now: the one chosen in the session, else the first."""
    return _choose(memberships_of(request.user), request.session.get(SESSION_ORGANISATION))


def _choose(memberships: list[Membership], chosen) -> Access | None:
    if not memberships:
        return None
    for membership in memberships:
        if membership.organisation_id == chosen:
            return Access(membership.organisation, membership)
    return Access(memberships[0].organisation, memberships[0])


def organisations_menu(request: HttpRequest) -> tuple[list[Membership], Access | None]:
    """All the user's memberships and the current one, in one query (for the switcher)."""
    memberships = memberships_of(request.user)
    return memberships, _choose(memberships, request.session.get(SESSION_ORGANISATION))


def require_current_access(request: HttpRequest, action: str = "view") -> Access:
    access = current_access(request)
    if access is None:
        raise Http404("You are not a member of any organisation.")
    if not access.can(action):
        raise PermissionDenied(f"Your role ({access.role}) does not allow this.")
    return access


LIMITED_REFUSED = (
    "Your access is limited to the assessments you were named for, so the organisation's "
    "portfolio, which covers all of its AI systems, is not open to you."
)


def sees_whole_organisation(membership: Membership) -> bool:
    """False for an auditor limited to named assessments: organisation-wide views (the
    portfolio, its exports and PDFs) would show them assessments they were not named for."""
    return membership.role != Role.AUDITOR or not membership.limited_to.exists()


def require_organisation_wide(request: HttpRequest, action: str = "view") -> Access:
    """`require_current_access`, refusing (403) a member who sees only named assessments."""
    access = require_current_access(request, action)
    if not sees_whole_organisation(access.membership):
        raise PermissionDenied(LIMITED_REFUSED)
    return access


def get_portfolio_report(request: HttpRequest, report_id, action: str = "export") -> tuple:
    """Return (report, access) for a portfolio report of one of the user's organisations:
    404 for a scorecard report or another organisation's, 403 without `action`."""
    report = (
        Report.objects.select_related("organisation")
        .filter(pk=report_id, kind="portfolio", organisation__isnull=False)
        .first()
    )
    if report is None:
        raise Http404("No such report.")
    access = _require(membership_in(request.user, report.organisation), action)
    if not sees_whole_organisation(access.membership):
        raise PermissionDenied(LIMITED_REFUSED)
    return report, access


def switch_organisation(request: HttpRequest, slug: str) -> Access:
    membership = (
        Membership.objects.filter(user=request.user, organisation__slug=slug)
        .select_related("organisation")
        .first()
    )
    if membership is None:
        raise Http404("No such organisation.")
    request.session[SESSION_ORGANISATION] = membership.organisation_id
    return Access(membership.organisation, membership)


def visible_assessments(user):
    """Assessments the user may see in any of their organisations."""
    if not user.is_authenticated:
        return Assessment.objects.none()
    memberships = Membership.objects.filter(user=user)
    full = memberships.exclude(role=Role.AUDITOR) | memberships.filter(
        role=Role.AUDITOR, limited_to__isnull=True
    )
    limited_ids = Membership.limited_to.through.objects.filter(
        membership__user=user, membership__role=Role.AUDITOR
    ).values("assessment_id")
    return Assessment.objects.filter(
        organisation_id__in=full.values("organisation_id")
    ) | Assessment.objects.filter(pk__in=limited_ids)


def get_assessment(request: HttpRequest, assessment_id, action: str = "view") -> tuple:
    """Return (assessment, access) or raise 404 (not visible) / 403 (role lacks `action`)."""
    assessment = (
        visible_assessments(request.user)
        # The system too: its terms scope the assessment, its autonomy level sets the evidence
        # the questionnaire and the scorecard expect.
        .select_related("organisation", "framework", "system")
        .filter(pk=assessment_id)
        .first()
    )
    if assessment is None:
        raise Http404("No such assessment.")
    membership = Membership.objects.get(user=request.user, organisation=assessment.organisation)
    access = Access(assessment.organisation, membership)
    if not access.can(action):
        raise PermissionDenied(f"Your role ({access.role}) does not allow this.")
    return assessment, access


def membership_in(user, organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(user=user, organisation=organisation)
        .select_related("organisation", "user")
        .first()
    )


def _require(membership: Membership | None, action: str) -> Access:
    """The shared tail of the object helpers: not a member → 404, role lacks action → 403."""
    if membership is None:
        raise Http404("Not found.")
    access = Access(membership.organisation, membership)
    if not access.can(action):
        raise PermissionDenied(f"Your role ({access.role}) does not allow this.")
    return access


def get_membership(request: HttpRequest, membership_id, action: str = "manage_members") -> tuple:
    """Return (membership, access) for a membership of one of the user's organisations."""
    target = (
        Membership.objects.select_related("organisation", "user").filter(pk=membership_id).first()
    )
    if target is None:
        raise Http404("No such member.")
    access = _require(membership_in(request.user, target.organisation), action)
    return target, access


def get_invitation(request: HttpRequest, invitation_id, action: str = "manage_members") -> tuple:
    """Return (invitation, access) for an invitation of one of the user's organisations."""
    invitation = Invitation.objects.select_related("organisation").filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    access = _require(membership_in(request.user, invitation.organisation), action)
    return invitation, access


def _by_pk(model, pk, related: tuple[str, ...]):
    try:
        return model._default_manager.select_related(*related).filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):  # a malformed id is not found
        return None


def get_system(request: HttpRequest, system_id, action: str = "view") -> tuple:
    """Return (system, access) for an AI system of one of the user's organisations."""
    system = _by_pk(AISystem, system_id, ("organisation", "owner"))
    if system is None:
        raise Http404("No such AI system.")
    access = _require(membership_in(request.user, system.organisation), action)
    return system, access


def get_proposal(request: HttpRequest, proposal_id, action: str = "view") -> tuple:
    """Return (proposal, access) for a proposal of one of the user's organisations."""
    proposal = _by_pk(SystemProposal, proposal_id, ("organisation", "system", "proposed_by"))
    if proposal is None:
        raise Http404("No such proposal.")
    access = _require(membership_in(request.user, proposal.organisation), action)
    return proposal, access


def get_assessment_part(
    request: HttpRequest, model, pk, *, assessment_id=None, action: str = "view"
) -> tuple:
    """Return (obj, assessment, access) for a row that belongs to an assessment.

    `model` is any model with an `assessment` foreign key (Evidence, ReviewComment,
    Report, Answer, ...). When the URL also names the assessment, the two must agree:
    a guessed pair of ids from different assessments is a 404, not a leak.
    """
    try:
        obj = model._default_manager.filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):  # a malformed id is not found
        obj = None
    if obj is None:
        raise Http404("Not found.")
    if assessment_id is not None and str(obj.assessment_id) != str(assessment_id):
        raise Http404("Not found.")
    assessment, access = get_assessment(request, obj.assessment_id, action)
    # The checked assessment, with its organisation and framework, saves the caller a query.
    obj.assessment = assessment
    return obj, assessment, access


def get_evidence(request: HttpRequest, evidence_id, *, assessment_id=None, action="view"):
    return get_assessment_part(
        request, Evidence, evidence_id, assessment_id=assessment_id, action=action
    )


def get_report(request: HttpRequest, report_id, *, assessment_id=None, action="export"):
    return get_assessment_part(
        request, Report, report_id, assessment_id=assessment_id, action=action
    )


def get_comment(request: HttpRequest, comment_id, *, assessment_id=None, action="view"):
    return get_assessment_part(
        request, ReviewComment, comment_id, assessment_id=assessment_id, action=action
    )


def auditor_scope(access: Access) -> set[str] | None:
    """Ids of the assessments a limited auditor may see, or None when not limited."""
    if access.role != Role.AUDITOR:
        return None
    ids = {str(pk) for pk in access.membership.limited_to.values_list("pk", flat=True)}
    return ids or None
