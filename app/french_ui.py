"""Streamlit's own interface strings, in French.

Streamlit 1.67 has no interface language setting: the tooltips and menus of its tables
(« Download as CSV », « Sort ascending » …), of its charts (« Fullscreen »), of its date
picker and of its sidebar, and the labels screen readers read (« Help for Période »,
« Collapse sidebar »), are English. `FRENCH_DOCUMENT_SCRIPT`, drawn once by `dashboard.py`,
marks the document as French and translates those strings in the page as they appear
(tooltips and menus are created on hover and click), in visible text and in the `aria-label`,
`title` and `placeholder` attributes.

Only whole strings listed here are replaced (after trimming spaces), never parts of a text,
so the dashboard's own French texts are left alone; the data (table cells and headers, chart
contents) is never touched, even when a cell says exactly « Open » or « Search ». When a Streamlit upgrade
adds or renames a string, `tests/browser/test_pages.py` finds the English left on screen.
"""

from __future__ import annotations

import json

from babel.dates import get_month_names

# English string → French, exactly as Streamlit writes them (static/js of streamlit 1.67).
STREAMLIT_STRINGS: dict[str, str] = {
    # Toolbar of tables and charts
    "Show/hide columns": "Afficher ou masquer des colonnes",
    # Not « Télécharger en CSV »: that is our own button under each table (French CSV for Excel).
    "Download as CSV": "Exporter en CSV",
    "Search": "Rechercher",
    "Type to search": "Rechercher…",
    "Close Search": "Fermer la recherche",
    "Next Result": "Résultat suivant",
    "Previous Result": "Résultat précédent",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Select all": "Tout sélectionner",
    "Clear selection": "Effacer la sélection",
    "Failed to export data as CSV": "L'export CSV a échoué",
    # Column menu of tables
    "Dataframe column menu": "Menu de la colonne",
    "Copy column name": "Copier le nom de la colonne",
    "Copied": "Copié",
    "Sort ascending": "Tri croissant",
    "Sort descending": "Tri décroissant",
    "Format": "Format",
    "Automatic": "Automatique",
    "Localized": "Selon la langue",
    "Plain": "Brut",
    "Compact": "Compact",
    "Percent": "Pourcentage",
    "Scientific": "Scientifique",
    "Accounting": "Comptable",
    "Duration": "Durée",
    "Distance": "Écart",
    "Autosize": "Largeur automatique",
    "Wrap": "Retour à la ligne",
    "Pin column": "Épingler la colonne",
    "Unpin column": "Détacher la colonne",
    "Hide column": "Masquer la colonne",
    "Statistics": "Statistiques",
    "Count": "Nombre",
    "Distinct": "Valeurs distinctes",
    "Empty": "Vides",
    "Minimum": "Minimum",
    "Maximum": "Maximum",
    "Average": "Moyenne",
    "Median": "Médiane",
    "Standard deviation": "Écart type",
    "Sum": "Somme",
    "Range": "Étendue",
    "Values": "Valeurs",
    "Minimum length": "Longueur minimale",
    "Maximum length": "Longueur maximale",
    "Average length": "Longueur moyenne",
    "Based on sample": "Sur un échantillon",
    "Top values frequency chart": "Fréquence des valeurs les plus courantes",
    "Distribution histogram": "Histogramme de la distribution",
    "True": "Vrai",
    "False": "Faux",
    "No data": "Aucune donnée",
    "Loading...": "Chargement…",
    # Selects and multiselects
    "Choose an option": "Choisir une option",
    "No results": "Aucun résultat",
    "No options": "Aucune option",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Open": "Ouvrir",
    "Delete": "Supprimer",
    # Date picker
    "Choose date range": "Choisir les dates",
    "Choose date": "Choisir une date",
    "Previous month": "Mois précédent",
    "Next month": "Mois suivant",
    "Use arrow keys to navigate dates. Enter to select. Escape to close.": "Flèches : changer de jour. Entrée : choisir. Échap : fermer.",
    # Page frame, sidebar, connection state
    "Sidebar": "Panneau latéral",
    "Collapse sidebar": "Replier le panneau latéral",
    "Expand sidebar": "Déplier le panneau latéral",
    "App pages": "Pages du tableau de bord",
    "Main menu": "Menu principal",
    "Skip to main content": "Aller au contenu",
    "Link to heading": "Lien vers ce titre",
    "Running...": "Calcul en cours…",
    "Stop": "Arrêter",
    "Stopping...": "Arrêt en cours…",
    "Please wait...": "Veuillez patienter…",
    "Connecting": "Connexion…",
    "Connection error": "Erreur de connexion",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:": "Le serveur du tableau de bord ne répond plus. S'il a été arrêté, relancez-le :",
    "Streamlit server is not responding. Are you connected to the internet?": "Le serveur du tableau de bord ne répond pas. Le réseau est-il accessible ?",
    "Network error": "Erreur réseau",
    "Try again": "Réessayer",
    "Retry": "Réessayer",
    "Close": "Fermer",
    "Dismiss": "Fermer",
    "Copy": "Copier",
    "Print": "Imprimer",
    "Page not found": "Page introuvable",
    # Its body, for an old bookmark such as /vue_ensemble.
    "The page that you have requested does not seem to exist. Running the app's main page.": (
        "La page demandée n'existe pas : la page d'accueil du tableau de bord est affichée."
    ),
    # Maps (MapLibre) and the sparklines of st.metric (Vega), read by screen readers.
    "Toggle attribution": "Afficher ou masquer les crédits de la carte",
    "Vega visualization": "Courbe de tendance hebdomadaire",
}

# The date field reads its month to screen readers in English: the month segment's value
# ("04 – April", `aria-valuetext`) and the hidden description ("Selected Date: April 01,
# 2020"). One pattern per month and form, before the general ones (the first match wins).
_MONTHS = zip(
    get_month_names("wide", locale="en").values(), get_month_names("wide", locale="fr").values()
)
_MONTH_PATTERNS = [
    pattern
    for english, french in _MONTHS
    for pattern in (
        (rf"^(\d+) – {english}$", f"$1 – {french}"),
        (rf"^Selected Date: {english} (\d+), (\d+)$", f"Date choisie : $1 {french} $2"),
    )
]

# Strings with a part that varies: (JavaScript regular expression, French replacement).
STREAMLIT_PATTERNS: list[tuple[str, str]] = [
    *_MONTH_PATTERNS,
    (r"^Help for (.+)$", "Aide : $1"),
    (r"^Choose date range, (.+)$", "Choisir les dates, $1"),
    (r"^(.+) start date$", "$1 : date de début"),
    (r"^(.+) end date$", "$1 : date de fin"),
    (r"^day, (.+)$", "jour, $1"),
    (r"^month, (.+)$", "mois, $1"),
    (r"^year, (.+)$", "année, $1"),
    (r"^1 option available\.$", "1 option disponible."),
    (r"^(\d+) options available\.$", "$1 options disponibles."),
    (r"^(\d+) results? available\.$", "$1 résultat(s)."),
]

_SCRIPT = """
<script>
(() => {
  document.documentElement.lang = "fr";
  if (window.__observatoireFrench) return;  // drawn on every run: one observer per page load
  window.__observatoireFrench = true;
  const STRINGS = %(strings)s;
  const PATTERNS = %(patterns)s.map(([source, french]) => [new RegExp(source), french]);
  const ATTRIBUTES = ["aria-label", "aria-valuetext", "title", "placeholder"];
  // Data is never translated: a supplier or a search term may well be called "Open".
  const DATA = '[data-testid="stTable"], .js-plotly-plot svg, [role="gridcell"], [role="columnheader"]';
  const french = (text) => {
    const bare = text.trim();
    if (!bare) return null;
    // Functions as replacements: a `$` in the text is not a replacement pattern.
    if (Object.prototype.hasOwnProperty.call(STRINGS, bare)) return text.replace(bare, () => STRINGS[bare]);
    for (const [pattern, replacement] of PATTERNS) {
      if (pattern.test(bare)) {
        const translated = bare.replace(pattern, replacement);
        return text.replace(bare, () => translated);
      }
    }
    return null;
  };
  const translateAttributes = (element) => {
    if (element.closest(DATA)) return;
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      const translated = value && french(value);
      if (translated && translated !== value) element.setAttribute(name, translated);
    }
  };
  const translateText = (node) => {
    if (node.parentElement && node.parentElement.closest(DATA)) return;
    const translated = french(node.nodeValue);
    if (translated && translated !== node.nodeValue) node.nodeValue = translated;
  };
  const translateTree = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return translateText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    translateAttributes(root);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.nodeType === Node.TEXT_NODE) translateText(node); else translateAttributes(node);
    }
  };
  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === "childList") mutation.addedNodes.forEach(translateTree);
      else if (mutation.type === "characterData") translateText(mutation.target);
      else translateAttributes(mutation.target);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true, attributeFilter: ATTRIBUTES});
  translateTree(document.body);
})();
</script>
"""

# Fixed text built from the tables above: nothing from the user or the data goes into it.
FRENCH_DOCUMENT_SCRIPT = _SCRIPT % {
    "strings": json.dumps(STREAMLIT_STRINGS, ensure_ascii=False),
    "patterns": json.dumps(STREAMLIT_PATTERNS, ensure_ascii=False),
}
