"""Links to records by primary key, without a full URL reversal for each one.

A list page links every row to its record, and its inspection: Django's `reverse` matches the
URL pattern afresh each time (about 20 µs), a hundred times or more a page. The path for a
name is the same for every key apart from the key itself, so it is reversed once per name and
script prefix and the key put in its place. A URL without arguments (the links on every
page's header) is the same path every time, so it is reversed once per script prefix.
"""

from __future__ import annotations

import functools

from django.urls import get_script_prefix, reverse

# A key no real record has, reversed in place of the real one and then replaced.
_PLACEHOLDER = 918_273_645_546_372_819


@functools.lru_cache(maxsize=256)
def _halves(name: str, prefix: str) -> tuple[str, str]:
    path = reverse(name, args=[_PLACEHOLDER])
    before, marker, after = path.partition(str(_PLACEHOLDER))
    if not marker or str(_PLACEHOLDER) in after:
        raise ValueError(f"URL {name!r} does not take one key")
    return before, after


@functools.lru_cache(maxsize=256)
def _path(name: str, prefix: str) -> str:
    return reverse(name)


def url_for(name: str) -> str:
    """The path of the named URL that takes no arguments, as `reverse(name)`."""
    return _path(name, get_script_prefix())


def url_for_pk(name: str, pk: int) -> str:
    """The path of the named URL that takes one primary key, as `reverse(name, args=[pk])`."""
    before, after = _halves(name, get_script_prefix())
    return f"{before}{int(pk)}{after}"
