"""`python -m csoa.apps.editor_loop SETTINGS --port N [--content DIR --output DIR --cache DIR]` (used by invoke and tests)."""

import argparse
import sys
from pathlib import Path

from csoa import PROJECT_ROOT as ROOT
from csoa.apps.editor_loop.server import EditorLoop


def main(argv=None):
    parser = argparse.ArgumentParser(prog="csoa.apps.editor_loop")
    parser.add_argument("settings", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--output", type=Path, default=ROOT / "output")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument("--theme", type=Path, default=ROOT / "theme", help="theme folder (THEME), watched too")
    args = parser.parse_args(argv)
    overrides = {"PATH": str(args.content.resolve())}
    if args.theme.resolve() != (ROOT / "theme").resolve():
        overrides["THEME"] = str(args.theme.resolve())
    if args.cache:
        overrides["CACHE_PATH"] = str(args.cache.resolve())
    loop = EditorLoop(args.settings, args.output.resolve(), [args.content, args.theme], overrides,
                      code=[ROOT / "plugins"])
    loop.serve(args.host, args.port)


if __name__ == "__main__":
    sys.exit(main())
