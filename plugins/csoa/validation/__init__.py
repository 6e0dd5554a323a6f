"""Validating a whole content tree against the content model, across files (claims, outputs, bodies)."""
