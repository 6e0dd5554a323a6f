"""The thin Pelican side: run the validation with the build's real settings before anything is read."""

from __future__ import annotations

import logging

from pelican import signals

from csoa.engine.content_check import check_content, checked_files
from csoa.util.session import current
from csoa.validation.report import Report

logger = logging.getLogger(__name__)


class ContentInvalid(Exception):
    """The content does not match the schema; ``errors`` lists every problem (site_build reports them all)."""

    def __init__(self, report: Report):
        self.errors = [str(e) for e in report.errors]
        super().__init__(f"{len(self.errors)} content error(s):\n" + "\n".join(self.errors))


def validate_before_reading(pelican) -> None:
    """``get_generators`` receiver: fail the build, with every error, before Pelican reads or writes
    anything. The build session remembers each file's checks (the dev loop re-checks edited files)."""
    session = current()
    report = check_content(pelican.settings, checked_files(session) if session else None)
    for info in report.infos:
        logger.info("%s", info)
    if report.errors:
        raise ContentInvalid(report)


def register():
    # get_generators is sent at the start of every run, before any file is read: a failed check
    # stops the build before output is written, and the dev loop re-checks on every change.
    signals.get_generators.connect(validate_before_reading)
