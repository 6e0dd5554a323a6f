"""Crime statistics: importing incidents, aggregating them, and what the statistics pages, charts and
maps show. Knows nothing of Pelican."""
