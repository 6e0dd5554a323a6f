"""`invoke check`, newsletter part: warn when a sent issue, composed now, would differ from what was sent.

The archive keeps showing the record either way; the warning tells the editor that an edit, an import
or a template change since the send is not (and will not be) in the sent issue. Needs the site's
articles, events and figures, so it runs every generator's context (reading only, writing nothing),
and only when some issue has a record.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from csoa.sending.sent_issue import SUFFIX, sent_folder


def sent_issue_changes(settings: dict) -> dict[str, list[str]]:
    """Slug -> how composing that sent issue now would differ from its record ({} without records)."""
    folder = sent_folder(settings)
    if not any(folder.glob(f"*{SUFFIX}")):
        return {}
    from csoa.engine.context_only import generators_with_context

    with tempfile.TemporaryDirectory(prefix="newsletter-check-") as scratch:
        generators = generators_with_context(settings, scratch)
        # the newsletter plugin's generator, asked by what it offers (an app names no plugin module)
        newsletter = next(g for g in generators if hasattr(g, "sent_differences"))
        return newsletter.sent_differences()


def run_sent_check(settings_file: str | Path, out=sys.stdout) -> int:
    """Print one warning per sent issue that would now differ; warnings never fail the check (0)."""
    from csoa.engine.build import load_settings

    settings = load_settings(settings_file)
    for slug, changes in sorted(sent_issue_changes(settings).items()):
        print(f"warning: newsletter {slug} was sent; its archive shows it as sent "
              f"({settings.get('NEWSLETTER_PATH', 'newsletters')}/{slug}{SUFFIX}), "
              f"but composed now it would differ:", file=out)
        for change in changes:
            print(f"  - {change}", file=out)
    return 0
