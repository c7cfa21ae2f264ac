import base64
import csv
import io

from odoo import Command
from odoo.tests import tagged

from .common_import import CrmSupportContractImportCase

MODEL = "crm_support.contract.import"


@tagged("post_install", "-at_install", "crm_support")
class TestContractExport(CrmSupportContractImportCase):
    """Contracts exported as the user reads them, and imported back unchanged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Contract = cls.env["crm_support.contract"]
        cls.contract_a = Contract.create(
            {
                "name": "Soporte A",
                "contract_number": "A-1",
                "description": 'Línea 1\nLínea 2; con "comillas", y comas',
                "crm_company_id": cls.customer_a.id,
                "date_start": "2025-01-01",
                "date_end": "2025-12-31",
                "type_id": cls.soporte.id,
                "properties": {"producto": "Integria", "horas": 20},
                "status": "pending",
            }
        )
        cls.contract_a_licence = Contract.create(
            {
                "name": "Licencia A",
                "contract_number": "A-2",
                "crm_company_id": cls.customer_a.id,
                "date_start": "2024-06-01",
                "type_id": cls.licencia.id,
                "properties": {"licencias": 3},
                "private": True,
            }
        )
        cls.contract_b_private = Contract.create(
            {
                "name": "Privado B",
                "contract_number": "B-1",
                "crm_company_id": cls.customer_b.id,
                "date_start": "2024-06-01",
                "type_id": cls.licencia.id,
                "private": True,
            }
        )
        cls.contract_a.integria_id = 7

    def _export(self, user, contracts=None):
        export = (
            self.env["crm_support.contract.export"]
            .with_user(user)
            .create({"contract_ids": [Command.set(contracts.ids if contracts else [])]})
        )
        export.action_export()
        self.assertTrue(export.filename.startswith("contracts_export-"))
        return base64.b64decode(export.file)

    def test_export_what_the_user_reads(self):
        data = self._export(self.user1)
        rows = list(
            csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")
        )
        by_number = {row["contract_number"]: row for row in rows}
        # the private contract of Customer B is not user1's to read
        self.assertEqual(set(by_number), {"A-1", "A-2"})
        row = by_number["A-1"]
        self.assertEqual(row["id"], "7")
        self.assertEqual(row["id_company"], "2")
        self.assertEqual(row["id_contract_type"], "1")
        self.assertEqual((row["status"], row["private"]), ("2", "0"))
        self.assertEqual(
            (row["Producto"], row["Horas"], row["Licencias"]), ("Integria", "20", "")
        )
        self.assertEqual(row["date_end"], "2025-12-31")
        self.assertEqual(by_number["A-2"]["date_end"], "0000-00-00")
        self.assertEqual(by_number["A-2"]["Licencias"], "3")

    def test_round_trip(self):
        data = self._export(self.user1)
        fields = [
            "name",
            "description",
            "date_start",
            "date_end",
            "status",
            "private",
            "type_id",
            "crm_company_id",
            "properties",
        ]
        before = (self.contract_a | self.contract_a_licence).read(fields)
        self.contract_a.write(
            {
                "name": "Cambiado",
                "description": False,
                "date_end": False,
                "status": "inactive",
                "type_id": self.licencia.id,
                "properties": {"licencias": 99},
            }
        )
        self.contract_a_licence.write(
            {"private": False, "properties": {"licencias": 1}}
        )
        wizard = self._import(data, self.user1, model=MODEL)
        self.assertEqual(
            (wizard.create_count, wizard.update_count, wizard.error_count), (0, 2, 0)
        )
        self.assertEqual(
            (self.contract_a | self.contract_a_licence).read(fields), before
        )
        again = self._import(data, self.user1, model=MODEL)
        self.assertEqual(
            (again.create_count, again.update_count, again.unchanged_count), (0, 0, 2)
        )
