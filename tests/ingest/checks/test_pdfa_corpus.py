"""Score the built-in checker on the veraPDF PDF/A-2b corpus, clause folder by clause folder.

A pass file must be accepted (overall outcome passed); a fail file counts as detected when the
overall outcome is failed. The detection floor is kept in ``pdfa_detection_floor.json``; raise it
when the rules improve.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from ingest.checks.pdfa import check_pdf
from ingest.findings import Outcome, overall_outcome

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
CORPUS = REPOSITORY_ROOT / ".." / "shared" / "corpora" / "verapdf-pdfa2b" / "PDF_A-2b"
FLOOR_FILE = Path(__file__).with_name("pdfa_detection_floor.json")


@pytest.mark.skipif(
    not CORPUS.is_dir(), reason="../shared/corpora/verapdf-pdfa2b is absent from this checkout"
)
def test_builtin_checker_on_verapdf_corpus() -> None:
    scores: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    false_rejections: list[str] = []
    for path in sorted(CORPUS.rglob("*.pdf")):
        relative = path.relative_to(CORPUS)
        clause = "/".join(relative.parts[:2])
        outcome = overall_outcome(check_pdf(path, str(relative)))
        row = scores[clause]
        if "-pass-" in path.name:
            row[0] += 1
            row[1] += outcome is Outcome.PASSED
            if outcome is not Outcome.PASSED:
                false_rejections.append(str(relative))
        else:
            row[2] += 1
            row[3] += outcome is Outcome.FAILED
    totals = [sum(row[i] for row in scores.values()) for i in range(4)]
    print(f"\n{'clause folder':64} {'pass accepted':>14} {'fail rejected':>14}")
    for clause, row in sorted(scores.items()):
        print(f"{clause:64} {row[1]:>7}/{row[0]:<6} {row[3]:>7}/{row[2]:<6}")
    detection = totals[3] / totals[2]
    print(f"{'overall':64} {totals[1]:>7}/{totals[0]:<6} {totals[3]:>7}/{totals[2]:<6}")
    print(f"detection {detection:.3f}")
    floor = json.loads(FLOOR_FILE.read_text(encoding="utf-8"))
    assert totals[0] == 377 and totals[2] == 608, "the corpus is not the expected one"
    assert not false_rejections, false_rejections
    assert totals[3] >= floor["fail_files_rejected"], f"detection fell below the floor {floor}"
