from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    crm_company_properties_definition = fields.PropertiesDefinition(
        "CRM Company Custom Fields",
        help="Custom fields of CRM companies; separators group them in sections.",
    )
    crm_contract_expiry_days = fields.Integer(
        "Contract Expiry Notice",
        default=30,
        help="How many days before a contract ends its company's owner gets an "
        "activity about it.",
    )

    crm_invoice_auto_number = fields.Boolean(
        "Automatic Invoice Numbers",
        default=True,
        help="Sent invoices created without a number get the next one of the "
        "pattern.",
    )
    crm_invoice_number_pattern = fields.Char(
        "Invoice Number Pattern",
        default="INV-[00001]",
        help="Text outside the brackets is kept as is; the number inside is the "
        "first one and its digits give the zero padding: 15/[1000] gives 15/1000, "
        "15/1001...",
    )
    crm_invoice_logo = fields.Image(
        "Invoice Logo",
        max_width=1024,
        max_height=1024,
        help="Printed at the top of CRM invoices; the company logo when empty.",
    )
    crm_invoice_header = fields.Html(
        "Invoice Header",
        help="Printed next to the logo of CRM invoices: your name, address and "
        "fiscal id. Your company's address when empty.",
    )
    crm_invoice_footer = fields.Html(
        "Invoice Footer",
        help="Printed at the bottom of every page of CRM invoices.",
    )

    @api.constrains("crm_contract_expiry_days")
    def _check_crm_contract_expiry_days(self):
        for company in self:
            if not 0 <= company.crm_contract_expiry_days <= 3650:
                raise ValidationError(
                    self.env._(
                        "Contract Expiry Notice: %(days)s days is not between 0 "
                        "and 3650 (company %(name)s).",
                        days=company.crm_contract_expiry_days,
                        name=company.name,
                    )
                )

    @api.constrains("crm_invoice_number_pattern", "crm_invoice_auto_number")
    def _check_crm_invoice_number_pattern(self):
        Invoice = self.env["crm_support.invoice"]
        for company in self:
            if company.crm_invoice_auto_number or company.crm_invoice_number_pattern:
                Invoice._parse_number_pattern(company.crm_invoice_number_pattern)
