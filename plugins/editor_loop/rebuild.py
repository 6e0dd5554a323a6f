"""One build in a fresh Python process, so that edits to plugins/ take effect on the next build.

Run as `python -m editor_loop.rebuild SETTINGS [KEY=VALUE ...]`: exit 0 on success; on failure
exit 1 with the build's errors on stderr. build_site() keeps the previous output on failure.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass
class BuildResult:
    ok: bool
    errors: str = ""
    seconds: float = 0.0


def build_in_subprocess(settings_file: Path, overrides: dict[str, str]) -> BuildResult:
    import time

    started = time.monotonic()
    args = [sys.executable, "-m", "editor_loop.rebuild", str(settings_file)]
    args += [f"{key}={value}" for key, value in overrides.items()]
    plugins = str(Path(__file__).resolve().parents[1])
    env = {**__import__("os").environ}
    env["PYTHONPATH"] = plugins + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    elapsed = time.monotonic() - started
    if done.returncode == 0:
        return BuildResult(True, seconds=elapsed)
    return BuildResult(False, (done.stderr or done.stdout).strip() or f"build exited {done.returncode}", elapsed)


def main(argv: list[str]) -> int:
    import logging

    from site_build.build import BuildFailed, build_site

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s", stream=sys.stdout)
    settings_file, *pairs = argv
    overrides = dict(pair.split("=", 1) for pair in pairs)
    try:
        build_site(settings_file, overrides)
    except BuildFailed as failure:
        print(failure, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
