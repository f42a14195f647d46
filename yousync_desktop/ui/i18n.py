"""Which language the UI speaks, and switching it while the app runs.

English is the source language in the code; Korean comes from ``resources/translations/
yousync_ko.qm`` (made by ``tools/update_translations.sh``) plus Qt's own ``qtbase_ko.qm`` for the
standard buttons and dialogs. Installing or removing a translator makes Qt send every widget a
``QEvent.LanguageChange``; widgets answer it with their ``retranslate_ui()``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from yousync_desktop.settings import resources_dir

SUPPORTED_LANGUAGES = ("en", "ko")


def effective_language(setting: str, system_locale: QLocale | None = None) -> str:
    """"en" or "ko" for a settings value "system" | "en" | "ko". "system" means Korean only when the
    system locale is Korean; everyone else gets English, our source language."""
    if setting in SUPPORTED_LANGUAGES:
        return setting
    locale = system_locale if system_locale is not None else QLocale.system()
    return "ko" if locale.language() == QLocale.Language.Korean else "en"


def translations_dir():
    return resources_dir() / "translations"


class UiLanguage:
    """Owns the translators installed on the application; `apply` swaps them."""

    def __init__(self, app: QCoreApplication):
        self._app = app
        self._installed: list[QTranslator] = []
        self.current = "en"

    def apply(self, setting: str) -> str:
        language = effective_language(setting)
        self.uninstall()
        if language != "en":
            self._install(f"yousync_{language}", str(translations_dir()))
            self._install(f"qtbase_{language}",
                          QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        QLocale.setDefault(QLocale(language))
        self.current = language
        return language

    def uninstall(self) -> None:
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed = []
        self.current = "en"

    def _install(self, name: str, directory: str) -> None:
        translator = QTranslator(self._app)
        # A missing catalogue leaves those strings in English rather than stopping the app.
        if translator.load(name, directory):
            self._app.installTranslator(translator)
            self._installed.append(translator)
