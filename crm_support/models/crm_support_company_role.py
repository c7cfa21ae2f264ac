from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmSupportCompanyRole(models.Model):
    """What a CRM company is to the organisation: customer, supplier, partner..."""

    _name = "crm_support.company.role"
    _description = "CRM Company Role"
    _inherit = ["crm_support.integria.mixin"]
    _integria_prefix = "company_role"
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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        # sudo: a role given to companies the user cannot see is still in use;
        # only their number is shown
        counts = dict(
            self.env["crm_support.company"]
            .sudo()
            .with_context(active_test=False)
            ._read_group([("role_id", "in", self.ids)], ["role_id"], ["__count"])
        )
        for role, count in counts.items():
            raise UserError(
                self.env._(
                    "The role %(role)s is given to %(count)s companies: give them "
                    "another role, or archive this one.",
                    role=role.name,
                    count=count,
                )
            )
