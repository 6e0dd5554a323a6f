"""A synchronous client of Pagefind's service: the binary run with ``--service`` keeps indexes in
memory and answers requests on its standard streams. Plain Python, no Pelican.

This is the protocol the ``pagefind`` Python package speaks (``pagefind.service``): each message is
base64 of a JSON object, followed by a comma. Its asyncio client is not used because it sleeps
0.1 s before reading each answer and cannot read an answer over 2 MiB; the dev loop's index sends
one or two requests per edit and waits for each.

What the service offers (Pagefind 1.5): ``NewIndex``; ``AddDir`` (parse a folder's pages, as the
command line does, in walk order); ``AddFile`` (parse one page given as text: a page with the URL of
one already in the index *replaces* it in place, keeping its position; a new URL is appended);
``WriteFiles`` (build the index from every page held and write the bundle: files named by their
content's hash -- fragments, index chunks, filters, the meta file -- are skipped when a file of that
name exists, so a bundle folder that already holds the last bundle gets only what changed); and
``GetFiles``/``DeleteIndex``. There is no request to remove a page.
"""

from __future__ import annotations

import base64
import collections
import json
import os
import subprocess
import threading
import time
from pathlib import Path


WRITE_SETTLE_SECONDS = 0.2
WRITE_TIMEOUT_SECONDS = 30


class ServiceFailed(Exception):
    """The service answered with an error, or died."""


def pagefind_binary() -> str:
    from pagefind.service import get_executable  # the pagefind[bin] wheel's binary

    binary = get_executable()
    if binary is None:
        raise ServiceFailed("the Pagefind binary is not installed (pip install 'pagefind[bin]')")
    return str(binary)


class PagefindService:
    """One ``pagefind --service`` process; requests are sent one at a time."""

    def __init__(self, cwd: Path):
        self._process = subprocess.Popen([pagefind_binary(), "--service"], cwd=cwd, stdin=subprocess.PIPE,
                                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._errors: collections.deque[str] = collections.deque(maxlen=20)  # its last lines of stderr
        threading.Thread(target=self._drain_stderr, name="pagefind-stderr", daemon=True).start()
        self._pending = b""  # what was read past the last answer
        self._number = 0
        self._lock = threading.Lock()  # kill() may come from another thread while a request waits

    @property
    def alive(self) -> bool:
        return self._process.poll() is None

    def cpu_seconds(self) -> float:
        """CPU time the service has used so far (0.0 where /proc is not there)."""
        try:
            with open(f"/proc/{self._process.pid}/stat", encoding="ascii") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def new_index(self, language: str) -> int:
        return self.request({"type": "NewIndex", "config": {"force_language": language}})["index_id"]

    def add_dir(self, index: int, path: Path, glob: str | None) -> int:
        return self.request({"type": "AddDir", "index_id": index, "path": str(path), "glob": glob})["page_count"]

    def add_file(self, index: int, relative_path: str, html: str) -> dict:
        """Parse a page; its URL comes from its path relative to the site (as the command line's)."""
        return self.request({"type": "AddFile", "index_id": index, "file_path": relative_path, "url": None,
                             "file_contents": html})

    def write_files(self, index: int, bundle: Path) -> None:
        """Write the bundle into ``bundle`` and wait until every file written is complete."""
        self.request({"type": "WriteFiles", "index_id": index, "output_path": str(bundle)})
        self._wait_for_writes(Path(bundle))

    def _wait_for_writes(self, bundle: Path) -> None:
        """Pagefind answers WriteFiles when each file has been created and its bytes handed to a
        writer thread (tokio's File, never flushed), not when they are written: a file read at once
        can be short. Each file stays open in the service until its bytes are written, so wait
        until it holds no file of ``bundle`` open (Linux's /proc; elsewhere a pause)."""
        folder = str(bundle.resolve()) + "/"
        descriptors = Path(f"/proc/{self._process.pid}/fd")
        if not descriptors.is_dir():
            time.sleep(WRITE_SETTLE_SECONDS)
            return
        deadline = time.monotonic() + WRITE_TIMEOUT_SECONDS
        while any(_target(link).startswith(folder) for link in _listing(descriptors)):
            if time.monotonic() > deadline:
                raise ServiceFailed(f"Pagefind still writes into {bundle} after {WRITE_TIMEOUT_SECONDS} s")
            time.sleep(0.002)

    def request(self, payload: dict) -> dict:
        self._number += 1
        message = json.dumps({"message_id": self._number, "payload": payload}).encode("utf-8")
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")
            self._process.stdin.flush()
            answer = json.loads(base64.b64decode(self._read_answer()))
        except (OSError, ValueError) as error:
            self._process.wait()
            said = "".join(self._errors).strip()
            raise ServiceFailed(f"the Pagefind service stopped during {payload['type']} ({error})"
                                + (f":\n{said}" if said else "")) from error
        result = answer.get("payload", {})
        if result.get("type") == "Error":
            raise ServiceFailed(f"Pagefind could not {payload['type']}: {result.get('message')}")
        return result

    def _read_answer(self) -> bytes:
        chunks = [self._pending]
        while b"," not in chunks[-1]:
            chunk = self._process.stdout.read1(1 << 20)
            if not chunk:
                raise OSError("end of its output")
            chunks.append(chunk)
        answer, _, self._pending = b"".join(chunks).partition(b",")
        return answer

    def _drain_stderr(self) -> None:
        for line in self._process.stderr:
            self._errors.append(line.decode("utf-8", errors="replace"))

    def kill(self) -> None:
        """Stop the process now (a request waiting for it fails with ServiceFailed)."""
        with self._lock:
            if self.alive:
                self._process.kill()
            self._process.wait()

    def close(self) -> None:
        """End the process the polite way: it exits when its input ends."""
        with self._lock:
            if self.alive:
                try:
                    self._process.stdin.close()
                    self._process.wait(timeout=5)
                except (OSError, subprocess.TimeoutExpired):
                    self._process.kill()
                    self._process.wait()


def _listing(folder: Path) -> list[Path]:
    try:
        return list(folder.iterdir())
    except OSError:
        return []


def _target(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:  # closed meanwhile
        return ""
