"""The inventory pages: who may do what, what the list and a system's page show, editing
with its history, and bad input that writes nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from assessments.models import AISystem, AuditEvent, SystemChange
from assessments.models.systems import RECORD_FIELDS
from tests.factories import make_assessment, make_member
from tests.systems.helpers import form_data, inventory_framework

pytestmark = pytest.mark.django_db

LIST = reverse("system_list")
CREATE = reverse("system_create")


@pytest.fixture
def catalog(db):
    return inventory_framework()


@pytest.fixture
def system(organisation, owner, catalog):
    return AISystem.objects.create(
        organisation=organisation,
        name="Fraud scorer",
        owner=owner,
        lifecycle_stages=["runtime"],
        components=["componentServing"],
        autonomy_level=3,
        repository_url="https://git.example.org/fraud",
        model_card_url="ftp://files.example.org/card.pdf",
    )


def counts() -> tuple[int, int, int]:
    return AISystem.objects.count(), SystemChange.objects.count(), AuditEvent.objects.count()


# Written by hand: (role, page) -> status. Viewers and auditors only read.
ROLE_TABLE = [
    ("owner", "list", 200),
    ("assessor", "list", 200),
    ("viewer", "list", 200),
    ("auditor", "list", 200),
    ("owner", "create", 200),
    ("assessor", "create", 403),
    ("viewer", "create", 403),
    ("auditor", "create", 403),
    ("owner", "edit", 200),
    ("assessor", "edit", 403),
    ("viewer", "edit", 403),
    ("auditor", "edit", 403),
    ("owner", "detail", 200),
    ("viewer", "detail", 200),
    ("auditor", "history", 200),
    ("viewer", "propose", 403),
    ("auditor", "propose", 403),
    ("assessor", "propose", 200),
]


@pytest.mark.parametrize(("role", "page", "status"), ROLE_TABLE)
def test_each_role_reaches_the_pages_its_role_allows(
    client, organisation, system, role, page, status
):
    user = make_member(organisation, role, f"{role}-table@acme.example")
    client.force_login(user)
    url = {
        "list": LIST,
        "create": CREATE,
        "edit": reverse("system_edit", args=[system.pk]),
        "detail": reverse("system_detail", args=[system.pk]),
        "history": reverse("system_history", args=[system.pk]),
        "propose": reverse("system_propose", args=[system.pk]),
    }[page]
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    "name", ["system_detail", "system_edit", "system_history", "system_propose"]
)
def test_a_system_of_another_organisation_is_not_found(client, outsider, system, name):
    client.force_login(outsider)
    assert client.get(reverse(name, args=[system.pk])).status_code == 404


def test_the_navigation_links_the_inventory_for_members(client, viewer):
    client.force_login(viewer)
    html = client.get(reverse("assessment_list")).content.decode()
    assert f'href="{LIST}">AI systems</a>' in html


def test_the_list_shows_each_system_with_its_counts(
    client, owner, assessor, organisation, system, catalog
):
    make_assessment(organisation, catalog, system=system)
    make_assessment(organisation, catalog, system=system)
    from assessments.models import SystemProposal

    SystemProposal.objects.create(
        organisation=organisation, system=system, data=system.as_record(), proposed_by=assessor
    )
    AISystem.objects.create(organisation=organisation, name="Chat helper")
    client.force_login(owner)
    html = client.get(LIST).content.decode()
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", html, re.S)
    cells = [re.sub(r"<[^>]+>", "", r).split() for r in rows]
    assert [" ".join(c) for c in cells] == [
        "Chat helper — — not stated 0 0",
        "Fraud scorer owner@acme.example Runtime L3 Acts within limits 2 1",
    ]


def test_the_system_page_shows_every_field_and_the_meaning_of_its_level(client, viewer, system):
    client.force_login(viewer)
    html = client.get(reverse("system_detail", args=[system.pk])).content.decode()
    assert "Model serving" in html and "Runtime" in html
    assert (
        "<strong>L3 Acts within limits</strong>: The AI acts on its own inside agreed limits"
        in html
    )
    # Only http(s) addresses become links; the ftp one is shown as text.
    assert '<a href="https://git.example.org/fraud"' in html
    assert "ftp://files.example.org/card.pdf" in html
    assert 'href="ftp://' not in html


def test_the_system_page_lists_its_assessments_newest_first(
    client, viewer, organisation, system, catalog
):
    from datetime import timedelta

    from django.utils import timezone

    older = make_assessment(organisation, catalog, system=system, title="First look")
    newer = make_assessment(organisation, catalog, system=system, title="Second look")
    older.created_at = timezone.now() - timedelta(days=3)
    older.save()
    make_assessment(organisation, catalog, title="Another system")
    client.force_login(viewer)
    html = client.get(reverse("system_detail", args=[system.pk])).content.decode()
    listed = re.findall(r'<ol id="assessments">(.*?)</ol>', html, re.S)[0]
    assert re.findall(r">([^<]+)</a>", listed) == [newer.title, older.title]


def test_an_owner_creates_a_system_with_its_history_and_audit_event(client, owner, catalog):
    client.force_login(owner)
    response = client.post(
        CREATE,
        form_data(
            owner=str(owner.pk),
            components=["componentServing", "componentTheModel"],
            impact_types=["privacy"],
            autonomy_level="0",
            personas=["personaBuilder"],
            repository_url="https://git.example.org/x",
        ),
    )
    system = AISystem.objects.get(name="Fraud scorer")
    assert response.status_code == 302
    assert response["Location"] == reverse("system_detail", args=[system.pk])
    assert system.components == ["componentServing", "componentTheModel"]
    assert system.autonomy_level == 0 and system.owner == owner
    change = SystemChange.objects.get(system=system)
    assert change.old is None and change.new == system.as_record()
    assert change.changed_by == owner
    event = AuditEvent.objects.get(action="system.created")
    assert event.actor == owner and event.target_id == str(system.pk)


def test_the_form_offers_the_published_vocabulary_grouped_and_the_levels(client, owner, catalog):
    client.force_login(owner)
    html = client.get(CREATE).content.decode()
    # Components sit under their category's name.
    assert "<strong>Model</strong>" in html
    assert 'value="componentServing"' in html and "Model serving" in html
    assert "L5 Fully autonomous: The AI sets its own intermediate goals" in html
    assert "Not stated" in html
    assert 'value="personaUser"' in html and "Application user" in html


def test_editing_records_only_the_fields_that_changed(client, owner, system):
    client.force_login(owner)
    before = system.as_record()
    data = form_data(
        name="Fraud scorer",
        owner=str(owner.pk),
        lifecycle_stages=["runtime", "retirement"],
        components=["componentServing"],
        autonomy_level="4",
        repository_url=system.repository_url,
    )
    # The ftp address cannot be typed into the form again; leave the model card empty.
    response = client.post(reverse("system_edit", args=[system.pk]), data)
    assert response.status_code == 302
    change = SystemChange.objects.get(system=system)
    changed = sorted(n for n in RECORD_FIELDS if change.old[n] != change.new[n])
    assert changed == ["autonomy_level", "lifecycle_stages", "model_card_url"]
    assert change.old == before
    assert change.new["autonomy_level"] == 4
    event = AuditEvent.objects.get(action="system.updated")
    assert event.data["fields"] == ["lifecycle_stages", "autonomy_level", "model_card_url"]


def test_saving_without_a_change_records_nothing(client, owner, organisation, catalog):
    system = AISystem.objects.create(
        organisation=organisation, name="Quiet one", impact_types=["safety"]
    )
    client.force_login(owner)
    before = counts()
    response = client.post(
        reverse("system_edit", args=[system.pk]),
        form_data(name="Quiet one", impact_types=["safety"]),
    )
    assert response.status_code == 302
    assert counts() == before


def test_history_shows_each_change_from_what_to_what_newest_first(client, owner, viewer, system):
    client.force_login(owner)
    edit = reverse("system_edit", args=[system.pk])
    common = {
        "repository_url": system.repository_url,
        "owner": str(owner.pk),
        "lifecycle_stages": ["runtime"],
        "components": ["componentServing"],
    }
    client.post(edit, form_data(name="Fraud scorer", autonomy_level="5", **common))
    client.post(edit, form_data(name="Fraud scorer v2", autonomy_level="5", **common))
    client.force_login(viewer)
    html = client.get(reverse("system_history", args=[system.pk])).content.decode()
    entries = re.findall(r'<section class="mb-4 history-entry".*?</section>', html, re.S)
    assert len(entries) == 2  # the system was made without a first entry here
    rows = [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", e)[3:]]
        for e in entries
    ]
    assert rows[0] == ["Name", "Fraud scorer", "Fraud scorer v2"]
    assert rows[1] == [
        "Autonomy level",
        "L3 Acts within limits",
        "L5 Fully autonomous",
        "Model card",
        "ftp://files.example.org/card.pdf",
        "—",
    ]
    assert "Changed by owner@acme.example" in entries[0]


def test_a_duplicate_name_is_a_form_error_and_writes_nothing(client, owner, system):
    client.force_login(owner)
    before = counts()
    response = client.post(CREATE, form_data(name="Fraud scorer"))
    assert response.status_code == 400
    assert "already has an AI system named &#x27;Fraud scorer&#x27;" in response.content.decode()
    assert counts() == before
    other = AISystem.objects.create(organisation=system.organisation, name="Other")
    response = client.post(reverse("system_edit", args=[other.pk]), form_data(name="Fraud scorer"))
    assert response.status_code == 400
    assert AISystem.objects.get(pk=other.pk).name == "Other"


def test_the_same_name_in_another_organisation_is_fine(client, outsider, system):
    client.force_login(outsider)
    assert client.post(CREATE, form_data(name="Fraud scorer")).status_code == 302
    assert AISystem.objects.filter(name="Fraud scorer").count() == 2


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        (
            "components",
            ["componentMadeUp"],
            "componentMadeUp is not a term of any published catalog",
        ),
        ("impact_types", ["runtime"], "runtime is not a term of any published catalog"),
        ("personas", ["personaNobody"], "personaNobody is not a term of any published catalog"),
        ("repository_url", "not a web address", "Enter a valid URL."),
        ("model_card_url", "javascript:alert(1)", "Enter a valid URL."),
        (
            "model_card_url",
            "ftp://files.example.org/card",
            "Enter a web address starting with http",
        ),
        ("autonomy_level", "6", "Select a valid choice."),
        ("name", "", "This field is required."),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_writes_nothing(
    client, owner, catalog, field, value, message
):
    client.force_login(owner)
    before = counts()
    response = client.post(CREATE, form_data(**{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert counts() == before


def test_an_owner_who_is_not_a_member_is_refused(client, owner, outsider, catalog):
    client.force_login(owner)
    before = counts()
    response = client.post(CREATE, form_data(owner=str(outsider.pk)))
    assert response.status_code == 400
    assert "The owner must be a member of this organisation." in response.content.decode()
    assert outsider.email not in client.get(CREATE).content.decode()
    assert counts() == before


def test_a_stored_term_no_catalog_names_is_kept_and_shown_as_such(
    client, owner, organisation, catalog
):
    system = AISystem.objects.create(
        organisation=organisation,
        name="Old one",
        components=["componentRetired", "componentServing"],
    )
    client.force_login(owner)
    detail = client.get(reverse("system_detail", args=[system.pk])).content.decode()
    assert "componentRetired (no longer in any published catalog)" in detail
    edit = client.get(reverse("system_edit", args=[system.pk])).content.decode()
    assert re.search(r'value="componentRetired"[^>]*checked', edit)
    response = client.post(
        reverse("system_edit", args=[system.pk]),
        form_data(
            name="Old one", autonomy_level="1", components=["componentRetired", "componentServing"]
        ),
    )
    assert response.status_code == 302
    system.refresh_from_db()
    assert system.components == ["componentRetired", "componentServing"]
    assert system.autonomy_level == 1


@pytest.mark.parametrize("count", [3, 30])
def test_the_list_reads_a_constant_number_of_queries(
    client, owner, organisation, catalog, count, django_assert_num_queries
):
    for i in range(count):
        system = AISystem.objects.create(
            organisation=organisation,
            name=f"System {i:02}",
            owner=owner,
            lifecycle_stages=["runtime"],
        )
        make_assessment(organisation, catalog, system=system)
    client.force_login(owner)
    client.get(LIST)  # warms the per-process catalog cache
    # session, user, membership (access), published frameworks, personas, the systems
    # with their counts, pending new-system proposals, membership (menu), and the session
    # saved for the idle timeout (savepoint, update, release).
    with django_assert_num_queries(11):
        response = client.get(LIST)
    assert response.content.decode().count('<th scope="row">') == count


def test_the_service_itself_refuses_an_owner_from_elsewhere(organisation, outsider, owner):
    """The form offers members only; a caller that skips it is refused the same way."""
    from django.core.exceptions import ValidationError

    from assessments.audit import acting_as
    from assessments.services.systems import create_system
    from tests.systems.helpers import record

    before = counts()
    with acting_as(owner), pytest.raises(ValidationError) as refused:
        create_system(organisation=organisation, record=record(name="X", owner_id=str(outsider.pk)))
    assert refused.value.message_dict == {
        "owner": ["The owner must be a member of this organisation."]
    }
    assert counts() == before
