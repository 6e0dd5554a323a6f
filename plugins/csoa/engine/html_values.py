"""Metadata is text: the site's templates escape every value they print (JINJA_ENVIRONMENT has
``autoescape``), except values that are HTML by construction. Of what Pelican hands the templates,
those are the ``content`` of an item (its body, rendered from markdown) and its ``summary``: cut from
that body, or made by ``summary_field_as_html`` from a ``Summary:`` field, which is text (pelicanconf
sets FORMATTED_FIELDS to [] so that markdown never reads it as markup).

Plugins mark their own HTML values (an SVG, serialised JSON-LD) with markupsafe.Markup where they
make them; templates need no ``|e`` and, for these values, no ``|safe``.
"""

from __future__ import annotations

from html import escape

from jinja2.ext import Extension
from markupsafe import Markup
from pelican.contents import Content

HTML_ATTRIBUTES = frozenset({"content", "summary"})


class HtmlSummary(str):
    """A ``Summary:`` field turned into HTML: a paragraph of the escaped text. A str everywhere in
    Python (its operations return plain str, unlike Markup's), HTML to Jinja through ``__html__``."""

    __slots__ = ()

    def __html__(self) -> str:
        return str(self)


def summary_field_as_html(content) -> None:
    """``content_object_init`` handler: the ``Summary:`` text as the paragraph of HTML that Pelican's
    ``summary`` stands for elsewhere (feeds, the newsletter, the events' descriptions read it as HTML).
    Markdown made the same ``<p>`` of the same text, but also ran any markup the text held."""
    text = content.metadata.get("summary")
    if text is None or isinstance(text, HtmlSummary) or "summary" in content.settings.get("FORMATTED_FIELDS", ()):
        return  # none, done already, or markdown made it HTML (settings other than pelicanconf's)
    if isinstance(text, list):  # continuation lines: Pelican joined them with newlines for markdown
        text = "\n".join(text)
    html = HtmlSummary(f"<p>{escape(str(text), quote=False)}</p>")  # a text node: quotes need no escaping
    content.metadata["summary"] = html
    content._summary = html


class PelicanHtml(Extension):
    """Listed in JINJA_ENVIRONMENT's extensions: in templates, ``item.content`` and a summary cut from
    it are Markup. A Summary: field not turned into HTML (a build without theme_support) stays text."""

    def __init__(self, environment):
        super().__init__(environment)
        plain_getattr = environment.getattr

        def getattr_marking_html(obj, attribute):
            value = plain_getattr(obj, attribute)
            if attribute in HTML_ATTRIBUTES and type(value) is str and isinstance(obj, Content):
                if attribute == "content" or "summary" not in obj.metadata:
                    return Markup(value)
            return value

        environment.getattr = getattr_marking_html
