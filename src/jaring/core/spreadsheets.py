"""Reading an uploaded spreadsheet (xlsx, xls, ods or csv) into a frame of text cells.

The one reader for every upload: worker lists (imports), BPJS response files, cover outside
Jaring, coverage figures. Every cell is read as text so that nothing is converted twice (an NIK
or KPJ keeps all its digits): the caller decides what a cell means. The format is told by the
content, not the name; a password-protected xlsx is recognised and refused with a way out.
The header row is given, or found by the caller's `score` (the row with the most recognised
headers, since lists often start with a title block: "DAFTAR PEKERJA RENTAN KELURAHAN ...").
Speed: calamine (fastexcel) and polars' csv reader, a million csv rows in under a second.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree import ElementTree

import fastexcel
import polars as pl
from django.conf import settings

from jaring.core import compound, sandbox
from jaring.core.errors import CoreError, Problem, ValidationFailed
from jaring.rules.messages import Reason

log = logging.getLogger(__name__)

# How many cells of a row read as the caller's headers.
Score = Callable[[list[object]], int]

_REASONS = {
    r.code: r
    for r in (
        Reason(CoreError.FILE_EMPTY, "Berkas kosong.", "The file is empty."),
        Reason(
            CoreError.FILE_TOO_LARGE,
            "Berkas terlalu besar ({size_mb} MB); batasnya {limit_mb} MB. Pecah menjadi beberapa "
            "berkas.",
            "The file is too large ({size_mb} MB); the limit is {limit_mb} MB. Split it into "
            "several files.",
        ),
        Reason(
            CoreError.FILE_TOO_LARGE_UNPACKED,
            "Isi berkas terlalu besar setelah dibuka ({size_mb} MB); batasnya {limit_mb} MB. "
            "Pecah menjadi beberapa berkas.",
            "The file's content is too large once unpacked ({size_mb} MB); the limit is "
            "{limit_mb} MB. Split it into several files.",
        ),
        Reason(
            CoreError.FILE_TOO_MANY_PARTS,
            "Berkas terdiri dari {parts} bagian; batasnya {limit}. Simpan ulang sebagai .xlsx "
            "atau .csv.",
            "The file is made of {parts} parts; the limit is {limit}. Save it again as .xlsx or "
            ".csv.",
        ),
        Reason(
            CoreError.FILE_TOO_MANY_COLUMNS,
            "Berkas memiliki {columns} kolom; batasnya {limit}. Hapus kolom yang tidak dipakai.",
            "The file has {columns} columns; the limit is {limit}. Delete the columns not used.",
        ),
        Reason(
            CoreError.FILE_LINE_TOO_LONG,
            "Baris {line} panjangnya lebih dari {limit_kb} KB, batas satu baris. Simpan ulang "
            "sebagai .csv dengan satu orang per baris.",
            "Line {line} is longer than {limit_kb} KB, the limit for one line. Save it again as "
            ".csv with one person per line.",
        ),
        Reason(
            CoreError.FILE_TOO_MUCH_MEMORY,
            "Membaca berkas ini memerlukan lebih dari {limit_mb} MB memori, batas pembacaan "
            "satu berkas. Pecah menjadi beberapa berkas atau simpan ulang sebagai .csv.",
            "Reading this file needs more than {limit_mb} MB of memory, the limit for reading "
            "one file. Split it into several files or save it again as .csv.",
        ),
        Reason(
            CoreError.FILE_TOO_SLOW,
            "Membaca berkas ini memakan waktu lebih dari {limit} detik, batas pembacaan satu "
            "berkas. Pecah menjadi beberapa berkas.",
            "Reading this file takes longer than {limit} seconds, the limit for reading one "
            "file. Split it into several files.",
        ),
        Reason(
            CoreError.FILE_NOT_SPREADSHEET,
            "Berkas ini bukan lembar kerja. Unggah berkas .xlsx, .xls atau .csv.",
            "This file is not a spreadsheet. Upload an .xlsx, .xls or .csv file.",
        ),
        Reason(
            CoreError.FILE_ENCRYPTED,
            "Berkas dilindungi kata sandi. Buka di Excel, hapus kata sandinya, simpan, lalu "
            "unggah lagi.",
            "The file is password-protected. Open it in Excel, remove the password, save and "
            "upload it again.",
        ),
        Reason(
            CoreError.FILE_UNREADABLE,
            "Berkas tidak dapat dibaca ({detail}). Simpan ulang sebagai .xlsx atau .csv.",
            "The file cannot be read ({detail}). Save it again as .xlsx or .csv.",
        ),
        Reason(
            CoreError.FILE_NO_ROWS,
            "Berkas tidak berisi baris data di bawah judul kolom.",
            "The file has no data rows below the column headers.",
        ),
    )
}

_SCAN_ROWS = 20
# What the parsing child needs that takes long to import (polars alone 0.15 s), imported once by
# the server it is forked from; jaring's own modules are not: the server may not find them.
_READER_MODULES = ("polars", "fastexcel", "django.conf", "importlib.metadata")
# A password-protected .xlsx is a compound file with these streams instead of a zip.
_ENCRYPTED_STREAMS = {"EncryptionInfo", "EncryptedPackage"}
_BINARY_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")
_SEPARATORS = (",", ";", "\t", "|")
_UNNAMED = "Kolom "
# A 16-digit number in a cell's value: plain, with a zero fraction, or in scientific notation.
_NUMBER_VALUE = re.compile(rb"<v>(\d{16}(?:\.0+)?|\d\.\d{1,16}[Ee]\+?15)</v>")
# Cell types that are not numbers (shared, inline and formula strings, booleans, errors).
_NOT_NUMBER = re.compile(rb'\st="(?:s|str|inlineStr|b|e)"')
# Above 2**53 a float holds only even integers: an even number there may be a rounded one.
_FLOAT_EXACT = 2**53
# A workbook has a dozen parts and a few more per sheet; many thousands is a crafted file.
_MAX_PARTS = 1000
# The sheet's declared size (<dimension ref="A1:N100001"/>) comes before its cells.
_DIMENSION = re.compile(rb'<dimension\s+ref="\$?([A-Z]{1,3})\$?\d*(?::\$?([A-Z]{1,3})\$?\d*)?"')
_SHEET_HEAD = 8 << 10
_OOXML_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass
class Sheet:
    frame: pl.DataFrame  # one String column per header, in file order
    headers: list[str]
    header_row: int  # 1-based spreadsheet row of the headers
    file_format: str


def file_problem(code: CoreError, **params: object) -> Problem:
    """A refusal of the file as a whole: `file_problem(CoreError.FILE_UNREADABLE, detail=...)`."""
    return Problem.of(_REASONS[code], **params)


def max_bytes() -> int:
    return int(getattr(settings, "JARING_IMPORT_MAX_BYTES", 150 * 1024 * 1024))


def check_size(size: int) -> None:
    """Called before anything is read, so a huge upload costs nothing but the upload."""
    if size == 0:
        raise ValidationFailed(file_problem(CoreError.FILE_EMPTY))
    if size > max_bytes():
        raise ValidationFailed(
            file_problem(
                CoreError.FILE_TOO_LARGE,
                size_mb=round(size / 1_000_000),
                limit_mb=round(max_bytes() / 1_000_000),
            )
        )


def sniff(path: Path) -> str:
    """ "xlsx", "xls", "ods" or "csv", from the content rather than the name."""
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(compound.MAGIC):
        if _ENCRYPTED_STREAMS & _root_streams(path):
            raise ValidationFailed(file_problem(CoreError.FILE_ENCRYPTED))
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as z:
                names = set(z.namelist())
        except zipfile.BadZipFile:
            raise ValidationFailed(file_problem(CoreError.FILE_NOT_SPREADSHEET)) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names and b"spreadsheet" in _zip_member(path, "mimetype"):
            return "ods"
        raise ValidationFailed(file_problem(CoreError.FILE_NOT_SPREADSHEET))
    if head.startswith(_BINARY_MAGIC) or b"\x00" in path.open("rb").read(64 << 10):
        raise ValidationFailed(file_problem(CoreError.FILE_NOT_SPREADSHEET))
    return "csv"


def check_package(path: Path) -> None:
    """Refuse an xlsx or ods whose parts would unpack past the limits, from the zip's directory
    and the first bytes of each sheet: the workbook reader holds whole parts (shared strings
    above all) in memory, so a 1 MB file of repeated strings would otherwise take gigabytes."""
    with zipfile.ZipFile(path) as z:
        parts = z.infolist()
        if len(parts) > _MAX_PARTS:
            raise ValidationFailed(
                file_problem(CoreError.FILE_TOO_MANY_PARTS, parts=len(parts), limit=_MAX_PARTS)
            )
        shared = sum(p.file_size for p in parts if p.filename.lower().endswith("sharedstrings.xml"))
        _check_unpacked(shared, "JARING_UPLOAD_MAX_SHARED_STRINGS_MB")
        _check_unpacked(sum(p.file_size for p in parts), "JARING_UPLOAD_MAX_UNPACKED_MB")
        for part in parts:
            if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                with z.open(part) as xml:
                    _check_columns(_declared_columns(xml.read(_SHEET_HEAD)))


def _check_unpacked(size: int, setting: str) -> None:
    limit_mb = _limit(setting)
    if size > limit_mb << 20:
        raise ValidationFailed(
            file_problem(
                CoreError.FILE_TOO_LARGE_UNPACKED,
                size_mb=size >> 20,
                limit_mb=limit_mb,
                setting=setting,
            )
        )


def _declared_columns(head: bytes) -> int:
    match = _DIMENSION.search(head)
    if match is None:
        return 0
    first, last = match.group(1), match.group(2) or match.group(1)
    return _column_number(last.decode()) - _column_number(first.decode()) + 1


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _check_columns(columns: int) -> None:
    limit = _limit("JARING_UPLOAD_MAX_COLUMNS")
    if columns > limit:
        raise ValidationFailed(
            file_problem(
                CoreError.FILE_TOO_MANY_COLUMNS,
                columns=columns,
                limit=limit,
                setting="JARING_UPLOAD_MAX_COLUMNS",
            )
        )


def check_csv(path: Path) -> None:
    """Refuse a csv with too many columns or too long a line before the csv parser sees it: its
    time grows with the columns (100,000 of them took 100 s) and a line is held whole. Columns
    are counted in the first lines (the header is among them); lines are measured in 1 MB
    chunks, so memory stays flat whatever the file."""
    limit = _limit("JARING_UPLOAD_MAX_LINE_KB") << 10
    with path.open("rb") as f:
        head = f.read(limit)
        lines = head.splitlines()[:_SCAN_ROWS]
        separator = _separator(_decode(head)).encode()
        _check_columns(max((line.count(separator) + 1 for line in lines), default=0))
        f.seek(0)
        done, current = 0, 0  # lines ended so far; bytes of the line not ended yet
        while chunk := f.read(1 << 20):
            first, last = chunk.find(b"\n"), chunk.rfind(b"\n")
            if first < 0:
                current += len(chunk)
                long_at = 0 if current > limit else -1
            else:
                long_at = (
                    0 if current + first > limit else _long_line(chunk, first + 1, last, limit)
                )
            if long_at >= 0:
                raise ValidationFailed(
                    file_problem(
                        CoreError.FILE_LINE_TOO_LONG,
                        line=done + chunk.count(b"\n", 0, long_at) + 1,
                        limit_kb=limit >> 10,
                        setting="JARING_UPLOAD_MAX_LINE_KB",
                    )
                )
            if first >= 0:
                done, current = done + chunk.count(b"\n"), len(chunk) - last - 1


def _long_line(chunk: bytes, start: int, end: int, limit: int) -> int:
    """Where a line longer than `limit` starts in chunk[start:end] (whole lines), or -1.

    A line that long holds a whole window of limit/2 bytes without a line end, so one search
    per window finds it: a few searches per megabyte instead of a step per line."""
    step = max(limit // 2, 1)
    for i in range(start, end - step + 1, step):
        if chunk.find(b"\n", i, i + step) < 0:
            line_start = chunk.rfind(b"\n", start, i) + 1 or start
            line_end = chunk.find(b"\n", i, end + 1)
            if line_end - line_start > limit:
                return line_start
    return -1


def _limit(setting: str) -> int:
    return int(getattr(settings, setting))


def _root_streams(path: Path) -> frozenset[str]:
    try:
        return compound.root_streams(path)
    except compound.Broken:
        # Read as an .xls all the same: the workbook reader then names what it cannot read.
        return frozenset()


def _zip_member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(name) if name in z.namelist() else b""


def read(path: Path, *, header_row: int | None = None, score: Score | None = None) -> Sheet:
    """The sheet whose rows `score` best (the first sheet without `score`), as text cells.

    `header_row` (1-based) is the header row; without it, the best-scoring of the first rows.
    The file is checked against the upload limits here; then a workbook (xlsx, xls, ods) is
    parsed in a child process limited to JARING_UPLOAD_PARSE_MEMORY_MB and
    JARING_UPLOAD_PARSE_SECONDS: what the checks cannot see (a zip whose directory lies about
    its sizes, cells that cost the reader more than their bytes) stops the child, and the file
    is refused with the limit it reached.
    """
    check_size(path.stat().st_size)
    file_format = sniff(path)
    if file_format == "csv":
        check_csv(path)
        # Parsed here: a csv does not unpack, so past its checks (size, columns, line length)
        # its memory is bounded by its size; handing a million rows back from a child would
        # cost seconds more than reading them (bench/RESULTS.md).
        return _parse(path, file_format, header_row, score)
    if file_format in ("xlsx", "ods"):
        check_package(path)
    memory_mb = _limit("JARING_UPLOAD_PARSE_MEMORY_MB")
    try:
        parsed = sandbox.call(
            _parse,
            path,
            file_format,
            header_row,
            score,
            memory_mb=memory_mb,
            seconds=_limit("JARING_UPLOAD_PARSE_SECONDS"),
            preload=_READER_MODULES,
        )
    except sandbox.Stopped as stopped:
        log.warning("%s stopped (%s) at %.0f MB", path.name, stopped.reason, stopped.peak_mb)
        if stopped.reason == "time":
            setting = "JARING_UPLOAD_PARSE_SECONDS"
            problem = file_problem(CoreError.FILE_TOO_SLOW, limit=_limit(setting), setting=setting)
        else:
            setting = "JARING_UPLOAD_PARSE_MEMORY_MB"
            problem = file_problem(
                CoreError.FILE_TOO_MUCH_MEMORY, limit_mb=memory_mb, setting=setting
            )
        raise ValidationFailed(problem) from None
    except sandbox.Failed as failed:
        log.error("reading %s failed in the reader's process:\n%s", path.name, failed)
        raise ValidationFailed(
            file_problem(CoreError.FILE_UNREADABLE, detail="reader failed")
        ) from None
    log.info("%s read in %.0f MB", path.name, parsed.peak_mb)
    return parsed.value


def _parse(path: Path, file_format: str, header_row: int | None, score: Score | None) -> Sheet:
    """`read` once the file passed the checks: run in a child process (see `read`)."""
    if file_format == "csv":
        text = _decode(path.read_bytes())
        if not text.strip():
            raise ValidationFailed(file_problem(CoreError.FILE_EMPTY))
        separator = _separator(text)
        index = _header_index(_csv_sample(text, separator), header_row, score)
        raw = _read_csv(text, separator, index)
        offset = index
        index = 0
    else:
        raw = _read_workbook(path, file_format, score)
        index = _header_index(raw.head(_SCAN_ROWS).rows(), header_row, score)
        offset = 0
    if raw.height <= index:
        raise ValidationFailed(file_problem(CoreError.FILE_NO_ROWS))
    headers = _names(list(raw.row(index)))
    body = raw.slice(index + 1)
    # Columns with neither a header nor data are padding (merged cells, stray formatting).
    keep = [
        (column, header)
        for column, header in zip(raw.columns, headers, strict=True)
        if not header.startswith(_UNNAMED) or body[column].drop_nulls().len()
    ]
    frame = body.select([pl.col(c).alias(h) for c, h in keep])
    if frame.height == 0:
        raise ValidationFailed(file_problem(CoreError.FILE_NO_ROWS))
    return Sheet(
        frame=frame,
        headers=[h for _, h in keep],
        header_row=offset + index + 1,
        file_format=file_format,
    )


def _header_index(rows: list[tuple | list], header_row: int | None, score: Score | None) -> int:
    if header_row is not None:
        return header_row - 1
    if score is None:
        return 0
    scores = [score(list(row)) for row in rows[:_SCAN_ROWS]]
    return max(range(len(scores)), key=lambda i: (scores[i], -i)) if scores else 0


def _names(cells: list[object]) -> list[str]:
    """Header texts made unique; an empty header (a merged cell) is named by its position."""
    out: list[str] = []
    for i, cell in enumerate(cells):
        name = " ".join(str(cell).split()) if cell is not None else ""
        if not name:
            name = f"{_UNNAMED}{_column_letter(i)}"
        base, n = name, 2
        while name in out:
            name, n = f"{base} ({n})", n + 1
        out.append(name)
    return out


def _column_letter(i: int) -> str:
    letters = ""
    i += 1
    while i:
        i, rem = divmod(i - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _read_workbook(path: Path, file_format: str, score: Score | None) -> pl.DataFrame:
    try:
        reader = fastexcel.read_excel(path)
        best, best_name, best_score = None, "", -1
        # A workbook may hold a cover or instructions sheet: take the sheet that looks like data.
        # Each sheet is loaded whole, once: calamine parses all of a sheet even for a sample.
        for name in reader.sheet_names[:5]:
            sheet = reader.load_sheet(
                name, header_row=None, dtypes="string", skip_whitespace_tail_rows=True
            ).to_polars()
            if score is None:
                best, best_name = sheet, name
                break
            found = max((score(list(r)) for r in sheet.head(_SCAN_ROWS).rows()), default=0)
            if found > best_score:
                best, best_name, best_score = sheet, name, found
    except (fastexcel.FastExcelError, OSError, ValueError) as exc:
        raise ValidationFailed(
            file_problem(CoreError.FILE_UNREADABLE, detail=_short(exc))
        ) from None
    if file_format == "xlsx" and _may_hold_numeric_niks(best):
        best = _numbers_as_stored(best, path, best_name)
    return best


def _may_hold_numeric_niks(frame: pl.DataFrame) -> bool:
    """Whether some cell reads as 16 digits that a number cell could have got wrong."""
    suspect = pl.any_horizontal(
        pl.col(c).str.contains(r"^\d{15}0$|^9\d{15}$").fill_null(False) for c in frame.columns
    )
    return bool(frame.select(suspect.any()).item())


def _numbers_as_stored(frame: pl.DataFrame, path: Path, sheet_name: str) -> pl.DataFrame:
    """Cells holding a 16-digit number (an NIK typed into a number cell) as the file stores it.

    The reader gives a number cell as the float it parsed, which is wrong twice over for an
    NIK: Excel keeps 15 significant digits (6172021708850013 is saved as 6172021708850010),
    and a float holds only even integers above 2**53 (9171011708850001 reads 9171011708850000).
    From the sheet's XML each such cell becomes its exact digits when they are all there
    (the last one is not the 0 Excel leaves, nor possibly a float's rounding), and otherwise
    what Excel displays, 6.17202170885001E+15, which the normaliser refuses as an NIK Excel
    destroyed. Cells are matched by the text the reader gave (a text cell that reads the same
    as such a number is taken for it).
    """
    fixes = _numeric_cells(path, sheet_name)
    if not fixes:
        return frame
    return frame.with_columns(pl.col(c).replace(fixes) for c in frame.columns)


def _numeric_cells(path: Path, sheet_name: str) -> dict[str, str]:
    """{text the reader gives: text it should be} for the sheet's 16-digit number cells."""
    out: dict[str, str] = {}
    with zipfile.ZipFile(path) as z, z.open(_sheet_member(z, sheet_name)) as xml:
        carry = b""
        while chunk := xml.read(16 << 20):
            buffer = carry + chunk
            for match in _NUMBER_VALUE.finditer(buffer):
                cell = buffer.rfind(b"<c ", max(0, match.start() - 300), match.start())
                if cell < 0 or _NOT_NUMBER.search(buffer, cell, match.start()):
                    continue
                _add_number(out, match.group(1).decode())
            # A value cut by the chunk's end is found whole in the next buffer.
            carry = buffer[-512:]
    return out


def _add_number(out: dict[str, str], stored: str) -> None:
    try:
        number = Decimal(stored)
    except InvalidOperation:
        return
    if number != number.to_integral_value() or not 10**15 <= number < 10**16:
        return
    exact = int(number)
    read_as = repr(float(number)).removesuffix(".0")
    whole = exact % 10 != 0 and (exact < _FLOAT_EXACT or exact % 2 == 1)
    fixed = str(exact) if whole else f"{number:.14E}"
    if out.setdefault(read_as, fixed) != fixed:
        out[read_as] = f"{number:.14E}"  # two stored numbers read alike: neither is certain


def _sheet_member(z: zipfile.ZipFile, sheet_name: str) -> str:
    """The zip member holding the sheet's cells (workbook.xml names it, its rels locate it)."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rel_id = next(
        s.get(_OOXML_RELS)
        for s in book.iterfind("m:sheets/m:sheet", ns)
        if s.get("name") == sheet_name
    )
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = next(r.get("Target") for r in rels if r.get("Id") == rel_id)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the ANSI code page; cp1252 leaves 5 bytes undefined.
        return data.decode("cp1252", errors="replace")


def _separator(text: str) -> str:
    sample = text[: 64 << 10].splitlines()[:_SCAN_ROWS]
    counts = {s: sum(line.count(s) for line in sample) for s in _SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _csv_sample(text: str, separator: str) -> list[list[str]]:
    lines = text[: 64 << 10].splitlines()[:_SCAN_ROWS]
    return list(csv.reader(lines, delimiter=separator))


def _read_csv(text: str, separator: str, skip_lines: int) -> pl.DataFrame:
    try:
        return pl.read_csv(
            io.BytesIO(text.encode()),
            separator=separator,
            has_header=False,
            skip_lines=skip_lines,
            infer_schema=False,
            truncate_ragged_lines=True,
            missing_columns="insert",
        )
    except pl.exceptions.PolarsError as exc:
        raise ValidationFailed(
            file_problem(CoreError.FILE_UNREADABLE, detail=_short(exc))
        ) from None
