"""Limits on what an uploaded ZIP (DOCX, XLSX, PPTX, ODT, ODS) may unpack to, for every path that opens one.

``SafeZip`` refuses a zip bomb from its directory, before anything is unpacked, and reads a member
only in small steps up to its declared size, so a directory that lies gains nothing. The limits are
the ``ZIP_MAX_*`` settings (defaults below); a caller may only tighten the total (docs/security.md).
"""

from __future__ import annotations

import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

from django.conf import settings
from django.template.defaultfilters import filesizeformat

MB = 1024 * 1024
#: all members together, unpacked: room for a workbook of results per TPS of a few tens of MB
DEFAULT_MAX_UNPACKED_SIZE = 256 * MB
#: unpacked:packed of one member: above what sheets, Word tables and even pages of identical blank form
#: rows pack to, well below zeros (what bombs are made of, packed about a thousand times)
DEFAULT_MAX_RATIO = 200
#: what the site reads of one member into memory (the OOXML and ODF declarations are a few KB)
DEFAULT_MAX_READ_SIZE = 1 * MB
#: office files have tens or hundreds of parts; each entry costs memory as soon as the ZIP is opened
DEFAULT_MAX_MEMBERS = 10_000
#: members smaller than this are not held to the ratio (a few KB of repeated XML packs very tightly)
RATIO_GRACE_SIZE = 1 * MB
#: the step in which a member is inflated (bytes out) and its stored bytes read (bytes in)
STEP = 64 * 1024

_LOCAL_HEADER = struct.Struct("<4s22xHH")  # signature, ..., name length, extra field length
_LOCAL_SIGNATURE = b"PK\x03\x04"
_DIRECTORY_SIGNATURE = b"PK\x01\x02"


class ZipRefused(Exception):
    """An archive over a limit. ``reason`` is Indonesian and reads after 'Berkas "x" '."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ZipLimits:
    unpacked: int
    ratio: int
    read: int
    members: int

    @classmethod
    def from_settings(cls, unpacked: int | None = None) -> ZipLimits:
        """The configured limits; ``unpacked`` tightens the total for one caller, never loosens it."""
        total = getattr(settings, "ZIP_MAX_UNPACKED_SIZE", DEFAULT_MAX_UNPACKED_SIZE)
        return cls(
            unpacked=min(total, unpacked) if unpacked is not None else total,
            ratio=getattr(settings, "ZIP_MAX_RATIO", DEFAULT_MAX_RATIO),
            read=getattr(settings, "ZIP_MAX_READ_SIZE", DEFAULT_MAX_READ_SIZE),
            members=getattr(settings, "ZIP_MAX_MEMBERS", DEFAULT_MAX_MEMBERS),
        )


def _megabytes(size: int) -> str:
    return f"{size // MB} MB" if size >= MB else filesizeformat(size)


def _count_directory_entries(file: IO[bytes], stop_after: int) -> int:
    """How many central directory signatures the file holds, up to ``stop_after``: zipfile checks that
    signature on every entry it parses, so no archive it opens has more entries than this."""
    file.seek(0)
    count, tail = 0, b""
    while count <= stop_after and (block := file.read(MB)):
        window = tail + block
        count += window.count(_DIRECTORY_SIGNATURE)
        tail = window[-3:]  # a signature cut in two by the block boundary; whole ones are not counted twice
    return count


class SafeZip:
    """A ZIP within ``limits``, opened from a seekable binary file; members read only by ``read``,
    ``iter_member`` or ``copy``. Raises ``ZipRefused`` (over a limit) or ``zipfile.BadZipFile``."""

    def __init__(self, file: IO[bytes], limits: ZipLimits | None = None):
        self.file = file
        self.limits = limits or ZipLimits.from_settings()
        if _count_directory_entries(file, self.limits.members) > self.limits.members:
            raise self._too_many_members()
        file.seek(0)
        self.archive = zipfile.ZipFile(file)
        self.members = self.archive.infolist()
        try:
            self._check_directory()
        except ZipRefused:
            self.close()
            raise

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self.archive.close()  # a file passed in stays open, as zipfile leaves it

    def namelist(self) -> list[str]:
        return [info.filename for info in self.members]

    def _too_many_members(self) -> ZipRefused:
        members = f"{self.limits.members:,}".replace(",", ".")
        return ZipRefused(f"terdiri atas terlalu banyak bagian (lebih dari {members})")

    def _check_directory(self) -> None:
        limits = self.limits
        if sum(info.file_size for info in self.members) > limits.unpacked:
            raise ZipRefused(f"terlalu besar setelah dibuka (lebih dari {_megabytes(limits.unpacked)} isi)")
        for info in self.members:
            packed_tightly = info.file_size > limits.ratio * max(info.compress_size, 1)
            if info.file_size > RATIO_GRACE_SIZE and packed_tightly:
                raise ZipRefused(
                    f"mengembang lebih dari {limits.ratio} kali lipat saat dibuka (bagian “{info.filename}”: "
                    f"{filesizeformat(info.compress_size)} menjadi {filesizeformat(info.file_size)})"
                )

    # --- reading ---------------------------------------------------------------------------------
    def _stored_bytes(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The member's bytes as stored (packed), in steps; at most the packed size its entry declares."""
        self.file.seek(info.header_offset)
        header = self.file.read(_LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL_SIGNATURE:
            raise zipfile.BadZipFile(f"bagian {info.filename} rusak")
        _signature, name_length, extra_length = _LOCAL_HEADER.unpack(header)
        position = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
        left = info.compress_size
        while left > 0:
            self.file.seek(position)
            block = self.file.read(min(STEP, left))
            if not block:
                raise zipfile.BadZipFile(f"bagian {info.filename} terpotong")
            position += len(block)
            left -= len(block)
            yield block

    def iter_member(self, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The member unpacked, in steps of at most ``STEP`` bytes, never more than its declared size."""
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ZipRefused(
                f"memuat bagian “{info.filename}” yang terkunci atau dipadatkan dengan cara yang tidak "
                "dikenal"
            )
        inflater = zlib.decompressobj(-zlib.MAX_WBITS) if info.compress_type == zipfile.ZIP_DEFLATED else None
        stored = self._stored_bytes(info)
        produced, crc = 0, 0
        while True:
            if inflater is None:
                block = next(stored, b"")
                finished = not block
            elif inflater.unconsumed_tail:
                block = inflater.decompress(inflater.unconsumed_tail, STEP)
                finished = False
            elif packed := next(stored, b""):
                block = inflater.decompress(packed, STEP)
                finished = False
            else:
                block = inflater.flush()  # no input left: at most what zlib still holds
                finished = True
            produced += len(block)
            if produced > info.file_size:
                raise ZipRefused(
                    f"tidak sesuai dengan daftar isi arsipnya (bagian “{info.filename}” lebih besar daripada "
                    "yang tercantum)"
                )
            if block:
                crc = zlib.crc32(block, crc)
                yield block
            if finished or (inflater is not None and inflater.eof):
                break
        if produced != info.file_size or crc != info.CRC:
            raise zipfile.BadZipFile(f"bagian {info.filename} rusak")

    def read(self, name: str) -> bytes:
        """One member, whole, if it is at most ``limits.read`` bytes."""
        info = self.archive.getinfo(name)
        if info.file_size > self.limits.read:
            raise ZipRefused(
                f"memuat bagian “{name}” yang terlalu besar (lebih dari {_megabytes(self.limits.read)})"
            )
        return b"".join(self.iter_member(info))

    def copy(self) -> IO[bytes]:
        """A new, uncompressed ZIP of every member, each inflated through ``iter_member``: what a library
        that opens the ZIP itself (openpyxl) may read, with a directory this process wrote. The caller
        closes it (a temporary file, in memory while small)."""
        copied = tempfile.SpooledTemporaryFile(max_size=MB)
        try:
            with zipfile.ZipFile(copied, "w", zipfile.ZIP_STORED) as target:
                for info in self.members:
                    if info.is_dir():
                        continue
                    with target.open(info.filename, "w") as member:
                        for block in self.iter_member(info):
                            member.write(block)
        except BaseException:
            copied.close()
            raise
        copied.seek(0)
        return copied
