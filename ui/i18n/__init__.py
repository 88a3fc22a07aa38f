"""Qt translations: ``rma_station_<lang>.ts`` (source, edited) -> ``.qm`` (compiled, loaded).

Regenerate after changing UI strings: ``python -m ui.i18n.build`` (lupdate, fill, lrelease).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

log = logging.getLogger(__name__)

HERE = Path(__file__).parent


def install_language(app: QCoreApplication, language: str, installed: list[QTranslator]) -> list[QTranslator]:
    """Replace the installed translators by those for ``language`` (``en``: its plural forms)."""
    for translator in installed:
        app.removeTranslator(translator)
    out: list[QTranslator] = []
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        plurals = QTranslator(app)  # only the %n strings: "1 row", not "1 rows"
        if plurals.load(str(HERE / "rma_station_en.qm")):
            app.installTranslator(plurals)
            out.append(plurals)
        return out
    ours = QTranslator(app)
    if ours.load(str(HERE / f"rma_station_{language}.qm")):
        app.installTranslator(ours)
        out.append(ours)
    else:
        log.warning("no translation file for %s", language)
    qt = QTranslator(app)
    if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        out.append(qt)
    QLocale.setDefault(QLocale(language))
    return out
