import base64

from odoo.tools import file_open

from .common import CrmSupportCase


class CrmSupportImportCase(CrmSupportCase):
    """Companies custom fields and Integria ids, and helpers to run the wizard.

    Companies have a section and two custom fields, a text and a number, as in
    the example of Integria's manual; the roles carry Integria ids 1 and 3.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.crm_company_properties_definition = [
            {"name": "licensing", "string": "Licensing", "type": "separator"},
            {"name": "producto", "string": "Producto", "type": "char"},
            {"name": "usuarios", "string": "Usuarios", "type": "integer"},
        ]
        cls.role_customer.integria_id = 1
        cls.role_partner = cls.env["crm_support.company.role"].create(
            {"name": "Test partner", "integria_id": 3}
        )
        cls.admin.tz = "Europe/Madrid"

    def _wizard(self, data, user=None, model="crm_support.company.import", **vals):
        """A wizard that has read ``data`` (bytes or text)."""
        if isinstance(data, str):
            data = data.encode()
        wizard = (
            self.env[model]
            .with_user(user or self.admin)
            .create({"file": base64.b64encode(data), "filename": "test.csv", **vals})
        )
        wizard.action_read_file()
        return wizard

    def _import(self, data, user=None, mode="all", **vals):
        """Check ``data`` and import it with ``mode``; return the wizard."""
        wizard = self._wizard(data, user, **vals)
        wizard.action_check()
        if mode == "all":
            wizard.action_import()
        elif mode == "good":
            wizard.action_import_good_rows()
        return wizard

    def _fixture(self, name):
        with file_open(f"crm_support/tests/data/{name}", "rb") as fixture:
            return fixture.read()

    def _reasons(self, wizard):
        """``{(line, column): reason}`` of the wizard's bad rows."""
        return {
            (issue["line"], issue.get("column")): issue["reason"]
            for issue in wizard.issues or []
        }

    def _drop_column(self, wizard, target):
        wizard.column_ids.filtered(lambda column: column.target == target).unlink()

    def _companies(self, *names):
        return self.env["crm_support.company"].search([("name", "in", names)])


class CrmSupportContractImportCase(CrmSupportImportCase):
    """Contract types of Integria's example: type 1 with a text and a number.

    "Soporte" (Integria id 1) has Producto (text) and Horas (number);
    "Licencia" (Integria id 2) has Licencias (number). The CRM companies have
    the Integria ids 1 (My Company), 2 (Customer A) and 3 (Customer B).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Type = cls.env["crm_support.contract.type"]
        cls.soporte = Type.create(
            {
                "name": "Soporte",
                "integria_id": 1,
                "properties_definition": [
                    {"name": "producto", "string": "Producto", "type": "char"},
                    {"name": "horas", "string": "Horas", "type": "integer"},
                ],
            }
        )
        cls.licencia = Type.create(
            {
                "name": "Licencia",
                "integria_id": 2,
                "properties_definition": [
                    {"name": "licencias", "string": "Licencias", "type": "integer"},
                ],
            }
        )
        for integria_id, company in enumerate(
            (cls.my_company, cls.customer_a, cls.customer_b), 1
        ):
            company.integria_id = integria_id

    def _contract(self, number):
        return self.env["crm_support.contract"].search(
            [("contract_number", "=", number)]
        )
