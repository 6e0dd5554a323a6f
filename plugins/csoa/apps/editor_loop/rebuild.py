"""Builds for the editor's loop, outside the server's process.

BuildWorker keeps one long-lived worker process (csoa.apps.editor_loop.worker) with a DevBuilder in memory,
so a content or theme edit re-renders only what changed; restart() starts a fresh one after an
edit to Python code. A failed build keeps the previous output.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class BuildResult:
    ok: bool
    errors: str = ""
    seconds: float = 0.0


class BuildWorker:
    """One worker process that keeps the dev-loop state between builds."""

    def __init__(self, settings_file: Path, overrides: dict[str, str]):
        self.args = [sys.executable, "-m", "csoa.apps.editor_loop.worker", str(settings_file)]
        self.args += [f"{key}={value}" for key, value in overrides.items()]
        self.process: subprocess.Popen | None = None

    def build(self) -> BuildResult:
        started = time.monotonic()
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(self.args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            self.process.stdin.write("build\n")
            self.process.stdin.flush()
            line = self.process.stdout.readline()
        except (BrokenPipeError, OSError):
            line = ""
        if not line:  # the worker died (its traceback is on the terminal); the next build starts a new one
            self.close()
            return BuildResult(False, "the build process stopped unexpectedly (see the terminal)",
                               time.monotonic() - started)
        answer = json.loads(line)
        return BuildResult(answer["ok"], answer["errors"], time.monotonic() - started)

    def restart(self) -> None:
        self.close()

    def close(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.stdin.close()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None
