"""Pelican glue: a generator that writes the region index and one paginated list per region."""

from __future__ import annotations

from pelican import signals
from pelican.generators import Generator

from csoa.model.regions import site_regions
from csoa.theme.region_groups import group_by_region, moved_pages

DEFAULTS = {
    "REGION_URL": "regions/{slug}/",
    "REGION_SAVE_AS": "regions/{slug}/index.html",
    "REGIONS_URL": "regions/",
    "REGIONS_SAVE_AS": "regions/index.html",
}


def regions_generator(pelican):
    return RegionsGenerator


class RegionsGenerator(Generator):
    """Adds ``regions_index`` (list of RegionPage) and ``region_pages`` ({key: RegionPage}) to the context."""

    def _setting(self, name):
        return self.settings.get(name, DEFAULTS[name])

    def generate_context(self):
        regions = site_regions(self.settings)
        pages = group_by_region(
            self.context.get("articles", []),
            regions.regions,
            self._setting("REGION_URL"),
            self._setting("REGION_SAVE_AS"),
        )
        self.context["regions_index"] = pages
        self.context["REGIONS"] = regions.filed  # the templates' labels follow REGION_TABLE
        self.context["region_pages"] = {page.key: page for page in pages}
        self.context["REGIONS_URL"] = self._setting("REGIONS_URL")

    def generate_output(self, writer):
        # Articles hidden after our context step (e.g. future-dated) must not be listed: re-group now.
        self.generate_context()
        if self._setting("REGIONS_SAVE_AS"):
            writer.write_file(
                self._setting("REGIONS_SAVE_AS"),
                self.get_template("regions"),
                self.context,
                template_name="regions",
                url=self._setting("REGIONS_URL"),
            )
        template = self.get_template("region")
        for region in self.context["regions_index"]:
            writer.write_file(
                region.save_as,
                template,
                self.context,
                paginated={"articles": region.items, "dates": region.items},
                template_name="region",
                url=region.url,
                region=region,
            )
        self._write_moved(writer)

    def _write_moved(self, writer):
        """Old key-style URLs (regions/gulf_of_aden/) point readers to the slug-style page."""
        template = self.get_template("moved")
        url_pattern, save_as_pattern = self._setting("REGION_URL"), self._setting("REGION_SAVE_AS")
        for old_save_as, new_url in moved_pages(site_regions(self.settings).regions, url_pattern, save_as_pattern):
            writer.write_file(old_save_as, template, self.context, template_name="moved", moved_to=new_url)


def register():
    signals.get_generators.connect(regions_generator)
