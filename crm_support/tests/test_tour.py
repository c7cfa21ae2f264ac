from odoo.tests import HttpCase, tagged

from .common import CrmSupportCase


@tagged("post_install", "-at_install", "crm_support")
class TestCompanyTour(HttpCase, CrmSupportCase):
    def test_user1_edits_own_and_reads_colleague(self):
        self.start_tour(
            "/odoo/action-crm_support.crm_support_company_action",
            "crm_support_company_tour",
            login="crm_user1",
        )
        self.assertEqual(self.customer_a.payment_terms, "Paid within 45 days")
        self.assertFalse(self.customer_b.payment_terms)
