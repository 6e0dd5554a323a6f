"""Log records of a child process, kept as plain dicts so they can cross a pipe and be replayed
in the parent (where site_build counts errors)."""

import logging


class RecordCollector(logging.Handler):
    """Collects WARNING-and-worse records as picklable dicts."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.records: list[dict] = []

    def emit(self, record):
        self.records.append(
            {"name": record.name, "levelno": record.levelno, "levelname": record.levelname,
             "msg": record.getMessage(), "args": None, "pathname": record.pathname, "lineno": record.lineno}
        )
