import base64
import io
import subprocess

from PIL import Image

from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from .common_invoice import InvoiceCase


@tagged("post_install", "-at_install", "crm_support")
class TestInvoiceReport(InvoiceCase, HttpCase):
    """The PDF, printed by wkhtmltopdf and read back with pdftotext."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(["crm_support"], ["es_ES"])
        logo = io.BytesIO()
        Image.new("RGB", (120, 40), "navy").save(logo, "PNG")
        cls.company.write(
            {
                "crm_invoice_logo": base64.b64encode(logo.getvalue()),
                "crm_invoice_header": "<p>HEADER Acme Support S.L.</p>",
                "crm_invoice_footer": "<p>FOOTER Pay to ES91 2100 0418</p>",
            }
        )
        cls.customer_a.write(
            {
                "vat": "ESA12345674",
                "street": "Calle Mayor 1",
                "zip": "46001",
                "city": "Valencia",
                "country_id": cls.env.ref("base.es").id,
            }
        )
        cls.invoice = cls._create_invoice(
            cls.customer_a,
            lines=(1000.0, -100.0),
            taxes=(("VAT", 21.0), ("Surcharge", 5.2)),
            discount_percent=10.0,
            retention_percent=15.0,
            reference="PO-4512",
            invoice_date="2025-03-07",
            due_date="2025-04-06",
            description="<p>Thanks for your order.</p>",
            internal_note="SECRET-NOTE the customer is slow to pay",
        )
        cls.invoice.line_ids[0].name = "Annual support"
        cls.invoice.line_ids[1].name = "Credit for downtime"

    # Debian's wkhtmltopdf (without patched Qt) says on stderr that it ignores
    # the header and footer switches, which Odoo logs as a warning
    @mute_logger("odoo.addons.base.models.ir_actions_report")
    def _pdf(self, invoice, user):
        report = self.env["ir.actions.report"].with_user(user)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            "crm_support.crm_support_invoice_report", invoice.ids
        )
        self.assertEqual(kind, "pdf")
        return pdf

    def _text(self, pdf):
        done = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=pdf,
            capture_output=True,
            check=True,
        )
        # single spaces whatever the layout; no zero-width space after minus signs
        text = done.stdout.decode().replace("\u200b", "").replace("\xa0", " ")
        return " ".join(text.split())

    def test_english(self):
        self.invoice.lang = "en_US"
        pdf = self._pdf(self.invoice, self.user1)
        text = self._text(pdf)
        for expected in [
            "HEADER Acme Support S.L.",
            "Invoice T/0001",
            "Invoice date 03/07/2025",
            "Due date 04/06/2025",
            "Reference PO-4512",
            "Customer Customer A",
            "Fiscal ID: ESA12345674",
            "Calle Mayor 1",
            "46001 Valencia",
            "Spain",
            "Concept Amount",
            "Annual support 1,000.00 €",
            "Credit for downtime -100.00 €",
            "Base 900.00 €",
            "Discount (10.00 %) -90.00 €",
            "Taxable base 810.00 €",
            "VAT (21.00 %) 170.10 €",
            "Surcharge (5.20 %) 42.12 €",
            "Retention (15.00 %) -121.50 €",
            "Total 900.72 €",
            "Thanks for your order.",
            "FOOTER Pay to ES91 2100 0418",
        ]:
            self.assertIn(expected, text)
        self.assertNotIn("SECRET-NOTE", text)
        self.assertNotIn("PAID", text)
        self.assertNotIn("Payment date", text)
        # the logo of the CRM settings is the one image of the page
        images = subprocess.run(
            ["pdfimages", "-list", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        self.assertIn(" 120 ", images.splitlines()[2])

    def test_spanish_and_paid(self):
        self.invoice.lang = "es_ES"
        self.invoice.with_user(self.user1).write(
            {"state": "paid", "payment_date": "2025-03-20"}
        )
        text = self._text(self._pdf(self.invoice, self.user1))
        for expected in [
            "Factura T/0001",
            "Fecha de factura 07/03/2025",
            "Fecha de vencimiento 06/04/2025",
            "Fecha de pago 20/03/2025",
            "Referencia PO-4512",
            "Cliente Customer A",
            "NIF: ESA12345674",
            "PAGADA",
            "Concepto Importe",
            "Annual support 1.000,00 €",
            "Base 900,00 €",
            "Descuento (10,00 %) -90,00 €",
            "Base imponible 810,00 €",
            "VAT (21,00 %) 170,10 €",
            "Retención (15,00 %) -121,50 €",
            "Total 900,72 €",
            "FOOTER Pay to ES91 2100 0418",
        ]:
            self.assertIn(expected, text)
        self.assertNotIn("SECRET-NOTE", text)
        self.assertNotIn("Invoice date", text)

    def test_received_and_cancelled(self):
        received = self._create_invoice(
            self.customer_b,
            kind="received",
            invoice_number="SUP-9",
            lang="en_US",
            state="cancelled",
        )
        text = self._text(self._pdf(received, self.manager1))
        for expected in ("Received invoice SUP-9", "Supplier Customer B", "CANCELLED"):
            self.assertIn(expected, text)
