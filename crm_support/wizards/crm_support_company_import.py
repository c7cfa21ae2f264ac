import re
from collections import defaultdict
from functools import partial

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html

from .crm_support_csv_import import SKIP, CellError, ImportRow, normalize

# the columns of Integria's companies file, in its documented order
COMPANY_COLUMNS = (
    "name",
    "address",
    "fiscal_id",
    "country",
    "website",
    "comments",
    "role",
    "parent",
    "manager",
    "last_update",
    "payment_conditions",
)
# header names of Integria's export (and of this addon's) and their columns
COMPANY_HEADERS = {
    "id": "id",
    "name": "name",
    "address": "address",
    "fiscal_id": "fiscal_id",
    "country": "country",
    "website": "website",
    "comments": "comments",
    "id_company_role": "role",
    "id_parent": "parent",
    "manager": "manager",
    "last_update": "last_update",
    "payment_conditions": "payment_conditions",
    "billing": "ignore",
    "street2": "street2",
    "zip": "zip",
    "city": "city",
    "state": "state",
    "email": "email",
    "phone": "phone",
}
# columns copied as they are into a field of the company
PLAIN_FIELDS = {
    "address": "street",
    "fiscal_id": "vat",
    "website": "website",
    "payment_conditions": "payment_terms",
    "street2": "street2",
    "zip": "zip",
    "city": "city",
    "email": "email",
    "phone": "phone",
}
HTML_TAG_RE = re.compile(r"<[a-zA-Z][^>]*>")


class CrmSupportCompanyImport(models.TransientModel):
    """Import CRM companies from a CSV file in Integria IMS's format."""

    _name = "crm_support.company.import"
    _inherit = ["crm_support.csv.import"]
    _description = "Import CRM Companies"
    _import_model = "crm_support.company"

    column_ids = fields.One2many(
        "crm_support.company.import.column", "import_id", string="Columns"
    )

    @api.depends("sample", "column_ids.target", "column_ids.sequence")
    def _compute_preview_html(self):
        return super()._compute_preview_html()

    # --- business helpers: columns ---------------------------------------

    def _title(self):
        return self.env._("Import Companies")

    def _import_targets(self):
        customs = self._custom_fields(
            self.env.company.crm_company_properties_definition
        )
        return [
            ("name", self.env._("Name")),
            ("address", self.env._("Address")),
            ("fiscal_id", self.env._("Fiscal ID")),
            ("country", self.env._("Country")),
            ("website", self.env._("Website")),
            ("comments", self.env._("Comments")),
            ("role", self.env._("Company Role")),
            ("parent", self.env._("Parent Company")),
            ("manager", self.env._("Manager (owner's login)")),
            ("last_update", self.env._("Last Update")),
            ("payment_conditions", self.env._("Payment Conditions")),
            *(
                (
                    f"custom_{number}",
                    self.env._(
                        "Custom field %(number)s: %(label)s",
                        number=number,
                        label=field.get("string") or field["name"],
                    ),
                )
                for number, field in enumerate(customs, 1)
            ),
            ("id", self.env._("Integria ID")),
            ("street2", self.env._("Street 2")),
            ("zip", self.env._("ZIP")),
            ("city", self.env._("City")),
            ("state", self.env._("State")),
            ("email", self.env._("Email")),
            ("phone", self.env._("Phone")),
            ("custom_header", self.env._("Custom field named by the header")),
            ("ignore", self.env._("(ignored)")),
        ]

    def _default_targets(self):
        customs = self._custom_fields(
            self.env.company.crm_company_properties_definition
        )
        return [*COMPANY_COLUMNS, *(f"custom_{n}" for n in range(1, len(customs) + 1))]

    def _header_aliases(self):
        return COMPANY_HEADERS

    def _text_targets(self):
        return {"name": "name", **PLAIN_FIELDS}

    def _custom_labels(self):
        return {
            normalize(field.get("string") or "")
            for field in self._custom_fields(
                self.env.company.crm_company_properties_definition
            )
        }

    # --- business helpers: rows ------------------------------------------

    def _prepare_rows(self, rows, targets, headers, issues):
        Company = self.env["crm_support.company"]
        labels = dict(self._import_targets())
        mapped = []
        for line, cells in rows:
            row = ImportRow(line, cells)
            values = self._cells_by_target(row, targets, issues)
            if values is not None:
                mapped.append((row, values))
        lookups = self._company_lookups(mapped)
        lookups["headers"] = headers

        # which record each row updates, and rows that repeat another
        seen = {}
        rows_by_ref = lookups["rows_by_ref"] = defaultdict(list)
        for row, values in mapped:
            key = self._identify_row(row, values, issues, lookups["by_id"])
            if key is SKIP:
                continue
            if not key and row.name:
                found = lookups["by_name"].get(normalize(row.name), [])
                if len(found) > 1:
                    issues.add(
                        row.line,
                        self.env._(
                            "%(count)s companies are named %(name)r: add an id "
                            "column to say which one this row is.",
                            count=len(found),
                            name=row.name,
                        ),
                    )
                    continue
                row.existing = Company.browse(found)
            if not row.existing:
                row.existing = None
            identity = ("id", key) if key else ("name", normalize(row.name))
            if identity in seen and (key or row.name):
                issues.add(
                    row.line,
                    self.env._(
                        "it is the same company as line %(line)s.",
                        line=seen[identity],
                    ),
                )
                continue
            seen[identity] = row.line
            if key:
                rows_by_ref[key] = row
            rows_by_ref[("name", normalize(row.name))].append(row)

        # the values of each row
        result = self._fill_rows(mapped, lookups, labels, issues)
        self._check_rights(result, issues, labels, targets)
        return result

    def _company_lookups(self, mapped):
        """Everything the rows refer to, each fetched once for the file."""
        Company = self.env["crm_support.company"]

        def column(target):
            return {
                values[target][1]
                for _row, values in mapped
                if target in values and values[target][1]
            }

        names = column("name")
        parents = column("parent") - {"0"}
        # sudo: existing companies are matched by name whoever may read them,
        # so that a file imported again never duplicates a company; the user
        # is then told the company exists if they may not change it
        by_name = defaultdict(list)
        for company in (
            Company.sudo()
            .with_context(active_test=False)
            .search_fetch([("name", "in", list(names))], ["name"])
        ):
            by_name[normalize(company.name)].append(company.id)
        # a parent named by its name must be a company the user may read
        visible_by_name = defaultdict(list)
        parent_names = [value for value in parents if not self._xmlid_parts(value, "")]
        for company in Company.search_fetch([("name", "in", parent_names)], ["name"]):
            visible_by_name[normalize(company.name)].append(company.id)

        logins = column("manager")
        users = {
            user.login: user
            for user in self.env["res.users"]
            .with_context(active_test=False)
            .search_fetch([("login", "in", list(logins))], ["login", "active", "share"])
        }
        roles = column("role") - {"0"}
        Role = self.env["crm_support.company.role"]
        roles_by_name = self._ids_by_name(Role._name) if roles else {}
        countries = self._country_index() if column("country") else {}
        states = defaultdict(dict)
        if column("state"):
            for state in self.env["res.country.state"].search_fetch(
                [("country_id", "in", list(set(countries.values())))],
                ["code", "name", "country_id"],
            ):
                states[state.country_id.id][normalize(state.code)] = state.id
                states[state.country_id.id].setdefault(normalize(state.name), state.id)
        return {
            "by_id": self._records_by_xmlid(
                Company._name, "company", column("id") | parents
            ),
            "by_name": by_name,
            "visible_by_name": visible_by_name,
            "users": users,
            "roles_by_id": self._records_by_xmlid(Role._name, "company_role", roles),
            "roles_by_name": roles_by_name,
            "countries": countries,
            "states": states,
        }

    def _check_rights(self, rows, issues, labels, targets):
        """Rows may change only companies the user may change, of this company.

        A row that would change nothing is left alone: a file exported and
        imported again passes even with companies the user may only read. Only
        Manage users give companies to other owners.
        """
        manager = self.env.user.has_group("crm_support.crm_support_group_manage")
        column = targets.index("manager") + 1 if "manager" in targets else None
        for row in rows:
            owner = row.vals.get("owner_id")
            if manager or row.line in issues or not owner or owner == self.env.uid:
                continue
            # sudo: compares owner ids only, to tell a change of owner apart
            if not row.existing or row.existing.sudo().owner_id.id != owner:
                issues.add(
                    row.line,
                    self.env._(
                        "only users with the Manage level import companies "
                        "owned by somebody else."
                    ),
                    column=column,
                    field=labels["manager"],
                )
        self._mark_unchanged(rows, issues)
        existing = self.env["crm_support.company"].browse(
            {row.existing.id for row in rows if row.existing and not row.unchanged}
        )
        writable = existing._filtered_access("write")
        for row in rows:
            if not row.existing or row.unchanged or row.line in issues:
                continue
            if row.existing not in writable:
                issues.add(
                    row.line,
                    self.env._(
                        "the company %(name)s exists and you may not change it.",
                        name=row.name or row.key,
                    ),
                )
            # sudo: the Odoo company of a file the user may change
            elif row.existing.sudo().company_id != self.env.company:
                issues.add(
                    row.line,
                    self.env._(
                        "the company %(name)s belongs to the Odoo company "
                        "%(company)s: import it from there.",
                        name=row.name or row.key,
                        company=row.existing.sudo().company_id.name,
                    ),
                )

    def _row_vals(self, row, values, lookups, labels, issues):
        """Fill ``row.vals`` (and ``row.later``) from the cells of the row."""
        vals = row.vals
        if not row.name:
            issues.add(
                row.line,
                self.env._("a company needs a name."),
                column=values["name"][0] if "name" in values else None,
                field=labels["name"],
            )
        elif "name" in values:
            vals["name"] = row.name
        for target, fname in PLAIN_FIELDS.items():
            if target in values:
                vals[fname] = values[target][1] or False
        if vals.get("website"):
            # as the partner will store it (with a scheme)
            vals["website"] = self.env["res.partner"]._clean_website(vals["website"])
        if "comments" in values:
            text = values["comments"][1]
            vals["comment"] = (
                (text if HTML_TAG_RE.search(text) else plaintext2html(text))
                if text
                else False
            )

        # convert(target, fname, function, *args) sets vals[fname] from a good cell
        convert = partial(self._convert_into, row, issues, values)
        convert("country", "country_id", self._find_country, lookups["countries"])
        convert("state", "state_id", self._find_state, vals, lookups["states"])
        convert("role", "role_id", self._find_role, lookups)
        convert("manager", "owner_id", self._find_manager, lookups["users"])
        if "owner_id" in vals and vals["owner_id"] is None:
            # no manager: the importing user owns a new company, an existing
            # one keeps its owner
            del vals["owner_id"]
        convert("last_update", "last_activity", self._parse_datetime)
        if not vals.get("last_activity"):
            # an empty date keeps the record's own: now for a new company
            vals.pop("last_activity", None)
        rows_by_ref = lookups["rows_by_ref"]
        parent = self._convert(
            row, issues, values, "parent", self._find_parent, row, lookups, rows_by_ref
        )
        if isinstance(parent, ImportRow) and not parent.existing:
            row.later["parent_company_id"] = parent
        elif isinstance(parent, ImportRow):
            vals["parent_company_id"] = parent.existing.id
        elif parent is not SKIP:
            vals["parent_company_id"] = parent

        properties = self._properties_from_cells(
            row,
            issues,
            values,
            self.env.company.crm_company_properties_definition,
            labels,
            lookups["headers"],
        )
        if properties:
            if row.existing and row.existing in lookups["readable"]:
                properties = dict(row.existing.properties or {}, **properties)
            vals["properties"] = properties
        if not row.existing:
            vals["company_id"] = self.env.company.id

    # --- business helpers: cells -----------------------------------------

    @api.model
    def _find_state(self, value, vals, states):
        if not value:
            return False
        state = states.get(vals.get("country_id"), {}).get(normalize(value))
        if state:
            return state
        raise CellError(
            self.env._("unknown state %(value)r in the row's country.", value=value)
        )

    @api.model
    def _find_role(self, value, lookups):
        if self._is_empty_reference(value):
            return False
        role = self._find_reference(
            value, lookups["roles_by_id"], lookups["roles_by_name"]
        )
        if role is not None:
            return role
        raise CellError(
            self.env._(
                "unknown company role %(value)r: give the role this Integria ID, "
                "or write its name.",
                value=value,
            )
        )

    @api.model
    def _find_manager(self, value, users):
        if not value:
            return None
        user = users.get(value)
        if not user:
            raise CellError(
                self.env._("there is no user with the login %(value)r.", value=value)
            )
        if not user.active or user.share:
            raise CellError(
                self.env._(
                    "the user %(value)r is not an active internal user.", value=value
                )
            )
        return user.id

    @api.model
    def _find_parent(self, value, row, lookups, rows_by_ref):
        """The parent company: a row of the file, or the id of a company."""
        if self._is_empty_reference(value):
            return False
        if self._xmlid_parts(value, "company"):
            parent = rows_by_ref.get(value) or lookups["by_id"].get(value)
        else:
            in_file = rows_by_ref.get(("name", normalize(value)), [])
            updated = {other.existing.id for other in in_file if other.existing}
            candidates = in_file + [
                company_id
                for company_id in lookups["visible_by_name"].get(normalize(value), [])
                if company_id not in updated
            ]
            if len(candidates) > 1:
                raise CellError(
                    self.env._(
                        "%(count)s companies are named %(value)r: name the parent "
                        "company by its id.",
                        count=len(candidates),
                        value=value,
                    )
                )
            parent = candidates[0] if candidates else None
        if parent is None:
            raise CellError(
                self.env._(
                    "unknown parent company %(value)r: neither a row of the file "
                    "nor a company you may read.",
                    value=value,
                )
            )
        if parent is row or (row.existing and parent == row.existing.id):
            raise CellError(self.env._("a company cannot be its own parent."))
        return parent

    # --- business helpers: writing ---------------------------------------

    def _write_rows(self, rows):
        pending = list(rows)
        while pending:
            # parents first: a company is created with its parent, which the
            # record rules need to let a Manage user create it for others
            ready = [
                row
                for row in pending
                if all(other.record for other in row.later.values())
            ]
            if not ready:
                raise UserError(self.env._("The parent companies form a cycle."))
            for row in ready:
                for fname, other in row.later.items():
                    row.vals[fname] = other.record.id
            self._write_batch(ready)
            pending = [row for row in pending if not row.record]

    def _write_record(self, record, vals):
        result = super()._write_record(record, vals)
        if vals.get("last_activity"):
            # changing the address reaches the contacts, whose change dates
            # the company now: keep the file's date
            record.write({"last_activity": vals["last_activity"]})
        return result
