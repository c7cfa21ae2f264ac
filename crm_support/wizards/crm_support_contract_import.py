from collections import defaultdict
from functools import partial

from odoo import Command, api, fields, models

from ..models.crm_support_contract import STATUS_NUMBERS
from .crm_support_csv_import import SKIP, CellError, ImportRow, normalize

# the columns of Integria's contracts file, in its documented order
CONTRACT_COLUMNS = (
    "name",
    "contract_number",
    "description",
    "date_begin",
    "date_end",
    "company",
    "sla",
    "group",
    "private",
    "status",
    "contract_type",
)
# header names of Integria's export (and of this addon's) and their columns
CONTRACT_HEADERS = {
    "id": "id",
    "name": "name",
    "contract_number": "contract_number",
    "description": "description",
    "date_begin": "date_begin",
    "date_end": "date_end",
    "id_company": "company",
    "id_sla": "sla",
    "id_group": "group",
    "private": "private",
    "status": "status",
    "id_contract_type": "contract_type",
    "related_contract": "ignore",
}


class CrmSupportContractImport(models.TransientModel):
    """Import support contracts from a CSV file in Integria IMS's format."""

    _name = "crm_support.contract.import"
    _inherit = ["crm_support.csv.import"]
    _description = "Import Contracts"
    _import_model = "crm_support.contract"

    type_id = fields.Many2one(
        "crm_support.contract.type",
        string="Contract Type",
        help="The type of every contract of the file, which then has no contract "
        "type column: its last columns are this type's custom fields.",
    )
    column_ids = fields.One2many(
        "crm_support.contract.import.column", "import_id", string="Columns"
    )

    @api.depends("sample", "type_id", "column_ids.target", "column_ids.sequence")
    def _compute_preview_html(self):
        return super()._compute_preview_html()

    @api.onchange("type_id")
    def _onchange_type_id(self):
        self._back_to_mapping()
        # a file without header follows the documented order, which the
        # file's type changes
        if self.state == "map" and not self.has_header:
            self.column_ids = [
                Command.clear(),
                *(
                    Command.create({"sequence": index, "target": target})
                    for index, target in enumerate(self._default_targets(), 1)
                ),
            ]

    # --- business helpers: columns ---------------------------------------

    def _title(self):
        return self.env._("Import Contracts")

    def _check_inputs(self):
        return super()._check_inputs() | {"type_id"}

    def _import_targets(self):
        count = max(
            [len(contract_type._custom_fields()) for contract_type in self._types()]
            or [0]
        )
        # the type of the file names its custom fields: the wizard's own, or,
        # for the columns' field list, the one the dialog was opened with
        file_type = self.type_id if len(self) == 1 else self.type_id.browse()
        if not self:
            file_type = file_type.browse(
                self.env.context.get("crm_support_contract_type_id") or []
            ).exists()
        names = [
            field.get("string") or field["name"]
            for field in (file_type._custom_fields() if file_type else [])
        ]
        return [
            ("name", self.env._("Name (reference)")),
            ("contract_number", self.env._("Contract Number")),
            ("description", self.env._("Description")),
            ("date_begin", self.env._("Start Date")),
            ("date_end", self.env._("End Date")),
            ("company", self.env._("Company")),
            ("sla", self.env._("SLA (not imported)")),
            ("group", self.env._("Group (not imported)")),
            ("private", self.env._("Private")),
            ("status", self.env._("Status")),
            ("contract_type", self.env._("Contract Type")),
            *(
                (
                    f"custom_{number}",
                    self.env._(
                        "Custom field %(number)s: %(label)s",
                        number=number,
                        label=names[number - 1],
                    )
                    if number <= len(names)
                    else self.env._(
                        "Custom field %(number)s of the contract type", number=number
                    ),
                )
                for number in range(1, count + 1)
            ),
            ("id", self.env._("Integria ID")),
            ("custom_header", self.env._("Custom field named by the header")),
            ("ignore", self.env._("(ignored)")),
        ]

    def _reopen(self):
        action = super()._reopen()
        # the columns' field list names the custom fields of the file's type
        action["context"] = dict(
            action["context"], crm_support_contract_type_id=self.type_id.id
        )
        return action

    def _default_targets(self):
        columns = list(CONTRACT_COLUMNS)
        if self.type_id:
            columns.remove("contract_type")
            count = len(self.type_id._custom_fields())
        else:
            count = max(
                [len(contract_type._custom_fields()) for contract_type in self._types()]
                or [0]
            )
        return [*columns, *(f"custom_{n}" for n in range(1, count + 1))]

    def _header_aliases(self):
        return CONTRACT_HEADERS

    def _text_targets(self):
        return {
            "name": "name",
            "contract_number": "contract_number",
            "description": "description",
        }

    def _custom_labels(self):
        return {
            normalize(field.get("string") or "")
            for contract_type in self._types()
            for field in contract_type._custom_fields()
        }

    def _types(self):
        return self.env["crm_support.contract.type"].search([])

    # --- business helpers: rows ------------------------------------------

    def _prepare_rows(self, rows, targets, headers, issues):
        Contract = self.env["crm_support.contract"]
        labels = dict(self._import_targets())
        lookups = self._contract_lookups(rows, targets)
        lookups["headers"] = headers

        # each row's columns, its type deciding how many custom ones it has
        mapped = []
        type_index = (
            targets.index("contract_type") if "contract_type" in targets else None
        )
        for line, cells in rows:
            row = ImportRow(line, cells)
            contract_type = self.type_id
            if type_index is not None and type_index < len(cells):
                try:
                    contract_type = (
                        self._find_type(cells[type_index].strip(), lookups)
                        or contract_type
                    )
                except CellError:
                    # the row is refused for its type: not for its width too
                    contract_type = False
            custom_count = (
                len(contract_type._custom_fields())
                if contract_type
                else (-1 if contract_type is False else None)
            )
            values = self._cells_by_target(row, targets, issues, custom_count)
            if values is not None:
                mapped.append((row, values))

        # which record each row updates, and rows that repeat another
        seen = {}
        for row, values in mapped:
            number = values.get("contract_number", (0, ""))[1]
            key = self._identify_row(row, values, issues, lookups["by_id"])
            if key is SKIP:
                continue
            if not row.existing and number:
                row.existing = Contract.browse(lookups["by_number"].get(number) or [])
            if not row.existing:
                row.existing = None
            for identity in (("id", key), ("number", number)):
                if identity[1] and identity in seen:
                    issues.add(
                        row.line,
                        self.env._(
                            "it is the same contract as line %(line)s.",
                            line=seen[identity],
                        ),
                    )
                    break
            else:
                seen.update({("id", key): row.line, ("number", number): row.line})

        # the values of each row
        result = self._fill_rows(mapped, lookups, labels, issues)
        self._check_rights(result, issues)
        return result

    def _contract_lookups(self, rows, targets):
        """Everything the rows refer to, each fetched once for the file."""

        def column(target):
            if target not in targets:
                return set()
            index = targets.index(target)
            return {
                cells[index].strip()
                for _line, cells in rows
                if index < len(cells) and cells[index].strip()
            }

        Company = self.env["crm_support.company"]
        companies = column("company") - {"0"}
        companies_by_name = defaultdict(list)
        names = [value for value in companies if not self._xmlid_parts(value, "")]
        for company in Company.search_fetch([("name", "in", names)], ["name"]):
            companies_by_name[normalize(company.name)].append(company.id)
        types = self._types()
        types_by_name = {
            name: [types.browse(type_id) for type_id in type_ids]
            for name, type_ids in self._ids_by_name(types._name).items()
        }
        type_refs = column("contract_type") - {"0"}
        # sudo: a contract number is unique among all contracts, also those
        # the user cannot read: a row naming one updates it or is refused
        by_number = {
            contract.contract_number: contract.id
            for contract in self.env["crm_support.contract"]
            .sudo()
            .search_fetch(
                [("contract_number", "in", list(column("contract_number")))],
                ["contract_number"],
            )
        }
        return {
            "by_id": self._records_by_xmlid(
                "crm_support.contract", "contract", column("id")
            ),
            "by_number": by_number,
            "companies_by_id": self._records_by_xmlid(
                Company._name, "company", companies
            ),
            "companies_by_name": companies_by_name,
            "types_by_id": {
                ref: types.browse(res_id)
                for ref, res_id in self._records_by_xmlid(
                    types._name, "contract_type", type_refs
                ).items()
            },
            "types_by_name": types_by_name,
        }

    def _row_vals(self, row, values, lookups, labels, issues):
        """Fill ``row.vals`` from the cells of the row."""
        vals = row.vals
        for target, fname in (("name", "name"), ("contract_number", "contract_number")):
            if target not in values:
                continue
            if values[target][1]:
                vals[fname] = values[target][1]
            else:
                issues.add(
                    row.line,
                    self.env._("a contract needs a %(field)s.", field=labels[target]),
                    column=values[target][0],
                    field=labels[target],
                )
        if "description" in values:
            vals["description"] = values["description"][1] or False

        # convert(target, fname, function, *args) sets vals[fname] from a good cell
        convert = partial(self._convert_into, row, issues, values)
        convert("date_begin", "date_start", self._parse_date)
        if "date_start" in vals and not vals["date_start"]:
            del vals["date_start"]
            issues.add(
                row.line,
                self.env._("a contract needs a start date."),
                column=values["date_begin"][0],
                field=labels["date_begin"],
            )
        convert("date_end", "date_end", self._parse_date)
        convert("company", "crm_company_id", self._find_company, lookups)
        no_company = "company" not in values and not row.existing
        if vals.get("crm_company_id") is False or no_company:
            vals.pop("crm_company_id", None)
            issues.add(
                row.line,
                self.env._("a contract needs a company."),
                column=values["company"][0] if "company" in values else None,
                field=labels["company"],
            )
        convert("private", "private", self._parse_boolean)
        convert("status", "status", self._parse_status)
        if vals.get("status") is None:
            vals.pop("status", None)

        contract_type = self.type_id
        if "contract_type" in values:
            found = self._convert(
                row, issues, values, "contract_type", self._find_type, lookups
            )
            if found is SKIP:
                return
            contract_type = found or contract_type
        if not contract_type and row.existing and row.existing in lookups["readable"]:
            contract_type = row.existing.type_id
        if not contract_type and not row.existing:
            contract_type = self.env["crm_support.contract"]._default_type_id()
        if contract_type:
            vals["type_id"] = contract_type.id
        properties = self._properties_from_cells(
            row,
            issues,
            values,
            contract_type.properties_definition if contract_type else [],
            labels,
            lookups["headers"],
        )
        if properties:
            same_type = (
                row.existing
                and row.existing in lookups["readable"]
                and row.existing.type_id == contract_type
            )
            if same_type:
                properties = dict(row.existing.properties or {}, **properties)
            vals["properties"] = properties

    def _check_rights(self, rows, issues):
        """Rows may change only contracts the user may change.

        A row that would change nothing is left alone: a file exported and
        imported again passes even with contracts the user may only read.
        """
        self._mark_unchanged(rows, issues)
        existing = self.env["crm_support.contract"].browse(
            {row.existing.id for row in rows if row.existing}
        )
        writable = existing._filtered_access("write")
        companies = self.env["crm_support.company"].browse(
            {
                row.vals["crm_company_id"]
                for row in rows
                if row.vals.get("crm_company_id")
            }
        )
        writable_companies = companies._filtered_access("write")
        for row in rows:
            if row.unchanged or row.line in issues:
                continue
            company = companies.browse(row.vals.get("crm_company_id"))
            if company and company not in writable_companies:
                issues.add(
                    row.line,
                    self.env._(
                        "you may not change the company of this row, so you cannot "
                        "add or change its contracts."
                    ),
                )
            elif row.existing and row.existing not in writable:
                issues.add(
                    row.line,
                    self.env._(
                        "the contract %(number)s exists and you may not change it.",
                        number=row.vals.get("contract_number") or row.key,
                    ),
                )

    # --- business helpers: cells -----------------------------------------

    @api.model
    def _find_company(self, value, lookups):
        if self._is_empty_reference(value):
            return False
        if self._xmlid_parts(value, "company"):
            found = lookups["companies_by_id"].get(value)
            if found:
                return found
        else:
            found = lookups["companies_by_name"].get(normalize(value), [])
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                raise CellError(
                    self.env._(
                        "%(count)s companies are named %(value)r: name the company "
                        "by its Integria id.",
                        count=len(found),
                        value=value,
                    )
                )
        raise CellError(
            self.env._(
                "unknown company %(value)r: neither the Integria id of an imported "
                "company nor the name of a company you may read.",
                value=value,
            )
        )

    @api.model
    def _find_type(self, value, lookups):
        if self._is_empty_reference(value):
            return None
        contract_type = self._find_reference(
            value, lookups["types_by_id"], lookups["types_by_name"]
        )
        if contract_type is not None:
            return contract_type
        raise CellError(
            self.env._(
                "unknown contract type %(value)r: give the type this Integria ID, "
                "or write its name.",
                value=value,
            )
        )

    @api.model
    def _parse_status(self, value):
        if not value:
            return None
        by_number = {str(number): status for status, number in STATUS_NUMBERS.items()}
        if value in by_number:
            return by_number[value]
        field = self.env["crm_support.contract"]._fields["status"]
        for status, label in field._description_selection(self.env):
            if normalize(value) in (normalize(status), normalize(label)):
                return status
        raise CellError(
            self.env._(
                "%(value)r is not a status: 0 (inactive), 1 (active) or 2 (pending).",
                value=value,
            )
        )
