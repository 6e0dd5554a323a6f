"""Thin Pelican glue: each module is a Pelican plugin (register()) listed in PLUGINS."""
