"""Pagefind over a built site."""
