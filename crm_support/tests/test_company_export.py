import base64
import codecs
import csv
import io
from datetime import datetime

from odoo import Command
from odoo.tests import tagged

from .common_import import CrmSupportImportCase


@tagged("post_install", "-at_install", "crm_support")
class TestCompanyExport(CrmSupportImportCase):
    """The export writes what the user may read, and imports back unchanged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a.integria_id = 42
        cls.customer_a.write(
            {
                "street": "Calle Mayor 1",
                "street2": "Piso 2; puerta B",
                "zip": "28013",
                "city": "Madrid",
                "state_id": cls.env.ref("base.state_es_m").id,
                "country_id": cls.env.ref("base.es").id,
                "vat": "ESA12345674",
                "website": "https://customer-a.example.com",
                "email": "info@customer-a.example.com",
                "phone": "+34 600 000 000",
                "comment": '<p>Línea 1<br>Línea 2, con "comillas"</p>',
                "payment_terms": "30 días\nfin de mes",
                "properties": {"producto": "Integria; IMS", "usuarios": 7},
                "role_id": cls.role_partner.id,
            }
        )
        # written alone: the address above reached the contacts, which dated
        # the company now
        cls.customer_a.last_activity = datetime(2025, 6, 30, 8, 15, 30)

    def _export(self, user, companies=None):
        export = (
            self.env["crm_support.company.export"]
            .with_user(user)
            .create({"company_ids": [Command.set(companies.ids if companies else [])]})
        )
        action = export.action_export()
        self.assertIn(
            f"/web/content/crm_support.company.export/{export.id}/file/", action["url"]
        )
        data = base64.b64decode(export.file)
        self.assertTrue(data.startswith(codecs.BOM_UTF8))
        self.assertTrue(export.filename.startswith("company_export-"))
        return data

    def _rows(self, data):
        return list(
            csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
        )

    def test_export_what_the_user_reads(self):
        rows = self._rows(self._export(self.user1))
        by_name = {row["name"]: row for row in rows}
        self.assertEqual(set(by_name), {"Customer A", "Customer B"})
        row = by_name["Customer A"]
        # the parent company is named even though user1 may not read it
        parent = row["id_parent"]
        self.assertTrue(parent.startswith("__export__.crm_support_company_"))
        self.assertEqual(
            self.env["ir.model.data"]._xmlid_to_res_id(parent), self.my_company.id
        )
        self.assertEqual(row["id_company_role"], "3")
        self.assertEqual(row["manager"], "crm_user1")
        self.assertEqual(row["country"], "ES")
        self.assertEqual(row["state"], "M")
        self.assertEqual(row["Producto"], "Integria; IMS")
        self.assertEqual(row["Usuarios"], "7")
        self.assertEqual(row["payment_conditions"], "30 días\nfin de mes")
        # no time zone for user1: UTC
        self.assertEqual(row["last_update"], "2025-06-30 08:15:30")

        # asked for companies they may not read, a user gets none of them
        rows = self._rows(self._export(self.user1, self.my_company | self.customer_b))
        self.assertEqual([row["name"] for row in rows], ["Customer B"])

    def test_round_trip(self):
        data = self._export(self.admin)
        self.assertIn(b"\n42;Customer A;", data)
        before = self.customer_a.read()[0]
        self.customer_a.write(
            {
                "street": "Otra calle",
                "street2": False,
                "state_id": False,
                "comment": False,
                "payment_terms": "contado",
                "properties": {"producto": "Otro", "usuarios": 1},
                "parent_company_id": self.customer_b.id,
                "role_id": self.role_customer.id,
                "phone": False,
            }
        )
        wizard = self._import(data, self.admin)
        self.assertEqual(
            (wizard.create_count, wizard.update_count, wizard.error_count), (0, 1, 0)
        )
        after = self.customer_a.read()[0]
        for fname in (
            "name",
            "street",
            "street2",
            "zip",
            "city",
            "state_id",
            "country_id",
            "vat",
            "website",
            "email",
            "phone",
            "comment",
            "payment_terms",
            "properties",
            "last_activity",
            "role_id",
            "parent_company_id",
            "owner_id",
        ):
            self.assertEqual(after[fname], before[fname], fname)

        again = self._import(data, self.admin)
        self.assertEqual(
            (again.create_count, again.update_count, again.error_count), (0, 0, 0)
        )

    def test_round_trip_as_read_user(self):
        """Companies the user may only read come back unchanged: no error."""
        wizard = self._import(self._export(self.user1), self.user1)
        self.assertEqual(
            (wizard.create_count, wizard.update_count, wizard.unchanged_count),
            (0, 0, 2),
        )
        self.assertFalse(wizard.issues)
