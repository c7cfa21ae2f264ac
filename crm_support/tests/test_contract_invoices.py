from odoo.tests import new_test_user, tagged

from .common_invoice import InvoiceCase


@tagged("post_install", "-at_install", "crm_support")
class TestContractInvoices(InvoiceCase):
    """A contract lists the invoices that carry its contract number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract = cls.env["crm_support.contract"].create(
            {
                "name": "Support 2026",
                "contract_number": "C-1",
                "crm_company_id": cls.customer_a.id,
                "date_start": "2026-01-01",
            }
        )
        cls.carrying = cls._create_invoice(cls.customer_a, contract_numbers="C-1, C-2")
        cls.other = cls._create_invoice(cls.customer_a, contract_numbers="C-10")

    def test_contract_lists_its_invoices(self):
        contract = self.contract.with_user(self.user1)
        self.assertEqual(contract.invoice_ids, self.carrying)
        self.assertEqual(contract.invoice_count, 1)
        action = contract.action_view_invoices()
        found = self.env["crm_support.invoice"].search(action["domain"])
        self.assertEqual(found, self.carrying)

    def test_invoices_hidden_from_who_may_not_read_them(self):
        # a Read colleague reads the contract, but invoices only show to the
        # company's owner and to managers
        reader = new_test_user(
            self.env,
            "crm_contract_reader",
            groups="crm_support.crm_support_group_read",
            crm_company_id=self.my_company.id,
        )
        contract = self.contract.with_user(reader)
        self.assertEqual(contract.name, "Support 2026")
        self.assertFalse(contract.invoice_ids)
        self.assertEqual(contract.invoice_count, 0)
        self.assertEqual(
            self.contract.with_user(self.manager1).invoice_ids, self.carrying
        )
