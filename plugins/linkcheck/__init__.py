"""Internal link checking of a built site (`invoke linkcheck`). Not a Pelican plugin."""
