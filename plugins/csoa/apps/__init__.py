"""Applications on top of the build: check, publish, send, the editor's loop, the daily run."""
