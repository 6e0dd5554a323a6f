"""Crime statistics: incident data, importers, and the generated statistics pages, maps and charts.

(Named crime_stats, not statistics, so that it never shadows Python's own `statistics` module.)
Other plugins read `context["statistics_summary"]` (the summary.json dict) and may call
`crime_stats.charts.headline_chart_png(summary)` for the email chart.
"""

from pelican import signals

from .generator import StatisticsGenerator


def get_generators(pelican):
    return StatisticsGenerator


def register():
    signals.get_generators.connect(get_generators)
