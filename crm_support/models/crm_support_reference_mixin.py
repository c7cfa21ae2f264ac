from collections import defaultdict

from odoo import api, models
from odoo.exceptions import ValidationError


class CrmSupportReferenceMixin(models.AbstractModel):
    """Refuse a link to a record that does not exist, naming the field.

    Without it the database's foreign key refuses the row with a message about
    deleting records, which is wrong and names no field (XML-RPC clients send
    bare ids, and a stale or mistyped id is a common mistake).
    """

    _name = "crm_support.reference.mixin"
    _description = "Checked links of CRM records"

    @api.model_create_multi
    def create(self, vals_list):
        self._check_references_multi(vals_list)
        return super().create(vals_list)

    def write(self, vals):
        self._check_references(vals)
        return super().write(vals)

    def _check_references(self, vals):
        self._check_references_multi([vals])

    def _check_references_multi(self, vals_list):
        # one existence query per field, however many records are written
        wanted = defaultdict(set)
        for vals in vals_list:
            for fname, value in vals.items():
                field = self._fields.get(fname)
                if field is None or field.type != "many2one" or not value:
                    continue
                if isinstance(value, models.BaseModel):
                    continue
                if not isinstance(value, int) or isinstance(value, bool):
                    self._raise_missing_reference(field, value)
                wanted[fname].add(value)
        for fname, ids in wanted.items():
            field = self._fields[fname]
            existing = self.env[field.comodel_name].browse(ids).exists()
            missing = ids - set(existing.ids)
            if missing:
                self._raise_missing_reference(field, min(missing))

    def _raise_missing_reference(self, field, value):
        raise ValidationError(
            self.env._(
                "%(field)s: there is no %(model)s with id %(value)r.",
                field=field._description_string(self.env),
                model=self.env[field.comodel_name]._description,
                value=value,
            )
        )
