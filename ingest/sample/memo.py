"""A memo of built packages for test suites: the same spec always gives the same bytes, so a
package built once can be copied instead of built again (signing is the slow part).

Used only when ``LUUTRU_SAMPLE_MEMO`` names a folder; the test suite sets it per session."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.sample.package import BuiltPackage, PackageSpec

MEMO_ENV = "LUUTRU_SAMPLE_MEMO"
_VERSION = "1"  # bump when the builder's output changes


def memoised(
    kind: str, spec: PackageSpec, out_dir: Path, build: Callable[[Path], BuiltPackage]
) -> BuiltPackage:
    folder = os.environ.get(MEMO_ENV)
    if not folder:
        return build(out_dir)
    memo = Path(folder)
    key = hashlib.sha256(f"{_VERSION}|{kind}|{spec!r}".encode()).hexdigest()[:24]
    entry = memo / key
    if not (entry / "built.pickle").is_file():
        memo.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(dir=memo, prefix=".build-"))
        try:
            built = build(work)
            (work / "built.pickle").write_bytes(pickle.dumps(built))
            os.rename(work, entry)
        except OSError:
            if not (entry / "built.pickle").is_file():  # not lost to a concurrent builder
                raise
        finally:
            shutil.rmtree(work, ignore_errors=True)
    cached: BuiltPackage = pickle.loads((entry / "built.pickle").read_bytes())
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / cached.zip_path.name
    shutil.copyfile(entry / cached.zip_path.name, target)
    return dataclasses.replace(cached, zip_path=target)
