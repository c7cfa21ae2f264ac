from odoo import api, fields, models

from ..models.crm_support_contract import STATUS_NUMBERS


class CrmSupportContractExport(models.TransientModel):
    """Export support contracts to a CSV file in Integria IMS's format."""

    _name = "crm_support.contract.export"
    _inherit = ["crm_support.csv.export"]
    _description = "Export Contracts"
    _export_name = "contracts_export"

    @api.model
    def _default_contract_ids(self):
        if self.env.context.get("active_model") != "crm_support.contract":
            return []
        return self.env.context.get("active_ids") or []

    contract_ids = fields.Many2many(
        "crm_support.contract",
        string="Contracts",
        default=lambda self: self._default_contract_ids(),
        help="Leave it empty to export every contract you may read.",
    )

    def _export_rows(self):
        Contract = self.env["crm_support.contract"]
        # searched as the user: only the contracts the user may read
        domain = [("id", "in", self.contract_ids.ids)] if self.contract_ids else []
        contracts = Contract.search(domain, order="id")
        types = contracts.type_id.sorted()
        # one column per custom field label, in the order of the types
        labels = []
        for contract_type in types:
            for field in contract_type._custom_fields():
                label = field.get("string") or field["name"]
                if label not in labels:
                    labels.append(label)
        header = [
            "id",
            "name",
            "contract_number",
            "description",
            "date_begin",
            "date_end",
            "id_company",
            "id_sla",
            "id_group",
            "private",
            "status",
            "id_contract_type",
            *labels,
        ]
        refs = self._export_refs(contracts, "contract")
        company_refs = self._export_refs(
            self.env["crm_support.company"].browse(
                contracts.mapped("crm_company_id.id")
            ),
            "company",
        )
        type_ids = types._integria_ids()
        rows = []
        for contract in contracts:
            contract_type = contract.type_id
            customs = contract_type._custom_fields() if contract_type else []
            texts = dict(
                zip(
                    (field.get("string") or field["name"] for field in customs),
                    self._export_properties(contract, customs),
                    strict=True,
                )
            )
            rows.append(
                [
                    refs[contract.id],
                    contract.name,
                    contract.contract_number,
                    contract.description or "",
                    fields.Date.to_string(contract.date_start),
                    fields.Date.to_string(contract.date_end) or "0000-00-00",
                    company_refs[contract.crm_company_id.id],
                    "",
                    "",
                    "1" if contract.private else "0",
                    str(STATUS_NUMBERS[contract.status]),
                    str(type_ids[contract_type.id])
                    if contract_type.id in type_ids
                    else contract_type.name or "",
                    *(texts.get(label, "") for label in labels),
                ]
            )
        return header, rows
