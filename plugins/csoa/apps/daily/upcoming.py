"""Which events stopped being upcoming between two moments, by the events model's own rule."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


def events_ended_between(settings: dict, since: datetime, now: datetime) -> list[str]:
    """"Title (uid), ended <when>" for each published event that was upcoming at ``since`` and is past at
    ``now`` (csoa.model.events.is_upcoming, the rule of /events/ and the home page)."""
    from csoa.model.events import EventMetadataError, is_upcoming, parse_event
    from csoa.model.header import parse_header
    from csoa.model.stable_ids import default_uid

    content = Path(settings["PATH"])
    ended = []
    for path in sorted((content / "events").rglob("*.md")):
        meta = {f.key: f.text for f in parse_header(path.read_text(encoding="utf-8")).fields}
        if meta.get("status", "published").lower() in ("draft", "hidden"):
            continue
        try:
            event = parse_event(meta, default_uid=default_uid(path.relative_to(content).as_posix()),
                                default_timezone=settings["TIMEZONE"], default_organiser=settings.get("AUTHOR"))
        except EventMetadataError:
            continue  # the build already refused it; it is on no page
        if is_upcoming(event, since) and not is_upcoming(event, now):
            ended.append(f"{event.title} ({event.uid}), ended {event.ends_at.isoformat()}")
    return ended
