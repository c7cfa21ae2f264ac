import base64
import codecs
import csv
import io
import uuid

import pytz

from odoo import api, fields, models


class CrmSupportCsvExport(models.AbstractModel):
    """Write records as Integria's export does: a header line, ``;``, UTF-8 BOM.

    Values are quoted where needed instead of being altered as Integria did, so
    the file imports back without loss. Records are read as the user: only the
    ones the user may read are written.
    """

    _name = "crm_support.csv.export"
    _description = "Export to an Integria IMS CSV file"
    # the start of the file's name, as Integria names its exports
    _export_name = "export"

    file = fields.Binary(attachment=False, readonly=True)
    filename = fields.Char("File Name", readonly=True)

    # --- actions ---------------------------------------------------------

    def action_export(self):
        """Write the file and download it."""
        self.ensure_one()
        header, rows = self._export_rows()
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        now = fields.Datetime.context_timestamp(self, fields.Datetime.now())
        self.write(
            {
                "file": base64.b64encode(codecs.BOM_UTF8 + out.getvalue().encode()),
                "filename": f"{self._export_name}-{now:%Y%m%d%H%M}.csv",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/file/{self.filename}"
            "?download=true",
            "target": "self",
        }

    # --- business helpers ------------------------------------------------

    def _export_rows(self):
        """``(header, rows)`` of the file."""
        return [], []

    @api.model
    def _export_refs(self, records, prefix):
        """``{record id: reference}``: the Integria id, or else an external id.

        Records that have neither get an ``__export__`` external id, as Odoo's
        own export gives them, so that the file can name them on its way back.
        """
        refs = {
            res_id: str(integria_id)
            for res_id, integria_id in records._integria_ids().items()
        }
        others = [res_id for res_id in records.ids if res_id not in refs]
        if not others:
            return refs
        # sudo: external ids are reserved to administrators; these only name
        # records the user reads or sees linked from a record they read
        Data = self.env["ir.model.data"].sudo()
        for entry in Data.search_fetch(
            [
                ("model", "=", records._name),
                ("res_id", "in", others),
                ("module", "in", ["__export__", "__import__"]),
            ],
            ["module", "name", "res_id"],
            order="id",
        ):
            refs.setdefault(entry.res_id, f"{entry.module}.{entry.name}")
        table = records._table
        missing = [res_id for res_id in others if res_id not in refs]
        vals_list = [
            {
                "module": "__export__",
                "name": f"{table}_{res_id}_{uuid.uuid4().hex[:8]}",
                "model": records._name,
                "res_id": res_id,
                "noupdate": True,
            }
            for res_id in missing
        ]
        for vals in vals_list:
            refs[vals["res_id"]] = f"__export__.{vals['name']}"
        Data.create(vals_list)
        return refs

    @api.model
    def _export_datetime(self, value):
        """A UTC datetime as Integria writes it, in the user's time zone."""
        if not value:
            return "0000-00-00 00:00:00"
        zone = pytz.timezone(self.env.user.tz or "UTC")
        return pytz.utc.localize(value).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")

    @api.model
    def _export_properties(self, record, customs):
        """The text of each custom field of ``record``, in definition order."""
        values = record.properties or {}
        texts = []
        for field in customs:
            value = values.get(field["name"])
            kind = field.get("type")
            if value in (None, False, "", []) and kind != "boolean":
                texts.append("")
            elif kind == "boolean":
                texts.append("1" if value else "0")
            elif kind in ("integer", "float"):
                texts.append(repr(value))
            elif kind == "datetime":
                texts.append(self._export_datetime(fields.Datetime.to_datetime(value)))
            elif kind == "tags":
                texts.append(",".join(value))
            elif kind in ("many2one", "many2many"):
                ids = value if isinstance(value, list) else [value]
                comodel = self.env[field["comodel"]].browse(ids)
                texts.append(",".join(comodel.mapped("display_name")))
            else:
                texts.append(str(value))
        return texts
