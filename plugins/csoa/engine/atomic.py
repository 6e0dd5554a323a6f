"""Build into a fresh sibling directory, then swap it into place, so a failed build never
touches the previous output."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def staged_directory(target: Path, remove_old: Callable[[Path], None] | None = None,
                     reuse: Path | None = None) -> Iterator[Path]:
    """Yield an empty directory beside ``target``; on a clean exit it replaces ``target``.

    On an exception the staged directory is removed and ``target`` is left exactly as it was.
    ``remove_old`` deletes the replaced directory (default: at once; the dev loop keeps it to reuse).
    ``reuse``: a directory beside ``target`` to stage into instead of an empty one (the dev loop's
    recycled output; the build must replace, never write through, the files it holds).
    """
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
    if reuse is not None:
        os.rmdir(staging)
        os.rename(reuse, staging)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_into_place(staging, target, remove_old)


def swap_into_place(staging: Path, target: Path, remove_old: Callable[[Path], None] | None = None) -> None:
    """Replace ``target`` by ``staging`` with two renames (the window without a target is tiny)."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.rmdir(old)
        os.rename(target, old)
    os.rename(staging, target)
    os.chmod(target, 0o755)
    if old is not None:
        (remove_old or _remove_now)(old)


def _remove_now(old: Path) -> None:
    shutil.rmtree(old, ignore_errors=True)


def trim_tree(root: Path, keep: set[str]) -> None:
    """Delete every file under ``root`` whose relative name is not in ``keep``, then the folders
    left empty (``root`` itself stays)."""
    root = str(root)

    def walk(folder: str, prefix: str) -> bool:  # True when ``folder`` is empty afterwards
        empty = True
        with os.scandir(folder) as entries:
            for entry in entries:
                name = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if walk(entry.path, name + "/"):
                        os.rmdir(entry.path)
                    else:
                        empty = False
                elif name in keep:
                    empty = False
                else:
                    os.unlink(entry.path)
        return empty

    walk(root, "")


def link_pages(source: Path, target: Path, names: list[str]) -> None:
    """Hard-link the files ``names`` (relative) of ``source`` into ``target``, making folders; a
    file that is gone is skipped (the build that uses ``target`` relinks what it needs)."""
    made = set()
    for name in names:
        folder = os.path.dirname(os.path.join(target, name))
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            os.link(os.path.join(source, name), os.path.join(target, name))
        except FileNotFoundError:
            continue
