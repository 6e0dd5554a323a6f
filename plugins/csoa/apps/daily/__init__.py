"""The daily run (`invoke daily`): fetch new incidents, build for production, check the links, publish.

An application, not a Pelican plugin: it is never listed in PLUGINS.
"""
