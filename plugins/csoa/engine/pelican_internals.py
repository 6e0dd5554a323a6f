"""Every place where the build depends on the insides of Pelican or Python-Markdown.

No other module of the project reads a private name of either, copies one of their methods or
replaces one of their functions. Each touch is listed in INTERNALS with the version it was checked
against; the fast engine runs only on exactly those versions (``unsupported_reason``), else the
build is plain Pelican and says why. Replacements are made for one run by ``patched`` and undone
when it ends, so outside a fast run (FASTBUILD = False, a failed guard, after any build) Pelican's
classes and modules are exactly as installed. The output guard's note on ``Writer._open_w`` is the
one replacement made in plain builds too (csoa.engine.output_guard). One module by design: it is
the list of what to check when Pelican or Markdown is upgraded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterator

import markdown
import pelican
import pelican.readers
import pelican.urlwrappers
from markdown import util as md_util
from markdown.treeprocessors import InlineProcessor
from pelican import signals
from pelican.contents import Content
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator
from pelican.log import console
from pelican.paginator import Paginator
from pelican.readers import DUPLICATES_DEFINITIONS_ALLOWED, MarkdownReader, Readers, _filter_discardable_metadata
from pelican.utils import clean_output_dir, get_relative_path, maybe_pluralize, path_to_url, posixize_path, sanitised_join
from pelican.writers import Writer

from csoa.engine.fastbuild import fast_dates, inline_triggers

CHECKED = {"pelican": "4.12.0", "markdown": "3.11.3"}  # the versions every entry below was read against
INSTALLED = {"pelican": pelican.__version__, "markdown": markdown.__version__}

INTERNALS = (  # (what, package, how it is used)
    ("pelican.Pelican.run", "pelican", "FastPelican.run follows it (start_run, generate_contexts, refresh_links, print_summary)"),
    ("pelican.Pelican._get_generator_classes", "pelican", "called by start_run"),
    ("Readers.get_cached_data", "pelican", "replaced for a run: parsed markdown comes from the session's table"),
    ("MarkdownReader.read, _parse_metadata", "pelican", "mirrored by convert_markdown and pelican_metadata"),
    ("readers._filter_discardable_metadata, DUPLICATES_DEFINITIONS_ALLOWED", "pelican", "used by pelican_metadata"),
    ("Generator.get_files", "pelican", "sorted for ArticlesGenerator and PagesGenerator (reading follows the pool)"),
    ("urlwrappers.slugify", "pelican", "replaced for a run by a memo of pelican.utils.slugify"),
    ("Content.get_relative_source_path", "pelican", "replaced for a run by a memo (same computation)"),
    ("readers.get_date", "pelican", "replaced for a run: ISO dates parsed directly (fastbuild.fast_dates)"),
    ("Content.get_url_setting", "pelican", "memoised while pages are written (fixed_urls)"),
    ("Content.get_content, get_summary (utils.memoized .cache)", "pelican", "dev loop: body reads recorded, memos cleared"),
    ("ArticlesGenerator.tags/categories/authors", "pelican", "defaultdict(list) before pretaxonomy: set-backed lists"),
    ("Writer.write_file, _written_files, _overridden_files, _open_w", "pelican", "copied by FastWriter"),
    ("Writer._open_w", "pelican", "noted by the output guard (it may swap a path for os.devnull)"),
    ("InlineProcessor.__handleInline, __applyPattern", "markdown", "TriggeredInlineProcessor skips patterns"),
    ("Registry._priority", "markdown", "read by TriggeredInlineProcessor and use_triggered_inline"),
)

_ABSENT = object()
MEMO_LIMIT = 200_000
WRITER_LOG = logging.getLogger("pelican.writers")  # the records Pelican's writer logs


def unsupported_reason() -> str | None:
    """Why the fast engine cannot run here (another Pelican or Markdown), or None."""
    wrong = [f"{name} {INSTALLED[name]} (checked against {version})" for name, version in CHECKED.items()
             if INSTALLED[name] != version]
    return "installed " + " and ".join(wrong) + "; see csoa/engine/pelican_internals.py" if wrong else None


@contextlib.contextmanager
def patched(replacements: dict[tuple[object, str], object]) -> Iterator[None]:
    """Set each ``(owner, name)`` to its value for the block, then put back exactly what was there
    (an attribute the class only inherited is deleted again)."""
    saved = [(owner, name, vars(owner).get(name, _ABSENT)) for owner, name in replacements]
    try:
        for (owner, name), value in replacements.items():
            setattr(owner, name, value)
        yield
    finally:
        for owner, name, value in reversed(saved):
            if value is _ABSENT:
                delattr(owner, name)
            else:
                setattr(owner, name, value)


# 1. reading --------------------------------------------------------------------------------------
def reading_patches(lookup: Callable, memo: dict) -> dict:
    """Readers take parsed markdown from ``lookup(readers, path)`` ((content, metadata) or None:
    Pelican reads), generators list files sorted, dates are parsed directly (fast_dates), and slugs
    and relative source paths, pure functions of their arguments, are kept in ``memo``."""
    inherited = Readers.get_cached_data

    def get_cached_data(self, filename, default=None):
        found = lookup(self, filename)
        return inherited(self, filename, default) if found is None else found

    def sorted_files(self, *args, **kwargs):
        files = Generator.get_files(self, *args, **kwargs)
        return sorted(files) if type(self) in (ArticlesGenerator, PagesGenerator) else files

    slugify, relative, slow_date = pelican.urlwrappers.slugify, Content.get_relative_source_path, pelican.readers.get_date

    def memo_slugify(value, regex_subs=(), preserve_case=False, use_unicode=False):
        try:
            key = ("slug", value, tuple(tuple(pair) for pair in regex_subs), preserve_case, use_unicode)
            found = memo.get(key)
        except TypeError:  # something unhashable: compute as Pelican does
            return slugify(value, regex_subs, preserve_case, use_unicode)
        if found is None:
            found = _remember(memo, key, slugify(value, regex_subs, preserve_case, use_unicode))
        return found

    def memo_relative(self, source_path=None):
        source_path = source_path or self.source_path
        root = self.settings["PATH"]
        if type(root) is not str or type(source_path) is not str:
            return relative(self, source_path)
        key = ("relative", root, source_path, os.getcwd())
        found = memo.get(key)
        if found is None:
            found = _remember(memo, key, posixize_path(
                os.path.relpath(os.path.abspath(os.path.join(root, source_path)), os.path.abspath(root))))
        return found

    return {(Readers, "get_cached_data"): get_cached_data,
            (ArticlesGenerator, "get_files"): sorted_files, (PagesGenerator, "get_files"): sorted_files,
            (pelican.urlwrappers, "slugify"): memo_slugify, (Content, "get_relative_source_path"): memo_relative,
            (pelican.readers, "get_date"): lambda string: fast_dates.parse(string, slow_date)}


def _remember(memo: dict, key, value):
    if len(memo) >= MEMO_LIMIT:  # a long dev-loop session: one entry per name and source file seen
        memo.clear()
    memo[key] = value
    return value


def markdown_reader(readers, path: str):
    """The reader Pelican would use for ``path`` when it is exactly Pelican's MarkdownReader."""
    reader = readers.readers.get(os.path.splitext(path)[1][1:])
    return reader if type(reader) is MarkdownReader else None


def markdown_extensions(readers) -> set[str]:  # the extensions Pelican's own MarkdownReader reads
    return {ext for ext, reader in readers.readers.items() if type(reader) is MarkdownReader}


def convert_markdown(doc: markdown.Markdown, field: markdown.Markdown, text: str, formatted_fields) -> tuple:
    """MarkdownReader.read: (HTML, raw metadata, formatted fields as HTML). ``field`` is the same
    configuration with the meta preprocessor deregistered, as _parse_metadata does."""
    content = doc.reset().convert(text)
    meta = dict(getattr(doc, "Meta", {}) or {})
    formatted = {name: field.reset().convert("\n".join(value)) for name, value in meta.items()
                 if name.lower() in formatted_fields}
    return content, meta, formatted


def pelican_metadata(reader, meta: dict, formatted: dict, path: str) -> dict:
    """MarkdownReader._parse_metadata (formatted fields already converted), then the filter
    Readers.read_file applies to what a reader returns."""
    output = {}
    for name, value in meta.items():
        key = name.lower()
        if name in formatted:
            output[key] = reader.process_metadata(key, formatted[name])
        elif not DUPLICATES_DEFINITIONS_ALLOWED.get(key, True):
            if len(value) > 1:
                logging.getLogger("pelican.readers").warning(
                    "Duplicate definition of `%s` for %s. Using first one.", key, path)
            output[key] = reader.process_metadata(key, value[0])
        else:
            output[key] = reader.process_metadata(key, value if len(value) > 1 else value[0])
    return _filter_discardable_metadata(output)


def use_membership_lists(generator, list_type: type) -> None:
    """``article_generator_pretaxonomy``: the taxonomy lists Pelican is about to fill become ``list_type``."""
    for name in ("tags", "categories", "authors"):
        current = getattr(generator, name, None)
        if isinstance(current, defaultdict) and not current and current.default_factory is list:
            setattr(generator, name, defaultdict(list_type))


# 2. while pages are written ---------------------------------------------------------------------
def fixed_urls() -> dict:
    """Content URLs computed once per item: from all_generators_finalized their inputs no longer
    change (overrides, set while a body renders, are still looked up live)."""
    compute, memo, alive = Content.get_url_setting, {}, []  # ids are unique only while objects live

    def get_url_setting(self, key: str) -> str:
        if hasattr(self, "override_" + key):
            return compute(self, key)
        value = memo.get((id(self), key))
        if value is None:
            value = memo[(id(self), key)] = compute(self, key)
            alive.append(self)
        return value

    return {(Content, "get_url_setting"): get_url_setting}


def body_tracking(recorder) -> dict:
    """Content.get_content / get_summary record the item in ``recorder.items`` (when it is a set)
    before Pelican's memo answers; a summary cut from the body counts as reading the body."""
    memo_content, memo_summary = Content.__dict__["get_content"], Content.__dict__["get_summary"]

    def get_content(self, siteurl):
        if recorder.items is not None:
            recorder.items.add(self)
        return memo_content.__get__(self, type(self))(siteurl)

    def get_summary(self, siteurl):
        if recorder.items is not None and "summary" not in self.metadata:
            recorder.items.add(self)
        return memo_summary.__get__(self, type(self))(siteurl)

    get_content.cache, get_summary.cache = memo_content.cache, memo_summary.cache
    return {(Content, "get_content"): get_content, (Content, "get_summary"): get_summary}


def clear_content_memos() -> None:
    """Pelican memoises content and summaries per object forever: drop them (the dev loop lets each
    build's objects go)."""
    for name in ("get_content", "get_summary"):
        Content.__dict__[name].cache.clear()


class FastWriter(Writer):
    """Writer.write_file of Pelican 4.12 with a decision before each page is rendered (``wanted``:
    the other render process's page, or one the dev loop keeps), a note of each page written
    (``pages``), and pages replaced, never written through (a recycled output holds hard links)."""

    def __init__(self, output_path, settings, pages, gate=None):
        super().__init__(output_path, settings=settings)
        self.pages, self.gate = pages, gate
        self.shard: Callable[[str], bool] | None = None  # while a sharded generator writes

    def wanted(self, name, template, kwargs) -> bool:
        if self.shard is not None and not self.shard(name):
            return False
        return self.gate is None or not self.gate.keep(name, template, kwargs)

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom", override_output=False, feed_title=None):
        if path and self.shard is not None and not self.shard(path):
            return None
        return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, **kwargs):
        if not name:
            return
        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}
        if not (paginated and template_name in self.settings["PAGINATED_TEMPLATES"]):
            local = self._localcontext(context, name, kwargs, relative_urls)
            return self._write_page(template, context, local, name, override_output, (relative_urls, kwargs))
        per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
        paginators = {key: Paginator(name, url, val, self.settings, per_page) for key, val in paginated.items()}
        for number in range(next(iter(paginators.values())).num_pages):
            page_kwargs = kwargs.copy()
            for key, paginator in paginators.items():
                page = paginator.page(number + 1)
                page_kwargs.update({
                    f"{key}_paginator": paginator, f"{key}_page": page,
                    f"{key}_previous_page": paginator.page(number) if number > 0 else None,
                    f"{key}_next_page": paginator.page(number + 2) if number + 1 < paginator.num_pages else None,
                })
            local = self._localcontext(context, page.save_as, page_kwargs, relative_urls)
            self._write_page(template, context, local, page.save_as, override_output, (relative_urls, page_kwargs))

    @staticmethod
    def _localcontext(context, name, kwargs, relative_urls):
        local = context.copy()
        local["localsiteurl"] = local.get("localsiteurl", None)
        if relative_urls:
            local["SITEURL"] = local["localsiteurl"] = path_to_url(get_relative_path(name))
        local["output_file"] = name
        local.update(kwargs)
        return local

    def _write_page(self, template, context, local, name, override, own_kwargs):
        if local["localsiteurl"]:  # as Pelican, even for a page we skip: later pages see it
            context["localsiteurl"] = local["localsiteurl"]
        if not self.wanted(name, template, own_kwargs):
            return
        with self.gate.tracking(name) if self.gate is not None else contextlib.nullcontext():
            output = template.render(local)
        path = sanitised_join(self.output_path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if path not in self._written_files and path not in self._overridden_files:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
        with self._open_w(path, "utf-8", override=override) as f:
            f.write(output)
        WRITER_LOG.info('Writing "%s"', path)
        if self.pages.probing:
            self.pages.note(path, output)
        signals.content_written.send(path, context=local)


def noting_opens(note: Callable[[str], None]) -> dict:
    """Writer._open_w tells ``note`` every path before Pelican may swap it for os.devnull (a path a
    page's Save_as already overrode); empty on a Pelican the guard was not checked against."""
    if unsupported_reason() is not None:
        return {}
    original = Writer._open_w

    def _open_w(writer, filename, encoding, override=False):
        note(filename)
        return original(writer, filename, encoding, override)

    return {(Writer, "_open_w"): _open_w}


# 3. the run --------------------------------------------------------------------------------------
def start_run(pel) -> tuple[dict, list]:
    """Pelican.run up to the contexts: the shared context, every generator (get_generators is sent
    here), and the output folder cleaned when DELETE_OUTPUT_DIRECTORY asks."""
    context = pel.settings.copy()
    context.update(generated_content={}, static_links=set(), static_content={}, localsiteurl=pel.settings["SITEURL"])
    generators = [cls(context=context, settings=pel.settings, path=pel.path, theme=pel.theme,
                      output_path=pel.output_path) for cls in pel._get_generator_classes()]
    output, source = os.path.realpath(pel.output_path), os.path.realpath(pel.path)
    if pel.delete_outputdir and os.path.commonpath([output]) != os.path.commonpath([output, source]):
        clean_output_dir(pel.output_path, pel.output_retention)
    return context, generators


def generate_contexts(generators: list) -> None:
    """Pelican.run's context phase: every generator reads, then all_generators_finalized."""
    for generator in generators:
        if hasattr(generator, "generate_context"):
            generator.generate_context()
        if hasattr(generator, "check_disabled_readers"):
            generator.check_disabled_readers()
    signals.all_generators_finalized.send(generators)


def refresh_links(generators: list) -> None:
    """Then Pelican.run refreshes the links in formatted metadata (summaries...)."""
    for generator in generators:
        if hasattr(generator, "refresh_metadata_intersite_links"):
            generator.refresh_metadata_intersite_links()


def print_summary(generators: list, started: float) -> None:
    """Pelican.run's closing line."""
    arts = next(g for g in generators if isinstance(g, ArticlesGenerator))
    pages = next(g for g in generators if isinstance(g, PagesGenerator))
    counts = {"article": arts.articles + arts.translations, "draft": arts.drafts + arts.drafts_translations,
              "hidden article": arts.hidden_articles + arts.hidden_translations, "page": pages.pages + pages.translations,
              "hidden page": pages.hidden_pages + pages.hidden_translations,
              "draft page": pages.draft_pages + pages.draft_translations}
    said = [maybe_pluralize(len(items), word, word + "s") for word, items in counts.items()]
    console.print(f"Done: Processed {', '.join(said[:-1])} and {said[-1]} in {time.time() - started:.2f} seconds.")


# 4. Python-Markdown ------------------------------------------------------------------------------
class TriggeredInlineProcessor(InlineProcessor):
    """InlineProcessor whose per-text loop skips patterns that cannot match (same output; the
    triggers are csoa.engine.fastbuild.inline_triggers)."""

    def run(self, tree, ancestors=None):
        registry = self.inlinePatterns
        self._patterns = list(registry)  # the registry sorts on every index: snapshot once a run
        self._needs = [inline_triggers.needs(entry.name, pattern) for entry, pattern in zip(registry._priority, self._patterns)]
        return super().run(tree, ancestors)

    # Overrides InlineProcessor.__handleInline (name-mangled): the same loop, with the skip.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:  # noqa: N802, N803
        if isinstance(data, md_util.AtomicString):
            return data
        patterns, needs, apply = self._patterns, self._needs, self._InlineProcessor__applyPattern
        present = inline_triggers.present(data)  # matches only replace text by placeholders: never add a string
        start, count = 0, len(patterns)
        while patternIndex < count:
            need = needs[patternIndex]
            if need is not None and not need & present:
                patternIndex, start = patternIndex + 1, 0  # what a pattern that does not match returns
                continue
            data, matched, start = apply(patterns[patternIndex], data, patternIndex, start)
            if not matched:
                patternIndex += 1
        return data


def use_triggered_inline(md: markdown.Markdown) -> markdown.Markdown:
    """Give ``md`` the skipping inline pass (in place of its own, same name and priority)."""
    if "inline" in md.treeprocessors and type(md.treeprocessors["inline"]) is InlineProcessor:
        priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
        md.treeprocessors.register(TriggeredInlineProcessor(md), "inline", priority)
    return md


def patch_targets() -> list[tuple[object, str]]:  # every attribute replaced (tests: Pelican's own outside a run)
    return [*reading_patches(None, {}), *fixed_urls(), *body_tracking(None), (Writer, "_open_w")]
