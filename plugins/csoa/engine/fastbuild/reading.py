"""Pelican glue for parallel reading: Readers take parsed markdown from a table instead of parsing.

On ``readers_init`` each Readers instance gets its ``get_cached_data`` replaced (the hook Pelican's
own content cache uses). The first lookup of a build parses every markdown source of the site at
once (parse_pool) into the session's SourceTable; lookups then turn the raw metadata into Pelican
values exactly as MarkdownReader._parse_metadata does. Anything we do not handle (another reader
class for the extension, a file that failed to parse) falls through to Pelican's own reading.
"""

from __future__ import annotations

import copy
import fnmatch
import logging
import os
from functools import partial

from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader, _filter_discardable_metadata

from csoa.engine.fastbuild import session as sessions
from csoa.engine.fastbuild.parse_pool import ParsedSource, ParseJob, file_stamp, parallel_pays, parse_many

logger = logging.getLogger(__name__)
readers_logger = logging.getLogger("pelican.readers")  # the warnings MarkdownReader would log


class SourceTable:
    """Parsed markdown sources keyed by absolute path; an entry is valid while its file stamp holds."""

    def __init__(self):
        self._job: ParseJob | None = None  # a prefetch under way
        self._job_config: tuple = ()
        self._arriving: ParseJob | None = None  # the prefetch this build's lookups take results from
        self.entries: dict[str, ParsedSource | None] = {}
        self.parsed_count = 0  # files parsed over the table's life (the dev loop reports it)
        self._verified: set[str] = set()  # paths whose stamp the latest refresh checked

    def prefetch(self, paths: list[str], config: dict, formatted_fields, workers: int, min_parallel: int) -> None:
        """Start parsing the new or changed paths in the background (when a pool pays): the build
        validates content and sets its generators up meanwhile; ``refresh`` takes the results."""
        stale = [p for p in paths if not self._fresh(p)]
        job_config = (config, tuple(formatted_fields))
        if self._job is not None and self._job.paths == stale and self._job_config == job_config:
            return  # started early (session.start_early) on the same sources and settings
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
        entry = self.entries.get(path)
        try:
            return entry is not None and entry.stamp == file_stamp(path)
        except OSError:
            return False

    def get(self, path: str) -> ParsedSource | None:
        """The parsed file, if it is still what is on disk (checked by the refresh of this build,
        or here for a file of the prefetch, which may have changed while it was parsed)."""
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


def prefetch(settings: dict, session=None) -> None:
    """At the start of a run (before content validation and the generators' setup): start
    parsing the markdown sources in the pool. Pelican's markdown reader extensions, unless READERS
    replaces or disables them."""
    session = session or sessions.current()
    if not settings.get("FASTBUILD", True) or not settings.get("FASTBUILD_READ", True):
        return
    readers = settings.get("READERS") or {}
    extensions = {ext for ext in MarkdownReader.file_extensions if ext not in readers}
    if not MarkdownReader.enabled or not extensions:
        return
    session.sources.prefetch(
        markdown_sources(settings, extensions),
        reader_markdown_config(settings["MARKDOWN"]),
        settings["FORMATTED_FIELDS"],
        workers=session.workers,
        min_parallel=settings.get("FASTBUILD_MIN_PARALLEL_READ", 200),
    )


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


def install(readers) -> None:
    """readers_init handler: route this Readers' cache lookups through the session's table."""
    readers.get_cached_data = partial(_cached_data, readers, readers.get_cached_data)


def _markdown_reader(readers, path: str):
    reader = readers.readers.get(os.path.splitext(path)[1][1:])
    return reader if type(reader) is MarkdownReader else None  # exactly Pelican's, not a plugin's


def _cached_data(readers, original, path, default=None):
    reader = _markdown_reader(readers, path)
    session = sessions.current()
    if reader is None or not session.settings.get("FASTBUILD_READ", True):
        return original(path, default)
    table = session.sources
    if not session.sources_checked:
        session.sources_checked = True
        extensions = {ext for ext, r in readers.readers.items() if type(r) is MarkdownReader}
        table.refresh(
            markdown_sources(readers.settings, extensions),
            reader.settings["MARKDOWN"],
            reader.settings["FORMATTED_FIELDS"],
            workers=session.workers,
            min_parallel=session.settings.get("FASTBUILD_MIN_PARALLEL_READ", 200),
        )
    parsed = table.get(path)
    if parsed is None:
        return original(path, default)
    for record in parsed.records:  # warnings and errors from the worker count as this build's
        logging.getLogger(record["name"]).handle(logging.makeLogRecord(record))
    if session.persistent:  # the dev loop: values are made once per file version, then shared
        if parsed.metadata is None:
            parsed.metadata = _filter_discardable_metadata(pelican_metadata(reader, parsed.meta, parsed.formatted, path))
        metadata = {k: (list(v) if isinstance(v, list) else v) for k, v in parsed.metadata.items()}
    else:
        metadata = _filter_discardable_metadata(pelican_metadata(reader, parsed.meta, parsed.formatted, path))
    return parsed.content, metadata


def pelican_metadata(reader, meta: dict, formatted: dict, path: str) -> dict:
    """MarkdownReader._parse_metadata, with the formatted fields already converted."""
    output = {}
    for name, value in meta.items():
        key = name.lower()
        if name in formatted:
            output[key] = reader.process_metadata(key, formatted[name])
        elif not DUPLICATES_DEFINITIONS_ALLOWED.get(key, True):
            if len(value) > 1:
                readers_logger.warning("Duplicate definition of `%s` for %s. Using first one.", key, path)
            output[key] = reader.process_metadata(key, value[0])
        elif len(value) > 1:
            output[key] = reader.process_metadata(key, value)
        else:
            output[key] = reader.process_metadata(key, value[0])
    return output


def read_in_order(generator) -> None:
    """``generator_init`` handler: Pelican's article and page generators read their files in sorted
    order (a set's order otherwise, which changes with the hash seed), the order the prefetch
    parses them in, so each lookup waits only for the run of files that holds it."""
    from pelican.generators import ArticlesGenerator, PagesGenerator

    if type(generator) in (ArticlesGenerator, PagesGenerator) and generator.settings.get("FASTBUILD", True):
        generator.get_files = partial(_sorted_files, generator.get_files)


def _sorted_files(get_files, *args, **kwargs) -> list[str]:
    return sorted(get_files(*args, **kwargs))
