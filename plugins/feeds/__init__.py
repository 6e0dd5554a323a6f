"""RSS 2.0 and Atom 1.0 feeds built with feedgen (everything, each kind, each region, events), the
feed discovery links and the /feeds/ page. The feed documents come from plain data (build.py), so
other areas (newsletter issues) can reuse them."""

from pelican import signals

from .generator import FeedsGenerator


def get_generators(pelican):
    return FeedsGenerator


def register():
    signals.get_generators.connect(get_generators)
