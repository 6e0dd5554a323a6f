"""What an email needs to know of the site, read from the settings: its name, public address and contact
details, and where the email templates are. Shared by the Pelican plugin that writes the archive and
the send, which need not load Pelican's generators (or the chart renderer) to render an edition."""

from __future__ import annotations

import os


def site_info(settings: dict) -> dict:
    return {"sitename": settings["SITENAME"], "siteurl": settings["PUBLIC_SITEURL"].rstrip("/"),
            "contact_address": settings.get("CONTACT_ADDRESS", ""), "contact_email": settings.get("CONTACT_EMAIL", "")}


def email_template_dir(settings: dict) -> str:
    return settings.get("NEWSLETTER_EMAIL_TEMPLATES") or os.path.join(settings["THEME"], "email")
