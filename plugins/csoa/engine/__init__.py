"""The build engine: running Pelican safely (atomic output, error policy, output guard), fastbuild,
and the dev loop's long-lived builder."""
