"""Files uploaded in the admin, written to a fresh folder for the importer to read.

A zip is checked before anything is unpacked, and again while unpacking: no absolute
paths or `..` (nothing lands outside the folder), no symbolic links, no encrypted
members, and a bounded file count and unpacked size, counting what is really written, so
that a zip bomb stops at the limit. Whatever is refused leaves nothing behind. What the
files hold is the importer's business: it applies the same checks as on the command line.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath

CHUNK = 64 * 1024
WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


class UploadRefused(Exception):
    """The upload is not unpacked; `reason` says why, in words a curator can act on."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass
class Limits:
    max_files: int
    max_unpacked_bytes: int


@dataclass
class _Budget:
    limits: Limits
    files: int = 0
    written: int = 0

    def add_file(self, name):
        self.files += 1
        if self.files > self.limits.max_files:
            raise UploadRefused(f"more than {self.limits.max_files:,} files (at {name})")

    def add_bytes(self, count, name):
        self.written += count
        if self.written > self.limits.max_unpacked_bytes:
            raise UploadRefused(
                f"unpacks to more than {megabytes(self.limits.max_unpacked_bytes)} (at {name})"
            )


def megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):,.0f} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def store_upload(uploads, parent: Path, limits: Limits, importable_suffixes) -> Path:
    """Write the uploaded files (file-like objects with a `.name`) to a new folder below
    `parent`, unpacking zips; returns the folder. Raises UploadRefused, leaving nothing.

    A file chosen alone must be of a kind the importer reads (it would pass over it
    without a word); inside a zip, other files are passed over, as in a folder."""
    parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=parent))
    budget = _Budget(limits)
    try:
        for upload in uploads:
            name = plain_name(upload.name)
            if name.lower().endswith(".zip"):
                unpack_zip(upload, name, folder, budget)
            elif not name.lower().endswith(tuple(importable_suffixes)):  # ".warc.gz": two suffixes
                kinds = ", ".join(sorted({*importable_suffixes, ".zip"}))
                raise UploadRefused(f"{name} is not a kind of file the importer reads ({kinds})")
            else:
                budget.add_file(name)
                _write(upload, folder / name, name, budget)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder


def plain_name(name: str) -> str:
    """The file's own name, without any folder a browser or client put before it."""
    plain = PureWindowsPath(PurePosixPath(name or "").name).name.strip()
    if plain in {"", ".", ".."} or "\x00" in plain:
        raise UploadRefused(f"a file without a usable name ({name!r})")
    return plain


def unpack_zip(upload, name: str, folder: Path, budget: _Budget) -> None:
    try:
        archive = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise UploadRefused(f"{name} is not a readable zip archive (corrupt or truncated: {exc})") from None
    with archive:
        members = [member for member in archive.infolist() if not member.is_dir()]
        for member in archive.infolist():
            check_member(member, name)
        declared = sum(member.file_size for member in members)
        if declared > budget.limits.max_unpacked_bytes - budget.written:
            raise UploadRefused(f"{name} unpacks to more than {megabytes(budget.limits.max_unpacked_bytes)}")
        for member in members:
            budget.add_file(f"{name}: {member.filename}")
            try:
                with archive.open(member) as content:
                    _write(content, folder.joinpath(*member.filename.split("/")), f"{name}: {member.filename}", budget)
            except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError) as exc:
                raise UploadRefused(f"{name}: {member.filename} cannot be unpacked ({exc})") from None


def check_member(member: zipfile.ZipInfo, name: str) -> None:
    """Refuse a member that could write outside the folder or is not a plain file."""
    path = member.filename
    where = f"{name}: {path}"
    if path.startswith(("/", "\\")) or WINDOWS_DRIVE.match(path):
        raise UploadRefused(f"{where}: an absolute path")
    if "\\" in path or ".." in path.split("/") or "\x00" in path:
        raise UploadRefused(f"{where}: a path that leaves the archive's folder")
    if stat.S_ISLNK(member.external_attr >> 16):
        raise UploadRefused(f"{where}: a symbolic link")
    if member.flag_bits & 0x1:
        raise UploadRefused(f"{where}: encrypted")


def _write(content, target: Path, label: str, budget: _Budget) -> None:
    """Copy to a new file (never over one, never through a link), counting every byte."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o640)
    except FileExistsError:
        raise UploadRefused(f"{label}: a second file of that name in this upload") from None
    with os.fdopen(fd, "wb") as out:
        while chunk := content.read(CHUNK):
            budget.add_bytes(len(chunk), label)
            out.write(chunk)
