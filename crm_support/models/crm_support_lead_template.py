from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools.mail import html_sanitize
from odoo.tools.translate import html_translate

# Integria's macros of lead mail and the values they stand for
MACROS = ("_DEST_NAME_", "_DEST_EMAIL_", "_SRC_NAME_", "_SRC_EMAIL_")


class CrmSupportLeadTemplate(models.Model):
    """A lead mail template with Integria's macros.

    Replies pick the template set to the lead's language, else one for any
    language, and render it in the lead's language: name, subject and body are
    translatable, as for Odoo's own mail templates. Macros are replaced by
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

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    lang = fields.Selection(
        _lang_get,
        string="Language",
        help="Replies to leads in this language offer this template first; a "
        "template without a language serves every language, in its translation "
        "for the lead's language.",
    )
    subject = fields.Char(
        translate=True,
        help="Replaces the subject of the reply when set; the lead's token is "
        "added when the mail is sent.",
    )
    body = fields.Html(
        sanitize=True,
        translate=html_translate,
        help="Macros: _DEST_NAME_ (the lead's contact), _DEST_EMAIL_ (its e-mail), "
        "_SRC_NAME_ and _SRC_EMAIL_ (the user sending).",
    )

    @api.model
    def _lead_lang(self, lead):
        """The language a lead is written to: its own, else its customer's."""
        return lead.lang_id.code or lead.partner_id.lang or False

    @api.model
    def _find_for_lead(self, lead):
        """The template for the lead's language, else one for any language."""
        lang = self._lead_lang(lead)
        domain = [("lang", "=", False)]
        if lang:
            domain = ["|", ("lang", "=", lang), *domain]
        templates = self.search(domain)
        return templates.filtered(lambda t: t.lang == lang)[:1] or templates[:1]

    def _render(self, lead, user):
        """The subject and body of this template for a lead, sent by a user.

        The text is the template's translation in the lead's language (Odoo
        falls back to English when that language is not installed).
        """
        self.ensure_one()
        lang = self._lead_lang(lead)
        template = self.with_context(lang=lang) if lang else self
        values = {
            "_DEST_NAME_": lead.contact_name or lead.partner_id.name or "",
            "_DEST_EMAIL_": lead.email_from or "",
            "_SRC_NAME_": user.name or "",
            "_SRC_EMAIL_": user.email or "",
        }
        subject = template.subject or ""
        body = str(template.body or "")
        for macro in MACROS:
            subject = subject.replace(macro, values[macro])
            body = body.replace(macro, str(escape(values[macro])))
        return subject, Markup(html_sanitize(body))
