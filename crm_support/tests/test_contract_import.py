from datetime import date

from odoo.tests import Form, tagged

from .common_import import CrmSupportContractImportCase

EXAMPLE = (
    "Contrato prueba,123456789,Descripción,2017-07-25,2017-07-31,1,,0,1,1,"
    "Integria,20\n"
)
MODEL = "crm_support.contract.import"


@tagged("post_install", "-at_install", "crm_support")
class TestContractImport(CrmSupportContractImportCase):
    """Contracts from Integria's files: type, company ids, custom fields, errors."""

    def test_manual_example_line(self):
        """Type 1 for the whole file: the line has no contract type column."""
        # without a type for the file, the documented order has a type column:
        # the 11th value is read as a type, and refused
        wizard = self._import(EXAMPLE, self.admin, model=MODEL, mode="check")
        self.assertEqual(
            self._reasons(wizard),
            {
                (1, 11): "unknown contract type 'Integria': give the type this "
                "Integria ID, or write its name."
            },
        )

        wizard = self._wizard(EXAMPLE, self.admin, model=MODEL, type_id=self.soporte.id)
        self.assertEqual(
            wizard.column_ids.mapped("target"),
            [
                "name",
                "contract_number",
                "description",
                "date_begin",
                "date_end",
                "company",
                "sla",
                "group",
                "private",
                "status",
                "custom_1",
                "custom_2",
            ],
        )
        wizard.action_check()
        self.assertEqual((wizard.create_count, wizard.error_count), (1, 0))
        wizard.action_import()
        contract = self._contract("123456789")
        self.assertEqual(contract.name, "Contrato prueba")
        self.assertEqual(contract.description, "Descripción")
        self.assertEqual(contract.date_start, date(2017, 7, 25))
        self.assertEqual(contract.date_end, date(2017, 7, 31))
        # company id 1: the company imported with Integria id 1
        self.assertEqual(contract.crm_company_id, self.my_company)
        self.assertTrue(contract.private)
        self.assertEqual(contract.status, "active")
        self.assertEqual(contract.type_id, self.soporte)
        self.assertEqual(contract.properties, {"producto": "Integria", "horas": 20})

    def test_type_for_the_file_in_the_form(self):
        """Choosing the file's type after reading it redoes the default mapping."""
        wizard = self._wizard(EXAMPLE, self.admin, model=MODEL)
        self.assertEqual(len(wizard.column_ids), 13)
        with Form(wizard) as form:
            form.type_id = self.licencia
            self.assertIn("Integria", form.preview_html)
        self.assertEqual(len(wizard.column_ids), 11)
        self.assertEqual(wizard.column_ids[-1].target, "custom_1")

    def test_integria_export_after_its_companies(self):
        """Contracts name the companies of an earlier companies file by id."""
        self._import(self._fixture("integria_company_export.csv"))
        wizard = self._wizard(
            self._fixture("integria_contract_export.csv"), self.admin, model=MODEL
        )
        self.assertEqual(
            (wizard.encoding, wizard.utf16_rows, wizard.separator, wizard.has_header),
            ("utf-8", True, ";", True),
        )
        self.assertEqual(
            wizard.column_ids.mapped("target"),
            [
                "id",
                "name",
                "contract_number",
                "description",
                "date_begin",
                "date_end",
                "company",
                "sla",
                "group",
                "private",
                "status",
                "contract_type",
                "ignore",
                "custom_header",
                "custom_header",
                "custom_header",
            ],
        )
        wizard.action_check()
        self.assertEqual((wizard.create_count, wizard.error_count), (3, 0))
        wizard.action_import()

        Company = self.env["crm_support.company"]
        soporte, licencias, shanghai = (
            self.env["crm_support.contract"].search([("integria_id", "=", n)])
            for n in (1, 2, 3)
        )
        self.assertEqual(soporte.contract_number, "SOP-2024-001")
        self.assertEqual(
            soporte.crm_company_id, Company.search([("integria_id", "=", 1)])
        )
        self.assertEqual(soporte.type_id, self.soporte)
        self.assertEqual(soporte.properties, {"producto": "Integria IMS", "horas": 200})
        self.assertEqual(soporte.status, "active")
        self.assertFalse(soporte.private)

        self.assertEqual(licencias.type_id, self.licencia)
        self.assertEqual(licencias.properties, {"licencias": 25})
        self.assertEqual(licencias.date_start, date(2023, 6, 15))
        self.assertFalse(licencias.date_end)
        self.assertTrue(licencias.private)
        self.assertEqual(
            licencias.crm_company_id, Company.search([("integria_id", "=", 2)])
        )

        self.assertEqual(shanghai.name, "Soporte 上海")
        self.assertEqual(shanghai.status, "inactive")
        self.assertEqual(
            shanghai.properties, {"producto": "Pandora FMS", "horas": False}
        )

        again = self._import(
            self._fixture("integria_contract_export.csv"), self.admin, model=MODEL
        )
        self.assertEqual(
            (again.create_count, again.update_count, again.unchanged_count), (0, 0, 3)
        )

    def test_bad_rows(self):
        data = (
            "Good,G-1,,2025-01-01,,Customer A,,,0,1,Licencia,10\n"
            "Feb 30,B-1,,2023-02-30,,2,,,0,1,Licencia,1\n"
            "German,B-2,,2024-01-01,31.12.2024,2,,,0,1,Licencia,1\n"
            "No start,B-3,,0000-00-00,,2,,,0,1,Licencia,1\n"
            "Atlantis,B-4,,2024-01-01,,Atlantis,,,0,1,Licencia,1\n"
            "Unknown id,B-5,,2024-01-01,,99,,,0,1,Licencia,1\n"
            "Bad type,B-6,,2024-01-01,,2,,,0,1,Nope,1\n"
            "Bad status,B-7,,2024-01-01,,2,,,0,7,Licencia,1\n"
            "Bad number,B-8,,2024-01-01,,2,,,0,1,Licencia,veinte\n"
            "Short,B-9,,2024-01-01,,2,,,0,1,Soporte,Odoo\n"
            "Again,G-1,,2025-01-01,,2,,,0,1,Licencia,10\n"
            "Fits,G-2,,2025-01-01,,2,,,yes,pending,Soporte,Odoo,8\n"
        )
        wizard = self._import(data, self.user1, model=MODEL, mode="good")
        reasons = self._reasons(wizard)
        self.assertEqual(
            reasons,
            {
                (2, 4): "'2023-02-30' is a date that does not exist.",
                (3, 5): "'31.12.2024' is not a date written as year-month-day "
                "(2024-12-31).",
                (4, 4): "a contract needs a start date.",
                (5, 6): "unknown company 'Atlantis': neither the Integria id of an "
                "imported company nor the name of a company you may read.",
                (6, 6): "unknown company '99': neither the Integria id of an "
                "imported company nor the name of a company you may read.",
                (7, 11): "unknown contract type 'Nope': give the type this Integria "
                "ID, or write its name.",
                (8, 10): "'7' is not a status: 0 (inactive), 1 (active) or 2 "
                "(pending).",
                (9, 12): "'veinte' is not a whole number.",
                (10, None): "the line has 12 columns and the mapping 13: fix the "
                "mapping (or the line).",
                (11, None): "it is the same contract as line 1.",
            },
        )
        good = self._contract("G-1")
        self.assertEqual(good.crm_company_id, self.customer_a)
        self.assertEqual(good.properties, {"licencias": 10})
        fits = self._contract("G-2")
        self.assertEqual((fits.status, fits.private), ("pending", True))
        self.assertEqual(fits.properties, {"producto": "Odoo", "horas": 8})

    def test_write_user_rights(self):
        """Contracts of companies the user may not change are refused."""
        contract_b = self.env["crm_support.contract"].create(
            {
                "name": "B",
                "contract_number": "CB-1",
                "crm_company_id": self.customer_b.id,
                "date_start": "2025-01-01",
                "type_id": self.licencia.id,
            }
        )
        data = (
            "Mine,CA-1,,2025-01-01,,2,,,0,1,Licencia,1\n"
            "For B,CB-2,,2025-01-01,,3,,,0,1,Licencia,1\n"
            "B renamed,CB-1,,2025-01-01,,3,,,0,1,Licencia,1\n"
        )
        wizard = self._import(data, self.user1, model=MODEL, mode="good")
        refused = (
            "you may not change the company of this row, so you cannot add or "
            "change its contracts."
        )
        self.assertEqual(
            self._reasons(wizard), {(2, None): refused, (3, None): refused}
        )
        self.assertEqual(self._contract("CA-1").crm_company_id, self.customer_a)
        self.assertFalse(self._contract("CB-2"))
        self.assertEqual(contract_b.name, "B")
