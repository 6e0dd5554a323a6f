"""Pelican glue: read content/events/, validate each event, write /events/, the event pages and the
calendars. Events are their own content type (not articles), so they never crowd the news
listings, archives or tag pages; the home page shows the next ones through a partial."""

from __future__ import annotations

import logging
import os
from html import escape

from markupsafe import Markup
from pelican import signals
from pelican.contents import Content
from pelican.generators import Generator

from csoa.engine.content_check import typed_header
from csoa.events.display import event_display
from csoa.events.ical import CalendarEntry, build_calendar
from csoa.events.jsonld import event_jsonld, to_script_json
from csoa.model.events import EVENTS, EventMetadataError, event_data, is_valid_timezone, split_upcoming_past
from csoa.model.stable_ids import default_uid, domain_of
from csoa.model.vocabularies import PUBLICATION_STATUSES as STATUSES
from csoa.util.session import memo_for

PUBLICATION_STATUSES = (*STATUSES, "skip")  # "skip": Pelican's own, for files it must not read

logger = logging.getLogger(__name__)


class Event(Content):
    """An event page. ``Status:`` keeps its Pelican meaning (published, draft, hidden); the event's
    own state is ``Event_status:`` (scheduled, postponed, cancelled, moved_online)."""

    mandatory_properties = ("title",)
    allowed_statuses = PUBLICATION_STATUSES
    default_status = "published"
    default_template = "event"

    def __init__(self, content, metadata=None, settings=None, source_path=None, context=None):
        metadata = dict(metadata or {})
        # Pelican would skip a file with an unknown Status with its own vaguer message, and crash on
        # an unknown Timezone (it applies it to Date): leave both out, the content model reports them.
        status = str(metadata.get("status", "")).strip()
        if status and status.lower() not in PUBLICATION_STATUSES:
            metadata.pop("status")
        zone = metadata.get("timezone")
        if zone is not None and not is_valid_timezone(str(zone).strip()):
            metadata.pop("timezone")
        super().__init__(content, metadata, settings, source_path, context)

    @property
    def url(self) -> str:
        return f"events/{self.slug}/"

    @property
    def save_as(self) -> str:
        return f"events/{self.slug}/index.html"

    @property
    def ics_url(self) -> str:
        return f"events/{self.slug}/{self.slug}.ics"


class EventsGenerator(Generator):
    MAX_UID_WARNINGS = 5

    def __init__(self, *args, **kwargs):
        self.events = []
        self.without_uid: list[tuple[str, str]] = []
        super().__init__(*args, **kwargs)

    def generate_context(self):
        settings = self.settings
        now = settings["BUILD_NOW"]
        events = []
        for path in sorted(self.get_files(settings.get("EVENT_PATHS", ["events"]), exclude=settings.get("EVENT_EXCLUDES", []))):
            try:
                event = self.readers.read_file(
                    base_path=self.path, path=path, content_class=Event, context=self.context
                )
            except Exception as exc:
                logger.error("%s: could not read the event: %s", os.path.join(self.path, path), exc)
                self._add_failed_source_path(path)
                continue
            if not event.is_valid():
                self._add_failed_source_path(path)
                continue
            if not self.attach_event_data(event):
                self._add_failed_source_path(path)
                continue
            self.add_source_path(event)
            self.add_static_links(event)
            if event.status != "published":
                continue
            if event.published > now:  # announced in the future: not public yet
                continue
            events.append(event)
        self.check_unique(events)
        self.warn_without_uid()
        self.events = sorted(events, key=lambda e: (e.data.starts_at, e.data.uid))
        upcoming, past_by_year = split_upcoming_past(self.events, now, key=lambda e: e.data)
        home_count = settings.get("UPCOMING_EVENTS_ON_HOME", 3)
        self.context["events"] = self.events
        self.context["upcoming_events"] = upcoming
        self.context["past_events_by_year"] = past_by_year
        self.context["home_upcoming_events"] = [e for e in upcoming if not e.data.is_cancelled][:home_count]
        self.context["events_calendar_url"] = "events/calendar.ics"
        # the listing's last change: the newest announcement or edit (sitemap lastmod, not the clock)
        self.context["events_updated"] = max(
            (getattr(e, "modified", None) or e.date for e in self.events), default=None
        )

    def attach_event_data(self, event: Event) -> bool:
        """Type the header with the content model, make the EventData and decorate the Pelican object;
        log every problem with its file and line."""
        settings = self.settings
        parsed = typed_header(settings, event.source_path, EVENTS)
        try:
            data = event_data(parsed, default_uid=default_uid(event.relative_source_path),
                              default_timezone=settings["TIMEZONE"], default_organiser=settings.get("AUTHOR"))
        except EventMetadataError as failure:
            for problem in failure.errors:
                logger.error("%s:%d: %s", event.source_path, problem.line, problem)
            return False
        event.typed_metadata = parsed.values  # the model's values (the newsletter takes start and end from them)
        if "uid" not in event.metadata:
            self.without_uid.append((event.source_path, data.uid))
        site = settings["PUBLIC_SITEURL"].rstrip("/")
        event.data = data
        event.published = event.date  # when the event was announced; Date: is required
        # the one description every surface prints (page, lists, home, newsletter, feeds, calendars)
        event.display = event_display(data, settings["BUILD_NOW"])
        event.newsletter_display = event.display.text()
        event.public_url = f"{site}/{event.url}"
        event.public_ics_url = f"{site}/{event.ics_url}"
        description = _plain(event.summary)
        event.plain_summary = description
        event.image_path = image_path(event.metadata.get("image"))
        event.image_alt = str(event.metadata.get("image_alt") or "")
        event.share_image = f"{site}/{event.image_path}" if event.image_path else self.default_share_image()
        event.jsonld = Markup(to_script_json(  # serialised for a <script> element: HTML as it is
            event_jsonld(
                data,
                url=event.public_url,
                description=description,
                organiser_url=f"{site}/" if data.organiser == settings.get("AUTHOR") else None,
                image=f"{site}/{event.image_path}" if event.image_path else None,
            ))
        )
        event.feed_preface_html = "".join(
            f"<p><strong>{label}:</strong> {escape(text)}</p>" for label, text in event.display.lines()
        )
        return True

    def warn_without_uid(self) -> None:
        """Suggest the Uid: line for events that lack one (a few by name, then a count)."""
        for source, uid in sorted(self.without_uid)[: self.MAX_UID_WARNINGS]:
            logger.warning(
                "%s: no Uid: field; the calendar UID comes from the file name, so renaming the file "
                "would duplicate the event in members' calendars. Add the line 'Uid: %s'",
                source,
                uid,
            )
        if len(self.without_uid) > self.MAX_UID_WARNINGS:
            logger.warning(
                "%d more events have no Uid: field; `invoke event-uids --write` adds them all",
                len(self.without_uid) - self.MAX_UID_WARNINGS,
            )

    def default_share_image(self) -> str | None:
        """The theme's default Open Graph image, when the theme has one."""
        relative = self.settings.get("DEFAULT_SHARE_IMAGE", "img/og-default.png")
        if os.path.isfile(os.path.join(self.settings["THEME"], "static", relative)):
            return f"{self.settings['PUBLIC_SITEURL'].rstrip('/')}/{self.settings['THEME_STATIC_DIR']}/{relative}"
        return None

    def check_unique(self, events):
        for attribute in ("uid", "slug"):
            seen = {}
            for event in events:
                value = event.data.uid if attribute == "uid" else event.slug
                if value in seen:
                    logger.error(
                        "%s: %s %r is already used by %s; expected a unique %s per event",
                        event.source_path,
                        attribute.capitalize(),
                        value,
                        seen[value],
                        attribute.capitalize(),
                    )
                seen[value] = event.source_path

    def calendar_entry(self, event) -> CalendarEntry:
        stamp = getattr(event, "modified", None) or event.date  # the last edit, else the announcement
        return CalendarEntry(event=event.data, url=event.public_url, description=event.plain_summary, stamp=stamp,
                             facts=tuple(event.display.lines()), register_url=event.display.register_url)

    def generate_output(self, writer):
        settings = self.settings
        domain = domain_of(settings["PUBLIC_SITEURL"])
        prodid = settings.get("EVENTS_PRODID", f"-//{settings['SITENAME']}//Events calendar//EN")
        relative_urls = settings["RELATIVE_URLS"]
        calendars = memo_for("events.calendars")  # the dev loop builds the same calendars again and again
        for event in self.events:
            writer.write_file(
                event.save_as,
                self.get_template(event.template),
                self.context,
                relative_urls=relative_urls,
                url=event.url,
                event=event,
                feed_kind="events",
            )
            calendar = build_calendar(
                [self.calendar_entry(event)],
                name=f"{event.title} ({settings['SITENAME']})",
                prodid=prodid,
                domain=domain,
                memo=calendars,
            )
            self._write(event.ics_url, calendar)
        writer.write_file(
            "events/index.html",
            self.get_template("events"),
            self.context,
            relative_urls=relative_urls,
            url="events/",
            feed_kind="events",
        )
        calendar = build_calendar(
            [self.calendar_entry(e) for e in self.events],
            name=f"{settings['SITENAME']} events",
            prodid=prodid,
            domain=domain,
            refresh_hours=settings.get("EVENTS_CALENDAR_REFRESH_HOURS", 12),
            zone_when_empty=(settings.get("TIMEZONE") or "UTC", settings["BUILD_NOW"].year),
            memo=calendars,
        )
        self._write("events/calendar.ics", calendar)

    def _write(self, relative: str, data: bytes) -> None:
        path = os.path.join(self.output_path, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def image_path(value) -> str | None:
    """``{static}/images/x.jpg`` or ``images/x.jpg`` -> ``images/x.jpg`` (site-relative)."""
    if not value:
        return None
    text = str(value).strip()
    for prefix in ("{static}", "{attach}", "{filename}"):
        text = text.replace(prefix, "")
    return text.lstrip("/") or None


def _plain(html: str) -> str:
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(html or "", "html.parser").get_text(" ").split())


def get_generators(pelican):
    return EventsGenerator


def register():
    signals.get_generators.connect(get_generators)
