"""The streams at the top of an OLE2 compound file ([MS-CFB]), read without reading the file.

An .xls is such a file holding a Workbook stream; a password-protected .xlsx is one holding
EncryptionInfo and EncryptedPackage instead of a zip. The directory naming them may lie
anywhere (xlwt and Excel write it after the data, so in a large file it is near the end): it is
found as any reader finds it, from the header through the allocation table, a few sectors read.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Magic, class id, versions, byte order, sector shifts, then the counts and first sectors of
# the directory, the allocation table (FAT), the mini FAT and the FAT's index (DIFAT), then the
# first 109 entries of that index.
_HEADER = struct.Struct("<8s16xHHHHH6x9I109I")
_LAST_SECTOR = 0xFFFFFFFA  # higher ids mark the end of a chain, a free or a FAT sector
_NO_ENTRY = 0xFFFFFFFF
_ENTRY = 128
_STREAM = 2
# Office writes a directory of a few entries; one of a megabyte is no Office file, and reading
# it would let a crafted upload make the worker hold the whole file.
_MAX_DIRECTORY = 1 << 20


class Broken(ValueError):
    """The file starts like a compound file but its structure does not hold together."""


def root_streams(path: Path) -> frozenset[str]:
    """Names of the streams directly in the file's root storage."""
    with path.open("rb") as f:
        return _Compound(f, path.stat().st_size).root_streams()


class _Compound:
    def __init__(self, f: BinaryIO, size: int):
        header = f.read(_HEADER.size)
        if len(header) < _HEADER.size:
            raise Broken("header cut short")
        magic, _, _, order, shift, _, _, fats, directory, _, _, _, _, index, indexes, *first = (
            _HEADER.unpack(header)
        )
        if magic != MAGIC or order != 0xFFFE or shift not in (9, 12):
            raise Broken("not a compound file header")
        self.f = f
        self.shift = shift
        self.per_sector = (1 << shift) // 4
        # Sector n starts at (n + 1) sectors: the header fills sector -1.
        self.sectors = (size >> shift) - 1 + bool(size % (1 << shift))
        self.directory = directory
        self.fat = self._fat_sectors(first, index, indexes)[:fats]

    def root_streams(self) -> frozenset[str]:
        sectors = []
        for sector in self._chain(self.directory):
            if len(sectors) << self.shift >= _MAX_DIRECTORY:
                raise Broken("directory too large")
            sectors.append(self._read(sector))
        data = b"".join(sectors)
        entries = len(data) // _ENTRY
        if entries == 0 or data[66] != 5:
            raise Broken("no root entry")
        names: set[str] = set()
        # The root's children are a binary tree of siblings under its child id.
        todo, seen = [self._links(data, 0)[2]], set()
        while todo:
            i = todo.pop()
            if i == _NO_ENTRY or i in seen:
                continue
            if i >= entries:
                raise Broken(f"directory entry {i} outside the directory")
            seen.add(i)
            entry = data[i * _ENTRY : (i + 1) * _ENTRY]
            if entry[66] == _STREAM:
                length = min(struct.unpack_from("<H", entry, 64)[0], 64)
                names.add(entry[: max(length - 2, 0)].decode("utf-16-le", errors="replace"))
            left, right, _ = self._links(data, i)
            todo += [left, right]
        return frozenset(names)

    @staticmethod
    def _links(data: bytes, i: int) -> tuple[int, int, int]:
        """Left sibling, right sibling and child of directory entry i."""
        return struct.unpack_from("<III", data, i * _ENTRY + 68)

    def _fat_sectors(self, first: list[int], index: int, indexes: int) -> list[int]:
        found = list(first)
        seen: set[int] = set()
        # The index continues in sectors of its own, each ending with the next one's id.
        while index <= _LAST_SECTOR and len(seen) < indexes:
            if index in seen:
                raise Broken("the FAT index loops")
            seen.add(index)
            *more, index = struct.unpack(f"<{self.per_sector}I", self._read(index))
            found += more
        return [sector for sector in found if sector <= _LAST_SECTOR]

    def _chain(self, sector: int) -> Iterator[int]:
        # A chain longer than the file has sectors loops.
        for _ in range(self.sectors):
            if sector > _LAST_SECTOR:
                return
            yield sector
            sector = self._next(sector)
        raise Broken("the directory's chain loops")

    def _next(self, sector: int) -> int:
        page, slot = divmod(sector, self.per_sector)
        if page >= len(self.fat):
            raise Broken(f"sector {sector} outside the FAT")
        self.f.seek(((self.fat[page] + 1) << self.shift) + 4 * slot)
        return struct.unpack("<I", self._exactly(4))[0]

    def _read(self, sector: int) -> bytes:
        if sector >= self.sectors:
            raise Broken(f"sector {sector} outside the file")
        self.f.seek((sector + 1) << self.shift)
        return self._exactly(1 << self.shift)

    def _exactly(self, n: int) -> bytes:
        data = self.f.read(n)
        if len(data) < n:
            raise Broken("file cut short")
        return data
