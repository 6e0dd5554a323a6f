"""A long-lived build process for the editor's loop: it keeps a DevBuilder (parsed sources and page
fingerprints) in memory, so after a content or theme edit only what changed is parsed and rendered.

Run as `python -m csoa.apps.editor_loop.worker SETTINGS [KEY=VALUE ...]`. Protocol: each line read from stdin
asks for a build; each build answers one JSON line {"ok", "errors", "seconds"} on the original
stdout. Everything else the build prints goes to stderr, so it cannot corrupt the answers.
An edit to Python code (plugins/, settings) needs a fresh worker: the server restarts it.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback


def serve_builds(settings_file: str, overrides: dict[str, str], requests, answers) -> None:
    from csoa.engine.devloop import DevBuilder

    builder = DevBuilder(settings_file, overrides)
    try:
        _answer_requests(builder, requests, answers)
    finally:  # stdin closed: the server stops or restarts this worker
        builder.close()


def _answer_requests(builder, requests, answers) -> None:
    from csoa.engine.build import BuildFailed

    built_once = False
    for _request in requests:
        started = time.monotonic()
        try:
            builder.rebuild() if built_once else builder.build()
            built_once, answer = True, {"ok": True, "errors": ""}
        except BuildFailed as failure:
            answer = {"ok": False, "errors": str(failure)}
        except Exception:  # a plugin bug must not take the whole loop down silently
            answer = {"ok": False, "errors": traceback.format_exc()}
        answer["seconds"] = time.monotonic() - started
        answers.write(json.dumps(answer) + "\n")
        answers.flush()


def main(argv: list[str]) -> int:
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # Pelican and rich print to stdout: send that to stderr
    sys.stdout = sys.stderr
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s", stream=sys.stderr)
    settings_file, *pairs = argv
    serve_builds(settings_file, dict(pair.split("=", 1) for pair in pairs), sys.stdin, answers)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
