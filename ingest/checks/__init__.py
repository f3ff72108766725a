"""Content checks: each module looks at the files of a package and returns findings.

Every check module exposes ``NAME`` (the step name used by the runner and in reports) and
``check_files(files, ctx) -> list[Finding]``. Modules: ``virus`` (ClamAV), ``formats``
(Siegfried/PRONOM against the TT05 format policy), ``pdfa`` (PDF/A conformance), ``signatures``
(pyHanko, NĐ 30/2020 signer rules), ``digitised`` (TT05 digitisation parameters). ``runner``
runs a selection of them with a guard and a time limit each.

This package imports nothing heavy itself so that one check can be loaded without the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ingest.context import CheckContext, PackageFile
from ingest.findings import Finding


class FileCheck(Protocol):
    """The signature every check module's ``check_files`` has."""

    def __call__(self, files: Sequence[PackageFile], ctx: CheckContext) -> list[Finding]: ...
