"""SARIF 2.1.0: for GitHub code scanning and other SARIF viewers. Rule ids are the stable
finding codes; locations are paths relative to the archive (uriBaseId ARCHIVE)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import quote

from cwa import __version__
from cwa.findings import CODES
from cwa.messages import t
from cwa.printable import raw_bytes
from cwa.report.model import Report, dumps

LEVEL = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def render(report: Report) -> str:
    used = sorted({f.code for f in report.findings})
    index = {code: i for i, code in enumerate(used)}
    rules = [{
        "id": code,
        "name": code,
        "shortDescription": {"text": t(f"rule.{code}")},
        "defaultConfiguration": {"level": LEVEL[CODES[code]]},
    } for code in used]
    results: list[dict[str, Any]] = []
    for finding in report.findings:
        result: dict[str, Any] = {
            "ruleId": finding.code,
            "ruleIndex": index[finding.code],
            "level": LEVEL[finding.severity],
            "message": {"text": finding.message},
            "properties": {"hint": finding.hint},
            "locations": [{"physicalLocation": {"artifactLocation": {
                "uri": _uri(finding.path), "uriBaseId": "ARCHIVE"}}}],
        }
        if finding.indicator:
            result["properties"]["indicator"] = finding.indicator
        results.append(result)
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "cwa", "version": __version__,
                                "informationUri": "https://pypi.org/project/cwa/",
                                "rules": rules}},
            "originalUriBaseIds": {"ARCHIVE": {
                "uri": Path(report.archive).resolve().as_uri() + "/"}},
            "results": results,
        }],
    }
    return dumps(log, indent=1)


def _uri(path: str) -> str:
    """A relative URI reference (RFC 3986): non-ASCII characters percent-encoded."""
    return quote(raw_bytes(path), safe="/") if path else "."

