"""Small pieces that several plugins share, below them all (no Pelican, no plugin imports)."""
