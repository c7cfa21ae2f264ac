from email.message import EmailMessage

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .lead_common import CrmSupportLeadCase


@tagged("post_install", "-at_install", "crm_support")
class TestLeadHeldMail(CrmSupportLeadCase):
    """Held mail: who sees it, and posting it to the right lead."""

    def _hold(self, sender, subject):
        message = EmailMessage()
        message["From"] = sender
        message["To"] = self.catchall
        message["Subject"] = subject
        message["Message-ID"] = f"<{abs(hash(subject))}@sender.example.com>"
        message.set_content("Please find our order attached.")
        message.add_attachment(
            b"order 42", maintype="text", subtype="plain", filename="order.txt"
        )
        self.env["mail.thread"].message_process(None, message.as_bytes())
        return self.env["crm_support.held.mail"].search([("subject", "=", subject)])

    def setUp(self):
        super().setUp()
        # a new address of the customer: not yet a correspondent of lead A
        self.held_a = self._hold(
            "Purchasing <purchasing@customer-a-group.example.com>",
            f"Re: [Lead#{self.lead_a.id}] Offer",
        )
        self.held_unknown = self._hold("who@example.org", "Re: [Lead#987654] Hi")
        self.held_other = self._hold(
            "spam@example.net", f"Re: [Lead#{self.lead_other.id}] Prize"
        )
        self.all_held = self.held_a | self.held_unknown | self.held_other

    def _assert_sees(self, user, expected):
        Held = self.env["crm_support.held.mail"].with_user(user)
        found = Held.search([("id", "in", self.all_held.ids)])
        self.assertEqual(found, expected, user.login)
        for held in self.all_held - expected:
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                held.with_user(user).read(["subject"])

    def test_visibility(self):
        self._assert_sees(self.user1, self.held_a)
        self._assert_sees(self.manager1, self.held_a | self.held_unknown)
        self._assert_sees(self.user3, self.held_other)
        self._assert_sees(self.admin, self.all_held)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["crm_support.held.mail"].with_user(self.reader1).search([])

    def test_owner_posts_held_mail_to_the_lead(self):
        held = self.held_a.with_user(self.user1)
        with self.assertRaisesRegex(UserError, "choose the lead"):
            held.action_post_to_lead()
        held.lead_id = self.lead_a
        held.action_post_to_lead()
        self.assertEqual(held.state, "done")
        self.assertFalse(held.activity_ids)

        message = self.lead_a.message_ids.filtered(lambda m: m.message_type == "email")
        self.assertIn("Please find our order attached.", message.body)
        # an internal note from the real sender, never the customer's contact
        self.assertTrue(message.subtype_id.internal)
        self.assertFalse(message.author_id)
        self.assertIn("purchasing@customer-a-group.example.com", message.email_from)
        self.assertEqual(message.attachment_ids.raw, b"order 42")
        self.assertEqual(message.attachment_ids.res_id, self.lead_a.id)
        with self.assertRaisesRegex(UserError, "only held mail"):
            held.action_post_to_lead()

    def test_post_only_to_a_lead_the_user_may_change(self):
        held = self.held_a.with_user(self.user1)
        held.lead_id = self.lead_b
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            held.action_post_to_lead()
        self.assertEqual(self.held_a.state, "held")

    def test_manager_closes_spam(self):
        self.held_unknown.with_user(self.manager1).action_mark_done()
        self.assertEqual(self.held_unknown.state, "done")
