import glob
import os
import re
from collections import defaultdict

from odoo import api, models
from odoo.modules.module import get_module_path

# country names in every language Odoo ships, read once per process
_SHIPPED_COUNTRY_NAMES = {}


def normalize(text):
    """A name as it is compared: spaces collapsed, case folded."""
    return " ".join(text.split()).casefold()


def shipped_country_names():
    """Country names in every language Odoo ships, to their ISO codes.

    Read from base's translation files the first time a name is not found in
    the installed languages; ambiguous names are left out. A regular
    expression picks the country entries: Odoo's PoFileReader parses every
    entry of those files and takes about 20 s where this takes under 1 s.
    """
    if not _SHIPPED_COUNTRY_NAMES:
        pattern = re.compile(
            r"^#: model:res\.country,name:base\.(\w+)\n(?:#.*\n)*"
            r'msgid "(.*)"\nmsgstr "(.*)"',
            re.MULTILINE,
        )
        found = defaultdict(set)
        folder = os.path.join(get_module_path("base"), "i18n")
        for path in glob.glob(os.path.join(folder, "*.po")):
            with open(path, encoding="utf-8") as po_file:
                for code, _msgid, msgstr in pattern.findall(po_file.read()):
                    if msgstr:
                        found[normalize(msgstr)].add(code.upper())
        _SHIPPED_COUNTRY_NAMES.update(
            {name: codes.pop() for name, codes in found.items() if len(codes) == 1}
        )
    return _SHIPPED_COUNTRY_NAMES


class ResCountry(models.Model):
    _inherit = "res.country"

    # --- business helpers ----------------------------------------------------

    @api.model
    def _crm_support_index(self):
        """Country ids by ISO code and by their name in every installed language.

        Shared by the CSV imports and the lead intake, which build it once for
        a file or a cached lookup and pass it to ``_crm_support_find``.
        """
        Country = self.with_context(active_test=False)
        index = {}
        for lang, _name in self.env["res.lang"].get_installed():
            for country in Country.with_context(lang=lang).search_fetch([], ["name"]):
                index.setdefault(normalize(country.name), country.id)
        for country in Country.search_fetch([], ["code"]):
            index[normalize(country.code)] = country.id
        return index

    @api.model
    def _crm_support_find(self, value, index):
        """The id of the country an ISO code or a name names, or None.

        A name in a language that is not installed is still found through
        base's translation files.
        """
        key = normalize(value)
        if key not in index:
            code = shipped_country_names().get(key)
            if code and normalize(code) in index:
                index[key] = index[normalize(code)]
        return index.get(key)
