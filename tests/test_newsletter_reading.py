"""The email as a member reads it: one clear date line under the masthead (not "July 2019 · 5 July
2019"), and links that name what they open, for a screen reader too. The built fixture issue,
parsed with a real parser; the text part says the same."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup

from csoa.email.compose import all_items
from csoa.email.render import issue_line
from newsletter_site import build_fixture_site

GENERIC = {"read more", "more", "here", "click here", "continue", "continue reading", "link"}


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    return build_fixture_site(tmp_path_factory.mktemp("site"))


def test_the_issue_line_says_the_date_once_and_keeps_a_title_that_says_more():
    assert issue_line("July 2019", "2019-07-05T08:00:00+01:00") == "Member newsletter · 5 July 2019"
    assert issue_line(" july 2019 ", "2019-07-05T08:00:00+01:00") == "Member newsletter · 5 July 2019"
    assert issue_line("Special: the Gulf of Oman attacks", "2019-06-14T08:00:00+01:00") == \
        "Special: the Gulf of Oman attacks · 14 June 2019"


def test_the_email_header_and_text_part_carry_one_date_line(out):
    folder = out / "newsletters" / "july-2019"
    email = BeautifulSoup((folder / "email.html").read_text(), "lxml")
    text = email.get_text(" ", strip=True)
    assert "Member newsletter · 5 July 2019" in text
    assert "July 2019 · 5 July 2019" not in text
    lines = (folder / "email.txt").read_text().splitlines()
    assert lines[:2] == ["CSO ALLIANCE", "Member newsletter · 5 July 2019"]


def test_every_link_of_the_email_names_what_it_opens(out):
    folder = out / "newsletters" / "july-2019"
    email = BeautifulSoup((folder / "email.html").read_text(), "lxml")
    names = []
    for a in email.find_all("a", href=True):
        image = a.find("img")
        # what a screen reader announces: the link's text, or the alt text of its image
        name = a.get_text(" ", strip=True) or (image.get("alt", "") if image else "")
        assert name and name.lower() not in GENERIC, a
        assert not a.select('[style*="display:none"], [style*="display: none"]'), a  # hidden from screen readers too
        names.append((a["href"], name))
    issue = json.loads((folder / "issue.json").read_text())
    for item in all_items(issue, "email"):
        assert (item["url"], item["title"]) in names  # each item's link is its title
