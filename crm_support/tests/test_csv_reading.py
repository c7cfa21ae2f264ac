import codecs

from odoo.tests import tagged

from .common_import import CrmSupportImportCase

# a name with the separator, an address on two lines, quotes and a euro sign
ROWS = (
    '"Ñandú, Café S.L.","Calle Mayor 1\nPiso 2",,ES,,Precio: 10 €,,,,,,'
    '"Café ""Premium""",7\n'
    "Zoé,,,FR,,,,,,,,,\n"
)


@tagged("post_install", "-at_install", "crm_support")
class TestCsvReading(CrmSupportImportCase):
    """Encodings, separators and quoting of the files an import reads."""

    def _assert_read(self, data, encoding, separator=","):
        wizard = self._wizard(data, self.user1)
        self.assertEqual(
            (wizard.encoding, wizard.utf16_rows, wizard.separator),
            (encoding, False, separator),
        )
        self.assertFalse(wizard.has_header)
        wizard.action_check()
        self.assertEqual((wizard.create_count, wizard.error_count), (2, 0))
        self.assertEqual(
            [row["name"] for row in wizard.planned], ["Ñandú, Café S.L.", "Zoé"]
        )
        # the second row starts on line 3: the address spans lines 1 and 2
        self.assertEqual([row["line"] for row in wizard.planned], [1, 3])
        return wizard

    def test_utf8(self):
        self._assert_read(ROWS.encode(), "utf-8")

    def test_utf8_bom(self):
        self._assert_read(codecs.BOM_UTF8 + ROWS.encode(), "utf-8")

    def test_utf16_bom(self):
        self._assert_read(codecs.BOM_UTF16_LE + ROWS.encode("utf-16-le"), "utf-16")
        self._assert_read(codecs.BOM_UTF16_BE + ROWS.encode("utf-16-be"), "utf-16")

    def test_utf16_without_bom(self):
        self._assert_read(ROWS.encode("utf-16-le"), "utf-16-le")
        self._assert_read(ROWS.encode("utf-16-be"), "utf-16-be")

    def test_windows_1252(self):
        self._assert_read(ROWS.encode("cp1252"), "windows-1252")

    def test_semicolons(self):
        rows = ROWS.replace(",", ";").replace('"Ñandú; Café', '"Ñandú, Café')
        wizard = self._assert_read(rows.encode("cp1252"), "windows-1252", ";")
        wizard.action_import()
        company = self._companies("Ñandú, Café S.L.")
        self.assertEqual(company.street, "Calle Mayor 1\nPiso 2")
        self.assertEqual(company.comment, "<p>Precio: 10 €</p>")
        self.assertEqual(
            company.properties, {"producto": 'Café "Premium"', "usuarios": 7}
        )

    def test_wrong_encoding_is_told(self):
        wizard = self._wizard(ROWS.encode("cp1252"), self.user1)
        wizard.encoding = "utf-8"
        with self.assertRaisesRegex(
            Exception, "test.csv is not written in utf-8: byte 2, on line 1,"
        ):
            wizard.action_check()
        wizard.encoding = "klingon"
        with self.assertRaisesRegex(Exception, "'klingon' is not an encoding"):
            wizard.action_reread()

    def test_utf16_rows_with_newline_bytes(self):
        """Integria's UTF-16LE rows: a newline byte may be half of a letter."""
        # the name comes last: a false cut there still has every separator
        header = "id;country;name"
        rows = ["1;CN;上海 Ċ", "2;ME;Njegoš Њ", "3;CN;上"]
        data = (
            codecs.BOM_UTF8
            + header.encode()
            + b"\n"
            + b"".join(row.encode("utf-16-le") + b"\n" for row in rows)
        )
        self.assertGreater(data.count(b"\n"), 4)
        wizard = self._wizard(data, self.user1)
        self.assertEqual(
            (wizard.encoding, wizard.utf16_rows, wizard.separator, wizard.has_header),
            ("utf-8", True, ";", True),
        )
        wizard.action_check()
        self.assertFalse(wizard.issues)
        self.assertEqual(
            [row["name"] for row in wizard.planned], ["上海 Ċ", "Njegoš Њ", "上"]
        )

    def test_utf16_rows_of_cyrillic_and_cjk(self):
        """Integria's export of non-Latin rows: few zero bytes, still UTF-16LE."""
        header = (
            "id;name;address;fiscal_id;country;website;comments;id_company_role;"
            "id_parent;manager;last_update;payment_conditions;billing"
        )
        cyrillic = (
            "201;Общество с ограниченной ответственностью Ромашка;Москва улица "  # noqa: RUF001
            "Тверская дом семнадцать корпус два;;RU;;Клиент с две тысячи "  # noqa: RUF001
            "девятнадцатого года очень важный;1;0;admin;0000-00-00 00:00:00;30;"
        )
        cjk = (
            "202;上海软件有限公司北京分公司深圳办事处;上海市浦东新区世纪大道一百号"
            "东方明珠塔顶层;;中国;;联系人张三李四王五赵六钱七孙八;1;0;admin;"
            "0000-00-00 00:00:00;30;"
        )
        for row in (cyrillic, cjk):
            data = (
                codecs.BOM_UTF8
                + header.encode()
                + b"\n"
                + row.encode("utf-16-le")
                + b"\n"
            )
            wizard = self._wizard(data)
            self.assertEqual(
                (wizard.encoding, wizard.utf16_rows, wizard.separator),
                ("utf-8", True, ";"),
            )
            wizard.action_check()
            self.assertFalse(wizard.issues)
            wizard.action_import()
            self.assertEqual((wizard.state, wizard.create_count), ("done", 1))
            self.assertEqual(
                self.env["crm_support.company"]
                .search([("integria_id", "=", int(row[:3]))])
                .name,
                row.split(";")[1],
            )
