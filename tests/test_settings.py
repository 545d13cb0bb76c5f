"""Configuration comes from the environment and fails loudly, in one line."""

import os
import re
import secrets
import subprocess
import sys

import pytest

from scorecard.env import (
    ConfigError,
    env_bool,
    env_broker,
    env_database,
    env_int,
    env_list,
    env_site_url,
)


def run_manage(repo_dir, *args, **env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    for key in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS"):
        environ.pop(key, None)
    environ.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=repo_dir,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("0", False), ("Yes", True), ("off", False)]
)
def test_env_bool_reads_common_spellings(raw, expected):
    assert env_bool("DEBUG", not expected, {"DEBUG": raw}) is expected


def test_env_bool_rejects_maybe_naming_the_variable():
    with pytest.raises(ConfigError, match=r"^DEBUG='maybe': expected a boolean"):
        env_bool("DEBUG", True, {"DEBUG": "maybe"})


def test_env_int_rejects_text_and_negative_numbers():
    with pytest.raises(ConfigError, match="EMAIL_PORT='abc'"):
        env_int("EMAIL_PORT", 1, {"EMAIL_PORT": "abc"})
    with pytest.raises(ConfigError, match=">= 1"):
        env_int("EMAIL_PORT", 1, {"EMAIL_PORT": "0"}, minimum=1)


def test_env_list_rejects_empty_items():
    assert env_list("ALLOWED_HOSTS", [], {"ALLOWED_HOSTS": "a.org, b.org"}) == ["a.org", "b.org"]
    with pytest.raises(ConfigError, match="ALLOWED_HOSTS"):
        env_list("ALLOWED_HOSTS", [], {"ALLOWED_HOSTS": "a.org,,b.org"})


def test_postgres_url_gets_persistent_connections():
    config = env_database("DATABASE_URL", "", {"DATABASE_URL": "postgres://u@db:5432/sc"})
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "sc"
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"] is True


@pytest.mark.parametrize("url", ["foo://x", "postgres://", "not a url", "mysql://u@h/db"])
def test_bad_database_url_is_refused(url):
    with pytest.raises(ConfigError, match="^DATABASE_URL="):
        env_database("DATABASE_URL", "", {"DATABASE_URL": url})


def test_broker_url_must_be_a_broker():
    assert env_broker("B", {}) is None
    assert env_broker("B", {"B": "redis://127.0.0.1:6379/0"}) == "redis://127.0.0.1:6379/0"
    with pytest.raises(ConfigError, match="^B='http://x'"):
        env_broker("B", {"B": "http://x"})


def test_site_url_is_an_http_address_without_a_trailing_slash():
    assert env_site_url("S", "http://127.0.0.1:8000", {}) == "http://127.0.0.1:8000"
    assert env_site_url("S", "x", {"S": "https://sc.example.org/"}) == "https://sc.example.org"
    assert env_site_url("S", "x", {"S": "https://example.org/sc/"}) == "https://example.org/sc"
    for bad in ("sc.example.org", "ftp://sc.example.org", "https://", "https://x.org/?a=1"):
        expected = re.escape(f"S={bad!r}: expected the address people open")
        with pytest.raises(ConfigError, match=f"^{expected}"):
            env_site_url("S", "x", {"S": bad})


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "foo://bar"),
        ("CELERY_BROKER_URL", "ftp://x"),
        ("SITE_URL", "scorecard.example.org"),
        ("VERIFY_LOOKUPS_PER_WINDOW", "0"),
    ],
)
def test_bad_variable_stops_startup_with_one_line(repo_dir, variable, value):
    result = run_manage(repo_dir, "check", **{variable: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"Configuration error: {variable}=")
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_secret_key(repo_dir):
    result = run_manage(repo_dir, "check", DEBUG="false")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: SECRET_KEY: required when DEBUG is off (a long random string)"
    )


def test_production_settings_pass_check_deploy_without_warnings(repo_dir):
    result = run_manage(
        repo_dir,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="scorecard.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # One check is silenced on purpose: axes' W006, see AXES_LOCKOUT_PARAMETERS in settings.
    assert "System check identified no issues (1 silenced)." in result.stdout
    from django.conf import settings

    assert settings.SILENCED_SYSTEM_CHECKS == ["axes.W006"]


def test_bad_variable_stops_the_celery_worker_with_one_line(repo_dir):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environ["DEBUG"] = "maybe"
    result = subprocess.run(
        [sys.executable, "-m", "celery", "-A", "scorecard", "worker", "--pool", "solo"],
        cwd=repo_dir,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "Configuration error: DEBUG='maybe': expected a boolean (true/false, 1/0, yes/no, on/off)"
    )
