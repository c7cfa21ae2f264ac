from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# the namespace of the external ids that keep the ids records had in Integria
INTEGRIA_MODULE = "integria_import"


class CrmSupportIntegriaMixin(models.AbstractModel):
    """The id a record had in Integria IMS, kept as an external id.

    ``integria_import.<prefix>_<id>`` (e.g. ``integria_import.company_12``) is
    how CSV files from Integria name the record: a contracts file names its
    companies, a companies file its parents and roles by these ids.
    """

    _name = "crm_support.integria.mixin"
    _description = "Integria IMS id"
    # the external id is <INTEGRIA_MODULE>.<_integria_prefix>_<integria id>
    _integria_prefix = None

    integria_id = fields.Integer(
        "Integria ID",
        compute="_compute_integria_id",
        inverse="_inverse_integria_id",
        search="_search_integria_id",
        copy=False,
        help="The id of this record in Integria IMS: CSV files exported by "
        "Integria name it by this number.",
    )

    def _compute_integria_id(self):
        ids = self._integria_ids()
        for record in self:
            record.integria_id = ids.get(record._origin.id, 0)

    def _inverse_integria_id(self):
        # sudo: external ids are reserved to administrators; the user may write
        # these records (the ORM checked it), and only their Integria ids change
        Data = self.env["ir.model.data"].sudo()
        for record in self:
            if record.integria_id < 0:
                raise ValidationError(
                    self.env._(
                        "Integria ID: %(value)s is not a valid id (%(record)s).",
                        value=record.integria_id,
                        record=record.display_name,
                    )
                )
            current = Data.search(record._integria_data_domain([record.id]))
            if not record.integria_id:
                current.unlink()
                continue
            name = self._integria_xmlid_name(record.integria_id)
            taken = Data.search(
                [
                    ("module", "=", INTEGRIA_MODULE),
                    ("name", "=", name),
                    ("res_id", "!=", record.id),
                ]
            )
            other = self.browse(taken.res_id).exists()
            # sudo: the Integria id is unique in the database, so the user is
            # told which record holds it, even one they may not read
            if other:
                raise ValidationError(
                    self.env._(
                        "Integria ID: %(value)s is already the Integria id of "
                        "%(other)s.",
                        value=record.integria_id,
                        other=other.sudo().display_name,
                    )
                )
            (current | taken).unlink()
            Data.create(
                {
                    "module": INTEGRIA_MODULE,
                    "name": name,
                    "model": self._name,
                    "res_id": record.id,
                    "noupdate": True,
                }
            )

    def _search_integria_id(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(
                self.env._(
                    "Integria ID: searching with %(operator)s is not supported.",
                    operator=operator,
                )
            )
        values = value if isinstance(value, list | tuple) else [value]
        names = [self._integria_xmlid_name(v) for v in values if v]
        # sudo: external ids are reserved to administrators; only which records
        # of this model have them is read
        Data = self.env["ir.model.data"].sudo()
        domain = [
            (
                "id",
                "in",
                Data.search(
                    [*self._integria_data_domain(), ("name", "in", names)]
                ).mapped("res_id"),
            )
        ]
        if len(names) < len(values):
            # searching for 0 also finds the records without an Integria id
            known = Data.search(self._integria_data_domain()).mapped("res_id")
            domain = ["|", *domain, ("id", "not in", known)]
        return domain if operator in ("=", "in") else ["!", *domain]

    # --- business helpers ------------------------------------------------

    @api.model
    def _integria_xmlid_name(self, integria_id):
        return f"{self._integria_prefix}_{int(integria_id)}"

    @api.model
    def _integria_data_domain(self, res_ids=None):
        domain = [
            ("module", "=", INTEGRIA_MODULE),
            ("model", "=", self._name),
            ("name", "=like", f"{self._integria_prefix}\\_%"),
        ]
        if res_ids is not None:
            domain.append(("res_id", "in", res_ids))
        return domain

    def _integria_ids(self):
        """Integria id of each record, by record id (one query)."""
        res_ids = [rid for rid in self._origin.ids if rid]
        if not res_ids:
            return {}
        # sudo: external ids are reserved to administrators; only those of
        # records the user already holds are read
        data = (
            self.env["ir.model.data"]
            .sudo()
            .search_fetch(self._integria_data_domain(res_ids), ["name", "res_id"])
        )
        start = len(self._integria_prefix) + 1
        return {
            entry.res_id: int(entry.name[start:])
            for entry in data
            if entry.name[start:].isdigit()
        }
