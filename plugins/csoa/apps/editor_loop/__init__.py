"""The editor's loop (`invoke livereload`): serve output/, rebuild on change, reload the browser,
and show a failed build's errors in the terminal and on the page while the last good site stays
served. Not a Pelican plugin."""
