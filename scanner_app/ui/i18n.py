"""Translations: the app's own (Qt Linguist ``.qm`` from ``scanner_app.resources``) and Qt's
(standard buttons such as Save and Cancel, from the PySide6 wheel).

English is the source language, so it needs no file. ``language`` is a setting: empty means
"the system's language", falling back to English when there is no translation for it.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
#: Languages with a translation shipped in ``assets/translations``.
LANGUAGES = ("en", "de")

_installed: list[QTranslator] = []  # kept alive here: Qt does not own installed translators


def resolve_language(language: str = "") -> str:
    """The two-letter language to use for ``language`` ("" = the system's), "en" if unknown."""
    wanted = language.strip().replace("-", "_").lower()
    if not wanted:
        wanted = QLocale.system().name().lower()
    code = wanted.split("_")[0]
    return code if code in LANGUAGES else SOURCE_LANGUAGE


def qm_path(language: str) -> str | None:
    try:
        from scanner_app import resources

        return str(resources.resource_path(f"translations/scanner_app_{language}.qm"))
    except (ImportError, FileNotFoundError) as exc:
        log.warning("no translation for %s: %s", language, exc)
        return None


def install_translator(app: QCoreApplication, language: str = "") -> str:
    """Switch ``app`` to ``language``; returns the language in use. Widgets created afterwards
    show it (the app asks for a restart rather than re-translating open windows)."""
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    code = resolve_language(language)
    QLocale.setDefault(QLocale(code))
    if code == SOURCE_LANGUAGE:
        return code
    ours = QTranslator(app)
    path = qm_path(code)
    if path is None or not ours.load(path):
        log.warning("translation %s could not be loaded; using English", code)
        QLocale.setDefault(QLocale(SOURCE_LANGUAGE))
        return SOURCE_LANGUAGE
    qt = QTranslator(app)
    if qt.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    app.installTranslator(ours)
    _installed.append(ours)
    log.info("language: %s", code)
    return code
