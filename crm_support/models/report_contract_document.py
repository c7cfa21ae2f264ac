from odoo import api, models
from odoo.exceptions import UserError


class ReportContractDocument(models.AbstractModel):
    """Values of the contract document: each contract's expanded template."""

    _name = "report.crm_support.report_contract_document"
    _description = "Contract Document"

    @api.model
    def _get_report_values(self, docids, data=None):
        Template = self.env["crm_support.contract.template"]
        template_id = (data or {}).get("template_id")
        template = Template.browse(template_id).exists() if template_id else Template
        if not template:
            template = Template.search([], limit=1)
        if not template:
            raise UserError(
                self.env._(
                    "There is no contract template to print the contract with: "
                    "create one in Support CRM > Configuration > Contract "
                    "Templates."
                )
            )
        contracts = self.env["crm_support.contract"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "crm_support.contract",
            "docs": contracts,
            "template": template,
            "bodies": template._render_bodies(contracts),
        }
