import base64

from odoo.tests import tagged

from .common_import import CrmSupportContractImportCase

CONTRACT_MODEL = "crm_support.contract.import"


@tagged("post_install", "-at_install", "crm_support")
class TestImportNames(CrmSupportContractImportCase):
    """Roles and contract types named in a file in any installed language."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        Role = cls.env["crm_support.company.role"]
        cls.reseller = Role.create({"name": "Reseller"})
        cls.reseller.with_context(lang="es_ES").name = "Distribuidor"
        # two roles sharing a name across languages: that name is ambiguous
        cls.agent = Role.create({"name": "Agent"})
        cls.broker = Role.create({"name": "Broker"})
        cls.broker.with_context(lang="es_ES").name = "Agent"
        cls.maintenance = cls.env["crm_support.contract.type"].create(
            {"name": "Maintenance"}
        )
        cls.maintenance.with_context(lang="es_ES").name = "Mantenimiento"
        cls.user1.lang = "en_US"
        cls.manager1.lang = "es_ES"

    def _import_as(self, data, user, model="crm_support.company.import"):
        """Import ``data`` as ``user`` in their language, as the UI does."""
        wizard = (
            self.env[model]
            .with_user(user)
            .with_context(lang=user.lang)
            .create({"file": base64.b64encode(data.encode()), "filename": "t.csv"})
        )
        wizard.action_read_file()
        wizard.action_check()
        wizard.action_import()
        return wizard

    def test_role_by_name_in_another_language(self):
        for user, role_name, company_name in (
            (self.manager1, "Reseller", "Spanish user's"),
            (self.user1, "Distribuidor", "English user's"),
            (self.user1, "distribuidor", "Lower case"),
        ):
            wizard = self._import_as(f"{company_name},,,ES,,,{role_name},,,,,,\n", user)
            self.assertEqual(self._reasons(wizard), {}, role_name)
            company = self._companies(company_name)
            self.assertEqual(company.role_id, self.reseller, role_name)

    def test_role_name_of_two_roles_is_refused(self):
        wizard = self._import_as("Ambiguous,,,ES,,,Agent,,,,,,\n", self.user1)
        self.assertEqual(
            self._reasons(wizard),
            {
                (1, 7): "unknown company role 'Agent': give the role this Integria "
                "ID, or write its name."
            },
        )
        self.assertFalse(self._companies("Ambiguous"))
        # each of its other names still finds it
        wizard = self._import_as("Broker's,,,ES,,,Broker,,,,,,\n", self.manager1)
        self.assertEqual(self._companies("Broker's").role_id, self.broker)

    def test_contract_type_by_name_in_another_language(self):
        for user, type_name, number in (
            (self.manager1, "Maintenance", "M-1"),
            (self.user1, "Mantenimiento", "M-2"),
        ):
            wizard = self._import_as(
                f"Upkeep,{number},,2025-01-01,,2,,,0,1,{type_name}\n",
                user,
                CONTRACT_MODEL,
            )
            self.assertEqual(self._reasons(wizard), {}, type_name)
            self.assertEqual(self._contract(number).type_id, self.maintenance)
