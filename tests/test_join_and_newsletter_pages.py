"""Joining and the newsletter: "Join now" shows what the MEMBERSHIP setting says (benefits, member
count, who may join, how to apply), a mistake in the setting stops the build naming the key, every
page says how to get the newsletter and where members choose their regions or unsubscribe, and no
page repeats its summary as its first paragraph. Real builds, parsed with a real parser."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import pytest

from csoa.engine.build import BuildFailed, load_settings
from sites import ROOT, build, soup
from csoa.theme.membership import MembershipSettingError, offer

MEMBERSHIP = {
    "apply_url": "https://apply.example.org/form",
    "apply_label": "Fill in the form",
    "members": 1234,
    "members_as_of": "2019-05-01",
    "eligibility": ["Company Security Officers.", "Their deputies."],
    "benefits": [{"title": "Crime figures", "text": "Every incident since 2013.", "url": "statistics/"},
                 {"title": "Peers", "text": "CSOs who face the same risks."}],
    "steps": ["Send the form.", "We check your role."],
    "newsletter": "Members get the newsletter by email.",
}
JOIN = "Title: Join us\nTemplate: join\nSummary: Open to CSOs.\n\nWe check every member.\n"


def test_join_page_shows_the_offer_of_the_settings(tmp_path):
    out = build(tmp_path, {"pages/join.md": JOIN}, MEMBERSHIP=MEMBERSHIP)
    page = soup(out / "join-us" / "index.html")
    main = page.find("main")
    assert main.select_one(".join-count").get_text(" ", strip=True) == "1,234 members as of 1 May 2019"
    assert [h.get_text(strip=True) for h in main.select(".join-benefits h3")] == ["Crime figures", "Peers"]
    assert main.select_one(".join-benefits h3 a")["href"] == "/statistics/"
    who = main.find(id="join-who").find_next("ul")
    assert [li.get_text() for li in who.find_all("li")] == MEMBERSHIP["eligibility"]
    how = main.find(id="join-how").find_next("ol")
    assert [li.get_text() for li in how.find_all("li")] == MEMBERSHIP["steps"]
    apply = main.find("a", class_="button")
    assert (apply["href"], apply.get_text()) == ("https://apply.example.org/form", "Fill in the form")
    assert "Members get the newsletter by email." in page.find("footer").get_text()  # every page says it


def test_a_mistake_in_the_membership_setting_stops_the_build_naming_the_key(tmp_path):
    bad = {**MEMBERSHIP, "apply_url": "www.example.org/apply"}
    with pytest.raises(BuildFailed) as failed:
        build(tmp_path, {"pages/join.md": JOIN}, MEMBERSHIP=bad)
    assert "MEMBERSHIP (settings): apply_url: expected an https:// address of the application form or a mailto: " \
           "address, got 'www.example.org/apply'" in str(failed.value)


def test_every_mistake_in_the_setting_is_named_at_once():
    bad = {**MEMBERSHIP, "members": "many", "eligibility": [], "benefits": [{"title": "No text"}]}
    with pytest.raises(MembershipSettingError) as failed:
        offer(bad)
    message = str(failed.value)
    for part in ("members: expected a whole number of members, got 'many'",
                 "eligibility: expected a list of sentences, got []",
                 "benefits[0]: expected a title and a text, got {'title': 'No text'}"):
        assert part in message


def test_the_sample_join_page_gives_a_cso_what_they_need_to_decide(sample_site):
    main = soup(sample_site / "join-now" / "index.html").find("main")
    assert re.fullmatch(r"[\d,]+ members as of \d+ \w+ \d{4}", main.select_one(".join-count").get_text(" ", strip=True))
    assert len(main.select(".join-benefits li")) >= 3
    assert main.find(id="join-who") and main.find(id="join-how")
    assert main.find("a", class_="button")["href"].startswith(("https://", "mailto:"))
    for a in main.select(".join-benefits a"):
        assert (sample_site / a["href"].strip("/") / "index.html").is_file()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def test_no_page_repeats_its_summary_as_its_first_paragraph(sample_site):
    checked = 0
    for path in sorted(sample_site.glob("*/index.html")):
        page = soup(path)
        lead, first = page.select_one(".entry-header .lead"), page.select_one(".entry-body p")
        if lead is None or first is None:
            continue
        checked += 1
        # the same words in the same order (a paragraph that expands on the summary is fine)
        alike = SequenceMatcher(None, _words(lead.get_text()), _words(first.get_text())).ratio()
        assert alike < 0.5, f"{path.parent.name}: the first paragraph repeats the summary ({alike:.0%} alike)"
    assert checked >= 8


def test_members_are_told_how_to_get_the_newsletter_and_where_to_choose_regions_or_leave(sample_site):
    archive = soup(sample_site / "newsletters" / "index.html").find("main")
    links = {a["href"] for a in archive.find(id="newsletter-get").find_parent("section").select("a")}
    assert {"/join-now/", "/newsletters/unsubscribe/"} <= links
    manage = soup(sample_site / "newsletters" / "unsubscribe" / "index.html").find("main")
    assert manage.h1.get_text() == "Choose your regions or unsubscribe"
    choices = [li.get_text(strip=True) for li in manage.find("h2").find_next("ul").find_all("li")]
    regions = load_settings(ROOT / "pelicanconf.py")["REGIONS"]
    # one per SES topic (newsletter/sync.py): the newsletter, then each region's intelligence
    assert choices[1:] == [f"Regional intelligence: {label}" for label in regions.values()]
    home_footer = soup(sample_site / "index.html").find("footer")
    assert {"/newsletters/unsubscribe/", "/join-now/", "/newsletters/"} <= {a["href"] for a in home_footer.select("a")}
