import io
import os

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import trans_export

I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")


@tagged("post_install", "-at_install", "crm_support")
class TestTranslation(TransactionCase):
    """Every translatable term of the addon ships in the template and in Spanish."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        buffer = io.BytesIO()
        trans_export(None, ["crm_support"], buffer, "po", cls.env.cr)
        cls.terms = {
            entry.msgid
            for entry in polib.pofile(buffer.getvalue().decode())
            if entry.msgid
        }

    def _entries(self, name):
        return polib.pofile(os.path.join(I18N, name))

    def test_template_is_complete(self):
        shipped = {entry.msgid for entry in self._entries("crm_support.pot")}
        missing = sorted(self.terms - shipped)
        self.assertFalse(
            missing,
            f"{len(missing)} terms missing from crm_support.pot: {missing[:20]}",
        )

    def test_spanish_is_complete(self):
        translated = {
            entry.msgid
            for entry in self._entries("es.po")
            if entry.msgstr.strip() and "fuzzy" not in entry.flags
        }
        missing = sorted(self.terms - translated)
        self.assertFalse(
            missing, f"{len(missing)} terms without Spanish: {missing[:20]}"
        )

    def test_spanish_keeps_placeholders(self):
        for entry in self._entries("es.po"):
            for placeholder in ("%(", "%s", "%r", "%d"):
                self.assertEqual(
                    entry.msgid.count(placeholder),
                    entry.msgstr.count(placeholder),
                    f"placeholders differ in {entry.msgid!r}",
                )
