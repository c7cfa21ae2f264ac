from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    crm_company_id = fields.Many2one(
        "crm_support.company",
        string="CRM Company",
        compute="_compute_crm_company_id",
        search="_search_crm_company_id",
        groups="crm_support.crm_support_group_read",
        help="The CRM company this contact belongs to, when you may read it.",
    )

    @api.depends("parent_id")
    @api.depends_context("uid")
    def _compute_crm_company_id(self):
        # searched with the user's rights: a contact of a company the user may
        # not read shows no CRM company at all
        companies = self.env["crm_support.company"].search(
            [("partner_id", "in", self.parent_id.ids)]
        )
        by_partner = {company.partner_id.id: company.id for company in companies}
        for partner in self:
            partner.crm_company_id = by_partner.get(partner.parent_id.id, False)

    def _search_crm_company_id(self, operator, value):
        # the companies are searched with the user's rights, so a contact only
        # matches through a company the user may read
        Company = self.env["crm_support.company"]
        if operator in ("=", "!=") and not value:
            visible = Company._search([]).subselect("partner_id")
            if operator == "!=":
                return [("parent_id", "in", visible)]
            return ["|", ("parent_id", "=", False), ("parent_id", "not in", visible)]
        fname = "name" if isinstance(value, str) else "id"
        companies = Company._search([(fname, operator, value)])
        return [("parent_id", "in", companies.subselect("partner_id"))]

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        partners._touch_crm_company()
        return partners

    def write(self, vals):
        res = super().write(vals)
        # Odoo writes nothing to the contacts of a company whose non-commercial
        # fields change: that is no activity of theirs
        if vals:
            self._touch_crm_company()
        return res

    def _touch_crm_company(self):
        """A contact changed: its CRM company's last activity moves."""
        parents = self.parent_id
        if not parents:
            return
        # sudo: only to find the companies whose date must move; nothing is
        # shown to the user and the date write is bookkeeping
        companies = (
            self.env["crm_support.company"]
            .sudo()
            .search([("partner_id", "in", parents.ids)])
        )
        companies._touch_last_activity()
