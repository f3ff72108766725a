"""The interface every search backend implements; backends are chosen in settings.

A reader is opened for one caller: the backend applies the caller's access rule inside its
own query (SQL condition, OpenSearch filter), never by filtering a page afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from search.spec import IndexRow, SearchRequest, SearchResult


@dataclass(frozen=True)
class AccessScope:
    """The access rule as data, for backends outside the catalog (OpenSearch).

    ``agency_ids`` None: every agency. ``all_modes``: archivists, auditors and admins see every
    mode and destroyed dossiers as tombstones; others see public records and conditional-use
    records whose id (or dossier id) is in the granted sets, never destroyed ones.
    """

    may_read: bool
    agency_ids: frozenset[int] | None
    all_modes: bool
    granted_dossiers: frozenset[str] = frozenset()
    granted_documents: frozenset[str] = frozenset()


class SearchReader(Protocol):
    def search(self, request: SearchRequest) -> SearchResult: ...


class SearchWriter(Protocol):
    def replace(
        self, dossier_ids: Sequence[str], rows: Sequence[IndexRow], target: str | None = None
    ) -> None:
        """Make the index hold exactly ``rows`` for these dossiers (none: remove them).
        ``target``: a rebuild token, to write into the index being rebuilt."""

    def begin_rebuild(self, resume: str | None) -> str:
        """Start (or resume, given the token returned before) a full rebuild."""

    def finish_rebuild(self, token: str) -> None:
        """Make the rebuilt index the live one; drop what the rebuild did not write."""
