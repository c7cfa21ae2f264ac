import re
from collections import namedtuple

from psycopg2.errors import UniqueViolation

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_amount

from odoo.addons.base.models.res_partner import _lang_get

# text outside one pair of brackets, the first number inside them
NUMBER_PATTERN = re.compile(r"([^\[\]]*)\[([^\[\]]*)\]([^\[\]]*)")


class NumberPattern(namedtuple("NumberPattern", "prefix first width suffix")):
    """A parsed invoice number pattern such as ``15/[1000]``."""

    def format(self, position):
        return f"{self.prefix}{position:0{self.width}d}{self.suffix}"


class CrmSupportInvoice(models.Model):
    """What the organisation billed a CRM company, or was billed by it.

    Not an accounting document: no journal, no entries, just the amounts, the
    status and a PDF to send.
    """

    _name = "crm_support.invoice"
    _description = "CRM Invoice"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "crm_support.reference.mixin",
    ]
    _order = "invoice_date desc, id desc"
    _rec_name = "invoice_number"

    # --- fields ----------------------------------------------------------

    crm_company_id = fields.Many2one(
        "crm_support.company",
        string="Company",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company",
        string="Odoo Company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The Odoo company issuing the invoice: its CRM settings give the "
        "number pattern, the logo, the header and the footer.",
    )
    invoice_number = fields.Char(
        tracking=True,
        copy=False,
        help="Sent invoices left without a number get the next one of the "
        "pattern set in the CRM settings; received invoices carry the supplier's "
        "number.",
    )
    sequence_number = fields.Integer(
        readonly=True,
        copy=False,
        help="Position of the invoice number in the sequence of its pattern; "
        "empty when the number was typed by hand.",
    )
    number_pattern = fields.Char(
        readonly=True,
        copy=False,
        help="The pattern the invoice number was made from.",
    )
    reference = fields.Char(
        tracking=True,
        help="The customer's purchase order number or any reference to print.",
    )
    kind = fields.Selection(
        [("sent", "Sent"), ("received", "Received")],
        required=True,
        default="sent",
        tracking=True,
        help="Sent: issued to the company. Received: issued by the company to you.",
    )
    state = fields.Selection(
        [("pending", "Pending"), ("paid", "Paid"), ("cancelled", "Cancelled")],
        string="Status",
        required=True,
        default="pending",
        index=True,
        tracking=True,
    )
    invoice_date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        index=True,
        tracking=True,
    )
    due_date = fields.Date(index=True, tracking=True)
    payment_date = fields.Date(tracking=True, copy=False)
    line_ids = fields.One2many(
        "crm_support.invoice.line", "invoice_id", string="Lines", copy=True
    )
    tax_ids = fields.One2many(
        "crm_support.invoice.tax", "invoice_id", string="Tax Lines", copy=True
    )
    discount_percent = fields.Float(
        "Discount (%)",
        digits=(16, 2),
        tracking=True,
        help="Taken off the sum of the lines, before the taxes.",
    )
    retention_percent = fields.Float(
        "Retention (%)",
        digits=(16, 2),
        tracking=True,
        help="Withheld from the total, computed on the taxable base.",
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        tracking=True,
    )
    lang = fields.Selection(
        _lang_get,
        string="Language",
        required=True,
        compute="_compute_lang",
        store=True,
        readonly=False,
        precompute=True,
        help="The language of the PDF; the company's language by default.",
    )
    description = fields.Html(
        help="Printed on the invoice: order details, the bank account to pay " "to...",
    )
    internal_note = fields.Text(help="For your colleagues; never printed.")
    contract_numbers = fields.Char(
        help="Contract numbers of the contracts this invoice bills, separated by "
        "commas.",
    )
    locked_by_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        tracking=True,
        help="While locked, only this user and administrators change the invoice.",
    )
    is_locked_by_other = fields.Boolean(compute="_compute_is_locked_by_other")
    amount_base = fields.Monetary("Base", compute="_compute_amount_taxable", store=True)
    amount_discount = fields.Monetary(
        "Discount", compute="_compute_amount_taxable", store=True
    )
    amount_taxable = fields.Monetary(
        "Taxable Base", compute="_compute_amount_taxable", store=True
    )
    amount_tax = fields.Monetary("Taxes", compute="_compute_amount_total", store=True)
    amount_retention = fields.Monetary(
        "Retention", compute="_compute_amount_total", store=True
    )
    amount_total = fields.Monetary("Total", compute="_compute_amount_total", store=True)

    # --- computes --------------------------------------------------------

    @api.depends("invoice_number")
    def _compute_display_name(self):
        for invoice in self:
            invoice.display_name = invoice.invoice_number or self.env._("New invoice")

    @api.depends("crm_company_id")
    def _compute_lang(self):
        for invoice in self:
            invoice.lang = (
                invoice.crm_company_id.lang or invoice.lang or self.env.lang or "en_US"
            )

    @api.depends("locked_by_id")
    @api.depends_context("uid")
    def _compute_is_locked_by_other(self):
        for invoice in self:
            invoice.is_locked_by_other = invoice.locked_by_id not in (
                self.env["res.users"],
                self.env.user,
            )

    @api.depends("line_ids.amount", "discount_percent", "currency_id")
    def _compute_amount_taxable(self):
        for invoice in self:
            base = invoice._round(sum(invoice.line_ids.mapped("amount")))
            discount = invoice._round(base * invoice.discount_percent / 100)
            invoice.amount_base = base
            invoice.amount_discount = discount
            invoice.amount_taxable = base - discount

    @api.depends("amount_taxable", "tax_ids.amount", "retention_percent")
    def _compute_amount_total(self):
        for invoice in self:
            taxes = sum(invoice.tax_ids.mapped("amount"))
            retention = invoice._round(
                invoice.amount_taxable * invoice.retention_percent / 100
            )
            invoice.amount_tax = taxes
            invoice.amount_retention = retention
            invoice.amount_total = invoice.amount_taxable + taxes - retention

    # --- constraints -----------------------------------------------------

    @api.constrains("discount_percent", "retention_percent")
    def _check_percentages(self):
        for invoice in self:
            for fname in ("discount_percent", "retention_percent"):
                if not 0 <= invoice[fname] <= 100:
                    raise ValidationError(
                        self.env._(
                            "%(field)s of invoice %(invoice)s must be between 0 "
                            "and 100, not %(value)s.",
                            field=self._fields[fname]._description_string(self.env),
                            invoice=invoice.display_name,
                            value=invoice[fname],
                        )
                    )

    @api.constrains("state", "payment_date", "invoice_date", "due_date")
    def _check_dates(self):
        for invoice in self:
            if invoice.payment_date and invoice.state != "paid":
                raise ValidationError(
                    self.env._(
                        "Payment date: invoice %(invoice)s is not paid, so it "
                        "cannot have a payment date. Mark it paid or clear the "
                        "date.",
                        invoice=invoice.display_name,
                    )
                )
            if invoice.due_date and invoice.due_date < invoice.invoice_date:
                raise ValidationError(
                    self.env._(
                        "Due date: %(due)s is before %(date)s, the date of invoice "
                        "%(invoice)s.",
                        due=invoice.due_date,
                        date=invoice.invoice_date,
                        invoice=invoice.display_name,
                    )
                )

    @api.onchange("state")
    def _onchange_state(self):
        if self.state == "paid" and not self.payment_date:
            self.payment_date = fields.Date.context_today(self)
        elif self.state != "paid":
            self.payment_date = False

    # --- CRUD ------------------------------------------------------------

    def init(self):
        # sent numbers are the organisation's own series, received numbers are
        # each supplier's: partial unique indexes, which _sql_constraints
        # cannot declare, so that a supplier's number never blocks ours
        self.env.cr.execute(
            SQL(
                """
                CREATE UNIQUE INDEX IF NOT EXISTS crm_support_invoice_sent_number_uniq
                    ON crm_support_invoice (company_id, invoice_number)
                    WHERE kind = 'sent';
                CREATE UNIQUE INDEX IF NOT EXISTS
                    crm_support_invoice_received_number_uniq
                    ON crm_support_invoice (company_id, crm_company_id, invoice_number)
                    WHERE kind = 'received';
                CREATE INDEX IF NOT EXISTS crm_support_invoice_sequence_index
                    ON crm_support_invoice (company_id, number_pattern, sequence_number)
                    WHERE sequence_number IS NOT NULL;
                """
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        defaults = self.default_get(["kind", "company_id"])
        for vals in vals_list:
            self._clean_vals(vals)
        self._check_invoice_numbers_free(
            (
                False,
                vals.get("invoice_number"),
                vals.get("kind", defaults.get("kind")),
                vals.get("company_id", defaults.get("company_id")),
                vals.get("crm_company_id"),
            )
            for vals in vals_list
        )
        invoices = super().create(vals_list)

        to_number = invoices.filtered(lambda invoice: not invoice.invoice_number)
        for invoice in to_number:
            if invoice.kind != "sent" or not invoice.company_id.crm_invoice_auto_number:
                raise ValidationError(invoice._missing_number_message())
        invoices.crm_company_id._touch_last_activity()

        # the number stays reserved by this transaction until it ends: take it
        # as late as possible so that concurrent creations wait little
        to_number._assign_invoice_number()
        for invoice in invoices:
            invoice._log_on_company(
                self.env._(
                    "Invoice %(invoice)s created, total %(total)s.",
                    invoice=invoice._get_html_link(),
                    total=format_amount(
                        self.env, invoice.amount_total, invoice.currency_id
                    ),
                )
            )
        return invoices

    def write(self, vals):
        self._clean_vals(vals)
        if "invoice_number" in vals:
            if not vals["invoice_number"]:
                raise ValidationError(
                    self.env._(
                        "Invoice number: invoice %(invoice)s cannot be left "
                        "without a number.",
                        invoice=self[:1].display_name,
                    )
                )
            if any(inv.invoice_number != vals["invoice_number"] for inv in self):
                # a number typed by hand takes no place in the pattern's sequence
                vals.update(sequence_number=False, number_pattern=False)
        if {"invoice_number", "kind", "company_id", "crm_company_id"} & set(vals):
            self._check_invoice_numbers_free(
                (
                    invoice.id,
                    vals.get("invoice_number", invoice.invoice_number),
                    vals.get("kind", invoice.kind),
                    vals.get("company_id", invoice.company_id.id),
                    vals.get("crm_company_id", invoice.crm_company_id.id),
                )
                for invoice in self
            )
        locker = vals.get("locked_by_id")
        if locker not in (None, False, self.env.uid) and not self.env.su:
            raise UserError(self.env._("You can lock invoices for yourself only."))
        if vals.get("state") and vals["state"] != "paid" and "payment_date" not in vals:
            vals["payment_date"] = False
        changed_state = self.browse()
        if vals.get("state"):
            changed_state = self.filtered(lambda inv: inv.state != vals["state"])

        res = super().write(vals)
        self.crm_company_id._touch_last_activity()
        for invoice in changed_state:
            invoice._log_on_company(
                self.env._(
                    "Invoice %(invoice)s is now %(status)s.",
                    invoice=invoice._get_html_link(),
                    status=invoice._state_label(),
                )
            )
        return res

    def unlink(self):
        companies = self.crm_company_id
        for invoice in self:
            invoice._log_on_company(
                self.env._("Invoice %(invoice)s deleted.", invoice=invoice.display_name)
            )
        res = super().unlink()
        companies._touch_last_activity()
        return res

    # --- actions ---------------------------------------------------------

    def action_lock(self):
        for invoice in self:
            if invoice.is_locked_by_other:
                raise UserError(
                    self.env._(
                        "Invoice %(invoice)s is already locked by %(user)s.",
                        invoice=invoice.display_name,
                        user=invoice.locked_by_id.name,
                    )
                )
        self.write({"locked_by_id": self.env.uid})
        return True

    def action_unlock(self):
        self.write({"locked_by_id": False})
        return True

    def action_mark_paid(self):
        for invoice in self:
            invoice.write(
                {
                    "state": "paid",
                    "payment_date": invoice.payment_date
                    or fields.Date.context_today(invoice),
                }
            )
        return True

    def action_mark_pending(self):
        self.write({"state": "pending"})
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_print(self):
        return self.env.ref("crm_support.crm_support_invoice_report").report_action(
            self
        )

    # --- business helpers ------------------------------------------------

    @api.model
    def _parse_number_pattern(self, pattern):
        """Split a pattern like ``15/[1000]`` or refuse it, saying why."""
        match = NUMBER_PATTERN.fullmatch(pattern or "")
        if not match:
            raise ValidationError(
                self.env._(
                    "Invoice number pattern %(pattern)r: put the number part in "
                    "one pair of brackets, for example 15/[1000].",
                    pattern=pattern or "",
                )
            )
        prefix, digits, suffix = match.groups()
        if not re.fullmatch("[0-9]+", digits):
            raise ValidationError(
                self.env._(
                    "Invoice number pattern %(pattern)r: %(part)r in the brackets "
                    "is not a number; write digits only, for example 15/[1000].",
                    pattern=pattern,
                    part=digits,
                )
            )
        return NumberPattern(prefix, int(digits), len(digits), suffix)

    @api.model
    def _normalize_contract_numbers(self, value):
        """``" C-1,C-2 ,, C-1"`` becomes ``"C-1, C-2"``."""
        numbers = []
        for part in (value or "").split(","):
            number = part.strip()
            if number and number not in numbers:
                numbers.append(number)
        return ", ".join(numbers) or False

    @api.model
    def _contract_number_domain(self, contract_number):
        """Domain of the invoices carrying ``contract_number``."""
        like = (
            contract_number.replace("\\", "\\\\")
            .replace("%", "\\%")
            .replace("_", "\\_")
        )
        return [
            "|",
            "|",
            "|",
            ("contract_numbers", "=", contract_number),
            ("contract_numbers", "=like", f"{like}, %"),
            ("contract_numbers", "=like", f"%, {like}"),
            ("contract_numbers", "=like", f"%, {like}, %"),
        ]

    def _assign_invoice_number(self):
        """Give each invoice the next free number of its company's pattern.

        The number is written by an UPDATE that the unique index checks against
        every other transaction, committed or still running: a number taken by
        a running transaction makes this one wait for it; if that transaction
        commits, the number is refused and the next one is tried, if it rolls
        back, the number is ours. So the numbers that get committed have no
        gaps and no duplicates, and no transaction fails for taking one, which
        a counter row would not give under Odoo's REPEATABLE READ isolation.
        """
        for company, invoices in self.grouped("company_id").items():
            pattern = company.crm_invoice_number_pattern
            parsed = self._parse_number_pattern(pattern)
            # sudo: the last position counts whoever may read its invoice
            [(last,)] = self.sudo()._read_group(
                [
                    ("company_id", "=", company.id),
                    ("kind", "=", "sent"),
                    ("number_pattern", "=", pattern),
                    ("sequence_number", "!=", False),
                ],
                aggregates=["sequence_number:max"],
            )
            # no invoice yet reads as False, which 0 is not
            position = parsed.first if last is False or last is None else last + 1
            for invoice in invoices:
                while not invoice._try_invoice_number(pattern, parsed, position):
                    position += 1
                position += 1

    def _try_invoice_number(self, pattern, parsed, position):
        """Give the invoice the number at ``position`` unless it is taken."""
        self.ensure_one()
        fnames = ["invoice_number", "sequence_number", "number_pattern"]
        try:
            # SQL in a savepoint: a refused number must leave nothing behind,
            # neither in the transaction nor in the ORM's cache
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "UPDATE crm_support_invoice SET invoice_number = %s, "
                        "sequence_number = %s, number_pattern = %s WHERE id = %s",
                        parsed.format(position),
                        position,
                        pattern,
                        self.id,
                    ),
                    log_exceptions=False,
                )
        except UniqueViolation:
            return False
        self.invalidate_recordset(fnames)
        self.modified(fnames)
        return True

    def _check_invoice_numbers_free(self, rows):
        """Refuse numbers already taken, before the unique index does it less
        clearly. ``rows`` are (invoice id, number, kind, Odoo company id, CRM
        company id) as they will be saved."""
        seen = set()
        for invoice_id, number, kind, company_id, crm_company_id in rows:
            if not number:
                continue
            scope = [
                ("invoice_number", "=", number),
                ("kind", "=", kind),
                ("company_id", "=", company_id),
            ]
            if kind == "received":
                scope.append(("crm_company_id", "=", crm_company_id))
            key = tuple(value for _fname, _op, value in scope)
            # sudo: a number is taken even by an invoice the user may not read;
            # only the fact that it is taken is told
            taken = key in seen or self.sudo().search_count(
                [*scope, ("id", "!=", invoice_id)], limit=1
            )
            if taken:
                kinds = dict(self._fields["kind"]._description_selection(self.env))
                raise ValidationError(
                    self.env._(
                        "Invoice number: %(number)s is already the number of "
                        "another %(kind)s invoice.",
                        number=number,
                        kind=kinds.get(kind, kind).lower(),
                    )
                )
            seen.add(key)

    def _clean_vals(self, vals):
        if isinstance(vals.get("invoice_number"), str):
            vals["invoice_number"] = vals["invoice_number"].strip()
        if "contract_numbers" in vals:
            vals["contract_numbers"] = self._normalize_contract_numbers(
                vals["contract_numbers"]
            )

    def _missing_number_message(self):
        if self.kind == "received":
            return self.env._(
                "Invoice number: type the supplier's number of the received "
                "invoice of %(company)s.",
                company=self.crm_company_id.display_name,
            )
        return self.env._(
            "Invoice number: automatic invoice numbers are off in the CRM "
            "settings, so type the number of the invoice of %(company)s.",
            company=self.crm_company_id.display_name,
        )

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _round(self, amount):
        return self.currency_id.round(amount) if self.currency_id else amount

    def _log_on_company(self, body):
        """Put a line in the company's timeline."""
        # _message_log checks no access: creating, changing or deleting the
        # invoice needed the rights to change the company already
        self.crm_company_id._message_log(body=body)
