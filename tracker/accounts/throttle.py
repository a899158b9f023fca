"""Counting requests per key in a window, in Django's cache: what password reset uses
so no address or inbox can be flooded with reset emails. One process's memory by
default; a deployment with several workers names a shared cache (RIPPLE_CACHE_URL)."""

from django.core.cache import cache


def over_limit(key: str, *, limit: int, window: int) -> bool:
    """Count one more for `key`; True once more than `limit` were counted within
    `window` seconds of the first."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between the two calls: this is the first again
        cache.add(key, 1, timeout=window)
        return False
