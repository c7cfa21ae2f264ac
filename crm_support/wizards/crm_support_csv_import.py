import base64
import bisect
import codecs
import csv
import io
import logging
import os
import re
import time
from collections import defaultdict
from datetime import date, datetime

import chardet
import psycopg2
import pytz
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.crm_support_integria_mixin import INTEGRIA_MODULE
from ..models.res_country import normalize

_logger = logging.getLogger(__name__)

# a UTF-16LE character whose high byte is a newline: a row split off its end
OFF_BY_ONE_RE = re.compile("[\u0a00-\u0aff]")
# Integria writes MySQL's zero dates for "no date"
ZERO_DATES = {"0000-00-00", "0000-00-00 00:00:00"}
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
DATETIME_RE = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)")
# 8-bit encodings chardet names for Western European text: Windows-1252 reads
# all their letters, and is what Excel on Windows writes
WESTERN_ENCODINGS = {
    "ascii",
    "iso-8859-1",
    "iso-8859-9",
    "iso-8859-15",
    "windows-1252",
    "windows-1254",
}
# control characters no CSV text holds (tab, line feed and carriage return do)
CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_BYTES_RE = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
TRUE_WORDS = {"1", "true", "yes", "y", "x", "si", "sí", "s", "oui", "ja"}
FALSE_WORDS = {"0", "false", "no", "n", "non", "nein"}
# the external id namespaces an import may create records under
IMPORT_MODULES = (INTEGRIA_MODULE, "__export__", "__import__")
# cap of the rows listed in the dry-run report; all are counted
REPORT_LIMIT = 500
# longest value of a one-line text field (Char): PostgreSQL indexes them (the
# partner's name, its complete name, the contract number...) and a B-tree
# index entry holds at most 2704 bytes; 600 characters take at most 2400
# bytes in UTF-8
CHAR_LIMIT = 600

# what _convert returns for a column that is absent or whose value is bad
SKIP = object()


class CellError(Exception):
    """A value of the file that cannot be imported; the message says why."""


class MixedEncodingError(ValueError):
    """Lines in UTF-8 and lines in another encoding: ``(utf-8 line, other line)``."""


class UnclosedQuoteError(ValueError):
    """A quoted value still open at the end of the file: ``(line of its row,)``."""


# --- reading files ---------------------------------------------------------


def detect_encoding(data):
    """Return ``(encoding, utf16_rows)`` for the bytes of a CSV file.

    ``utf16_rows`` is Integria's own export: a UTF-8 header line, then each row
    encoded in UTF-16LE and ended by a single newline byte.
    """
    if data.startswith(codecs.BOM_UTF8):
        utf16_rows = _has_utf16_rows(data[len(codecs.BOM_UTF8) :])
        if not utf16_rows and not _decodes(data, "utf-8"):
            _refuse_mixed_lines(data)
        return "utf-8", utf16_rows
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", False
    if _has_utf16_rows(data):
        return "utf-8", True
    sample = data[:65536]
    if sample.count(b"\0") > len(sample) // 4:
        # UTF-16 without byte-order mark: the zero bytes of ASCII letters
        odd = sample[1::2].count(b"\0")
        wide = "utf-16-le" if odd > sample[::2].count(b"\0") else "utf-16-be"
        if _decodes(data, wide):
            return wide, False
    if _decodes(data, "utf-8"):
        return "utf-8", False
    _refuse_mixed_lines(data)
    guess = (chardet.detect(data)["encoding"] or "").lower()
    if not guess or guess in WESTERN_ENCODINGS or not _decodes(data, guess):
        return "windows-1252", False
    return guess, False


def _decodes(data, encoding):
    try:
        data.decode(encoding)
    except (LookupError, UnicodeDecodeError):
        return False
    return True


def _refuse_mixed_lines(data):
    """Raise MixedEncodingError if some lines are UTF-8 and others are not.

    Text in an 8-bit encoding next to it would read as mojibake (EspaÃ±a).
    """
    utf8_line = other_line = None
    for number, line in enumerate(data.split(b"\n"), 1):
        if line.isascii():
            continue
        if _decodes(line, "utf-8"):
            utf8_line = utf8_line or number
        else:
            other_line = other_line or number
        if utf8_line and other_line:
            raise MixedEncodingError(utf8_line, other_line)


def _has_utf16_rows(data):
    """Whether ``data`` is a UTF-8 header line followed by UTF-16LE rows.

    The header has no zero byte, the rows have some (a newline byte ends each
    of them) and they split into rows of the header's number of separators.
    """
    head, newline, body = data.partition(b"\n")
    if not newline or b"\0" in head or b"\0" not in body:
        return False
    try:
        header = head.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return False
    separator = header_separator(header)
    if not header.count(separator):
        return False
    try:
        split_utf16_rows(body, separator, header.count(separator))
    except ValueError:
        return False
    return True


def header_separator(header):
    """The separator of a header line: ``;`` unless it has more commas."""
    return ";" if header.count(";") >= header.count(",") else ","


def decode_file(data, encoding, utf16_rows):
    """The text of the file, rows separated by newlines."""
    if not utf16_rows:
        if encoding.replace("_", "-").lower() in ("utf-8", "utf8"):
            encoding = "utf-8-sig"
        elif data.startswith(codecs.BOM_UTF8) and not is_wide(encoding):
            data = data[len(codecs.BOM_UTF8) :]
        return data.decode(encoding).removeprefix("\ufeff")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    head, _newline, body = data.partition(b"\n")
    header = head.decode(encoding).rstrip("\r")
    separator = header_separator(header)
    rows = split_utf16_rows(body, separator, header.count(separator))
    return "\n".join([header, *rows])


def is_wide(encoding):
    """Whether ``encoding`` writes ASCII with zero bytes (UTF-16, UTF-32)."""
    return codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))


def control_character(text):
    """``(line, code)`` of the first control character of ``text``, or None.

    ``text`` may be bytes, of an encoding that writes ASCII as itself.
    """
    if isinstance(text, bytes):
        found = CONTROL_BYTES_RE.search(text)
        newline = b"\n"
    else:
        found = CONTROL_RE.search(text)
        newline = "\n"
    if not found:
        return None
    code = found.group()[0]
    line = text.count(newline, 0, found.start()) + 1
    return line, code if isinstance(code, int) else ord(code)


def split_utf16_rows(body, separator, width):
    """Split UTF-16LE rows that end with one newline byte each.

    A newline byte may also be half of a character (U+010A, U+4E0A...), so a
    row ends only where it decodes with the header's number of separators
    (Integria removes separators from values). Of the ways to split the file,
    the one kept has the fewest signs of text read one byte off: zero bytes in
    the low half of a character (where a Latin letter was) and characters
    whose high half is a newline byte (U+0A00 to U+0AFF).
    """
    ends = [match.start() for match in re.finditer(b"\n", body)]
    if not body.endswith(b"\n"):
        ends.append(len(body))
    target = ends[-1] + 1 if ends else 0
    # where the separator's two bytes are, by parity: a chunk is decoded only
    # once it holds the header's count of them (bytes that are no UTF-16 rows
    # seldom do, and each would otherwise be decoded up to the end)
    marks = ([], [])
    for match in re.finditer(re.escape(separator.encode("utf-16-le")), body):
        marks[match.start() % 2].append(match.start())
    best = {0: (0, None, None)}  # start of a row: (score, previous start, text)
    for start in sorted({0, *(end + 1 for end in ends)}):
        if start not in best or start >= target:
            continue
        score = best[start][0]
        aligned = marks[start % 2]
        first = bisect.bisect_left(aligned, start)
        for end in ends[bisect.bisect_left(ends, start) :]:
            if (end - start) % 2:
                continue
            count = bisect.bisect_right(aligned, end - 2) - first
            if count > width:
                break
            if count < width:
                continue
            chunk = body[start:end]
            try:
                text = chunk.decode("utf-16-le")
            except UnicodeDecodeError:
                continue
            total = score + chunk[::2].count(0) + 100 * len(OFF_BY_ONE_RE.findall(text))
            if end + 1 not in best or total < best[end + 1][0]:
                best[end + 1] = (total, start, text)
    if target not in best:
        raise ValueError("rows cannot be split")
    rows = []
    position = target
    while position:
        _score, position, text = best[position]
        rows.append(text.rstrip("\r"))
    return rows[::-1]


def detect_separator(text):
    """``,`` or ``;``: the dialect csv.Sniffer finds, or the steadier one."""
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;").delimiter
    except csv.Error:
        # no clear dialect: the separator most rows agree on
        return max(",;", key=lambda separator: _steadiness(sample, separator))


def _steadiness(sample, separator):
    """How many rows share the commonest width, and that width."""
    widths = defaultdict(int)
    for row in csv.reader(io.StringIO(sample, newline=""), delimiter=separator):
        widths[len(row)] += 1
    if not widths:
        return 0, 0
    width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
    return (count if width > 1 else 0), width


def read_rows(text, separator):
    """``[(line number, cells)]`` of the non-empty rows of ``text``.

    The line number is where the row starts: a quoted value may span lines.
    A quoted value still open at the end of the file raises UnclosedQuoteError.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    rows = []
    line = last = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise CellError(f"{line}: {error}") from error
        if any(cell.strip() for cell in cells):
            rows.append((line, cells))
        last = line
        line = reader.line_num + 1
    # only the last row can run to the end of the file: csv's strict mode
    # tells of a quoted value still open there
    tail = "".join(io.StringIO(text, newline="").readlines()[last - 1 :])
    strict = csv.reader(io.StringIO(tail, newline=""), delimiter=separator, strict=True)
    try:
        for _cells in strict:
            pass
    except csv.Error as error:
        if "unexpected end of data" in str(error):
            raise UnclosedQuoteError(last) from None
    return rows


def _filled(properties):
    """The custom field values that hold something."""
    return {
        name: value
        for name, value in (properties or {}).items()
        if value not in (None, False, "", [])
    }


class ImportRow:
    """One row of the file on its way to a record."""

    __slots__ = (
        "cells",
        "existing",
        "key",
        "later",
        "line",
        "name",
        "record",
        "registered",
        "unchanged",
        "vals",
    )

    def __init__(self, line, cells):
        self.line = line
        self.cells = cells
        self.name = ""
        self.key = None  # the value of the row's id column
        self.registered = False  # the key already names the record
        self.existing = None  # the record the row updates
        self.record = None  # the record written
        self.unchanged = False  # the row would not change its record
        self.vals = {}
        # links to rows of the file: {field: ImportRow}, written once the
        # other row has its record
        self.later = {}


class Issues:
    """The bad rows of a file: line, column, field and reason."""

    def __init__(self):
        self.items = []
        self.lines = set()

    def add(self, line, reason, column=None, field=None):
        # a reason without column or field leaves the key out: XML-RPC cannot
        # send None
        issue = {"line": line, "reason": reason}
        if column is not None:
            issue["column"] = column
        if field is not None:
            issue["field"] = field
        self.items.append(issue)
        self.lines.add(line)

    def __contains__(self, line):
        return line in self.lines


class CrmSupportCsvImport(models.AbstractModel):
    """Read a CSV file as Integria writes it, map its columns, check, import.

    The concrete wizards say which fields the columns feed
    (``_import_targets``), which records the rows update and how a row becomes
    values (``_prepare_rows``, ``_row_vals``) and how rows are written
    (``_write_rows``).
    """

    _name = "crm_support.csv.import"
    _description = "Import of an Integria IMS CSV file"

    # --- fields ----------------------------------------------------------

    file = fields.Binary(attachment=False)
    filename = fields.Char("File Name")
    encoding = fields.Char(
        help="Found when the file is read: utf-8, utf-16, windows-1252... Change "
        "it and read the file again if the letters look wrong."
    )
    utf16_rows = fields.Boolean(
        "UTF-16LE Rows",
        help="The header line is UTF-8 and every row UTF-16LE, as Integria's "
        "export writes them.",
    )
    separator = fields.Selection([(",", "Comma (,)"), (";", "Semicolon (;)")])
    has_header = fields.Boolean(
        "Header Line",
        help="The first line names the columns (Integria's export writes one): "
        "it is not imported, and its names set the columns' fields.",
    )
    state = fields.Selection(
        [
            ("upload", "Upload"),
            ("map", "Columns"),
            ("checked", "Checked"),
            ("done", "Done"),
        ],
        default="upload",
        required=True,
    )
    sample = fields.Json(readonly=True)
    preview_html = fields.Html("Preview", compute="_compute_preview_html")
    row_count = fields.Integer("Rows", readonly=True)
    create_count = fields.Integer("Created", readonly=True)
    update_count = fields.Integer("Updated", readonly=True)
    unchanged_count = fields.Integer("Unchanged", readonly=True)
    error_count = fields.Integer("Bad Rows", readonly=True)
    issues = fields.Json(readonly=True)
    planned = fields.Json(readonly=True)
    report_html = fields.Html(compute="_compute_report_html")
    bad_rows_file = fields.Binary("Bad Rows to Fix", attachment=False, readonly=True)
    bad_rows_filename = fields.Char(readonly=True)

    # --- computes --------------------------------------------------------

    # the concrete wizards add the columns to the dependencies
    @api.depends("sample")
    def _compute_preview_html(self):
        for wizard in self:
            labels = dict(wizard._import_targets())
            sample = wizard.sample or {}
            columns = wizard.column_ids.sorted("sequence")
            if not columns:
                wizard.preview_html = False
                continue
            rows = sample.get("rows") or []
            head = Markup("").join(
                Markup("<th>%s</th>") % text
                for text in [
                    self.env._("Column"),
                    self.env._("Header"),
                    self.env._("Field"),
                    *(self.env._("Line %(line)s", line=line) for line, _cells in rows),
                ]
            )
            body = Markup("").join(
                Markup("<tr>%s</tr>")
                % Markup("").join(
                    Markup("<td>%s</td>") % text
                    for text in [
                        index,
                        column.header or "",
                        labels.get(column.target, column.target),
                        *(
                            cells[index - 1] if index <= len(cells) else "—"
                            for _line, cells in rows
                        ),
                    ]
                )
                for index, column in enumerate(columns, 1)
            )
            widths = {len(cells) for _line, cells in rows}
            note = ""
            if widths and widths != {len(columns)}:
                note = Markup("<p class='text-warning'>%s</p>") % self.env._(
                    "The first lines have %(widths)s columns and the mapping has "
                    "%(count)s: fix the mapping, or those lines are refused.",
                    widths=", ".join(str(width) for width in sorted(widths)),
                    count=len(columns),
                )
            wizard.preview_html = note + Markup(
                "<table class='table table-sm table-bordered'><thead><tr>%s</tr>"
                "</thead><tbody>%s</tbody></table>"
            ) % (head, body)

    @api.depends("issues", "planned", "state")
    def _compute_report_html(self):
        actions = {
            "create": self.env._("Create"),
            "update": self.env._("Update"),
            "unchanged": self.env._("Unchanged"),
        }
        for wizard in self:
            if wizard.state not in ("checked", "done"):
                wizard.report_html = False
                continue
            parts = [Markup("<p>%s</p>") % wizard._summary()]
            issues = wizard.issues or []
            if issues:
                parts.append(
                    self._html_table(
                        [
                            self.env._("Line"),
                            self.env._("Column"),
                            self.env._("Field"),
                            self.env._("Reason"),
                        ],
                        [
                            [
                                issue["line"],
                                issue.get("column") or "",
                                issue.get("field") or "",
                                issue["reason"],
                            ]
                            for issue in issues[:REPORT_LIMIT]
                        ],
                        "table-danger",
                    )
                )
            planned = wizard.planned or []
            if planned and wizard.state == "checked":
                parts.append(
                    self._html_table(
                        [
                            self.env._("Line"),
                            self.env._("Action"),
                            self.env._("Record"),
                        ],
                        [
                            [row["line"], actions[row["action"]], row["name"]]
                            for row in planned[:REPORT_LIMIT]
                        ],
                    )
                )
            hidden = max(len(issues), len(planned)) - REPORT_LIMIT
            if hidden > 0:
                parts.append(
                    Markup("<p class='text-muted'>%s</p>")
                    % self.env._(
                        "Only the first %(limit)s rows are listed.",
                        limit=REPORT_LIMIT,
                    )
                )
            wizard.report_html = Markup("").join(parts)

    # --- onchanges -------------------------------------------------------

    @api.onchange("column_ids", "separator", "has_header")
    def _onchange_mapping(self):
        self._back_to_mapping()

    # --- CRUD ------------------------------------------------------------

    def write(self, vals):
        # a mapping changed after a check makes its report stale (over
        # XML-RPC too, where no onchange runs): the file is to be checked again
        stale = self.browse()
        if "state" not in vals and set(vals) & self._check_inputs():
            stale = self.filtered(lambda wizard: wizard.state == "checked")
        result = super().write(vals)
        if stale:
            stale.write({"state": "map"})
        return result

    # --- actions ---------------------------------------------------------

    def action_read_file(self):
        """Find encoding, separator and header, and propose a mapping."""
        self.ensure_one()
        data = self._file_bytes()
        if self.encoding or self.utf16_rows:
            # chosen before reading, after the file could not be read
            self.encoding = self.encoding or "utf-8"
        else:
            self.encoding, self.utf16_rows = self._detect_encoding(data)
        text = self._decoded_text(data)
        self.separator = detect_separator(text)
        rows = self._parse(text)
        self.has_header = bool(rows) and self._is_header(rows[0][1])
        self._check_data_rows(rows)
        self._reset_columns(rows)
        return self._reopen()

    def action_reread(self):
        """Read the file again with the encoding, separator and header chosen."""
        self.ensure_one()
        self._reset_columns(self._parse(self._decoded_text(self._file_bytes())))
        return self._reopen()

    def action_check(self):
        self.ensure_one()
        self._run("check")
        return self._reopen()

    def action_import(self):
        self.ensure_one()
        self._run("all")
        return self._reopen()

    def action_import_good_rows(self):
        self.ensure_one()
        self._run("good")
        return self._reopen()

    # --- business helpers: the steps -------------------------------------

    def _back_to_mapping(self):
        """Leave a stale check: the report goes, Check comes back."""
        for wizard in self:
            if wizard.state == "checked":
                wizard.state = "map"

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            # the dialog's title, else the web client shows none of its own
            "name": self._title(),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            "context": self.env.context,
        }

    def _file_bytes(self):
        if not self.file and not self.filename:
            raise UserError(self.env._("Choose the CSV file to import."))
        data = base64.b64decode(self.file or b"")
        if not data:
            raise UserError(
                self.env._("The file %(file)s is empty.", file=self._file_label())
            )
        return data

    def _file_label(self):
        return self.filename or self.env._("without name")

    def _detect_encoding(self, data):
        try:
            return detect_encoding(data)
        except MixedEncodingError as error:
            # bytes of a binary file may look like lines of two encodings
            found = control_character(data)
            if found:
                raise self._not_text_error(found) from None
            raise UserError(
                self.env._(
                    "The file %(file)s mixes encodings: line %(utf8_line)s is "
                    "written in UTF-8 and line %(other_line)s is not (it may be "
                    "Windows-1252). Save the whole file in UTF-8 and read it again.",
                    file=self._file_label(),
                    utf8_line=error.args[0],
                    other_line=error.args[1],
                )
            ) from None

    def _not_text_error(self, found):
        line, code = found
        # outside the call: the extraction of terms evaluates its strings
        character = "NUL (U+0000)" if code == 0 else f"U+{code:04X}"
        return UserError(
            self.env._(
                "The file %(file)s does not look like a CSV text file: line "
                "%(line)s contains the control character %(character)s. Choose a "
                "CSV file, or the encoding of this one if it is one.",
                file=self._file_label(),
                line=line,
                character=character,
            )
        )

    def _decoded_text(self, data):
        try:
            codecs.lookup(self.encoding or "")
        except LookupError:
            raise UserError(
                self.env._(
                    "Encoding: %(encoding)r is not an encoding this server knows "
                    "(try utf-8, utf-16 or windows-1252).",
                    encoding=self.encoding,
                )
            ) from None
        try:
            text = decode_file(data, self.encoding, self.utf16_rows)
        except UnicodeDecodeError as error:
            found = not self.utf16_rows and not is_wide(self.encoding)
            found = found and control_character(data)
            if found:
                raise self._not_text_error(found) from None
            # the position in the file, from 1: decoding may have dropped a
            # UTF-8 byte-order mark
            position = error.start
            if data.startswith(codecs.BOM_UTF8) and not error.object.startswith(
                codecs.BOM_UTF8
            ):
                position += len(codecs.BOM_UTF8)
            line = data[:position].decode(self.encoding, "replace").count("\n") + 1
            raise UserError(
                self.env._(
                    "The file %(file)s is not written in %(encoding)s: byte "
                    "%(position)s, on line %(line)s, cannot be read. Choose another "
                    "encoding.",
                    file=self._file_label(),
                    encoding=self.encoding,
                    position=position + 1,
                    line=line,
                )
            ) from None
        except ValueError:
            raise UserError(
                self.env._(
                    "The rows of this file cannot be read as UTF-16LE rows: "
                    "untick UTF-16LE Rows or choose another encoding."
                )
            ) from None
        found = control_character(text)
        if found:
            raise self._not_text_error(found)
        return text

    def _parse(self, text):
        """The rows of the file; a file without any is refused."""
        try:
            rows = read_rows(text, self.separator or ",")
        except UnclosedQuoteError as error:
            raise UserError(
                self.env._(
                    "The file %(file)s cannot be read as CSV: a quote opened in "
                    "the row that starts on line %(line)s is never closed. Close "
                    "it or remove it.",
                    file=self._file_label(),
                    line=error.args[0],
                )
            ) from None
        except CellError as error:
            raise UserError(
                self.env._(
                    "The file cannot be read as CSV from line %(where)s.",
                    where=str(error),
                )
            ) from None
        if not rows:
            raise UserError(
                self.env._(
                    "The file %(file)s has no rows: it holds only empty lines.",
                    file=self._file_label(),
                )
            )
        return rows

    def _read_file(self):
        """``(header cells or None, [(line, cells)])`` of the whole file."""
        rows = self._parse(self._decoded_text(self._file_bytes()))
        self._check_data_rows(rows)
        if self.has_header:
            return rows[0][1], rows[1:]
        return None, rows

    def _check_data_rows(self, rows):
        """Refuse a file whose only row is its header line."""
        if self.has_header and len(rows) == 1:
            raise UserError(
                self.env._(
                    "The file %(file)s has only its header line: no rows to " "import.",
                    file=self._file_label(),
                )
            )

    def _is_header(self, cells):
        known = self._header_aliases()
        names = [normalize(cell) for cell in cells]
        return "name" in names and sum(name in known for name in names) >= 3

    def _reset_columns(self, rows):
        header = rows[0][1] if self.has_header and rows else None
        data_rows = rows[1:] if header else rows
        if header:
            targets = [self._header_target(cell) for cell in header]
        else:
            targets = self._default_targets()
        self.write(
            {
                "column_ids": [
                    Command.clear(),
                    *(
                        Command.create(
                            {
                                "sequence": index,
                                "target": target,
                                "header": header[index - 1] if header else False,
                            }
                        )
                        for index, target in enumerate(targets, 1)
                    ),
                ],
                "sample": {"rows": data_rows[:3]},
                "state": "map",
                "issues": False,
                "planned": False,
                "bad_rows_file": False,
                "bad_rows_filename": False,
            }
        )

    def _header_target(self, cell):
        name = normalize(cell)
        target = self._header_aliases().get(name)
        if target:
            return target
        if name in self._custom_labels():
            return "custom_header"
        return "ignore"

    def _targets_in_order(self):
        """The target of each column, and the header of each column."""
        columns = self.column_ids.sorted("sequence")
        targets = columns.mapped("target")
        labels = dict(self._import_targets())
        seen = {}
        for index, target in enumerate(targets, 1):
            if target in ("ignore", "custom_header"):
                continue
            if target in seen:
                raise UserError(
                    self.env._(
                        "Columns %(first)s and %(second)s both feed %(field)s: "
                        "map one of them to another field or ignore it.",
                        first=seen[target],
                        second=index,
                        field=labels.get(target, target),
                    )
                )
            seen[target] = index
        return targets, [column.header or "" for column in columns]

    def _run(self, mode):
        """Check (``check``) or import everything (``all``) or the good rows.

        Rows are written through the ORM as the user, in batches; any row the
        ORM refuses is found by writing the rows one by one. ``check`` and a
        file with bad rows in ``all`` leave nothing behind.
        """
        started = time.monotonic()
        header, rows = self._read_file()
        targets, headers = self._targets_in_order()
        issues = Issues()
        import_rows = self._prepare_rows(rows, targets, headers, issues)
        self._skip_dependents(import_rows, issues)
        import_rows = self._in_order(import_rows, issues)

        registry = self.env.registry
        invalidated = set(registry.cache_invalidated)
        savepoint = self.env.cr.savepoint()
        try:
            good = [row for row in import_rows if row.line not in issues]
            self._write_all(good, issues)
        except Exception:
            savepoint.close(rollback=True)
            raise
        written = [row for row in import_rows if row.line not in issues]
        keep = mode == "good" or (mode == "all" and not issues.items)
        savepoint.close(rollback=not keep)
        if not keep:
            # the rolled back rows may have left entries in this worker's
            # ormcaches (the external ids just registered, in the default
            # cache): clear the default cache and any cache the rows
            # invalidated, here only; nothing committed changed, so other
            # workers are not told (their invalidations before the run are)
            registry.clear_cache("default", *(registry.cache_invalidated - invalidated))
            registry.cache_invalidated.intersection_update(invalidated)

        issues.items.sort(key=lambda issue: (issue["line"], issue.get("column", 0)))
        bad_lines = set(issues.lines)
        vals = {
            "row_count": len(rows),
            "create_count": sum(not row.existing for row in written),
            "update_count": sum(
                bool(row.existing) and not row.unchanged for row in written
            ),
            "unchanged_count": sum(row.unchanged for row in written),
            "error_count": len(bad_lines),
            "issues": issues.items,
            "planned": [
                {
                    "line": row.line,
                    "action": "unchanged"
                    if row.unchanged
                    else "update"
                    if row.existing
                    else "create",
                    "name": row.name,
                }
                for row in written[:REPORT_LIMIT]
            ],
            "state": "done" if keep else "checked",
            "bad_rows_file": False,
            "bad_rows_filename": False,
        }
        if bad_lines:
            vals.update(self._bad_rows_file(header, rows, bad_lines))
        self.write(vals)
        _logger.info(
            "CSV import into %s (%s): %d rows read, %d created, %d updated, "
            "%d bad rows, in %.2fs%s",
            self._import_model,
            mode,
            len(rows),
            vals["create_count"] if keep else 0,
            vals["update_count"] if keep else 0,
            len(bad_lines),
            time.monotonic() - started,
            "" if keep else ", nothing written",
        )

    def _skip_dependents(self, rows, issues):
        """Rows that refer to a bad row of the file are bad too."""
        changed = True
        while changed:
            changed = False
            for row in rows:
                if row.line in issues:
                    continue
                bad = [
                    other
                    for other in row.later.values()
                    if isinstance(other, ImportRow) and other.line in issues
                ]
                if bad:
                    issues.add(
                        row.line,
                        self.env._(
                            "it refers to the row of line %(line)s, which is not "
                            "imported.",
                            line=bad[0].line,
                        ),
                    )
                    changed = True

    def _in_order(self, rows, issues):
        """The rows, each after the rows it refers to; cycles are bad rows."""
        ordered, placed = [], set()
        pending = [row for row in rows if row.line not in issues]
        while pending:
            ready = [
                row
                for row in pending
                if all(
                    other.line in placed
                    for other in row.later.values()
                    if isinstance(other, ImportRow)
                )
            ]
            if not ready:
                lines = ", ".join(str(row.line) for row in pending)
                for row in pending:
                    issues.add(
                        row.line,
                        self.env._(
                            "it refers to itself through other rows (lines "
                            "%(lines)s).",
                            lines=lines,
                        ),
                    )
                break
            ordered += ready
            placed.update(row.line for row in ready)
            pending = [row for row in pending if row.line not in placed]
        return ordered + [row for row in rows if row.line in issues]

    def _write_all(self, rows, issues):
        """Write the rows in batches; on a refusal, row by row to find it.

        ``rows`` come each after the rows it refers to.
        """
        try:
            with self.env.cr.savepoint():
                self._write_rows(rows)
            return
        except self._refusals() as error:
            _logger.info("CSV import: a batch was refused (%s), row by row", error)
        for row in rows:
            row.record = None
        for row in rows:
            missing = [
                other
                for other in row.later.values()
                if isinstance(other, ImportRow) and other.record is None
            ]
            if missing:
                issues.add(
                    row.line,
                    self.env._(
                        "it refers to the row of line %(line)s, which is not "
                        "imported.",
                        line=missing[0].line,
                    ),
                )
                continue
            try:
                with self.env.cr.savepoint():
                    self._write_rows([row])
            except self._refusals() as error:
                issues.add(row.line, self._refusal_text(error))

    def _write_batch(self, rows):
        """Write rows that refer to no row still to write.

        The new records are made in one create(), the changed ones written by
        ``_write_record``, and each row's id becomes the external id of its
        record where it is not yet.
        """
        Model = self.env[self._import_model].with_context(tracking_disable=True)
        new = [row for row in rows if not row.existing]
        if new:
            records = Model.create([row.vals for row in new])
            for row, record in zip(new, records, strict=True):
                row.record = record
        for row in rows:
            if row.existing and not row.unchanged:
                self._write_record(
                    row.existing.with_context(tracking_disable=True), row.vals
                )
            row.record = row.record or row.existing
        self._register_xmlids(
            {row.key: row.record for row in rows if row.key and not row.registered},
            Model._integria_prefix,
        )

    def _readable(self, rows):
        """The records the rows update that the user may read."""
        return (
            self.env[self._import_model]
            .browse({row.existing.id for row in rows if row.existing})
            ._filtered_access("read")
        )

    def _mark_unchanged(self, rows, issues):
        """Mark the good rows that would not change the readable record they update.

        A record the user may not read is never taken for unchanged.
        """
        readable = self._readable(rows)
        for row in rows:
            if row.existing and row.existing in readable and row.line not in issues:
                row.unchanged = self._is_unchanged(row.existing, row.vals, row.later)

    @api.model
    def _is_unchanged(self, record, vals, later):
        """Whether writing ``vals`` (and ``later``) would change ``record``."""
        if later:
            return False
        for fname, value in vals.items():
            field = record._fields[fname]
            current = record[fname]
            if field.type == "many2one":
                if current.id != (value or False):
                    return False
            elif field.type == "properties":
                if _filled(current) != _filled(value):
                    return False
            elif field.type in ("char", "text", "html"):
                if (current or "") != (value or ""):
                    return False
            elif current != value:
                return False
        return True

    def _refusals(self):
        return (UserError, ValueError, psycopg2.Error)

    def _refusal_text(self, error):
        if isinstance(error, psycopg2.Error):
            return self.env._(
                "the database refused the row: %(error)s",
                error=(error.pgerror or str(error)).strip().splitlines()[0],
            )
        return str(error.args[0] if error.args else error)

    def _summary(self):
        # counts after their label, which reads right for 1 as for 1000
        if self.state == "done":
            text = self.env._(
                "Rows read: %(rows)s. Created: %(created)s, updated: %(updated)s, "
                "unchanged: %(unchanged)s.",
                rows=self.row_count,
                created=self.create_count,
                updated=self.update_count,
                unchanged=self.unchanged_count,
            )
        else:
            text = self.env._(
                "Rows read: %(rows)s. To create: %(created)s, to update: "
                "%(updated)s, left unchanged: %(unchanged)s.",
                rows=self.row_count,
                created=self.create_count,
                updated=self.update_count,
                unchanged=self.unchanged_count,
            )
        if self.error_count:
            text += " " + self.env._(
                "Rows with errors, not imported: %(count)s.",
                count=self.error_count,
            )
        return text

    def _bad_rows_file(self, header, rows, bad_lines):
        """The bad rows in the file's own format, to fix and import again."""
        out = io.StringIO()
        writer = csv.writer(out, delimiter=self.separator or ",", lineterminator="\n")
        if header:
            writer.writerow(header)
        writer.writerows(cells for line, cells in rows if line in bad_lines)
        stem = os.path.splitext(self.filename or "import")[0]
        return {
            "bad_rows_file": base64.b64encode(
                codecs.BOM_UTF8 + out.getvalue().encode()
            ),
            "bad_rows_filename": f"{stem}-bad-rows.csv",
        }

    @api.model
    def _html_table(self, head, rows, row_class=""):
        return Markup(
            "<table class='table table-sm'><thead><tr>%s</tr></thead>"
            "<tbody>%s</tbody></table>"
        ) % (
            Markup("").join(Markup("<th>%s</th>") % cell for cell in head),
            Markup("").join(
                Markup("<tr class='%s'>%s</tr>")
                % (
                    row_class,
                    Markup("").join(Markup("<td>%s</td>") % cell for cell in row),
                )
                for row in rows
            ),
        )

    # --- business helpers: rows and cells --------------------------------

    def _cells_by_target(self, row, targets, issues, custom_count=None):
        """``{target: (column number, value)}`` of a row, or None if it is bad.

        A row must have as many columns as the mapping. With ``custom_count``
        (the number of custom fields of the row's own type), a row whose
        trailing custom columns are that many is accepted too; -1 accepts any
        number of them, for a row whose type is unknown (and so refused).
        """
        width = len(targets)
        cells = row.cells
        if len(cells) != width and custom_count is not None:
            customs = [target.startswith("custom_") for target in targets]
            trailing = len(customs) - (customs.index(True) if True in customs else 0)
            fixed = width - trailing
            if all(customs[fixed:]) and (
                len(cells) == fixed + custom_count
                or (custom_count < 0 and fixed <= len(cells) < width)
            ):
                width = len(cells)
        if len(cells) != width:
            issues.add(
                row.line,
                self.env._(
                    "the line has %(count)s columns and the mapping %(width)s: "
                    "fix the mapping (or the line).",
                    count=len(cells),
                    width=len(targets),
                ),
            )
            return None
        values = {}
        for index, (target, cell) in enumerate(zip(targets, cells, strict=False), 1):
            if target == "ignore":
                continue
            if target == "custom_header":
                values.setdefault(target, []).append((index, cell.strip()))
            else:
                values[target] = (index, cell.strip())
        return values

    def _identify_row(self, row, values, issues, by_id):
        """Read the row's name and id cell; the record of that id is updated.

        ``by_id`` maps the id cells that name existing records to their ids.
        Returns the id cell's value ("" for none), or SKIP if it is bad.
        """
        Model = self.env[self._import_model]
        row.name = values.get("name", (0, ""))[1]
        key = values.get("id", (0, ""))[1]
        if key:
            key = self._convert(
                row, issues, values, "id", self._check_id_value, Model._integria_prefix
            )
            if key is SKIP:
                return SKIP
            row.key = key
            row.existing = Model.browse(by_id.get(key) or [])
            row.registered = bool(row.existing)
        return key

    def _fill_rows(self, mapped, lookups, labels, issues):
        """The rows of ``[(row, values)]`` not refused yet, ``vals`` filled.

        ``lookups["readable"]`` holds, for ``_row_vals``, the records the rows
        update that the user may read.
        """
        lookups["readable"] = self._readable([row for row, _values in mapped])
        rows = []
        for row, values in mapped:
            if row.line in issues:
                continue
            self._check_lengths(row, values, labels, issues)
            self._row_vals(row, values, lookups, labels, issues)
            rows.append(row)
        return rows

    def _check_lengths(self, row, values, labels, issues):
        """Refuse values too long for the one-line text fields they feed."""
        Model = self.env[self._import_model]
        for target, fname in self._text_targets().items():
            if target not in values or Model._fields[fname].type != "char":
                continue
            column, value = values[target]
            if len(value) > CHAR_LIMIT:
                issues.add(
                    row.line,
                    self.env._(
                        "the value is %(length)s characters long; %(field)s holds "
                        "at most %(limit)s.",
                        length=len(value),
                        field=labels.get(target, target),
                        limit=CHAR_LIMIT,
                    ),
                    column=column,
                    field=labels.get(target, target),
                )

    def _convert(self, row, issues, values, target, convert, *args):
        """Convert the cell of ``target``, or log its error and return SKIP."""
        if target not in values:
            return SKIP
        column, value = values[target]
        try:
            return convert(value, *args)
        except CellError as error:
            issues.add(
                row.line,
                str(error),
                column=column,
                field=dict(self._import_targets()).get(target, target),
            )
            return SKIP

    def _convert_into(self, row, issues, values, target, fname, convert, *args):
        """Convert the cell of ``target`` into ``row.vals[fname]``, if it is good."""
        value = self._convert(row, issues, values, target, convert, *args)
        if value is not SKIP:
            row.vals[fname] = value

    @api.model
    def _parse_date(self, value):
        """A day: 2024-12-31, or with a time of midnight as Integria writes days."""
        if not value or value in ZERO_DATES:
            return False
        match = DATETIME_RE.fullmatch(value)
        if not match:
            return self._parse_day(value, value)
        day = self._parse_day(match.group(1), value)
        if self._parse_clock(match.group(2), value) != datetime.min.time():
            raise CellError(
                self.env._(
                    "%(value)r has a time of day, but this field holds a day "
                    "without time: write 2024-12-31 (or 2024-12-31 00:00:00).",
                    value=value,
                )
            )
        return day

    @api.model
    def _parse_datetime(self, value):
        """A date and time in the user's time zone, as a naive UTC datetime."""
        if not value or value in ZERO_DATES:
            return False
        match = DATETIME_RE.fullmatch(value)
        if match:
            moment = datetime.combine(
                self._parse_day(match.group(1), value),
                self._parse_clock(match.group(2), value),
            )
        else:
            moment = datetime.combine(
                self._parse_day(value, value), datetime.min.time()
            )
        zone = pytz.timezone(self.env.user.tz or "UTC")
        return zone.localize(moment).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _parse_day(self, text, value):
        """The day ``text`` (part of the cell ``value``) writes as 2024-12-31."""
        if not DATE_RE.fullmatch(text):
            raise CellError(
                self.env._(
                    "%(value)r is not a date written as year-month-day (2024-12-31).",
                    value=value,
                )
            )
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise CellError(
                self.env._("%(value)r is a date that does not exist.", value=value)
            ) from None

    @api.model
    def _parse_clock(self, text, value):
        """The time of day ``text`` (part of the cell ``value``) writes."""
        if len(text) == 5:
            text += ":00"
        try:
            return datetime.strptime(text, "%H:%M:%S").time()
        except ValueError:
            raise CellError(
                self.env._("%(value)r is not a time of day (23:59:59).", value=value)
            ) from None

    @api.model
    def _parse_boolean(self, value):
        word = value.strip().casefold()
        if word in TRUE_WORDS:
            return True
        if not word or word in FALSE_WORDS:
            return False
        raise CellError(
            self.env._("%(value)r is neither yes (1) nor no (0).", value=value)
        )

    @api.model
    def _parse_integer(self, value):
        if not value:
            return False
        if re.fullmatch(r"[-+]?\d+", value):
            return int(value)
        raise CellError(self.env._("%(value)r is not a whole number.", value=value))

    @api.model
    def _parse_float(self, value):
        if not value:
            return False
        if re.fullmatch(r"[-+]?\d+(?:[.,]\d+)?", value):
            return float(value.replace(",", "."))
        raise CellError(self.env._("%(value)r is not a number.", value=value))

    @api.model
    def _is_empty_reference(self, value):
        # Integria writes 0 for "none" in its id columns
        return not value or value == "0"

    @api.model
    def _xmlid_parts(self, value, prefix):
        """``(module, name)`` an id column's value stands for, or None."""
        if value.isdigit():
            return INTEGRIA_MODULE, f"{prefix}_{int(value)}"
        if re.fullmatch(r"[\w-]+\.[\w.-]+", value):
            return tuple(value.split(".", 1))
        return None

    @api.model
    def _records_by_xmlid(self, model, prefix, values):
        """``{value: record id}`` of the values that name existing records."""
        wanted = defaultdict(set)
        parts = {}
        for value in values:
            found = self._xmlid_parts(value, prefix)
            if found:
                parts[value] = found
                wanted[found[0]].add(found[1])
        if not wanted:
            return {}
        domain = [("model", "=", model)]
        domain += ["|"] * (len(wanted) - 1)
        for module, names in wanted.items():
            domain += ["&", ("module", "=", module), ("name", "in", list(names))]
        # sudo: external ids are reserved to administrators; they only tell
        # which record a value of the file names, the ORM then checks access
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search_fetch(domain, ["module", "name", "res_id"])
        )
        res_ids = {(entry.module, entry.name): entry.res_id for entry in data}
        existing = set(self.env[model].browse(res_ids.values()).exists().ids)
        return {
            value: res_ids[found]
            for value, found in parts.items()
            if res_ids.get(found) in existing
        }

    @api.model
    def _find_reference(self, value, by_id, by_name):
        """What an id column's value names: by Integria id, else by its name.

        None when the value names no record, or several by their name.
        """
        if value in by_id:
            return by_id[value]
        found = by_name.get(normalize(value), [])
        return found[0] if len(found) == 1 else None

    @api.model
    def _ids_by_name(self, model):
        """Record ids of a model by their name in every installed language.

        For small tables (roles, contract types): all their records are read.
        A name two records share, in any languages, lists both: it is
        ambiguous.
        """
        Model = self.env[model]
        found = defaultdict(list)
        for lang, _label in self.env["res.lang"].get_installed():
            for record in Model.with_context(lang=lang).search_fetch([], ["name"]):
                ids = found[normalize(record.name)]
                if record.id not in ids:
                    ids.append(record.id)
        return found

    @api.model
    def _register_xmlids(self, records_by_value, prefix):
        """Give created or updated records the external id of their row."""
        vals_list = []
        for value, record in records_by_value.items():
            module, name = self._xmlid_parts(value, prefix)
            vals_list.append(
                {
                    "module": module,
                    "name": name,
                    "model": record._name,
                    "res_id": record.id,
                    "noupdate": True,
                }
            )
        if not vals_list:
            return
        # sudo: external ids are reserved to administrators; these only record
        # the ids the file gave to records the user just wrote through the ORM
        Data = self.env["ir.model.data"].sudo()
        names = defaultdict(list)
        for vals in vals_list:
            names[vals["module"]].append(vals["name"])
        domain = ["|"] * (len(names) - 1)
        for module, module_names in names.items():
            domain += ["&", ("module", "=", module), ("name", "in", module_names)]
        # the ids of records deleted since, or of the record a row now replaces
        Data.search(domain).unlink()
        Data.create(vals_list)

    @api.model
    def _check_id_value(self, value, prefix):
        """An id column's value: an Integria id or an external id of imports."""
        parts = self._xmlid_parts(value, prefix)
        if not parts:
            raise CellError(
                self.env._(
                    "%(value)r is neither an Integria id (a number) nor an "
                    "external id (module.name).",
                    value=value,
                )
            )
        return value

    @api.model
    def _country_index(self):
        """Countries by ISO code and by their name in every installed language."""
        return self.env["res.country"]._crm_support_index()

    @api.model
    def _find_country(self, value, index):
        if not value:
            return False
        country_id = self.env["res.country"]._crm_support_find(value, index)
        if country_id:
            return country_id
        raise CellError(
            self.env._(
                "unknown country %(value)r: write its ISO code (ES) or its name.",
                value=value,
            )
        )

    @api.model
    def _custom_fields(self, definition):
        """The property definitions that hold values, separators skipped."""
        return [field for field in definition or [] if field.get("type") != "separator"]

    @api.model
    def _property_value(self, field, value):
        """The stored value of a custom field for the text of a cell."""
        kind = field.get("type")
        if kind in ("tags", "many2many"):
            if not value:
                return False
            parts = [part.strip() for part in value.split(",") if part.strip()]
            return [self._property_item(field, part) for part in parts]
        if not value:
            return False
        if kind == "char":
            return value
        if kind == "boolean":
            return self._parse_boolean(value)
        if kind == "integer":
            return self._parse_integer(value)
        if kind == "float":
            return self._parse_float(value)
        if kind == "date":
            return fields.Date.to_string(self._parse_date(value))
        if kind == "datetime":
            return fields.Datetime.to_string(self._parse_datetime(value))
        return self._property_item(field, value)

    @api.model
    def _property_item(self, field, value):
        kind = field.get("type")
        key = normalize(value)
        if kind in ("selection", "tags"):
            options = field.get(kind) or []
            for option in options:
                if key in (normalize(option[0]), normalize(option[1])):
                    return option[0]
            raise CellError(
                self.env._(
                    "%(value)r is not one of the values of %(field)s: %(options)s.",
                    value=value,
                    field=field.get("string") or field["name"],
                    options=", ".join(option[1] for option in options),
                )
            )
        comodel = field.get("comodel")
        if kind in ("many2one", "many2many") and comodel in self.env:
            found = self.env[comodel].name_search(value, operator="=", limit=2)
            if len(found) == 1:
                return found[0][0]
            raise CellError(
                self.env._(
                    "%(count)s records are named %(value)r for %(field)s.",
                    count=len(found),
                    value=value,
                    field=field.get("string") or field["name"],
                )
            )
        raise CellError(
            self.env._(
                "%(field)s is a custom field of a kind the import does not know.",
                field=field.get("string") or field["name"],
            )
        )

    @api.model
    def _properties_from_cells(self, row, issues, values, definition, labels, headers):
        """The custom field values of a row: positional columns, then named ones."""
        customs = self._custom_fields(definition)
        by_label = {normalize(field.get("string") or ""): field for field in customs}
        found = {}
        for target, cell in values.items():
            if not target.startswith("custom_") or target == "custom_header":
                continue
            column, value = cell
            position = int(target.removeprefix("custom_"))
            if position > len(customs):
                issues.add(
                    row.line,
                    self.env._(
                        "there are only %(count)s custom fields.", count=len(customs)
                    ),
                    column=column,
                    field=labels.get(target, target),
                )
                continue
            found[(column, customs[position - 1]["name"])] = (
                customs[position - 1],
                value,
            )
        for column, value in values.get("custom_header", []):
            label = headers[column - 1]
            field = by_label.get(normalize(label))
            if field:
                found[(column, field["name"])] = (field, value)
            elif value:
                # the column belongs to the custom fields of another type
                issues.add(
                    row.line,
                    self.env._(
                        "%(label)s is not a custom field of this row.", label=label
                    ),
                    column=column,
                    field=label,
                )
        properties = {}
        for (column, name), (field, value) in found.items():
            try:
                properties[name] = self._property_value(field, value)
            except CellError as error:
                issues.add(
                    row.line,
                    str(error),
                    column=column,
                    field=field.get("string") or name,
                )
        return properties

    # --- business helpers: what the concrete wizards define -------------

    def _check_inputs(self):
        """The fields a check depends on: changing one asks for a new check."""
        return {
            "file",
            "encoding",
            "utf16_rows",
            "separator",
            "has_header",
            "column_ids",
        }

    def _title(self):
        """The title of the wizard's dialog, as its menu action names it."""
        return self.env._("Import")

    def _import_targets(self):
        """``[(target, label)]``: what a column may feed, documented order first."""
        return [("ignore", self.env._("(ignored)"))]

    def _default_targets(self):
        """The targets of a file without header, in Integria's documented order."""
        return []

    def _header_aliases(self):
        """``{header name: target}`` for the names Integria's export writes."""
        return {}

    def _custom_labels(self):
        """Normalized labels of the custom fields a header may name."""
        return set()

    def _text_targets(self):
        """``{target: field}`` of the columns copied as text into a field."""
        return {}

    def _prepare_rows(self, rows, targets, headers, issues):
        """``[ImportRow]`` with values and the records they update."""
        return []

    def _row_vals(self, row, values, lookups, labels, issues):
        """Fill ``row.vals`` (and ``row.later``) from the row's ``values``."""

    def _write_rows(self, rows):
        """Create or update the records of the rows (sets ``row.record``).

        ``rows`` come each after the rows it refers to (``row.later``); a
        wizard whose rows refer to other rows writes them in waves.
        """
        self._write_batch(rows)

    def _write_record(self, record, vals):
        """Write the values of a row into the existing record it updates."""
        return record.write(vals)
