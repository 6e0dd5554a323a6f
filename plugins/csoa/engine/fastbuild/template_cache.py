"""One compiled copy of each template for every generator of a build, and across dev-loop builds.

Pelican gives every generator its own Jinja environment, so each one parses and compiles the same
templates again (about 0.15 s per generator here). Jinja's bytecode cache is the supported way to
share the compiled code: a bucket is only reused when the template source's checksum matches, and
our key adds the environment options that change the generated code.
"""

from __future__ import annotations

from jinja2 import BytecodeCache


class SharedBytecodeCache(BytecodeCache):
    """In memory, for the build session's life; bounded by the number of distinct template sources."""

    def __init__(self, options: str = ""):
        self._code: dict[str, bytes] = {}
        self._options = options

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name, filename) + "|" + self._options


def environment_options(env) -> str:
    """What changes the code Jinja generates for a source (filters and tests are looked up when the
    template runs, so they are not part of it)."""
    return repr((
        sorted(env.extensions), env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string, env.line_statement_prefix,
        env.line_comment_prefix, env.trim_blocks, env.lstrip_blocks, env.newline_sequence,
        env.keep_trailing_newline, env.optimized, repr(env.autoescape), type(env).__qualname__,
    ))


def share_compiled_templates(generator, caches: dict[str, SharedBytecodeCache]) -> None:
    """``generator_init`` during a fast run: give the generator's environment the cache of its
    options from ``caches`` (the session keeps them, so the dev loop compiles a template once)."""
    options = environment_options(generator.env)
    if options not in caches:
        caches[options] = SharedBytecodeCache(options)
    generator.env.bytecode_cache = caches[options]
