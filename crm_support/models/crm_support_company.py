from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL


class CrmSupportCompany(models.Model):
    """A customer's CRM file: the address lives on its partner, the rest here."""

    _name = "crm_support.company"
    _description = "CRM Company"
    _inherits = {"res.partner": "partner_id"}
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "crm_support.reference.mixin",
        "crm_support.integria.mixin",
    ]
    _integria_prefix = "company"
    _parent_name = "parent_company_id"
    _parent_store = True
    _order = "name, id"

    # --- fields ----------------------------------------------------------

    partner_id = fields.Many2one(
        "res.partner",
        required=True,
        ondelete="cascade",
        index=True,
        auto_join=True,
    )
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        help="The account manager: owners change their companies, colleagues of "
        "the same home company read them.",
    )
    parent_company_id = fields.Many2one(
        "crm_support.company",
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    parent_path = fields.Char(index=True)
    child_company_ids = fields.One2many(
        "crm_support.company", "parent_company_id", string="Child Companies"
    )
    role_id = fields.Many2one(
        "crm_support.company.role",
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    payment_terms = fields.Text(tracking=True)
    last_activity = fields.Datetime(
        readonly=True,
        index=True,
        default=fields.Datetime.now,
        help="When this company or anything hanging from it last changed.",
    )
    company_id = fields.Many2one(
        "res.company",
        string="Odoo Company",
        required=True,
        default=lambda self: self.env.company,
        help="The Odoo company whose custom field definitions this file uses.",
    )
    properties = fields.Properties(
        "Custom Fields",
        definition="company_id.crm_company_properties_definition",
        copy=True,
    )
    # the partner's name, copied: ordering by name walks an index of this
    # table instead of joining the partners (see _order_field_to_sql and init)
    sort_name = fields.Char("Name for Sorting", related="partner_id.name", store=True)
    contact_count = fields.Integer(compute="_compute_contact_count")
    contract_ids = fields.One2many(
        "crm_support.contract", "crm_company_id", string="Contracts"
    )
    contract_count = fields.Integer(compute="_compute_contract_count")
    invoice_ids = fields.One2many("crm_support.invoice", "crm_company_id")
    invoice_count = fields.Integer(compute="_compute_invoice_count")
    is_readonly = fields.Boolean(compute="_compute_is_readonly")

    # --- computes --------------------------------------------------------

    @api.depends("child_ids")
    def _compute_contact_count(self):
        for company in self:
            company.contact_count = len(company.child_ids)

    @api.depends("invoice_ids")
    @api.depends_context("uid")
    def _compute_invoice_count(self):
        counts = dict(
            self.env["crm_support.invoice"]._read_group(
                [("crm_company_id", "in", self.ids)], ["crm_company_id"], ["__count"]
            )
        )
        for company in self:
            company.invoice_count = counts.get(company, 0)

    @api.depends("contract_ids")
    @api.depends_context("uid")
    def _compute_contract_count(self):
        # counted with the user's rights: private contracts of others are not
        counts = dict(
            self.env["crm_support.contract"]._read_group(
                [("crm_company_id", "in", self.ids)], ["crm_company_id"], ["__count"]
            )
        )
        for company in self:
            company.contract_count = counts.get(company._origin, 0)

    @api.depends_context("uid")
    def _compute_is_readonly(self):
        # a saved company is read-only when the record rules keep the user from
        # changing it; a company being created is the user's to fill
        saved = self._origin.filtered("id")
        writable = saved._filtered_access("write")
        for company in self:
            company.is_readonly = bool(
                company._origin.id and company._origin not in writable
            )

    # --- constraints -----------------------------------------------------

    @api.constrains("owner_id")
    def _check_owner_id(self):
        for company in self:
            if company.owner_id.share or not company.owner_id.active:
                raise ValidationError(
                    self.env._(
                        "Owner: %(user)s is not an active internal user, so "
                        "cannot own the CRM company %(name)s.",
                        user=company.owner_id.name,
                        name=company.name,
                    )
                )

    # --- CRUD ------------------------------------------------------------

    def init(self):
        # raw SQL: the ORM declares no index with included columns. The list's
        # first page walks this index in name order while the record rules test
        # the owner and parent company on its entries, and reads the list's own
        # columns from it too: the table itself is not read for the companies
        # a user may not see (a column added to the list view belongs here)
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON %s (sort_name, id) INCLUDE"
                " (owner_id, parent_company_id, parent_path, partner_id, role_id,"
                " last_activity)",
                SQL.identifier(f"{self._table}__sort_name_list_index"),
                SQL.identifier(self._table),
            )
        )
        return super().init()

    def _order_field_to_sql(self, alias, field_name, direction, nulls, query):
        # the same order as the partner's name, without joining the partners
        # first: a user who may read few companies gets a page of them by
        # walking the index of sort_name, not by joining every partner
        if field_name == "name":
            field_name = "sort_name"
        return super()._order_field_to_sql(alias, field_name, direction, nulls, query)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # a CRM file is a company in the address book
            vals.setdefault("is_company", True)
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("parent_company_id"):
            self._check_parent_company_id(vals["parent_company_id"])
        if "last_activity" not in vals:
            vals = dict(vals, last_activity=fields.Datetime.now())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_invoices(self):
        # sudo: invoices the user may not read still keep the company
        Invoice = self.env["crm_support.invoice"].sudo()
        for company in self:
            if Invoice.search_count([("crm_company_id", "=", company.id)], limit=1):
                raise UserError(
                    self.env._(
                        "The company %(name)s has invoices, so it cannot be "
                        "deleted; archive it instead.",
                        name=company.name,
                    )
                )

    # --- actions ---------------------------------------------------------

    def action_view_contacts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_support.crm_support_contact_action"
        )
        action["domain"] = [("parent_id", "=", self.partner_id.id)]
        return action

    def action_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_support.crm_support_contract_action"
        )
        action["domain"] = [("crm_company_id", "=", self.id)]
        action["context"] = {"default_crm_company_id": self.id}
        return action

    def action_view_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm_support.crm_support_invoice_action"
        )
        action["domain"] = [("crm_company_id", "=", self.id)]
        action["context"] = {"default_crm_company_id": self.id}
        return action

    # --- business helpers ------------------------------------------------

    def _check_parent_company_id(self, parent_id):
        """Refuse a parent company that hangs from the company itself."""
        # an id that is no company is refused first, naming the field
        self._check_references({"parent_company_id": parent_id})
        parent = self.browse(parent_id).sudo()
        # sudo: only the ids on the parent's path are compared; the user may
        # not read every ancestor, yet a cycle must be refused all the same
        ancestors = {int(i) for i in (parent.parent_path or "").split("/") if i}
        for company in self:
            if company.id in ancestors or company.id == parent.id:
                raise ValidationError(
                    self.env._(
                        "Parent Company: %(parent)s cannot be the parent company "
                        "of %(name)s, because it hangs from %(name)s.",
                        parent=parent.name,
                        name=company.name,
                    )
                )

    def _touch_last_activity(self):
        """Record that something hanging from these companies changed."""
        if self:
            # the caller changed a record of the company, which the rules of
            # that record allowed: the date is bookkeeping, not a user's change
            self.sudo().with_context(tracking_disable=True).write(
                {"last_activity": fields.Datetime.now()}
            )
