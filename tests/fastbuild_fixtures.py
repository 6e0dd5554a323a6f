"""A small but varied fixture site for the fastbuild and dev-loop tests, and a tree comparison."""

from __future__ import annotations

from pathlib import Path

NEWS = """\
    Title: {title}
    Date: 2016-07-{day:02d} 09:00 +01:00
    Summary: The *alliance* met in [London]({{filename}}/news/item-01.md) this week.
    Tags: piracy, {tag}

    Opening paragraph with an abbreviation: BMP and a footnote.[^1]

    ## Background

    | Region | Incidents |
    |---|---:|
    | Asia | {day} |

    - a list item
    - another with `code`

    *[BMP]: Best Management Practices
    [^1]: The footnote text.
    """

NO_SUMMARY = """\
    Title: Without a summary
    Date: 2016-06-01 10:00 +01:00
    Tags: training

    A body long enough that the summary is cut from it: one two three four five six seven eight nine
    ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one
    twenty-two twenty-three twenty-four twenty-five twenty-six twenty-seven twenty-eight twenty-nine
    thirty thirty-one thirty-two thirty-three thirty-four thirty-five thirty-six thirty-seven
    thirty-eight thirty-nine forty forty-one forty-two forty-three forty-four forty-five forty-six
    forty-seven forty-eight forty-nine fifty fifty-one fifty-two fifty-three fifty-four fifty-five
    fifty-six fifty-seven fifty-eight fifty-nine sixty sixty-one sixty-two.
    """


def fixture_files(n_news: int = 14, with_derived_summary: bool = False) -> dict[str, str | bytes]:
    """Schema-valid fixture content; ``with_derived_summary`` adds an item without a Summary (the
    content schema forbids it, so callers drop that plugin) whose summary Pelican cuts from the body."""
    files: dict[str, str | bytes] = {
        f"news/item-{i:02d}.md": NEWS.format(title=f"News item {i}", day=i + 1, tag=f"topic-{i % 4}")
        for i in range(1, n_news + 1)
    }
    if with_derived_summary:
        files["news/no-summary.md"] = NO_SUMMARY
    files["intelligence/asia.md"] = """\
        Title: Asia intelligence
        Date: 2016-05-02 08:00 +01:00
        Summary: Regional intelligence for Asia.
        Region: asia
        Tags: piracy

        Intelligence body with a [link to a news item]({filename}/news/item-02.md).
        """
    files["events/course.md"] = """\
        Title: Shipping managers' course
        Uid: 2016-shipping-managers-course
        Date: 2016-06-01 10:00
        Start: 2016-09-10 09:00
        End: 2016-09-10 17:00
        Timezone: Europe/London
        Venue: HMS President
        City: London
        Country: United Kingdom
        Event_status: scheduled
        Attendance_mode: offline
        Summary: A one-day course for shipping managers.

        The course explains how naval forces work with merchant shipping.
        """
    files["pages/about.md"] = """\
        Title: About
        Summary: About the alliance.

        About the alliance.
        """
    # a byte-order mark and Windows line ends, as editors sometimes save
    files["news/bom.md"] = "\ufeffTitle: Saved with a BOM\r\nDate: 2016-04-01 09:00 +01:00\r\nSummary: BOM.\r\n\r\nBody.\r\n".encode()
    return files


def plugins_without(settings_file, *names) -> list[str]:
    from csoa.engine.build import load_settings

    return [p for p in load_settings(settings_file)["PLUGINS"] if p.rsplit(".", 1)[-1] not in names]


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder (None), by relative name: empty folders count too."""
    return {str(p.relative_to(root)): p.read_bytes() if p.is_file() else None for p in sorted(root.rglob("*"))}


def tree_differences(a: Path, b: Path) -> list[str]:
    """Paths missing on one side or with different bytes (empty when the trees are identical)."""
    left, right = tree(a), tree(b)
    return sorted(
        [f"only in {a.name}: {k}" for k in left.keys() - right.keys()]
        + [f"only in {b.name}: {k}" for k in right.keys() - left.keys()]
        + [f"differs: {k}" for k in left.keys() & right.keys() if left[k] != right[k]]
    )
