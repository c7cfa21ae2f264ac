import copy
import logging
import time
from datetime import timedelta

from babel.numbers import format_decimal
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import format_date, format_datetime, html2plaintext, is_html_empty
from odoo.tools.misc import babel_locale_parse, get_lang

_logger = logging.getLogger(__name__)

# Integria's status numbers, printed by the _id_status_ macro
STATUS_NUMBERS = {"inactive": 0, "active": 1, "pending": 2}

# the fields whose changes are told on the company's timeline
TIMELINE_FIELDS = (
    "name",
    "contract_number",
    "crm_company_id",
    "type_id",
    "status",
    "date_start",
    "date_end",
    "private",
    "description",
    "properties",
)

# of those, the ones the timeline says changed without printing them
OPAQUE_TIMELINE_FIELDS = ("description", "properties")

# the _contract_custom_fields_ macro: a table in the shipped certificate's style
CUSTOM_FIELD_TABLE = (
    '<table style="width: 100%%; border-collapse: collapse"><tbody>%s</tbody></table>'
)
CUSTOM_FIELD_ROW = (
    '<tr><th style="text-align: left; width: 30%%; padding: 4px">%s</th>'
    '<td style="padding: 4px">%s</td></tr>'
)


class CrmSupportContract(models.Model):
    """A support contract or software licence of a CRM company."""

    _name = "crm_support.contract"
    _description = "Support Contract"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "crm_support.reference.mixin",
        "crm_support.integria.mixin",
    ]
    _integria_prefix = "contract"
    _order = "date_start desc, id desc"

    # --- default methods -------------------------------------------------

    def _default_type_id(self):
        return self.env["crm_support.contract.type"].search([], limit=1)

    # --- fields ----------------------------------------------------------

    name = fields.Char(
        "Reference",
        required=True,
        tracking=True,
        help="The short name that identifies the contract in lists.",
    )
    contract_number = fields.Char(
        required=True,
        index=True,
        copy=False,
        tracking=True,
        help="Unique. Invoices name the contracts they belong to by this number.",
    )
    description = fields.Text()
    date_start = fields.Date(
        "Start Date",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(
        "End Date",
        index=True,
        tracking=True,
        help="Leave it empty for an open-ended contract.",
    )
    status = fields.Selection(
        [("pending", "Pending"), ("active", "Active"), ("inactive", "Inactive")],
        required=True,
        default="active",
        tracking=True,
    )
    private = fields.Boolean(
        tracking=True,
        help="A private contract is seen only by the company's owner, the users "
        "of the company itself and administrators.",
    )
    type_id = fields.Many2one(
        "crm_support.contract.type",
        string="Contract Type",
        index=True,
        ondelete="restrict",
        tracking=True,
        default=lambda self: self._default_type_id(),
    )
    crm_company_id = fields.Many2one(
        "crm_support.company",
        string="Company",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    company_owner_id = fields.Many2one(
        related="crm_company_id.owner_id", string="Company Owner"
    )
    properties = fields.Properties(
        "Custom Fields",
        definition="type_id.properties_definition",
        copy=True,
    )
    kept_properties = fields.Json(
        "Custom Fields of Other Types",
        copy=False,
        readonly=True,
        help="Values of custom fields that the current contract type does not "
        "have; they come back when the contract gets such a type again.",
    )
    expiry_activity_date = fields.Date(
        readonly=True,
        copy=False,
        help="The end date for which the company owner was last reminded.",
    )
    invoice_ids = fields.Many2many(
        "crm_support.invoice",
        string="Invoices",
        compute="_compute_invoice_ids",
        help="The invoices that carry this contract's number.",
    )
    invoice_count = fields.Integer(compute="_compute_invoice_ids")
    is_readonly = fields.Boolean(compute="_compute_is_readonly")

    _sql_constraints = [
        (
            "contract_number_uniq",
            "unique(contract_number)",
            "A contract with this contract number already exists.",
        ),
    ]

    # --- computes --------------------------------------------------------

    @api.depends("contract_number")
    @api.depends_context("uid")
    def _compute_invoice_ids(self):
        # searched with the user's rights: only the invoices the user may read
        Invoice = self.env["crm_support.invoice"]
        for contract in self:
            number = contract.contract_number
            invoices = (
                Invoice.search(Invoice._contract_number_domain(number))
                if number
                else Invoice
            )
            contract.invoice_ids = invoices
            contract.invoice_count = len(invoices)

    @api.depends_context("uid")
    def _compute_is_readonly(self):
        # a saved contract is read-only when the record rules keep the user
        # from changing it; a contract being created is the user's to fill
        saved = self._origin.filtered("id")
        writable = saved._filtered_access("write")
        for contract in self:
            contract.is_readonly = bool(
                contract._origin.id and contract._origin not in writable
            )

    # --- constraints and onchanges ---------------------------------------

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for contract in self:
            if contract.date_end and contract.date_end < contract.date_start:
                raise ValidationError(
                    self.env._(
                        "End Date: the contract %(name)s cannot end (%(end)s) "
                        "before it starts (%(start)s).",
                        name=contract.name,
                        end=contract.date_end,
                        start=contract.date_start,
                    )
                )

    @api.constrains("contract_number")
    def _check_contract_number(self):
        for contract in self:
            if not contract.contract_number.strip():
                raise ValidationError(
                    self.env._(
                        "Contract Number: the contract %(name)s needs a contract "
                        "number.",
                        name=contract.name,
                    )
                )

    @api.onchange("type_id")
    def _onchange_type_id(self):
        # the form recomputes the custom fields for the new type: bring back
        # the values this contract had for that type
        kept = self._origin._properties_to_keep()
        if not kept or not self.type_id:
            return
        names = {field["name"] for field in self.type_id._custom_fields()}
        restored = {name: value for name, value in kept.items() if name in names}
        if restored:
            self.properties = dict(self.properties or {}, **restored)

    # --- CRUD ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._check_contract_numbers_free(
            [vals.get("contract_number") for vals in vals_list]
        )
        for vals in vals_list:
            if "properties" in vals and "type_id" not in vals:
                # the values are checked against the type the contract will get
                self._check_property_values(dict(vals, **self.default_get(["type_id"])))
            else:
                self._check_property_values(vals)
        contracts = super().create(vals_list)
        contracts._tell_companies({contract: None for contract in contracts})
        return contracts

    def write(self, vals):
        if "contract_number" in vals:
            self._check_contract_numbers_free([vals["contract_number"]] * len(self))
        for contract in self:
            contract._check_property_values(vals)
        told = [fname for fname in TIMELINE_FIELDS if fname in vals]
        before = {contract: contract._timeline_values(told) for contract in self}
        old_companies = {contract: contract.crm_company_id for contract in self}
        kept = {contract: contract._properties_to_keep() for contract in self}

        res = super().write(vals)

        if "crm_company_id" in vals:
            # the write rules were checked on the old company: the new one
            # must let the user change its contracts too
            self.check_access("write")
        if "type_id" in vals:
            self._restore_properties(kept, vals.get("properties"))
        if told:
            self._tell_companies(before, old_companies)
        return res

    def unlink(self):
        companies = self.crm_company_id
        logs = [
            (
                contract.crm_company_id,
                self.env._(
                    "Contract %(name)s (%(number)s) deleted.",
                    name=contract.name,
                    number=contract.contract_number,
                ),
            )
            for contract in self
            if not contract.private
        ]
        res = super().unlink()
        for company, body in logs:
            # the rules let the user delete the contract: telling its company
            # is bookkeeping, written as superuser by _message_log
            company._message_log(body=body)
        companies._touch_last_activity()
        return res

    def copy_data(self, default=None):
        vals_list = super().copy_data(default=default)
        for contract, vals in zip(self, vals_list, strict=True):
            if "contract_number" not in (default or {}):
                vals["contract_number"] = self.env._(
                    "%(number)s (copy)", number=contract.contract_number
                )
        return vals_list

    # --- actions ---------------------------------------------------------

    def action_generate_document(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_support.crm_support_contract_generate_action"
        )
        action["context"] = {
            "active_model": self._name,
            "active_ids": self.ids,
        }
        return action

    @api.model
    def cron_notify_expiry(self):
        if not self.env.is_system():
            raise AccessError(
                self.env._("Only the scheduler reminds owners of contract expiry.")
            )
        self._cron_notify_expiry()
        return True

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_support.crm_support_invoice_action"
        )
        action["domain"] = self.env["crm_support.invoice"]._contract_number_domain(
            self.contract_number or ""
        )
        action["context"] = {
            "default_crm_company_id": self.crm_company_id.id,
            "default_contract_numbers": self.contract_number,
        }
        return action

    # --- business helpers ------------------------------------------------

    def _cron_notify_expiry(self):
        """Give each company owner one activity per contract about to end.

        A contract ending within the days set on its Odoo company gets one
        activity for that end date; a new end date gets a new activity.
        """
        started = time.monotonic()
        today = fields.Date.context_today(self)
        done = self.browse()
        for odoo_company in self.env["res.company"].search([]):
            limit = today + timedelta(days=odoo_company.crm_contract_expiry_days)
            contracts = self.search(
                [
                    ("crm_company_id.company_id", "=", odoo_company.id),
                    ("status", "!=", "inactive"),
                    ("date_end", ">=", today),
                    ("date_end", "<=", limit),
                ]
            )
            for contract in contracts:
                if contract.expiry_activity_date == contract.date_end:
                    continue
                contract._schedule_expiry_activity()
                done |= contract
        _logger.info(
            "Contract expiry: %d activities scheduled in %.2fs",
            len(done),
            time.monotonic() - started,
        )
        return done

    def _schedule_expiry_activity(self):
        self.ensure_one()
        owner = self.crm_company_id.owner_id
        contract = self.with_context(lang=owner.lang)
        contract.activity_schedule(
            "crm_support.mail_activity_type_contract_expiry",
            date_deadline=self.date_end,
            summary=contract.env._(
                "Contract %(name)s (%(number)s) ends on %(date)s",
                name=self.name,
                number=self.contract_number,
                date=format_date(contract.env, self.date_end),
            ),
            user_id=owner.id,
        )
        # bookkeeping of the reminder, not a change of the contract
        return super(
            CrmSupportContract, self.with_context(tracking_disable=True)
        ).write({"expiry_activity_date": self.date_end})

    @api.model
    def _check_contract_numbers_free(self, numbers):
        """Refuse contract numbers already used, naming them.

        The database's unique constraint would refuse them too, but with a
        message that names neither the number nor the field.
        """
        numbers = [number for number in numbers if number]
        seen = set()
        for number in numbers:
            if number in seen:
                raise ValidationError(
                    self.env._(
                        "Contract Number: %(number)s is given to more than one "
                        "contract.",
                        number=number,
                    )
                )
            seen.add(number)
        # sudo: the number must be unique among all contracts, also those the
        # user cannot read; only the number the user typed is shown back
        taken = (
            self.sudo()
            .search([("contract_number", "in", numbers), ("id", "not in", self.ids)])
            .mapped("contract_number")
        )
        if taken:
            raise ValidationError(
                self.env._(
                    "Contract Number: %(number)s is already the number of another "
                    "contract.",
                    number=taken[0],
                )
            )

    def _check_property_values(self, vals):
        """Refuse custom field values that do not fit the contract's type.

        The ORM would silently drop a value of the wrong kind or of a field
        the type does not have; a client sending one (over XML-RPC the values
        are a plain dictionary) made a mistake and must be told.
        """
        values = vals.get("properties")
        if not values or not isinstance(values, dict | list):
            return
        if "type_id" in vals:
            contract_type = (
                self.env["crm_support.contract.type"].browse(vals["type_id"]).exists()
            )
        else:
            contract_type = self.type_id
        if isinstance(values, list):
            # the web client's format: each value comes with its definition,
            # which may be new (a field added from the contract's form)
            Properties = type(self._fields["properties"])
            items = copy.deepcopy(values)
            Properties._remove_display_name(items)
            definitions = {
                item["name"]: item
                for item in items
                if isinstance(item, dict)
                and item.get("name")
                and item.get("type") != "separator"
            }
            values = {fname: item.get("value") for fname, item in definitions.items()}
        else:
            definitions = {
                field["name"]: field
                for field in (contract_type._custom_fields() if contract_type else [])
            }
        name = vals.get("name") or self.name
        kinds = self.env["crm_support.contract.type"]._property_kinds()
        for fname, value in values.items():
            field = definitions.get(fname)
            if field is None:
                raise ValidationError(
                    self.env._(
                        "Custom Fields: the contract %(contract)s has no custom "
                        "field %(field)r in its type %(type)s.",
                        contract=name,
                        field=fname,
                        type=contract_type.name or self.env._("(none)"),
                    )
                )
            if value is None or value is False:
                continue
            if self._is_property_value_valid(field, value):
                continue
            raise ValidationError(
                self.env._(
                    "Custom Fields: %(field)s of the contract %(contract)s takes a "
                    "value of kind %(kind)s, not %(value)r.",
                    field=field.get("string") or fname,
                    contract=name,
                    kind=kinds.get(field["type"], field["type"]),
                    value=value,
                )
            )

    def _properties_to_keep(self):
        """Custom field values of this contract, current and kept, not empty."""
        if not self:
            return {}
        values = dict(self.kept_properties or {}, **(self.properties or {}))
        return {
            name: value
            for name, value in values.items()
            if value not in (None, False, "", [])
        }

    def _restore_properties(self, kept, written):
        """After a type change, bring back the values kept for the new type."""
        if isinstance(written, list):
            explicit = {field.get("name") for field in written}
        else:
            explicit = set(written or {})
        for contract in self:
            names = {
                field["name"]
                for field in (
                    contract.type_id._custom_fields() if contract.type_id else []
                )
            }
            values = kept[contract]
            restored = {
                name: value
                for name, value in values.items()
                if name in names and name not in explicit
            }
            updates = {
                "kept_properties": {
                    name: value for name, value in values.items() if name not in names
                }
                or False
            }
            if restored:
                updates["properties"] = dict(contract.properties or {}, **restored)
            # the values move between two fields of the same contract: not a
            # change to tell anybody about
            super(CrmSupportContract, contract).write(updates)
        return True

    def _is_property_value_valid(self, field, value):
        """Whether ``value`` fits the custom field ``field``."""
        kind = field["type"]
        if kind == "char":
            return isinstance(value, str)
        if kind == "boolean":
            return isinstance(value, bool)
        if kind == "integer":
            return isinstance(value, int) and not isinstance(value, bool)
        if kind == "float":
            return isinstance(value, int | float) and not isinstance(value, bool)
        if kind in ("date", "datetime"):
            convert = (
                fields.Date.to_date if kind == "date" else fields.Datetime.to_datetime
            )
            try:
                return isinstance(value, str) and bool(convert(value))
            except ValueError:
                return False
        if kind == "selection":
            return value in {option[0] for option in field.get("selection") or []}
        if kind == "tags":
            tags = {tag[0] for tag in field.get("tags") or []}
            return isinstance(value, list) and all(tag in tags for tag in value)
        if kind in ("many2one", "many2many"):
            ids = value if kind == "many2many" else [value]
            if not isinstance(ids, list) or not all(
                isinstance(i, int) and not isinstance(i, bool) and 0 < i < 2**31
                for i in ids
            ):
                return False
            comodel = self.env.get(field.get("comodel") or "")
            return comodel is not None and len(comodel.browse(ids).exists()) == len(
                set(ids)
            )
        return True

    def _timeline_values(self, fnames):
        """The values of ``fnames`` as the company's timeline prints them."""
        self.ensure_one()
        values = {}
        for fname in fnames:
            field = self._fields[fname]
            value = self[fname]
            if fname in OPAQUE_TIMELINE_FIELDS:
                # compared, never printed: long or structured
                values[fname] = value
            elif field.type == "many2one":
                values[fname] = value.display_name or ""
            elif field.type == "selection":
                values[fname] = dict(field._description_selection(self.env)).get(
                    value, ""
                )
            elif field.type == "date":
                values[fname] = format_date(self.env, value) if value else ""
            elif field.type == "boolean":
                values[fname] = self.env._("Yes") if value else self.env._("No")
            else:
                values[fname] = value or ""
        return values

    def _tell_companies(self, before, old_companies=None):
        """Log what changed on the companies' timelines; move their activity.

        ``before`` maps each contract to the values it had (None for a new
        contract), ``old_companies`` each contract to the company it had.
        Private contracts stay off the timeline: users who may not see them
        read it.
        """
        old_companies = old_companies or {}
        for contract, old in before.items():
            if contract.private:
                continue
            link = contract._get_html_link(
                title=f"{contract.name} ({contract.contract_number})"
            )
            if old is None:
                body = self.env._("Contract %(link)s created.", link=link)
            else:
                new = contract._timeline_values(list(old))
                changes = [
                    self._describe_change(fname, old[fname], new[fname])
                    for fname in old
                    if old[fname] != new[fname]
                ]
                if not changes:
                    continue
                body = self.env._("Contract %(link)s changed:", link=link) + Markup(
                    "<ul>%s</ul>"
                ) % Markup("").join(changes)
            companies = contract.crm_company_id | old_companies.get(
                contract, contract.crm_company_id
            )
            for company in companies:
                # the contract's rules let the user change it: telling its
                # company is bookkeeping, written as superuser by _message_log
                company._message_log(body=body)
        companies = self.crm_company_id
        for company in old_companies.values():
            companies |= company
        companies._touch_last_activity()

    def _tell_documents(self, template):
        """Log on the companies' timelines that documents were generated."""
        for contract in self:
            if not contract.private:
                link = contract._get_html_link(
                    title=f"{contract.name} ({contract.contract_number})"
                )
                # attaching needed write access to the contract: telling its
                # company is bookkeeping, written as superuser by _message_log
                contract.crm_company_id._message_log(
                    body=self.env._(
                        "Document %(template)s generated for the contract " "%(link)s.",
                        template=template.name,
                        link=link,
                    )
                )
        self.crm_company_id._touch_last_activity()

    def _describe_change(self, fname, old, new):
        label = self._fields[fname]._description_string(self.env)
        if fname in OPAQUE_TIMELINE_FIELDS:
            return Markup("<li>%s</li>") % self.env._("%(field)s changed", field=label)
        return Markup("<li>%s</li>") % self.env._(
            "%(field)s: %(old)s → %(new)s", field=label, old=old, new=new
        )

    def _macro_values(self):
        """The values of the contract macros, written in the company's language.

        Values are plain text; multi-line ones are Markup whose lines are
        escaped. The template escapes the rest when it expands them.
        """
        self.ensure_one()
        company = self.crm_company_id
        lang = get_lang(self.env, company.lang).code
        env = self.with_context(lang=lang).env
        today = fields.Date.context_today(self)
        contract_type = self.type_id.with_env(env)
        statuses = dict(self._fields["status"]._description_selection(env))
        comments = (
            "" if is_html_empty(company.comment) else html2plaintext(company.comment)
        )
        values = {
            "_id_contract_": self.id,
            "_name_contract_": self.name,
            "_contract_number_": self.contract_number,
            "_contract_description_": _lines(self.description),
            "_date_begin_": format_date(env, self.date_start, lang_code=lang),
            "_date_end_": format_date(env, self.date_end, lang_code=lang)
            if self.date_end
            else env._("open-ended"),
            "_id_company_": company.id,
            "_private_": env._("Yes") if self.private else env._("No"),
            "_id_status_": STATUS_NUMBERS[self.status],
            "_name_status_": statuses[self.status],
            "_company_name_": company.name,
            "_company_address_": _lines(
                company.partner_id.with_env(env)._display_address(without_company=True)
            ),
            "_company_fiscal_id_": company.vat or "",
            "_company_country_": company.country_id.with_env(env).name or "",
            "_company_website_": company.website or "",
            "_company_comments_": _lines(comments),
            "_company_manager_": company.owner_id.name,
            "_company_last_update_": format_datetime(
                env, company.last_activity, dt_format=False, lang_code=lang
            ),
            "_company_payment_conditions_": _lines(company.payment_terms),
            "_contract_type_id_": contract_type.id or "",
            "_contract_type_name_": contract_type.name or "",
            "_contract_type_description_": _lines(contract_type.description),
            "_format_long_time_": format_date(
                env, today, lang_code=lang, date_format="d EEE MMMM y"
            ),
            "_format_short_time_": format_date(env, today, lang_code=lang),
            "_format_annual_date_": format_date(
                env, today, lang_code=lang, date_format="y"
            ),
        }
        values.update(self._custom_macro_values(env))
        return values

    def _custom_macro_values(self, env):
        """``_custom_<name>_`` of each custom field; ``_contract_custom_fields_``."""
        lang = env.lang
        locale = babel_locale_parse(lang)
        Type = self.env["crm_support.contract.type"]
        values = {}
        rows = []
        for field in self.with_env(env).read(["properties"])[0]["properties"]:
            kind, value = field["type"], field.get("value")
            if kind == "separator":
                continue
            if kind == "boolean":
                text = env._("Yes") if value else env._("No")
            elif value in (None, False, "", []):
                text = ""
            elif kind == "integer":
                text = str(value)
            elif kind == "float":
                text = format_decimal(value, locale=locale)
            elif kind == "date":
                text = format_date(env, value, lang_code=lang)
            elif kind == "datetime":
                text = format_datetime(env, value, dt_format=False, lang_code=lang)
            elif kind == "selection":
                text = dict(field.get("selection") or []).get(value, "")
            elif kind == "tags":
                labels = {tag[0]: tag[1] for tag in field.get("tags") or []}
                text = ", ".join(labels.get(tag, tag) for tag in value)
            elif kind == "many2one":
                text = value[1] or ""
            elif kind == "many2many":
                text = ", ".join(name or "" for _id, name in value)
            else:
                text = str(value)
            values[Type._custom_macro(field["name"])] = text
            rows.append(
                Markup(CUSTOM_FIELD_ROW) % (field.get("string") or field["name"], text)
            )
        values["_contract_custom_fields_"] = (
            Markup(CUSTOM_FIELD_TABLE) % Markup("").join(rows) if rows else ""
        )
        return values


def _lines(text):
    """Escape ``text`` and keep its line breaks."""
    if not text:
        return ""
    lines = (line.strip() for line in text.splitlines())
    return Markup("<br/>").join(line for line in lines if line)
