"""Parse many markdown files at once: in a process pool (fork when it is safe), one Markdown pair per worker.
The pair's inline pass skips patterns that cannot match (inline_triggers: same HTML, a third faster).

Each file is converted as Pelican's MarkdownReader converts it (pelican_internals.convert_markdown);
turning the raw metadata into Pelican values is left to the caller. A worker never raises: a file
that fails to parse comes back as None so that the caller can let the real reader fail in the
usual way. Each result carries the file's stamp and a digest of the text it was parsed from.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import threading
from dataclasses import dataclass, field

from markdown import Markdown

from csoa.engine.fastbuild.log_records import RecordCollector
from csoa.engine.pelican_internals import convert_markdown, use_triggered_inline
from csoa.util.stamps import FileStamp


@dataclass
class ParsedSource:
    stamp: FileStamp  # of the file, taken before it was read
    digest: bytes  # of the text parsed (a racy stamp is checked against it: text_digest)
    content: str
    meta: dict[str, list[str]]  # as the meta extension found it (keys lower-cased)
    formatted: dict[str, str]  # formatted fields (e.g. summary) converted to HTML
    records: list[dict] = field(default_factory=list)  # log records emitted while parsing
    metadata: dict | None = None  # Pelican's values for ``meta``, kept by the dev loop


def read_source(path: str) -> str:
    """The text Pelican reads (pelican_open: UTF-8, a leading BOM dropped, universal newlines)."""
    with open(path, encoding="utf-8-sig") as handle:
        return handle.read()


def text_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class MarkdownPair:
    """Two reusable Markdown instances: documents (with metadata) and formatted fields (without)."""

    def __init__(self, config: dict, formatted_fields):
        self.doc = use_triggered_inline(Markdown(**config))
        self.field = use_triggered_inline(Markdown(**config))
        if "meta" in self.field.preprocessors:
            self.field.preprocessors.deregister("meta")
        self.formatted_fields = set(formatted_fields)

    def parse_file(self, path: str) -> ParsedSource:
        stamp = FileStamp.of(path)
        text = read_source(path)
        content, meta, formatted = convert_markdown(self.doc, self.field, text, self.formatted_fields)
        return ParsedSource(stamp, text_digest(text), content, meta, formatted)


def parse_with_records(pair: MarkdownPair, path: str) -> ParsedSource | None:
    collector = RecordCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    try:
        parsed = pair.parse_file(path)
    except Exception:  # noqa: BLE001 - the real reader will raise it again, with Pelican's handling
        return None
    finally:
        root.removeHandler(collector)
    parsed.records = collector.records
    return parsed


_WORKER_PAIR: MarkdownPair | None = None  # set in each pool worker process only (its initializer)


def _init_worker(config: dict, formatted_fields) -> None:
    global _WORKER_PAIR
    _WORKER_PAIR = MarkdownPair(config, formatted_fields)


def _start_method() -> str:
    """fork (cheap: the workers inherit everything) unless other threads run: a forked child gets
    only the calling thread and could inherit a lock another thread holds; then spawn."""
    return "fork" if threading.active_count() == 1 else "spawn"


def _parse_chunk(paths: list[str]) -> list[tuple[str, ParsedSource | None]]:
    return [(p, parse_with_records(_WORKER_PAIR, p)) for p in paths]


def parse_many(paths: list[str], config: dict, formatted_fields, workers: int = 2,
               min_parallel: int = 64) -> dict[str, ParsedSource | None]:
    """Parse ``paths``; in ``workers`` forked processes when there are at least ``min_parallel``."""
    if not parallel_pays(paths, workers, min_parallel):
        pair = MarkdownPair(config, formatted_fields)
        return {p: parse_with_records(pair, p) for p in paths}
    return ParseJob(paths, config, formatted_fields, workers).result()


def parallel_pays(paths: list[str], workers: int, min_parallel: int) -> bool:
    return workers > 1 and len(paths) >= max(min_parallel, 2) and "fork" in multiprocessing.get_all_start_methods()


class ParseJob:
    """``paths`` parsed in a pool of ``workers`` processes, in the background.

    The paths go to the workers in order, in runs of neighbours, and come back in that order:
    ``take(path)`` waits only for the run that holds ``path``, so a caller reading the files in the
    same (sorted) order works on the first files while the workers parse the later ones.
    ``result()`` waits for all of them. The pool (and its threads) ends once everything arrived,
    or at ``cancel()``.
    """

    def __init__(self, paths: list[str], config: dict, formatted_fields, workers: int = 2):
        self.paths = list(paths)
        size = max(1, min(32, -(-len(self.paths) // (workers * 8))))
        chunks = [self.paths[i:i + size] for i in range(0, len(self.paths), size)]
        self._chunk_of = {path: number for number, chunk in enumerate(chunks) for path in chunk}
        self._chunks = len(chunks)
        self._arrived_chunks = 0
        self._arrived: dict[str, ParsedSource | None] = {}
        context = multiprocessing.get_context(_start_method())
        self._pool = context.Pool(workers, initializer=_init_worker, initargs=(config, tuple(formatted_fields)))
        self._results = self._pool.imap(_parse_chunk, chunks)

    def holds(self, path: str) -> bool:
        return path in self._chunk_of

    def take(self, path: str) -> ParsedSource | None:
        """The parsed ``path`` (one of this job's), waiting for its run if it has not arrived yet."""
        number = self._chunk_of[path]
        try:
            while self._arrived_chunks <= number:
                self._arrived.update(next(self._results))
                self._arrived_chunks += 1
        except BaseException:
            self.cancel()
            raise
        if self._arrived_chunks == self._chunks:
            self.cancel()  # all here: end the pool and its threads (the renderer forks only without threads)
        return self._arrived[path]

    def result(self) -> dict[str, ParsedSource | None]:
        if self.paths:
            self.take(self.paths[-1])
        else:
            self.cancel()
        return dict(self._arrived)

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
