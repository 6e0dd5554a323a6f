"""content_schema: validate every content file against the content model before Pelican reads it.

The checks live in plain modules (header, fields, schema, checks, body, validate); pelican_glue.py
connects them to the build, and check.py is what `invoke check` runs.
"""


def register():
    from pelican import signals

    from .pelican_glue import validate_before_reading

    # get_generators is sent at the start of every run, before any file is read: a failed check
    # stops the build before output is written, and `invoke regenerate` re-checks on every change.
    signals.get_generators.connect(validate_before_reading)
