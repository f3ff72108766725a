"""The search package's exception family."""

from __future__ import annotations


class SearchError(Exception):
    """Anything the search layer refuses or cannot do."""


class InvalidSearch(SearchError):
    """A request that cannot be understood (bad filter value, cursor, limit)."""


class SearchUnavailable(SearchError):
    """The configured search backend cannot be reached."""
