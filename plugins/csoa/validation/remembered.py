"""Each file's own findings, remembered across validations in one process (the dev loop) and reused
while the file's stamp, the per-file rules and the files it looked for are unchanged. The memory is
the caller's (the build session keeps one); the stamp is csoa.util.stamps': a file changed within
its clock tick is checked but not remembered."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from csoa.model.parse import Parsed
from csoa.model.schema import Kind
from csoa.util.stamps import FileStamp
from csoa.validation.file_check import FileCheck, FileFacts
from csoa.validation.rules import SiteRules


@dataclass
class CheckedFilesMemory:
    """What a long-lived process remembers of its latest validation (the build session keeps it)."""

    facts: dict[str, tuple[FileStamp, FileFacts]] = field(default_factory=dict)  # absolute path -> (stamp, facts)
    rules: tuple | None = None

    def typed_header(self, path: Path, kind: str) -> Parsed | None:
        """The typed header the latest validation found in ``path`` as ``kind``, while the file and
        the files its checks looked for are as they were then; else None."""
        remembered = self.facts.get(str(path))
        if remembered is None:
            return None
        stamp, facts = remembered
        typed = facts.typed
        if typed is None or typed.kind != kind or not stamp.unchanged(FileStamp.of(path)) or not facts.still_valid():
            return None
        return typed


class CheckedFiles:
    """FileFacts from the validation before (``memory``), reused while the file's stamp, the
    per-file rules and the files it looked for are unchanged."""

    def __init__(self, rules: SiteRules, memory: CheckedFilesMemory | None = None):
        self.rules = rules.per_file_rules()
        self.memory = memory
        self.earlier = memory.facts if memory is not None and memory.rules == self.rules else {}
        self.seen: dict[str, tuple[FileStamp, FileFacts]] = {}
        self.reused = 0

    def facts(self, path: Path, rel: str, shown_path: str, kind: Kind, rules: SiteRules) -> FileFacts:
        stamp = FileStamp.of(path)
        key = str(path)
        earlier = self.earlier.get(key)
        if earlier is not None and earlier[0].unchanged(stamp) and earlier[1].still_valid():
            facts = earlier[1]
            self.reused += 1
        else:
            facts = FileCheck(path, rel, shown_path, kind, rules).run()
        if stamp.settled:
            self.seen[key] = (stamp, facts)
        return facts

    def keep(self) -> None:
        if self.memory is not None:
            self.memory.facts, self.memory.rules = self.seen, self.rules
