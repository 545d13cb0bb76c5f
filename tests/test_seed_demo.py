import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from assessments.models import Membership, Organisation, Role, User


@pytest.mark.django_db
def test_seed_demo_twice_creates_no_duplicates():
    call_command("seed_demo")
    call_command("seed_demo")
    assert Organisation.objects.filter(slug="demo").count() == 1
    assert User.objects.count() == 4
    roles = set(Membership.objects.values_list("user__email", "role"))
    assert roles == {
        ("owner@demo.example", Role.OWNER),
        ("assessor@demo.example", Role.ASSESSOR),
        ("auditor@demo.example", Role.AUDITOR),
    }
    admin = User.objects.get(email="admin@demo.example")
    assert admin.is_staff and not admin.is_superuser


@pytest.mark.django_db
def test_demo_accounts_log_in_with_published_password(rf):
    call_command("seed_demo")
    request = rf.post("/accounts/login/")
    user = authenticate(request, username="owner@demo.example", password="demo-scorecard-2026")
    assert user == User.objects.get(email="owner@demo.example")


@pytest.mark.django_db
def test_seed_demo_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_the_demo_inventory_holds_two_systems_once_with_their_history():
    from assessments.models import AISystem, SystemChange

    call_command("seed_demo")
    call_command("seed_demo")
    systems = {s.name: s for s in AISystem.objects.filter(organisation__slug="demo")}
    assert set(systems) == {"Customer support chatbot", "IT operations agent"}
    assert (
        systems["Customer support chatbot"].autonomy_level,
        systems["IT operations agent"].autonomy_level,
    ) == (1, 3)
    assert {s.owner.email for s in systems.values()} == {"owner@demo.example"}
    assert "componentTools" in systems["IT operations agent"].components
    assert SystemChange.objects.count() == 2


@pytest.mark.django_db
def test_the_demo_systems_use_terms_of_the_bundled_catalog():
    from assessments.management.commands.seed_demo import DEMO_SYSTEMS
    from scorecard.models import Persona, Term

    call_command("load_bundled_catalogs", verbosity=0)
    terms = set(Term.objects.values_list("ref", flat=True))
    personas = set(Persona.objects.values_list("ref", flat=True))
    for system in DEMO_SYSTEMS:
        for field in ("lifecycle_stages", "components", "actor_access", "impact_types"):
            assert set(system[field]) <= terms, (system["name"], field)
        assert set(system["personas"]) <= personas
