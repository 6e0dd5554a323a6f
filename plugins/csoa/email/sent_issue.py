"""A sent issue is a record: on its first real send the issue is written, as sent, to
``content/newsletters/<slug>.sent.json`` (committed by the editor). From then on the archive (web page,
email.html, email.txt, issue.json, feed entry) is rendered from that file, never composed again.

The file holds the issue as data (subject, letter, items, figures, events: what issue.json holds),
the rendered archive copy (HTML and text, unsubscribe link still a placeholder), every edition sent
(subject, HTML, text per segment of regions) and the figures chart PNG. No member data: segments
are lists of regions. Plain module: no Pelican.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from csoa.email.message import MessageError
from csoa.sending.sender import Edition

FORMAT = 1
SUFFIX = ".sent.json"
ITEM_FIELDS = ("title", "summary", "url", "channel", "image")
EVENT_FIELDS = ("title", "start", "end", "venue", "city", "url", "channel")
FIGURE_FIELDS = ("window_start", "window_end", "countries", "criminals", "ships_boarded", "crew", "sample")
ISSUE_FIELDS = ("title", "date", "subject", "preheader", "url", "letter_html")


class SentIssueError(MessageError):
    """A record that cannot be read: newsletter-send refuses (as for any message it cannot build)."""


@dataclass
class SentIssue:
    issue: dict  # exactly what issue.json held when it was sent
    archive_html: str  # the full edition as rendered then (placeholder unsubscribe link)
    archive_text: str
    sent_at: str
    editions: dict[str, dict] = field(default_factory=dict)  # segment -> {"subject", "html", "text"}
    figures_png: bytes | None = None


def sent_folder(settings: dict) -> Path:
    """Where sent issues' records live: the newsletters folder of the content, unless the environment
    variable or setting NEWSLETTER_SENT_DIR puts them elsewhere (as NEWSLETTER_DB does the members)."""
    custom = os.environ.get("NEWSLETTER_SENT_DIR") or settings.get("NEWSLETTER_SENT_DIR")
    return Path(custom) if custom else Path(settings["PATH"]) / settings.get("NEWSLETTER_PATH", "newsletters")


def sent_file(folder: str | Path, slug: str) -> Path:
    return Path(folder) / f"{slug}{SUFFIX}"


def load(path: Path) -> SentIssue:
    """The record in ``path``; SentIssueError names the file and the field that is wrong."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SentIssueError(f"{path}: cannot be read as JSON ({exc}); expected the record newsletter-send wrote "
                             "(restore it from git)") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise SentIssueError(f"{path}: format: expected {FORMAT}, got {data.get('format') if isinstance(data, dict) else data!r}")
    for key, kind in (("issue", dict), ("archive_html", str), ("archive_text", str), ("sent_at", str), ("editions", dict)):
        if not isinstance(data.get(key), kind):
            raise SentIssueError(f"{path}: {key}: expected a {kind.__name__}, got {type(data.get(key)).__name__}")
    png = data.get("figures_png")
    return SentIssue(issue=data["issue"], archive_html=data["archive_html"], archive_text=data["archive_text"],
                     sent_at=data["sent_at"], editions=data["editions"],
                     figures_png=base64.b64decode(png) if png else None)


def dump(record: SentIssue) -> str:
    data = {"format": FORMAT, "issue": record.issue, "archive_html": record.archive_html,
            "archive_text": record.archive_text, "sent_at": record.sent_at, "editions": record.editions,
            "figures_png": base64.b64encode(record.figures_png).decode("ascii") if record.figures_png else None}
    return json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _write(path: Path, record: SentIssue) -> None:
    """Atomic: a crash leaves the previous record or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(dump(record), encoding="utf-8")
    os.replace(tmp, path)


class Recorder:
    """Wraps the real send's ``edition_for``: an edition already in the record is sent as recorded (a
    resumed send sends what the first run sent); a new one is rendered from the recorded issue and
    added. The sender renders every edition before its first SES call, so the record exists before
    anyone can have received the issue."""

    def __init__(self, path: Path, issue: dict, editions_for: Callable[[dict], Callable[[str], Edition]],
                 archive: Callable[[dict], tuple[str, str]], figures_png: bytes | None = None):
        self.path = Path(path)
        self.record: SentIssue | None = None
        self._issue, self._editions_for, self._archive, self._png = issue, editions_for, archive, figures_png
        self._render = None

    def __call__(self, segment: str) -> Edition:
        if self.record is None and self.path.exists():
            self.record = load(self.path)
        if self.record is None:
            html, text = self._archive(self._issue)
            self.record = SentIssue(issue=self._issue, archive_html=html, archive_text=text, figures_png=self._png,
                                    sent_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        stored = self.record.editions.get(segment)
        if stored:
            return Edition(stored["subject"], stored["html"], stored["text"])
        if self._render is None:
            self._render = self._editions_for(self.record.issue)
        edition = self._render(segment)
        self.record.editions[segment] = {"subject": edition.subject, "html": edition.html, "text": edition.text}
        _write(self.path, self.record)
        return edition


# ------------------------------------------------------------------ what a new composition would change


def _short(value) -> str:
    if not isinstance(value, str):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return repr(value if len(value) <= 60 else value[:57] + "...")


def _changed(name: str, sent, live) -> str:
    """``name: sent X, now Y``; long texts are shown from a little before where they part."""
    if isinstance(sent, str) and isinstance(live, str) and max(len(sent), len(live)) > 60:
        start = next((i for i, (a, b) in enumerate(zip(sent, live)) if a != b), min(len(sent), len(live)))
        start = max(0, start - 20)
        sent, live = ("..." if start else "") + sent[start:], ("..." if start else "") + live[start:]
    return f"{name}: sent {_short(sent)}, now {_short(live)}"


def _entries(issue: dict) -> dict[str, dict]:
    out = {}
    for section in issue.get("sections", []) + issue.get("regional", []):
        for item in section["items"]:
            out[item["slug"]] = {**item, "section": section["title"]}
    return out


def _compare_lists(label: str, sent: dict[str, dict], live: dict[str, dict], fields) -> list[str]:
    out = [f"{label} {slug} would be added" for slug in live if slug not in sent]
    out += [f"{label} {slug} would be dropped" for slug in sent if slug not in live]
    for slug in (s for s in sent if s in live):
        out += [_changed(f"{label} {slug}: {name}", sent[slug].get(name), live[slug].get(name))
                for name in fields if sent[slug].get(name) != live[slug].get(name)]
    return out


def differences(sent: dict, live: dict) -> list[str]:
    """How the live composition ``live`` differs from the sent issue ``sent``, field by field."""
    out = [_changed(name, sent.get(name), live.get(name)) for name in ISSUE_FIELDS if sent.get(name) != live.get(name)]
    sent_fig, live_fig = sent.get("figures") or {}, live.get("figures") or {}
    if bool(sent_fig) != bool(live_fig):
        out.append(f"figures: sent {'some' if sent_fig else 'none'}, now {'some' if live_fig else 'none'}")
    else:
        out += [_changed(f"figures {name}", sent_fig.get(name), live_fig.get(name))
                for name in FIGURE_FIELDS if sent_fig.get(name) != live_fig.get(name)]
    out += _compare_lists("item", _entries(sent), _entries(live), (*ITEM_FIELDS, "section"))
    out += _compare_lists("event", {e["slug"]: e for e in sent.get("events", [])},
                          {e["slug"]: e for e in live.get("events", [])}, EVENT_FIELDS)
    return out


def recorder_for(folder: Path, slug: str, issue: dict, editions_for, site: dict, template_dir,
                 output_dir: Path) -> Recorder:
    """The Recorder for a real send of ``slug`` from the site built in ``output_dir`` (commands.py)."""
    from csoa.email.render import render_html, render_text

    png = Path(output_dir) / "newsletters" / slug / "figures.png"
    return Recorder(sent_file(folder, slug), issue, editions_for,
                    lambda i: (render_html(i, site, template_dir), render_text(i, site)),
                    png.read_bytes() if (issue.get("figures") or {}).get("chart") and png.exists() else None)
