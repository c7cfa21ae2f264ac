from contextlib import contextmanager

from odoo import Command

from .common import CrmSupportCase


class InvoiceCase(CrmSupportCase):
    """The companies and users of CrmSupportCase, with invoice settings.

    Sent invoices are numbered from ``T/[0001]``; amounts are in euros, so that
    the figures read like Integria's examples.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write(
            {
                "crm_invoice_auto_number": True,
                "crm_invoice_number_pattern": "T/[0001]",
            }
        )
        cls.eur = cls.env.ref("base.EUR")
        cls.eur.active = True
        cls.Invoice = cls.env["crm_support.invoice"]

    @classmethod
    def _invoice_vals(cls, company, lines=(100.0,), taxes=(), **vals):
        """Values of an invoice of ``company``: one line per amount, one tax
        per (name, percent)."""
        return {
            "crm_company_id": company.id,
            "currency_id": cls.eur.id,
            "line_ids": [
                Command.create({"name": f"Concept {index}", "amount": amount})
                for index, amount in enumerate(lines, start=1)
            ],
            "tax_ids": [
                Command.create({"name": name, "percent": percent})
                for name, percent in taxes
            ],
            **vals,
        }

    @classmethod
    def _create_invoice(cls, company, user=None, **kwargs):
        Invoice = cls.Invoice.with_user(user) if user else cls.Invoice
        return Invoice.create(cls._invoice_vals(company, **kwargs))

    @contextmanager
    def assertRefused(self, exception, text):
        """assertRaises (which rolls back what the failed call wrote) that
        also checks the message."""
        with self.assertRaises(exception) as catcher:
            yield catcher
        self.assertIn(text, str(catcher.exception))
