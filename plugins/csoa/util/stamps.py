"""The one way to tell whether a file changed: its stamp, with the racy-tick guard. Plain Python.

A stamp is what an edit in place, a replacement or a copy over the file changes: modification
time, size, inode and device (``key``), and the change time. The change time counts because a copy
that keeps the modification time (``cp -p``, ``rsync -t``) can bring back an old mtime and size,
but sets the ctime to now. A new hard link sets it too without touching the bytes (the dev loop
links unchanged pages into each new output): a ctime that moved together with the link count is
not a change.

File times come from a coarse clock. A file changed again within the same tick as its stamp keeps
that stamp while its bytes differ, so a stamp taken less than a tick after the file's last change
is not *settled*, and ``unchanged`` then says it changed. The tick is the file system's: two seconds
when both the file's times fall on a whole second (FAT, ext3 and HFS+ keep seconds), else TICK_NS
(ext4, XFS, btrfs and tmpfs take file times from the kernel's clock tick, 1-10 ms).
"""

from __future__ import annotations

import os
import time
from typing import NamedTuple

TICK_NS = 100_000_000
SECONDS_TICK_NS = 2_000_000_000


class FileStamp(NamedTuple):
    mtime_ns: int
    size: int
    ino: int
    dev: int
    ctime_ns: int
    nlink: int
    taken_ns: int  # wall clock when the stamp was taken

    @classmethod
    def of(cls, path: str | os.PathLike) -> FileStamp:
        """The stamp of ``path`` now (OSError when it is gone)."""
        taken = time.time_ns()
        st = os.stat(path)
        return cls(st.st_mtime_ns, st.st_size, st.st_ino, st.st_dev, st.st_ctime_ns, st.st_nlink, taken)

    @property
    def key(self) -> tuple[int, int, int, int]:
        """This version of the file's bytes, as far as the stamp tells (ctime aside)."""
        return self[:4]

    @property
    def settled(self) -> bool:
        """Taken a whole tick after the file's last change: any later change gives another stamp."""
        whole_seconds = self.mtime_ns % 1_000_000_000 == 0 and self.ctime_ns % 1_000_000_000 == 0
        tick = SECONDS_TICK_NS if whole_seconds else TICK_NS
        return max(self.mtime_ns, self.ctime_ns) + tick <= self.taken_ns

    def unchanged(self, now: FileStamp) -> bool:
        """Is ``now`` (a later stamp of the same path or inode) certainly the version this stamp saw?"""
        return (self.settled and now.key == self.key
                and (now.ctime_ns == self.ctime_ns or now.nlink != self.nlink))


def same_file(old: FileStamp | None, path: str | os.PathLike) -> bool:
    """Is ``path`` certainly what it was when ``old`` was taken? False when it is gone, changed, or
    ``old`` was taken within the tick of a change (racy: it may have changed unseen)."""
    if old is None:
        return False
    try:
        return old.unchanged(FileStamp.of(path))
    except OSError:
        return False
