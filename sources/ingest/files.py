"""Which files an import reads, and the name each is known by across imports.

A file's identity is its path relative to the folder given (a file given directly: its
name), so that `a/article.txt` and `b/article.txt` are two files. Symbolic links are never
followed: one inside an import folder could publish any file the importer can read
(`ln -s /etc/passwd key.txt`). Only regular files are read; anything else (FIFOs, devices,
sockets) is refused with that reason before it is opened, so nothing can block the import.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

SYMBOLIC_LINK = "symbolic link"
NOT_REGULAR = "not a regular file"
NO_SUCH_FILE = "no such file or folder"


@dataclass(frozen=True)
class ImportFile(os.PathLike):
    """A file to import: opened through `path`, stored under `name` (its identity)."""

    path: Path
    name: str

    def __fspath__(self):
        return os.fspath(self.path)

    def __str__(self):
        return str(self.path)


@dataclass(frozen=True)
class Refusal:
    """A path given or found that is not read. `skipped`: by policy (a symbolic link inside
    a folder), not an error of the import."""

    path: str
    reason: str
    skipped: bool = False


def find_files(paths, suffixes) -> tuple[list[ImportFile], list[Refusal]]:
    """The files to import below `paths` (files or folders), and what was refused."""
    files: list[ImportFile] = []
    refused: list[Refusal] = []
    for raw in paths:
        path = Path(raw)
        kind = _kind(path)
        if kind == "folder":
            _walk(path, path, suffixes, files, refused)
        elif kind == "file":
            files.append(ImportFile(path, path.name))
        else:
            refused.append(Refusal(str(path), kind))
    return _first_of_each_name(files, refused), refused


def _kind(path: Path) -> str:
    """"file", "folder", or why the path is not read. lstat: a link is never followed."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return NO_SUCH_FILE
    except OSError as exc:
        return exc.strerror or type(exc).__name__
    if stat.S_ISLNK(mode):
        return SYMBOLIC_LINK
    if stat.S_ISDIR(mode):
        return "folder"
    if stat.S_ISREG(mode):
        return "file"
    return NOT_REGULAR


def _walk(root: Path, folder: Path, suffixes, files, refused) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        refused.append(Refusal(str(folder), exc.strerror or type(exc).__name__))
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.is_symlink():
            refused.append(Refusal(str(path), SYMBOLIC_LINK, skipped=True))
        elif entry.is_dir(follow_symlinks=False):
            _walk(root, path, suffixes, files, refused)
        elif not path.name.lower().endswith(tuple(suffixes)):  # ".warc.gz" is two suffixes
            continue  # not an article: pictures, style sheets and the like beside saved pages
        elif entry.is_file(follow_symlinks=False):
            files.append(ImportFile(path, path.relative_to(root).as_posix()))
        else:
            refused.append(Refusal(str(path), NOT_REGULAR))


def _first_of_each_name(files, refused):
    """Two folders given together can hold the same relative path: the later file would
    update the earlier one's articles, so it is refused instead."""
    first: dict[str, ImportFile] = {}
    kept = []
    for file in files:
        earlier = first.setdefault(file.name, file)
        if earlier is file:
            kept.append(file)
        elif os.path.samefile(earlier.path, file.path):
            continue  # the same file given twice (a folder and a file in it)
        else:
            refused.append(Refusal(str(file), f"same name ({file.name}) as {earlier}: import their common parent folder instead"))
    return kept
