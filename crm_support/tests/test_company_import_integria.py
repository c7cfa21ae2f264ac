from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common_import import CrmSupportImportCase


@tagged("post_install", "-at_install", "crm_support")
class TestCompanyImportIntegria(CrmSupportImportCase):
    """Files written by Integria's own export import as they are."""

    def _check_mapping(self, wizard):
        self.assertEqual(
            (wizard.separator, wizard.has_header), (";", True), "read the header"
        )
        self.assertEqual(
            wizard.column_ids.mapped("target"),
            [
                "id",
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
                "ignore",
                "custom_header",
                "custom_header",
            ],
        )

    @freeze_time("2026-04-01 09:00:00")
    def test_export_with_utf16_rows(self):
        wizard = self._wizard(self._fixture("integria_company_export.csv"))
        self.assertEqual((wizard.encoding, wizard.utf16_rows), ("utf-8", True))
        self._check_mapping(wizard)
        wizard.action_check()
        self.assertEqual((wizard.create_count, wizard.error_count), (4, 0))
        wizard.action_import()
        self.assertEqual(wizard.state, "done")

        Company = self.env["crm_support.company"]
        artica, lodz, shanghai, societe = (
            Company.search([("integria_id", "=", integria_id)])
            for integria_id in (1, 2, 3, 4)
        )
        self.assertEqual(artica.name, "Ártica Soluciones Tecnológicas")
        self.assertEqual(artica.street, "Calle Gran Vía 1. 28013 Madrid")
        self.assertEqual(artica.vat, "B82465373")
        self.assertEqual(artica.country_id, self.env.ref("base.es"))
        self.assertEqual(artica.website, "https://artica.es")
        self.assertEqual(artica.comment, "<p>Empresa matriz. soporte 24x7</p>")
        self.assertEqual(artica.role_id, self.role_partner)
        self.assertFalse(artica.parent_company_id)
        self.assertEqual(artica.owner_id, self.admin)
        # Integria's local time: the importing user's time zone, Madrid
        self.assertEqual(artica.last_activity, datetime(2024, 3, 18, 20, 7))
        self.assertEqual(artica.payment_terms, "30")
        self.assertEqual(
            artica.properties, {"producto": "Integria IMS", "usuarios": 50}
        )

        self.assertEqual(lodz.name, "Łódź Systemy Sp. z o.o.")
        self.assertEqual(lodz.country_id, self.env.ref("base.pl"))
        self.assertEqual(lodz.parent_company_id, artica)
        self.assertEqual(lodz.role_id, self.role_customer)
        self.assertEqual(lodz.owner_id, self.user1)
        self.assertEqual(lodz.last_activity, datetime(2026, 4, 1, 9, 0))
        self.assertEqual(lodz.properties, {"producto": "Integria", "usuarios": 20})

        self.assertEqual(shanghai.name, "上海软件有限公司")
        self.assertEqual(shanghai.street, "上海市浦东新区 世纪大道 100号")
        self.assertEqual(shanghai.country_id, self.env.ref("base.cn"))
        self.assertEqual(shanghai.website, "http://www.sh-soft.example.cn")
        self.assertEqual(shanghai.comment, "<p>Contacto: Ċ. Ί. Њ</p>")
        self.assertEqual(shanghai.owner_id, self.manager1)
        self.assertEqual(
            shanghai.properties, {"producto": "Pandora FMS", "usuarios": False}
        )

        self.assertEqual(societe.country_id, self.env.ref("base.fr"))
        self.assertEqual(societe.parent_company_id, lodz)
        self.assertEqual(societe.last_activity, datetime(2024, 1, 31, 22, 59, 59))
        self.assertEqual(societe.properties, {"producto": False, "usuarios": 5})

        # the same companies exported without UTF-16: nothing new, nothing changed
        again = self._import(self._fixture("integria_company_export_utf8.csv"))
        self.assertEqual((again.encoding, again.utf16_rows), ("utf-8", False))
        self._check_mapping(again)
        self.assertEqual(
            (again.create_count, again.update_count, again.unchanged_count),
            (0, 0, 4),
        )
        self.assertEqual(Company.search_count([("integria_id", "in", [1, 2, 3, 4])]), 4)

    def test_roles_and_parents_by_integria_id(self):
        """A later file names the companies of an earlier one by their ids."""
        self._import(self._fixture("integria_company_export_utf8.csv"))
        later = self._import(
            "id;name;id_company_role;id_parent;manager\n"
            "5;Filial de Łódź;3;2;crm_user1\n"
            "2;Łódź Systemy Sp. z o.o.;1;0;crm_user1\n",
            self.manager1,
        )
        self.assertEqual(
            (later.create_count, later.update_count, later.error_count), (1, 1, 0)
        )
        Company = self.env["crm_support.company"]
        lodz = Company.search([("integria_id", "=", 2)])
        filial = Company.search([("integria_id", "=", 5)])
        self.assertEqual(filial.parent_company_id, lodz)
        self.assertEqual(filial.role_id, self.role_partner)
        self.assertFalse(lodz.parent_company_id)
