from assessments.models.accounts import (
    EmailUserManager,
    Invitation,
    Membership,
    Organisation,
    Role,
    User,
)
from assessments.models.assessment import (
    Answer,
    AnswerChange,
    Assessment,
    AssessmentFinalised,
    AssessmentStatus,
    DeploymentStage,
    DomainAssignment,
    Evidence,
    EvidenceKind,
    ReviewComment,
    ScoreSnapshot,
    SignOff,
)
from assessments.models.audit import AuditEvent
from assessments.models.reports import Report, ReportKind, ReportStatus
from assessments.models.submissions import Submission
from assessments.models.systems import (
    AISystem,
    ProposalStatus,
    SystemChange,
    SystemProposal,
)

__all__ = [
    "AISystem",
    "ProposalStatus",
    "ReportKind",
    "SystemChange",
    "SystemProposal",
    "Answer",
    "AnswerChange",
    "Assessment",
    "AssessmentFinalised",
    "AssessmentStatus",
    "AuditEvent",
    "DeploymentStage",
    "DomainAssignment",
    "EmailUserManager",
    "Evidence",
    "EvidenceKind",
    "Invitation",
    "Membership",
    "Organisation",
    "Report",
    "ReportStatus",
    "ReviewComment",
    "Role",
    "ScoreSnapshot",
    "SignOff",
    "Submission",
    "User",
]
