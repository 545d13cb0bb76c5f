"""The organisation switcher in the navigation bar, and small helpers of account pages."""

from django import template

from assessments.access import organisations_menu

register = template.Library()


def _menu(request):
    # Memoised on the request: the navbar asks twice per page.
    if not hasattr(request, "_organisations_menu"):
        request._organisations_menu = organisations_menu(request)
    return request._organisations_menu


@register.inclusion_tag("accounts/organisation_switcher.html", takes_context=True)
def organisation_switcher(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"memberships": [], "current": None}
    memberships, current = _menu(request)
    return {
        "memberships": memberships,
        "current": current,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def current_role_can(context, action: str) -> bool:
    """Whether the role in the current organisation allows `action` (for showing links)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    _memberships, current = _menu(request)
    return current is not None and current.can(action)


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes, rounded up (for the lockout page)."""
    seconds = int(duration.total_seconds())
    return max(1, -(-seconds // 60))
