"""The one way to tell whether a file changed: its stamp, with the racy-tick guard. Plain Python.

A stamp is what an edit in place, a replacement or a copy over the file changes: modification
and change times, size, inode and device. The change time (ctime) is in it because a copy that
keeps the modification time (``cp -p``, ``rsync -t``) can bring back an old mtime and size, but
every change, a new hard link too, sets the ctime to now.

File times come from a coarse clock. A file changed again within the same tick as its stamp keeps
that stamp while its bytes differ, so a stamp taken less than TICK_NS after the file's last change
is not *settled*: ``same_file`` then says it changed. TICK_NS is the coarsest file-time granularity
we meet (FAT keeps two seconds; ext4, XFS, btrfs and tmpfs a few milliseconds).
"""

from __future__ import annotations

import os
import time
from typing import NamedTuple

TICK_NS = 2_000_000_000


class FileStamp(NamedTuple):
    mtime_ns: int
    ctime_ns: int
    size: int
    ino: int
    dev: int
    taken_ns: int  # wall clock when the stamp was taken

    @classmethod
    def of(cls, path: str | os.PathLike) -> FileStamp:
        """The stamp of ``path`` now (OSError when it is gone)."""
        taken = time.time_ns()
        st = os.stat(path)
        return cls(st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev, taken)

    @property
    def key(self) -> tuple[int, int, int, int, int]:
        """What identifies this version of the file (everything but when the stamp was taken)."""
        return self[:5]

    @property
    def settled(self) -> bool:
        """Taken a whole tick after the file's last change: any later change gives another stamp."""
        return max(self.mtime_ns, self.ctime_ns) + TICK_NS <= self.taken_ns


def same_file(old: FileStamp | None, path: str | os.PathLike) -> bool:
    """Is ``path`` certainly what it was when ``old`` was taken? False when it is gone, changed, or
    ``old`` was taken within the tick of a change (racy: it may have changed unseen)."""
    if old is None or not old.settled:
        return False
    try:
        return FileStamp.of(path).key == old.key
    except OSError:
        return False
