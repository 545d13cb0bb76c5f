"""What every page's navigation bar needs, read once per request and only if a page shows it.

Template tags format what is here; they never query (the organisation switcher and the
"may this role ..." links of `base.html` read `organisation_menu`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from assessments.access import Access, organisations_menu
from assessments.models import Membership


@dataclass(frozen=True)
class OrganisationMenu:
    memberships: list[Membership]
    current: Access | None

    def can(self, action: str) -> bool:
        return self.current is not None and self.current.can(action)


NO_MENU = OrganisationMenu(memberships=[], current=None)


def _menu(request: HttpRequest) -> OrganisationMenu:
    # Memoised on the request: a page rendered twice (or a page and its partial) reads once.
    menu = getattr(request, "_organisation_menu", None)
    if menu is None:
        if request.user.is_authenticated:
            menu = OrganisationMenu(*organisations_menu(request))
        else:
            menu = NO_MENU
        request._organisation_menu = menu
    return menu


def organisation_menu(request: HttpRequest) -> dict:
    # Lazy: htmx partials and pages without the navigation bar never run the query.
    return {"organisation_menu": SimpleLazyObject(lambda: _menu(request))}
