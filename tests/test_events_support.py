"""No tests here: the fixture site shared by the events, iCalendar and feeds tests.

"Now" is pinned to 2019-07-08 00:00 UTC (PINNED_NOW). The fixture has articles of several kinds and
regions (one with a PDF, images and relative links), and events that are upcoming, in progress,
past, all-day, multi-day, cancelled, online, across a DST change and not yet announced.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone

from PIL import Image

PINNED_NOW = datetime(2019, 7, 8, tzinfo=timezone.utc)
PUBLIC = "https://www.csoalliance.com"
def png_bytes(width=40, height=20) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 60, 110)).save(buffer, format="PNG")
    return buffer.getvalue()


PDF_BYTES = b"%PDF-1.4\n% sample attachment for the feeds tests\n" + b"0" * 1177 + b"\n%%EOF\n"

NEWS_WITH_LINKS = """\
    Title: Piracy report published
    Date: 2019-06-01 10:00
    Summary: The quarterly report is out, with <a href="/files/report.pdf">the PDF</a>.
    Tags: reports, piracy

    Read [the report]({static}/files/report.pdf) and [our notes](notes.html), or go [home](/).

    ![Chart of incidents]({static}/images/chart.png)

    <img src="/images/chart.png" srcset="/images/chart.png 1x, /images/chart-2x.png 2x" alt="Chart">
    <video poster="/images/poster.png" src="media/clip.mp4"></video>
    [Mail us](mailto:info@csoalliance.com) or see [the section](#details) and [the course]({filename}/events/course.md).
    """

INTELLIGENCE = """\
    Title: Kidnap risk rises off Nigeria
    Date: 2019-06-15 08:00
    Region: west_africa
    Summary: Regional intelligence for West Africa.

    Body.
    """

REPORT = """\
    Title: First response: drone attack
    Date: 2019-06-20 18:00 +00:00
    Incident_date: 2019-06-20 06:00 +00:00
    Region: gulf_of_aden
    Summary: What happened and our advice.

    ## What happened

    A drone attack.

    ## Advice

    Report to the regional centre.
    """

FUTURE_NEWS = """\
    Title: Not yet published
    Date: 2019-08-01 09:00
    Summary: Dated after the pinned now.

    Body.
    """

COURSE = """\
    Title: Shipping Managers' Course
    Uid: course-2019
    Date: 2019-06-20 10:00
    Start: 2019-07-10 09:00
    End: 2019-07-10 17:00
    Timezone: Europe/London
    Venue: HMS President
    City: London
    Country: United Kingdom
    Lat: 51.5061
    Lon: -0.0714
    Organiser: Royal Navy
    Cost: Free
    Registration_url: https://example.org/register
    Image: {static}/images/chart.png
    Image_alt: Chart of the course programme
    Tags: training
    Summary: A one-day course for shipping managers.

    The course body, with [the PDF]({static}/files/report.pdf).
    """

CONFERENCE = """\
    Title: CYPnaval Conference
    Uid: cypnaval-2019
    Date: 2019-06-20 10:00
    Start: 2019-10-02
    Timezone: Asia/Nicosia
    City: Limassol
    Country: CY
    Summary: A maritime security conference in Cyprus.

    Body.
    """

WORKSHOP_PAST = """\
    Title: Spring Workshop
    Uid: spring-workshop-2019
    Date: 2019-01-10 10:00
    Start: 2019-03-05
    End: 2019-03-07
    Timezone: Europe/Athens
    City: Piraeus
    Country: Greece
    Summary: Three days of workshops.

    Body.
    """

BRIEFING_CANCELLED = """\
    Title: Gulf of Aden Briefing
    Uid: briefing-2019
    Date: 2019-02-01 10:00
    Start: 2019-05-01 09:30
    End: 2019-05-01 16:00
    Timezone: Africa/Djibouti
    City: Djibouti
    Country: DJ
    Event_status: cancelled
    Summary: Cancelled briefing.

    Body.
    """

WEBINAR = """\
    Title: Threat Webinar
    Uid: webinar-2019
    Date: 2019-06-01 10:00
    Start: 2019-09-10 14:00
    End: 2019-09-10 15:00
    Timezone: UTC
    Attendance_mode: online
    Registration_url: https://example.org/webinar
    Summary: One hour online.

    Body.
    """

DST_FORUM = """\
    Title: Autumn Forum
    Uid: autumn-forum-2019
    Date: 2019-06-01 10:00
    Start: 2019-10-25 09:00
    End: 2019-10-28 17:00
    Timezone: Europe/London
    City: London
    Country: GB
    Event_status: postponed
    Attendance_mode: mixed
    Summary: Four days across the end of summer time.

    Body.
    """

IN_PROGRESS = """\
    Title: Summer School
    Uid: summer-school-2019
    Date: 2019-05-01 10:00
    Start: 2019-07-07
    End: 2019-07-09
    City: Southampton
    Country: GB
    Summary: In progress at the pinned now.

    Body.
    """

NOT_ANNOUNCED = """\
    Title: Secret Event
    Uid: secret-2019
    Date: 2019-08-01 10:00
    Start: 2019-12-01 10:00
    End: 2019-12-01 12:00
    City: London
    Country: GB
    Summary: Announced after the pinned now.

    Body.
    """

NO_UID = """\
    Title: Event Without Uid
    Date: 2019-06-01 10:00
    Start: 2019-11-20 10:00
    End: 2019-11-20 12:00
    City: London
    Country: GB
    Summary: Its UID comes from the file name.

    Body.
    """

COURSE_ATTACHMENTS = {"files/report.pdf": PDF_BYTES, "images/chart.png": png_bytes()}  # what course.md links to

FILES = {
    "news/piracy-report.md": NEWS_WITH_LINKS,
    "intelligence/kidnap-risk.md": INTELLIGENCE,
    "reports/drone-attack.md": REPORT,
    "news/future.md": FUTURE_NEWS,
    "files/report.pdf": PDF_BYTES,
    "images/chart.png": png_bytes(),
    "events/course.md": COURSE,
    "events/conference.md": CONFERENCE,
    "events/workshop.md": WORKSHOP_PAST,
    "events/briefing.md": BRIEFING_CANCELLED,
    "events/webinar.md": WEBINAR,
    "events/forum.md": DST_FORUM,
    "events/summer-school.md": IN_PROGRESS,
    "events/secret.md": NOT_ANNOUNCED,
    "events/no-uid.md": NO_UID,
}

PUBLISHED_EVENT_UIDS = {
    "course-2019",
    "cypnaval-2019",
    "spring-workshop-2019",
    "briefing-2019",
    "webinar-2019",
    "autumn-forum-2019",
    "summer-school-2019",
    "events/no-uid",
}
