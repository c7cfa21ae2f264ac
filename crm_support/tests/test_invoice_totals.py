from odoo import Command
from odoo.tests import Form, tagged, users

from .common_invoice import InvoiceCase


@tagged("post_install", "-at_install", "crm_support")
class TestInvoiceTotals(InvoiceCase):
    """Base, discount, taxable base, taxes, retention and total."""

    def _amounts(self, invoice):
        return (
            invoice.amount_base,
            invoice.amount_discount,
            invoice.amount_taxable,
            invoice.amount_tax,
            invoice.amount_retention,
            invoice.amount_total,
        )

    @users("crm_user1")
    def test_discount_taxes_retention_together(self):
        invoice = self._create_invoice(
            self.customer_a,
            user=self.env.user,
            lines=(1000.0, 500.0, -100.0),
            taxes=(("VAT", 21.0), ("Equalisation surcharge", 5.2)),
            discount_percent=10.0,
            retention_percent=15.0,
        )
        # 1400 - 10% = 1260; 21% = 264.60, 5.2% = 65.52; 15% retention = 189
        self.assertEqual(
            self._amounts(invoice), (1400.0, 140.0, 1260.0, 330.12, 189.0, 1401.12)
        )
        self.assertEqual(invoice.tax_ids.mapped("amount"), [264.6, 65.52])

    @users("crm_user1")
    def test_credit_note_with_negative_lines(self):
        invoice = self._create_invoice(
            self.customer_a,
            user=self.env.user,
            lines=(-200.0, -50.5),
            taxes=(("VAT", 21.0),),
            retention_percent=15.0,
        )
        # 21% of -250.50 is -52.605: rounded half away from zero
        self.assertEqual(
            self._amounts(invoice), (-250.5, 0.0, -250.5, -52.61, -37.58, -265.53)
        )

    @users("crm_user1")
    def test_each_printed_amount_is_rounded_and_they_add_up(self):
        invoice = self._create_invoice(
            self.customer_a,
            user=self.env.user,
            lines=(0.05,),
            taxes=(("Tax A", 10.0), ("Tax B", 10.0)),
        )
        # each tax is 0.005, printed as 0.01: the total is what the PDF adds
        # up to (0.07), not 0.05 * 1.2 rounded once (0.06)
        self.assertEqual(invoice.tax_ids.mapped("amount"), [0.01, 0.01])
        self.assertEqual(invoice.amount_total, 0.07)

        invoice.write({"line_ids": [Command.create({"name": "More", "amount": 33.28})]})
        invoice.discount_percent = 10.0
        # 33.33 - 3.33 (3.333) = 30.00; each tax 3.00
        self.assertEqual(self._amounts(invoice), (33.33, 3.33, 30.0, 6.0, 0.0, 36.0))

    def test_rounded_in_the_invoice_currency(self):
        yen = self.env.ref("base.JPY")
        dinar = self.env.ref("base.KWD")
        self.assertEqual((yen.decimal_places, dinar.decimal_places), (0, 3))
        in_yen = self._create_invoice(
            self.customer_a, lines=(999.0,), taxes=(("Consumption tax", 8.0),)
        )
        in_yen.currency_id = yen
        # 79.92 yen of tax is 80
        self.assertEqual(in_yen.amount_tax, 80.0)
        self.assertEqual(in_yen.amount_total, 1079.0)

        in_dinar = self.Invoice.create(
            {
                **self._invoice_vals(
                    self.customer_a, lines=(1.111,), taxes=(("VAT", 21.0),)
                ),
                "currency_id": dinar.id,
                "retention_percent": 7.0,
            }
        )
        # 0.23331 and 0.07777 dinars
        self.assertEqual(
            self._amounts(in_dinar), (1.111, 0.0, 1.111, 0.233, 0.078, 1.266)
        )

    @users("crm_user1")
    def test_totals_follow_every_change(self):
        invoice = self._create_invoice(
            self.customer_a, user=self.env.user, lines=(100.0, 200.0)
        )
        self.assertEqual(invoice.amount_total, 300.0)
        invoice.write({"tax_ids": [Command.create({"name": "VAT", "percent": 21.0})]})
        self.assertEqual(invoice.amount_total, 363.0)
        invoice.line_ids[0].amount = 50.0
        self.assertEqual(invoice.amount_total, 302.5)
        invoice.tax_ids.percent = 10.0
        self.assertEqual(invoice.amount_total, 275.0)
        invoice.write({"line_ids": [Command.delete(invoice.line_ids[1].id)]})
        self.assertEqual(invoice.amount_total, 55.0)
        invoice.retention_percent = 20.0
        self.assertEqual(invoice.amount_total, 45.0)

    @users("crm_user1")
    def test_form_shows_the_totals_while_typing(self):
        form = Form(self.env["crm_support.invoice"])
        form.crm_company_id = self.customer_a
        form.currency_id = self.eur
        with form.line_ids.new() as line:
            line.name = "Support"
            line.amount = 1000.0
        with form.tax_ids.new() as tax:
            tax.name = "VAT"
            tax.percent = 21.0
        form.discount_percent = 50.0
        form.retention_percent = 10.0
        self.assertEqual(form.amount_taxable, 500.0)
        self.assertEqual(form.amount_total, 555.0)
        invoice = form.save()
        self.assertEqual(invoice.amount_total, 555.0)
        self.assertEqual(invoice.invoice_number, "T/0001")
