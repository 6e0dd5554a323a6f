"""What one daily run did, step by step, as text for a person (no member data ever goes in here)."""

from __future__ import annotations

from dataclasses import dataclass, field

STEPS = ("stats-update", "build", "linkcheck", "publish")


@dataclass
class DailyReport:
    now: str  # the run's pinned "now" (ISO)
    since: str  # the previous successful run's "now": events that ended in between moved to the past
    steps: dict[str, str] = field(default_factory=dict)  # step -> "ok: ..." or "FAILED: ..."
    new_incidents: int = 0
    updated_incidents: int = 0
    events_now_past: list[str] = field(default_factory=list)  # "Title (uid), ended 2019-07-10"
    uploaded: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    invalidated: list[str] = field(default_factory=list)
    invalidation_id: str | None = None
    failed: str | None = None  # the step that failed

    def ok(self, step: str, detail: str) -> None:
        self.steps[step] = f"ok: {detail}"

    def fail(self, step: str, detail: str) -> None:
        self.steps[step] = f"FAILED: {detail}"
        self.failed = step

    def to_text(self) -> str:
        verdict = f"FAILED at {self.failed}: the live site was left as it was" if self.failed else "done"
        lines = [f"Daily run as of {self.now}: {verdict}", ""]
        for step in STEPS:
            lines.append(f"{step:>13}: {self.steps.get(step, 'not run')}")
        lines += ["", f"new incidents: {self.new_incidents}, updated: {self.updated_incidents}",
                  f"events that moved from upcoming to past since {self.since}: {len(self.events_now_past)}"]
        lines += [f"  {line}" for line in self.events_now_past]
        lines.append(f"files uploaded: {len(self.uploaded)}, deleted: {len(self.deleted)}")
        lines += [f"  + {path}" for path in self.uploaded[:50]]
        if len(self.uploaded) > 50:
            lines.append(f"  ... and {len(self.uploaded) - 50} more")
        lines += [f"  - {path}" for path in self.deleted]
        if self.invalidation_id:
            lines.append(f"CloudFront invalidation {self.invalidation_id}: {', '.join(self.invalidated[:20])}")
        return "\n".join(lines) + "\n"
