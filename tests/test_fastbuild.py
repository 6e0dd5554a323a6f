"""fastbuild: the parallel build writes exactly what plain Pelican writes, and fails like it.

Every test forces the parallel paths (worker pool for reading, forked renderer) on a small fixture
site by lowering the thresholds that normally keep small sites sequential.
"""

import logging
from pathlib import Path

import pytest
from fastbuild_fixtures import fixture_files, tree, tree_differences
from sites import ROOT, build, write_content

from csoa.engine.build import BuildFailed

PARALLEL = {"FASTBUILD_WORKERS": 2, "FASTBUILD_MIN_PARALLEL_READ": 0, "FASTBUILD_MIN_PARALLEL_RENDER": 0}


def build_both(tmp_path, files, settings_file=ROOT / "pelicanconf.py", **extra):
    write_content(tmp_path / "fast", files)
    write_content(tmp_path / "plain", files)
    fast = build(tmp_path / "fast", settings_file=settings_file, **PARALLEL, **extra)
    plain = build(tmp_path / "plain", settings_file=settings_file, FASTBUILD=False, **extra)
    return fast, plain


def test_parallel_build_is_byte_identical_to_plain_pelican(tmp_path):
    fast, plain = build_both(tmp_path, fixture_files())
    assert tree_differences(fast, plain) == []
    assert len(tree(fast)) > 30  # articles, pages, tags, categories, archives, pagination, theme


def test_parallel_build_is_byte_identical_with_publish_settings(tmp_path):
    fast, plain = build_both(tmp_path, fixture_files(), settings_file=ROOT / "publishconf.py")
    assert tree_differences(fast, plain) == []


def test_parallel_build_with_pelican_feeds_is_byte_identical(tmp_path):
    # Pelican's own feeds, beside the feeds plugin's (the output guard refuses two writers of one path)
    feeds = {"FEED_ALL_ATOM": "pelican-feeds/all.atom.xml", "CATEGORY_FEED_ATOM": "pelican-feeds/{slug}.atom.xml",
             "TAG_FEED_RSS": "pelican-feeds/tag-{slug}.rss.xml"}
    fast, plain = build_both(tmp_path, fixture_files(), **feeds)
    assert tree_differences(fast, plain) == []
    assert (fast / "pelican-feeds" / "all.atom.xml").is_file()


def test_both_render_processes_write_pages(tmp_path):
    """The output names split between the two shards, so both processes really rendered pages."""
    from csoa.engine.fastbuild.sharding import shard_of

    fast, _ = build_both(tmp_path, fixture_files())
    names = [k for k in tree(fast) if k.endswith(".html")]
    assert {shard_of(n) for n in names} == {0, 1}


def _name_in_child_shard(prefix="news/"):
    """A slug whose article page the forked child renders (shard 1)."""
    from csoa.engine.fastbuild.sharding import shard_of

    return next(f"child-{i}" for i in range(100) if shard_of(f"{prefix}child-{i}/index.html") == 1)


def _override_article_template(tmp_path, body: str):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "article.html").write_text(body, encoding="utf-8")
    return str(overrides)


def log_an_error(title):
    import os

    logging.getLogger("cso.test").error("cannot render %s in process %s", title, os.getpid())
    return title


def raise_an_error(title):
    raise ValueError(f"template filter failed on {title}")


@pytest.mark.parametrize("action", ["log", "raise"])
def test_errors_in_the_forked_renderer_fail_the_build_and_keep_the_output(tmp_path, action):
    slug = _name_in_child_shard()
    files = fixture_files()
    out = build(tmp_path, files, **PARALLEL)
    before = tree(out)
    write_content(tmp_path, {f"news/{slug}.md": f"Title: Trouble\nSlug: {slug}\nDate: 2016-07-30 09:00 +01:00\nSummary: Trouble.\n\nBody.\n"})
    template = _override_article_template(
        tmp_path, "{% if article.slug == '" + slug + "' %}{{ article.title|trouble }}{% endif %}{{ article.title }}\n"
    )
    from csoa.engine.build import load_settings

    filters = {**load_settings(ROOT / "pelicanconf.py").get("JINJA_FILTERS", {}),
               "trouble": log_an_error if action == "log" else raise_an_error}
    with pytest.raises(BuildFailed) as failure:
        build(tmp_path, THEME_TEMPLATES_OVERRIDES=[template], JINJA_FILTERS=filters, **PARALLEL)
    message = str(failure.value)
    assert ("cannot render Trouble" in message) if action == "log" else ("template filter failed on Trouble" in message), message
    if action == "log":  # the record came from the forked render process, and was replayed here
        import os

        assert int(message.split("in process ")[1].split()[0]) != os.getpid()
    assert tree(out) == before
    from csoa.engine.fastbuild.sharding import shard_of

    assert shard_of(f"news/{slug}/index.html") == 1  # it was the child's page


def _child_processes() -> set[str]:
    from pathlib import Path

    return {pid for task in Path("/proc/self/task").iterdir() for pid in (task / "children").read_text().split()}


def test_a_plugin_generator_failing_while_the_child_renders_fails_the_build_and_stops_the_child(tmp_path):
    """Plugin generators write in the parent while the forked child renders its share: if one
    raises, the child is stopped and reaped, and the output stays as it was."""
    files = {**fixture_files(), "intelligence/asia.md": fixture_files()["intelligence/asia.md"]}
    out = build(tmp_path, files, **PARALLEL)
    before = tree(out)
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "regions.html").write_text("{{ 'x'|trouble }}", encoding="utf-8")  # the regions index
    from csoa.engine.build import load_settings

    filters = {**load_settings(ROOT / "pelicanconf.py").get("JINJA_FILTERS", {}), "trouble": raise_an_error}
    children = _child_processes()
    with pytest.raises(BuildFailed, match="template filter failed on x"):
        build(tmp_path, THEME_TEMPLATES_OVERRIDES=[str(overrides)], JINJA_FILTERS=filters, **PARALLEL)
    assert _child_processes() == children
    assert tree(out) == before


def test_reader_metadata_and_warnings_match_pelicans_markdown_reader(tmp_path, caplog):
    """(The content schema rejects duplicate fields before Pelican reads, so this is checked on the
    reader itself.) The same values, and the same warning from the same logger, as MarkdownReader."""
    from pelican.readers import MarkdownReader
    from sites import settings_for

    from csoa.engine.fastbuild.parse_pool import MarkdownPair
    from csoa.engine.pelican_internals import pelican_metadata

    (tmp_path / "content").mkdir()
    source = tmp_path / "duplicate.md"
    source.write_text("Title: One\nDate: 2016-07-30 09:00 +01:00\nDate: 2016-07-31 09:00 +01:00\n"
                      "Summary: The *alliance*.\nTags: a, b\n\nBody.\n", encoding="utf-8")
    reader = MarkdownReader(settings_for(tmp_path))
    with caplog.at_level(logging.WARNING):  # ours first: Pelican's log filter drops repeated messages
        parsed = MarkdownPair(reader.settings["MARKDOWN"], reader.settings["FORMATTED_FIELDS"]).parse_file(str(source))
        ours = pelican_metadata(reader, parsed.meta, parsed.formatted, str(source))
    duplicates = [r.name for r in caplog.records
                  if "Duplicate definition of `date`" in r.getMessage() and str(source) in r.getMessage()]
    assert duplicates == ["pelican.readers"]
    content, expected = reader.read(str(source))
    assert parsed.content == content
    assert ours == expected


def test_log_records_of_a_reading_worker_are_replayed_in_the_build(tmp_path, caplog):
    """Records a worker logs while parsing (here from a markdown extension) reach the build's log."""
    from csoa.engine.fastbuild import parse_pool

    files = fixture_files()
    files["news/noisy.md"] = "Title: Noisy\nDate: 2016-07-30 09:00 +01:00\nSummary: Noisy.\n\nNOISE here.\n"
    original = parse_pool.MarkdownPair.parse_file

    def noisy_parse(self, path):
        parsed = original(self, path)
        if "NOISE" in parsed.content:
            logging.getLogger("markdown.noise").error("noise in %s (pid %s)", path, __import__("os").getpid())
        return parsed

    parse_pool.MarkdownPair.parse_file = noisy_parse  # inherited by the forked workers
    try:
        with caplog.at_level(logging.WARNING), pytest.raises(BuildFailed) as failure:
            build(tmp_path, files, **PARALLEL)
    finally:
        parse_pool.MarkdownPair.parse_file = original
    assert "noise in" in str(failure.value) and "noisy.md" in str(failure.value)
    worker_pid = int(str(failure.value).split("(pid ")[1].split(")")[0])
    assert worker_pid != __import__("os").getpid()  # it really came from a worker process


def test_a_bad_date_fails_the_parallel_build_naming_the_file(tmp_path):
    files = fixture_files()
    files["news/bad-date.md"] = "Title: Bad\nDate: the day after tomorrow\nSummary: Bad.\n\nBody.\n"
    with pytest.raises(BuildFailed) as failure:
        build(tmp_path, files, **PARALLEL)
    assert "bad-date.md" in str(failure.value)


def test_a_fast_pelican_run_again_picks_up_edits(tmp_path):
    """The same engine object run a second time (as ``pelican --autoreload`` runs one Pelican)."""
    from sites import settings_for

    from csoa.engine.fastbuild.engine import FastPelican
    from csoa.util.session import BuildSession

    write_content(tmp_path, fixture_files())
    session = BuildSession()
    with session.build():
        pelican = FastPelican(settings_for(tmp_path, **PARALLEL), session)
        pelican.run()
    page = tmp_path / "output" / "news" / "news-item-2" / "index.html"
    assert b"Opening paragraph" in page.read_bytes()
    source = tmp_path / "content" / "news" / "item-02.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Opening paragraph", "Edited opening"), encoding="utf-8")
    with session.build():
        pelican.run()
    assert b"Edited opening" in page.read_bytes()
    assert pelican.report.parsed == 1  # the session kept the other files' parse


def test_with_other_threads_running_the_build_still_matches(tmp_path):
    """A live-reload server runs builds beside its own threads: the pool spawns instead of forking
    and rendering stays in-process; the output is the same."""
    import threading

    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        fast, plain = build_both(tmp_path, fixture_files())
    finally:
        stop.set()
        thread.join()
    assert tree_differences(fast, plain) == []


def _generator_with(env):
    from types import SimpleNamespace

    return SimpleNamespace(env=env, settings={"FASTBUILD": True})


def test_templates_are_compiled_once_for_every_generator_with_the_same_options():
    from jinja2 import DictLoader, Environment

    from csoa.engine.fastbuild.template_cache import share_compiled_templates

    source = {"page.html": "{% for x in items %}\n{{ x }}\n{% endfor %}"}
    first, second = Environment(loader=DictLoader(source)), Environment(loader=DictLoader(source))
    other_options = Environment(loader=DictLoader(source), trim_blocks=True)
    caches = {}
    for env in (first, second, other_options):
        share_compiled_templates(_generator_with(env), caches)
    compiled = []
    for env in (first, second, other_options):
        original = env.compile
        env.compile = lambda *a, _original=original, _env=env, **k: compiled.append(_env) or _original(*a, **k)
    rendered = [env.get_template("page.html").render(items=[1, 2]) for env in (first, second, other_options)]
    assert compiled == [first, other_options]  # the second environment reused the first one's code
    assert rendered[0] == rendered[1] == "\n1\n\n2\n" and rendered[2] == "1\n2\n"  # trim_blocks still applies


def test_an_edited_template_source_is_compiled_again():
    from jinja2 import DictLoader, Environment

    from csoa.engine.fastbuild.template_cache import share_compiled_templates

    envs = [Environment(loader=DictLoader({"t.html": text})) for text in ("old {{ a }}", "new {{ a }}")]
    caches = {}
    for env in envs:
        share_compiled_templates(_generator_with(env), caches)
    assert [env.get_template("t.html").render(a=1) for env in envs] == ["old 1", "new 1"]


def test_content_urls_are_computed_once_while_pages_are_written_and_overrides_still_apply():
    import copy
    from datetime import datetime, timezone

    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    import csoa.engine.pelican_internals as pelican_internals

    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(ARTICLE_URL="news/{slug}/", ARTICLE_SAVE_AS="news/{slug}/index.html")
    article = Article("<p>x</p>", {"title": "A", "slug": "a", "date": datetime(2016, 7, 8, tzinfo=timezone.utc)},
                      settings=settings)
    calls = []
    original = Article._expand_settings
    Article._expand_settings = lambda self, key: calls.append(key) or original(self, key)
    try:
        with pelican_internals.patched(pelican_internals.fixed_urls()):
            assert [article.url, article.url, article.save_as] == ["news/a/", "news/a/", "news/a/index.html"]
            assert calls == ["url", "save_as"]  # once each
            article.override_url = "files/a.pdf"  # what Static.attach_to does while a body is rendered
            assert article.url == "files/a.pdf"
            del article.override_url
        article.slug = "b"
        assert article.url == "news/b/"  # outside the writing phase nothing is remembered
    finally:
        Article._expand_settings = original


def test_structure_digest_sees_a_change_to_a_metadata_value_or_to_its_attribute_alone():
    """Metadata values Pelican mirrors onto attributes are digested once; a change to either copy
    alone must still change the digest."""
    import copy
    from datetime import datetime, timezone

    from pelican.contents import Article
    from pelican.settings import DEFAULT_CONFIG

    from csoa.engine.fastbuild.fingerprint import Digester

    def article():
        return Article("<p>x</p>", {"title": "A", "slug": "a", "region": "asia",
                                    "date": datetime(2016, 7, 8, tzinfo=timezone.utc)},
                       settings=copy.deepcopy(DEFAULT_CONFIG))

    same, only_metadata, only_attribute = article(), article(), article()
    only_metadata.metadata["region"] = "west_africa"
    only_attribute.region = "west_africa"
    digests = [Digester().structure(item) for item in (article(), same, only_metadata, only_attribute)]
    assert digests[0] == digests[1]
    assert len({digests[0], digests[2], digests[3]}) == 3


def test_memoised_slugs_and_relative_paths_equal_pelicans_and_are_gone_after_the_run(tmp_path):
    import copy

    import pelican.urlwrappers
    from pelican.contents import Article, Content
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    import csoa.engine.pelican_internals as pelican_internals

    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings["PATH"] = str(tmp_path)
    subs = settings["SLUG_REGEX_SUBSTITUTIONS"]
    names = ["Gulf of Aden", "Côte d'Ivoire", "C++ & <b>bold</b>", "  spaced  "]
    pelicans = pelican.urlwrappers.slugify, vars(Content)["get_relative_source_path"]
    memo = {}
    with pelican_internals.patched(pelican_internals.reading_patches(lambda readers, path: None, memo)):
        assert pelican.urlwrappers.slugify is not pelicans[0]
        for _ in range(2):  # the second round comes from the memo
            assert [pelican.urlwrappers.slugify(n, subs) for n in names] == [slugify(n, subs) for n in names]
            article = Article("x", {"title": "A"}, settings=settings, source_path=str(tmp_path / "news" / "a.md"))
            assert article.get_relative_source_path() == "news/a.md"
            assert article.get_relative_source_path(str(tmp_path / "b" / "c.md")) == "b/c.md"
    assert len(memo) == len(names) + 2
    assert (pelican.urlwrappers.slugify, vars(Content)["get_relative_source_path"]) == pelicans  # Pelican's own again


def test_paginator_pages_digest_by_their_paginator_and_number():
    import copy

    from pelican.paginator import Paginator
    from pelican.settings import DEFAULT_CONFIG

    from csoa.engine.fastbuild.fingerprint import Digester

    settings = copy.deepcopy(DEFAULT_CONFIG)

    def page(items, number, per_page=2):
        paginator = Paginator("tags/x/index.html", "tags/x/", items, settings, per_page)
        paginator.num_pages  # as the writer does before the first page
        return paginator.page(number)

    digest = Digester().digest
    items = ["a", "b", "c", "d", "e"]
    assert digest(page(items, 2)) == digest(page(list(items), 2))
    assert digest(page(items, 2)) != digest(page(items, 3))
    assert digest(page(items, 3)) != digest(page(items[:4] + ["z"], 3))  # another item on a later page
    assert digest(page(items, 1)) != digest(page(items, 1, per_page=3))


def test_membership_lists_answer_in_like_a_list_and_never_go_stale():
    from csoa.engine.fastbuild.membership import MembershipList

    class Item:  # compares by identity, as Pelican's content items do
        pass

    a, b, c = Item(), Item(), Item()
    items = MembershipList([a, b])
    assert a in items and c not in items
    items.append(c)
    assert c in items
    items.remove(a)
    assert a not in items
    items[0] = a  # replaces b
    assert a in items and b not in items
    del items[0]
    items += [b]
    assert b in items and a not in items
    items.clear()
    assert b not in items
    words = MembershipList(["piracy", "cruise"])  # equal, not identical, strings still match
    assert "".join(["pir", "acy"]) in words and "robbery" not in words


def test_the_taxonomy_lists_are_membership_lists_only_when_fastbuild_is_on(tmp_path):
    from pelican import signals

    from csoa.engine.fastbuild.membership import MembershipList

    kinds = {}

    def record(generator):
        kinds[generator.settings.get("FASTBUILD", True)] = {type(v) for v in generator.tags.values()}

    signals.article_generator_finalized.connect(record)
    try:
        build_both(tmp_path, fixture_files())
    finally:
        signals.article_generator_finalized.disconnect(record)
    assert kinds == {True: {MembershipList}, False: {list}}


def test_sources_are_parsed_in_the_pool_while_the_content_is_validated(tmp_path):
    """The pool starts at the beginning of the run, before content validation; the readers then
    take its results (no file is parsed again in the build process)."""
    from csoa.engine.fastbuild import parse_pool
    from csoa.validation import validate

    events = []
    started, validate_tree = parse_pool.ParseJob.__init__, validate.validate_tree
    parse_file = parse_pool.MarkdownPair.parse_file

    def job_started(self, *args, **kwargs):
        events.append("pool started")
        return started(self, *args, **kwargs)

    def validating(*args, **kwargs):
        events.append("validation")
        return validate_tree(*args, **kwargs)

    def parsed_here(self, path):
        events.append("parsed in the build process")
        return parse_file(self, path)

    parse_pool.ParseJob.__init__, validate.validate_tree = job_started, validating
    parse_pool.MarkdownPair.parse_file = parsed_here
    try:
        fast, plain = build_both(tmp_path, fixture_files())
    finally:
        parse_pool.ParseJob.__init__, validate.validate_tree = started, validate_tree
        parse_pool.MarkdownPair.parse_file = parse_file
    assert events[:2] == ["pool started", "validation"]
    assert events.count("pool started") == 1  # the plain build does not use it
    assert "parsed in the build process" not in events  # (the pool's workers are other processes)
    assert tree_differences(fast, plain) == []


def test_parsing_starts_before_pelican_loads_the_plugins_and_the_run_keeps_that_job(tmp_path, monkeypatch):
    """build_site starts the pool before Pelican imports and registers the plugins (~0.4 s on one
    core); the run's own prefetch then keeps that job instead of starting another."""
    import pelican

    from csoa.engine.fastbuild import parse_pool

    events = []
    started, init_plugins = parse_pool.ParseJob.__init__, pelican.Pelican.init_plugins

    def job_started(self, *args, **kwargs):
        events.append("pool started")
        return started(self, *args, **kwargs)

    def loading_plugins(self, *args, **kwargs):
        events.append("plugins loaded")
        return init_plugins(self, *args, **kwargs)

    monkeypatch.setattr(parse_pool.ParseJob, "__init__", job_started)
    monkeypatch.setattr(pelican.Pelican, "init_plugins", loading_plugins)
    write_content(tmp_path, fixture_files())
    out = build(tmp_path, **PARALLEL)
    assert events == ["pool started", "plugins loaded"]  # one job: the run kept it
    plain = build(tmp_path / "plain", fixture_files(), FASTBUILD=False)
    assert tree_differences(out, plain) == []


def test_an_early_start_whose_engine_fails_to_load_its_plugins_is_stopped(tmp_path, monkeypatch):
    import pelican

    from csoa.engine.fastbuild import parse_pool

    jobs = []
    started = parse_pool.ParseJob.__init__

    def job_started(self, *args, **kwargs):
        jobs.append(self)
        return started(self, *args, **kwargs)

    def failing_plugins(self):
        raise RuntimeError("a plugin failed to load")

    monkeypatch.setattr(parse_pool.ParseJob, "__init__", job_started)
    monkeypatch.setattr(pelican.Pelican, "init_plugins", failing_plugins)
    with pytest.raises(BuildFailed, match="a plugin failed to load"):
        build(tmp_path, fixture_files(), **PARALLEL)
    assert len(jobs) == 1 and jobs[0]._pool is None  # started, then terminated


def test_the_command_line_build_freezes_the_heap_before_the_process_exits(tmp_path):
    """build_site_then_exit (invoke build, the benchmark) leaves the interpreter's last collection
    nothing to walk; the site is the same."""
    import subprocess
    import sys

    write_content(tmp_path, fixture_files())
    from sites import site_settings

    overrides = site_settings(tmp_path)
    code = (
        f"import sys, gc, datetime;"
        "from csoa.engine.build import build_site_then_exit;"
        f"build_site_then_exit({str(ROOT / 'pelicanconf.py')!r}, {overrides!r});"
        "print(gc.get_freeze_count())"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert int(done.stdout.split()[-1]) > 10_000
    plain = build(tmp_path / "plain", fixture_files(), FASTBUILD=False)
    assert tree_differences(Path(overrides["OUTPUT_PATH"]), plain) == []


def test_the_search_glob_comes_from_the_pages_the_build_wrote_without_reading_them(tmp_path, monkeypatch):
    """Both render processes note which pages carry data-pagefind-body as they write them; the
    search glob then reads no page the build wrote, and equals the glob made by reading them all."""
    from csoa.search import pagefind_index

    reads = []
    glob_of = pagefind_index.marked_pages_glob
    seen = {}

    def glob_spy(site, should_stop=lambda: False, known=None):
        original_read = Path.read_bytes

        def counting_read(self):
            reads.append(self)
            return original_read(self)

        monkeypatch.setattr(Path, "read_bytes", counting_read)
        try:
            seen["glob"] = glob_of(site, should_stop, known)
        finally:
            monkeypatch.setattr(Path, "read_bytes", original_read)
        seen["read all"] = glob_of(site)
        return seen["glob"]

    monkeypatch.setattr(pagefind_index, "marked_pages_glob", glob_spy)
    out = build(tmp_path, fixture_files(), **PARALLEL)
    assert seen["glob"] == seen["read all"] and "index.html" in seen["glob"]
    assert [p for p in reads if p.suffix == ".html"] == []
    plain = build(tmp_path / "plain", fixture_files(), FASTBUILD=False)
    assert tree_differences(out, plain) == []


def test_a_page_rewritten_after_the_writer_noted_it_is_read_again(tmp_path, monkeypatch):
    """A ``content_written`` handler (in whichever process renders the page) takes the search
    marker out of one page: the build forgets what the writer noted of it, so the glob reads it."""
    from pelican import signals

    from csoa.search import pagefind_index

    def unmark(path, context):
        if path.endswith("news/news-item-3/index.html"):
            page = Path(path)
            page.write_text(page.read_text(encoding="utf-8").replace("data-pagefind-body", "data-x"), encoding="utf-8")

    seen = {}
    glob_of = pagefind_index.marked_pages_glob

    def glob_spy(site, should_stop=lambda: False, known=None):
        seen["known"] = {p.name: known(str(p / "index.html")) for p in (site / "news").iterdir()}
        seen["glob"], seen["read all"] = glob_of(site, should_stop, known), glob_of(site)
        return seen["glob"]

    monkeypatch.setattr(pagefind_index, "marked_pages_glob", glob_spy)
    signals.content_written.connect(unmark)
    try:
        build(tmp_path, fixture_files(), **PARALLEL)
    finally:
        signals.content_written.disconnect(unmark)
    assert seen["known"]["news-item-3"] is None and seen["known"]["news-item-4"] is True
    assert seen["glob"] == seen["read all"] and "news-item-3" not in seen["glob"]


def _markdown_files(folder, count):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(count):
        path = folder / f"item-{number:03d}.md"
        path.write_text(f"Title: Item {number}\nDate: 2016-07-08 09:00 +01:00\n\nBody *{number}*.\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def test_a_prefetch_hands_out_each_file_as_soon_as_its_run_of_files_is_parsed(tmp_path):
    from csoa.engine.fastbuild.parse_pool import ParseJob
    from csoa.engine.fastbuild.reading import reader_markdown_config

    paths = _markdown_files(tmp_path / "news", 100)
    config = reader_markdown_config({"extension_configs": {"markdown.extensions.meta": {}}})
    job = ParseJob(paths, config, ["summary"], workers=2)
    first = job.take(paths[0])
    assert "<em>0</em>" in first.content
    assert job._arrived_chunks == 1 < job._chunks  # only the first run was waited for
    everything = job.result()
    assert list(everything) == paths and "<em>99</em>" in everything[paths[-1]].content
    assert job._pool is None  # all arrived: the pool and its threads are gone


def test_a_file_edited_after_the_prefetch_parsed_it_is_not_served(tmp_path):
    import os

    from csoa.engine.fastbuild.reading import SourceTable, reader_markdown_config

    paths = _markdown_files(tmp_path / "news", 80)
    config = reader_markdown_config({"extension_configs": {"markdown.extensions.meta": {}}})
    table = SourceTable()
    table.prefetch(paths, config, ["summary"], workers=2, min_parallel=10)
    table._job.result()  # parsed before the edit
    with open(paths[5], "a", encoding="utf-8") as handle:
        handle.write("\nEdited.\n")
    os.utime(paths[5], ns=(1, 1))  # a new stamp even on a coarse clock
    table.refresh(paths, config, ["summary"], workers=2, min_parallel=10)
    assert table.get(paths[5]) is None  # Pelican's own reader reads the edited file
    assert "<em>6</em>" in table.get(paths[6]).content
    table.end_arrivals()


def test_articles_are_read_in_sorted_order_so_reading_follows_the_pool(tmp_path, monkeypatch):
    from csoa.engine.fastbuild.reading import MarkdownReading

    asked = []
    original = MarkdownReading.lookup

    def spy(self, readers, path):
        asked.append(path)
        return original(self, readers, path)

    monkeypatch.setattr(MarkdownReading, "lookup", spy)
    fast, plain = build_both(tmp_path, fixture_files())
    news = [p for p in asked if "/news/" in p]
    assert len(news) > 2 and news == sorted(news)
    assert tree_differences(fast, plain) == []


PATCHED_ATTRIBUTES = """
import json, sys
sys.path[:0] = [{tests!r}]
from pelican import signals
import csoa.engine.pelican_internals as pelican_internals
from sites import build
from fastbuild_fixtures import fixture_files

targets = pelican_internals.patch_targets()

def identities():
    return [id(vars(owner).get(name)) for owner, name in targets]

seen = {{"before": identities()}}

def while_writing(generator, content):
    seen.setdefault(("fast" if generator.settings.get("FASTBUILD", True) else "plain") + " while writing", identities())

signals.article_generator_write_article.connect(while_writing)
root = sys.argv[1]
build(__import__("pathlib").Path(root) / "fast", fixture_files(), FASTBUILD_WORKERS=1)
seen["after fast"] = identities()
build(__import__("pathlib").Path(root) / "plain", fixture_files(), FASTBUILD=False)
seen["after plain"] = identities()
print(json.dumps({{"names": [f"{{getattr(o, '__name__', o)}}.{{n}}" for o, n in targets], **seen}}))
"""


def test_plain_builds_run_with_every_patched_pelican_attribute_as_pelican_defines_it(tmp_path):
    """Captured in a fresh process before any build: every attribute a fast run replaces is the
    same object after a fast build, during and after a plain build (and really replaced while the
    fast build writes, or this test would prove nothing). The one exception during a build, plain
    or fast, is the output guard's note on Writer._open_w (the build policy, not fastbuild)."""
    import json
    import subprocess
    import sys

    code = PATCHED_ATTRIBUTES.format(tests=str(ROOT / "tests"))
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    names, before = seen["names"], seen["before"]
    assert {"Readers.get_cached_data", "pelican.urlwrappers.slugify", "Content.get_url_setting",
            "Writer._open_w", "pelican.readers.get_date", "Content.get_content"} <= set(names)
    for moment in ("after fast", "plain while writing", "after plain"):
        differing = {name for name, was, now in zip(names, before, seen[moment]) if was != now}
        assert differing == ({"Writer._open_w"} if moment == "plain while writing" else set()), moment
    replaced = {name for name, was, now in zip(names, before, seen["fast while writing"]) if was != now}
    assert replaced >= {"Readers.get_cached_data", "pelican.urlwrappers.slugify", "Content.get_url_setting"}


def test_on_another_pelican_version_the_build_is_plain_pelican_and_says_why(tmp_path, monkeypatch, caplog):
    from pelican import signals

    import csoa.engine.pelican_internals as pelican_internals

    monkeypatch.setitem(pelican_internals.INSTALLED, "pelican", "4.13.0")
    targets = pelican_internals.patch_targets()
    own = [vars(owner).get(name) for owner, name in targets]
    during = []

    def while_writing(generator, content):
        during.append([vars(owner).get(name) for owner, name in targets])

    signals.article_generator_write_article.connect(while_writing)
    try:
        with caplog.at_level(logging.WARNING):
            fast, plain = build_both(tmp_path, fixture_files())
    finally:
        signals.article_generator_write_article.disconnect(while_writing)
    assert tree_differences(fast, plain) == []
    assert any("fastbuild is off" in r.getMessage() and "pelican 4.13.0 (checked against 4.12.0)" in r.getMessage()
               for r in caplog.records)
    guard = targets.index((__import__("pelican.writers").writers.Writer, "_open_w"))  # the output guard's, in every build
    assert during and all(all(a is b for i, (a, b) in enumerate(zip(seen, own)) if i != guard) for seen in during)
