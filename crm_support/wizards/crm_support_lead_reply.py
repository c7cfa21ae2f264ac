from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmSupportLeadReply(models.TransientModel):
    """Answer a lead by e-mail, as Integria's "Email reply" does.

    The mail lands on the lead's timeline; Odoo sends it with the lead's token
    in the subject and the reference mailbox as Reply-To and in copy (see
    ``mail.mail``), so that the answers come back to the lead.
    """

    _name = "crm_support.lead.reply"
    _description = "Reply to a Lead by E-mail"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade")
    reference_mailbox = fields.Char(compute="_compute_reference_mailbox")
    lang = fields.Char(compute="_compute_lang")
    template_id = fields.Many2one(
        "crm_support.lead.template",
        compute="_compute_template_id",
        readonly=False,
        store=True,
        precompute=True,
        domain="['|', ('lang', '=', False), ('lang', '=', lang)]",
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Recipients",
        compute="_compute_partner_ids",
        readonly=False,
        store=True,
        precompute=True,
    )
    subject = fields.Char(
        compute="_compute_subject_body",
        readonly=False,
        store=True,
        precompute=True,
        required=True,
    )
    body = fields.Html(
        compute="_compute_subject_body", readonly=False, store=True, precompute=True
    )
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")

    @api.depends("lead_id")
    def _compute_reference_mailbox(self):
        for reply in self:
            reply.reference_mailbox = (
                reply.lead_id and reply.lead_id._get_reference_mailbox()
            ) or False

    @api.depends("lead_id")
    def _compute_lang(self):
        for reply in self:
            lead = reply.lead_id
            reply.lang = lead.lang_id.code or lead.partner_id.lang or False

    @api.depends("lead_id")
    def _compute_template_id(self):
        Template = self.env["crm_support.lead.template"]
        for reply in self:
            reply.template_id = reply.lead_id and Template._find_for_lead(reply.lead_id)

    @api.depends("lead_id")
    def _compute_partner_ids(self):
        for reply in self:
            lead = reply.lead_id
            partners = lead.partner_id
            if not partners and lead.email_from:
                partners = lead._mail_find_partner_from_emails(
                    [lead.email_from], records=lead
                )[0]
            reply.partner_ids = partners or False

    @api.depends("lead_id", "template_id")
    def _compute_subject_body(self):
        for reply in self:
            lead = reply.lead_id
            if not lead:
                continue
            subject, body = "", ""
            if reply.template_id:
                subject, body = reply.template_id._render(lead, self.env.user)
            reply.subject = lead._lead_mail_subject(subject or lead.name)
            reply.body = body

    def action_send(self):
        """Post the mail on the lead: Odoo e-mails it to the recipients."""
        self.ensure_one()
        lead = self.lead_id
        if not self.reference_mailbox:
            raise UserError(
                self.env._(
                    "Lead %(lead)s: replies need a reference mailbox. Set an alias "
                    "domain (with its catchall) on the company, or an alias on the "
                    "sales team, in the e-mail settings.",
                    lead=lead.display_name,
                )
            )
        partners = self.partner_ids
        if not partners and lead.email_from:
            partners = lead._mail_find_partner_from_emails(
                [lead.email_from], records=lead, force_create=True
            )[0]
        if not partners:
            raise UserError(
                self.env._(
                    "Recipients: lead %(lead)s has no contact and no e-mail to "
                    "answer.",
                    lead=lead.display_name,
                )
            )
        # the files become the lead's, as Odoo's composer does with its own
        self.attachment_ids.write({"res_model": lead._name, "res_id": lead.id})
        lead.message_post(
            body=self.body or "",
            subject=lead._lead_mail_subject(self.subject),
            partner_ids=partners.ids,
            attachment_ids=self.attachment_ids.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        return {"type": "ir.actions.act_window_close"}
