"""Region pages: /regions/ and a paginated /regions/<region>/ for the items of each region.

Domain logic in grouping.py; generator.py is the Pelican glue.
"""

from pelican import signals

from .generator import RegionsGenerator, regions_generator


def register():
    signals.get_generators.connect(regions_generator)


__all__ = ["RegionsGenerator", "register"]
