"""Small generic helpers below everything (walking a folder)."""
