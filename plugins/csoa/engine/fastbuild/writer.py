"""FastWriter: Pelican's Writer.write_file, with one decision point before each page is rendered.

``write_file`` below follows Pelican 4.12's line by line (pagination included); the only addition
is ``_wanted``: a page is skipped when another process renders it (sharding.ForkedRender) or when
the dev loop knows its output is unchanged (render_skip.RenderGate); and each written page is noted
in the build's page ledger (page_probes) when a plugin watches for a string.
"""

from __future__ import annotations

import contextlib
import logging
import os

from pelican import signals
from pelican.paginator import Paginator
from pelican.utils import get_relative_path, path_to_url, sanitised_join
from pelican.writers import Writer

from csoa.engine.fastbuild import page_probes
from csoa.engine.fastbuild import session as sessions

logger = logging.getLogger("pelican.writers")  # the same records as Pelican's writer


class FastWriter(Writer):
    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        self.shard_filter = None  # set while a sharded generator writes: name -> bool
        session = sessions.current()
        if session.persistent and session.generators:  # the dev loop: skip unchanged pages
            from csoa.engine.fastbuild.render_skip import RenderGate

            session.gate = RenderGate(session.outputs, session.generators[0].context, session.previous_output,
                                      output_path)
        self.gate = session.gate
        if self.gate is None:
            from csoa.engine.fastbuild.sharding import maybe_fork_renderer

            maybe_fork_renderer(self, session)

    def _wanted(self, name, template, kwargs) -> bool:
        if self.shard_filter is not None and not self.shard_filter(name):
            return False
        if self.gate is not None and self.gate.keep(name, template, kwargs):
            return False
        return True

    def write_feed(self, elements, context, path=None, url=None, feed_type="atom", override_output=False,
                   feed_title=None):
        """Pelican's feeds: written by one of the two render processes only."""
        if path and self.shard_filter is not None and not self.shard_filter(path):
            return None
        return super().write_feed(elements, context, path, url, feed_type, override_output, feed_title)

    def write_file(self, name, template, context, relative_urls=False, paginated=None,
                   template_name=None, override_output=False, url=None, **kwargs):
        if name is False or name == "":
            return
        elif not name:
            return

        def _write_file(template, localcontext, output_path, name, override, own_kwargs):
            if localcontext["localsiteurl"]:  # as Pelican, even for a page we skip: later pages see it
                context["localsiteurl"] = localcontext["localsiteurl"]
            if not self._wanted(name, template, own_kwargs):
                return
            tracking = self.gate.tracking(name) if self.gate is not None else contextlib.nullcontext()
            with tracking:
                output = template.render(localcontext)
            path = sanitised_join(output_path, name)

            os.makedirs(os.path.dirname(path), exist_ok=True)
            if path not in self._written_files and path not in self._overridden_files:
                # a recycled dev-loop output may hold a hard link of the live page here: never write
                # through it, replace it (Pelican writes in place)
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)

            with self._open_w(path, "utf-8", override=override) as f:
                f.write(output)
            logger.info('Writing "%s"', path)
            written = page_probes.stamp_of(path) if page_probes.watching() else None
            signals.content_written.send(path, context=localcontext)
            if written is not None:
                sessions.current().ledger.note(path, output, written)

        def _get_localcontext(context, name, kwargs, relative_urls):
            localcontext = context.copy()
            localcontext["localsiteurl"] = localcontext.get("localsiteurl", None)
            if relative_urls:
                relative_url = path_to_url(get_relative_path(name))
                localcontext["SITEURL"] = relative_url
                localcontext["localsiteurl"] = relative_url
            localcontext["output_file"] = name
            localcontext.update(kwargs)
            return localcontext

        if paginated is None:
            paginated = {key: val for key, val in kwargs.items() if key in {"articles", "dates"}}

        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
            paginators = {key: Paginator(name, url, val, self.settings, per_page) for key, val in paginated.items()}
            for page_num in range(next(iter(paginators.values())).num_pages):
                paginated_kwargs = kwargs.copy()
                for key, paginator in paginators.items():
                    previous_page = paginator.page(page_num) if page_num > 0 else None
                    page = paginator.page(page_num + 1)
                    next_page = paginator.page(page_num + 2) if page_num + 1 < paginator.num_pages else None
                    paginated_kwargs.update(
                        {
                            f"{key}_paginator": paginator,
                            f"{key}_page": page,
                            f"{key}_previous_page": previous_page,
                            f"{key}_next_page": next_page,
                        }
                    )
                localcontext = _get_localcontext(context, page.save_as, paginated_kwargs, relative_urls)
                _write_file(template, localcontext, self.output_path, page.save_as, override_output,
                            (relative_urls, paginated_kwargs))
        else:
            localcontext = _get_localcontext(context, name, kwargs, relative_urls)
            _write_file(template, localcontext, self.output_path, name, override_output, (relative_urls, kwargs))
