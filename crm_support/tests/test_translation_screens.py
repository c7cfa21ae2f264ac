import os

import polib
from lxml import etree

from odoo.tests import TransactionCase, new_test_user, tagged

from ..hooks import post_init_hook

I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")

# the attributes of a view that the web client shows as text
SHOWN_ATTRIBUTES = ("string", "help", "placeholder", "title", "confirm", "sum")


def _words(text):
    return " ".join((text or "").split())


@tagged("post_install", "-at_install", "crm_support")
class TestTranslationScreens(TransactionCase):
    """A user working in Spanish gets the addon's screens in Spanish.

    TestTranslation proves that every term has a Spanish entry; this proves
    that the entries reach the screens: every view of the addon, as the server
    builds it for the web client (``get_view``, inherited views applied), and
    every field label, tooltip and selection value of the addon, read by a
    Spanish-speaking Manage user. Any English term of the addon that shows
    there is a failure.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_ES")
        # Odoo's own terms too, as Settings > Languages loads them (modules in
        # dependency order): views the addon extends mix them with its own
        modules = cls.env["ir.module.module"].search([("state", "=", "installed")])
        modules._update_translations("es_ES")
        cls.user = new_test_user(
            cls.env,
            "crm_spanish",
            groups="crm_support.crm_support_group_manage,base.group_system",
            lang="es_ES",
        )
        # the English of the addon whose Spanish is different
        cls.english = {
            _words(entry.msgid): entry.msgstr
            for entry in polib.pofile(os.path.join(I18N, "es.po"))
            if entry.msgid and _words(entry.msgid) != _words(entry.msgstr)
        }

    def _addon_records(self, model):
        data = self.env["ir.model.data"].search(
            [("module", "=", "crm_support"), ("model", "=", model)]
        )
        return self.env[model].browse(data.mapped("res_id")).exists()

    def _shown_english(self, texts):
        return sorted({_words(t) for t in texts if _words(t) in self.english})

    def _view_texts(self, arch):
        for node in etree.fromstring(arch).iter():
            if isinstance(node.tag, str):
                yield node.text
                yield node.tail
                for attribute in SHOWN_ATTRIBUTES:
                    yield node.get(attribute)

    def test_every_view_of_the_addon_is_spanish(self):
        env = self.env(user=self.user, context={"lang": "es_ES"})
        views = self._addon_records("ir.ui.view")
        self.assertGreater(len(views), 20)
        checked = 0
        for view in views.filtered(lambda v: v.type != "qweb"):
            # an extension shows inside the view it extends
            root = view
            while root.inherit_id and root.mode == "extension":
                root = root.inherit_id
            arch = env[root.model].get_view(root.id, root.type)["arch"]
            english = self._shown_english(self._view_texts(arch))
            self.assertFalse(
                english, f"{view.xml_id} shows English in Spanish: {english}"
            )
            checked += 1
        self.assertGreater(checked, 20)

    def test_every_field_of_the_addon_is_spanish(self):
        env = self.env(user=self.user, context={"lang": "es_ES"})
        fields = self._addon_records("ir.model.fields")
        self.assertGreater(len(fields), 100)
        for model_name in set(fields.mapped("model")):
            names = fields.filtered(lambda f, m=model_name: f.model == m).mapped("name")
            described = env[model_name].fields_get(names, ["string", "help"])
            for name, description in described.items():
                english = self._shown_english(description.values())
                self.assertFalse(
                    english,
                    f"{model_name}.{name} shows English in Spanish: {english}",
                )

    def test_every_selection_value_of_the_addon_is_spanish(self):
        # the values the addon defines; those of Odoo's mixins (activity_state)
        # carry Odoo's own identifiers and translations
        values = self._addon_records("ir.model.fields.selection")
        self.assertGreater(len(values), 20)
        for value in values.with_context(lang="es_ES"):
            english = self._shown_english([value.name])
            self.assertFalse(
                english,
                f"{value.field_id.model}.{value.field_id.name} = {value.value} "
                f"shows English in Spanish: {english}",
            )
        # and as the web client gets them
        env = self.env(user=self.user, context={"lang": "es_ES"})
        status = env["crm_support.contract"].fields_get(["status"], ["selection"])
        self.assertIn(("active", "Activo"), status["status"]["selection"])

    def test_menus_and_actions_are_spanish(self):
        env = self.env(user=self.user, context={"lang": "es_ES"})
        menus = self._addon_records("ir.ui.menu").with_env(env)
        actions = self._addon_records("ir.actions.act_window").with_env(env)
        self.assertTrue(menus and actions)
        english = self._shown_english(
            menus.mapped("name") + actions.mapped("name") + actions.mapped("help")
        )
        self.assertFalse(english, f"menus and actions in English: {english}")
        # and the words a user coming from Integria looks for
        top = env.ref("crm_support.crm_support_menu_root").name
        self.assertEqual(top, "CRM de soporte")

    def test_renamed_stages_have_integria_names_in_spanish(self):
        # crm's stages renamed to Integria's: crm's own Spanish must not win
        env = self.env(user=self.user, context={"lang": "es_ES"})
        expected = {
            "crm.stage_lead2": "Necesidades identificadas",
            "crm.stage_lead3": "Propuesta entregada",
            "crm.stage_lead4": "Cerrado con éxito",
        }
        for xmlid, name in expected.items():
            stage = env.ref(xmlid)
            self.assertEqual(stage.name, name)
            # the stage and its progress value say the same
            progress = dict(
                stage._fields["crm_progress"]._description_selection(stage.env)
            )[stage.crm_progress]
            self.assertEqual(progress, f"{stage.crm_progress} - {name}")

    def test_installing_in_a_spanish_database_renames_the_stages(self):
        # a database already in Spanish has crm's names when the addon arrives
        stage = self.env.ref("crm.stage_lead2").with_context(lang="es_ES")
        stage.name = "Calificado"
        post_init_hook(self.env)
        self.assertEqual(stage.name, "Necesidades identificadas")
