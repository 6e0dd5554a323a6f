"""RSS 2.0 and Atom 1.0 documents from plain item data (feedgen), absolute URLs, the feed catalogue."""
