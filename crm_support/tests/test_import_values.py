import xmlrpc.client
from datetime import date

from lxml import etree

from odoo import Command
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_import import CrmSupportContractImportCase

CONTRACTS = "crm_support.contract.import"
EXAMPLE_CONTRACT = (
    "Contrato prueba,123456789,Descripción,2017-07-25,2017-07-31,1,,0,1,1,"
    "Integria,20\n"
)


@tagged("post_install", "-at_install", "crm_support")
class TestImportValues(CrmSupportContractImportCase):
    """What the wizards answer: readable reports, days, long values, dialogs."""

    def _contract_row(self, number, begin, end="", name="Contract"):
        return f"{name},{number},,{begin},{end},1,,0,1,1,Integria,20\n"

    def test_report_is_readable_over_xmlrpc(self):
        """Reasons without column or field leave those keys out: no None."""
        companies = self._import(
            "Wide,,,,,,,,,,,,,\nSame,,,,,,,,,,,,\nSame,,,,,,,,,,,,\n",
            self.admin,
            mode="check",
        )
        with mute_logger("odoo.addons.crm_support.wizards.crm_support_csv_import"):
            contracts = self._import(
                self._contract_row("C-1", "2024-02-01", "2024-01-01"),
                self.admin,
                model=CONTRACTS,
                mode="check",
                type_id=self.soporte.id,
            )
        for wizard, reasons in (
            (companies, 2),
            (contracts, 1),
        ):
            fields = ["create_count", "update_count", "error_count", "issues"]
            values = wizard.read(fields)
            # what the XML-RPC server does with the answer of read()
            xmlrpc.client.dumps((values,), methodresponse=True)
            issues = values[0]["issues"]
            self.assertEqual(len(issues), reasons)
            self.assertTrue(all(None not in issue.values() for issue in issues))
            for issue in issues:
                self.assertIn(issue["reason"], wizard.report_html)
        self.assertEqual(
            companies.issues[0],
            {
                "line": 1,
                "reason": "the line has 14 columns and the mapping 13: fix the "
                "mapping (or the line).",
            },
        )
        self.assertIn("before it starts", contracts.issues[0]["reason"])

    def test_dates_that_do_not_exist(self):
        data = (
            self._contract_row("C-1", "2023-02-30")
            + self._contract_row("C-2", "2023-02-30 00:00:00")
            + self._contract_row("C-3", "31.12.2024")
            + self._contract_row("C-4", "2024-12-31", "2024-13-01 00:00:00")
        )
        wizard = self._import(
            data, self.admin, model=CONTRACTS, mode="check", type_id=self.soporte.id
        )
        self.assertEqual(
            self._reasons(wizard),
            {
                (1, 4): "'2023-02-30' is a date that does not exist.",
                (2, 4): "'2023-02-30 00:00:00' is a date that does not exist.",
                (3, 4): "'31.12.2024' is not a date written as year-month-day "
                "(2024-12-31).",
                (4, 5): "'2024-13-01 00:00:00' is a date that does not exist.",
            },
        )

    def test_contract_days_with_midnight(self):
        """A day may carry a time of midnight; another time is refused."""
        data = (
            self._contract_row("C-1", "2020-01-01 00:00:00", "2020-12-31 00:00")
            + self._contract_row("C-2", "2020-01-01 10:30:00", "2020-12-31")
            + self._contract_row("C-3", "2020-01-01", "2020-12-31 23:59:59")
        )
        wizard = self._import(
            data, self.admin, model=CONTRACTS, mode="good", type_id=self.soporte.id
        )
        self.assertEqual(
            self._reasons(wizard),
            {
                (2, 4): "'2020-01-01 10:30:00' has a time of day, but this field "
                "holds a day without time: write 2024-12-31 (or 2024-12-31 "
                "00:00:00).",
                (3, 5): "'2020-12-31 23:59:59' has a time of day, but this field "
                "holds a day without time: write 2024-12-31 (or 2024-12-31 "
                "00:00:00).",
            },
        )
        contract = self._contract("C-1")
        self.assertEqual(
            (contract.date_start, contract.date_end),
            (date(2020, 1, 1), date(2020, 12, 31)),
        )
        self.assertFalse(self._contract("C-2") or self._contract("C-3"))

    def test_values_too_long_for_their_field(self):
        """One-line text over 600 characters is refused before writing."""
        long_name = "N" * 300_000
        # the longest name, in the widest UTF-8 letters, fits the indexes
        widest = "\N{GRINNING FACE}" * 600
        data = f"{long_name},,,,,,,,,,,,\n{widest},,,,,,,,,,,,\n"
        wizard = self._import(data, self.admin, mode="good")
        self.assertEqual(
            self._reasons(wizard),
            {(1, 1): "the value is 300000 characters long; Name holds at most 600."},
        )
        self.assertEqual(wizard.issues[0]["field"], "Name")
        self.assertEqual(wizard.create_count, 1)
        self.assertEqual(len(self._companies(widest)), 1)

        number = "9" * 601
        wizard = self._import(
            self._contract_row(number, "2024-01-01"),
            self.admin,
            model=CONTRACTS,
            mode="check",
            type_id=self.soporte.id,
        )
        self.assertEqual(
            self._reasons(wizard),
            {
                (1, 2): "the value is 601 characters long; Contract Number holds "
                "at most 600."
            },
        )

    def test_dialog_keeps_its_title(self):
        wizard = self._wizard("Uno,,,,,,,,,,,,\n", self.admin)
        for step in (
            wizard.action_reread,
            wizard.action_check,
            wizard.action_import,
        ):
            self.assertEqual(step()["name"], "Import Companies")
        wizard = self._wizard(EXAMPLE_CONTRACT, self.admin, model=CONTRACTS)
        self.assertEqual(wizard.action_check()["name"], "Import Contracts")

    def test_checked_file_opens_on_its_report(self):
        # the web client shows a notebook's first visible page: the report
        # comes first, shown once the file is checked, the columns before that
        for model in ("crm_support.company.import", CONTRACTS):
            arch = self.env[model].get_view(view_type="form")["arch"]
            pages = etree.fromstring(arch).xpath("//notebook/page")
            self.assertEqual(
                [page.get("name") for page in pages], ["report", "columns"]
            )
            self.assertIn("checked", pages[0].get("invisible"))
            self.assertFalse(pages[1].get("invisible"))

    def test_changed_mapping_asks_for_a_new_check(self):
        example = "Empresa prueba,,,España,,,,admin,0000-00-00 00:00:00,,Integria,20\n"
        # over XML-RPC: writing the mapping of a checked file
        wizard = self._wizard(example, self.admin)
        wizard.action_check()
        self.assertEqual((wizard.state, wizard.error_count), ("checked", 1))
        parent = wizard.column_ids.filtered(lambda column: column.target == "parent")
        wizard.write({"column_ids": [Command.unlink(parent.id)]})
        self.assertEqual(wizard.state, "map")
        wizard.action_check()
        self.assertEqual((wizard.state, wizard.error_count), ("checked", 0))
        # counts after their labels: no "1 rows"
        self.assertIn(
            "Rows read: 1. To create: 1, to update: 0, left unchanged: 0.",
            wizard.report_html,
        )

        # in the dialog: the report and its buttons go as the mapping changes
        wizard = self._wizard(example, self.admin)
        wizard.action_check()
        with Form(wizard) as form:
            self.assertEqual(form.state, "checked")
            index = [line.target for line in wizard.column_ids.sorted("sequence")]
            form.column_ids.remove(index.index("parent"))
            self.assertEqual(form.state, "map")
        self.assertEqual(wizard.state, "map")

    def test_custom_field_names_of_the_file_type(self):
        """The mapping names the custom fields of the type chosen for the file."""
        wizard = self._wizard(EXAMPLE_CONTRACT, self.admin, model=CONTRACTS)
        labels = dict(wizard._import_targets())
        self.assertEqual(labels["custom_1"], "Custom field 1 of the contract type")
        with Form(wizard) as form:
            form.type_id = self.licencia
            self.assertIn("Custom field 1: Licencias", form.preview_html)
        labels = dict(wizard._import_targets())
        self.assertEqual(labels["custom_1"], "Custom field 1: Licencias")
        # Licencia has one custom field, Soporte two
        self.assertEqual(labels["custom_2"], "Custom field 2 of the contract type")

        # the columns' field list, in the dialog opened again
        type_id = wizard.action_reread()["context"]["crm_support_contract_type_id"]
        self.assertEqual(type_id, self.licencia.id)
        Column = self.env["crm_support.contract.import.column"]
        selection = dict(
            Column.with_context(crm_support_contract_type_id=type_id).fields_get(
                ["target"]
            )["target"]["selection"]
        )
        self.assertEqual(selection["custom_1"], "Custom field 1: Licencias")
        selection = dict(Column.fields_get(["target"])["target"]["selection"])
        self.assertEqual(selection["custom_1"], "Custom field 1 of the contract type")

    def test_check_then_import_the_same_file(self):
        """A check forgets its external ids, in this worker only; import works."""
        registry = self.env.registry
        self.env["crm_support.company.import"].get_views([(False, "form")])
        # the cache of views and templates, which a check must leave alone
        views = registry._Registry__caches["templates"]
        cached_views = len(views)
        self.assertTrue(cached_views)
        signals = set(registry.cache_invalidated)

        data = "id,name,country\n77,Checked,ES\n"
        wizard = self._wizard(data, self.user1)
        wizard.action_check()
        self.assertEqual((wizard.create_count, wizard.error_count), (1, 0))
        self.assertFalse(self.env.ref("integria_import.company_77", False))
        self.assertEqual(len(views), cached_views)
        self.assertEqual(registry.cache_invalidated, signals)

        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        company = self.env.ref("integria_import.company_77")
        self.assertEqual(company.name, "Checked")
        wizard = self._import(data, self.user1)
        self.assertEqual((wizard.create_count, wizard.unchanged_count), (0, 1))
