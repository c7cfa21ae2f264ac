from odoo import api, fields, models
from odoo.tools import is_html_empty


class CrmSupportCompanyExport(models.TransientModel):
    """Export CRM companies to a CSV file in Integria IMS's format."""

    _name = "crm_support.company.export"
    _inherit = ["crm_support.csv.export"]
    _description = "Export CRM Companies"
    _export_name = "company_export"

    @api.model
    def _default_company_ids(self):
        if self.env.context.get("active_model") != "crm_support.company":
            return []
        return self.env.context.get("active_ids") or []

    company_ids = fields.Many2many(
        "crm_support.company",
        string="Companies",
        default=lambda self: self._default_company_ids(),
        help="Leave it empty to export every company you may read.",
    )

    def _export_rows(self):
        Company = self.env["crm_support.company"]
        # searched as the user: only the companies the user may read
        domain = [("id", "in", self.company_ids.ids)] if self.company_ids else []
        companies = Company.search(domain, order="id")
        customs = self.env["crm_support.csv.import"]._custom_fields(
            self.env.company.crm_company_properties_definition
        )
        header = [
            "id",
            "name",
            "address",
            "fiscal_id",
            "country",
            "website",
            "comments",
            "id_company_role",
            "id_parent",
            "manager",
            "last_update",
            "payment_conditions",
            *(field.get("string") or field["name"] for field in customs),
            "street2",
            "zip",
            "city",
            "state",
            "email",
            "phone",
        ]
        parents = Company.browse(companies.mapped("parent_company_id.id"))
        refs = self._export_refs(companies | parents, "company")
        roles = companies.role_id
        role_ids = roles._integria_ids()
        rows = []
        for company in companies:
            role = company.role_id
            rows.append(
                [
                    refs[company.id],
                    company.name,
                    company.street or "",
                    company.vat or "",
                    company.country_id.code or "",
                    company.website or "",
                    "" if is_html_empty(company.comment) else company.comment,
                    str(role_ids[role.id]) if role.id in role_ids else role.name or "",
                    refs.get(company.parent_company_id.id, ""),
                    company.owner_id.login,
                    self._export_datetime(company.last_activity),
                    company.payment_terms or "",
                    *self._export_properties(company, customs),
                    company.street2 or "",
                    company.zip or "",
                    company.city or "",
                    company.state_id.code or "",
                    company.email or "",
                    company.phone or "",
                ]
            )
        return header, rows
