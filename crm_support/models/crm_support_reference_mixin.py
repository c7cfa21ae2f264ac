from collections import defaultdict

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError


class CrmSupportReferenceMixin(models.AbstractModel):
    """Refuse a link to a record that does not exist, or a date or number
    that is none, naming the field.

    Without it the database's foreign key refuses the row with a message about
    deleting records, which is wrong and names no field, and a date such as
    2023-02-30 ends in a traceback (XML-RPC clients send bare ids and text
    dates, and a mistyped one is a common mistake).
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
                if field is not None and isinstance(value, str):
                    self._check_text_value(field, value)
                if field is not None and field.type in ("one2many", "many2many"):
                    self._check_nested_values(field, value)
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

    def _check_nested_values(self, field, commands):
        """Check the values of the lines created or updated with the record."""
        comodel = self.env[field.comodel_name]
        if not isinstance(commands, list | tuple) or not hasattr(
            comodel, "_check_references_multi"
        ):
            return
        nested = [
            command[2]
            for command in commands
            if isinstance(command, list | tuple)
            and len(command) == 3
            and command[0] in (Command.CREATE, Command.UPDATE)
            and isinstance(command[2], dict)
        ]
        if nested:
            comodel._check_references_multi(nested)

    def _check_text_value(self, field, value):
        """A date, date and time or number given as text must be one."""
        convert = {
            "date": fields.Date.to_date,
            "datetime": fields.Datetime.to_datetime,
            "float": float,
            "monetary": float,
            "integer": int,
        }.get(field.type)
        if convert is None or not value:
            return
        try:
            convert(value)
        except ValueError:
            raise ValidationError(
                self.env._(
                    "%(field)s: %(value)r is not a valid %(kind)s.",
                    field=field._description_string(self.env),
                    value=value,
                    kind={
                        "date": self.env._("date (YYYY-MM-DD)"),
                        "datetime": self.env._("date and time (YYYY-MM-DD HH:MM:SS)"),
                    }.get(field.type, self.env._("number")),
                )
            ) from None

    def _raise_missing_reference(self, field, value):
        raise ValidationError(
            self.env._(
                "%(field)s: there is no %(model)s with id %(value)r.",
                field=field._description_string(self.env),
                model=self.env[field.comodel_name]._description,
                value=value,
            )
        )
