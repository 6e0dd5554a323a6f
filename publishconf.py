"""Production settings: absolute URLs and no drafts. Used by `invoke preview` and `invoke publish`."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))

from pelicanconf import *  # noqa: E402,F401,F403

SITEURL = PUBLIC_SITEURL  # noqa: F405
RELATIVE_URLS = False
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# Deploy target (invoke publish). Region and credentials come only from the standard AWS chain
# (AWS_PROFILE, AWS_ACCESS_KEY_ID..., instance role); AWS_ENDPOINT_URL points boto3 elsewhere (tests).
# The CloudFront distribution's origin path is the prefix, so invalidation paths are site paths.
SITE_BUCKET = os.environ.get("SITE_BUCKET", "www.csoalliance.com")
SITE_PREFIX = os.environ.get("SITE_PREFIX", "")
CLOUDFRONT_DISTRIBUTION_ID = os.environ.get("CLOUDFRONT_DISTRIBUTION_ID", "")
PUBLISH_MAX_DELETE_SHARE = 0.2  # refuse to delete more than this share of the bucket without --force-delete
