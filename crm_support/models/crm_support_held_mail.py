import base64
import email
import email.policy
import logging
import time

from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.tools.mail import decode_message_header

_logger = logging.getLogger(__name__)

# a failed mail is retried this many times by the scheduled job, then waits
# for a person to press Retry
MAX_ATTEMPTS = 5


class CrmSupportHeldMail(models.Model):
    """An incoming mail kept for a person: never dropped, never misfiled.

    Held mail named a lead by its token but cannot go there on its own (a
    sender who is not a correspondent of the lead, an unknown lead, several
    leads); a user who may change the lead posts it there, or to another
    lead. Failed mail could not be processed at all and waits for a retry.
    """

    _name = "crm_support.held.mail"
    _description = "Held Mail"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "crm_support.reference.mixin",
    ]
    _order = "date desc, id desc"
    _rec_name = "subject"

    # --- fields ----------------------------------------------------------

    subject = fields.Char(readonly=True)
    email_from = fields.Char("From", readonly=True)
    email_to = fields.Char("To", readonly=True)
    email_cc = fields.Char("Cc", readonly=True)
    date = fields.Datetime(readonly=True, default=fields.Datetime.now)
    message_id = fields.Char("Message-ID", readonly=True, index=True, copy=False)
    body = fields.Html(readonly=True)
    attachment_ids = fields.One2many(
        "ir.attachment",
        "res_id",
        string="Attachments",
        domain=[("res_model", "=", "crm_support.held.mail")],
        readonly=True,
    )
    raw_message = fields.Binary("Original Message", attachment=True, readonly=True)
    raw_message_filename = fields.Char(default="message.eml", readonly=True)
    reason = fields.Selection(
        [
            ("stranger", "Sender is not a correspondent of the lead"),
            ("unknown_lead", "No lead has this token"),
            ("several_leads", "Several lead tokens"),
            ("error", "Processing failed"),
        ],
        required=True,
        readonly=True,
    )
    state = fields.Selection(
        [("held", "Held"), ("failed", "Failed"), ("done", "Done")],
        required=True,
        default="held",
        tracking=True,
    )
    named_lead_ids = fields.Many2many(
        "crm.lead",
        "crm_support_held_mail_lead_rel",
        "held_mail_id",
        "lead_id",
        string="Named Leads",
        readonly=True,
        context={"active_test": False},
        help="The existing leads whose tokens the subject carries.",
    )
    lead_id = fields.Many2one(
        "crm.lead",
        index=True,
        tracking=True,
        context={"active_test": False},
        help="The lead this mail is posted to.",
    )
    error = fields.Text(readonly=True)
    attempt_count = fields.Integer("Attempts", readonly=True)
    fetchmail_server_id = fields.Many2one(
        "fetchmail.server", string="Incoming Mail Server", readonly=True
    )
    fallback_model = fields.Char(
        readonly=True, help="The model the incoming mail server creates records of."
    )

    # --- actions ---------------------------------------------------------

    def action_post_to_lead(self):
        """Post the held mail on the chosen lead, as an internal note."""
        for held in self:
            if held.state != "held":
                raise UserError(
                    held.env._(
                        "Held mail %(subject)r: only held mail is posted to a lead.",
                        subject=held.subject,
                    )
                )
            if not held.lead_id:
                raise UserError(
                    held.env._(
                        "Lead: choose the lead to post the held mail %(subject)r to.",
                        subject=held.subject,
                    )
                )
            held._post_to_lead()
        return True

    def action_retry(self):
        """Process a failed mail again, as the incoming mail server would."""
        for held in self:
            if held.state != "failed":
                raise UserError(
                    held.env._(
                        "Held mail %(subject)r: only failed mail is retried.",
                        subject=held.subject,
                    )
                )
        # sudo: the mail gateway processes mail as the system, as when fetching
        self.sudo()._retry()
        return True

    def action_mark_done(self):
        """Close held mail that needs nothing more (spam, a stray copy)."""
        self.write({"state": "done"})
        return True

    # --- business helpers ------------------------------------------------

    @api.model
    def _hold(self, message_dict, leads, reason):
        """Keep a mail the token router refused, and tell the leads' owners."""
        message_id = message_dict.get("message_id")
        duplicate = [("message_id", "=", message_id), ("reason", "!=", "error")]
        if message_id and self.search_count(duplicate):
            return self.browse()
        held = self.create(
            {
                "subject": message_dict.get("subject"),
                "email_from": message_dict.get("email_from"),
                "email_to": message_dict.get("to"),
                "email_cc": message_dict.get("cc"),
                "date": message_dict.get("date") or fields.Datetime.now(),
                "message_id": message_id,
                "body": message_dict.get("body"),
                "reason": reason,
                "named_lead_ids": leads.ids,
            }
        )
        self.env["ir.attachment"].create(
            [
                {
                    "name": attachment.fname or "attachment",
                    "raw": _as_bytes(attachment.content),
                    "res_model": self._name,
                    "res_id": held.id,
                }
                for attachment in message_dict.get("attachments") or []
            ]
        )
        summary = dict(self._fields["reason"]._description_selection(self.env))[reason]
        for owner in leads.user_id:
            held.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=owner.id,
                summary=self.env._("Held mail: %(reason)s", reason=summary),
            )
        _logger.info(
            "Held mail with Message-Id %s naming leads %s: %s",
            message_id,
            leads.ids,
            reason,
        )
        return held

    @api.model
    def _hold_failed(self, raw, error, model):
        """Keep a fetched mail whose processing raised, with the error."""
        message = email.message_from_bytes(raw, policy=email.policy.compat32)
        message_id = (message.get("Message-Id") or "").strip()
        existing = message_id and self.search(
            [("message_id", "=", message_id), ("state", "=", "failed")], limit=1
        )
        if existing:
            existing.write(
                {
                    "error": tools.exception_to_unicode(error),
                    "attempt_count": existing.attempt_count + 1,
                }
            )
            return existing
        held = self.create(
            {
                "subject": decode_message_header(message, "Subject"),
                "email_from": decode_message_header(message, "From"),
                "email_to": decode_message_header(message, "To"),
                "email_cc": decode_message_header(message, "Cc"),
                "message_id": message_id,
                "raw_message": base64.b64encode(raw),
                "reason": "error",
                "state": "failed",
                "error": tools.exception_to_unicode(error),
                "attempt_count": 1,
                "fallback_model": model,
            }
        )
        _logger.warning(
            "Incoming mail with Message-Id %s failed to process (%s); kept as held "
            "mail %s for a retry",
            message_id,
            type(error).__name__,
            held.id,
        )
        return held

    def _post_to_lead(self):
        self.ensure_one()
        lead = self.lead_id
        # copies: the held mail keeps its own files as the record of what came
        attachments = self.attachment_ids.copy(
            {"res_model": lead._name, "res_id": lead.id}
        )
        author = self.env["res.partner"].search(
            [("email_normalized", "=", tools.email_normalize(self.email_from))],
            limit=1,
        )
        lead.message_post(
            body=self.body,
            subject=self.subject,
            author_id=author.id or False,
            email_from=self.email_from,
            message_type="email",
            subtype_xmlid="mail.mt_note",
            attachment_ids=attachments.ids,
        )
        self.write({"state": "done"})
        self.activity_ids.action_feedback(
            feedback=self.env._("Posted to %(lead)s", lead=lead.display_name)
        )

    def _retry(self):
        started = time.monotonic()
        done = 0
        for held in self:
            raw = base64.b64decode(held.raw_message or b"")
            try:
                with self.env.cr.savepoint():
                    held.env["mail.thread"].with_context(
                        fetchmail_cron_running=False
                    ).message_process(held.fallback_model or None, raw)
            except Exception as error:
                held.write(
                    {
                        "error": tools.exception_to_unicode(error),
                        "attempt_count": held.attempt_count + 1,
                    }
                )
                _logger.warning(
                    "Held mail %s failed again (%s)", held.id, type(error).__name__
                )
                continue
            held.write({"state": "done", "error": False})
            done += 1
        _logger.info(
            "Retried %d failed mail(s): %d processed in %.2fs",
            len(self),
            done,
            time.monotonic() - started,
        )

    @api.model
    def _cron_retry_failed(self):
        self.search(
            [("state", "=", "failed"), ("attempt_count", "<", MAX_ATTEMPTS)]
        )._retry()


def _as_bytes(content):
    if isinstance(content, str):
        return content.encode("utf-8")
    return content or b""
