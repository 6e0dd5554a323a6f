"""Compose an issue from the site's content, as of the issue's own date: what was published since the
previous issue and before this one, the events starting after it, and the headline figures of the
window ending on it. Plain data in, plain data (JSON-ready) out.

Item channels: an item appears in the web page and the email unless it is marked ``web-only`` or
``email-only`` (article metadata ``Newsletter: web-only|email-only|never`` or the issue's
``Web-only:`` / ``Email-only:`` lists of slugs).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from csoa.model.vocabularies import NEWSLETTER_CHANNELS

ITEM_KINDS = ("news", "workshops", "reports", "intelligence")  # gathered "since the previous issue"
REGIONAL_KIND = "intelligence"  # items of this kind with a region form the regional sections
FIRST_ISSUE_WINDOW = timedelta(days=31)


class ComposeError(ValueError):
    pass


@dataclass
class Image:
    url: str
    alt: str
    width: int
    height: int


@dataclass
class Source:
    """One published article, as the newsletter sees it."""
    slug: str
    kind: str
    title: str
    url: str  # absolute
    summary: str  # plain text
    date: datetime
    image: Image | None = None
    region: str = ""
    channel: str = "both"
    start: datetime | None = None  # events only
    end: datetime | None = None
    venue: str = ""
    city: str = ""
    path: str = ""  # site-relative URL, for the web page's links
    source: str = ""  # content path (news/2016-07-08-x.md): Pin/Exclude/... may name items by it
    display: dict | None = None  # events only: when/place/status as the events plugin words them everywhere


@dataclass
class IssueMeta:
    slug: str
    title: str
    date: datetime
    subject: str
    preheader: str
    url: str
    letter_html: str
    source_file: str = ""
    pin: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    order: list[str] = field(default_factory=list)
    web_only: list[str] = field(default_factory=list)
    email_only: list[str] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)  # region keys with a section (the model checked them); empty = all


def _item(src: Source, channel: str) -> dict:
    return {
        "slug": src.slug, "kind": src.kind, "title": src.title, "url": src.url, "path": src.path,
        "summary": src.summary,
        "date": src.date.isoformat(), "image": asdict(src.image) if src.image else None,
        "region": src.region, "channel": channel,
    }


def _resolve_references(meta: IssueMeta, by_slug: dict, by_path: dict) -> None:
    """Pin, Exclude, Order, Web-only and Email-only as slugs of published items (content paths name
    items too); ComposeError for one that names none (a draft, or an item of after the build)."""
    for name, attr in (("Pin", "pin"), ("Exclude", "exclude"), ("Order", "order"),
                       ("Web-only", "web_only"), ("Email-only", "email_only")):
        refs = [by_path.get(r, r) for r in getattr(meta, attr)]
        unknown = [r for r in refs if r not in by_slug]
        if unknown:
            raise ComposeError(f"{meta.source_file}: {name}: unknown slug(s) {', '.join(unknown)} "
                               "(expected slugs or content paths of published articles)")
        setattr(meta, attr, refs)


def compose_issue(meta: IssueMeta, sources: list[Source], previous: datetime | None, now: datetime,
                  kinds: dict[str, str], regions: dict[str, str], summary: dict | None = None,
                  chart: dict | None = None) -> dict:
    """The issue as data: sections of items, regional sections, upcoming events and figures."""
    by_slug = {s.slug: s for s in sources}
    _resolve_references(meta, by_slug, {s.source: s.slug for s in sources if s.source})
    start = previous if previous is not None else meta.date - FIRST_ISSUE_WINDOW
    end = min(meta.date, now)
    late_pins = [s for s in meta.pin if by_slug[s].date > meta.date]
    if late_pins:
        raise ComposeError(f"{meta.source_file}: Pin: {', '.join(late_pins)} published after the issue's date "
                           f"{meta.date.isoformat()} (expected items published before the issue)")

    chosen: list[Source] = []
    for src in sources:
        if src.kind not in ITEM_KINDS or src.slug in meta.exclude or src.date > end:
            continue
        if src.slug in meta.pin or start < src.date:
            chosen.append(src)
    pinned = [s for s in meta.pin if s in by_slug]
    rank = {slug: i for i, slug in enumerate(pinned + [s for s in meta.order if s not in pinned])}
    chosen.sort(key=lambda s: (rank.get(s.slug, len(rank)), -s.date.timestamp(), s.slug))

    def channel_of(src: Source) -> str:
        if src.slug in meta.web_only:
            return "web-only"
        if src.slug in meta.email_only:
            return "email-only"
        return src.channel if src.channel in NEWSLETTER_CHANNELS else "both"

    section_regions = meta.segments or list(regions)
    sections, regional = [], []
    for kind in ITEM_KINDS:
        items = [_item(s, channel_of(s)) for s in chosen
                 if s.kind == kind and not (kind == REGIONAL_KIND and s.region in section_regions)]
        items = [i for i in items if i["channel"] != "never"]
        if items:
            sections.append({"key": kind, "title": kinds.get(kind, kind.title()), "items": items})
    for region in section_regions:
        items = [_item(s, channel_of(s)) for s in chosen if s.kind == REGIONAL_KIND and s.region == region]
        items = [i for i in items if i["channel"] != "never"]
        if items:
            regional.append({"region": region, "title": f"{kinds.get(REGIONAL_KIND, 'Regional intelligence')}: {regions[region]}",
                             "items": items})

    # upcoming as of the issue's date and time, not of the build, and announced by then: an archived
    # issue keeps its own
    events = sorted((s for s in sources if s.kind == "events" and s.start and s.start > meta.date and s.date <= end
                     and s.slug not in meta.exclude and s.channel != "never"), key=lambda s: (s.start, s.slug))
    return {
        "slug": meta.slug, "title": meta.title, "date": meta.date.isoformat(), "subject": meta.subject,
        "preheader": meta.preheader, "url": meta.url, "letter_html": meta.letter_html,
        "since": start.isoformat(),
        "sections": sections,
        "regional": regional,
        "events": [{**_item(e, channel_of(e)), "start": e.start.isoformat(),
                    "end": e.end.isoformat() if e.end else None, "venue": e.venue, "city": e.city,
                    "display": e.display} for e in events],
        "figures": _figures(summary, chart, meta.date),
    }


def _figures(summary: dict | None, chart: dict | None, issue_date: datetime) -> dict | None:
    """The headline crime figures (statistics plugin's summary shape, as of the issue's date), or None
    when absent or when their window ends after the issue (figures the issue could not have known)."""
    if not summary or not summary.get("as_of") or not isinstance(summary.get("headline"), dict):
        return None
    h = summary["headline"]
    if not h.get("window_end") or h["window_end"] > issue_date.date().isoformat():
        return None
    return {
        "as_of": summary.get("as_of", ""),
        "window_start": h.get("window_start", ""), "window_end": h.get("window_end", ""),
        "countries": h.get("countries", 0), "ships_boarded": h.get("ships_boarded", 0),
        "criminals": h.get("criminals", 0), "crew": h.get("crew", 0),
        "sample": bool(summary.get("sample", False)),  # synthetic sample incidents among the records
        "chart": chart,
    }


def all_items(issue: dict, channel: str, segment_regions=None) -> list[dict]:
    """Every item a reader of ``channel`` ('web' or 'email') sees, in order (for both renderers)."""
    hidden = "email-only" if channel == "web" else "web-only"
    out = []
    for section in issue["sections"]:
        out += [i for i in section["items"] if i["channel"] != hidden]
    for section in issue["regional"]:
        if segment_regions is None or section["region"] in segment_regions:
            out += [i for i in section["items"] if i["channel"] != hidden]
    return out
