"""A sent issue is a record: the first real send writes content/newsletters/<slug>.sent.json, and from
then on the archive (page, email.html, email.txt, issue.json, figures.png, feed entry) shows what was
sent, whatever later edits to the letter and the articles, the email template and the incident table
do. `invoke check` warns, and says how, when composing the issue now would differ."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import textwrap

import feedparser
import pytest
from bs4 import BeautifulSoup
from newsletter_site import FILES, REGIONS, moto_ses, received, settings_env
from sites import ROOT, soup, write_content
from stats_helpers import project_regions

from csoa.apps import newsletter as commands
from csoa.engine.build import build_site
from csoa.sending import db
from csoa.sending.members import add_member
from csoa.stats.sample_data import write_generated

SLUG = "july-2019"
ARCHIVE = ("email.html", "email.txt", "issue.json", "figures.png")


def _settings_file(root):
    """A settings file of the project's own settings, pointed at this fixture site (as an editor's would be)."""
    path = root / "settings.py"
    path.write_text(textwrap.dedent(f"""\
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from pelicanconf import *
        PATH = {str(root / "content")!r}
        OUTPUT_PATH = {str(root / "output")!r}
        CACHE_PATH = {str(root / "cache")!r}
        NEWSLETTER_EMAIL_TEMPLATES = {str(root / "email")!r}
        """), encoding="utf-8")
    return path


def _surfaces(out) -> dict[str, bytes | str]:
    """What a member can read of the issue: the archive files, the page's article, the feed entry."""
    got = {name: (out / "newsletters" / SLUG / name).read_bytes() for name in ARCHIVE}
    article = soup(out / "newsletters" / SLUG / "index.html").select_one("article.newsletter")
    got["page"] = (article.get_text(" ", strip=True), [a["href"] for a in article.find_all("a", href=True)],
                   [(i["src"], i.get("alt")) for i in article.find_all("img")])
    feed = feedparser.parse((out / "feeds" / "newsletters.atom.xml").read_bytes())
    entry = next(e for e in feed.entries if e.link.endswith(f"/newsletters/{SLUG}/"))
    got["feed"] = f"{entry.title}|{entry.published}|{entry.summary}|{entry.content[0].value}"
    return got


@pytest.fixture(scope="module")
def sent_site(tmp_path_factory):
    """The fixture site with a sample incident table, built, sent for real to six members through
    moto's SES, then built again: (root, settings file, surfaces before the send, after, moto's messages)."""
    root = tmp_path_factory.mktemp("sent")
    write_content(root, {k: v for k, v in FILES.items()})
    write_generated(root / "content" / "data" / "incidents.csv", n=160, seed=2016, regions=project_regions())
    shutil.copytree(ROOT / "theme" / "email", root / "email")
    settings = _settings_file(root)
    out = build_site(settings)
    before = _surfaces(out)
    monkeypatch = pytest.MonkeyPatch()
    try:
        settings_env(monkeypatch, root)
        with moto_ses(monkeypatch, records_in_content=True) as url:
            conn = db.connect(root / "var" / "newsletter.sqlite3")
            for i in range(6):
                add_member(conn, f"member{i}@example.org", name=f"M {i}", regions=(REGIONS[i % 2],) if i % 3 else ())
            record = root / "content" / "newsletters" / f"{SLUG}.sent.json"
            assert commands.newsletter_send(settings, SLUG, output=out, dry=True, progress=False) == 0
            assert commands.newsletter_send(settings, SLUG, output=out, test_to="t@example.org", progress=False) == 0
            assert not record.exists(), "a dry run or a test send froze the issue"
            assert commands.newsletter_send(settings, SLUG, output=out, progress=False) == 0
            messages = [m for m in received(url) if str(m["To"]) != "t@example.org"]
    finally:
        monkeypatch.undo()
    return root, settings, before, _surfaces(build_site(settings)), messages


def test_the_first_real_send_writes_what_members_got_and_no_member_data(sent_site):
    root, _settings, before, after, messages = sent_site
    text = (root / "content" / "newsletters" / f"{SLUG}.sent.json").read_text(encoding="utf-8")
    record = json.loads(text)
    assert "@example.org" not in text  # no member data, only segments of regions
    assert len(messages) == 6
    editions = record["editions"]
    recorded = {BeautifulSoup(e["html"], "lxml").get_text().strip() for e in editions.values()}
    for message in messages:  # each member got one of the recorded editions, word for word
        assert str(message["Subject"]) in {e["subject"] for e in editions.values()}
        assert BeautifulSoup(message.get_body(("html",)).get_content(), "lxml").get_text().strip() in recorded
    assert record["issue"] == json.loads(before["issue.json"])
    assert record["issue"]["figures"]["sample"] is True
    assert after == before  # the archive renders from the record: what it showed when it was sent


def test_a_sent_issue_is_unchanged_by_later_edits_imports_and_template_changes(sent_site):
    root, settings, _before, after, _messages = sent_site
    letter = root / "content" / "newsletters" / "2019-07-05-july.md"
    letter.write_text(letter.read_text(encoding="utf-8").replace("A second paragraph.", "An edited paragraph."),
                      encoding="utf-8")
    article = root / "content" / "news" / "2019-06-01-membership.md"
    article.write_text(article.read_text(encoding="utf-8").replace("Membership passes 500", "Membership passes 600"),
                       encoding="utf-8")
    write_content(root, {"news/2019-06-25-late.md": "Title: A late story\nDate: 2019-06-25 10:00\nSlug: late-story\n"
                                                     "Summary: Written after the send.\n\nLate.\n"})
    template = root / "email" / "newsletter.mjml.j2"
    template.write_text(template.read_text(encoding="utf-8").replace("Headline crime figures", "Crime in figures"),
                        encoding="utf-8")
    write_generated(root / "content" / "data" / "incidents.csv", n=90, seed=7, regions=project_regions())  # a new import
    out = build_site(settings)
    now = _surfaces(out)
    for name in (*ARCHIVE, "page", "feed"):
        assert now[name] == after[name], f"{name} changed after the issue was sent"
    assert "Membership passes 600" in (out / "news" / "membership-500" / "index.html").read_text(encoding="utf-8")

    from csoa.apps.check_newsletter import run_sent_check  # (here: the module is new)

    report = io.StringIO()
    assert run_sent_check(settings, out=report) == 0
    warning = report.getvalue()
    assert warning.startswith(f"warning: newsletter {SLUG} was sent"), warning
    assert "  - letter_html: sent '...report</a>.</p>\\n<p>A second paragraph.</p>', now '...report</a>.</p>\\n<p>An edited" in warning
    assert "  - item membership-500: title: sent 'Membership passes 500', now 'Membership passes 600'" in warning
    assert "  - item late-story would be added" in warning
    assert "  - figures ships_boarded: sent 41, now 20" in warning  # what the new import changes
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "plugins"), str(ROOT)])}
    run = subprocess.run([str(ROOT / ".venv" / "bin" / "invoke"), "-r", str(ROOT), "check", "--settings", str(settings)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert warning.strip() in run.stdout, run.stdout + run.stderr
    assert f"{SLUG}.sent.json" not in run.stderr  # content validation accepts the record; warned once, on stdout


def test_a_broken_record_is_an_error_naming_the_file_never_a_traceback(tmp_path):
    write_content(tmp_path, {**FILES, f"newsletters/{SLUG}.sent.json": "{not json"})
    shutil.copytree(ROOT / "theme" / "email", tmp_path / "email")
    with pytest.raises(Exception) as failure:
        build_site(_settings_file(tmp_path))
    assert f"newsletters/{SLUG}.sent.json: cannot be read as JSON" in str(failure.value)
    assert "restore it from git" in str(failure.value)
