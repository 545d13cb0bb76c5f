"""Docker is not available here, so the deployment files are checked against the code."""

import importlib
import re
from pathlib import Path

import yaml
from django.conf import settings

REPO = Path(__file__).resolve().parent.parent


def load_compose():
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_compose_has_the_four_services_with_health_checks():
    services = load_compose()["services"]
    assert set(services) == {"web", "worker", "db", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    assert services["db"]["image"].startswith("postgres:16")
    assert "pgdata:/var/lib/postgresql/data" in services["db"]["volumes"]


def test_web_migrates_then_serves_the_wsgi_module_that_exists():
    web = load_compose()["services"]["web"]
    command = " ".join(web["command"])
    assert command.index("migrate") < command.index("gunicorn")
    module, attr = re.search(r"gunicorn (\S+):(\w+)", command).groups()
    assert module == settings.WSGI_APPLICATION.rsplit(".", 1)[0]
    source = (REPO / (module.replace(".", "/") + ".py")).read_text()
    assert f"{attr} =" in source
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


def test_worker_runs_the_celery_app_module():
    worker = load_compose()["services"]["worker"]
    command = worker["command"]
    app_module = command[command.index("-A") + 1]
    assert importlib.import_module(f"{app_module}.celery").app.main == "scorecard"
    assert "--prefetch-multiplier" in command


def test_app_environment_uses_only_variables_the_settings_read():
    compose = load_compose()
    settings_source = (REPO / "scorecard" / "settings.py").read_text()
    example = (REPO / ".env.example").read_text()
    for name in ("web", "worker"):
        environment = compose["services"][name]["environment"]
        assert environment["DEBUG"] == "false"
        assert environment["DATABASE_URL"].startswith("postgres://")
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:6379")
        for variable in environment:
            assert f'"{variable}"' in settings_source, f"settings never read {variable}"
            assert f"\n{variable}=" in example, f".env.example lacks {variable}"


def test_env_example_documents_every_variable_the_settings_read():
    sources = (REPO / "scorecard" / "settings.py").read_text() + (
        REPO / "scorecard" / "env.py"
    ).read_text()
    read = set(re.findall(r'env_\w+\(\s*"([A-Z_]+)"', sources))
    example = (REPO / ".env.example").read_text()
    documented = set(re.findall(r"^([A-Z_]+)=", example, flags=re.M))
    assert read <= documented, f"undocumented: {sorted(read - documented)}"


def test_dockerfile_installs_weasyprint_libraries():
    dockerfile = (REPO / "Dockerfile").read_text()
    for library in ("libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz0b"):
        assert library in dockerfile
    assert "constraints.txt" in dockerfile
