"""Deterministic benchmark corpora shaped like the real content.

N news items (front matter, headings, lists, tables, links, tags, regions), plus workshop reports,
first response reports, regional intelligence and events in proportion. The same markdown feeds our
build, vanilla Pelican and (converted) Hugo.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

REGIONS = ["asia", "west_africa", "gulf_of_aden", "mediterranean"]
TAGS = [f"topic-{i}" for i in range(1, 41)] + ["piracy", "armed-robbery", "bmp5", "training", "cruise"]
WORDS = (
    "vessel crew master anchorage boarding security officer alliance port risk assessment guidance "
    "flag state insurer armoury convoy patrol incident report intelligence navy coast guard piracy "
    "robbery kidnap hijack approach skiff ladder citadel watch lighting transit corridor"
).split()


def _sentence(rng: random.Random, n: int = 14) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def _body(rng: random.Random, i: int, n: int) -> str:
    other = rng.randrange(n)
    parts = [
        " ".join(_sentence(rng) for _ in range(4)),
        "## Background",
        " ".join(_sentence(rng) for _ in range(5)),
        "\n".join(f"- {_sentence(rng, 6)}" for _ in range(4)),
        "## Figures",
        "| Region | Incidents | Change |\n|---|---:|---:|\n"
        + "\n".join(f"| {r.replace('_', ' ').title()} | {rng.randint(1, 90)} | {rng.randint(-30, 30)}% |" for r in REGIONS),
        f"See also [the related item]({{filename}}/news/item-{other:05d}.md) and "
        "[the IMO guidance](https://www.imo.org/en/OurWork/Security/Pages/Default.aspx).",
        "## Advice",
        "\n".join(f"{k}. {_sentence(rng, 8)}" for k in range(1, 4)),
    ]
    return "\n\n".join(parts) + "\n"


def _date(rng: random.Random) -> datetime:
    start = datetime(2013, 1, 1, 9, 0, tzinfo=timezone.utc)
    return start + timedelta(days=rng.randrange(0, 365 * 6), hours=rng.randrange(0, 8))


def write_corpus(root: Path, n: int, seed: int = 2016) -> Path:
    """Write a content tree with ``n`` news items under ``root/content``; return that path."""
    rng = random.Random(seed)
    content = root / "content"
    for kind in ("news", "intelligence", "reports", "events", "pages"):
        (content / kind).mkdir(parents=True, exist_ok=True)
    for i in range(n):
        date = _date(rng)
        tags = ", ".join(sorted(set(rng.sample(TAGS, 3))))
        (content / "news" / f"item-{i:05d}.md").write_text(
            f"Title: Maritime security update {i}: {_sentence(rng, 4)[:-1]}\n"
            f"Date: {date:%Y-%m-%d %H:%M} +00:00\n"
            f"Slug: item-{i:05d}\n"
            f"Summary: {_sentence(rng, 18)}\n"
            f"Tags: {tags}\n\n" + _body(rng, i, n),
            encoding="utf-8",
        )
    for i in range(max(1, n // 20)):
        date = _date(rng)
        region = REGIONS[i % len(REGIONS)]
        (content / "intelligence" / f"intel-{i:05d}.md").write_text(
            f"Title: {region.replace('_', ' ').title()} intelligence {i}\n"
            f"Date: {date:%Y-%m-%d %H:%M} +00:00\n"
            f"Slug: intel-{i:05d}\n"
            f"Summary: {_sentence(rng, 16)}\n"
            f"Region: {region}\n"
            f"Tags: {rng.choice(TAGS)}\n\n" + _body(rng, i, n),
            encoding="utf-8",
        )
    for i in range(max(1, n // 50)):
        start = _date(rng)
        (content / "events" / f"event-{i:05d}.md").write_text(
            f"Title: Security conference {i}\n"
            f"Date: {start - timedelta(days=60):%Y-%m-%d %H:%M} +00:00\n"
            f"Slug: event-{i:05d}\n"
            f"Summary: {_sentence(rng, 14)}\n"
            f"Start: {start:%Y-%m-%d %H:%M}\n"
            f"End: {start + timedelta(hours=7):%Y-%m-%d %H:%M}\n"
            f"Timezone: Europe/London\nVenue: Conference Centre {i}\nCity: London\nCountry: GB\n"
            f"Organiser: CSO Alliance\nAttendance_mode: offline\n\n" + _body(rng, i, n),
            encoding="utf-8",
        )
    (content / "pages" / "about.md").write_text(
        "Title: About\nNav_order: 1\nSummary: About the alliance.\n\nAbout the alliance.\n", encoding="utf-8"
    )
    return content
