from email.message import EmailMessage
from email.utils import make_msgid

from odoo.tests import tagged
from odoo.tools import mute_logger

from .lead_common import CrmSupportLeadCase


@tagged("post_install", "-at_install", "crm_support")
class TestLeadMailRouting(CrmSupportLeadCase):
    """Incoming mail through Odoo's gateway: headers first, then the token."""

    def _raw(
        self,
        sender,
        subject,
        body="Thank you, see the file.",
        in_reply_to=None,
        attachment=None,
        to=None,
    ):
        message = EmailMessage()
        message["From"] = sender
        message["To"] = to or self.catchall
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain="customer.example.com")
        if in_reply_to:
            message["In-Reply-To"] = in_reply_to
            message["References"] = in_reply_to
        message.set_content(body)
        if attachment:
            message.add_attachment(
                attachment, maintype="application", subtype="pdf", filename="signed.pdf"
            )
        return message.as_bytes()

    def _process(self, raw):
        return self.env["mail.thread"].message_process(None, raw)

    def _incoming(self, lead):
        return lead.message_ids.filtered(lambda m: m.message_type == "email")

    def _held(self, subject_part):
        return self.env["crm_support.held.mail"].search(
            [("subject", "ilike", subject_part)]
        )

    def _send_to(self, lead, partner):
        """An outgoing message of the lead, as the reply form posts it."""
        return lead.with_context(mail_notify_force_send=False).message_post(
            body="Our offer",
            subject=lead._lead_mail_subject("Offer"),
            partner_ids=partner.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    # --- what routes -----------------------------------------------------

    def test_reply_without_references_routes_by_token(self):
        raw = self._raw(
            "Contact A <contact.a@customer-a.example.com>",
            f"Re: [Lead#{self.lead_a.id}] Offer",
            attachment=b"%PDF-1.4 signed",
        )
        self.assertEqual(self._process(raw), self.lead_a.id)
        message = self._incoming(self.lead_a)
        self.assertEqual(len(message), 1)
        self.assertIn("Thank you, see the file.", message.body)
        self.assertEqual(message.author_id, self.contact_a)
        files = self.env["ir.attachment"].search(
            [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead_a.id)]
        )
        self.assertEqual(files.mapped("name"), ["signed.pdf"])
        self.assertEqual(files.raw, b"%PDF-1.4 signed")
        self.assertEqual(message.attachment_ids, files)

    def test_header_matching_comes_first(self):
        sent = self._send_to(self.lead_b, self.contact_b)
        # the token names lead A, the headers lead B: Odoo's headers win
        raw = self._raw(
            "contact.b@customer-b.example.com",
            f"Re: [Lead#{self.lead_a.id}] Offer",
            in_reply_to=sent.message_id,
        )
        self.assertEqual(self._process(raw), self.lead_b.id)
        self.assertTrue(self._incoming(self.lead_b))
        self.assertFalse(self._incoming(self.lead_a))

    def test_relay_rewrote_the_message_id(self):
        self._send_to(self.lead_a, self.contact_a)
        raw = self._raw(
            "contact.a@customer-a.example.com",
            f"RE: [Lead#{self.lead_a.id}] Offer",
            in_reply_to="<0100018c.rewritten@eu-west-1.relay.example.net>",
        )
        self.assertEqual(self._process(raw), self.lead_a.id)
        self.assertEqual(len(self._incoming(self.lead_a)), 1)

    def test_reply_prefixes(self):
        for prefix in ("Re:", "AW:", "RV:", "Fwd: Re:", "SV: AW:"):
            raw = self._raw(
                "contact.a@customer-a.example.com",
                f"{prefix} [Lead#{self.lead_a.id}] Offer",
            )
            self.assertEqual(self._process(raw), self.lead_a.id, prefix)
        self.assertEqual(len(self._incoming(self.lead_a)), 5)

    def test_correspondents_of_the_lead(self):
        consultant = self.env["res.partner"].create(
            {"name": "Consultant", "email": "consultant@advisors.example.com"}
        )
        self._send_to(self.lead_a, consultant)
        senders = [
            # a colleague of the customer, an earlier correspondent, a manager
            # of the owner's home company
            "colleague.a@customer-a.example.com",
            "consultant@advisors.example.com",
            "manager1@support.example.com",
        ]
        for sender in senders:
            raw = self._raw(sender, f"Re: [Lead#{self.lead_a.id}] Offer")
            self.assertEqual(self._process(raw), self.lead_a.id, sender)
        self.assertEqual(
            self._incoming(self.lead_a).mapped("author_id.email"),
            list(reversed(senders)),
        )

    def test_non_utf8_charset(self):
        subject = f"Re: [Lead#{self.lead_a.id}] Caf\xe9 offer"
        raw = (
            "From: contact.a@customer-a.example.com\r\n"
            f"To: {self.catchall}\r\n"
            f"Subject: =?iso-8859-1?q?Re:_[Lead#{self.lead_a.id}]_Caf=E9_offer?=\r\n"
            "Message-ID: <latin1.1@customer-a.example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            'Content-Type: text/plain; charset="iso-8859-1"\r\n'
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
            "\xc7a marche: caf\xe9 cr\xe8me, \xa3 et \xa7.\r\n"
        ).encode("latin-1")
        self.assertEqual(self._process(raw), self.lead_a.id)
        message = self._incoming(self.lead_a)
        self.assertIn("Ça marche: café crème, £ et §.", message.body)
        self.assertEqual(message.subject, subject)

    def test_malformed_mime_body(self):
        raw = (
            "From: contact.a@customer-a.example.com\r\n"
            f"To: {self.catchall}\r\n"
            f"Subject: Re: [Lead#{self.lead_a.id}] Offer\r\n"
            "Message-ID: <broken.1@customer-a.example.com>\r\n"
            "MIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="XYZ"\r\n\r\n'
            "--XYZ\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "The text before the break\r\n"
            "--XYZ\r\n"
            'Content-Type: application/octet-stream; name="cut.bin"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n"
            "!!!this is not base64 @@@\r\n"
        ).encode()
        self.assertEqual(self._process(raw), self.lead_a.id)
        self.assertIn("The text before the break", self._incoming(self.lead_a).body)

    # --- what is held ----------------------------------------------------

    def test_forged_token_from_a_stranger(self):
        raw = self._raw(
            "Mallory <mallory@attacker.example.net>",
            f"Re: [Lead#{self.lead_a.id}] Offer",
            attachment=b"%PDF-1.4 malware",
        )
        self.assertFalse(self._process(raw))
        self.assertFalse(self._incoming(self.lead_a))
        self.assertFalse(
            self.env["ir.attachment"].search(
                [("res_model", "=", "crm.lead"), ("res_id", "=", self.lead_a.id)]
            )
        )
        held = self._held(f"[Lead#{self.lead_a.id}]")
        self.assertEqual(held.reason, "stranger")
        self.assertEqual(held.state, "held")
        self.assertEqual(held.named_lead_ids, self.lead_a)
        self.assertEqual(held.attachment_ids.raw, b"%PDF-1.4 malware")
        # the owner is told
        self.assertEqual(held.activity_ids.user_id, self.user1)
        # fetched twice (two mailboxes), kept once
        self._process(raw)
        self.assertEqual(len(self._held(f"[Lead#{self.lead_a.id}]")), 1)

    def test_internal_user_who_may_not_post_is_a_stranger(self):
        raw = self._raw(
            "user3@support.example.com", f"Re: [Lead#{self.lead_a.id}] Offer"
        )
        self.assertFalse(self._process(raw))
        self.assertEqual(self._held(f"[Lead#{self.lead_a.id}]").reason, "stranger")

    def test_unknown_lead(self):
        raw = self._raw("contact.a@customer-a.example.com", "Re: [Lead#987654] Hi")
        self.assertFalse(self._process(raw))
        held = self._held("[Lead#987654]")
        self.assertEqual(held.reason, "unknown_lead")
        self.assertFalse(held.named_lead_ids)
        self.assertFalse(held.activity_ids)

    def test_two_tokens(self):
        subject = f"Re: [Lead#{self.lead_a.id}] and [Lead#{self.lead_b.id}]"
        raw = self._raw("contact.a@customer-a.example.com", subject)
        self.assertFalse(self._process(raw))
        self.assertFalse(self._incoming(self.lead_a) | self._incoming(self.lead_b))
        held = self._held(f"[Lead#{self.lead_b.id}]")
        self.assertEqual(held.reason, "several_leads")
        self.assertEqual(held.named_lead_ids, self.lead_a | self.lead_b)
        self.assertEqual(held.activity_ids.user_id, self.user1 | self.manager1)

    def test_same_token_twice_is_one_token(self):
        raw = self._raw(
            "contact.a@customer-a.example.com",
            f"Re: [Lead#{self.lead_a.id}] Re: [lead # {self.lead_a.id}] Offer",
        )
        self.assertEqual(self._process(raw), self.lead_a.id)

    # --- failures --------------------------------------------------------

    def test_failed_mail_is_kept_for_retry(self):
        raw = self._raw(
            "someone@example.org", "No route", to="nobody@elsewhere.example.org"
        )
        Thread = self.env["mail.thread"].with_context(fetchmail_cron_running=True)
        with mute_logger(
            "odoo.addons.crm_support.models.crm_support_held_mail",
            "odoo.addons.mail.models.mail_thread",
        ):
            self.assertFalse(Thread.message_process(None, raw))
            Thread.message_process(None, raw)
        held = self._held("No route")
        self.assertEqual((held.state, held.reason), ("failed", "error"))
        self.assertEqual(held.attempt_count, 2)
        self.assertIn("No possible route", held.error)
        self.assertEqual(held.raw_message and len(held.raw_message) > 0, True)

        # once the cause is fixed (here, the model new mail creates), it goes
        held.fallback_model = "crm.lead"
        held.action_retry()
        self.assertEqual(held.state, "done")
        self.assertTrue(self.env["crm.lead"].search([("name", "=", "No route")]))

    def test_failure_outside_fetchmail_raises(self):
        # other callers (the mailgate script) get the error and retry themselves
        raw = self._raw("x@example.org", "Lost", to="nobody@elsewhere.example.org")
        with (
            self.assertRaises(ValueError),
            mute_logger("odoo.addons.mail.models.mail_thread"),
        ):
            self._process(raw)
        self.assertFalse(self._held("Lost"))
