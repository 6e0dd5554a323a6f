"""Every page template of the sample site in headless Chromium, at a phone's width (390 px) and a
desktop's (1280 px), in the light and the dark colour scheme: nothing overflows sideways, the main
navigation reaches the statistics (list, map, regional summaries, port risk), events, regions,
newsletters and feeds at once or after one click on "Menu", and axe-core finds no WCAG 2.1 A/AA
violation. One browser, one page per viewport and scheme, the sample site built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest
from static_server import chromium_browser, serve_directory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

THEME = Path(__file__).resolve().parents[1] / "theme" / "templates"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# What a member must reach from every page (issue 15), by the links' targets.
REACHABLE = ["/statistics/", "/statistics/incidents/", "/statistics/map/", "/statistics/regions/",
             "/statistics/ports/", "/events/", "/regions/", "/newsletters/", "/feeds/"]
# One page per template (articles: one per kind, the kinds share article.html).
PAGES = [
    ("index", "/"), ("page", "/why-cso-alliance/"), ("join", "/join-now/"), ("news_workshops", "/news-workshops/"),
    ("regional_intelligence", "/latest-regional-intelligence/"),
    ("article", "/news/daily-statistics-reporting-updated/"),
    ("article", "/workshops/bimco-workshop-athens-three-panels-and-a-hot-debate/"),
    ("article", "/reports/csoa-first-response-report-iran-drone-attack/"),
    ("article", "/intelligence/west-africa-attacks-move-further-offshore/"),
    ("event", "/events/cypnaval-conference/"), ("events", "/events/"),
    ("regions", "/regions/"), ("region", "/regions/west-africa/"), ("feeds", "/feeds/"),
    ("newsletters", "/newsletters/"), ("newsletter", "/newsletters/july-2019/"),
    ("newsletter_unsubscribe", "/newsletters/unsubscribe/"), ("search", "/search/?q=piracy"),
    ("tags", "/tags/"), ("tag", "/tags/statistics/"), ("categories", "/sections/"), ("category", "/news/"),
    ("archives", "/archives/"), ("period_archives", "/archives/2016/"), ("404", "/404.html"),
    ("statistics/index", "/statistics/"), ("statistics/incidents", "/statistics/incidents/"),
    ("statistics/map", "/statistics/map/"), ("statistics/regions", "/statistics/regions/"),
    ("statistics/region", "/statistics/regions/west-africa/"), ("statistics/countries", "/statistics/countries/"),
    ("statistics/country", "/statistics/countries/nga/"), ("statistics/ports", "/statistics/ports/"),
    ("statistics/port", "/statistics/ports/lagos-apapa-nga/"),
]
# moved.html refreshes to the page's new address at once (its target is in PAGES); the rest are pieces.
NOT_PAGES = {"base", "macros", "moved"}


def page_templates() -> set[str]:
    names = {p.relative_to(THEME).with_suffix("").as_posix() for p in THEME.rglob("*.html")}
    return {n for n in names if not n.startswith("partials/") and not n.split("/")[-1].startswith("_")} - NOT_PAGES


def test_the_list_covers_every_page_template_of_the_theme(sample_site):
    assert {name for name, _ in PAGES} == page_templates()
    for _, url in PAGES:
        path = url.split("?")[0]
        assert (sample_site / path.strip("/") / ("" if path.endswith(".html") else "index.html")).is_file(), url


@pytest.fixture(scope="module")
def base_url(sample_site):
    with serve_directory(sample_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as chromium:
        yield chromium


def overflow(page, width: int) -> str | None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    return f"the page is {wide} px wide" if wide > width else None


def unreachable(page, width: int) -> list[str]:
    """The member targets the main navigation does not show, after one click on "Menu" if it is shown."""
    nav = page.locator('nav[aria-label="Main"]')
    toggle = nav.locator("summary")
    if toggle.is_visible():
        toggle.click()
    missing = [href for href in REACHABLE if not nav.locator(f'a[href="{href}"]').first.is_visible()]
    if toggle.is_visible():
        still = overflow(page, width)  # the open menu fits the phone too
        missing += [f"open menu: {still}"] if still else []
        toggle.click()
    return missing


def axe_violations(page) -> str | None:
    """WCAG 2.1 A/AA violations. Rows past a table's 20th are the same markup as the first 20 and
    are taken out first: axe needs minutes for the incident list's hundreds of rows."""
    from axe_playwright_python.sync_playwright import Axe

    page.evaluate("document.querySelectorAll('tbody tr:nth-child(n+21)').forEach(row => row.remove())")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    return results.generate_report() if results.violations_count else None


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [390, 1280])
def test_every_template_fits_reaches_the_resources_and_passes_axe(base_url, browser, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems = []
    try:
        for template, url in PAGES:
            page.goto(base_url + url)
            if template == "search":
                page.wait_for_selector(".pagefind-ui__result-link", timeout=15000)
            assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
            found = [overflow(page, width)]
            missing = unreachable(page, width)
            found.append(f"the navigation does not reach {', '.join(missing)}" if missing else None)
            found.append(axe_violations(page))
            problems += [f"{template} {url}: {problem}" for problem in found if problem]
    finally:
        context.close()
    assert not problems, f"at {width} px, {scheme}:\n" + "\n".join(problems)
