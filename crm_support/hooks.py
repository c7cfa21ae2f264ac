from odoo.tools.translate import TranslationImporter, get_po_paths


def post_init_hook(env):
    """Give crm's renamed stages their names in the installed languages.

    The stages crm_support renames to Integria's belong to crm, and their
    translations come from ``i18n_extra``. Installing loads them without
    touching existing ones, so a database already in Spanish would keep crm's
    names (Calificado, Propuesta, Ganado); crm's stage records are also
    ``noupdate``, which only a forced load overwrites. Nothing of the user's is
    lost: the stages were renamed by this install a moment ago.
    """
    langs = [code for code, _name in env["res.lang"].get_installed()]
    importer = TranslationImporter(env.cr, verbose=False)
    for lang in langs:
        for path in get_po_paths("crm_support", lang):
            if "i18n_extra" in path:
                importer.load_file(path, lang)
    # the importer writes in SQL and flushes first; the cache is then stale
    importer.save(force_overwrite=True)
    env.invalidate_all()
