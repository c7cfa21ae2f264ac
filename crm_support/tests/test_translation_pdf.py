from odoo.tests import HttpCase, tagged

from . import test_contract_pdf
from .common_contract import CrmSupportContractCase


@tagged("post_install", "-at_install", "crm_support")
class TestTranslationPdf(CrmSupportContractCase, HttpCase):
    """The shipped certificate prints in the language of the contract's company.

    Real wkhtmltopdf documents read back with pdftotext, as in TestContractPdf,
    whose helpers this class borrows.
    """

    generate = test_contract_pdf.TestContractPdf.generate
    wkhtmltopdf_checked = test_contract_pdf.TestContractPdf.wkhtmltopdf_checked

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        cls.env["ir.module.module"]._load_module_terms(["crm_support"], ["es_ES"])
        cls.certificate = cls.env.ref(
            "crm_support.crm_support_contract_template_certificate"
        )
        cls.customer_a.write({"lang": "es_ES", "payment_terms": "30 días"})

    def test_spanish_company_gets_a_spanish_certificate(self):
        # user1 works in English: the document follows the customer
        self.assertEqual(self.user1.lang, "en_US")
        attachment = self.generate(self.user1, self.contract_a)

        text = test_contract_pdf.pdf_text(attachment.raw)
        for expected in (
            "CERTIFICADO DE SOPORTE",
            "Por la presente se certifica que",
            "es titular del contrato de Test licence",
            "válido desde 01/01/2025 hasta 31/12/2025",
            "Activo (1)",
            "Condiciones de pago 30 días",
            "Gestor de la cuenta",
            "Licences 5",
        ):
            self.assertIn(expected, text)
        for english in ("CERTIFICATE", "certify", "Payment terms", "Active"):
            self.assertNotIn(english, text)
        # the date as Spanish writes it, and no separator left dangling where
        # the customer has no website
        self.assertRegex(text, r"Expedido el \d{2}/\d{2}/\d{4} CERTIFICADO")
        self.assertNotRegex(text, r"ID fiscal: (\S+ )?·")

    def test_english_company_keeps_the_english_certificate(self):
        # a Spanish-speaking user printing for an English-speaking customer
        self.manager1.lang = "es_ES"
        attachment = self.generate(self.manager1, self.contract_b)

        text = test_contract_pdf.pdf_text(attachment.raw)
        self.assertIn("CERTIFICATE OF SUPPORT", text)
        self.assertIn("Active (1)", text)
        self.assertNotIn("CERTIFICADO", text)
