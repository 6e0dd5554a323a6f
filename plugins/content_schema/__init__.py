"""content_schema: validate every content file against the content model before Pelican reads it.

The checks live in plain modules (header, fields, schema, checks, body, validate); pelican_glue.py
connects them to the build, and check.py is what `invoke check` runs.
"""


def register():
    from pelican import signals

    from .pelican_glue import validate_on_init

    signals.initialized.connect(validate_on_init)
