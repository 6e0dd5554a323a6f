"""Parallel reading: every markdown source is parsed once, in a pool of workers, into a table that
Pelican's readers then take their results from.

The prefetch starts before Pelican loads the plugins and goes on while content is validated; the
first lookup of a run checks the table against the files on disk (the session's file stamp, with
its racy-tick guard) and parses what is new or changed. Lookups turn the raw metadata into
Pelican values exactly as MarkdownReader does (pelican_internals.pelican_metadata). Anything else
(another reader class for the extension, a file that failed to parse) falls through to Pelican.
"""

from __future__ import annotations

import copy
import fnmatch
import logging
import os

from pelican.readers import MarkdownReader

import csoa.engine.pelican_internals as internals
from csoa.engine.fastbuild.parse_pool import ParsedSource, ParseJob, parallel_pays, parse_many, read_source, text_digest
from csoa.util.stamps import FileStamp


class SourceTable:
    """Parsed markdown sources keyed by absolute path; an entry is valid while its file is unchanged."""

    def __init__(self):
        self._job: ParseJob | None = None  # a prefetch under way
        self._job_config: tuple = ()
        self._arriving: ParseJob | None = None  # the prefetch this run's lookups take results from
        self.entries: dict[str, ParsedSource | None] = {}
        self.parsed_count = 0  # files parsed over the table's life (the dev loop reports it)
        self._verified: set[str] = set()  # paths whose stamp the latest refresh checked

    def prefetch(self, paths: list[str], config: dict, formatted_fields, workers: int, min_parallel: int) -> None:
        """Start parsing the new or changed paths in the background (when a pool pays): the build
        validates content and sets its generators up meanwhile; ``refresh`` takes the results."""
        stale = [p for p in paths if not self._fresh(p)]
        job_config = (config, tuple(formatted_fields))
        if self._job is not None and self._job.paths == stale and self._job_config == job_config:
            return  # started when the engine was made, on the same sources and settings
        self.cancel_prefetch()
        if parallel_pays(stale, workers, min_parallel):
            self._job = ParseJob(stale, config, formatted_fields, workers)
            self._job_config = (copy.deepcopy(config), tuple(formatted_fields))

    def cancel_prefetch(self) -> None:
        for job in (self._job, self._arriving):
            if job is not None:
                job.cancel()
        self._job = self._arriving = None

    def end_arrivals(self) -> None:
        """Reading is over: stop the pool even if some of its files were never asked for."""
        if self._arriving is not None:
            self._arriving.cancel()
            self._arriving = None

    def refresh(self, paths: list[str], config: dict, formatted_fields, workers: int, min_parallel: int) -> None:
        """Parse the paths that are new or changed; forget the ones that are gone. A prefetch's
        results are taken as lookups ask for them (``get``)."""
        job, self._job = self._job, None
        self.end_arrivals()
        if job is not None:
            if self._job_config == (config, tuple(formatted_fields)):
                self._arriving = job
                self.parsed_count += len(job.paths)
            else:  # a plugin changed the markdown settings after the prefetch started
                job.cancel()
        wanted = set(paths)
        for gone in [p for p in self.entries if p not in wanted]:
            del self.entries[gone]
        arriving = self._arriving
        stale = [p for p in paths if not (arriving is not None and arriving.holds(p)) and not self._fresh(p)]
        if stale:
            self.entries.update(parse_many(stale, config, formatted_fields, workers, min_parallel))
            self.parsed_count += len(stale)
        self._verified = wanted - set(arriving.paths) if arriving is not None else wanted

    def _fresh(self, path: str) -> bool:
        """Is the entry still what is on disk? When its stamp cannot tell (taken within the tick of
        an edit, or a ctime that moved) the text is read and compared with what was parsed: a match
        is stamped again instead of parsed again."""
        entry = self.entries.get(path)
        if entry is None:
            return False
        try:
            stamp = FileStamp.of(path)
            if stamp.key != entry.stamp.key:
                return False
            if not entry.stamp.unchanged(stamp) and text_digest(read_source(path)) != entry.digest:
                return False
        except (OSError, UnicodeDecodeError):
            return False
        entry.stamp = stamp
        return True

    def get(self, path: str) -> ParsedSource | None:
        """The parsed file, if it is still what is on disk (checked by the refresh of this run, or
        here for a file of the prefetch, which may have changed while it was parsed)."""
        if path in self._verified:
            return self.entries.get(path)
        if self._arriving is not None and self._arriving.holds(path):
            self.entries[path] = self._arriving.take(path)
        return self.entries.get(path) if self._fresh(path) else None


def markdown_sources(settings: dict, extensions) -> list[str]:
    """Every file the article and page generators, and the plugin generators that read markdown
    (FASTBUILD_READ_PATHS: events, newsletters), may read with the markdown reader."""
    base = settings["PATH"]
    ignore = settings.get("IGNORE_FILES", [])
    found = []
    folders = [*settings.get("ARTICLE_PATHS", []), *settings.get("PAGE_PATHS", []), *settings.get("FASTBUILD_READ_PATHS", [])]
    for rel in folders:
        root = os.path.join(base, rel)
        if os.path.isfile(root):
            walked = [(os.path.dirname(root), [], [os.path.basename(root)])]
        else:
            walked = os.walk(root, followlinks=True)
        for dirpath, dirnames, filenames in walked:
            dirnames[:] = [d for d in dirnames if not any(fnmatch.fnmatch(d, pat) for pat in ignore)]
            for name in filenames:
                if os.path.splitext(name)[1][1:] in extensions and not any(fnmatch.fnmatch(name, pat) for pat in ignore):
                    found.append(os.path.abspath(os.path.join(dirpath, name)))
    return sorted(set(found))


def reader_markdown_config(markdown: dict) -> dict:
    """A copy of MARKDOWN as MarkdownReader.__init__ completes it (every configured extension and
    the meta extension in ``extensions``), before any reader exists. refresh() compares it with the
    reader's own and parses again if they differ."""
    config = copy.deepcopy(markdown)
    config.setdefault("extension_configs", {})
    config.setdefault("extensions", [])
    for extension in config["extension_configs"]:
        if extension not in config["extensions"]:
            config["extensions"].append(extension)
    if "markdown.extensions.meta" not in config["extensions"]:
        config["extensions"].append("markdown.extensions.meta")
    return config


class MarkdownReading:
    """One run's reading through ``table``: the prefetch, and the lookups Readers make."""

    def __init__(self, table: SourceTable, workers: int, share_values: bool):
        self.table = table
        self.workers = workers
        self.share_values = share_values  # make Pelican's values once per file version (the dev loop)
        self.checked = False  # the first lookup of the run refreshes the table

    def prefetch(self, settings: dict) -> None:
        """Start parsing the markdown sources in the pool: Pelican's markdown reader extensions,
        unless READERS replaces or disables them."""
        self.checked = False
        if not settings.get("FASTBUILD_READ", True):
            return
        readers = settings.get("READERS") or {}
        extensions = {ext for ext in MarkdownReader.file_extensions if ext not in readers}
        if not MarkdownReader.enabled or not extensions:
            return
        self.table.prefetch(markdown_sources(settings, extensions), reader_markdown_config(settings["MARKDOWN"]),
                            settings["FORMATTED_FIELDS"], workers=self.workers,
                            min_parallel=settings.get("FASTBUILD_MIN_PARALLEL_READ", 200))

    def lookup(self, readers, path: str) -> tuple[str, dict] | None:
        """Readers.get_cached_data: (content, metadata) of a parsed file, or None (Pelican reads)."""
        reader = internals.markdown_reader(readers, path)
        if reader is None or not readers.settings.get("FASTBUILD_READ", True):
            return None
        if not self.checked:
            self.checked = True
            self.table.refresh(markdown_sources(readers.settings, internals.markdown_extensions(readers)),
                               reader.settings["MARKDOWN"], reader.settings["FORMATTED_FIELDS"], workers=self.workers,
                               min_parallel=readers.settings.get("FASTBUILD_MIN_PARALLEL_READ", 200))
        parsed = self.table.get(path)
        if parsed is None:
            return None
        for record in parsed.records:  # warnings and errors from the worker count as this build's
            logging.getLogger(record["name"]).handle(logging.makeLogRecord(record))
        if not self.share_values:
            return parsed.content, internals.pelican_metadata(reader, parsed.meta, parsed.formatted, path)
        if parsed.metadata is None:
            parsed.metadata = internals.pelican_metadata(reader, parsed.meta, parsed.formatted, path)
        return parsed.content, {k: (list(v) if isinstance(v, list) else v) for k, v in parsed.metadata.items()}

    def end(self) -> None:
        """Reading is over: no pool threads may be left when the renderer forks."""
        self.table.end_arrivals()

    def cancel(self) -> None:
        self.table.cancel_prefetch()
