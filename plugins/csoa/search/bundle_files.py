"""Keeping a Pagefind bundle folder equal to the last index written into it. Plain Python.

Pagefind names its data files by their content's hash (fragments, index chunks, filters and the
meta file) and skips writing a file whose name exists, so writing a changed index into the folder of
the previous one writes only the changed files -- and leaves the previous ones behind. What is still
in use is what the entry file (``pagefind-entry.json``: each language's meta file) and the meta
files list: ``prune_stale`` reads them and deletes the rest, so the folder holds exactly what writing
into an empty folder gives. ``publish`` then brings a served copy of the bundle up to date, copying
only the files that differ, in an order that never lets a reader see a file list naming a missing
file.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import tempfile
from pathlib import Path

ENTRY = "pagefind-entry.json"
DATA_FOLDERS = ("fragment", "index", "filter")  # files named by their content's hash
META_MAGIC = b"pagefind_dcd"  # what Pagefind puts before the CBOR of each compressed data file


class BundleUnreadable(Exception):
    """The bundle's entry or meta file is not what this module reads (another Pagefind version?)."""


def bundle_files(bundle: Path) -> set[str]:
    """The relative names (posix) of the files in a bundle folder."""
    found = set()
    for folder, _dirs, names in os.walk(bundle):
        prefix = os.path.relpath(folder, bundle).replace(os.sep, "/")
        found |= {name if prefix == "." else f"{prefix}/{name}" for name in names}
    return found


def named_by_hash(name: str) -> bool:
    return name.split("/", 1)[0] in DATA_FOLDERS or name.endswith(".pf_meta")


def files_in_use(bundle: Path) -> set[str]:
    """The hash-named files the bundle's entry file leads to: each language's meta file and the
    fragments, index chunks and filters it names."""
    try:
        entry = json.loads((bundle / ENTRY).read_text(encoding="utf-8"))
        metas = [f"pagefind.{language['hash']}.pf_meta" for language in entry["languages"].values()]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BundleUnreadable(f"{bundle / ENTRY}: {error}") from error
    in_use = set(metas)
    for meta in metas:
        try:
            data = gzip.decompress((bundle / meta).read_bytes())
        except (OSError, EOFError) as error:
            raise BundleUnreadable(f"{bundle / meta}: {error}") from error
        if not data.startswith(META_MAGIC):
            raise BundleUnreadable(f"{bundle / meta}: does not start with {META_MAGIC!r}")
        try:
            named = cbor_texts(data, len(META_MAGIC))
        except (IndexError, UnicodeDecodeError) as error:
            raise BundleUnreadable(f"{bundle / meta}: {error!r}") from error
        in_use |= {f"{folder}/{text}.pf_{folder}" for text in named for folder in DATA_FOLDERS}
    return in_use


def prune_stale(bundle: Path) -> int:
    """Delete the hash-named files no longer in use (and folders left empty); returns how many."""
    in_use = files_in_use(bundle)
    stale = [name for name in bundle_files(bundle) if named_by_hash(name) and name not in in_use]
    for name in stale:
        os.unlink(bundle / name)
    for folder in DATA_FOLDERS:
        path = bundle / folder
        if path.is_dir() and not any(os.scandir(path)):
            path.rmdir()
    return len(stale)


def publish(bundle: Path, served: Path) -> int:
    """Make ``served`` a copy of ``bundle``; returns the number of files copied. New hash-named files
    go first, then the other files (the entry file, which names the new meta file, last; each
    replaced by a rename, never rewritten in place), then the files no longer in use go."""
    if not served.is_dir():
        _copy_whole(bundle, served)
        return len(bundle_files(bundle))
    wanted, present = bundle_files(bundle), bundle_files(served)
    new_data = sorted(name for name in wanted - present if named_by_hash(name))
    new_data.sort(key=lambda name: name.endswith(".pf_meta"))  # the meta file after what it names
    others = sorted(name for name in wanted if not named_by_hash(name) and _differs(bundle / name, served / name))
    others.sort(key=lambda name: name == ENTRY)
    for name in new_data + others:
        _copy_file(bundle / name, served / name)
    for name in present - wanted:
        os.unlink(served / name)
    for folder in DATA_FOLDERS:
        if not (bundle / folder).is_dir() and (served / folder).is_dir():
            shutil.rmtree(served / folder)
    return len(new_data) + len(others)


def _differs(a: Path, b: Path) -> bool:
    try:
        return a.stat().st_size != b.stat().st_size or a.read_bytes() != b.read_bytes()
    except FileNotFoundError:
        return True


def _copy_file(source: Path, target: Path) -> None:
    """Copy through a temporary name and a rename: a copy cut short never carries a hash name."""
    target.parent.mkdir(exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".partial-", dir=target.parent)
    os.close(handle)
    try:
        shutil.copyfile(source, temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def _copy_whole(bundle: Path, served: Path) -> None:
    temporary = Path(tempfile.mkdtemp(prefix=f".{served.name}-new-", dir=served.parent))
    try:
        shutil.copytree(bundle, temporary, dirs_exist_ok=True, copy_function=shutil.copyfile)
        os.chmod(temporary, 0o755)
        os.rename(temporary, served)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def cbor_texts(data: bytes, start: int = 0) -> set[str]:
    """Every text string in one CBOR item (definite lengths, as Pagefind's minicbor writes)."""
    texts, position, items = set(), start, 1
    while items:
        items -= 1
        head = data[position]
        major, info = head >> 5, head & 31
        position += 1
        if info < 24:
            argument = info
        elif info <= 27:
            size = 1 << (info - 24)
            argument = int.from_bytes(data[position:position + size], "big")
            position += size
        else:
            raise BundleUnreadable(f"CBOR item with indefinite length or reserved code {head:#x} at {position - 1}")
        if major == 3:
            texts.add(data[position:position + argument].decode("utf-8"))
        if major in (2, 3):
            position += argument
        elif major == 4:
            items += argument
        elif major == 5:
            items += 2 * argument
        elif major == 6:
            items += 1
    return texts
