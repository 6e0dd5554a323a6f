"""fastbuild: the fast engine's parts. FastPelican (engine.py) runs them, phase by phase.

* reading: every markdown source parsed once, in a pool of forked workers started before the
  plugins load, while content is validated (reading.py, parse_pool.py, inline_triggers.py);
* rendering: pages split between this process and one forked child (sharding.py);
* tag, category and author lists: ``in`` by identity set (membership.py);
* ISO dates parsed directly (fast_dates.py); slugs, relative paths and content URLs memoised;
* templates compiled once per session, not once per generator (template_cache.py);
* the dev loop (csoa.engine.devloop) re-renders only the pages whose inputs changed
  (render_skip.py, fingerprint.py).

Not a Pelican plugin: the build entry point (csoa.engine.build) chooses the engine. Every touch of
Pelican's or Markdown's insides is in csoa.engine.pelican_internals. Settings: FASTBUILD (False:
plain Pelican), FASTBUILD_WORKERS, FASTBUILD_READ, FASTBUILD_READ_PATHS,
FASTBUILD_MIN_PARALLEL_READ, FASTBUILD_MIN_PARALLEL_RENDER, FASTBUILD_CHILD_SHARE.
"""
