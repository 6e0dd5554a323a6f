"""One human date format ("8 July 2019") on every page and in every email of the sample site; ISO
dates only in machine places (datetime attributes, JSON-LD, feeds, calendars, downloads). And
email.txt is plain text: lists stay lists, no markdown shows through."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
SHORT_MONTHS = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
OTHER_DATE_FORMS = {
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "numeric date": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    "month first": re.compile(rf"\b(?:{MONTHS}|{SHORT_MONTHS})\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}\b"),
    "short month": re.compile(rf"\b\d{{1,2}} (?:{SHORT_MONTHS})\.? \d{{4}}\b"),
    "leading zero": re.compile(rf"\b0\d (?:{MONTHS})\b"),
    "weekday": re.compile(r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),? \d"),
}


def visible_text(path) -> str:
    """What a reader sees: the text of the page without scripts, styles, hidden elements (the search
    page's metadata) and attribute values."""
    page = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
    for hidden in page(["script", "style", "template"]) + page.select("[hidden]"):
        hidden.decompose()
    return " ".join(page.get_text(" ").split())


def other_dates(text: str) -> list[str]:
    return [f"{name}: {m.group(0)}" for name, pattern in OTHER_DATE_FORMS.items() for m in pattern.finditer(text)]


def test_every_page_and_email_prints_dates_one_way(sample_site):
    pages = [p for p in sorted(sample_site.rglob("*.html")) if "pagefind" not in p.parts]
    texts = sorted(sample_site.glob("newsletters/*/email.txt"))
    assert len(pages) > 100 and len(texts) >= 2
    found = {}
    for path in pages:
        if hits := other_dates(visible_text(path)):
            found[path.relative_to(sample_site).as_posix()] = hits[:3]
    for path in texts:
        if hits := other_dates(path.read_text(encoding="utf-8")):
            found[path.relative_to(sample_site).as_posix()] = hits[:3]
    assert found == {}
    # and the one format is in use where dates are shown (not removed): the home page and an issue
    human = re.compile(rf"\b[1-9]\d? (?:{MONTHS}) \d{{4}}\b")
    assert human.search(visible_text(sample_site / "index.html"))
    assert human.search((sample_site / "newsletters" / "july-2016" / "email.txt").read_text(encoding="utf-8"))


def test_email_text_is_plain_text_with_its_lists_and_headings(sample_site):
    text = (sample_site / "newsletters" / "july-2016" / "email.txt").read_text(encoding="utf-8")
    for markup in ("**", "##", "](", "<p>", "<strong>", "&amp;"):
        assert markup not in text, markup
    lines = text.split("\n")
    # the letter's numbered list: three items, each starting its own line, continuations indented
    numbered = [line for line in lines if re.match(r"[1-3]\. ", line)]
    assert [line[:2] for line in numbered] == ["1.", "2.", "3."]
    assert numbered[0] == "1. CSO groups, the working aids. Create any that are missing."
    after_second = lines[lines.index(numbered[1]) + 1]
    assert after_second.startswith("   ") and not after_second.startswith("    ")
    assert "OUR TRIP TO THE UNITED STATES" in lines  # a heading on its own line
    # paragraphs are re-wrapped, not cut where the markdown source happened to break its lines
    assert "Thank you for your support as the membership keeps growing. Over the" in lines
    assert all(len(line) <= 72 or "://" in line for line in lines)
