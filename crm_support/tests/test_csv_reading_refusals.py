import base64
import codecs
import io
import random

import xlsxwriter
from PIL import Image

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common_import import CrmSupportImportCase
from .test_csv_reading import ROWS

LINE = "Uno,,,ES,,,,,,0000-00-00 00:00:00,,,\n"


@tagged("post_install", "-at_install", "crm_support")
class TestCsvReadingRefusals(CrmSupportImportCase):
    """Files that are not CSV text, or not readable as chosen, are refused at
    reading with an error naming the file and the line; nothing is written."""

    def _assert_refused(self, data, pattern):
        with self.assertRaisesRegex(UserError, pattern):
            self._wizard(data, self.user1)
        self.assertFalse(self._companies("Uno", "Dos", "Tres", "Nul"))

    def test_nul_character_in_a_utf8_line(self):
        data = LINE.encode() + b"Nul\x00Co,,,ES,,,,,admin,0000-00-00 00:00:00,,,\n"
        self._assert_refused(
            data,
            r"^The file test\.csv does not look like a CSV text file: line 2 "
            r"contains the control character NUL \(U\+0000\)\.",
        )

    def test_spreadsheet_picked_by_mistake(self):
        out = io.BytesIO()
        workbook = xlsxwriter.Workbook(out)
        workbook.add_worksheet().write_row(0, 0, ["Uno", "", "", "ES"])
        workbook.close()
        self._assert_refused(
            out.getvalue(),
            r"^The file test\.csv does not look like a CSV text file: line 1 "
            r"contains the control character U\+0003\.",
        )

    def test_png_and_random_bytes(self):
        out = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(out, "PNG")
        # the signature is \x89PNG\r\n\x1a\n: line 2 starts with U+001A
        self._assert_refused(
            out.getvalue(),
            r"^The file test\.csv does not look like a CSV text file: "
            r"line 2 contains the control character U\+001A\.",
        )
        noise = random.Random(7).randbytes(4096)
        self._assert_refused(noise, r"does not look like a CSV text file: line \d+")

    def test_utf8_and_windows_1252_lines(self):
        data = (
            "Uno,,,España,,,,,,0000-00-00 00:00:00,,,\n".encode()
            + LINE.replace("Uno", "Dos").encode()
            + "Tres,,,España,,,,,,0000-00-00 00:00:00,,,\n".encode("cp1252")
        )
        self._assert_refused(
            data,
            r"^The file test\.csv mixes encodings: line 1 is written in UTF-8 and "
            r"line 3 is not",
        )
        # the same lines all in Windows-1252 import, euro sign included
        wizard = self._import(
            data.decode("utf-8", "replace").replace("\ufffd", "ñ").encode("cp1252")
            + "Cuatro €,,,ES,,,,,,,,,\n".encode("cp1252"),
            self.user1,
        )
        self.assertEqual((wizard.encoding, wizard.state), ("windows-1252", "done"))
        self.assertEqual(
            self._companies("Uno", "Tres", "Cuatro €").country_id,
            self.env.ref("base.es"),
        )

    def test_empty_files(self):
        with self.assertRaisesRegex(UserError, r"^The file test\.csv is empty\.$"):
            self._wizard(b"", self.user1)
        for data in (b"\n\r\n\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n\n"):
            with self.assertRaisesRegex(UserError, r"^The file test\.csv has no rows"):
                self._wizard(data, self.user1)

    def test_header_without_rows(self):
        header = "id;name;country\n"
        with self.assertRaisesRegex(
            UserError, r"^The file test\.csv has only its header line: no rows"
        ):
            self._wizard(header + "\n\n", self.user1)
        # read with a row, then the header is all that is left to check
        wizard = self._wizard(header + "7;Uno;ES\n", self.user1)
        wizard.has_header = False
        wizard.action_reread()
        wizard.file = base64.b64encode(header.encode())
        wizard.has_header = True
        with self.assertRaisesRegex(UserError, r"has only its header line"):
            wizard.action_check()

    def test_unclosed_quote(self):
        self._assert_refused(
            LINE + 'Dos,"never closed,,ES,,,,,,,,,\n' + LINE.replace("Uno", "Tres"),
            r"^The file test\.csv cannot be read as CSV: a quote opened in the row "
            r"that starts on line 2 is never closed\.",
        )
        # a quoted value over two lines before it: the line numbers still hold
        self._assert_refused(
            '"Uno","Calle\nMayor",,ES\nDos,,,ES\r\nTres,,"open\nCuatro,,,ES\n',
            r"a quote opened in the row that starts on line 4 is never closed",
        )

    def test_encoding_chosen_after_a_refusal(self):
        """The encoding can be chosen where the refusal leaves the wizard."""
        data = codecs.BOM_UTF8 + ROWS.encode("cp1252")
        wizard = (
            self.env["crm_support.company.import"]
            .with_user(self.user1)
            .create({"file": base64.b64encode(data), "filename": "x.csv"})
        )
        # the request's transaction is rolled back: the wizard stays as it was
        with (
            self.assertRaisesRegex(
                UserError, "not written in utf-8: byte 5, on line 1,"
            ),
            self.env.cr.savepoint(),
        ):
            wizard.action_read_file()
        self.assertEqual((wizard.state, wizard.encoding), ("upload", False))
        with Form(wizard) as form:
            for fname in ("encoding", "utf16_rows"):
                self.assertFalse(form._get_modifier(fname, "invisible"), fname)
                self.assertFalse(form._get_modifier(fname, "readonly"), fname)
            self.assertTrue(form._get_modifier("separator", "invisible"))
            form.encoding = "windows-1252"
        wizard.action_read_file()
        self.assertEqual((wizard.state, wizard.encoding), ("map", "windows-1252"))
        wizard.action_import()
        self.assertEqual(
            set(self._companies("Ñandú, Café S.L.", "Zoé").mapped("name")),
            {"Zoé", "Ñandú, Café S.L."},
        )
