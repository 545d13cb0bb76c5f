"""Admin pages for users, organisations, invitations and the audit log.

Only superusers see these. Catalog editors are staff too, but managing people and
tenants is not theirs to do, whatever model permissions their group is given.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from assessments.models import Assessment, AuditEvent, Invitation, Membership, Organisation, User
from assessments.services import accounts as account_services
from scorecard.admin.widgets import CheckboxGroup, CheckboxManyToMany


class SuperuserOnly:
    def _superuser(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._superuser(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_add_permission(self, request, *args):
        return self._superuser(request)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request)


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "organisation", "role", "limited_to"]
        widgets = {"limited_to": CheckboxGroup(group_label="Limited to")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the organisation's own assessments once the row has one (every row of
        # the organisation page, saved rows of the user page); clean() still checks.
        organisation_id = self.instance.organisation_id
        if organisation_id is not None and "limited_to" in self.fields:
            self.fields["limited_to"].queryset = Assessment.objects.filter(
                organisation_id=organisation_id
            )

    def clean(self):
        cleaned = super().clean()
        organisation = cleaned.get("organisation") or getattr(self.instance, "organisation", None)
        limited = cleaned.get("limited_to") or []
        if organisation is not None and any(a.organisation_id != organisation.pk for a in limited):
            raise ValidationError(
                "An auditor can only be limited to this organisation's assessments."
            )
        if limited and cleaned.get("role") != "auditor":
            raise ValidationError("Only auditors can be limited to named assessments.")
        return cleaned


class MembershipInline(SuperuserOnly, admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 0
    autocomplete_fields = ["user"]


class UserMembershipInline(MembershipInline):
    fk_name = "user"
    autocomplete_fields = ["organisation"]


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(SuperuserOnly, CheckboxManyToMany, DjangoUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    filter_horizontal = ()
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "is_superuser", "last_login"]
    list_filter = ["is_active", "is_staff", "is_superuser", "groups"]
    search_fields = ["email", "full_name"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [UserMembershipInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Personal details", {"fields": ("full_name",)}),
        (
            "Staff permissions",
            {
                "fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions"),
                "description": "Staff in the “Catalog editors” group maintain control catalogs.",
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "usable_password", "password1", "password2"),
            },
        ),
    )

    def get_inline_instances(self, request, obj=None):
        # Like Django's own user admin: the account first, then its memberships.
        return super().get_inline_instances(request, obj) if obj is not None else []


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(CheckboxManyToMany, DjangoGroupAdmin):
    """Django's group admin (open to staff with the group permissions), with the
    permissions as checkboxes (see scorecard/admin/widgets.py)."""

    filter_horizontal = ()


@admin.register(Organisation)
class OrganisationAdmin(SuperuserOnly, admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.action(description="Withdraw the selected invitations")
def revoke_invitations(modeladmin, request, queryset):
    revoked = 0
    for invitation in queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True):
        account_services.revoke_invitation(invitation=invitation, actor=request.user)
        revoked += 1
    modeladmin.message_user(request, f"{revoked} invitation(s) withdrawn.", messages.SUCCESS)


@admin.register(Invitation)
class InvitationAdmin(SuperuserOnly, admin.ModelAdmin):
    """Invitations are sent from the organisation's members page; here they are only read."""

    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["email", "organisation__name"]
    actions = [revoke_invitations]
    readonly_fields = [
        "organisation",
        "email",
        "role",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "revoked_at",
    ]
    exclude = ["token_hash"]

    def has_add_permission(self, request, *args):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(SuperuserOnly, admin.ModelAdmin):
    """The audit log, read-only: nobody adds, edits or deletes events."""

    list_display = ["created_at", "actor_email", "action", "organisation", "summary", "ip_address"]
    list_filter = ["action", "organisation"]
    search_fields = ["actor_email", "summary", "target_id"]
    date_hierarchy = "created_at"
    actions = None

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
