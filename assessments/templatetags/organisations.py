"""The organisation switcher in the navigation bar, and small helpers of account pages.

They format `organisation_menu`, which `assessments.context_processors.organisation_menu`
puts in every request's context; they never query.
"""

from django import template

from assessments.context_processors import NO_MENU

register = template.Library()


def _menu(context):
    # Pages rendered without a request (or without the context processor) show no menu.
    return context.get("organisation_menu") or NO_MENU


@register.inclusion_tag("accounts/organisation_switcher.html", takes_context=True)
def organisation_switcher(context):
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {"memberships": [], "current": None}
    menu = _menu(context)
    return {
        "memberships": menu.memberships,
        "current": menu.current,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag(takes_context=True)
def current_role_can(context, action: str) -> bool:
    """Whether the role in the current organisation allows `action` (for showing links)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return _menu(context).can(action)


@register.filter
def minutes(duration) -> int:
    """A timedelta in whole minutes, rounded up (for the lockout page)."""
    seconds = int(duration.total_seconds())
    return max(1, -(-seconds // 60))
