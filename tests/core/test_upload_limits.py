"""Crafted uploads are refused, quickly and in little memory, and never take the reader down.

Most are refused by the checks before parsing; the two the checks cannot see (a zip whose
directory lies about its sizes, cells that cost the reader far more than their bytes) are stopped
by the parsing child's memory limit (core.sandbox), set to 300 MB here. Each crafted file is read
in a test child process: its peak memory (ru_maxrss) is measured against its own baseline after
Django and the reader are loaded, which the test process's larger baseline would hide, and the
parsing child's peak (VmHWM, its whole resident memory) is what `sandbox.call` saw.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest
from openpyxl import Workbook

from jaring.core import spreadsheets
from jaring.core.errors import CoreError, ValidationFailed

ROOT = Path(__file__).resolve().parents[2]
PEAK_LIMIT_MB = 500

_CHILD = """
import json, resource, sys, time
import django
django.setup()
from pathlib import Path
from jaring.core import sandbox, spreadsheets
from jaring.core.errors import ValidationFailed
peaks = []
def call(*args, **kwargs):
    try:
        outcome = real_call(*args, **kwargs)
    except sandbox.Stopped as stopped:
        peaks.append(stopped.peak_mb)
        raise
    peaks.append(outcome.peak_mb)
    return outcome
real_call, sandbox.call = sandbox.call, call
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for name in sys.argv[1:]:
    started = time.perf_counter()
    peaks.clear()
    try:
        spreadsheets.read(Path(name))
        code = None
    except ValidationFailed as exc:
        code = str(exc.problems[0].code)
    took = time.perf_counter() - started
    # The peak so far: for each file an upper bound of what reading it took.
    grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    print(json.dumps({
        "name": name,
        "code": code,
        "grown_mb": grown / 1024,
        "child_mb": max(peaks, default=0),
        "took": took,
    }))
"""

_WORKBOOK = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
        "</Types>"
    ),
    "xl/workbook.xml": (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def _sheet(dimension: str) -> str:
    return (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
        "</row></sheetData></worksheet>"
    )


class _RepeatingDeflate:
    """Deflate that compresses a piece once and repeats its block for each time it is written.

    A full flush after each piece makes its block independent of what came before, so the
    repeated blocks are the very stream deflate would make of the repeated pieces; compressing
    1 GB for real would take the test 20 s.
    """

    def __init__(self) -> None:
        self._deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
        self._blocks: dict[bytes, bytes] = {}

    def compress(self, data: bytes) -> bytes:
        if data not in self._blocks:
            self._blocks[data] = self._deflate.compress(data) + self._deflate.flush(
                zlib.Z_FULL_FLUSH
            )
        return self._blocks[data]

    def flush(self) -> bytes:
        return self._deflate.flush()


def shared_strings_bomb(path: Path) -> Path:
    """A ~3 MB xlsx whose shared strings unpack to ~1 GB, streamed into the zip in 1 MB pieces."""
    piece = b"<si><t>a</t></si>" * ((1 << 20) // 16)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _WORKBOOK.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", _sheet("A1"))
        with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part._compressor = _RepeatingDeflate()  # zipfile still counts the size and CRC
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(1000):
                part.write(piece)
            part.write(b"</sst>")
    return path


def lying_directory(path: Path) -> Path:
    """A ~0.5 MB xlsx whose directory says its shared strings unpack to 1,000 bytes: they unpack
    to ~1 GB. The checks believe the directory; the reader does not."""
    piece = b"<si><t>a</t></si>" * ((1 << 20) // 16)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _WORKBOOK.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", _sheet("A1"))
        with z.open("xl/sharedStrings.xml", "w") as part:
            part._compressor = _RepeatingDeflate()
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')
            for _ in range(1000):
                part.write(piece)
            part.write(b"</sst>")
        size = z.getinfo("xl/sharedStrings.xml").file_size
    # The size is in the local header and in the directory: both lie.
    path.write_bytes(path.read_bytes().replace(struct.pack("<I", size), struct.pack("<I", 1000)))
    return path


def dense_cells(path: Path) -> Path:
    """A ~1 MB xlsx of 26 million one-digit cells (400 MB unpacked, within the limit of 2 GB):
    the reader spends ~16 bytes of memory on each 15 bytes of XML, and a sheet of 2 GB would
    take it past 3 GB."""
    row = b"<row>" + b"<c><v>1</v></c>" * 100 + b"</row>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _WORKBOOK.items():
            z.writestr(name, text)
        with z.open("xl/worksheets/sheet1.xml", "w") as part:
            part._compressor = _RepeatingDeflate()
            part.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/')
            part.write(b'main"><sheetData>')
            for _ in range(400):
                part.write(row * ((1 << 20) // len(row)))
            part.write(b"</sheetData></worksheet>")
    return path


def many_parts(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _WORKBOOK.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", _sheet("A1"))
        for i in range(2000):
            z.writestr(f"xl/media/image{i}.png", b"")
    return path


def wide_dimension(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _WORKBOOK.items():
            z.writestr(name, text)
        z.writestr("xl/worksheets/sheet1.xml", _sheet("A1:XFD1048576"))
    return path


def wide_csv(path: Path) -> Path:
    path.write_bytes(b",".join(b"k%d" % i for i in range(100_000)) + b"\n")
    return path


def long_line_csv(path: Path) -> Path:
    with path.open("wb") as f:
        f.write(b"NIK,Nama\n")
        for _ in range(50):
            f.write(b"x" * (1 << 20))
        f.write(b"\n")
    return path


CRAFTED = {
    "bomb.xlsx": (shared_strings_bomb, CoreError.FILE_TOO_LARGE_UNPACKED),
    "parts.xlsx": (many_parts, CoreError.FILE_TOO_MANY_PARTS),
    "wide.xlsx": (wide_dimension, CoreError.FILE_TOO_MANY_COLUMNS),
    "wide.csv": (wide_csv, CoreError.FILE_TOO_MANY_COLUMNS),
    "long.csv": (long_line_csv, CoreError.FILE_LINE_TOO_LONG),
    "lying.xlsx": (lying_directory, CoreError.FILE_TOO_MUCH_MEMORY),
    "dense.xlsx": (dense_cells, CoreError.FILE_TOO_MUCH_MEMORY),
}
# Refused by the checks, without parsing; the others take the parsing child to its limit.
CHECKED = {"bomb.xlsx", "parts.xlsx", "wide.xlsx", "wide.csv", "long.csv"}
CHILD_LIMIT_MB = 300


@pytest.fixture(scope="module")
def crafted_outcomes(tmp_path_factory) -> dict[str, dict]:
    """Each crafted file read by one child process (its start, Django and polars, is slow)."""
    folder = tmp_path_factory.mktemp("crafted")
    paths = [build(folder / name) for name, (build, _) in CRAFTED.items()]
    env = {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}"}
    env["DJANGO_SETTINGS_MODULE"] = "tests.settings"
    env["JARING_UPLOAD_PARSE_MEMORY_MB"] = str(CHILD_LIMIT_MB)
    env["RUST_BACKTRACE"] = "0"  # the reader's abort at the limit prints one line, not 40
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *map(str, paths)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    outcomes = [json.loads(line) for line in done.stdout.splitlines()]
    return {Path(o["name"]).name: o for o in outcomes}


@pytest.mark.parametrize("name", CRAFTED)
def test_a_crafted_file_is_refused_quickly_in_little_memory(crafted_outcomes, name):
    outcome = crafted_outcomes[name]
    assert outcome["code"] == CRAFTED[name][1]
    assert outcome["grown_mb"] < PEAK_LIMIT_MB
    assert outcome["child_mb"] < PEAK_LIMIT_MB
    if name in CHECKED:
        assert outcome["child_mb"] == 0  # never parsed
        assert outcome["took"] < 3
    else:
        assert outcome["child_mb"] > CHILD_LIMIT_MB / 2  # it was the limit that stopped it
        assert outcome["took"] < 60


def test_the_limit_is_what_a_message_names(tmp_path, settings):
    settings.JARING_UPLOAD_PARSE_MEMORY_MB = 200
    with pytest.raises(ValidationFailed) as refused:
        spreadsheets.read(dense_cells(tmp_path / "dense.xlsx"))
    problem = refused.value.problems[0]
    assert "needs more than 200 MB of memory" in problem.message_en
    assert problem.params["setting"] == "JARING_UPLOAD_PARSE_MEMORY_MB"


def test_a_reader_taking_too_long_is_stopped(tmp_path, settings):
    settings.JARING_UPLOAD_PARSE_SECONDS = 0
    path = tmp_path / "list.xlsx"
    book = Workbook()
    book.active.append(["NIK", "Nama"])
    book.save(path)
    with pytest.raises(ValidationFailed) as refused:
        spreadsheets.read(path)
    assert refused.value.problems[0].code == CoreError.FILE_TOO_SLOW


def test_the_bomb_is_small_packed(tmp_path):
    path = shared_strings_bomb(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 4 << 20
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("xl/sharedStrings.xml").file_size > 1_000_000_000


def test_the_message_names_the_limit(tmp_path):
    with pytest.raises(ValidationFailed) as refused:
        spreadsheets.read(long_line_csv(tmp_path / "long.csv"))
    problem = refused.value.problems[0]
    assert "Line 2 is longer than 64 KB" in problem.message_en
    assert problem.params["setting"] == "JARING_UPLOAD_MAX_LINE_KB"


def test_limits_are_configurable(tmp_path, settings):
    path = tmp_path / "list.csv"
    path.write_text("NIK,Nama,Desa\n6171010101900001,Siti,Sungai Jawi\n")
    settings.JARING_UPLOAD_MAX_COLUMNS = 2
    with pytest.raises(ValidationFailed) as refused:
        spreadsheets.read(path)
    assert refused.value.problems[0].params == {
        "columns": 3,
        "limit": 2,
        "setting": "JARING_UPLOAD_MAX_COLUMNS",
    }


def test_a_line_cut_by_a_chunk_boundary_is_measured_whole(tmp_path, settings):
    settings.JARING_UPLOAD_MAX_LINE_KB = 1
    path = tmp_path / "list.csv"
    # Short lines up to just before the 1 MB chunk's end, then a 2 KB line across it.
    short = b"a,b\n" * ((1 << 20) // 4 - 1)
    path.write_bytes(b"NIK,Nama\n" + short + b"x" * 2048 + b"\n")
    with pytest.raises(ValidationFailed) as refused:
        spreadsheets.check_csv(path)
    assert refused.value.problems[0].params["line"] == 2 + len(short) // 4


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_normal_file_still_reads(tmp_path, fmt):
    rows = [["NIK", "Nama"], *([f"61710101019{i:05d}", f"Orang {i}"] for i in range(2000))]
    path = tmp_path / f"list.{fmt}"
    if fmt == "csv":
        path.write_text("\n".join(",".join(r) for r in rows) + "\n")
    else:
        book = Workbook()
        for row in rows:
            book.active.append(row)
        book.save(path)
    sheet = spreadsheets.read(path)
    assert sheet.headers == ["NIK", "Nama"]
    assert sheet.frame.height == 2000
