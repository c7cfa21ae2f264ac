from odoo import fields, models


class CrmSupportCompanyRole(models.Model):
    """What a CRM company is to the organisation: customer, supplier, partner..."""

    _name = "crm_support.company.role"
    _description = "CRM Company Role"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_count = fields.Integer(compute="_compute_company_count")

    _sql_constraints = [
        ("name_uniq", "unique(name)", "A company role with this name already exists."),
    ]

    def _compute_company_count(self):
        counts = dict(
            self.env["crm_support.company"]._read_group(
                [("role_id", "in", self.ids)], ["role_id"], ["__count"]
            )
        )
        for role in self:
            role.company_count = counts.get(role, 0)
