"""Pelican glue: a generator that writes the region index and one paginated list per region."""

from __future__ import annotations

from pelican.generators import Generator

from .grouping import group_by_region

DEFAULTS = {
    "REGION_URL": "regions/{slug}/",
    "REGION_SAVE_AS": "regions/{slug}/index.html",
    "REGIONS_URL": "regions/",
    "REGIONS_SAVE_AS": "regions/index.html",
}


def regions_generator(pelican):
    return RegionsGenerator


class RegionsGenerator(Generator):
    """Adds ``regions_index`` (list of Region) and ``region_pages`` ({key: Region}) to the context."""

    def _setting(self, name):
        return self.settings.get(name, DEFAULTS[name])

    def generate_context(self):
        regions = group_by_region(
            self.context.get("articles", []),
            self.settings.get("REGIONS", {}),
            self._setting("REGION_URL"),
            self._setting("REGION_SAVE_AS"),
        )
        self.context["regions_index"] = regions
        self.context["region_pages"] = {region.key: region for region in regions}
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
