"""What an event says to people: display, schema.org JSON-LD, RFC 5545 calendars. No Pelican."""
