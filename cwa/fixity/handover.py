"""What a hand-over package holds beside the evidence: the check report as one HTML page,
the 归档文件目录 (.xlsx), and the archive's cwa.yaml with the rubric it carries (so that
``cwa check`` works on the unpacked package)."""

from __future__ import annotations

from pathlib import Path

from cwa import config
from cwa.config import Settings
from cwa.fixity.package import Extra
from cwa.fixity.select import CATALOG_NAME, REPORT_NAME
from cwa.messages import t


def extras(archive: Path, settings: Settings) -> tuple[list[Extra], list[str]]:
    """The files, and what could not be made (said to the user; the package goes on)."""
    from cwa.check import check
    from cwa.match import match
    from cwa.office import catalog
    from cwa.report import html
    from cwa.scan import scan

    report = check(archive, settings, archive.resolve().name)  # no local path in the page
    made = [Extra(REPORT_NAME, html.render(report).encode("utf-8", "replace"))]
    problems = []
    layout = match(settings.rubric, scan(archive).tree, settings.naming)
    listing = catalog.of_archive(archive, settings, layout, report.findings)  # as cwa catalog
    try:
        made.append(Extra(CATALOG_NAME, catalog.to_xlsx(listing, t("catalog.title"))))
    except UnicodeEncodeError as exc:  # a name that is not UTF-8 cannot go into an .xlsx
        problems.append(t("export.no_catalog", error=f"{type(exc).__name__}: {exc.reason}"))
    for name in (config.FILENAME, config.RUBRIC_FILENAME):  # the rubric it carries, too
        own = archive / name
        if own.is_file() and not own.is_symlink():
            made.append(Extra(name, own.read_bytes()))
    return made, problems
