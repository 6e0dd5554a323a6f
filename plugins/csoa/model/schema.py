"""The content model: which metadata fields each kind of content has, their types and rules.

A kind is a folder of ``content/``. ``Field(type, required=...)`` declares one metadata field;
``Kind.checks`` are rules across fields (see checks.py) and ``Kind.sections`` the body headings a
kind must have. The events and newsletters blocks at the end belong to those areas: extend them there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from csoa.model import checks
from csoa.model.vocabularies import ATTENDANCE_MODES, EVENT_STATUSES, NEWSLETTER_CHANNELS, PUBLICATION_STATUSES
from csoa.model.fields import (
    Bool,
    ContentRef,
    Country,
    DateTime,
    Enum,
    FieldType,
    Float,
    ImagePath,
    Int,
    ListOf,
    OutputPath,
    Pattern,
    Slug,
    Text,
    Timezone,
    Url,
)

SUMMARY_MAX = 300  # characters: a summary is a teaser and the meta description, not the article
TITLE_MAX = 120


@dataclass(frozen=True)
class Field:
    type: FieldType
    required: bool = False
    help: str = ""  # one line for the README's content model table


@dataclass
class Kind:
    name: str
    fields: dict[str, Field]
    is_article: bool = True  # articles are dated and listed; pages and newsletters are not Pelican articles
    checks: list = field(default_factory=list)  # functions(values, lines, kind name) -> [(field, line, message)]
    sections: tuple[str, ...] = ()  # body headings that must be present
    timezone_field: str | None = None  # a field whose zone applies to this file's naive dates
    unique: tuple[str, ...] = ()  # fields whose value no two files of this kind may share


# Fields every file may have (Pelican's own, in the form this site uses them).
BASE = {
    "title": Field(Text(TITLE_MAX, what="a title"), required=True),
    "slug": Field(Slug(), help="URL part; default: made from the title"),
    "status": Field(
        Enum(PUBLICATION_STATUSES, ignore_case=True),
        help="draft: not published, listed as info by `invoke check`",
    ),
    "lang": Field(Enum(["en"]), help="language (default en)"),
    "translation": Field(Bool()),
    "template": Field(Text(60, what="a template name")),
    "author": Field(Text(80, what="a name")),
    "authors": Field(ListOf(Text(80, what="a name"))),
}
IMAGE = {
    "image": Field(ImagePath(), help="lead image under content/images/ (needs image_alt)"),
    "image_alt": Field(Text(250, what="a description of the image"), help="alt text of the image"),
}
ARTICLE = {
    **BASE,
    "date": Field(DateTime(), required=True, help="publication date; a future date is published once it has passed"),
    "modified": Field(DateTime()),
    "summary": Field(
        Text(SUMMARY_MAX, multiline=True, what="a summary"), required=True, help=f"at most {SUMMARY_MAX} characters"
    ),
    "tags": Field(ListOf(Text(40, what="a tag")), help="comma-separated"),
    "category": Field(Text(40, what="the folder's name")),  # the folder is the category: see checks.category_is_folder
    **IMAGE,
}

KINDS: dict[str, Kind] = {
    "news": Kind("news", {**ARTICLE, "featured": Field(Bool(), help="yes: shown first on the home page")}),
    "workshops": Kind(
        "workshops",
        {
            **ARTICLE,
            "workshop_date": Field(DateTime(), required=True, help="day (or start) of the workshop"),
            "place": Field(Text(120, what="a place"), required=True, help="e.g. Athens, Greece"),
            "organisers": Field(ListOf(Text(80, what="a name")), required=True, help="comma-separated"),
        },
    ),
    "reports": Kind(
        "reports",
        {
            **ARTICLE,
            "incident_date": Field(DateTime(), required=True, help="not after `date`"),
            "region": Field(Enum("REGIONS"), required=True, help="one of the site's REGIONS"),
            "location": Field(Text(120, what="a place")),
        },
        checks=[checks.incident_not_after_report],
        sections=("What happened", "Advice"),
    ),
    "intelligence": Kind(
        "intelligence",
        {**ARTICLE, "region": Field(Enum("REGIONS"), required=True, help="one of the site's REGIONS")},
    ),
    "pages": Kind(
        "pages",
        {
            **BASE,
            "summary": Field(
                Text(SUMMARY_MAX, multiline=True, what="a summary"), help=f"at most {SUMMARY_MAX} characters"
            ),
            "nav_order": Field(
                Int(minimum=0), help="position in the navigation (pages without it are not in the menu)"
            ),
            "date": Field(DateTime()),
            "modified": Field(DateTime()),
            "url": Field(Text(120, what="a URL path")),
            "save_as": Field(OutputPath(), help="output file, e.g. about/index.html; no generated file's path"),
            **IMAGE,
        },
        is_article=False,
    ),
}

# --------------------------------------------------------------------------------------------------
# EVENTS (content/events/): owned by the events area; extend this block only.
# `date` is when the announcement is published; `start`/`end` are when the event happens. Naive
# start/end times are in the event's `timezone` (default: the site's TIMEZONE). A date without a time
# is an all-day (or, with an `end` date, multi-day) event.
# --------------------------------------------------------------------------------------------------
KINDS["events"] = Kind(
    "events",
    {
        **ARTICLE,
        "uid": Field(  # the events plugin's UID_PATTERN; unique across events (validate.check_unique_fields)
            Pattern(r"[A-Za-z0-9%][A-Za-z0-9._/%~-]{0,119}", "a stable identifier of letters, digits and . _ / - ~ %"),
            help="the calendar entry's stable id, never changed once published",
        ),
        "start": Field(DateTime(), required=True, help="date, or date and time, in the event's timezone"),
        "end": Field(DateTime(), help="not before start"),
        "timezone": Field(Timezone(), help="IANA name, default the site's TIMEZONE"),
        "venue": Field(Text(120, what="a venue")),
        "city": Field(Text(80, what="a city")),
        "country": Field(Country(), help="name or ISO 3166 code"),
        "lat": Field(Float(-90, 90, what="a latitude in degrees"), help="-90..90, with lon"),
        "lon": Field(Float(-180, 180, what="a longitude in degrees"), help="-180..180, with lat"),
        "organiser": Field(Text(120, what="a name")),
        "registration_url": Field(Url(), help="http(s) URL"),
        "cost": Field(Text(80, what="a price")),
        "status": Field(
            Enum(PUBLICATION_STATUSES, ignore_case=True), help="publication status (see event_status)"
        ),
        "event_status": Field(Enum(EVENT_STATUSES), help="default scheduled"),
        "attendance_mode": Field(Enum(ATTENDANCE_MODES), help="default offline"),
    },
    checks=[checks.end_not_before_start, checks.start_and_end_alike, checks.lat_lon_together],
    timezone_field="timezone",
    unique=("uid",),
)
# ------------------------------------------------------------------------------------ end of EVENTS

# --------------------------------------------------------------------------------------------------
# NEWSLETTERS (content/newsletters/): owned by the newsletter area; extend this block only.
# Not Pelican articles: the newsletter plugin reads them. `pin`/`exclude` name content by path
# (news/2016-07-08-x.md) or slug, and must resolve to exactly one item.
# --------------------------------------------------------------------------------------------------
PREHEADER_MAX = 150
KINDS["newsletters"] = Kind(
    "newsletters",
    {
        **BASE,
        "date": Field(DateTime(), required=True, help="issue date"),
        "subject": Field(Text(120, what="an email subject"), required=True, help="at most 120 characters"),
        "preheader": Field(
            Text(PREHEADER_MAX, what="a preheader"),
            required=True,
            help=f"inbox preview text, at most {PREHEADER_MAX} characters",
        ),
        "pin": Field(ListOf(ContentRef()), help="content paths or slugs shown first"),
        "exclude": Field(ListOf(ContentRef()), help="content paths or slugs left out"),
        "order": Field(ListOf(ContentRef()), help="content paths or slugs in this order"),
        "web-only": Field(ListOf(ContentRef()), help="content shown on the web page only"),
        "email-only": Field(ListOf(ContentRef()), help="content shown in the email only"),
        "segments": Field(ListOf(Enum("REGIONS")), help="regions with a section (default all)"),
    },
    is_article=False,
)
for _kind in KINDS.values():  # articles say whether they go into the newsletter
    if _kind.is_article:
        _kind.fields["newsletter"] = Field(
            Enum(NEWSLETTER_CHANNELS, ignore_case=True), help="both (default), web-only, email-only or never"
        )
# ------------------------------------------------------------------------------- end of NEWSLETTERS

for (
    _kind
) in KINDS.values():  # every kind with an image field needs its alt text, and every article's category is its folder
    if "image" in _kind.fields:
        _kind.checks.append(checks.image_needs_alt)
    if "category" in _kind.fields:
        _kind.checks.append(checks.category_is_folder)
