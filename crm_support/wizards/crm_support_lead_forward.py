from odoo import fields, models, tools
from odoo.exceptions import UserError
from odoo.tools.mail import email_split_and_format


class CrmSupportLeadForward(models.TransientModel):
    """Send a summary of a lead to any address, as Integria's mail forward."""

    _name = "crm_support.lead.forward"
    _description = "Forward a Lead by E-mail"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    email_to = fields.Char(
        "To", required=True, help="One or more addresses, separated by commas."
    )
    note = fields.Text(help="A few words above the summary of the lead.")

    def action_forward(self):
        self.ensure_one()
        lead = self.lead_id
        recipients = email_split_and_format(self.email_to)
        for address in recipients or [self.email_to]:
            if not tools.email_normalize(address):
                raise UserError(
                    self.env._(
                        "To: %(address)r is not an e-mail address.", address=address
                    )
                )
        sender = self.env.user
        body = self.env["ir.qweb"]._render(
            "crm_support.crm_lead_forward_summary",
            {"lead": lead, "note": self.note, "user": sender},
        )
        # sudo: users may not create mail.mail; the mail only carries what the
        # user reads on the lead, to the addresses the user typed
        mail = (
            self.env["mail.mail"]
            .sudo()
            .create(
                {
                    "subject": self.env._(
                        "Fwd: %(subject)s",
                        subject=lead._lead_mail_subject(lead.name),
                    ),
                    "email_from": sender.email_formatted
                    or self.env.company.email_formatted,
                    "reply_to": sender.email_formatted or False,
                    "email_to": ",".join(recipients),
                    "body_html": body,
                    "author_id": sender.partner_id.id,
                    "auto_delete": True,
                }
            )
        )
        # like Odoo's notifications: sent at commit unless the caller queues it
        if self.env.context.get("mail_notify_force_send", True):
            mail.send_after_commit()
        lead._message_log(
            body=self.env._(
                "Lead forwarded by e-mail to %(recipients)s.",
                recipients=", ".join(recipients),
            )
        )
        return {"type": "ir.actions.act_window_close"}
