"""Each file's own findings, remembered across validations in one process (the dev loop) and reused
while the file's stamp, the per-file rules and the files it looked for are unchanged."""

from __future__ import annotations

import time
from pathlib import Path

from csoa.model.schema import Kind
from csoa.validation.file_check import FileCheck, FileFacts
from csoa.validation.rules import SiteRules


# Files changed this recently may change again within the same clock tick (file times come from a
# coarse clock; some file systems keep seconds), keeping their stamp: checked but not remembered.
RACY_NS = 2_000_000_000
_remembered: dict[str, tuple[tuple, FileFacts]] = {}  # absolute path -> (stamp, facts), latest run only
_remembered_rules: tuple | None = None


class CheckedFiles:
    """FileFacts from earlier validations in this process, reused while the file's stamp, the
    per-file rules and the files it looked for are unchanged.

    The stamp has the ctime besides mtime, size and inode: a copy that keeps the mtime (cp -p,
    rsync -t) can bring back an old mtime and size, but every change sets the ctime to now.
    """

    def __init__(self, rules: SiteRules):
        self.rules = rules.per_file_rules()
        self.earlier = _remembered if self.rules == _remembered_rules else {}
        self.seen: dict[str, tuple[tuple, FileFacts]] = {}
        self.racy_after = time.time_ns() - RACY_NS
        self.reused = 0

    def facts(self, path: Path, rel: str, shown_path: str, kind: Kind, rules: SiteRules) -> FileFacts:
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino, stat.st_dev)
        key = str(path)
        earlier = self.earlier.get(key)
        if earlier is not None and earlier[0] == stamp and earlier[1].still_valid():
            facts = earlier[1]
            self.reused += 1
        else:
            facts = FileCheck(path, rel, shown_path, kind, rules).run()
        if max(stat.st_mtime_ns, stat.st_ctime_ns) < self.racy_after:
            self.seen[key] = (stamp, facts)
        return facts

    def keep(self) -> None:
        global _remembered, _remembered_rules
        _remembered, _remembered_rules = self.seen, self.rules


def forget_checked_files() -> None:
    global _remembered, _remembered_rules
    _remembered, _remembered_rules = {}, None


