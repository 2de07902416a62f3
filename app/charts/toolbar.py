"""The chart toolbar: French config (Plotly strings, minimal buttons) and the PNG file
name."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from app import labels


def slugify(text: str) -> str:
    """'Visites par semaine — Produits frais' -> 'visites-par-semaine-produits-frais'."""
    text = text.replace("Œ", "Oe").replace("œ", "oe")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def png_filename(title: str, platform: str | None, start: date, end: date) -> str:
    """Meaningful file name for the toolbar's PNG download (no extension)."""
    parts = [slugify(title)]
    if platform:
        parts.append(platform)
    parts.append(f"{start:%Y-%m-%d}_{end:%Y-%m-%d}")
    return "_".join(parts)


def plotly_config(filename: str) -> dict:
    """Chart config: French strings, PNG download with `filename`, a minimal toolbar."""
    return {
        "locale": "fr",
        "locales": {"fr": labels.PLOTLY_LOCALE_FR},
        "displaylogo": False,
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "modeBarButtonsToRemove": [
            "zoom2d",
            "pan2d",
            "select2d",
            "lasso2d",
            "zoomIn2d",
            "zoomOut2d",
            "autoScale2d",
            "toggleSpikelines",
            "hoverClosestCartesian",
            "hoverCompareCartesian",
        ],
    }
