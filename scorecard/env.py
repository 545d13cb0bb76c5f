"""Typed readers for configuration taken from the environment.

Each helper names the variable and what it expects when a value is malformed, so
that a bad deployment stops with one readable line instead of a traceback deep
inside Django.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

import dj_database_url

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class ConfigError(Exception):
    """A configuration value from the environment is missing or malformed."""


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (environ if environ is not None else os.environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ConfigError(f"{name}={value!r}: expected a boolean (true/false, 1/0, yes/no, on/off)")


def env_int(
    name: str, default: int, environ: Mapping[str, str] | None = None, *, minimum: int = 0
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name}={value!r}: expected a whole number") from None
    if number < minimum:
        raise ConfigError(f"{name}={value!r}: expected a whole number >= {minimum}")
    return number


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    items = [item.strip() for item in value.split(",")]
    if any(not item for item in items):
        raise ConfigError(f"{name}={value!r}: expected a comma-separated list without empty items")
    return items


_DB_ENGINES = {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}


def env_database(name: str, default: str, environ: Mapping[str, str] | None = None) -> dict:
    value = _raw(name, environ) or default
    expected = "expected sqlite:///PATH or postgres://USER@HOST:PORT/NAME"
    try:
        config = dj_database_url.parse(value)
    except Exception:
        raise ConfigError(f"{name}={value!r}: {expected}") from None
    if config.get("ENGINE") not in _DB_ENGINES or not config.get("NAME"):
        raise ConfigError(f"{name}={value!r}: {expected}")
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Persistent connections with health checks: gunicorn's sync workers reuse
        # one connection per process instead of reconnecting on every request.
        config["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60, environ)
        config["CONN_HEALTH_CHECKS"] = True
    return config


def env_broker(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    value = _raw(name, environ)
    if value is None:
        return None
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in {"redis", "rediss", "amqp", "memory"}:
        raise ConfigError(f"{name}={value!r}: expected a broker URL such as redis://HOST:6379/0")
    return value


def env_site_url(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    """An http(s) origin, optionally with a path prefix, without a trailing slash."""
    value = _raw(name, environ) or default
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"{name}={value!r}: expected the address people open, such as https://scorecard.example.org"
        )
    return value.rstrip("/")
