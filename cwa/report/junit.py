"""JUnit XML: one test case per leaf indicator, so any CI shows the archive as tests.

A case fails when its evidence is missing or partial, and is skipped when its methods
need no documents. Other findings of the indicator go to its system-out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from cwa import wording
from cwa.checks.evidence import COMPLETE, NOT_ARCHIVE
from cwa.messages import t
from cwa.printable import printable
from cwa.report import text
from cwa.report.model import Report


def render(report: Report) -> str:
    suites = ET.Element("testsuites", name="cwa", tests="0", failures="0", skipped="0")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for top in report.results:
        suite = ET.SubElement(suites, "testsuite", name=f"{top.indicator.code} "
                                                         f"{top.indicator.wording}")
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        for leaf in top.leaves():
            counts["tests"] += 1
            case = ET.SubElement(suite, "testcase", name=f"{leaf.indicator.code} "
                                 f"{leaf.indicator.wording}", classname=suite.get("name", ""),
                                 file=printable(leaf.path))
            if leaf.status == NOT_ARCHIVE:
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=t("status.na"))
            elif leaf.status != COMPLETE:
                counts["failures"] += 1
                missing = [text.needs(i) for i in leaf.evidence if not i.satisfied]
                message = t("report.junit_failure", items=wording.listing(missing))
                failure = ET.SubElement(case, "failure", message=message,
                                        type=leaf.status)
                failure.text = message
            notes = [f"{f.severity} {f.code} {printable(f.path)}: {f.message}"
                     for f in report.findings_of(leaf.indicator.code)]
            if notes:
                ET.SubElement(case, "system-out").text = "\n".join(notes)
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, "unicode") + "\n"
