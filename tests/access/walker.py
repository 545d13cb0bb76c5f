"""Discovering every URL pattern of the URLconf and turning one into a concrete path."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from django.contrib.admin import site as admin_site
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


@dataclass(frozen=True)
class Entry:
    """One URL pattern; `variant` fixes kwargs for patterns tested several ways."""

    name: str | None
    route: str
    patterns: tuple = field(repr=False, compare=False)
    kwarg_names: tuple[str, ...] = ()
    variant: tuple[tuple[str, str], ...] = ()

    @property
    def id(self) -> str:
        label = self.name or self.route
        if self.variant:
            label += "[" + ",".join(f"{k}={v}" for k, v in self.variant) + "]"
        return label

    @property
    def is_admin(self) -> bool:
        return (self.name or "").startswith("admin:") or self.route.startswith("admin/")

    @property
    def admin_model(self):
        """The admin-registered model this URL belongs to, if any."""
        if not self.is_admin:
            return None
        # Model admin URLs live under admin/<app_label>/<model_name>/ (their names do not
        # always follow the pattern: the user admin's password page is auth_user_...).
        parts = self.route.split("/")
        if len(parts) >= 3:
            return admin_models().get(f"{parts[1]}_{parts[2]}")
        return None

    def path(self, kwargs: dict) -> str:
        values = {name: kwargs[name] for name in self.kwarg_names}
        if self.name:
            return reverse(self.name, kwargs=values)
        built = "/"
        for pattern in self.patterns:
            if isinstance(pattern, RoutePattern):
                built += ROUTE_PARAM.sub(lambda m: str(values[m.group(1)]), str(pattern))
            else:
                text = REGEX_GROUP.sub(lambda m: str(values[m.group(1)]), str(pattern))
                built += text.lstrip("^").rstrip("$")
        return built


@cache
def admin_models() -> dict:
    return {f"{m._meta.app_label}_{m._meta.model_name}": m for m in admin_site._registry}


def _names(pattern) -> list[str]:
    if isinstance(pattern, RoutePattern):
        return list(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return list(pattern.regex.groupindex)
    return []


def _walk(resolver: URLResolver, chain: tuple, namespace: str | None):
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner = namespace
            if item.namespace:
                inner = f"{namespace}:{item.namespace}" if namespace else item.namespace
            yield from _walk(item, chain + (item.pattern,), inner)
        elif isinstance(item, URLPattern):
            full = chain + (item.pattern,)
            name = item.name and (f"{namespace}:{item.name}" if namespace else item.name)
            yield full, name


def discover() -> list[Entry]:
    """Every URL pattern, found by walking the resolver (never listed by hand)."""
    entries = []
    seen = set()
    for chain, name in _walk(get_resolver(), (), None):
        route = "".join(str(p) for p in chain)
        kwarg_names = tuple(n for p in chain for n in _names(p))
        base = Entry(name=name, route=route, patterns=chain, kwarg_names=kwarg_names)
        if (name, route) in seen:
            continue
        seen.add((name, route))
        if name == "admin:app_list":
            # One pattern, one page per app: check each app's index.
            for app_label in sorted({m._meta.app_label for m in admin_site._registry}):
                entries.append(
                    Entry(
                        name=name,
                        route=route,
                        patterns=chain,
                        kwarg_names=kwarg_names,
                        variant=(("app_label", app_label),),
                    )
                )
        else:
            entries.append(base)
    return entries
