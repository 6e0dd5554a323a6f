"""The message we hand SES (message.py) and the website's unsubscribe explanation, for both designs."""

from __future__ import annotations

import email
from email import policy

import pytest
from newsletter_site import FILES, NOW, SUMMARY
from sites import build, soup

from csoa.email.message import PLACEHOLDER, SES_UNSUBSCRIBE_URL, MessageError, MessageTemplate, Unsubscribe

HTML = f'<!doctype html><p>Hello</p><a href="{PLACEHOLDER}">Unsubscribe</a>'
TEXT = f"Hello\n\nUnsubscribe: {PLACEHOLDER}\n"
LIST_ID = "CSO Alliance newsletter <newsletter.csoalliance.com>"


def test_ses_hosted_content_is_shared_and_carries_the_placeholder_not_headers():
    template = MessageTemplate("Süd subject", HTML, TEXT, LIST_ID, Unsubscribe())
    first, second = template.content("token-a"), template.content("token-b")
    assert first is second  # nothing per recipient: SES fills in each one's link
    simple = first["Simple"]
    assert simple["Subject"] == {"Data": "Süd subject", "Charset": "UTF-8"}
    assert simple["Body"]["Text"]["Data"] == f"Hello\n\nUnsubscribe: {SES_UNSUBSCRIBE_URL}\n"
    assert f'href="{SES_UNSUBSCRIBE_URL}"' in simple["Body"]["Html"]["Data"]
    assert simple["Headers"] == [{"Name": "List-Id", "Value": LIST_ID}]


def test_own_endpoint_content_is_per_recipient_with_rfc8058_headers():
    own = Unsubscribe("https://lists.example.org/u?t={token}", "mailto:info@example.org?subject=unsubscribe")
    template = MessageTemplate("S", HTML, TEXT, LIST_ID, own)
    simple = template.content("tok123")["Simple"]
    assert "Unsubscribe: https://lists.example.org/u?t=tok123" in simple["Body"]["Text"]["Data"]
    assert 'href="https://lists.example.org/u?t=tok123"' in simple["Body"]["Html"]["Data"]
    assert simple["Headers"][1:] == [
        {"Name": "List-Unsubscribe", "Value": "<https://lists.example.org/u?t=tok123>, <mailto:info@example.org?subject=unsubscribe>"},
        {"Name": "List-Unsubscribe-Post", "Value": "List-Unsubscribe=One-Click"}]
    assert template.content("other")["Simple"]["Headers"][1]["Value"].startswith("<https://lists.example.org/u?t=other>")


def test_links_that_ses_would_not_fill_in_are_refused():
    with pytest.raises(MessageError, match="SES fills in only the first 2"):
        MessageTemplate("S", HTML + f'<a href="{PLACEHOLDER}">again</a>', TEXT, LIST_ID, Unsubscribe())
    with pytest.raises(MessageError, match="both its HTML and its text part"):
        MessageTemplate("S", "<p>no link</p>", TEXT, LIST_ID, Unsubscribe())
    with pytest.raises(MessageError, match=r"https:// URL containing \{token\}"):
        Unsubscribe("https://www.example.org/newsletters/unsubscribe/")


def test_dry_run_preview_is_a_two_part_message_naming_what_ses_adds():
    template = MessageTemplate("S", HTML, TEXT, LIST_ID, Unsubscribe())
    raw = template.eml("CSO Alliance <newsletter@csoalliance.com>", "a@example.org", "tok",
                       {"ContactListName": "members", "TopicName": "newsletter"})
    msg = email.message_from_bytes(raw, policy=policy.default)
    assert msg.get_content_type() == "multipart/alternative" and str(msg["To"]) == "a@example.org"
    assert msg.get_body(("plain",)).get_content() == f"Hello\n\nUnsubscribe: {SES_UNSUBSCRIBE_URL}\n"
    assert "List-Unsubscribe and List-Unsubscribe-Post" in msg["X-Dry-Run-Note"] and msg["List-Unsubscribe"] is None


@pytest.mark.parametrize("own", [None, "https://lists.example.org/u?t={token}"])
def test_the_website_copy_links_to_a_page_that_says_who_handles_unsubscribes(tmp_path, own):
    out = build(tmp_path, FILES, now=NOW, statistics_summary=SUMMARY, **({"NEWSLETTER_UNSUBSCRIBE_URL": own} if own else {}))
    copy = soup(out / "newsletters" / "july-2019" / "email.html")
    link = [a["href"] for a in copy.find_all("a") if a.get_text(strip=True) == "Unsubscribe"]
    assert link == ["https://www.csoalliance.com/newsletters/unsubscribe/"]  # nobody's own link on the website
    page = soup(out / "newsletters" / "unsubscribe" / "index.html").get_text(" ", strip=True)
    assert ("Amazon SES" in page) is (own is None)
    assert "cannot unsubscribe you itself" in page
