from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools.mail import html_sanitize

# Integria's macros of lead mail and the values they stand for
MACROS = ("_DEST_NAME_", "_DEST_EMAIL_", "_SRC_NAME_", "_SRC_EMAIL_")


class CrmSupportLeadTemplate(models.Model):
    """A lead mail template in one language, with Integria's macros.

    Replies pick the template in the lead's language. Macros are replaced by
    escaped values, so a lead's data never becomes markup, and the body is an
    ordinary sanitized HTML field, so a template reaches no code.
    """

    _name = "crm_support.lead.template"
    _description = "Lead Mail Template"
    _inherit = ["crm_support.reference.mixin"]
    _order = "sequence, name, id"

    @api.model
    def _lang_get(self):
        return self.env["res.lang"].get_installed()

    name = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    lang = fields.Selection(
        _lang_get,
        string="Language",
        help="Replies to leads in this language offer this template first; a "
        "template without a language serves every language.",
    )
    subject = fields.Char(
        help="Replaces the subject of the reply when set; the lead's token is "
        "added when the mail is sent.",
    )
    body = fields.Html(
        sanitize=True,
        help="Macros: _DEST_NAME_ (the lead's contact), _DEST_EMAIL_ (its e-mail), "
        "_SRC_NAME_ and _SRC_EMAIL_ (the user sending).",
    )

    @api.model
    def _find_for_lead(self, lead):
        """The template for the lead's language, else one for any language."""
        lang = lead.lang_id.code or lead.partner_id.lang
        domain = [("lang", "=", False)]
        if lang:
            domain = ["|", ("lang", "=", lang), *domain]
        templates = self.search(domain)
        return templates.filtered(lambda t: t.lang == lang)[:1] or templates[:1]

    def _render(self, lead, user):
        """The subject and body of this template for a lead, sent by a user."""
        self.ensure_one()
        values = {
            "_DEST_NAME_": lead.contact_name or lead.partner_id.name or "",
            "_DEST_EMAIL_": lead.email_from or "",
            "_SRC_NAME_": user.name or "",
            "_SRC_EMAIL_": user.email or "",
        }
        subject = self.subject or ""
        body = str(self.body or "")
        for macro in MACROS:
            subject = subject.replace(macro, values[macro])
            body = body.replace(macro, str(escape(values[macro])))
        return subject, Markup(html_sanitize(body))
