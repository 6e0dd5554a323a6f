"""The plain content_schema modules: header parser, field types, cross-field and cross-file rules."""

from __future__ import annotations

import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sites import ROOT, settings_for

from csoa.model.fields import Context, DateTime, Float, Int, Invalid, ListOf, Text, Timezone, Url
from csoa.model.header import parse_header
from csoa.model.schema import KINDS
from csoa.validation.validate import SiteRules, validate_tree

LONDON = ZoneInfo("Europe/London")
CTX = Context(tz=LONDON, regions={"asia": "Asia", "west_africa": "West Africa"}, content_root=Path("/nonexistent"))
NOW = datetime(2019, 7, 8, tzinfo=timezone.utc)


def rules_for(root: Path, **changes) -> SiteRules:
    settings = {
        "PATH": str(root),
        "TIMEZONE": "Europe/London",
        "REGION_TABLE": {
            "asia": {"label": "Asia", "slug": "asia", "filing": True},
            "west_africa": {"label": "West Africa", "slug": "west-africa", "filing": True},
            "gulf_of_aden": {"label": "Gulf of Aden", "slug": "gulf-of-aden", "filing": True},
            "mediterranean": {"label": "Mediterranean", "slug": "mediterranean", "filing": True},
        },
        "BUILD_NOW": NOW,
        "CONTENT_KINDS": {
            "news": "News",
            "workshops": "Workshops",
            "reports": "Reports",
            "intelligence": "Intelligence",
            "events": "Events",
        },
        "PAGE_PATHS": ["pages"],
        "STATIC_PATHS": ["images", "files"],
        "ARTICLE_URL": "{category}/{slug}/",
        "PAGE_URL": "{slug}/",
        "DRAFT_URL": "drafts/{slug}/",
        "CATEGORY_URL": "{slug}/",
        "TAGS_URL": "tags/",
        **changes,
    }
    return SiteRules.from_settings(settings)


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "content"
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return root


def errors(root: Path, **changes) -> list[str]:
    return [str(e) for e in validate_tree(rules_for(root, **changes)).errors]


NEWS = """\
    Title: A news item
    Date: 2016-07-08 09:00 +01:00
    Summary: Something happened.

    Body.
    """


# --- the metadata header -------------------------------------------------------------------------


def test_header_keeps_line_numbers_lower_cases_keys_and_joins_continuation_lines():
    header = parse_header("---\nTitle: A\nSUMMARY: one\n    two\n\tthree\nTags: x, y\n\nBody line\n")
    assert [(f.key, f.written, f.line, f.values) for f in header.fields] == [
        ("title", "Title", 2, ["A"]),
        ("summary", "SUMMARY", 3, ["one", "two", "three"]),
        ("tags", "Tags", 6, ["x, y"]),
    ]
    assert header.body_line == 8
    assert header.body.split("\n")[0] == "Body line"


def test_header_stops_at_the_first_line_that_is_not_metadata():
    header = parse_header("Title: A\nThis line has no colon key\nDate: 2016-07-08\n")
    assert [f.key for f in header.fields] == ["title"]
    assert header.body_line == 2


def test_header_handles_crlf_and_a_byte_order_mark():
    header = parse_header("\ufeffTitle: A\r\nDate: 2016-07-08\r\n\r\nBody\r\n")
    assert [(f.key, f.line, f.values) for f in header.fields] == [("title", 1, ["A"]), ("date", 2, ["2016-07-08"])]
    assert header.body_line == 4


HEADER_LINE = st.one_of(
    st.builds(
        lambda indent, key, sep, value: f"{indent}{key}:{sep}{value}",
        st.sampled_from(["", " ", "   ", "    "]),
        st.from_regex(r"[A-Za-z][A-Za-z0-9_-]{0,8}", fullmatch=True),
        st.sampled_from(["", " ", "  ", "\t"]),
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    ),
    st.builds(
        lambda indent, value: indent + value,
        st.sampled_from(["    ", "      ", "\t"]),
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    ),
    st.sampled_from(["", "   ", "---", "...", "--- x", "plain text", "# Heading", "key with space: v"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(HEADER_LINE, max_size=12), st.sampled_from(["\n", "\r\n"]))
def test_header_parser_agrees_with_python_markdowns_meta_extension(lines, newline):
    """The oracle is the extension Pelican itself uses: both must see the same fields and values."""
    text = newline.join(lines) + newline + "Body text" + newline
    md = markdown.Markdown(extensions=["meta"])
    rest = text.split("\n")
    for step in ("normalize_whitespace", "meta"):  # the two preprocessors that run before the header is gone
        rest = md.preprocessors[step].run(rest)
    header = parse_header(text)
    ours: dict[str, list[str]] = {}
    for field in header.fields:
        ours.setdefault(field.key, []).extend(field.values)
    assert ours == md.Meta

    def trimmed(body_lines):
        body_lines = [line.rstrip() for line in body_lines]
        while body_lines and not body_lines[-1]:
            body_lines.pop()
        return body_lines

    assert trimmed(header.body.split("\n")) == trimmed(rest)


# --- field types ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2016-07-08", datetime(2016, 7, 8, tzinfo=LONDON)),
        ("2016-07-08 09:00", datetime(2016, 7, 8, 8, 0, tzinfo=timezone.utc)),  # naive: London summer time
        ("2016-01-08 09:00", datetime(2016, 1, 8, 9, 0, tzinfo=timezone.utc)),  # naive: London winter time
        ("2016-07-08 09:00 +01:00", datetime(2016, 7, 8, 8, 0, tzinfo=timezone.utc)),
        ("2016-07-08T09:00:30+0530", datetime(2016, 7, 8, 3, 30, 30, tzinfo=timezone.utc)),
        ("2016-07-08 09:00Z", datetime(2016, 7, 8, 9, 0, tzinfo=timezone.utc)),
    ],
)
def test_datetime_takes_naive_values_in_the_site_zone_and_honours_offsets(text, expected):
    assert DateTime().parse(text, CTX).at == expected


@pytest.mark.parametrize(
    "text",
    ["2016-13-45", "2016-02-30", "8 July 2016", "2016-07-08 25:00", "2016-7-8", "2016-07-08 09:00 +25:00", "yesterday"],
)
def test_datetime_rejects_what_is_not_an_iso_date(text):
    with pytest.raises(Invalid) as bad:
        DateTime().parse(text, CTX)
    assert bad.value.got == repr(text)
    assert "2016-07-08 09:00 +01:00" in bad.value.expected


@given(st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1)), st.integers(-14 * 60, 14 * 60))
def test_datetime_round_trips_any_instant_with_an_offset(moment, offset_minutes):
    offset = timezone(timedelta(minutes=offset_minutes))
    moment = moment.replace(second=0, microsecond=0, tzinfo=offset)
    sign = "-" if offset_minutes < 0 else "+"
    text = moment.strftime("%Y-%m-%d %H:%M ") + f"{sign}{abs(offset_minutes) // 60:02d}:{abs(offset_minutes) % 60:02d}"
    assert DateTime().parse(text, CTX).at == moment


def test_date_only_value_is_all_day():
    value = DateTime().parse("2019-10-02", CTX)
    assert (value.day, value.has_time) == (date(2019, 10, 2), False)


def test_simple_types_accept_and_reject():
    assert Int(minimum=0).parse("3", CTX) == 3
    assert Float(-90, 90).parse("-33.5", CTX) == -33.5
    assert Url().parse("https://www.cypnaval.com/register?x=1", CTX).startswith("https://")
    assert Timezone().parse("Asia/Nicosia", CTX) == ZoneInfo("Asia/Nicosia")
    assert ListOf(Text(20)).parse_lines(["BIMCO, CSO Alliance", "Royal Navy"], CTX) == [
        "BIMCO",
        "CSO Alliance",
        "Royal Navy",
    ]
    assert ListOf(Text(10)).parse_lines(["a; b, c"], CTX) == ["a", "b, c"]  # Pelican splits on ';' when there is one
    for field, text in [
        (Int(minimum=0), "-1"),
        (Int(), "1.5"),
        (Float(-90, 90), "90.1"),
        (Url(), "ftp://x.org/a"),
        (Url(), "https://localhost"),
        (Timezone(), "Mars/Olympus"),
        (Text(5), "too long"),
        (ListOf(Text(10)), "a,,b"),
    ]:
        with pytest.raises(Invalid):
            field.parse_lines([text], CTX) if isinstance(field, ListOf) else field.parse(text, CTX)


# --- one file ------------------------------------------------------------------------------------


def test_the_repositorys_own_content_is_valid():
    report = validate_tree(SiteRules.from_settings(settings_for(ROOT, PATH=str(ROOT / "content"))))
    assert report.files_checked >= 2
    assert [str(e) for e in report.errors] == []


def test_every_error_of_a_file_is_reported_in_one_run(tmp_path):
    root = tree(
        tmp_path,
        {
            "events/many.md": """\
        Title: CYPnaval
        Date: 2019-13-01
        Summary: Many mistakes in one event.
        Start: 2019-10-02 09:00
        End: 2019-10-01
        Timezone: Asia/Nicosa
        Lat: 100
        Lon: 33
        Registration_url: cypnaval
        Event_status: late
        Venu: Hilton Park

        ![]({static}/images/none.png)
        """
        },
    )
    assert (
        errors(root)
        == [
            "content/events/many.md:2: date: expected a date like 2016-07-08 or 2016-07-08 09:00 +01:00, got '2019-13-01'",
            "content/events/many.md:5: end: expected an end not before the start 2019-10-02 09:00 +01:00, got '2019-10-01'",  # the bad zone falls back to the site's
            "content/events/many.md:6: timezone: expected an IANA time zone like Europe/London (did you mean 'Asia/Nicosia'?), got 'Asia/Nicosa'",
            "content/events/many.md:7: lat: expected a latitude in degrees from -90 to 90, got '100'",
            "content/events/many.md:9: registration_url: expected an absolute http(s) URL like https://example.org/register, got 'cypnaval'",
            "content/events/many.md:10: event_status: expected one of scheduled, postponed, cancelled, moved_online, got 'late'",
            "content/events/many.md:11: venu: expected a field of events (did you mean 'venue'?), got the unknown field 'Venu'",
            "content/events/many.md:13: body: expected alt text for the image '{static}/images/none.png' like ![what it shows]({static}/images/none.png), got '![]({static}/images/none.png)'",
            "content/events/many.md:13: body: expected '{static}/images/none.png' to name an existing file under content/, got a link to 'images/none.png', which does not exist",
        ]
    )


def test_event_times_are_compared_in_the_events_own_zone(tmp_path):
    # 09:00 in Nicosia (+03:00) is 07:00 UTC; an end at 08:00 London (+01:00) is 07:00 UTC: not before
    root = tree(
        tmp_path,
        {
            "events/a.md": """\
        Title: CYPnaval
        Date: 2019-06-01
        Summary: Zones.
        Start: 2019-10-02 09:00
        End: 2019-10-02 08:00 +01:00
        Timezone: Asia/Nicosia

        Body.
        """
        },
    )
    assert errors(root) == []


def test_links_in_summaries_are_checked_and_code_is_not(tmp_path):
    root = tree(
        tmp_path,
        {
            "news/a.md": NEWS,
            "news/b.md": """\
        Title: Linking
        Date: 2016-07-09
        Summary: See [a]({filename}a.md) and [c]({filename}c.md).

        ```markdown
        ![](not-an-image-here.png) and [x]({filename}/nowhere.md)
        ```

        Inline `![]({filename}/nowhere.md)` is code too; [a](|filename|/news/a.md) is fine.
        """,
        },
    )
    assert errors(root) == [
        "content/news/b.md:3: summary: expected '{filename}c.md' to name an existing file under content/, got a link to 'news/c.md', which does not exist",
    ]


def test_a_link_may_not_leave_the_content_folder(tmp_path):
    root = tree(tmp_path, {"news/a.md": NEWS + "\n    [x]({filename}../../secrets.md)\n"})
    (tmp_path / "secrets.md").write_text("x")
    assert errors(root) == [
        "content/news/a.md:7: body: expected '{filename}../../secrets.md' to name a file under content/, got a path outside the content folder",
    ]


def test_report_sections_accept_setext_and_any_heading_level(tmp_path):
    root = tree(
        tmp_path,
        {
            "reports/a.md": """\
        Title: Drone attack
        Date: 2019-06-14
        Summary: Two tankers.
        Region: gulf_of_aden
        Incident_date: 2019-06-13 06:00 +04:00

        What happened
        -------------

        Text.

        ### Advice:

        Text.
        """
        },
    )
    assert errors(root) == []


def test_tags_are_restricted_only_where_the_settings_restrict_a_kind(tmp_path):
    root = tree(
        tmp_path,
        {
            "news/a.md": NEWS.replace("Summary", "Tags: anything, at all\n    Summary"),
            "reports/a.md": """\
        Title: Drone attack
        Date: 2019-06-14
        Summary: Two tankers.
        Region: gulf_of_aden
        Incident_date: 2019-06-13
        Tags: drone, hijak

        ## What happened
        ## Advice
        """,
        },
    )
    assert errors(root) == []
    assert errors(root, CONTENT_SCHEMA_ALLOWED_TAGS={"reports": ["drone", "hijack", "boarding"]}) == [
        "content/reports/a.md:6: tags: expected tags of reports from boarding, drone, hijack (did you mean 'hijack'?), got 'hijak'",
    ]


# --- across files --------------------------------------------------------------------------------


def test_drafts_and_scheduled_items_are_infos_not_errors(tmp_path):
    root = tree(
        tmp_path,
        {
            "news/draft.md": NEWS.replace("Summary", "Status: Draft\n    Summary"),
            "news/later.md": NEWS.replace("A news item", "Later").replace(
                "2016-07-08 09:00 +01:00", "2019-07-09 09:00"
            ),
            "news/now.md": NEWS.replace("A news item", "Now").replace(
                "2016-07-08 09:00 +01:00", "2019-07-08 01:00 +01:00"
            ),
        },
    )
    report = validate_tree(rules_for(root))
    assert report.errors == []
    assert [str(i) for i in report.infos] == [
        "content/news/draft.md:3: status: draft: not published",
        "content/news/later.md:2: date: scheduled: publishes on 2019-07-09 09:00 +01:00",
    ]


def test_duplicate_detection_uses_the_slugify_it_is_given(tmp_path):
    root = tree(tmp_path, {"news/a.md": NEWS, "news/b.md": NEWS.replace("A news item", "A news item!")})
    assert len(errors(root)) == 1  # the stand-in slugify drops the "!"
    rules = rules_for(root)
    rules.slugify = lambda title: title.replace(" ", "_")
    assert validate_tree(rules).errors == []


def test_same_slug_in_different_kinds_is_not_a_duplicate_but_a_draft_slug_clash_is(tmp_path):
    root = tree(
        tmp_path,
        {
            "news/a.md": NEWS,
            "intelligence/a.md": NEWS.replace("Summary", "Region: asia\n    Summary"),
            "news/d1.md": NEWS.replace("A news item", "Draft").replace("Summary", "Status: draft\n    Summary"),
            "intelligence/d2.md": NEWS.replace("A news item", "Draft").replace(
                "Summary", "Region: asia\n    Status: draft\n    Summary"
            ),
        },
    )
    assert errors(root) == [
        "content/news/d1.md:1: slug: expected a unique slug/URL, got '/drafts/draft/', already used by content/intelligence/d2.md:1 (set another slug)",
    ]


def test_links_to_drafts_and_to_items_published_later_are_errors(tmp_path):
    root = tree(
        tmp_path,
        {
            "news/draft.md": NEWS.replace("A news item", "Draft").replace("Summary", "Status: draft\n    Summary"),
            "news/later.md": NEWS.replace("A news item", "Later").replace("2016-07-08 09:00 +01:00", "2019-09-01"),
            "news/linking.md": NEWS.replace("A news item", "Linking")
            + "\n    [d]({filename}draft.md) [l]({filename}/news/later.md)\n",
            "news/even-later.md": NEWS.replace("A news item", "Even later").replace(
                "2016-07-08 09:00 +01:00", "2019-09-02"
            )
            + "\n    [l]({filename}later.md)\n",
            "news/draft-linking.md": NEWS.replace("A news item", "Draft 2").replace(
                "Summary", "Status: draft\n    Summary"
            )
            + "\n    [l]({filename}later.md)\n",
            "pages/dated-page.md": "Title: Dated page\nDate: 2030-01-01\nSummary: Pages are not scheduled.\n\n[l]({filename}/news/linking.md)\n",
            "pages/other.md": "Title: Other\nSummary: Links a dated page.\n\n[l]({filename}dated-page.md)\n",
        },
    )
    assert errors(root) == [
        "content/news/linking.md:7: body: expected '{filename}draft.md' to link a published item, got a link to content/news/draft.md, a draft",
        "content/news/linking.md:7: body: expected '{filename}/news/later.md' to link an item published by then, got a link to content/news/later.md, scheduled for 2019-09-01",
    ]


def test_newsletter_references_must_name_exactly_one_item(tmp_path):
    root = tree(
        tmp_path,
        {
            "news/a.md": NEWS,
            "intelligence/a.md": NEWS.replace("Summary", "Region: asia\n    Summary"),
            "newsletters/2016-07.md": """\
        Title: July 2016
        Date: 2016-07-08
        Subject: CSO Alliance, July 2016
        Preheader: Membership passes 425.
        Pin: news/a.md, content/intelligence/a.md
        Exclude: a-news-item
        Segments: asia, west_africa

        Body.
        """,
        },
    )
    assert errors(root) == [
        "content/newsletters/2016-07.md:6: exclude: expected a path or slug naming one item, got 'a-news-item', "
        "the slug of content/intelligence/a.md and content/news/a.md (use the path)",
    ]


def test_every_kind_declares_title_and_the_image_rule_where_it_has_images():
    for kind in KINDS.values():
        assert kind.fields["title"].required
        if "image" in kind.fields:
            assert any(rule.__name__ == "image_needs_alt" for rule in kind.checks)


def test_readme_content_model_matches_the_schema():
    """The editors' table in README.md must list exactly the schema's fields, so it cannot drift."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Content model", 1)[1].split("\n## ", 1)[0]
    rows = [
        line.strip("|").split("|") for line in section.splitlines() if line.startswith("| ") and "`content/" in line
    ]
    rows = [row for row in rows if len(row) == 5]  # the kinds table has five columns
    common = {"slug", "status", "lang", "translation", "template", "author", "authors"}
    article_common = common | {"modified", "tags", "category", "image", "image_alt", "newsletter"}
    seen = set()
    for _, folder, required, optional, _ in rows:
        kind = KINDS[folder.strip().strip("`").split("/")[1]]
        seen.add(kind.name)
        names = lambda cell: {n.strip() for n in cell.split(",") if n.strip()}  # noqa: E731
        assert names(required) == {n for n, f in kind.fields.items() if f.required}, kind.name
        extra = common if kind.name in ("pages", "newsletters") else article_common
        assert names(optional) | extra == {n for n, f in kind.fields.items() if not f.required}, kind.name
    assert seen == set(KINDS)
    field_table = {
        n.strip() for line in section.splitlines() if line.startswith("| ") for n in line.split("|")[1].split(",")
    }
    assert {n for kind in KINDS.values() for n in kind.fields} - {
        "lang",
        "translation",
        "template",
        "author",
        "url",
        "save_as",
    } <= field_table


FIELD_NAMES = sorted({n for kind in KINDS.values() for n in kind.fields} | {"regoin", "x"})
FUZZ_LINE = st.one_of(
    st.builds(
        lambda k, v: f"{k.capitalize()}: {v}",
        st.sampled_from(FIELD_NAMES),
        st.one_of(
            st.text(max_size=30),
            st.sampled_from(["2019-07-08", "2019-13-01 25:00", "asia", "{filename}/x.md", "yes", "-91", "a, b,"]),
        ),
    ),
    st.text(max_size=40),
    st.sampled_from(["", "    continued", "## What happened", "![](x.png)", "<img src=x>", "---"]),
)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(KINDS)), st.lists(FUZZ_LINE, max_size=15), st.binary(max_size=8))
def test_any_file_gets_findings_never_a_crash(tmp_path_factory, kind, lines, junk):
    root = tmp_path_factory.mktemp("fuzz") / "content"
    path = root / kind / "fuzz.md"
    path.parent.mkdir(parents=True)
    raw = "\n".join(lines).encode("utf-8", "surrogatepass") + junk
    path.write_bytes(raw)
    report = validate_tree(rules_for(root))
    line_count = raw.count(b"\n") + 1 + raw.count(b"\r")
    for finding in report.errors + report.infos:
        assert finding.path == f"content/{kind}/fuzz.md"
        assert 1 <= finding.line <= line_count + 1, finding
        assert finding.field and finding.message.startswith(("expected", "draft", "scheduled")), finding


def test_files_without_titles_are_not_also_reported_as_duplicates(tmp_path):
    untitled = NEWS.replace("Title: A news item\n", "")
    root = tree(tmp_path, {"news/a.md": untitled, "news/b.md": untitled})
    assert [e.split(": ", 2)[1] for e in errors(root)] == ["title", "title"]
