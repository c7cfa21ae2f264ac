import base64
import email
import email.policy

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .lead_common import CrmSupportLeadCase


@tagged("post_install", "-at_install", "crm_support")
class TestLeadMailOut(CrmSupportLeadCase):
    """Replies and forwards: token, reference mailbox, templates, files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        Template = cls.env["crm_support.lead.template"]
        Template.search([]).active = False
        cls.template_any = Template.create(
            {"name": "Any language", "body": "<p>Hello _DEST_NAME_</p>"}
        )
        cls.template_es = Template.create(
            {
                "name": "Respuesta",
                "lang": "es_ES",
                "subject": "Su consulta, _DEST_NAME_",
                "body": "<p>Estimado/a _DEST_NAME_ (_DEST_EMAIL_),</p>"
                "<p>_SRC_NAME_ &lt;_SRC_EMAIL_&gt;</p>",
            }
        )
        cls.lead_a.write(
            {
                "lang_id": cls.env.ref("base.lang_es").id,
                "contact_name": "<b>Ana</b> & Co",
                "email_from": "contact.a@customer-a.example.com",
            }
        )

    def _outgoing(self, lead):
        """The mails Odoo would send for the lead, as built for SMTP."""
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "crm.lead"), ("res_id", "=", lead.id)])
        )
        self.assertTrue(mails, "a mail is queued for the lead")
        messages = []
        for mail in mails:
            for values in mail._prepare_outgoing_list():
                built = self.env["ir.mail_server"].build_email(
                    email_from=mail.email_from,
                    email_to=values["email_to"],
                    subject=values["subject"],
                    body=values["body"],
                    email_cc=values["email_cc"],
                    reply_to=values["reply_to"],
                    attachments=values["attachments"],
                    message_id=values["message_id"],
                    references=values["references"],
                    subtype="html",
                )
                messages.append(
                    email.message_from_bytes(built.as_bytes(), policy=email.policy.SMTP)
                )
        return messages

    @users("crm_user1")
    def test_reply_by_email(self):
        lead = self.lead_a.with_user(self.env.user)
        action = lead.action_reply_by_email()
        form = Form(
            self.env[action["res_model"]].with_context(
                **action["context"], mail_notify_force_send=False
            )
        )
        # the template in the lead's language, macros escaped in the body
        self.assertEqual(form.template_id, self.template_es)
        self.assertEqual(form.subject, f"[Lead#{lead.id}] Su consulta, <b>Ana</b> & Co")
        self.assertIn("Estimado/a &lt;b&gt;Ana&lt;/b&gt; &amp; Co", form.body)
        self.assertIn("(contact.a@customer-a.example.com)", form.body)
        self.assertIn(
            f"{self.env.user.name} &lt;user1@support.example.com&gt;", form.body
        )
        self.assertIn(self.catchall, form.reference_mailbox)
        attachment = self.env["ir.attachment"].create(
            {
                "name": "offer.pdf",
                "raw": b"%PDF-1.4 offer",
                "res_model": "crm_support.lead.reply",
                "res_id": 0,
            }
        )
        form.attachment_ids.add(attachment)
        reply = form.save()
        reply.with_context(mail_notify_force_send=False).action_send()

        # on the timeline, with the file now the lead's
        message = lead.message_ids.filtered(lambda m: m.message_type == "comment")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.attachment_ids, attachment)
        self.assertEqual(
            (attachment.res_model, attachment.res_id), ("crm.lead", lead.id)
        )

        # by e-mail to the contact: token once, reference mailbox in Cc and Reply-To
        (sent,) = [m for m in self._outgoing(lead) if "contact.a" in m["To"]]
        self.assertEqual(
            sent["Subject"], f"[Lead#{lead.id}] Su consulta, <b>Ana</b> & Co"
        )
        self.assertIn(self.catchall, sent["Cc"])
        self.assertIn(self.catchall, sent["Reply-To"])
        files = [part.get_filename() for part in sent.iter_attachments()]
        self.assertEqual(files, ["offer.pdf"])

    def test_template_for_any_language(self):
        self.lead_b.lang_id = self.env.ref("base.lang_en")
        reply = self.env["crm_support.lead.reply"].create({"lead_id": self.lead_b.id})
        self.assertEqual(reply.template_id, self.template_any)
        self.assertEqual(reply.subject, f"[Lead#{self.lead_b.id}] Lead B")
        self.assertIn("Hello Contact B", reply.body)

    def test_shipped_template_speaks_the_lead_language(self):
        # the shipped template has no language: it answers in its translation
        self.env["ir.module.module"]._load_module_terms(["crm_support"], ["es_ES"])
        shipped = self.env.ref("crm_support.crm_support_lead_template_reply")
        (self.template_any | self.template_es).active = False
        shipped.active = True
        self.lead_b.lang_id = self.env.ref("base.lang_en")

        # user1 works in English: the words follow each lead, not the user
        self.assertEqual(self.user1.lang, "en_US")
        Reply = self.env["crm_support.lead.reply"]
        spanish = Reply.with_user(self.user1).create({"lead_id": self.lead_a.id})
        english = Reply.create({"lead_id": self.lead_b.id})

        self.assertEqual(spanish.template_id, shipped)
        self.assertIn("Estimado/a &lt;b&gt;Ana&lt;/b&gt; &amp; Co,", spanish.body)
        self.assertIn("Gracias por su interés.", spanish.body)
        self.assertIn("Un saludo,", spanish.body)
        self.assertNotIn("Dear", spanish.body)
        self.assertIn("Dear Contact B,", english.body)
        self.assertIn("Thank you for your interest.", english.body)
        self.assertNotIn("Estimado", english.body)

    def test_chatter_message_carries_the_token(self):
        # any discussion mail of a lead, not only the reply form's
        self.lead_b.with_context(mail_notify_force_send=False).message_post(
            body="Any news?",
            subject="[Lead#999] Re: Your offer",
            partner_ids=self.contact_b.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        (sent,) = self._outgoing(self.lead_b)
        self.assertEqual(sent["Subject"], f"[Lead#{self.lead_b.id}] Re: Your offer")
        self.assertIn(self.catchall, sent["Cc"])

    def test_note_gets_no_copy(self):
        self.lead_b.with_context(mail_notify_force_send=False).message_post(
            body="Internal",
            partner_ids=self.contact_b.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        for sent in self._outgoing(self.lead_b):
            self.assertNotIn(self.catchall, sent["Cc"] or "")

    @users("crm_reader1")
    def test_reader_cannot_reply(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["crm_support.lead.reply"].create({"lead_id": self.lead_a.id})

    def test_reply_needs_a_reference_mailbox(self):
        self.env.company.alias_domain_id = False
        reply = self.env["crm_support.lead.reply"].create({"lead_id": self.lead_b.id})
        with self.assertRaisesRegex(UserError, "reference mailbox"):
            reply.action_send()

    @users("crm_reader1")
    def test_forward(self):
        self.lead_b.sudo().description = "<p>Wants <b>10</b> licences</p>"
        forward = self.env["crm_support.lead.forward"].create(
            {
                "lead_id": self.lead_b.id,
                "email_to": "partner@reseller.example.com",
                "note": "Can you <quote>?",
            }
        )
        forward.with_context(mail_notify_force_send=False).action_forward()
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("email_to", "=", "partner@reseller.example.com")])
        )
        self.assertEqual(mail.subject, f"Fwd: [Lead#{self.lead_b.id}] Lead B")
        self.assertIn("Can you &lt;quote&gt;?", mail.body_html)
        self.assertIn("Contact B", mail.body_html)
        self.assertIn("Wants <b>10</b> licences", mail.body_html)
        self.assertIn(
            "partner@reseller.example.com", self.lead_b.sudo().message_ids[0].body
        )

    def test_forward_refuses_a_bad_address(self):
        forward = self.env["crm_support.lead.forward"].create(
            {"lead_id": self.lead_b.id, "email_to": "not an address"}
        )
        with self.assertRaisesRegex(UserError, "not an e-mail address"):
            forward.action_forward()

    def test_raw_attachment_roundtrip(self):
        # the bytes that leave are the bytes that were attached
        data = bytes(range(256)) * 4
        attachment = self.env["ir.attachment"].create(
            {"name": "blob.bin", "datas": base64.b64encode(data)}
        )
        self.lead_b.with_context(mail_notify_force_send=False).message_post(
            body="See attached",
            partner_ids=self.contact_b.ids,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        (sent,) = self._outgoing(self.lead_b)
        (part,) = list(sent.iter_attachments())
        self.assertEqual(part.get_content(), data)
