from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_invoice import InvoiceCase


@tagged("post_install", "-at_install", "crm_support")
class TestBadValues(InvoiceCase):
    """Dates and numbers sent as text (XML-RPC) are checked, naming the field."""

    def test_impossible_contract_date(self):
        Contract = self.env["crm_support.contract"].with_user(self.user1)
        with self.assertRaisesRegex(ValidationError, "Start Date.*2023-02-30"):
            Contract.create(
                {
                    "name": "Bad date",
                    "contract_number": "BAD-DATE",
                    "crm_company_id": self.customer_a.id,
                    "date_start": "2023-02-30",
                }
            )
        self.assertFalse(Contract.search([("contract_number", "=", "BAD-DATE")]))

    def test_impossible_invoice_date_and_amount(self):
        Invoice = self.Invoice.with_user(self.user1)
        with self.assertRaisesRegex(ValidationError, "2023-02-30"):
            Invoice.create(
                self._invoice_vals(self.customer_a, invoice_date="2023-02-30")
            )
        with self.assertRaisesRegex(ValidationError, "'abc' is not a valid number"):
            Invoice.create(
                {
                    "crm_company_id": self.customer_a.id,
                    "currency_id": self.eur.id,
                    "line_ids": [Command.create({"name": "Bad", "amount": "abc"})],
                }
            )
        self.assertFalse(Invoice.search([("crm_company_id", "=", self.customer_a.id)]))
