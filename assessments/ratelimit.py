"""A fixed-window request counter per key, kept in Django's cache (no table, no writes to
the database: the public verification page must not let anyone grow one)."""

from __future__ import annotations

from django.core.cache import cache


def allow(key: str, *, limit: int, window: int) -> bool:
    """Count one request for `key`; False once more than `limit` came within the window.

    The window starts with the key's first request and is not extended by later ones.
    """
    cache_key = f"ratelimit:{key}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr: this request opens a new window
        cache.add(cache_key, 1, timeout=window)
        count = 1
    return count <= limit
