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
