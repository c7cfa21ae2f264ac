from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResUsers(models.Model):
    _inherit = "res.users"

    crm_company_id = fields.Many2one(
        "crm_support.company",
        string="CRM Company",
        index=True,
        ondelete="set null",
        help="The CRM company this user belongs to (home company). Colleagues of "
        "the same home company read each other's customer companies.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "crm_company_id"]

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        if any(vals.get("crm_company_id") for vals in vals_list):
            self.env.registry.clear_cache()
        return users

    def write(self, vals):
        res = super().write(vals)
        if "crm_company_id" in vals:
            # record rules read the home company when they are compiled and the
            # compiled domain is cached per user: drop it so the change applies now
            self.env.registry.clear_cache()
        return res

    def action_new_lead_form_key(self):
        """Make a web-form API key of this user and show it once."""
        self.ensure_one()
        if not self.env.user.has_group("base.group_system"):
            raise AccessError(
                self.env._("Only administrators make web-form keys for users.")
            )
        key = self.env["crm_support.lead.intake"]._intake_generate_key(
            self, self.env._("Web form")
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.users.apikeys.show",
            "name": self.env._("Web-Form Key of %(user)s", user=self.name),
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_key": key},
        }
