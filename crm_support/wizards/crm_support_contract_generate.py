from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmSupportContractGenerate(models.TransientModel):
    """Print contracts with a template and attach each PDF to its contract."""

    _name = "crm_support.contract.generate"
    _description = "Generate Contract Documents"

    # --- default methods -------------------------------------------------

    @api.model
    def _default_contract_ids(self):
        if self.env.context.get("active_model") != "crm_support.contract":
            return []
        return self.env.context.get("active_ids") or []

    def _default_template_id(self):
        return self.env["crm_support.contract.template"].search([], limit=1)

    # --- fields ----------------------------------------------------------

    contract_ids = fields.Many2many(
        "crm_support.contract",
        required=True,
        default=lambda self: self._default_contract_ids(),
    )
    template_id = fields.Many2one(
        "crm_support.contract.template",
        required=True,
        default=lambda self: self._default_template_id(),
    )
    template_description = fields.Text(related="template_id.description")

    # --- actions ---------------------------------------------------------

    def action_generate(self):
        self.ensure_one()
        self._generate()
        return {"type": "ir.actions.act_window_close"}

    # --- business helpers ------------------------------------------------

    def _generate(self):
        """Render and attach one PDF per contract; return the attachments."""
        contracts = self.contract_ids
        denied = contracts - contracts._filtered_access("write")
        if denied:
            raise UserError(
                self.env._(
                    "You may not change the contract %(name)s, so you cannot "
                    "attach a document to it.",
                    name=denied[0].display_name,
                )
            )
        report = self.env.ref("crm_support.crm_support_contract_report")
        Attachment = self.env["ir.attachment"]
        attachments = Attachment
        for contract in contracts:
            pdf, _kind = self.env["ir.actions.report"]._render_qweb_pdf(
                report, contract.ids, data={"template_id": self.template_id.id}
            )
            attachment = Attachment.create(
                {
                    "name": self._file_name(contract),
                    "raw": pdf,
                    "mimetype": "application/pdf",
                    "res_model": contract._name,
                    "res_id": contract.id,
                }
            )
            contract.message_post(
                body=self.env._(
                    "Document generated from the template %(template)s.",
                    template=Markup("<b>%s</b>") % self.template_id.name,
                ),
                attachment_ids=attachment.ids,
            )
            attachments |= attachment
        contracts._tell_documents(self.template_id)
        return attachments

    def _file_name(self, contract):
        name = f"{self.template_id.name} - {contract.name}"
        # a slash would make a folder of the file name when it is saved
        return name.replace("/", "-") + ".pdf"
