import base64
import logging
from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common_import import CrmSupportImportCase

EXAMPLE = "Empresa prueba,,,España,,,,admin,0000-00-00 00:00:00,,Integria,20\n"


@tagged("post_install", "-at_install", "crm_support")
class TestCompanyImport(CrmSupportImportCase):
    """Companies from hand-written files: mapping, values, errors, re-import."""

    @freeze_time("2026-02-01 10:00:00")
    def test_manual_example_line(self):
        """The manual's line has one column fewer than documented: fix the mapping."""
        Company = self.env["crm_support.company"]
        wizard = self._wizard(EXAMPLE)
        self.assertEqual(
            wizard.column_ids.mapped("target"),
            [
                "name",
                "address",
                "fiscal_id",
                "country",
                "website",
                "comments",
                "role",
                "parent",
                "manager",
                "last_update",
                "payment_conditions",
                "custom_1",
                "custom_2",
            ],
        )
        self.assertEqual((wizard.separator, wizard.has_header), (",", False))

        # as published, the line does not fit: it is refused, not shifted
        wizard.action_check()
        self.assertEqual(
            self._reasons(wizard),
            {
                (1, None): "the line has 12 columns and the mapping 13: fix the "
                "mapping (or the line)."
            },
        )
        self.assertFalse(Company.search([("name", "=", "Empresa prueba")]))

        # without the parent company column, every value finds its field
        self._drop_column(wizard, "parent")
        self.assertIn("Integria", wizard.preview_html)
        wizard.action_check()
        self.assertEqual((wizard.create_count, wizard.error_count), (1, 0))
        self.assertFalse(Company.search([("name", "=", "Empresa prueba")]))
        wizard.action_import()
        self.assertEqual(wizard.state, "done")
        company = Company.search([("name", "=", "Empresa prueba")])
        self.assertEqual(len(company), 1)
        self.assertEqual(company.owner_id, self.env.ref("base.user_admin"))
        self.assertEqual(company.country_id, self.env.ref("base.es"))
        self.assertEqual(company.properties, {"producto": "Integria", "usuarios": 20})
        self.assertEqual(company.last_activity, datetime(2026, 2, 1, 10, 0))
        self.assertFalse(company.parent_company_id or company.role_id)
        self.assertFalse(company.street or company.vat or company.website)

    def test_reimport_updates(self):
        lines = (
            "Beta;;;FR;;;;Acme;crm_user1;;;;\n"
            "Acme;Calle Uno 1;B11111111;ES;;;1;Customer A;crm_user1;;30 days;Odoo;3\n"
        )
        first = self._import(lines, self.manager1)
        self.assertEqual((first.create_count, first.update_count), (2, 0))
        acme, beta = self._companies("Acme"), self._companies("Beta")
        self.assertEqual(beta.parent_company_id, acme)
        self.assertEqual(acme.parent_company_id, self.customer_a)
        self.assertEqual(acme.role_id, self.role_customer)
        self.assertEqual(acme.payment_terms, "30 days")

        again = self._import(lines, self.manager1)
        self.assertEqual(
            (again.create_count, again.update_count, again.unchanged_count), (0, 0, 2)
        )
        changed = self._import(lines.replace("Calle Uno 1", "Calle Dos 2"), self.user1)
        self.assertEqual((changed.create_count, changed.update_count), (0, 1))
        self.assertEqual(self._companies("Acme"), acme)
        self.assertEqual(acme.street, "Calle Dos 2")
        self.assertEqual(acme.properties, {"producto": "Odoo", "usuarios": 3})

    def test_duplicate_rows(self):
        wizard = self._import(
            "Acme,,,ES,,,,,,,,,\nZeta,,,ES,,,,,,,,,\nacme,,,FR,,,,,,,,,\n",
            self.user1,
            mode="check",
        )
        self.assertEqual(
            self._reasons(wizard), {(3, None): "it is the same company as line 1."}
        )
        self.assertEqual((wizard.create_count, wizard.error_count), (2, 1))

    def test_unknown_references(self):
        data = (
            "Good,,,ES,,,,,crm_manager1,,,,\n"
            "Bad country,,,Narnia,,,,,,,,,\n"
            "Bad manager,,,,,,,,nobody,,,,\n"
            "Bad role,,,,,,99,,,,,,\n"
            "Bad parent,,,,,,,Atlantis,,,,,\n"
            "Portal manager,,,,,,,,crm_user2,,,,\n"
        )
        wizard = self._import(data, self.manager1)
        reasons = self._reasons(wizard)
        self.assertEqual(
            reasons,
            {
                (2, 4): "unknown country 'Narnia': write its ISO code (ES) or its "
                "name.",
                (3, 9): "there is no user with the login 'nobody'.",
                (4, 7): "unknown company role '99': give the role this Integria ID, "
                "or write its name.",
                (5, 8): "unknown parent company 'Atlantis': neither a row of the "
                "file nor a company you may read.",
                (6, 9): "the user 'crm_user2' is not an active internal user.",
            },
        )
        fields = {issue["line"]: issue["field"] for issue in wizard.issues}
        self.assertEqual(fields[2], "Country")
        self.assertEqual(fields[5], "Parent Company")

        # everything or nothing: nothing
        self.assertEqual(wizard.state, "checked")
        self.assertFalse(self._companies("Good"))
        wizard.action_import()
        self.assertEqual((wizard.state, wizard.error_count), ("checked", 5))
        self.assertFalse(self._companies("Good"))

        # only the good rows: the bad ones are left out, to download
        wizard = self._import(data, self.manager1, mode="good")
        self.assertEqual((wizard.state, wizard.create_count), ("done", 1))
        self.assertEqual(self._companies("Good").owner_id, self.manager1)
        self.assertFalse(self._companies("Bad country", "Bad role"))
        bad_rows = base64.b64decode(wizard.bad_rows_file).decode("utf-8-sig")
        self.assertEqual(bad_rows, data.split("\n", 1)[1])
        self.assertEqual(wizard.bad_rows_filename, "test-bad-rows.csv")

    def test_dates(self):
        data = (
            "Feb 30,,,,,,,,,2023-02-30,,,\n"
            "German,,,,,,,,,31.12.2024,,,\n"
            "Zero,,,,,,,,,0000-00-00,,,\n"
            "Late,,,,,,,,,2024-12-31 23:59:59,,,\n"
            "Bad hour,,,,,,,,,2024-12-31 24:10:00,,,\n"
        )
        with freeze_time("2026-03-01 12:00:00"):
            wizard = self._import(data, self.admin, mode="good")
        self.assertEqual(
            self._reasons(wizard),
            {
                (1, 10): "'2023-02-30' is a date that does not exist.",
                (2, 10): "'31.12.2024' is not a date written as year-month-day "
                "(2024-12-31).",
                (5, 10): "'2024-12-31 24:10:00' is not a time of day (23:59:59).",
            },
        )
        self.assertFalse(self._companies("Feb 30", "German", "Bad hour"))
        # a zero date is no date; a date is in the importing user's time zone
        self.assertEqual(
            self._companies("Zero").last_activity, datetime(2026, 3, 1, 12, 0)
        )
        self.assertEqual(
            self._companies("Late").last_activity, datetime(2024, 12, 31, 22, 59, 59)
        )

    def test_column_count_names_the_line(self):
        data = (
            "One,,,ES,,,,,,,,,\n"
            'Two,"Calle Mayor, 1\nPiso 2",,ES,,,,,,,,,\n'
            "Three,,,ES,,,,,,,,,,extra\n"
            "Four,,,ES,,,\n"
        )
        wizard = self._import(data, self.user1, mode="good")
        self.assertEqual(
            self._reasons(wizard),
            {
                (4, None): "the line has 14 columns and the mapping 13: fix the "
                "mapping (or the line).",
                (5, None): "the line has 7 columns and the mapping 13: fix the "
                "mapping (or the line).",
            },
        )
        self.assertEqual(self._companies("Two").street, "Calle Mayor, 1\nPiso 2")
        self.assertFalse(self._companies("Three", "Four"))

    def test_parents_in_the_file(self):
        """Children may come before their parent; cycles are refused."""
        grandchild = self.env["crm_support.company"].create(
            {
                "name": "Grandchild",
                "owner_id": self.manager1.id,
                "parent_company_id": self.customer_a.id,
            }
        )
        data = (
            "Child,,,,,,,Parent,,,,,\n"
            "Parent,,,,,,,Customer A,,,,,\n"
            "Loop A,,,,,,,Loop B,,,,,\n"
            "Loop B,,,,,,,Loop A,,,,,\n"
            "Customer A,,,,,,,Grandchild,,,,,\n"
        )
        wizard = self._import(data, self.manager1, mode="good")
        self.assertEqual(wizard.create_count, 2)
        reasons = self._reasons(wizard)
        self.assertEqual(
            reasons[(3, None)], "it refers to itself through other rows (lines 3, 4)."
        )
        self.assertEqual(reasons[(3, None)], reasons[(4, None)])
        # the ORM refuses the last one: the import finds which row it was
        self.assertIn("Parent Company", reasons[(5, None)])
        self.assertEqual(len(reasons), 3)
        parent = self._companies("Parent")
        self.assertEqual(self._companies("Child").parent_company_id, parent)
        self.assertEqual(parent.parent_company_id, self.customer_a)
        self.assertEqual(self.customer_a.parent_company_id, self.my_company)
        self.assertEqual(grandchild.parent_company_id, self.customer_a)
        self.assertFalse(self._companies("Loop A", "Loop B"))

    def test_write_user_rights(self):
        """A Write user imports their own companies and changes only those."""
        data = (
            "Mine,,,,,,,,,,,,\n"
            "For a colleague,,,,,,,,crm_manager1,,,,\n"
            "Customer B,,,,,,,,crm_manager1,,net 90,,\n"
            "My Company,,,,,,,,,,,,\n"
        )
        wizard = self._import(data, self.user1, mode="good")
        self.assertEqual(
            self._reasons(wizard),
            {
                (2, 9): "only users with the Manage level import companies owned "
                "by somebody else.",
                (3, None): "the company Customer B exists and you may not change "
                "it.",
                (4, None): "the company My Company exists and you may not change "
                "it.",
            },
        )
        self.assertEqual(self._companies("Mine").owner_id, self.user1)
        self.assertFalse(self.customer_b.payment_terms)
        self.assertEqual(len(self._companies("My Company")), 1)

    def test_check_leaves_nothing(self):
        Company = self.env["crm_support.company"]
        Data = self.env["ir.model.data"]
        before = (Company.search_count([]), Data.search_count([]))
        wizard = self._wizard("id,name,country\n77,Checked,ES\n", self.user1)
        self.assertTrue(wizard.has_header)
        self.assertEqual(wizard.column_ids.mapped("target"), ["id", "name", "country"])
        wizard.action_check()
        self.assertEqual((wizard.create_count, wizard.error_count), (1, 0))
        self.assertEqual((Company.search_count([]), Data.search_count([])), before)

    def test_log_line(self):
        # logging.INFO: Odoo names its level 25 "INFO" too
        with self.assertLogs(
            "odoo.addons.crm_support.wizards.crm_support_csv_import", logging.INFO
        ) as logs:
            self._import(
                "Uno,,,,,,,,,,,,\nDos,,,,,,,,,,,,\nDos,,,,,,,,,,,,\n", mode="good"
            )
        self.assertTrue(
            any(
                "crm_support.company (good): 3 rows read, 2 created, 0 updated, "
                "1 bad rows" in line
                for line in logs.output
            ),
            logs.output,
        )
