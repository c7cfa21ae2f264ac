import logging
import re
import subprocess
import tempfile
from contextlib import contextmanager

from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from ..models.crm_support_contract_template import MACRO_SHAPE
from .common_contract import CrmSupportContractCase

# what Debian's wkhtmltopdf (built on an unpatched Qt) says on every run: it
# ignores the header and footer switches Odoo always passes
UNPATCHED_QT_NOTICES = re.compile(
    r"The switch --[\w-]+, is not support using unpatched qt, and will be "
    r"ignored\.|QStandardPaths: XDG_RUNTIME_DIR not set, defaulting to '[^']*'"
)


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def pdf_text(data):
    """The text of a PDF, as poppler's pdftotext reads it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(data)
        pdf.flush()
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-layout", pdf.name, "-"],
            capture_output=True,
            check=True,
        )
    return re.sub(r"\s+", " ", result.stdout.decode())


@tagged("post_install", "-at_install", "crm_support")
class TestContractPdf(CrmSupportContractCase, HttpCase):
    """Generate PDF: real wkhtmltopdf documents, attached and told.

    An HttpCase, so that wkhtmltopdf loads the report's stylesheets from the
    test server, as it does from a running Odoo.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("pl_PL")
        cls.certificate = cls.env.ref(
            "crm_support.crm_support_contract_template_certificate"
        )
        cls.customer_a.write(
            {"name": "Łódź Sp. z o.o.", "lang": "pl_PL", "vat": "PL1234567883"}
        )
        cls.chinese = cls.env["crm_support.company"].create(
            {
                "name": "测试有限公司",
                "owner_id": cls.user1.id,
                "parent_company_id": cls.my_company.id,
            }
        )

    @contextmanager
    def wkhtmltopdf_checked(self):
        """Fail on anything wkhtmltopdf reports but the unpatched-Qt notices.

        Odoo logs whatever wkhtmltopdf writes on stderr as a warning; on a
        machine with Debian's build that is always the notice above, which
        says nothing about the document. Any other message (a stylesheet that
        did not load, a crash) fails the test.
        """
        logger = logging.getLogger("odoo.addons.base.models.ir_actions_report")
        collector, propagate = _Collector(), logger.propagate
        logger.addHandler(collector)
        logger.propagate = False
        try:
            yield
        finally:
            logger.removeHandler(collector)
            logger.propagate = propagate
        for record in collector.records:
            message = record.getMessage().removeprefix("wkhtmltopdf: ")
            self.assertFalse(UNPATCHED_QT_NOTICES.sub("", message).strip(), message)

    def generate(self, user, contracts, template=None):
        wizard = (
            self.env["crm_support.contract.generate"]
            .with_user(user)
            .with_context(
                active_model="crm_support.contract",
                active_ids=contracts.ids,
                force_report_rendering=True,
            )
            .create({"template_id": (template or self.certificate).id})
        )
        self.assertEqual(wizard.contract_ids, contracts)
        with self.wkhtmltopdf_checked():
            return wizard._generate()

    def test_certificate_is_attached_with_every_macro_filled_in(self):
        contract = self.contract_a.with_user(self.user1)
        company_messages = self.customer_a.message_ids
        attachment = self.generate(self.user1, contract)

        # attached to the contract and shown on its timeline
        self.assertEqual(attachment.res_model, "crm_support.contract")
        self.assertEqual(attachment.res_id, contract.id)
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertEqual(
            attachment.name, "Support Contract Certificate - Contract T-A-1.pdf"
        )
        self.assertEqual(contract.message_ids[0].attachment_ids, attachment)
        self.assertIn("Support Contract Certificate", contract.message_ids[0].body)
        new_messages = self.customer_a.message_ids - company_messages
        self.assertIn("generated for the contract", new_messages.body)

        text = pdf_text(attachment.raw)
        self.assertTrue(attachment.raw.startswith(b"%PDF"))
        for expected in (
            "CERTIFICATE OF SUPPORT",
            "Łódź Sp. z o.o.",
            "PL1234567883",
            "Contract T-A-1",
            "Test licence",
            "01.01.2025",
            "31.12.2025",
            "Active (1)",
            "Licences 5",
            "Support Level Gold",
            self.user1.name,
        ):
            self.assertIn(expected, text)
        self.assertFalse(MACRO_SHAPE.findall(text), text)

    def test_chinese_company_name_in_the_pdf(self):
        contract = self.env["crm_support.contract"].create(
            {
                "name": "支持合同",
                "contract_number": "CN-PDF-1",
                "crm_company_id": self.chinese.id,
            }
        )
        attachment = self.generate(self.user1, contract)
        text = pdf_text(attachment.raw)
        self.assertIn("测试有限公司", text)
        self.assertIn("支持合同", text)

    def test_injected_markup_prints_literally(self):
        self.customer_a.name = "<img src=x onerror=alert(1)>"
        attachment = self.generate(self.user1, self.contract_a)
        self.assertIn("<img src=x onerror=alert(1)>", pdf_text(attachment.raw))

    def test_one_document_per_contract(self):
        contracts = self.contract_a | self.contract_a_private
        attachments = self.generate(self.user1, contracts)
        self.assertEqual(sorted(attachments.mapped("res_id")), sorted(contracts.ids))
        for attachment in attachments:
            contract = contracts.browse(attachment.res_id)
            self.assertIn(contract.contract_number, pdf_text(attachment.raw))
        # the private contract's document is not told on the company timeline
        bodies = " ".join(self.customer_a.message_ids.mapped("body"))
        self.assertIn("T-A-1", bodies)
        self.assertNotIn("T-A-2", bodies)

    def test_who_may_generate_and_see_the_document(self):
        attachment = self.generate(self.user1, self.contract_a)
        # a colleague who reads the contract but may not change it
        with self.assertRefused(UserError, "Contract T-B-1"):
            self.generate(self.user1, self.contract_b)
        # a Read user does not even open the wizard
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.generate(self.reader_a, self.contract_a)
        # the portal contact of the company sees neither contract nor file
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            attachment.with_user(self.user2).read(["name", "raw"])
        # nor does a colleague who may not read a private contract
        private = self.generate(self.user1, self.contract_a_private)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            private.with_user(self.manager1).read(["name"])
        self.assertEqual(attachment.with_user(self.manager1).name, attachment.name)
