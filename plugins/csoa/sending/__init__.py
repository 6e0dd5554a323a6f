"""Sending the newsletter: members, the send ledger, SES, rate control, bounces and complaints."""
