"""Run Pelican with a settings file and overrides; any logged error, or an output file written by
two producers (output_guard), fails the build."""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from csoa.engine.atomic import staged_directory
from csoa.engine.output_guard import guarded_writes
from csoa.util.settings import plugin_names


class BuildFailed(Exception):
    """The build logged errors or raised; the previous output was kept."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("build failed:\n" + "\n".join(f"  {e}" for e in errors))


class ErrorCollector(logging.Handler):
    """Collects every ERROR (and worse) record logged while the build runs."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_settings(settings_file: str | Path, overrides: dict | None = None) -> dict:
    from pelican.settings import read_settings

    return read_settings(str(settings_file), override=dict(overrides or {}))


def run_pelican(settings: dict) -> None:
    """Run one Pelican build with ``settings`` exactly; raise BuildFailed on any logged error."""
    from pelican import Pelican

    collector = ErrorCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        with guarded_writes(settings["OUTPUT_PATH"], settings["PATH"]) as ledger:
            try:
                Pelican(settings).run()
            except Exception as exc:  # a plugin raising is an error like any other
                errors = getattr(exc, "errors", None) or [f"{type(exc).__name__}: {exc}"]
                # two producers of one file first: Pelican's own message names only a staging path
                raise BuildFailed(ledger.collisions() + collector.messages + list(errors)) from exc
            collisions = ledger.collisions()
    finally:
        root.removeHandler(collector)
    if collisions or collector.messages:
        raise BuildFailed(collisions + collector.messages)


def build_site(settings_file: str | Path, overrides: dict | None = None) -> Path:
    """Build the site into its OUTPUT_PATH atomically; return the output path.

    The build writes into a staging directory beside OUTPUT_PATH and is swapped in only when it
    succeeded, so a failed build leaves the previous output untouched.
    """
    settings = load_settings(settings_file, overrides)
    output = Path(settings["OUTPUT_PATH"])
    with staged_directory(output) as staging:
        staged = {**settings, "OUTPUT_PATH": str(staging)}
        early = "fastbuild" in plugin_names(staged)
        if early:  # markdown parsing starts while Pelican loads the plugins
            from csoa.engine.fastbuild.session import start_early

            start_early(staged)
        try:
            run_pelican(staged)
        finally:
            if early:
                from csoa.engine.fastbuild.session import discard_early

                discard_early()
    return output


def build_site_then_exit(settings_file: str | Path, overrides: dict | None = None) -> Path:
    """build_site for a process that exits right after it (the command line, the benchmark).

    The build's objects are moved out of the cyclic collector's reach (gc.freeze), so the
    interpreter's last collection at exit does not walk the whole heap: 0.25 s of a 5 s build at
    2,000 items, against 0.03 s. Not for a process that goes on: frozen garbage is never freed.
    """
    path = build_site(settings_file, overrides)
    gc.freeze()
    return path
