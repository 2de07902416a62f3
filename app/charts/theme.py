"""Colours, fonts and number separators shared by every figure."""

from __future__ import annotations

SEPARATORS = (
    ",\u202f"  # decimal comma, narrow no-break space as thousands separator (as app/fmt.py)
)
FONT_FAMILY = "Source Sans, Source Sans Pro, Arial, sans-serif"
PRIMARY = "#1f5fa8"
PRIMARY_LIGHT = "#a9c4e6"
SECONDARY = "#e07b39"
KEY_DATE_COLOR = "#6b6b6b"
COMPARISON_COLOR = SECONDARY  # the comparison period's line over the bars
ANNOTATION_COLOR = "#b8336a"  # analysts' annotations (diamonds)
PLATFORM_COLORS = {"produits-frais": "#2e7d32", "equipements-protection": "#1f5fa8"}
QUALITATIVE = [
    "#1f5fa8",
    "#e07b39",
    "#2e7d32",
    "#b8336a",
    "#7b5ea7",
    "#c9a227",
    "#3aa6a0",
    "#8c564b",
    "#5a5a5a",
    "#9bbb59",
]
