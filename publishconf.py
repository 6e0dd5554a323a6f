"""Production settings: absolute URLs and no drafts. Used by `invoke preview` and `invoke publish`."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = PUBLIC_SITEURL  # noqa: F405
RELATIVE_URLS = False
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""
