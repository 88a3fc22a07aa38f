"""Fonts and the style sheet: big readable type, calm colours, Chinese that renders."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

ICONS = Path(__file__).parent / "icons"

#: Latin first (Noto/DejaVu), then a CJK font so Chinese never falls back to boxes.
FAMILIES = ["Noto Sans", "DejaVu Sans", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"]

STYLE_SHEET = """
QWidget { color: #1f2933; }
QMainWindow, QStackedWidget > QWidget { background: #f5f6f8; }
QLabel#prompt { font-size: 17pt; color: #334e68; }
QLabel#signInTitle { font-size: 26pt; font-weight: 600; color: #102a43; }
QLabel#keys { color: #52606d; font-size: 11pt; }
QLabel#caption { color: #627d98; font-size: 11pt; }
QLabel#cardNumber { font-size: 24pt; font-weight: 600; color: #102a43; }
QLabel#question { font-size: 22pt; font-weight: 600; color: #102a43; }
QLabel#gradeBig { font-size: 40pt; font-weight: 700; }
QFrame#card, QFrame#signInBox, QFrame#panel { background: white; border: 1px solid #d9e2ec; border-radius: 8px; }
QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox, QPlainTextEdit { background: white; border: 1px solid #9fb3c8;
    border-radius: 5px; padding: 6px 8px; min-height: 30px; }
QLineEdit:focus, QSpinBox:focus, QDoubleSpinBox:focus, QPlainTextEdit:focus, QComboBox:focus {
    border: 2px solid #2d5fa8; }
QTableWidget:focus, QListWidget:focus, QTableView:focus, QListView:focus { border: 2px solid #2d5fa8; }
QPushButton:focus { border: 2px solid #2d5fa8; background: #e6eefb; }
QCheckBox:focus, QRadioButton:focus { color: #2d5fa8; text-decoration: underline; }
QTabBar::tab:focus { text-decoration: underline; }
QSpinBox, QDoubleSpinBox { padding-right: 30px; }
QSpinBox::up-button, QSpinBox::down-button, QDoubleSpinBox::up-button, QDoubleSpinBox::down-button {
    subcontrol-origin: padding; width: 26px; background: #eef2f6; border-left: 1px solid #d9e2ec; }
QSpinBox::up-button, QDoubleSpinBox::up-button { subcontrol-position: top right; }
QSpinBox::down-button, QDoubleSpinBox::down-button { subcontrol-position: bottom right; }
QSpinBox::up-button:hover, QSpinBox::down-button:hover { background: #d9e2ec; }
QSpinBox::up-arrow, QDoubleSpinBox::up-arrow { image: url(@ICONS@/up.svg); width: 12px; height: 8px; }
QSpinBox::down-arrow, QDoubleSpinBox::down-arrow { image: url(@ICONS@/down.svg); width: 12px; height: 8px; }
QComboBox { padding-right: 30px; }
QComboBox::drop-down { subcontrol-origin: padding; subcontrol-position: center right; width: 26px;
    border-left: 1px solid #d9e2ec; }
QComboBox::down-arrow { image: url(@ICONS@/down.svg); width: 12px; height: 8px; }
QTableWidget, QListWidget { background: white; border: 1px solid #d9e2ec; gridline-color: #e4e7eb; }
QHeaderView::section { background: #eef2f6; border: none; padding: 6px; font-weight: 600; }
QTabBar::tab { padding: 8px 12px; font-size: 12pt; }
QTabBar::tab:selected { background: white; border-bottom: 3px solid #2d5fa8; }
QPushButton { padding: 8px 18px; border: 1px solid #9fb3c8; border-radius: 5px; background: white; }
QPushButton:default { border: 2px solid #2d5fa8; }
QStatusBar { background: #e4e7eb; }
QLabel#statusItem { padding: 2px 12px; font-size: 11pt; }
"""


def apply_style(app: QApplication, point_size: int) -> QFont:
    available = set(QFontDatabase.families())
    families = [f for f in FAMILIES if f in available] or FAMILIES
    font = QFont()
    font.setFamilies(families)
    font.setPointSize(point_size)
    app.setFont(font)
    # The spin box and combo box arrows are drawn from ui/icons: a styled box loses Qt's own.
    app.setStyleSheet(STYLE_SHEET.replace("@ICONS@", ICONS.as_posix()))
    return font
