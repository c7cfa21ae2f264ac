import re

from odoo import api, fields, models, tools
from odoo.exceptions import AccessError, ValidationError

from .crm_lost_reason import LOST_PROGRESS
from .crm_stage import STAGE_PROGRESS

# "[Lead#35]" as Integria writes it; spaces and case are forgiven because mail
# clients and people retyping subjects are not careful about them
LEAD_TOKEN_RE = re.compile(r"\[\s*lead\s*#\s*(\d{1,9})\s*\]", re.IGNORECASE)


def lead_token_ids(subject):
    """The distinct lead ids named by ``[Lead#N]`` tokens in a subject, in order."""
    ids = []
    for match in LEAD_TOKEN_RE.finditer(subject or ""):
        lead_id = int(match[1])
        if lead_id not in ids:
            ids.append(lead_id)
    return ids


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # --- fields ----------------------------------------------------------

    crm_company_id = fields.Many2one(
        "crm_support.company",
        string="Managing Company",
        compute="_compute_crm_company_id",
        store=True,
        index=True,
        groups="crm_support.crm_support_group_read",
        help="The home company of the lead's owner: its users read the lead.",
    )
    crm_progress = fields.Integer(
        string="Integria Progress",
        compute="_compute_crm_progress",
        inverse="_inverse_crm_progress",
        store=True,
        readonly=False,
        help="Integria's progress value: 0 to 80 for the open stages, 200 won, "
        "100, 101 or 102 lost. Setting it moves the lead to that stage or marks it "
        "lost with that reason.",
    )
    is_email_duplicate = fields.Boolean(
        string="Duplicate E-mail",
        compute="_compute_is_email_duplicate",
        store=True,
        help="When its e-mail was set, another open lead already had this e-mail.",
    )

    # --- computes --------------------------------------------------------

    @api.depends("user_id.crm_company_id")
    def _compute_crm_company_id(self):
        for lead in self:
            lead.crm_company_id = lead.user_id.crm_company_id

    @api.depends(
        "active",
        "probability",
        "stage_id.crm_progress",
        "stage_id.is_won",
        "lost_reason_id.crm_progress",
    )
    def _compute_crm_progress(self):
        for lead in self:
            if not lead.active and not lead.probability:
                # lost: a reason without an Integria number is "Closed, lost"
                lead.crm_progress = int(lead.lost_reason_id.crm_progress or 101)
            elif lead.stage_id.is_won:
                lead.crm_progress = 200
            else:
                lead.crm_progress = int(lead.stage_id.crm_progress or 0)

    def _inverse_crm_progress(self):
        for lead in self:
            lead._set_crm_progress(lead.crm_progress)

    @api.depends("email_normalized")
    def _compute_is_email_duplicate(self):
        emails = [email for email in self.mapped("email_normalized") if email]
        if not emails:
            self.is_email_duplicate = False
            return
        # sudo: the flag must count leads the user may not read; it tells
        # nothing about them but their existence
        others = (
            self.sudo()
            .with_context(active_test=True)
            .search_fetch(
                [
                    ("email_normalized", "in", emails),
                    ("stage_id.is_won", "!=", True),
                ],
                ["email_normalized"],
            )
        )
        for lead in self:
            lead.is_email_duplicate = bool(
                lead.email_normalized
                and any(
                    other.email_normalized == lead.email_normalized
                    and other.id != lead.id
                    for other in others
                )
            )

    # --- CRUD ------------------------------------------------------------

    def write(self, vals):
        if "user_id" in vals:
            self._check_take_unowned(vals["user_id"])
        return super().write(vals)

    # --- actions ---------------------------------------------------------

    def action_reply_by_email(self):
        """Open the reply form: a mail with the lead's token and template."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Reply by E-mail"),
            "res_model": "crm_support.lead.reply",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }

    def action_forward_by_email(self):
        """Open the forward form: a summary of the lead to any address."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Forward by E-mail"),
            "res_model": "crm_support.lead.forward",
            "view_mode": "form",
            "target": "new",
            "context": {"default_lead_id": self.id},
        }

    # --- business helpers ------------------------------------------------

    def _set_crm_progress(self, value):
        """Move the leads to the stage, or lost reason, of an Integria progress."""
        code = str(value)
        if code in dict(LOST_PROGRESS):
            reason = self.env["crm.lost.reason"].search(
                [("crm_progress", "=", code)], limit=1
            )
            if not reason:
                raise ValidationError(
                    self.env._(
                        "Integria Progress: no lost reason has the progress value "
                        "%(value)s.",
                        value=value,
                    )
                )
            lost = self.filtered(
                lambda lead: lead.active or lead.lost_reason_id != reason
            )
            lost.action_set_lost(lost_reason_id=reason.id)
            return
        if code not in dict(STAGE_PROGRESS):
            raise ValidationError(
                self.env._(
                    "Integria Progress: %(value)s is not a progress value of Integria "
                    "(0, 20, 40, 60, 80, 100, 101, 102 or 200).",
                    value=value,
                )
            )
        stage = self.env["crm.stage"].search([("crm_progress", "=", code)], limit=1)
        if not stage:
            raise ValidationError(
                self.env._(
                    "Integria Progress: no stage has the progress value %(value)s.",
                    value=value,
                )
            )
        reopened = self.filtered(lambda lead: not lead.active)
        if reopened:
            reopened.action_unarchive()
        moved = self.filtered(lambda lead: lead.stage_id != stage)
        if moved:
            moved.write({"stage_id": stage.id})

    def _check_take_unowned(self, user_id):
        """A CRM Write user takes an unowned lead for themselves, not for others.

        Managers and Odoo's sales users keep assigning leads as Odoo lets them.
        """
        user = self.env.user
        if (
            self.env.su
            or user.has_group("crm_support.crm_support_group_manage")
            or user.has_group("sales_team.group_sale_salesman")
            or not user.has_group("crm_support.crm_support_group_write")
        ):
            return
        if user_id and user_id != user.id and any(not lead.user_id for lead in self):
            raise AccessError(
                self.env._(
                    "Salesperson: you may take an unowned lead for yourself, but only "
                    "a CRM manager assigns it to someone else."
                )
            )

    def _lead_token(self):
        self.ensure_one()
        return f"[Lead#{self.id}]"

    def _lead_mail_subject(self, subject):
        """The subject of outgoing lead mail: this lead's token first, once."""
        self.ensure_one()
        rest = " ".join(LEAD_TOKEN_RE.sub(" ", subject or "").split())
        return f"{self._lead_token()} {rest or self.name}"

    def _get_reference_mailbox(self):
        """The mailbox replies must reach: the team's alias or the catchall.

        It is the address Odoo gives as Reply-To, formatted with a display
        name, or False when neither an alias nor a catchall is configured.
        """
        self.ensure_one()
        return self._notify_get_reply_to(default=False).get(self.id) or False

    def _is_lead_correspondent(self, email):
        """Whether mail from this address may land on the lead by its token.

        Correspondents are the lead's contact, the contacts of its customer,
        its followers, whoever already wrote or was written to on it, and the
        internal users who may post on it.
        """
        self.ensure_one()
        email = tools.email_normalize(email)
        if not email:
            return False
        # sudo: the mail gateway decides for a sender who is not a user; only a
        # yes or no leaves this method
        lead = self.sudo()
        if email in (lead.email_normalized, lead.partner_id.email_normalized):
            return True
        if email in tools.email_normalize_all(lead.email_cc or ""):
            return True
        # sudo: only whether the sender is one of the lead's people is
        # answered; no partner is shown to anybody
        partners = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search([("email_normalized", "=", email)])
        )
        customer = lead.partner_id.commercial_partner_id
        if customer and customer in partners.commercial_partner_id:
            return True
        if partners & lead.message_partner_ids:
            return True
        for user in partners.user_ids.filtered(lambda u: u.active and not u.share):
            if self.with_user(user).has_access(self._mail_post_access):
                return True
        # earlier messages of the lead written by or to this address
        author_domain = [("email_from", "ilike", email)]
        if partners:
            author_domain = [
                "|",
                "|",
                ("author_id", "in", partners.ids),
                ("partner_ids", "in", partners.ids),
                *author_domain,
            ]
        # sudo: counts earlier messages of this lead by the sender, a yes or
        # no for routing that shows no message
        return bool(
            self.env["mail.message"]
            .sudo()
            .search_count(
                [("model", "=", self._name), ("res_id", "=", lead.id), *author_domain],
                limit=1,
            )
        )
