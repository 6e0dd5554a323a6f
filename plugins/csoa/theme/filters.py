"""The theme's Jinja filters and tests. pelicanconf.py imports these as JINJA_FILTERS / JINJA_TESTS,
so templates work in every build, also those that run with only a few plugins."""

from csoa.theme import dates, membership, navigation, paths

JINJA_FILTERS = {
    "as_date": dates.as_date,
    "human_date": dates.human_date,
    "iso_date": dates.iso_date,
    "site_path": paths.site_path,
    "is_yes": paths.is_yes,
    "nav_pages": navigation.nav_pages,
    "site_navigation": navigation.site_navigation,
    "membership_offer": membership.membership_offer,
}
JINJA_TESTS = {"yes": paths.is_yes}
