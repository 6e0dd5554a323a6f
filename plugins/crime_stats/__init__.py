"""Crime statistics: incident data, importers, and the generated statistics pages, maps and charts.

(Named crime_stats, not statistics, so that it never shadows Python's own `statistics` module.)
Other plugins read `context["statistics_summary"]` (the summary.json dict) and draw the one headline
chart through the context too: `context["statistics_headline_chart_png"](summary)` (PNG bytes, the
newsletter's email) and `context["statistics_headline_chart_alt"](summary)` (its text alternative).
"""

from pelican import signals

from .generator import StatisticsGenerator


def get_generators(pelican):
    return StatisticsGenerator


def register():
    signals.get_generators.connect(get_generators)
