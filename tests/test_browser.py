"""Headless Chromium on the real sample site served over HTTP: rendering, the navigation on a
narrow and a wide viewport, and axe-core WCAG 2.1 A/AA scans in light and dark colour schemes."""

import os
from pathlib import Path

import pytest
from static_server import chromium_browser, serve_directory

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ARTICLE = "/workshops/bimco-workshop-athens-three-panels-and-a-hot-debate/"
# Pages every build has, plus (below) one page of every other shape found in the output, so pages
# written by other areas' plugins are scanned too without being listed here.
PAGES_TO_SCAN = ["/", ARTICLE, "/tags/membership/", "/regions/gulf-of-aden/", "/why-cso-alliance/", "/sections/",
                 "/tags/", "/regions/", "/news-workshops/", "/page/2/", "/archives/", "/404.html",
                 "/latest-regional-intelligence/"]


def representative_pages(output: Path) -> list[str]:
    """One URL per (top-level folder, depth) of the built site, besides the fixed list above."""
    seen, urls = set(), []
    for path in sorted(output.rglob("index.html")):
        parts = path.relative_to(output).parts[:-1]
        shape = (parts[0] if parts else "", len(parts))
        if shape in seen or (parts and parts[0] in {"drafts", "theme", "pagefind"}):
            continue
        seen.add(shape)
        url = "/" + "".join(f"{part}/" for part in parts)
        if url not in PAGES_TO_SCAN:
            urls.append(url)
    return urls


SCREENSHOTS = os.environ.get("THEME_SCREENSHOTS")  # a folder to keep home-page screenshots in


@pytest.fixture(scope="module")
def base_url(sample_site):
    with serve_directory(sample_site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def open_page(browser):
    contexts = []

    def _open(width=1280, scheme="light"):
        context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def test_home_page_renders_with_styles_and_latest_items(base_url, open_page):
    page = open_page()
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(response.url) if response.status >= 400 else None)
    page.goto(base_url + "/")
    assert page.title().startswith("CSO Alliance")
    assert page.locator("main h1").inner_text().startswith("Connecting the Company Security Officers")
    # PAGINATED_TEMPLATES["index"] items: the featured one, then the others
    assert page.locator("main .featured").count() == 1
    assert page.locator("main .item-list > li").count() == 11
    # the stylesheet is applied: the header is the dark brand band
    assert page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor") == "rgb(11, 42, 74)"
    assert failed == []


def test_article_renders_with_metadata_and_image(base_url, open_page):
    page = open_page()
    page.goto(base_url + ARTICLE)
    assert page.locator("h1").inner_text() == "BIMCO workshop, Athens: three panels and a hot debate"
    assert page.locator("dl.facts").is_visible()
    image = page.locator(".entry-image img")
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert image.get_attribute("alt")


def test_skip_link_is_first_and_becomes_visible_on_focus(base_url, open_page):
    page = open_page()
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_navigation_on_a_narrow_viewport_opens_the_menu_and_follows_a_link(base_url, open_page):
    page = open_page(width=375)
    page.goto(base_url + "/")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name="Confirming Crime")
    assert not link.is_visible()
    toggle = page.get_by_text("Menu", exact=True)
    assert toggle.is_visible()
    toggle.click()
    assert link.is_visible()
    link.click()
    page.wait_for_url(base_url + "/confirming-crime/")
    assert page.locator("h1").inner_text() == "Confirming Crime"
    # nothing overflows the narrow viewport sideways
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_navigation_on_a_wide_viewport_shows_links_without_a_toggle(base_url, open_page):
    page = open_page(width=1280)
    page.goto(base_url + "/")
    nav = page.get_by_role("navigation", name="Main")
    assert not page.get_by_text("Menu", exact=True).is_visible()
    links = nav.get_by_role("link")
    assert nav.locator(".nav-group-alliance a").count() == 8  # the alliance's pages, then the resources
    assert links.count() > 8 and all(links.nth(i).is_visible() for i in range(links.count()))
    nav.get_by_role("link", name="Join now").click()
    page.wait_for_url(base_url + "/join-now/")
    assert page.locator("h1").inner_text() == "Join now"
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Join now").get_attribute("aria-current") == "page"


def test_keyboard_focus_is_visible(base_url, open_page):
    page = open_page(width=1280)
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the brand link
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


@pytest.mark.parametrize("width", [375, 1280])
def test_home_screenshots(base_url, open_page, width, tmp_path):
    page = open_page(width=width)
    page.goto(base_url + "/")
    target = Path(SCREENSHOTS) if SCREENSHOTS else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    shot = target / f"home-{width}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES_TO_SCAN + ["/search/?q=piracy"])
def test_axe_finds_no_wcag_a_or_aa_violations(base_url, open_page, path, scheme):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(scheme=scheme)
    page.goto(base_url + path)
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches") == (scheme == "dark")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, results.generate_report()


def test_axe_scan_does_catch_a_violation(base_url, open_page):
    """The scan is live: an image without alt text is reported."""
    from axe_playwright_python.sync_playwright import Axe

    page = open_page()
    page.goto(base_url + "/")
    page.evaluate("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/theme/img/favicon.svg\">')")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count >= 1


def test_print_stylesheet_shows_content_black_on_white_even_in_dark_mode(base_url, open_page):
    page = open_page(scheme="dark")
    page.goto(base_url + ARTICLE)
    page.emulate_media(media="print", color_scheme="dark")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert page.locator("h1").is_visible()
    colours = page.evaluate("[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]


def test_dark_scheme_changes_the_colours(base_url, open_page):
    page = open_page(scheme="dark")
    page.goto(base_url + "/")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(15, 20, 25)"


def test_narrow_menu_works_from_the_keyboard(base_url, open_page):
    page = open_page(width=375)
    page.goto(base_url + "/")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    page.keyboard.press("Tab")  # the Menu toggle
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert page.locator("details.nav-disclosure").get_attribute("open") is not None
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Why CSO Alliance"
    page.keyboard.press("Enter")
    page.wait_for_url(base_url + "/why-cso-alliance/")


def test_axe_on_one_page_of_every_shape_of_the_site(base_url, open_page, sample_site):
    """Every other kind of page in the output (events, statistics, ...) gets a scan too."""
    from axe_playwright_python.sync_playwright import Axe

    urls = representative_pages(sample_site)
    assert urls, "the fixed list should not already cover every shape of page"
    reports = []
    for scheme in ("light", "dark"):
        page = open_page(scheme=scheme)
        for url in urls:
            page.goto(base_url + url)
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            if results.violations_count:
                reports.append(f"{url} ({scheme}):\n{results.generate_report()}")
    assert reports == [], "\n".join(reports)


def test_no_page_scrolls_sideways_on_a_narrow_phone(base_url, open_page, sample_site):
    page = open_page(width=375)
    too_wide = {}
    for url in PAGES_TO_SCAN + representative_pages(sample_site):
        page.goto(base_url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            too_wide[url] = width
    assert too_wide == {}
