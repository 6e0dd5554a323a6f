"""The build engine: the one entry point for every build (build.py: engine choice, atomic output,
error policy, output guard), the fast engine (fastbuild/, FastPelican), every touch of Pelican's
and Markdown's insides (pelican_internals.py), and the dev loop's long-lived builder (devloop.py).
See docs/engine.md."""


def __getattr__(name: str):
    if name == "FastPelican":  # imported on use: csoa.engine.atomic and friends need no Pelican
        from csoa.engine.fastbuild.engine import FastPelican

        return FastPelican
    raise AttributeError(name)
