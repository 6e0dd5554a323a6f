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
def staged_directory(target: Path, remove_old: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """Yield an empty directory beside ``target``; on a clean exit it replaces ``target``.

    On an exception the staged directory is removed and ``target`` is left exactly as it was.
    ``remove_old`` deletes the replaced directory (default: at once; the dev loop defers it).
    """
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
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
