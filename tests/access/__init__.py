"""The access matrix: every URL in the URLconf, for every persona, for GET and POST.

`test_access_matrix.py` walks `get_resolver()` recursively, so a URL nobody wrote an
expectation for fails the suite. The personas (built once per module by
`world.py`) are:

    anonymous      not logged in
    outsider       owner of another organisation ("globex"), with its own assessment
    viewer         viewer in "acme"
    assessor       assessor in "acme"
    auditor        auditor in "acme" (not limited to named assessments)
    owner          owner of "acme"
    catalog_admin  staff in the "Catalog editors" group, member of no organisation

URL kwargs are filled from the shared vocabulary (see `world.World.kwargs`) with acme's
objects, so an outsider always asks for something of an organisation it does not
belong to.

Writing expectations
--------------------
Each area adds a module `tests/access/expect_<area>.py` defining `EXPECT`; the walker
merges every `expect_*.py` module (a URL name in two modules is an error, and so is an
entry for a URL name that does not exist)::

    EXPECT = {
        "url_name": {
            "get": {"anonymous": TO_LOGIN, "outsider": 404, "viewer": 200, ...},
            "post": {"*": 405},                      # "*": every persona not named
            "kwargs": {"membership_id": lambda w: w.memberships["owner"].pk},  # optional
            "data": {"role": "viewer"},              # optional POST body (or w -> dict)
        },
    }

A status is an int, `(302, "login")` / `(302, "/path/prefix")` for a redirect whose
Location is that URL name or starts with that path, or a checker: `PERMITTED` (2xx, a
redirect not to a login page, 405 for POST) or `REACHABLE` (the same, or 403). Every
persona must be covered for both methods. An entry with only "kwargs" and/or "data"
(no "get"/"post") just fills the URL; the statuses then come from the rules.

Shorthands (build them with `members(...)`, combine with `|`):

    TO_LOGIN            302 to the login page
    ALL_MEMBERS_200     GET for organisation pages every role may read
    members({...}, ok=200, denied=403)
                        organisation-scoped: anonymous → login, outsider and catalog
                        admin → 404 (not a member), the named roles → ok, others → denied
    everyone(status)    the same status for all seven personas
    GET_ONLY            POST → 405 for everyone (views with @require_GET outermost)

A module may also define `RULES`: functions `(entry, method, persona, world)` returning
an expectation or None, used for URLs without an explicit entry. `expect_core.py` has
the rule that covers every `admin:*` URL.
"""

from __future__ import annotations

PERSONAS = ("anonymous", "outsider", "viewer", "assessor", "auditor", "owner", "catalog_admin")
ROLE_PERSONAS = ("viewer", "assessor", "auditor", "owner")

TO_LOGIN = (302, "login")
TO_ADMIN_LOGIN = (302, "admin:login")


class Permitted:
    """Not refused: 2xx, a redirect other than to a login page, or 405 for a method.

    With `forbidden_ok`, a 403 is accepted too: the page is reachable, and whether this
    object may be changed is decided by rules of the page's own (e.g. a published
    catalog is locked).
    """

    def __init__(self, name: str, *, forbidden_ok: bool = False):
        self.name = name
        self.forbidden_ok = forbidden_ok

    def __repr__(self) -> str:
        return self.name


PERMITTED = Permitted("PERMITTED")
REACHABLE = Permitted("REACHABLE", forbidden_ok=True)


def everyone(status) -> dict:
    return {persona: status for persona in PERSONAS}


def members(
    roles=ROLE_PERSONAS,
    *,
    ok=200,
    denied=403,
    anonymous=TO_LOGIN,
    outsider=404,
    catalog_admin=404,
) -> dict:
    """Expectations for a view of acme's data that needs one of `roles`."""
    unknown = set(roles) - set(ROLE_PERSONAS)
    if unknown:
        raise ValueError(f"not roles: {sorted(unknown)}")
    result = {persona: (ok if persona in roles else denied) for persona in ROLE_PERSONAS}
    result.update(anonymous=anonymous, outsider=outsider, catalog_admin=catalog_admin)
    return result


ALL_MEMBERS_200 = members()
OWNER_ONLY = members({"owner"})
GET_ONLY = everyone(405)
