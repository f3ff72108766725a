"""Typed check results: rules with stable codes, findings, and the report they make.

Every check in ``ingest`` declares its rules once (code, severity, Vietnamese and English
message templates) and returns :class:`Finding` objects made from them. A check that could
not finish returns an ``indeterminate`` finding, never nothing: silence is not a pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    INDETERMINATE = "indeterminate"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class _SafeDict(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


@dataclass(frozen=True)
class Rule:
    """One rule of the standard, with a code that never changes once published."""

    code: str
    severity: Severity
    message_vi: str
    message_en: str
    outcome: Outcome = Outcome.FAILED
    source: str = ""

    def finding(self, path: str | None = None, **detail: Any) -> Finding:
        values = _SafeDict(detail)
        return Finding(
            code=self.code,
            severity=self.severity,
            outcome=self.outcome,
            path=path,
            message_vi=self.message_vi.format_map(values),
            message_en=self.message_en.format_map(values),
            detail={"source": self.source, **detail} if self.source else dict(detail),
        )


_REGISTRY: dict[str, Rule] = {}


def rule(
    code: str,
    severity: Severity,
    message_vi: str,
    message_en: str,
    *,
    outcome: Outcome = Outcome.FAILED,
    source: str = "",
) -> Rule:
    """Declare a rule. Codes are unique across the whole product."""
    if code in _REGISTRY:
        raise ValueError(f"rule code declared twice: {code}")
    declared = Rule(code, severity, message_vi, message_en, outcome, source)
    _REGISTRY[code] = declared
    return declared


def registered_rules() -> Mapping[str, Rule]:
    return dict(_REGISTRY)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: Severity
    outcome: Outcome
    path: str | None
    message_vi: str
    message_en: str
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR and self.outcome is Outcome.FAILED

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "outcome": self.outcome.value,
            "path": self.path,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
            "detail": self.detail,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Finding:
        return cls(
            code=str(data["code"]),
            severity=Severity(data["severity"]),
            outcome=Outcome(data["outcome"]),
            path=data.get("path"),
            message_vi=str(data["message_vi"]),
            message_en=str(data["message_en"]),
            detail=dict(data.get("detail") or {}),
        )


def overall_outcome(findings: Iterable[Finding]) -> Outcome:
    """failed if any error failed; else indeterminate if anything could not be decided."""
    seen_indeterminate = False
    for finding in findings:
        if finding.is_error:
            return Outcome.FAILED
        if finding.outcome is Outcome.INDETERMINATE:
            seen_indeterminate = True
    return Outcome.INDETERMINATE if seen_indeterminate else Outcome.PASSED


@dataclass
class Report:
    checked_at: dt.datetime
    findings: list[Finding] = field(default_factory=list)
    engines: dict[str, Any] = field(default_factory=dict)

    @property
    def outcome(self) -> Outcome:
        return overall_outcome(self.findings)

    def counts(self) -> dict[str, int]:
        """error: failed error findings (they block acceptance); warning, info: findings of
        that severity that did not pass; indeterminate: findings of any severity that could
        not be decided (an archivist must look at them)."""
        counts = {severity.value: 0 for severity in Severity}
        counts["indeterminate"] = 0
        for finding in self.findings:
            if finding.outcome is Outcome.INDETERMINATE:
                counts["indeterminate"] += 1
            if finding.outcome is Outcome.FAILED:
                counts[finding.severity.value] += 1
        return counts

    @property
    def has_error(self) -> bool:
        return any(finding.is_error for finding in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome.value,
            "checked_at": self.checked_at.isoformat(),
            "counts": self.counts(),
            "engines": self.engines,
            "findings": [finding.to_dict() for finding in self.findings],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Report:
        return cls(
            checked_at=dt.datetime.fromisoformat(str(data["checked_at"])),
            findings=[Finding.from_dict(item) for item in data.get("findings", [])],
            engines=dict(data.get("engines") or {}),
        )
