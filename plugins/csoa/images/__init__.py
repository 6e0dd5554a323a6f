"""Responsive image variants and <img> rewriting."""
