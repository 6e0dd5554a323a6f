"""Running a Pelican build safely: errors fail the build, and output/ is swapped in only on success.

Not a Pelican plugin: tasks.py and the tests call it.
"""
