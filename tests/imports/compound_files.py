"""A minimal OLE2 compound-file writer ([MS-CFB]) for files no library here writes.

Laid out as Excel and xlwt lay out a large file: the streams' sectors first, then the
allocation table (FAT), its index (DIFAT) where the header's 109 slots are not enough, and the
directory last, so that in a file of a few megabytes the directory lies far from the start.
Streams are kept in regular sectors, so each must hold at least 4096 bytes (below that [MS-CFB]
puts a stream in the mini stream, which nothing here needs).
"""

from __future__ import annotations

import math
import struct
from pathlib import Path

_END = 0xFFFFFFFE
_FREE = 0xFFFFFFFF
_FAT_SECTOR = 0xFFFFFFFD
_DIFAT_SECTOR = 0xFFFFFFFC
_NO_ENTRY = 0xFFFFFFFF


def write_compound(path: Path, streams: dict[str, bytes], *, shift: int = 9) -> Path:
    size = 1 << shift
    per = size // 4
    assert all(len(data) >= 4096 for data in streams.values())
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # the directory's own order
    lengths = [math.ceil(len(streams[n]) / size) for n in names]
    directory_sectors = math.ceil(128 * (len(names) + 1) / size)
    fats = difats = 0
    while True:
        total = sum(lengths) + fats + difats + directory_sectors
        if fats * per >= total:
            break
        fats += 1
        difats = max(0, math.ceil((fats - 109) / (per - 1)))

    fat = [_FREE] * (fats * per)
    starts, sector = [], 0
    for n in lengths:
        starts.append(sector)
        fat[sector : sector + n] = [*range(sector + 1, sector + n), _END]
        sector += n
    fat_sectors = list(range(sector, sector + fats))
    fat[sector : sector + fats] = [_FAT_SECTOR] * fats
    sector += fats
    difat_sectors = list(range(sector, sector + difats))
    fat[sector : sector + difats] = [_DIFAT_SECTOR] * difats
    sector += difats
    directory_start = sector
    fat[sector : sector + directory_sectors] = [
        *range(sector + 1, sector + directory_sectors),
        _END,
    ]

    links: dict[int, tuple[int, int]] = {}
    entries = [_entry("Root Entry", 5, child=_tree(1, len(names), links))]
    for i, name in enumerate(names, start=1):
        left, right = links[i]
        entries.append(
            _entry(name, 2, left=left, right=right, start=starts[i - 1], size=len(streams[name]))
        )
    directory = b"".join(entries).ljust(directory_sectors * size, b"\0")

    index = fat_sectors[:109] + [_FREE] * (109 - min(fats, 109))
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII109I",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        bytes(16),
        0x3E,
        3 if shift == 9 else 4,
        0xFFFE,
        shift,
        6,
        bytes(6),
        directory_sectors if shift == 12 else 0,
        fats,
        directory_start,
        0,
        4096,
        _END,
        0,
        difat_sectors[0] if difats else _END,
        difats,
        *index,
    )
    with path.open("wb") as f:
        f.write(header.ljust(size, b"\0"))
        for name in names:
            f.write(streams[name].ljust(math.ceil(len(streams[name]) / size) * size, b"\0"))
        f.write(struct.pack(f"<{len(fat)}I", *fat))
        rest = fat_sectors[109:]
        for i in range(difats):
            following = difat_sectors[i + 1] if i + 1 < difats else _END
            chunk = rest[i * (per - 1) : (i + 1) * (per - 1)]
            chunk += [_FREE] * (per - 1 - len(chunk)) + [following]
            f.write(struct.pack(f"<{per}I", *chunk))
        f.write(directory)
    return path


def _tree(lo: int, hi: int, links: dict[int, tuple[int, int]]) -> int:
    """Entries lo..hi (sorted) as a balanced tree of siblings: its root, with links filled."""
    if lo > hi:
        return _NO_ENTRY
    mid = (lo + hi) // 2
    links[mid] = (_tree(lo, mid - 1, links), _tree(mid + 1, hi, links))
    return mid


def _entry(
    name: str,
    kind: int,
    *,
    left: int = _NO_ENTRY,
    right: int = _NO_ENTRY,
    child: int = _NO_ENTRY,
    start: int = _END,
    size: int = 0,
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return struct.pack(
        "<64sHBBIII16sIQQIQ",
        encoded,
        len(encoded),
        kind,
        1,  # black
        left,
        right,
        child,
        bytes(16),
        0,
        0,
        0,
        start,
        size,
    )
