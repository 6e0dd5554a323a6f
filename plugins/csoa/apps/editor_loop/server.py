"""The live-reload server: livereload's Tornado server with a build-error banner.

While the last build failed, every HTML page is served with a banner listing the errors on top of
the last good page (build_site never replaces output/ on failure). livereload injects its script
into every HTML page and tells the browser to reload after each rebuild, failed or not.
"""

from __future__ import annotations

import html
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler, StaticFileHandler

from csoa.apps.editor_loop.rebuild import BuildResult, BuildWorker
from csoa.apps.editor_loop.watcher import NotifyWatcher

BANNER_ID = "build-error"


@dataclass
class BuildState:
    last: BuildResult | None = None
    builds: int = field(default=0)

    @property
    def error(self) -> str | None:
        return None if self.last is None or self.last.ok else self.last.errors


def banner(errors: str) -> str:
    return (
        f'<div id="{BANNER_ID}" role="alert" style="position:relative;z-index:2147483647;margin:0;'
        'padding:1rem;background:#8b0000;color:#fff;font:14px/1.4 system-ui,sans-serif">'
        "<strong>The last build failed.</strong> This is the last good version of the page; fix the "
        "error below and save to rebuild."
        f'<pre style="white-space:pre-wrap;margin:.5rem 0 0;font:13px/1.4 monospace">{html.escape(errors)}</pre></div>'
    )


def with_banner(page: str, errors: str) -> str:
    lower = page.lower()
    start = lower.find("<body")
    if start == -1:
        return banner(errors) + page
    end = page.find(">", start) + 1
    return page[:end] + banner(errors) + page[end:]


def error_page(errors: str) -> str:
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head>"
            f"<body>{banner(errors)}</body></html>")


def handler_for(state: BuildState):
    class BannerStaticFileHandler(StaticFileHandler):
        """Serves output/ as usual, or the page with the error banner while the last build failed."""

        async def get(self, path, include_body=True):
            errors = state.error
            if errors is None:
                return await super().get(path, include_body)
            root = Path(self.root)
            target = root / path
            if target.is_dir() or path == "" or path.endswith("/") or not target.suffix:
                target = target / "index.html"
            if target.suffix != ".html":
                return await super().get(path, include_body)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            if target.is_file():
                self.write(with_banner(target.read_text(encoding="utf-8"), errors))
            else:
                self.set_status(500)
                self.write(error_page(errors))
            await self.flush()

    return BannerStaticFileHandler


class EditorLoop:
    """Build once, then serve ``output`` and rebuild whenever a watched path changes."""

    def __init__(self, settings_file: Path, output: Path, watch: list[Path], overrides: dict[str, str] | None = None,
                 out=sys.stdout, err=sys.stderr, code: list[Path] = ()):
        self.settings_file, self.output, self.watch = Path(settings_file), Path(output), [Path(p) for p in watch]
        self.code = [Path(p) for p in code] + [self.settings_file]  # Python: an edit needs a fresh worker
        self.overrides = {"OUTPUT_PATH": str(self.output), **(overrides or {})}
        self.worker = BuildWorker(self.settings_file, self.overrides)
        self.state = BuildState()
        self.out, self.err = out, err

    def rebuild_with_new_code(self) -> BuildResult:
        self.worker.restart()
        return self.rebuild()

    def rebuild(self) -> BuildResult:
        result = self.worker.build()
        self.state.last, self.state.builds = result, self.state.builds + 1
        if result.ok:
            print(f"rebuilt in {result.seconds:.1f}s", file=self.out, flush=True)
        else:
            print(f"BUILD FAILED (the last good site is still served):\n{result.errors}", file=self.err, flush=True)
        return result

    def serve(self, host: str = "127.0.0.1", port: int = 8000) -> None:
        self.rebuild()
        self.output.mkdir(parents=True, exist_ok=True)  # serve an error page even if the first build failed
        # livereload drops a change seen within 3 s of its last reload (meant for bursts of saves);
        # our rebuilds are serial and each ends in one reload, so a quick second save must count too.
        LiveReloadHandler.DEFAULT_RELOAD_TIME = 0
        watcher = NotifyWatcher()  # file events, not livereload's 0.8 s polling (watcher.py)
        server = Server(watcher=watcher)
        server.SFH = handler_for(self.state)
        def hidden(p):
            return os.path.basename(p).startswith((".", "#"))

        for path in self.watch:
            server.watch(str(path), self.rebuild, ignore=hidden)
        for path in self.code:
            server.watch(str(path), self.rebuild_with_new_code, ignore=hidden)
        print(f"serving {self.output} on http://{host}:{port}/ (Ctrl-C to stop)", file=self.out, flush=True)
        try:
            server.serve(host=host, port=port, root=str(self.output), restart_delay=0)
        finally:
            watcher.close()
            self.worker.close()
