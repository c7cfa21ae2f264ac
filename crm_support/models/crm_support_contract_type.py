from markupsafe import Markup

from odoo import api, fields, models


class CrmSupportContractType(models.Model):
    """A kind of contract (support, software licence...) and its custom fields."""

    _name = "crm_support.contract.type"
    _description = "Contract Type"
    _inherit = ["crm_support.reference.mixin", "crm_support.integria.mixin"]
    _integria_prefix = "contract_type"
    _order = "sequence, name, id"

    # --- fields ----------------------------------------------------------

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    properties_definition = fields.PropertiesDefinition(
        "Custom Fields",
        help="The custom fields of the contracts of this type. Add or change them "
        "from a contract of this type.",
    )
    custom_field_macros = fields.Html(
        compute="_compute_custom_field_macros",
        sanitize=True,
        help="Each custom field and the macro that prints it in contract templates.",
    )
    contract_count = fields.Integer(compute="_compute_contract_count")

    _sql_constraints = [
        (
            "name_uniq",
            "unique(name)",
            "A contract type with this name already exists.",
        ),
    ]

    # --- computes --------------------------------------------------------

    @api.depends("properties_definition")
    def _compute_custom_field_macros(self):
        head = Markup(
            "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th>"
            "<th>%s</th></tr></thead><tbody>"
        ) % (self.env._("Field"), self.env._("Kind"), self.env._("Macro"))
        kinds = self._property_kinds()
        for contract_type in self:
            rows = [
                Markup("<tr><td>%s</td><td>%s</td><td><code>%s</code></td></tr>")
                % (
                    field["string"] or field["name"],
                    kinds.get(field["type"], field["type"]),
                    self._custom_macro(field["name"]),
                )
                for field in contract_type._custom_fields()
            ]
            contract_type.custom_field_macros = (
                head + Markup("").join(rows) + Markup("</tbody></table>")
                if rows
                else False
            )

    def _compute_contract_count(self):
        counts = dict(
            self.env["crm_support.contract"]._read_group(
                [("type_id", "in", self.ids)], ["type_id"], ["__count"]
            )
        )
        for contract_type in self:
            contract_type.contract_count = counts.get(contract_type, 0)

    # --- actions ---------------------------------------------------------

    def action_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_support.crm_support_contract_action"
        )
        action["domain"] = [("type_id", "=", self.id)]
        action["context"] = {"default_type_id": self.id}
        return action

    # --- business helpers ------------------------------------------------

    def _custom_fields(self):
        """The property definitions of this type that hold a value."""
        self.ensure_one()
        return [
            field
            for field in self.properties_definition or []
            if field.get("type") != "separator"
        ]

    @api.model
    def _property_kinds(self):
        """Labels of the property kinds, in the words of the field editor."""
        return {
            "char": self.env._("Text"),
            "boolean": self.env._("Checkbox"),
            "integer": self.env._("Integer"),
            "float": self.env._("Decimal"),
            "date": self.env._("Date"),
            "datetime": self.env._("Date & Time"),
            "selection": self.env._("Selection"),
            "tags": self.env._("Tags"),
            "many2one": self.env._("Many2one"),
            "many2many": self.env._("Many2many"),
        }

    @api.model
    def _custom_macro(self, property_name):
        return f"_custom_{property_name}_"
