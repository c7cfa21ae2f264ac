import re

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import html_sanitize
from odoo.tools.misc import get_lang
from odoo.tools.translate import html_translate

# anything shaped like a macro: an underscore, a letter or digit, and up to the
# next underscore that is not followed by a letter, digit or underscore
MACRO_SHAPE = re.compile(r"(?<![A-Za-z0-9_])_[A-Za-z0-9]\w*?_(?![A-Za-z0-9_])")

# the same options when the body is saved and when it is expanded
SANITIZE_OPTIONS = {
    "sanitize_tags": True,
    "sanitize_attributes": True,
    "sanitize_style": True,
    "sanitize_form": True,
    "strip_style": False,
    "strip_classes": False,
}


class CrmSupportContractTemplate(models.Model):
    """An HTML document with ``_macro_`` placeholders, printed for a contract."""

    _name = "crm_support.contract.template"
    _description = "Contract Template"
    _inherit = ["crm_support.reference.mixin"]
    _order = "sequence, name, id"

    # --- fields ----------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    body = fields.Html(
        translate=html_translate,
        sanitize=True,
        sanitize_overridable=False,
        sanitize_style=True,
        help="The document, with macros such as _company_name_ where contract "
        "data goes. Scripts, event handlers and unknown macros are refused.",
    )
    macro_help = fields.Html(
        "Macros",
        compute="_compute_macro_help",
        help="The macros a template may use and what each one prints.",
    )

    # --- computes --------------------------------------------------------

    def _compute_macro_help(self):
        rows = [
            Markup("<tr><td><code>%s</code></td><td>%s</td></tr>") % item
            for item in self._macro_descriptions().items()
        ]
        for contract_type in self.env["crm_support.contract.type"].search([]):
            for field in contract_type._custom_fields():
                rows.append(
                    Markup("<tr><td><code>%s</code></td><td>%s</td></tr>")
                    % (
                        contract_type._custom_macro(field["name"]),
                        self.env._(
                            "Custom field %(field)s of the type %(type)s",
                            field=field.get("string") or field["name"],
                            type=contract_type.name,
                        ),
                    )
                )
        table = Markup(
            "<table class='table table-sm'><tbody>%s</tbody></table>"
        ) % Markup("").join(rows)
        for template in self:
            template.macro_help = table

    # --- constraints -----------------------------------------------------

    @api.constrains("body")
    def _check_body(self):
        pattern = self._macro_pattern()
        for template in self:
            unknown = template._unknown_macros(pattern)
            if unknown:
                raise ValidationError(
                    self.env._(
                        "Body: the template %(name)s uses unknown macros: "
                        "%(macros)s. The Macros tab lists the known ones.",
                        name=template.name,
                        macros=", ".join(unknown),
                    )
                )

    # --- business helpers ------------------------------------------------

    @api.model
    def _macro_descriptions(self):
        """The fixed macros and what they print, in Integria's order."""
        return {
            "_id_contract_": self.env._("Contract id"),
            "_name_contract_": self.env._("Contract reference"),
            "_contract_number_": self.env._("Contract number"),
            "_contract_description_": self.env._("Contract description"),
            "_date_begin_": self.env._("Start date"),
            "_date_end_": self.env._("End date (or open-ended)"),
            "_id_company_": self.env._("Company id"),
            "_private_": self.env._("Whether the contract is private"),
            "_id_status_": self.env._(
                "Status number (0 inactive, 1 active, 2 pending)"
            ),
            "_name_status_": self.env._("Status"),
            "_company_name_": self.env._("Company name"),
            "_company_address_": self.env._("Company address"),
            "_company_fiscal_id_": self.env._("Company fiscal id"),
            "_company_country_": self.env._("Company country"),
            "_company_website_": self.env._("Company website"),
            "_company_comments_": self.env._("Company comments"),
            "_company_manager_": self.env._("Company owner"),
            "_company_last_update_": self.env._("Company last activity"),
            "_company_payment_conditions_": self.env._("Company payment terms"),
            "_contract_type_id_": self.env._("Contract type id"),
            "_contract_type_name_": self.env._("Contract type name"),
            "_contract_type_description_": self.env._("Contract type description"),
            "_contract_custom_fields_": self.env._(
                "Table of every custom field of the contract"
            ),
            "_template_id_": self.env._("Template id"),
            "_template_name_": self.env._("Template name"),
            "_template_description_": self.env._("Template description"),
            "_format_long_time_": self.env._("Today, long (11 Wed April 2021)"),
            "_format_short_time_": self.env._("Today, short (11/04/2021)"),
            "_format_annual_date_": self.env._("This year (2021)"),
        }

    @api.model
    def _macro_pattern(self):
        """A regular expression matching every known macro, longest first.

        Custom macros of every contract type are known: a template serves
        contracts of any type and prints nothing for fields a type lacks.
        """
        Type = self.env["crm_support.contract.type"]
        macros = set(self._macro_descriptions())
        for contract_type in Type.with_context(active_test=False).search([]):
            macros.update(
                Type._custom_macro(field["name"])
                for field in contract_type._custom_fields()
            )
        alternatives = sorted(macros, key=lambda macro: (-len(macro), macro))
        return re.compile("|".join(map(re.escape, alternatives)))

    def _unknown_macros(self, pattern):
        """The macro-shaped words of the body that are no known macro."""
        self.ensure_one()
        text = pattern.sub(" ", self.body or "")
        return sorted(set(MACRO_SHAPE.findall(text)))

    def _render_bodies(self, contracts):
        """The body of each contract's document, macros expanded and escaped.

        Only the macros' values reach the document: the body is never
        evaluated, and what comes out is sanitized once more, so a value
        cannot turn into markup or into a link that runs code.
        """
        self.ensure_one()
        pattern = self._macro_pattern()
        bodies = {}
        for contract in contracts:
            # the document speaks the company's language, as its macros do
            lang = get_lang(self.env, contract.crm_company_id.lang).code
            template = self.with_context(lang=lang)
            values = dict(
                contract._macro_values(),
                _template_id_=template.id,
                _template_name_=template.name,
                _template_description_=template.description or "",
            )
            expanded = pattern.sub(
                lambda match, values=values: escape(values.get(match[0], "")),
                template.body or "",
            )
            bodies[contract.id] = html_sanitize(expanded, **SANITIZE_OPTIONS)
        return bodies
