"""members-sync: read unsubscribes and topic choices back from the SES contact list, then push members.

Topics: one for the newsletter, one per region (members choose regions on SES's preference page too),
named region-<slug> and shown with the region's label, both from the settings' REGION_TABLE.
Reading back first means an unsubscribe made at SES is never overwritten by a push.
"""

from __future__ import annotations

from dataclasses import dataclass

from csoa.sending.members import iter_members

NEWSLETTER_TOPIC = "newsletter"


def region_topic(region: str, slugs: dict | None = None) -> str:
    """SES topic of a region: region-<slug>; without the table's slugs, the key with hyphens."""
    return f"region-{(slugs or {}).get(region, region.replace('_', '-'))}"


@dataclass
class SyncReport:
    unsubscribed: int = 0
    regions_changed: int = 0
    created: int = 0
    updated: int = 0

    def summary(self) -> str:
        return (f"read back: {self.unsubscribed} unsubscribed, {self.regions_changed} changed regions; "
                f"pushed: {self.created} created, {self.updated} updated")


def ensure_contact_list(sesv2, name: str, regions: dict, slugs: dict | None = None) -> None:
    """The contact list with one topic per region; a list made before a region was added gets it."""
    topics = [{"TopicName": NEWSLETTER_TOPIC, "DisplayName": "Member newsletter",
               "Description": "The CSO Alliance newsletter", "DefaultSubscriptionStatus": "OPT_IN"}]
    topics += [{"TopicName": region_topic(k, slugs), "DisplayName": f"Regional intelligence: {v}",
                "Description": f"Regional intelligence for {v}", "DefaultSubscriptionStatus": "OPT_OUT"}
               for k, v in regions.items()]
    try:
        existing = sesv2.get_contact_list(ContactListName=name)
    except sesv2.exceptions.NotFoundException:
        sesv2.create_contact_list(ContactListName=name, Topics=topics)
        return
    if _topic_names(existing.get("Topics", [])) != _topic_names(topics):
        sesv2.update_contact_list(ContactListName=name, Topics=topics)


def _topic_names(topics) -> list[tuple[str, str]]:
    return sorted((t["TopicName"], t["DisplayName"]) for t in topics)


def _all_contacts(sesv2, name: str):
    kwargs = {"ContactListName": name, "PageSize": 1000}
    while True:
        page = sesv2.list_contacts(**kwargs)
        yield from page.get("Contacts", [])
        if not page.get("NextToken"):
            return
        kwargs["NextToken"] = page["NextToken"]


def _prefs(regions_chosen, regions: dict, subscribed: bool, slugs: dict | None = None) -> list[dict]:
    prefs = [{"TopicName": NEWSLETTER_TOPIC, "SubscriptionStatus": "OPT_IN" if subscribed else "OPT_OUT"}]
    prefs += [{"TopicName": region_topic(r, slugs), "SubscriptionStatus": "OPT_IN" if r in regions_chosen else "OPT_OUT"}
              for r in regions]
    return prefs


def sync_members(conn, sesv2, contact_list: str, regions: dict, slugs: dict | None = None) -> SyncReport:
    report = SyncReport()
    ensure_contact_list(sesv2, contact_list, regions, slugs)
    remote = {c["EmailAddress"].lower(): c for c in _all_contacts(sesv2, contact_list)}
    topic_to_region = {region_topic(r, slugs): r for r in regions}
    local = {m.email.lower(): m for m in iter_members(conn)}
    conn.execute("BEGIN IMMEDIATE")
    for key, contact in remote.items():
        member = local.get(key)
        if member is None:
            continue
        prefs = {p["TopicName"]: p["SubscriptionStatus"] for p in contact.get("TopicPreferences", [])}
        if member.status == "subscribed" and (contact.get("UnsubscribeAll") or prefs.get(NEWSLETTER_TOPIC) == "OPT_OUT"):
            conn.execute("UPDATE members SET status='unsubscribed' WHERE email=?", (member.email,))
            report.unsubscribed += 1
        chosen = tuple(r for t, r in topic_to_region.items() if prefs.get(t) == "OPT_IN")
        if set(chosen) != set(member.regions) and any(t in prefs for t in topic_to_region):
            conn.execute("UPDATE members SET regions=? WHERE email=?", (" ".join(chosen), member.email))
            report.regions_changed += 1
    conn.execute("COMMIT")
    for member in iter_members(conn):
        prefs = _prefs(member.regions, regions, member.status == "subscribed", slugs)
        contact = remote.get(member.email.lower())
        if contact is None:
            sesv2.create_contact(ContactListName=contact_list, EmailAddress=member.email, TopicPreferences=prefs,
                                 UnsubscribeAll=member.status != "subscribed")
            report.created += 1
        elif sorted(contact.get("TopicPreferences", []), key=lambda p: p["TopicName"]) != sorted(prefs, key=lambda p: p["TopicName"]):
            sesv2.update_contact(ContactListName=contact_list, EmailAddress=member.email, TopicPreferences=prefs,
                                 UnsubscribeAll=member.status != "subscribed" or bool(contact.get("UnsubscribeAll")))
            report.updated += 1
    return report
