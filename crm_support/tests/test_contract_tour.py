from odoo.tests import HttpCase, tagged

from .common_contract import CrmSupportContractCase


@tagged("post_install", "-at_install", "crm_support")
class TestContractTour(CrmSupportContractCase, HttpCase):
    def test_user1_records_a_contract_and_prints_it(self):
        self.start_tour(
            "/odoo/action-crm_support.crm_support_contract_action",
            "crm_support_contract_tour",
            login="crm_user1",
        )
        contract = self.env["crm_support.contract"].search(
            [("contract_number", "=", "T-TOUR-1")]
        )
        self.assertEqual(contract.crm_company_id, self.customer_a)
        self.assertEqual(contract.type_id, self.licence)
        self.assertEqual(str(contract.date_end), "2030-12-31")
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", contract._name), ("res_id", "=", contract.id)]
        )
        self.assertEqual(
            attachment.name, "Support Contract Certificate - Tour licence.pdf"
        )
