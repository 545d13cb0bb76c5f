"""URLs of the accounts area: organisation membership, invitations, passwords, audit log.

Log in and log out live in scorecard/urls.py.
"""

from django.contrib.auth import views as auth_views
from django.urls import path

from assessments.views import accounts, organisation

urlpatterns = [
    path("organisation/switch/", organisation.org_switch, name="org_switch"),
    path("organisation/members/", organisation.org_members, name="org_members"),
    path(
        "organisation/members/<int:membership_id>/role/",
        organisation.member_role,
        name="member_role",
    ),
    path(
        "organisation/members/<int:membership_id>/remove/",
        organisation.member_remove,
        name="member_remove",
    ),
    path("organisation/invitations/new/", organisation.invite, name="invite"),
    path(
        "organisation/invitations/<int:invitation_id>/revoke/",
        organisation.invitation_revoke,
        name="invitation_revoke",
    ),
    path("organisation/audit/", organisation.audit_log, name="audit_log"),
    path("invitations/<str:token>/", accounts.invitation_accept, name="invitation_accept"),
    path(
        "accounts/password/change/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
        accounts.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
