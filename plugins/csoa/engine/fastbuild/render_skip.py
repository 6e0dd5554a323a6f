"""Dev-loop render skipping: re-render a page only when something it shows may have changed.

The fingerprint of an output is made of
  * the whole template context (settings, every item's structure: all its attributes but the
    body, every list and mapping the generators made) and every template's source;
  * the writer's arguments for this page (the article, the tag, the paginator page, ...);
  * the bodies of the items whose body its last rendering actually read (``Content.get_content``
    and body-derived summaries are tracked while it renders).
Equal fingerprint and the file still in the previous output: the file is hard-linked from there
instead of rendered. Anything that cannot be digested stably forces a render.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path
from typing import NamedTuple

from csoa.engine.fastbuild.fingerprint import Digester


class OutputRecord(NamedTuple):
    base: bytes  # context + templates + this page's arguments
    deps: tuple[str, ...]  # source paths of the items whose body the rendering read
    bodies: bytes  # digest of those bodies


class Recorder:
    """The items whose body the page being rendered has read (``items`` is None between pages);
    pelican_internals.body_tracking fills it from Content.get_content and get_summary."""

    def __init__(self):
        self.items: set | None = None


def _templates_fingerprint(env) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for name in sorted(env.list_templates()):
        source, filename, _ = env.loader.get_source(env, name)
        h.update(name.encode() + b"\x00" + source.encode("utf-8", "surrogatepass") + b"\x00")
    return h.digest()


class RenderGate:
    def __init__(self, store: dict, context: dict, previous_output: Path | None, output_path: str):
        self.store = store  # committed records of the live output
        self.pending: dict[str, OutputRecord] = {}
        self.kept: list[str] = []
        self.rendered: list[str] = []
        self.previous_output = Path(previous_output) if previous_output else None
        self.output_path = Path(output_path)
        self.digester = Digester(skip_keys={"OUTPUT_PATH"})
        self.context_fp = self.digester.digest(context)
        self.recorder = Recorder()
        self.items = {}
        for mapping in (context.get("generated_content", {}), context.get("static_content", {})):
            for item in mapping.values():
                if self.digester.is_content(item):
                    self.items[item.source_path] = item
        self._env_fps: dict[int, bytes] = {}
        self._base: bytes = b""

    def _bodies(self, deps) -> bytes:
        h = hashlib.blake2b(digest_size=16)
        for path in deps:
            item = self.items.get(path)
            h.update(path.encode() + (self.digester.body(item) if item is not None else b"\x00gone"))
        return h.digest()

    def _env_fp(self, template) -> bytes:
        env = template.environment
        if id(env) not in self._env_fps:
            self._env_fps[id(env)] = _templates_fingerprint(env)
        return self._env_fps[id(env)]

    def keep(self, name: str, template, kwargs) -> bool:
        """True when ``name`` may be taken unchanged from the previous output."""
        h = hashlib.blake2b(digest_size=16)
        h.update(self.context_fp + self._env_fp(template) + str(template.name).encode() + b"\x00" + name.encode())
        h.update(self.digester.digest(kwargs))
        self._base = h.digest()
        old = self.store.get(name)
        if (
            old is not None
            and old.base == self._base
            and self.previous_output is not None
            and old.bodies == self._bodies(old.deps)
        ):  # the file itself is checked when it is linked (KeptFileMissing)
            self.pending[name] = old
            self.kept.append(name)
            return True
        return False

    @contextlib.contextmanager
    def tracking(self, name: str):
        recorder = self.recorder
        base, previous, recorder.items = self._base, recorder.items, set()
        try:
            yield
            deps = tuple(sorted({str(item.source_path) for item in recorder.items}))
        finally:
            recorder.items = previous
        self.pending[name] = OutputRecord(base, deps, self._bodies(deps))
        self.rendered.append(name)

    def link_kept(self) -> None:
        """Make the new output hold the kept files (hard links; a copy across file systems) and
        nothing of the last build's pages that this build no longer writes.

        The new output may be a recycled older output (DevBuilder): its files are then either the
        same inode as the live one (nothing to do), an older version (replaced), or stale (deleted).
        """
        import shutil

        previous, output = str(self.previous_output), str(self.output_path)
        made = {output}

        def folder_for(path: str) -> None:
            folder = os.path.dirname(path)
            if folder not in made:
                folder_for(folder)
                try:
                    os.mkdir(folder)
                except FileExistsError:
                    pass
                made.add(folder)

        for name in self.kept:
            source, target = os.path.join(previous, name), os.path.join(output, name)
            try:
                wanted = os.stat(source)
            except FileNotFoundError as missing:
                raise KeptFileMissing(f"{source} vanished from the previous output") from missing
            try:
                present = os.stat(target)
            except FileNotFoundError:
                folder_for(target)
            else:
                if (present.st_ino, present.st_dev) == (wanted.st_ino, wanted.st_dev):
                    continue
                os.unlink(target)
            try:
                os.link(source, target)
            except OSError:
                shutil.copy2(source, target)
        for name in self.store.keys() - self.pending.keys():
            _remove_with_empty_parents(output, name)


def _remove_with_empty_parents(root: str, name: str) -> None:
    try:
        os.unlink(os.path.join(root, name))
    except FileNotFoundError:
        return
    folder = os.path.dirname(name)
    while folder:
        try:
            os.rmdir(os.path.join(root, folder))
        except OSError:  # not empty
            return
        folder = os.path.dirname(folder)


class KeptFileMissing(RuntimeError):
    """A page the dev loop meant to keep is gone from the previous output: build everything."""
