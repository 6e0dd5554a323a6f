"""`invoke build`, `rebuild` and `preview`: one atomic build, its errors on stderr, an exit code."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from csoa.engine.build import BuildFailed, build_site_then_exit, load_settings


def run_build_command(settings_file: str | Path, output: str | Path | None = None, clean_cache: bool = False,
                      overrides: dict | None = None) -> int:
    """Build the site (into ``output`` instead of the settings' OUTPUT_PATH when given); 0 on success,
    1 with every error printed when the build failed (the previous output is left as it was).
    ``clean_cache`` removes the settings' content cache first (a clean build)."""
    overrides = {**(overrides or {}), **({"OUTPUT_PATH": str(output)} if output else {})}
    if clean_cache:
        shutil.rmtree(load_settings(settings_file, overrides)["CACHE_PATH"], ignore_errors=True)
    try:
        path = build_site_then_exit(settings_file, overrides)
    except BuildFailed as failure:
        print(failure, file=sys.stderr)
        print("The previous output/ was left untouched.", file=sys.stderr)
        return 1
    print(f"Built {path}")
    return 0
