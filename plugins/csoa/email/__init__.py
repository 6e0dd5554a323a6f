"""The newsletter as an email: composing an issue as of its date, rendering it (MJML), its text part,
the message SES receives, and the record of a sent issue."""
