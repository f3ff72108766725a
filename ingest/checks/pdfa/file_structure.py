"""File-level syntax of ISO 19005-2 6.1 that pikepdf.pdfa trusts qpdf to have written.

The checks read the file through ``mmap``: the operating system pages it in as needed, so a
large document is never copied wholly into Python memory.
"""

from __future__ import annotations

import mmap
import re
from collections.abc import Iterator
from pathlib import Path

from ingest.checks.pdfa import rules
from ingest.findings import Finding

_HEADER = re.compile(rb"%PDF-1\.[0-7](\r\n|\r|\n)")
_EOF_TAIL = 1024
# "N G obj" must use single spaces, and the line must start there (6.1.9).
# Possessive quantifiers and the look-behind keep this linear: a signature's /Contents is a run
# of thousands of digits, and a backtracking scan from every digit of it was quadratic.
_OBJ_HEADER = re.compile(rb"(?<![0-9])(\d++)([ \t\r\n\f\x00]++)(\d++)([ \t\r\n\f\x00]++)obj\b")
_STREAM_START = re.compile(rb"(?<![A-Za-z])stream(\r\n|\n|\r|)")
_ENDSTREAM = re.compile(rb"endstream")
_STREAM_OBJECT_LIMIT = 20_000


def _finding(path: str, clause: str, test: int, message: str) -> Finding:
    return rules.FILE_STRUCTURE.finding(
        path, clause=clause, verapdf_rule=f"ISO_19005_2:{clause}-{test}", message=message
    )


def check_file_structure(disk_path: Path, logical: str) -> list[Finding]:
    """Header, binary comment, data after %%EOF, object and stream keyword syntax."""
    with (
        disk_path.open("rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        return list(_check(data, logical))


def _check(data: mmap.mmap, logical: str) -> Iterator[Finding]:
    header = _HEADER.match(data, 0)
    if header is None:
        yield _finding(logical, "6.1.2", 1, "the file does not start with %PDF-1.n (n ≤ 7)")
    else:
        second = data[header.end() : header.end() + 6]
        marked = second[:1] == b"%" and len(second) >= 5 and all(b > 127 for b in second[1:5])
        if not marked:
            yield _finding(
                logical, "6.1.2", 2, "the header is not followed by a comment of 4 binary bytes"
            )
    tail_start = max(0, len(data) - _EOF_TAIL)
    tail = data[tail_start:]
    eof = tail.rfind(b"%%EOF")
    if eof < 0:
        yield _finding(logical, "6.1.3", 3, "no %%EOF marker at the end of the file")
    elif tail[eof + 5 :] not in (b"", b"\r", b"\n", b"\r\n"):
        yield _finding(logical, "6.1.3", 3, "data follows the last %%EOF marker")
    yield from _check_objects(data, logical)


def _check_objects(data: mmap.mmap, logical: str) -> Iterator[Finding]:
    reported: set[tuple[str, int]] = set()
    for count, match in enumerate(_OBJ_HEADER.finditer(data)):
        if count > _STREAM_OBJECT_LIMIT:
            break
        start = match.start()
        before = data[start - 1 : start] if start else b"\n"
        if before not in (b"\r", b"\n"):
            continue  # a number inside another object, not an object header
        if (match.group(2) != b" " or match.group(4) != b" ") and ("6.1.9", 1) not in reported:
            reported.add(("6.1.9", 1))
            yield _finding(
                logical,
                "6.1.9",
                1,
                "object number, generation and 'obj' not separated by one space",
            )
        after = data[match.end() : match.end() + 1]
        if after not in (b"\r", b"\n") and ("6.1.9", 2) not in reported:
            reported.add(("6.1.9", 2))
            yield _finding(
                logical, "6.1.9", 1, "the 'obj' keyword is not followed by an EOL marker"
            )
