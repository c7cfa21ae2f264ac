from odoo import models, tools


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _prepare_outgoing_list(
        self, mail_server=False, recipients_follower_status=None
    ):
        """Lead discussion mail: token in the subject, reference mailbox in copy.

        Every copy of the mail (Odoo sends one per recipient) carries the
        lead's ``[Lead#N]`` token and has the reference mailbox as Reply-To and
        in Cc, so that the customer's "Reply all" comes back to the lead.
        """
        emails = super()._prepare_outgoing_list(
            mail_server=mail_server,
            recipients_follower_status=recipients_follower_status,
        )
        if not self._is_lead_discussion():
            return emails
        # sudo: the mail is already being sent; the lead is read for its
        # token and mailbox only
        lead = self.env["crm.lead"].sudo().browse(self.res_id).exists()
        if not lead:
            return emails
        reference = lead._get_reference_mailbox()
        reference_emails = tools.email_normalize_all(reference) if reference else []
        for values in emails:
            values["subject"] = lead._lead_mail_subject(values.get("subject"))
            if reference:
                values["reply_to"] = reference
                values["email_cc"] = [*values.get("email_cc", []), reference]
                # Odoo only delivers to the addresses it validated
                values["email_to_normalized"] = [
                    *values.get("email_to_normalized", []),
                    *reference_emails,
                ]
        return emails

    def _is_lead_discussion(self):
        """Whether this is a message to the people of a lead (not a note)."""
        self.ensure_one()
        return (
            self.model == "crm.lead"
            and self.res_id
            and self.message_type in ("comment", "email_outgoing")
            and self.subtype_id == self.env.ref("mail.mt_comment")
        )
