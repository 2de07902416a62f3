"""Every French string the dashboard shows, in one place.

Code and identifiers stay in English; only what users read lives here, so a wording change is
made once. Pure module (no Streamlit), imported by the pages, the filters and the charts.
"""

from __future__ import annotations

# Quarantine reasons: rejected_rows.reason_code and rejected_overflow.reason_code → French,
# defined once beside the codes, for the load's summary and the dashboard alike.
from etl.reason_labels import REASON_LABELS as REJECT_REASON_LABELS  # noqa: F401

APP_TITLE = "Observatoire des circuits courts"

# Platform codes (warehouse values) -> names users read.
PLATFORM_NAMES = {
    "produits-frais": "Produits frais locaux",
    "equipements-protection": "Équipements de protection",
}

# --- Pages (navigation titles) ----------------------------------------------------------
PAGE_OVERVIEW = "Vue d'ensemble"
PAGE_TRAFFIC = "Fréquentation"
PAGE_JOURNEYS = "Sources et parcours"
PAGE_SUPPLIERS = "Producteurs et produits"
PAGE_COVERAGE = "Couverture sectorielle"
PAGE_SOURCING = "Approvisionnement local"
PAGE_EQUIPMENT = "Équipements de protection"
PAGE_QUALITY = "Qualité des données"

# --- Sidebar filters ----------------------------------------------------------------------
FILTERS_HEADER = "Filtres"
FILTER_PLATFORM = "Plateforme"
FILTER_PERIOD = "Période"
FILTER_CUSTOM_RANGE = "Dates (du … au …)"
FILTER_DEPARTMENTS = "Départements"
FILTER_CATEGORIES = "Catégories"
FILTER_KINDS = "Type de fournisseur"
PLACEHOLDER_DEPARTMENTS = "Tous les départements"
PLACEHOLDER_CATEGORIES = "Toutes les catégories"
PLACEHOLDER_KINDS = "Tous les types"
HELP_DEPARTMENTS = (
    "Laisser vide pour tous les départements. S'applique aux fournisseurs et à leurs "
    "annonces ; pour la fréquentation, aux visites ayant consulté une page produit ou "
    "fournisseur du département."
)
HELP_CATEGORIES = (
    "Laisser vide pour toutes les catégories. S'applique aux annonces et aux fournisseurs "
    "qui en proposent ; pour la fréquentation, aux visites ayant consulté une page de la "
    "catégorie (page catégorie, produit ou fournisseur)."
)
HELP_KINDS = (
    "Laisser vide pour tous les types (producteur, commerçant, entreprise …). S'applique aux "
    "fournisseurs et à leurs annonces ; pour la fréquentation, aux visites ayant consulté une "
    "page produit ou fournisseur d'un fournisseur de ce type."
)
HELP_PERIOD = (
    "Dates incluses, heure de Paris. « 30 derniers jours » se termine au dernier jour de données."
)
FILTER_PERIOD_RANGE = "Du {start} au {end}"
FILTER_SHARE_HINT = "L'adresse de la page reproduit ces filtres : copiez-la pour partager la vue."

PERIOD_PRESETS = {
    "avril-mai-2020": "Avril–mai 2020",
    "depuis-ouverture": "Depuis l'ouverture",
    "30-derniers-jours": "30 derniers jours",
    "annee-2020": "Année 2020",
    "personnalisee": "Personnalisée",
}

# Notices shown (st.warning) when the page address holds values that cannot be used.
NOTICE_PLATFORM = "La plateforme indiquée dans l'adresse est inconnue : « {default} » est affichée."
NOTICE_PERIOD = "La période indiquée dans l'adresse n'est pas valide : « {default} » est affichée."
NOTICE_DATES = (
    "Les dates indiquées dans l'adresse ne sont pas valides (format AAAA-MM-JJ, début avant fin, "
    "dans la période des données) : « {default} » est affichée."
)
NOTICE_DEPARTMENTS = "Des départements indiqués dans l'adresse sont inconnus ; ils ont été ignorés."
NOTICE_CATEGORIES = (
    "Des catégories indiquées dans l'adresse sont inconnues pour cette plateforme ; "
    "elles ont été ignorées."
)
NOTICE_KINDS = (
    "Des types de fournisseur indiqués dans l'adresse sont inconnus pour cette plateforme ; "
    "ils ont été ignorés."
)
DRILL_DOWN_CATEGORY_HINT = (
    "Cliquez sur une barre pour filtrer toutes les pages sur sa catégorie ; le bouton Retour "
    "du navigateur revient à la vue précédente."
)
DRILL_DOWN_CELL_HINT = (
    "Cliquez sur une case pour filtrer toutes les pages sur son département et sa catégorie ; "
    "le bouton Retour du navigateur revient à la vue précédente."
)
DRILL_DOWN_PERIOD_HINT = (
    "Cliquez sur une barre pour afficher sa période jour par jour ; le bouton Retour du "
    "navigateur revient à la vue précédente."
)
FILTER_RESET = "Réinitialiser les filtres"
HELP_FILTER_RESET = (
    "Revient à la période par défaut, à tous les départements et à toutes les catégories, "
    "et aux réglages par défaut des pages ; la plateforme choisie est gardée."
)
NOTICE_PAGE_CONTROLS = (
    "Des réglages de la page indiqués dans l'adresse ne sont pas valides ; "
    "leurs valeurs par défaut sont affichées."
)
NOTICE_UNKNOWN_PARAMS = "L'adresse contient des paramètres inconnus ; ils ont été ignorés."
NOTICE_PRESENTATION = (
    "Le mode présentation indiqué dans l'adresse n'est pas valide (presentation=1 pour "
    "l'activer) : l'affichage habituel est utilisé."
)

# --- Presentation mode (?presentation=1: projector view) --------------------------------------
PRESENTATION_NOTE = "Mode présentation"
PRESENTATION_QUIT = "quitter"
PROJECTOR_TABLE_HEAD = (
    "{shown} premières lignes sur {total}, dans l'ordre du tableau ; le tableau "
    "complet et ses téléchargements sont dans la vue habituelle."
)

# --- Server settings ----------------------------------------------------------------------
# Shown (page) or printed (`python -m app.serve`) when .streamlit/config.toml was not read.
DATA_EXPORT_NOT_DISABLED = (
    "Le tableau de bord refuse de s'afficher : le réglage `client.disableDataExport = true` de "
    "`.streamlit/config.toml` n'a pas été lu (serveur lancé depuis un autre dossier ?). Sans "
    "lui, l'export intégré des tableaux écrirait les formules des données telles quelles. "
    "Lancez le serveur depuis le dossier du projet (`make run`)."
)

# --- Warehouse access ---------------------------------------------------------------------
NO_WAREHOUSE = (
    "Aucun entrepôt de données n'a été trouvé à l'emplacement `{path}`. "
    "Pour le créer, lancez `make run` (données de démonstration) ou `python -m etl load` "
    "(fichiers déposés dans `data/raw/`), puis rechargez cette page."
)
WAREHOUSE_OUTDATED = (
    "L'entrepôt de données `{path}` a été chargé par une version précédente de l'outil (éléments "
    "manquants : {tables}). Relancez `make load` (ou `python -m etl load`) : le chargement "
    "les ajoute sans relire les journaux déjà chargés, puis rechargez cette page."
)
# No path and no DuckDB message: they name the server's folders (the log has them).
WAREHOUSE_UNREADABLE = (
    "L'entrepôt de données est illisible ou endommagé. Relancez le chargement : "
    "`python -m etl load` (ou `make load`), puis rechargez cette page."
)
QUERY_OUT_OF_MEMORY = (
    "Ce calcul demande plus de mémoire que le tableau de bord n'en a. Choisissez une période "
    "plus courte ou des filtres plus étroits ; si le problème persiste, signalez-le à l'équipe "
    "(réglage `OBSERVATOIRE_APP_MEMORY_LIMIT_MB`)."
)
DATA_SPAN = "Données du {start} au {end}, chargées le {loaded}."

# --- Subtitles ----------------------------------------------------------------------------
ALL_DEPARTMENTS = "tous départements"
ALL_CATEGORIES = "toutes catégories"
DEPARTMENTS_PREFIX = "départements : "
CATEGORIES_PREFIX = "catégories : "
KINDS_PREFIX = "types de fournisseur : "
PERIOD_TEXT = "du {start} au {end}"
SUBTITLE_ON_DATE = "{subtitle} · au {date}"  # chart subtitle of figures taken on one day
TRAFFIC_SCOPE_ALL = (
    "Toutes les visites de la période. Avec un filtre Départements, Catégories ou Type de "
    "fournisseur, seules comptent les visites ayant consulté une page du catalogue filtré."
)
TRAFFIC_SCOPE_FILTERED = (
    "Filtres appliqués à la fréquentation par le catalogue : une visite compte lorsqu'elle a "
    "consulté au moins une page produit ou fournisseur du département, de la catégorie ou du "
    "type de fournisseur choisis (une page catégorie compte pour sa catégorie, mais pour aucun "
    "département ni type de fournisseur). "
    "Toutes les pages de ces visites sont alors comptées. Ces visites ont vu au moins une page "
    "du catalogue : leur taux de rebond n'est pas comparable à celui de l'ensemble des visites."
)
SCOPE_VISITS_SUFFIX = "visites ayant consulté le catalogue filtré"

# --- Metrics --------------------------------------------------------------------------------
METRIC_VISITS = "Visites"
# One name on every page (it fits a half-width card of Vue d'ensemble too).
METRIC_VISITORS = "Visiteurs (somme par jour)"
METRIC_PAGEVIEWS = "Pages vues"
METRIC_PAGES_PER_VISIT = "Pages par visite"
METRIC_BOUNCE_RATE = "Taux de rebond"
METRIC_AVG_DURATION = "Durée moyenne"
METRIC_ACTIVE_SUPPLIERS = "Fournisseurs actifs"
METRIC_ACTIVE_LISTINGS = "Annonces actives"

HELP_VISITS = (
    "Une visite regroupe les pages vues d'un même visiteur jusqu'à 30 minutes d'inactivité. "
    "Robots, ressources statiques et erreurs exclus."
)
HELP_VISITORS = (
    "Somme des visiteurs uniques de chaque jour. L'identifiant de visiteur est renouvelé "
    "chaque jour (aucune adresse IP conservée) : une personne revenue plusieurs jours est "
    "comptée une fois par jour ; ce n'est donc pas un nombre de personnes distinctes."
)
HELP_PAGEVIEWS = "Pages vues par des personnes au cours des visites commencées sur la période."
HELP_PAGES_PER_VISIT = "Pages vues divisées par le nombre de visites."
HELP_BOUNCE_RATE = "Part des visites limitées à une seule page vue."
HELP_AVG_DURATION = "Durée moyenne d'une visite : temps entre la première et la dernière page vue ; une visite d'une seule page compte 0 s."
HELP_ACTIVE_SUPPLIERS = "Fournisseurs inscrits et non retirés le {date}."
HELP_ACTIVE_LISTINGS = (
    "Annonces publiées et non retirées le {date} (une annonce retirée sans date de retrait "
    "n'est pas comptée)."
)

# --- Overview ---------------------------------------------------------------------------------
OVERVIEW_INTRO = (
    "Chiffres clés des deux plateformes sur la période choisie. Les catégories choisies ne "
    "s'appliquent qu'à la plateforme sélectionnée dans les filtres."
)
# The overview's visit chart and trend lines, by grain (overview.trend_grain): a week or a
# month is drawn day by day, a longer period week by week.
OVERVIEW_TREND_TITLE = {
    "day": "Visites par jour — {platform}",
    "week": "Visites par semaine — {platform}",
}
METRIC_NEW_SUPPLIERS = "Nouveaux fournisseurs"
OVERVIEW_COMPARISON_NOTE = (
    "Évolutions par rapport à la période précédente de même durée, du {start} au {end}. "
    "Taux de couverture : écart en points de pourcentage (pt)."
)
HELP_NEW_SUPPLIERS = "Fournisseurs inscrits pendant la période (filtres de département, de catégorie et de type de fournisseur appliqués)."
HELP_SPARKLINE_TREND = {
    "day": (
        "La courbe montre l'évolution jour par jour sur la période, de {low} à {high} : son "
        "axe va du plus bas au plus haut, il ne part pas de zéro."
    ),
    "week": (
        "La courbe montre l'évolution semaine par semaine sur la période, de {low} à {high} : son "
        "axe va du plus bas au plus haut, il ne part pas de zéro."
    ),
}
OVERVIEW_SCALES_NOTE = {
    "day": (
        "Les deux graphiques des visites par jour ont chacun leur échelle : comparez leurs "
        "évolutions, pas la hauteur de leurs barres."
    ),
    "week": (
        "Les deux graphiques des visites par semaine ont chacun leur échelle : comparez leurs "
        "évolutions, pas la hauteur de leurs barres."
    ),
}
HELP_SPARKLINE_FLAT = {
    "day": (
        "Pas de courbe : d'un jour à l'autre la valeur est restée entre {low} et {high}, un écart "
        "trop faible pour être dessiné sans l'exagérer."
    ),
    "week": (
        "Pas de courbe : d'une semaine à l'autre la valeur est restée entre {low} et {high}, un "
        "écart trop faible pour être dessiné sans l'exagérer."
    ),
}
NOT_AVAILABLE = "non disponible"

# --- Scorecard (Vue d'ensemble) ------------------------------------------------------------
SCORECARD_TITLE = "Grille de décision"
SCORECARD_INTRO = (
    "Chaque critère est comparé à sa cible (fixée par les directions dans le fichier des "
    "cibles ; définitions dans la documentation). Ces constats éclairent la décision de "
    "poursuivre la plateforme : ils ne la prennent pas."
)
# On a period shorter than the window a criterion averages over, its name says the window used.
SCORECARD_CRITERIA_SHORT_PERIOD = {
    "weekly_visits": "Visites par semaine (moyenne sur les {days_in_period} jours de la période)",
    "post_lockdown_trend": (
        "Évolution depuis la fin du confinement ({days_in_period} jours de la période)"
    ),
}
SCORECARD_VIEWED_ON_PERIOD = (
    "Annonces actives vues au moins une fois sur la période ({days_in_period} jours : la part "
    "croît avec la durée)"
)
SCORECARD_CRITERIA = {
    "weekly_visits": "Visites par semaine (moyenne des {weeks} dernières semaines)",
    "fresh_suppliers": "Fournisseurs à jour (annonce créée ou modifiée en {days} jours)",
    "viewed_listings": "Annonces actives vues au moins une fois sur la période",
    "coverage_rate": "Taux de couverture département × catégorie",
    "post_lockdown_trend": "Évolution depuis la fin du confinement",
    "conversion_rate": "Visites ayant atteint un fournisseur (taux de conversion)",
}
SCORECARD_SHORT = {
    "weekly_visits": "fréquentation hebdomadaire",
    "fresh_suppliers": "fournisseurs à jour",
    "viewed_listings": "annonces vues",
    "coverage_rate": "couverture",
    "post_lockdown_trend": "tendance depuis le déconfinement",
    "conversion_rate": "conversion",
}
SCORECARD_HELP = {
    "weekly_visits": "Visites des {weeks} dernières semaines de la période, ramenées à une semaine.",
    "fresh_suppliers": (
        "Part des fournisseurs actifs le {end} ayant au moins une annonce active créée ou "
        "modifiée dans les {days} jours précédents. Seule la dernière date de modification est "
        "connue : pour une période passée, une modification plus récente masque les anciennes."
    ),
    "viewed_listings": "Part des annonces actives le {end} dont la fiche a été vue au moins une fois pendant la période.",
    "coverage_rate": "Part des cases département × catégorie comptant au moins {n} fournisseurs actifs le {end}.",
    "post_lockdown_trend": (
        "Visites hebdomadaires des {weeks} dernières semaines de la période comparées aux "
        "{ref_weeks} semaines suivant le {ref_date}. Non évaluable si la période ne dépasse pas "
        "cette fenêtre de référence."
    ),
    "conversion_rate": (
        "Part des visites de la période ayant atteint au moins un objectif : formulaire de "
        "contact envoyé, téléphone, adresse électronique ou site d'un fournisseur ouvert, fiche "
        "fournisseur vue après une recherche (détail sur la page « Sources et parcours »)."
    ),
}
SCORECARD_COLUMNS = {
    "criterion": "Critère",
    "value": "Valeur",
    "target": "Cible",
    "trend": "Évolution vs période précédente",
    "status": "Statut",
}
# The first column of the brief command's scorecard file, which holds both platforms' rows.
SCORECARD_PLATFORM_COLUMN = "Plateforme"
# The scorecard's CSV and XLSX downloads: value and target as numbers (a target is a minimum:
# the "≥" shown on screen goes into the column name), their unit in a column of its own.
SCORECARD_EXPORT_COLUMNS = {
    "criterion": "Critère",
    "value_number": "Valeur",
    "target_number": "Cible (minimum)",
    "unit": "Unité",
    "trend_number": "Évolution vs période précédente",
    "trend_unit": "Unité de l'évolution",
    "status": "Statut",
}
# Keyed by "the criterion is a count" (a relative change) or not (a share: a gap in points).
SCORECARD_TREND_UNITS = {True: "évolution (%)", False: "écart (points de %)"}
SCORECARD_UNITS = {
    "count": "nombre",
    "share": "part (%)",
    "change": "évolution (%)",
}
SCORECARD_STATUS = {
    "met": "atteint",
    "watch": "à surveiller",
    "not_met": "non atteint",
    "not_evaluable": "non évaluable",
}
SCORECARD_PERIOD = "du {start} au {end}"
# The verdict: the strongest finding (below its target first), then the criteria by status.
SCORECARD_VERDICT = "{lead}. {platform}, {period} : {count} — {details}."
SCORECARD_COUNT_NONE = (
    "n'atteint pas le seul critère évalué",
    "n'atteint aucun des {evaluated} critères évalués",
)
SCORECARD_COUNT_ALL = ("atteint le seul critère évalué", "atteint les {evaluated} critères évalués")
SCORECARD_COUNT_SOME = (
    "atteint {met} critère sur {evaluated} évalués",
    "atteint {met} critères sur {evaluated} évalués",
)
SCORECARD_PART_MET = ("atteint : {names}", "atteints : {names}")
SCORECARD_PART_WATCH = ("à surveiller : {names}", "à surveiller : {names}")
SCORECARD_PART_NOT_MET = ("non atteint : {names}", "non atteints : {names}")
SCORECARD_NOT_EVALUABLE_NOTE = "Non évaluable sur cette période : {names}."
SCORECARD_VERDICT_NONE = "{platform}, {period} : aucun critère n'est évaluable."
SCORECARD_NO_DATA = (
    "{platform}, {period} : aucune donnée pour ces filtres (ni visite, ni fournisseur, ni "
    "annonce) ; la grille ne peut pas être évaluée."
)
# The verdict box's heading, by overall status (the worst criterion evaluated).
VERDICT_STATUS = {
    "met": "Tous les critères évalués sont atteints",
    "watch": "Au moins un critère à surveiller",
    "not_met": "Au moins un critère non atteint",
    "not_evaluable": "Grille non évaluable",
}
FINDING = {
    "weekly_visits": "{value} visites par semaine en moyenne sur les {weeks} dernières semaines",
    "fresh_suppliers": (
        "{value} des fournisseurs actifs ont créé ou modifié une annonce dans les {days} jours"
    ),
    "viewed_listings": "{value} des annonces actives ont été vues au moins une fois",
    "coverage_rate": (
        "{value} des cases département × catégorie ont au moins {n} fournisseurs actifs"
    ),
    "conversion_rate": (
        "{value} des visites ont atteint un fournisseur (contact, téléphone, courriel, site, "
        "fiche après une recherche)"
    ),
}
# The findings whose window is clipped to a period shorter than the recent weeks (as
# SCORECARD_CRITERIA_SHORT_PERIOD names the criterion).
FINDING_SHORT_PERIOD = {
    "weekly_visits": (
        "{value} visites par semaine en moyenne sur les {days_in_period} jours de la période"
    ),
}
FINDING_TREND_DOWN = "les visites hebdomadaires ont baissé de {change} depuis le {date}"
FINDING_TREND_UP = "les visites hebdomadaires ont augmenté de {change} depuis le {date}"
FINDING_WITH_TARGET = "{finding} ({status} ; cible {target})"
SCORECARD_CONFIG_ERROR = (
    "Fichier des cibles {file} inutilisable : {detail}. Les chiffres et graphiques restent "
    "affichés ; la grille de décision reviendra quand le fichier sera corrigé."
)
SCORECARD_CONFIG_UNREADABLE = "fichier absent ou illisible"
SCORECARD_CONFIG_SYNTAX_AT = "erreur de syntaxe TOML ligne {line}, colonne {column}"
SCORECARD_CONFIG_SYNTAX = "erreur de syntaxe TOML"
SCORECARD_CONFIG_MISSING = "{key} manquant"
SCORECARD_CONFIG_NUMBER = "{where} doit être un nombre"
SCORECARD_CONFIG_COUNT = "{where} doit être un nombre entier positif"
SCORECARD_CONFIG_DATE = "{where} doit être une date (AAAA-MM-JJ)"
SCORECARD_CONFIG_WATCH = "{where} : le seuil « à surveiller » (watch) dépasse la cible (target)"
SCORECARD_CONFIG_NO_PLATFORM = "aucune cible pour {platform}"
SCORECARD_EXAMPLE_TARGETS = (
    "Cibles d'exemple, livrées avec l'outil : elles restent à fixer par les directions, qui "
    "les inscrivent dans le fichier des cibles avec leur nom et la date."
)
SCORECARD_TARGETS_SET = "Cibles fixées par {set_by}{on}."
SCORECARD_TARGETS_SET_ON = " le {date}"
STALE_PERIOD = (
    "Les données s'arrêtent au {data_end} : la période demandée va jusqu'au {end}, les jours "
    "suivants ne sont pas couverts et les chiffres de la fin de période sont incomplets."
)
MISSING_SOURCE = (
    "{platform} : aucune donnée chargée pour {sources}. Les chiffres qui en dépendent sont vides."
)
SOURCE_NAMES = {
    "logs": "les journaux d'accès",
    "suppliers": "les fournisseurs",
    "listings": "les annonces",
}

# --- Meeting report -----------------------------------------------------------------------
REPORT_HEADER = "Rapport de réunion"
REPORT_INTRO = (
    "Note de synthèse de la vue affichée (verdicts, chiffres clés, grilles de décision et "
    "graphiques, avec les filtres et la date des données), en un seul fichier."
)
# The last brief e-mailed by `python -m app.brief --send` (app/delivery.py last_sending).
REPORT_LAST_SENT = (
    "Dernière note de synthèse envoyée par courriel le {sent_at} (heure de Paris), "
    "à {recipients}, pour la période {period}."
)
REPORT_RECIPIENTS = {1: "{count} destinataire", "other": "{count} destinataires"}
REPORT_NEVER_SENT = "Aucun envoi de la note de synthèse par courriel n'est enregistré."
REPORT_TITLE = "Observatoire des circuits courts — note de synthèse"
REPORT_DATA_DATE = (
    "Données jusqu'au {data_end}, chargées le {loaded} ; rapport produit le {generated}."
)
REPORT_PAGE_TITLE = "{title} — {start} au {end}"  # the HTML file's <title>
REPORT_INTERNAL = "Document interne"
REPORT_FOOTER_DATA = "données jusqu'au {data_end}"
REPORT_PAGE_NUMBER = "Page {page} sur {pages}"  # {page}, {pages}: the printer's counters
REPORT_FILTERS_HEADING = "Filtres appliqués à chaque plateforme :"
REPORT_SCOPE_NOTE = (
    "Les catégories et les types de fournisseur choisis ne portent que sur {platform} ; "
    "pour {others}, seuls la période et les départements s'appliquent."
)
# SCORECARD_INTRO without the file of the targets: the report leaves the team.
REPORT_SCORECARD_INTRO = (
    "Chaque critère est comparé à sa cible, fixée par les directions (définitions dans la "
    "documentation). Ces constats éclairent la décision de poursuivre la plateforme : ils ne "
    "la prennent pas."
)
REPORT_FIGURE = "Chiffre clé"
REPORT_CHANGE = "Évolution"
REPORT_HTML_BUTTON = "Rapport HTML (s'ouvre hors ligne)"
REPORT_PDF_BUTTON = "Rapport PDF"
REPORT_NO_CHROMIUM = (
    "Le rapport PDF n'est pas disponible : Chromium n'est pas installé sur le serveur "
    "(paquet Debian « chromium »). Le rapport HTML peut être imprimé en PDF depuis le navigateur."
)
REPORT_PDF_FAILED = (
    "Le rapport PDF n'a pas pu être produit ({detail}). Le rapport HTML reste disponible."
)

# --- Brief command (python -m app.brief, docs/brief.md) ------------------------------------
# Printed on the operator's terminal or in the scheduler's log; each error is one line on
# stderr after BRIEF_ERROR_PREFIX.
BRIEF_DESCRIPTION = (
    "Produit la note de synthèse de l'Observatoire sans navigateur : note HTML, sa version "
    "PDF et la grille de décision en CSV et XLSX, dans un dossier d'envoi."
)
BRIEF_HELP_PERIOD = (
    "période : last-week (dernière semaine complète, du lundi au dimanche, avant la fin des "
    "données), last-month (dernier mois complet) ou AAAA-MM-JJ:AAAA-MM-JJ"
)
BRIEF_HELP_PLATFORM = (
    "une seule plateforme dans la note (défaut : les deux) ; obligatoire avec --categories"
)
BRIEF_HELP_CATEGORIES = "codes de catégorie de la plateforme, séparés par des virgules"
BRIEF_HELP_DEPARTMENTS = "codes de département, séparés par des virgules (ex. 18,37)"
BRIEF_HELP_DB = "entrepôt publié à lire (défaut : celui du tableau de bord)"
BRIEF_HELP_OUT = "dossier d'envoi où écrire les fichiers (défaut : outbox/)"
BRIEF_ERROR_PREFIX = "ERREUR : "
# Parts of the file names: brief_<platform>_<start>_<end>_donnees-<data end>[_filtres-<hash>]
# (ASCII, as the dashboard's downloads).
BRIEF_FILE_PREFIX = "brief"
BRIEF_FILE_BOTH_PLATFORMS = "deux-plateformes"
BRIEF_FILE_DATA = "donnees"
BRIEF_FILE_FILTERS = "filtres"
BRIEF_WRITTEN = "Fichier écrit : {path}"
BRIEF_BAD_PERIOD = (
    "période « {value} » invalide : attendu last-week, last-month ou deux dates "
    "AAAA-MM-JJ:AAAA-MM-JJ, la première au plus tard le jour de la seconde."
)
BRIEF_PERIOD_OUTSIDE_DATA = (
    "la période du {start} au {end} ne recoupe pas les données de l'entrepôt "
    "(du {data_start} au {data_end})."
)
BRIEF_NO_COMPLETE_PERIOD = (
    "les données de l'entrepôt (du {data_start} au {data_end}) ne couvrent aucune {period} "
    "complète."
)
BRIEF_PERIOD_NAMES = {"last-week": "semaine", "last-month": "période d'un mois"}
BRIEF_CATEGORIES_NEED_PLATFORM = (
    "--categories demande --platform : chaque plateforme a ses propres catégories."
)
BRIEF_UNKNOWN_DEPARTMENTS = (
    "département(s) inconnu(s) de l'entrepôt : {codes}. Codes possibles : {known}."
)
BRIEF_UNKNOWN_CATEGORIES = (
    "catégorie(s) inconnue(s) pour {platform} : {codes}. Codes possibles : {known}."
)
BRIEF_OUT_NOT_A_FOLDER = "--out doit nommer un dossier, pas un fichier : {path}"
BRIEF_NO_WAREHOUSE = (
    "aucun entrepôt de données à l'emplacement « {path} ». Lancez le chargement "
    "(`python -m etl load`, ou `make run` pour les données de démonstration), puis relancez "
    "la note."
)
BRIEF_WAREHOUSE_EMPTY = (
    "l'entrepôt « {path} » ne contient encore aucune donnée chargée. Lancez le chargement "
    "(`python -m etl load`), puis relancez la note."
)
BRIEF_WAREHOUSE_OUTDATED = (
    "l'entrepôt « {path} » a été chargé par une version précédente de l'outil (éléments "
    "manquants : {tables}). Relancez le chargement (`python -m etl load`), puis la note."
)
BRIEF_WAREHOUSE_UNREADABLE = (
    "l'entrepôt « {path} » est illisible ou endommagé. Relancez le chargement "
    "(`python -m etl load`), puis la note."
)
BRIEF_WAREHOUSE_BUSY = (
    "un chargement de l'entrepôt (ou un export Parquet) est toujours en cours après {waited} "
    "d'attente (verrou « {lock} ») : aucune note n'a été produite. Relancez la note une fois "
    "le chargement terminé."
)
BRIEF_LOCK_UNAVAILABLE = (
    "le verrou de l'entrepôt « {lock} » ne peut être ouvert ({detail}) : lancez la note sous "
    "le compte qui fait le chargement."
)
BRIEF_NO_CHROMIUM = (
    "note PDF non produite : Chromium n'est pas installé (paquet Debian « chromium », ou "
    "variable OBSERVATOIRE_CHROMIUM). La note HTML et la grille CSV et XLSX sont écrites dans "
    "« {out} »."
)
BRIEF_PDF_FAILED = (
    "note PDF non produite : Chromium n'a pas pu l'imprimer ({detail}). La note HTML et la "
    "grille CSV et XLSX sont écrites dans « {out} »."
)
BRIEF_WRITE_FAILED = "écriture impossible dans « {out} » ({detail})."
BRIEF_OUT_OF_MEMORY = (
    "le calcul des chiffres demande plus de mémoire que permis (réglage "
    "OBSERVATOIRE_APP_MEMORY_LIMIT_MB) : choisissez une période plus courte."
)
BRIEF_INTERNAL_ERROR = (
    "erreur inattendue ({detail}) : la note n'a pas été produite en entier. Signalez-la à l'équipe."
)

BRIEF_HELP_SEND = (
    "envoie la note par courriel aux destinataires configurés (réglages OBSERVATOIRE_SMTP_*, "
    "docs/brief.md) ; sans cette option, rien n'est envoyé"
)
BRIEF_HELP_FORCE = (
    "avec --send : envoie même si la même note a déjà été envoyée à partir des mêmes données"
)
BRIEF_SEND_NOT_CONFIGURED = (
    "--send demande un serveur d'envoi : réglez OBSERVATOIRE_SMTP_HOST (ou un fichier nommé "
    "par OBSERVATOIRE_SMTP_FILE) ; voir docs/brief.md."
)
BRIEF_UNCHANGED = (
    "Note déjà envoyée le {sent_at} (heure de Paris) à partir des mêmes données : rien n'est "
    "envoyé "
    "(--force pour l'envoyer de nouveau)."
)
BRIEF_SENT = "Note envoyée à {recipients} par {server}."
BRIEF_SEND_FAILED = (
    "envoi impossible : {detail} Les fichiers restent dans « {out} » ; la prochaine exécution "
    "réessaiera."
)
BRIEF_NOT_SENT = " Rien n'a été envoyé : la note n'est envoyée que complète, PDF compris."
BRIEF_STATE_NOT_WRITTEN = (
    "note envoyée, mais l'état des envois « {path} » n'a pas pu être écrit ({detail}) : la "
    "prochaine exécution l'enverra de nouveau."
)
# The SMTP settings (app/delivery.py): {name} is the end of an OBSERVATOIRE_SMTP_ variable.
SMTP_MISSING = "réglage manquant : OBSERVATOIRE_SMTP_{name}."
SMTP_BAD_VALUE = "réglage invalide : OBSERVATOIRE_SMTP_{name} doit être un texte."
SMTP_BAD_PORT = (
    "réglage invalide : OBSERVATOIRE_SMTP_PORT=« {value} » (nombre entier de 1 à 65 535 attendu)."
)
SMTP_BAD_SECURITY = "réglage invalide : OBSERVATOIRE_SMTP_SECURITY=« {value} » (attendu : {modes})."
SMTP_BAD_ADDRESS = "adresse invalide dans OBSERVATOIRE_SMTP_{name} : « {value} »."
SMTP_USER_WITHOUT_PASSWORD = (
    "OBSERVATOIRE_SMTP_USER et OBSERVATOIRE_SMTP_PASSWORD vont ensemble : réglez les deux ou aucun."
)
SMTP_CREDENTIALS_IN_CLEAR = (
    "identifiants refusés avec OBSERVATOIRE_SMTP_SECURITY=none : le mot de passe circulerait "
    "en clair (choisissez starttls ou tls)."
)
SMTP_FILE_MISSING = "fichier des réglages d'envoi « {path} » introuvable (OBSERVATOIRE_SMTP_FILE)."
SMTP_FILE_UNREADABLE = "fichier des réglages d'envoi « {path} » illisible ({detail})."
SMTP_FILE_OPEN_TO_ALL = (
    "fichier des réglages d'envoi « {path} » lisible ou modifiable par tous (droits {mode}) : "
    "il peut contenir un mot de passe. Restreignez-le (chmod 600), puis relancez."
)
SMTP_FILE_UNKNOWN_KEYS = (
    "fichier des réglages d'envoi « {path} » : clé(s) inconnue(s) {keys} (clés possibles : "
    "{known})."
)
# Why a message was not sent: the end of BRIEF_SEND_FAILED's sentence.
SMTP_CONNECT_FAILED = "connexion au serveur {server} impossible ({detail})."
SMTP_TIMEOUT = "le serveur {server} n'a pas répondu en {seconds} s."
SMTP_DISCONNECTED = "le serveur {server} a coupé la connexion."
SMTP_TLS_FAILED = "échec de la connexion chiffrée avec {server} ({detail})."
SMTP_NOT_SUPPORTED = (
    "le serveur {server} ne propose pas ce que les réglages demandent (STARTTLS ou "
    "authentification)."
)
SMTP_AUTH_REFUSED = "identifiants refusés par le serveur {server} (code {code})."
SMTP_SENDER_REFUSED = "expéditeur refusé par le serveur {server} (code {code})."
SMTP_RECIPIENTS_REFUSED = "destinataires refusés par le serveur {server} : {refused}."
SMTP_REFUSED = "message refusé par le serveur {server} (code {code})."
SMTP_PARTLY_REFUSED = (
    "note envoyée à {accepted} des {total} destinataires ; refusés : {refused}. L'envoi est "
    "enregistré : corrigez les adresses, puis --force pour renvoyer à tous."
)
# The e-mail (app/delivery.py): subject and plain-text body.
MAIL_SUBJECT = "{title} {period} — {platforms}"
MAIL_PLATFORMS_JOIN = " et "
MAIL_GREETING = "Bonjour,"
MAIL_INTRO = (
    "Voici la note de synthèse de l'Observatoire des circuits courts {period} (données "
    "jusqu'au {data_end})."
)
MAIL_NOTICE_PREFIX = "À noter : "
MAIL_VERDICT = "Verdict : {verdict}"
MAIL_HEADLINE = "- {label} : {value} · {change}"
MAIL_ATTACHMENTS = (
    "En pièces jointes : la note complète en PDF et la grille de décision en CSV (pour Excel)."
)
MAIL_SIGNATURE = (
    "Message envoyé automatiquement par l'Observatoire des circuits courts. Document interne."
)

# --- Traffic ------------------------------------------------------------------------------------
GRAIN_LABEL = "Pas de temps"
GRAINS = {"day": "Jour", "week": "Semaine", "month": "Mois"}
TRAFFIC_TITLE = {
    "day": "Visites par jour",
    "week": "Visites par semaine",
    "month": "Visites par mois",
}
X_DAY = "Jour"
X_WEEK = "Semaine (début le lundi)"
X_MONTH = "Mois"
Y_VISITS = "Visites (nombre)"
PARTIAL_PERIOD = "Période incomplète"
NEW_ADDRESS = "Nouvelle adresse du site : {host}"
PARTIAL_NOTE = (
    "Les barres claires couvrent une semaine ou un mois incomplet dans la période choisie."
)
CHANNELS_TITLE = "Visites par canal d'arrivée"
DEVICES_TITLE = "Visites par type d'appareil"
X_CHANNEL = "Canal d'arrivée"
X_DEVICE = "Type d'appareil"
BROWSERS_TITLE = "Visites par navigateur"
OS_TITLE = "Visites par système d'exploitation"
COL_BROWSER = "Navigateur"
COL_OS = "Système d'exploitation"
SOFTWARE_NOTE = (
    "Appareil, navigateur et système reconnus comme le fait Matomo (Device Detector) ; "
    "« Inconnu » : l'agent utilisateur ne permet pas de les identifier."
)
NO_VISITS = "Aucune visite pour ces filtres sur cette période."
# Keyed by "a catalogue filter (departments, categories, kinds) applies".
NO_VISITS_FOR_FILTERS = {
    False: (
        "Aucune visite du {start} au {end} sur cette plateforme : les graphiques et tableaux "
        "de cette page seraient vides. Choisissez une autre période."
    ),
    True: (
        "Aucune visite du {start} au {end} n'a consulté le catalogue filtré (départements, "
        "catégories ou type de fournisseur choisis) : les graphiques et tableaux de cette page "
        "seraient vides. Élargissez la période ou retirez un filtre."
    ),
}

# Sources et parcours: referrers, campaigns, every page type, exit pages.
JOURNEYS_INTRO = (
    "D'où viennent les visites (sites, articles et publications qui les envoient, campagnes "
    "de la région) et où elles s'arrêtent."
)
METRIC_VISITS_FROM_SITES = "Visites venues d'un autre site"
HELP_VISITS_FROM_SITES = (
    "Visites dont la première page vient d'un lien sur un autre site : moteurs de recherche, "
    "réseaux sociaux, sites institutionnels, presse, autres sites."
)
METRIC_VISITS_FROM_CAMPAIGNS = "Visites de campagne"
HELP_VISITS_FROM_CAMPAIGNS = (
    "Visites arrivées par un lien de campagne (paramètres utm_ ou mtm_ de l'adresse)."
)
SOURCES_HEADER = "Sites et pages qui envoient des visites"
REFERRER_HOSTS_TITLE = "Sites d'origine"
REFERRER_URLS_TITLE = "Pages d'origine"
REFERRERS_NOTE = (
    "Site d'origine : celui de la page d'où vient la première page vue de la visite, rangé "
    "dans son canal. Page d'origine : son adresse sans paramètres (les mots cherchés sur un "
    "moteur ne sont pas conservés). Accès direct et campagnes sans site d'origine ne figurent "
    "pas ici."
)
NO_REFERRERS = "Aucune visite venue d'un autre site sur cette période."
COL_REFERRER_HOST = "Site d'origine"
COL_REFERRER_URL = "Page d'origine"
COL_CHANNEL = "Canal"
CAMPAIGNS_HEADER = "Campagnes"
CAMPAIGNS_TITLE = "Visites par campagne"
CAMPAIGNS_NOTE = (
    "Visites arrivées par un lien de campagne : paramètres utm_campaign, utm_source et "
    "utm_medium (ou mtm_/pk_ de Matomo) de l'adresse de la première page, en minuscules. "
    "Une visite de campagne est comptée dans le canal « Campagnes », comme dans Matomo."
)
NO_CAMPAIGNS = (
    "Aucune visite arrivée par un lien de campagne (utm_campaign, utm_source) sur cette période."
)
COL_CAMPAIGN = "Campagne"
COL_CAMPAIGN_SOURCE = "Source"
COL_CAMPAIGN_MEDIUM = "Support"
COL_PAGES_PER_VISIT = "Pages par visite"
NOT_SET = "(non renseigné)"
PAGE_TYPES_HEADER = "Toutes les pages, par type"
PAGE_TYPES_TITLE = "Pages vues par type de page"
PAGE_TYPES_NOTE = (
    "Toutes les pages vues des visites de la période, par type. Visites : visites ayant vu au "
    "moins une page de ce type. Taux de sortie : part de ces visites qui se sont arrêtées sur "
    "une page de ce type."
)
COL_PAGEVIEWS_SHARE = "Part des pages vues"
COL_ENTRIES = "Entrées"
COL_EXITS = "Sorties"
COL_EXIT_RATE = "Taux de sortie"
EXIT_PAGES_TITLE = "Pages de sortie les plus fréquentes"
EXIT_PAGES_NOTE = (
    "Dernière page vue de chaque visite. Taux de sortie : visites terminées sur cette page, "
    "sur les visites qui l'ont vue (règle de Matomo)."
)
COL_EXIT_PAGE = "Page de sortie"
METRIC_CONVERSION_RATE = "Taux de conversion"
HELP_CONVERSION_RATE = (
    "Visites ayant atteint au moins un objectif (contact envoyé, téléphone, courriel ou site "
    "d'un fournisseur ouvert, fiche vue après une recherche), sur toutes les visites."
)
GOALS_HEADER = "Objectifs : les visites qui atteignent un fournisseur"
GOALS_TITLE = "Visites ayant atteint chaque objectif"
GOALS_NOTE = (
    "Un objectif compte une fois par visite. Taux de conversion : visites ayant atteint "
    "l'objectif, sur toutes les visites de la période. Objectifs définis par l'équipe de "
    "l'observatoire : formulaire de contact envoyé, téléphone, adresse électronique ou site "
    "d'un fournisseur ouverts, fiche vue après une recherche."
)
GOAL_ANY = "Au moins un objectif"
NO_GOALS = "Aucun objectif n'est défini pour cette plateforme (voir la documentation)."
COL_GOAL = "Objectif"
COL_CONVERTED_VISITS = "Visites converties"
COL_CONVERSION_RATE = "Taux de conversion"
GOALS_BY_CHANNEL_TITLE = "Conversion par canal d'arrivée"
GOALS_BY_DEPARTMENT_TITLE = "Conversion par département des pages vues"
GOALS_BY_CATEGORY_TITLE = "Conversion par catégorie des pages vues"
GOALS_BREAKDOWN_NOTE = (
    "Visites converties : visites ayant atteint au moins un objectif. Par département ou "
    "catégorie : visites ayant vu une page de ce département ou de cette catégorie, selon la "
    "règle des filtres (une fiche produit compte pour sa catégorie et le département de son "
    "fournisseur, une page fournisseur pour son département et les catégories de ses produits, "
    "une page catégorie pour sa catégorie) : ce sont les visites que la page compte avec ce "
    "département ou cette catégorie choisis dans les filtres. Une visite qui en a vu plusieurs "
    "compte dans chacun."
)

# Weekday x hour, entry pages, most viewed pages, searches.
WEEKDAY_HOUR_TITLE = "Visites par jour de la semaine et heure d'arrivée"
X_HOUR = "Heure d'arrivée (heure de Paris)"
Y_WEEKDAY = "Jour de la semaine"
WEEKDAY_HOUR_HOVER = "{day}, de {start} à {end}<br>{label} : {value}"
WEEKDAY_HOUR_HOVER_AVERAGE = "<br>soit {value} par {weekday} en moyenne"
WEEKDAY_HOUR_NOTE = "Visites comptées à l'heure de leur première page vue, heure de Paris."

ENTRY_PAGES_TITLE = "Pages d'entrée les plus fréquentes"
ENTRY_PAGES_NOTE = "Première page vue de chaque visite. Rebond : visite limitée à cette page."
PAGE_TYPES = {
    "accueil": "Page d'accueil",
    "categorie": "Catégorie",
    "produit": "Produit",
    "fournisseur": "Fournisseur",
    "recherche": "Recherche",
    "carte": "Carte",
    "contact": "Contact",
    "information": "Informations",
    "autre": "Autre page",
}
# Page types named after the platform's own words.
PAGE_TYPES_BY_PLATFORM = {
    "produits-frais": {"produit": "Produit", "fournisseur": "Producteur"},
    "equipements-protection": {"produit": "Offre", "fournisseur": "Entreprise"},
}
UNKNOWN_ENTITY = "identifiant inconnu du catalogue : {id}"
COL_ENTRY_PAGE = "Page d'entrée"
COL_PAGE_TYPE = "Type de page"
COL_VISITS = "Visites"
COL_SHARE_VISITS = "Part des visites"
COL_BOUNCE_RATE = "Taux de rebond"

TOP_PAGES_HEADER = "Pages les plus vues"
TOP_CATEGORIES_TITLE = "Pages vues par catégorie"
SERIES_CATEGORY_PAGES = "Pages catégorie"
SERIES_PRODUCT_PAGES = {"produits-frais": "Pages produit", "equipements-protection": "Pages offre"}
X_PAGEVIEWS = "Pages vues (nombre)"
TOP_PRODUCTS_TITLE = {
    "produits-frais": "Produits les plus vus",
    "equipements-protection": "Offres les plus vues",
}
TOP_SUPPLIERS_TITLE = {
    "produits-frais": "Producteurs les plus vus (page du producteur)",
    "equipements-protection": "Entreprises les plus vues (page de l'entreprise)",
}
TOP_NOTE = "Les {n} premiers, noms tirés du catalogue ; filtres Départements, Catégories et Type de fournisseur appliqués aux produits et aux fournisseurs."
CATEGORY_PAGES_NO_DEPARTMENT = (
    "Avec un filtre Départements ou Type de fournisseur, seules les pages produit sont "
    "comptées : une page catégorie n'appartient à aucun département ni à aucun fournisseur."
)
COL_PRODUCT = {"produits-frais": "Produit", "equipements-protection": "Offre"}
COL_SUPPLIER = {"produits-frais": "Producteur", "equipements-protection": "Entreprise"}
COL_PAGEVIEWS = "Pages vues"
COL_STATUS = "État actuel"
ACTIVE = "active"
WITHDRAWN = "retirée"

SEARCHES_HEADER = "Recherches sur le site"
METRIC_SEARCHES = "Recherches"
METRIC_SEARCHES_NO_RESULT = "Recherches sans résultat"
HELP_SEARCHES = "Recherches faites avec le moteur du site au cours des visites retenues."
HELP_SEARCHES_NO_RESULT = (
    "Recherches auxquelles aucune annonce active le jour de la recherche ne répondait : "
    "la demande non satisfaite."
)
METRIC_DISTINCT_SEARCHES = "Recherches différentes"
TOP_SEARCHES_TITLE = "Recherches les plus fréquentes"
UNMET_SEARCHES_TITLE = "Recherches sans résultat (demande non satisfaite)"
NO_UNMET_SEARCHES = "Toutes les recherches de la période ont trouvé au moins une annonce."
NO_SEARCHES = "Aucune recherche sur le site pour ces filtres."
SEARCH_RESULTS_NOTE = (
    "Recherches écrites comme normalisées par le site (minuscules, sans accents). « Annonces » : "
    "annonces actives le {date} qui répondent à la recherche ; lignes surlignées : aucune "
    "annonce ne lui répond encore."
)
SEARCH_RULE_NOTE = (
    "Une recherche trouve une annonce lorsque chacun de ses mots figure dans le titre, la "
    "catégorie ou la norme de l'annonce (minuscules, sans accents ni ponctuation, pluriels "
    "simples ramenés au singulier, petits mots « de », « la », « à »… ignorés). Elle est "
    "« sans résultat » si aucune annonce active ce jour-là ne lui répond."
)
COL_SEARCH = "Recherche"
COL_SEARCHES = "Recherches"
COL_SEARCHES_NO_RESULT = "Sans résultat"
COL_SHARE_NO_RESULT = "% sans résultat"
COL_RESULTS_ON_END = "Annonces"

# --- Suppliers and listings -------------------------------------------------------------------
SUPPLIERS_OVER_TIME_TITLE = "Fournisseurs et annonces actifs, jour par jour"
SERIES_SUPPLIERS = "Fournisseurs actifs"
SERIES_LISTINGS = "Annonces actives"
Y_COUNT = "Nombre"
Y_SUPPLIERS = "Fournisseurs (nombre)"
HISTOGRAM_TITLE = "Nombre d'annonces actives par fournisseur"
HISTOGRAM_TICK = ("{n} annonce active", "{n} annonces actives")  # (0 or 1, more)
X_LISTINGS_PER_SUPPLIER = "Annonces actives du fournisseur (nombre)"
METRIC_TOP10_SHARE = "Part des 10 % premiers"
HELP_TOP10_SHARE = (
    "Parmi les fournisseurs ayant au moins une annonce active le {date} ({n} fournisseurs) : "
    "part des annonces actives détenue par les 10 % d'entre eux (arrondi au supérieur, soit "
    "{top}) qui en ont le plus."
)
METRIC_SINGLE_LISTING = "Une seule annonce active"
HELP_SINGLE_LISTING = "Nombre de fournisseurs actifs dont une seule annonce est active le {date}."
COL_NAME = "Nom"
COL_DEPARTMENT = "Département"
COL_KIND = "Type"
COL_ACTIVE_LISTINGS = "Annonces actives"
COL_JOINED_ON = "Inscription"
COL_COMMUNE = "Commune"
OUT_OF_REGION = "hors région"
# A chart's text alternative, read by screen readers (app/charts/describe.py).
CHART_ALT_TITLE = "Graphique : {title}."
CHART_ALT_UNTITLED = "sans titre"
CHART_ALT_SERIES = "Série"
CHART_ALT_SERIES_SUMMARY = "{name} : {n} valeurs ; la plus haute : {high} ; la plus basse : {low}."
CHART_ALT_FLAT = "{name} : {n} valeurs, toutes égales ({point})."
CHART_ALT_EMPTY = "Aucune valeur à représenter."
BEFORE_DATA = "Avant le début<br>des données<br>({date})"
QUALITY_FILTERS_NOTE = (
    "Filtres appliqués : la plateforme partout ; la période aux requêtes (chiffres du haut et "
    "requêtes exclues). Le chargement, les lignes en quarantaine et les contrôles portent sur "
    "tous les fichiers de la plateforme, sans filtre de période, de département, de catégorie "
    "ni de type de fournisseur."
)
UNKNOWN_PLACE = "non renseigné"
COL_PLACE = "Commune (département)"

# Audience table, churn.
METRIC_UNSEEN_SUPPLIERS = {
    "produits-frais": "Sans aucune page vue",
    "equipements-protection": "Sans aucune page vue",
}
HELP_UNSEEN_SUPPLIERS = (
    "Producteurs sans aucune page vue sur la période : fournisseurs actifs le {date} dont ni "
    "la page ni aucune page produit n'a été vue du {start} au {end}."
)
SUPPLIER_AUDIENCE_TITLE = {
    "produits-frais": "Producteurs et commerçants actifs le {date} et leur audience",
    "equipements-protection": "Entreprises actives le {date} et leur audience",
}
SUPPLIER_SEARCH_LABEL = "Rechercher un nom ou une commune"
SUPPLIER_SEARCH_PLACEHOLDER = "par exemple : ferme, Tours, chêne"
SUPPLIER_SEARCH_HELP = "Recherche sans tenir compte des majuscules ni des accents ; les caractères % et _ sont cherchés tels quels."
SUPPLIER_SORT_LABEL = "Trier par"
SUPPLIER_SORTS = {
    "views_asc": "Pages vues, les moins vus d'abord",
    "views_desc": "Pages vues, les plus vus d'abord",
    "listings_desc": "Annonces actives, les plus fournis d'abord",
    "name": "Nom (A → Z)",
}
SUPPLIER_TABLE_COUNT = "{shown} fournisseurs affichés sur {total} ; {unseen} sans aucune page vue sur la période (lignes surlignées)."
NO_SUPPLIERS_FOR_FILTERS = (
    "Aucun fournisseur actif du {start} au {end} pour ces filtres (départements, catégories, "
    "type de fournisseur), ni arrivée ni départ : les graphiques et tableaux de cette page "
    "seraient vides. Élargissez la période ou retirez un filtre."
)
SUPPLIER_TABLE_NO_MATCH = "Aucun fournisseur actif ne correspond à la recherche « {search} »."
SUPPLIER_TABLE_EMPTY = "Aucun fournisseur actif le {date} pour ces filtres."
COL_PAGEVIEWS_TOTAL = "Pages vues"
COL_SUPPLIER_PAGE = "dont fournisseur"
COL_PRODUCT_PAGES = "dont produits"
SUPPLIER_VIEWS_NOTE = (
    "Pages vues du {start} au {end} : la page du fournisseur (« dont fournisseur ») et les "
    "pages de tous ses produits, même retirés (« dont produits »). Un fournisseur inscrit "
    "récemment a eu moins de temps pour être vu. Cliquer sur un en-tête de colonne trie le "
    "tableau."
)

CHURN_HEADER = "Arrivées et départs par mois"
CHURN_SUPPLIERS_TITLE = "Fournisseurs inscrits et retirés par mois"
CHURN_LISTINGS_TITLE = "Annonces publiées et retirées par mois"
SERIES_JOINED = "Inscrits"
SERIES_LEFT = "Retirés"
SERIES_CREATED = "Publiées"
SERIES_WITHDRAWN = "Retirées"
BALANCE = "Solde"
Y_SUPPLIERS_MONTH = "Fournisseurs (nombre)"
Y_LISTINGS_MONTH = "Annonces (nombre)"
CHURN_NOTE = (
    "Historique reconstitué à partir des dates des exports : inscription et retrait des "
    "fournisseurs, création et retrait des annonces. Les barres claires couvrent un mois "
    "incomplet dans la période."
)
CHURN_UNDATED = (
    " {n} annonce(s) retirée(s) sans date de retrait ne peuvent pas être placées dans un mois."
)
SNAPSHOTS_NOTE = (
    "Les exports d'annonces comprennent {n} instantanés datés ({dates}) : chaque instantané "
    "fige l'état du catalogue à sa date et permet de vérifier l'historique reconstitué."
)
SNAPSHOTS_SINGLE = (
    "Un seul état des exports d'annonces est disponible : l'historique repose uniquement sur "
    "les dates qu'ils contiennent."
)
SNAPSHOTS_TITLE = "Instantanés des exports d'annonces"
COL_SNAPSHOT_DATE = "Date de l'instantané"
COL_LISTINGS_IN_SNAPSHOT = "Annonces dans l'export"
COL_ACTIVE_IN_SNAPSHOT = "dont actives"

# --- Coverage ------------------------------------------------------------------------------------
COVERAGE_MIN_LABEL = "Seuil de couverture (fournisseurs par case)"
COVERAGE_MIN_HELP = (
    "Une case département × catégorie est couverte si au moins ce nombre de fournisseurs y "
    "ont une annonce active."
)
METRIC_COVERAGE_RATE = "Taux de couverture"
HELP_COVERAGE_RATE = "Part des cases département × catégorie ayant au moins {n} fournisseurs."
METRIC_GAPS = "Cases sous le seuil"
GAPS_TITLE = "Cases sous le seuil de {n} fournisseurs"
GAPS_VALUE = "{n} sur {total}"
NO_GAPS = "Aucune case sous le seuil : toutes les combinaisons sont couvertes."
COL_CATEGORY = "Catégorie"
COL_SUPPLIERS = "Fournisseurs"
X_CATEGORY = "Catégorie"
Y_DEPARTMENT = "Département"
COVERAGE_NOTE = (
    "Fournisseurs actifs ayant au moins une annonce active dans la catégorie le {date} ; "
    "un fournisseur présent dans plusieurs catégories est compté dans chacune. Les cases "
    "entourées de pointillés gris foncé sont sous le seuil."
)

# Measures, map, demand.
COVERAGE_MEASURE_LABEL = "Mesure"
COVERAGE_MEASURES = {"suppliers": "Fournisseurs", "listings": "Annonces"}
COVERAGE_SCALE_LABEL = "Valeurs"
COVERAGE_SCALES = {"count": "Nombre", "per_100k": "Pour 100 000 habitants"}
COVERAGE_GRID_TITLE = {
    ("suppliers", "count"): "Fournisseurs par département et par catégorie",
    (
        "suppliers",
        "per_100k",
    ): "Fournisseurs pour 100 000 habitants, par département et par catégorie",
    ("listings", "count"): "Annonces actives par département et par catégorie",
    (
        "listings",
        "per_100k",
    ): "Annonces actives pour 100 000 habitants, par département et par catégorie",
}
COLORBAR_COVERAGE = {
    ("suppliers", "count"): "Fournisseurs",
    ("suppliers", "per_100k"): "Fournisseurs<br>pour 100 000 hab.",
    ("listings", "count"): "Annonces",
    ("listings", "per_100k"): "Annonces<br>pour 100 000 hab.",
}
POPULATION_NOTE = "Population municipale INSEE des départements."
MAP_TITLE = "Fournisseurs actifs pour 100 000 habitants et implantation par commune"
MAP_VALUE = "Fournisseurs pour 100 000 habitants"
MAP_COLORBAR = "Fournisseurs<br>pour<br>100 000 hab."
MAP_POINTS = "Fournisseurs dans la commune"
MAP_NOTE = (
    "Couleur : fournisseurs actifs le {date} pour 100 000 habitants du département. Points : "
    "communes des fournisseurs, la surface étant proportionnelle à leur nombre (survoler pour "
    "les noms)."
)
MAP_MORE_NAMES = ("… et {n} autre", "… et {n} autres")  # (one, more) after the names listed
MAP_UNPLACED = (
    " {n} fournisseur(s) actif(s) le {date} situé(s) hors de la région ne figure(nt) pas sur la "
    "carte (la page Qualité des données les compte tous, retirés compris)."
)
DEPARTMENT_TABLE_TITLE = "Fournisseurs par département"
COL_POPULATION = "Population"
COL_PER_100K_SHORT = "Pour 100 000 hab."
METRIC_SUPPLIERS_IN_REGION = "Fournisseurs actifs dans la région"
HELP_SUPPLIERS_IN_REGION = (
    "Fournisseurs inscrits et non retirés le {date} situés dans l'un des six départements "
    "(avec un filtre Catégories : ceux qui y ont une annonce active)."
)
METRIC_SUPPLIERS_PER_100K = "Fournisseurs / 100 000 hab."
HELP_SUPPLIERS_PER_100K = (
    "Fournisseurs actifs dans la région pour 100 000 habitants des départements retenus "
    "(population municipale INSEE)."
)
COL_LISTINGS = "Annonces actives"

DEMAND_HEADER = "Demande et offre par catégorie"
DEMAND_TITLE = "Pages vues par annonce active, par catégorie"
X_PAGEVIEWS_PER_LISTING = "Pages vues par annonce active (moyenne sur la période)"
DEMAND_NOTE = (
    "Demande : pages vues de la page catégorie et des pages produit de la catégorie, et "
    "recherches du site trouvant au moins une annonce de la catégorie active ce jour-là (une "
    "recherche peut compter pour plusieurs catégories). Offre : annonces actives, en moyenne "
    "sur les jours de la période. Un rapport élevé signale une catégorie très consultée pour "
    "peu d'annonces."
)
DEMAND_DEPARTMENT_NOTE = (
    " Avec un filtre Départements ou Type de fournisseur, seules les pages produit des "
    "annonces de ces fournisseurs sont comptées : pages catégorie et recherches ne sont "
    "rattachées à aucun département ni à aucun fournisseur."
)
COL_CATEGORY_PAGES = "Pages catégorie"
COL_PRODUCT_PAGES_CAT = "Pages produit"
COL_SEARCHES_CAT = "Recherches"
COL_ACTIVE_ON_END = "Actives le {date}"
COL_AVG_ACTIVE = "Actives (moyenne)"
COL_PAGEVIEWS_PER_LISTING = "Pages vues par annonce"

# --- Protective equipment --------------------------------------------------------------------------
EQUIPMENT_ONLY_NOTE = (
    "Cette page porte toujours sur la plateforme Équipements de protection, quelle que soit "
    "la plateforme choisie dans les filtres."
)
OFFERS_BY_MONTH_TITLE = "Offres publiées par mois et par catégorie"
COMPANIES_CUMULATIVE_TITLE = "Entreprises proposant chaque catégorie (cumul en fin de mois)"
Y_OFFERS = "Offres publiées (nombre)"
Y_COMPANIES = "Entreprises (nombre)"
STANDARD_TITLE = "Part des offres actives indiquant une norme"
STANDARD_SHARE_TEXT = "{share} ({n} sur {total})"
NO_ACTIVE_OFFER = "aucune offre active"
Y_STANDARD_SHARE = "Offres avec norme (%)"
CAPACITY_TITLE = "Capacité de production hebdomadaire déclarée"
Y_CAPACITY = "Capacité (unités de la catégorie par semaine)"
METRIC_STANDARD_SHARE = "Offres avec norme"
HELP_STANDARD_SHARE = (
    "Part des offres actives le {date} dont la norme (AFNOR, EN …) est renseignée."
)
METRIC_ACTIVE_COMPANIES = "Entreprises actives"
METRIC_ACTIVE_OFFERS = "Offres actives"
METRIC_CAPACITY_DECLARED = "Offres avec capacité déclarée"
HELP_CAPACITY_DECLARED = (
    "{known} offres actives sur {total} le {date} déclarent une capacité de production "
    "hebdomadaire. Les capacités se lisent par catégorie : un masque, une paroi et une caméra "
    "ne s'additionnent pas."
)
UNCLASSIFIED_OFFERS_NOTE = (
    "Catégorie non reconnue dans l'export : {items} ({n} offre(s) active(s) le {date}, comptées "
    "dans les totaux, absentes des graphiques par catégorie) ; voir la page Qualité des données."
)
UNCLASSIFIED_PAGEVIEWS_NOTE = (
    "{n} pages vues d'annonces dans une catégorie non reconnue ({items}) : hors graphique ; "
    "voir la page Qualité des données."
)
NO_CAPACITY_DECLARED = "Aucune offre active ne déclare de capacité pour ces filtres."
CAPACITY_CATEGORY_CHOICE = "Catégorie pour la capacité par département"
CAPACITY_CATEGORY_HELP = (
    "Une catégorie à la fois : les capacités de catégories différentes ne s'additionnent pas."
)
LEGEND_CATEGORY = "Catégorie"

# Later categories, capacity by department, converted companies.
LATER_CATEGORIES_NOTE = "Catégories ouvertes après le lancement : {items}."
LATER_CATEGORY_ITEM = "{category} (première offre le {date})"
CAPACITY_DEPARTMENT_TITLE = "Capacité hebdomadaire déclarée par département : {category}"
Y_DEPARTMENT_SHORT = "Département"
CONVERSION_HEADER = "Entreprises reconverties et fournisseurs habituels"
CONVERSION_TITLE = "Part des entreprises reconverties, par catégorie"
X_CONVERTED_SHARE = "Part venant d'entreprises reconverties (%)"
SERIES_OFFERS_SHARE = "Offres actives"
SERIES_CAPACITY_SHARE = "Capacité hebdomadaire"
METRIC_CONVERTED_OFFERS = "Offres d'entreprises reconverties"
HELP_CONVERTED = (
    "Entreprises classées d'après leur code NAF (activité principale) : « Reconversion » "
    "(textile, plasturgie, imprimerie, mobilier, autres industries et commerces…) ou "
    "« Fournisseur habituel » (matériel médical, pharmacie, fournitures d'EPI, sécurité). "
    "Classement tenu par l'équipe de l'observatoire. Part calculée sur les offres actives "
    "le {date} dont l'entreprise est classée."
)
CONVERSION_NOTE = (
    "Classement par code NAF de l'entreprise : « Reconversion » "
    "pour les entreprises dont le métier habituel n'est pas le matériel médical ou de "
    "protection, « Fournisseur habituel » sinon. Offres et capacités actives le {date}."
)
CONVERSION_UNCLASSIFIED = " {n} offre(s) d'entreprises sans code NAF reconnu ne sont pas classées."
SECTORS_TITLE = "Entreprises actives par secteur d'activité (code NAF)"
COL_SECTOR = "Secteur d'activité"
COL_SECTOR_GROUP = "Groupe"
COL_NAF_CODES = "Codes NAF"
COL_COMPANIES = "Entreprises"
COL_OFFERS = "Offres actives"
SECTOR_GROUP_UNKNOWN = "Non classé"
SECTOR_UNCLASSIFIED = "Code NAF absent ou non classé"

# --- Data quality ----------------------------------------------------------------------------------
LOAD_SUMMARY_TITLE = "Bilan du chargement"
LOAD_SUMMARY_NOTE = (
    "Toutes les lignes lues sont soit chargées, soit mises en quarantaine avec leur motif."
)
LOAD_SUMMARY_COLUMNS = {
    "platform": "Plateforme",
    "source": "Source",
    "files": "Fichiers",
    "lines_read": "Lignes lues",
    "rows_loaded": "Lignes chargées",
    "rows_rejected": "Lignes en quarantaine",
    "rows_expired": "Lignes expirées (rétention)",
    "rows_out_of_scope": "Lignes hors région",
}
SOURCES = {
    "logs": "Journaux d'accès",
    "suppliers": "Fournisseurs",
    "listings": "Annonces",
    # The shared canteen files (etl/canteens.py: rejected_rows.source, load_files.source).
    "canteens": "Registre des cantines",
    "canteen_declarations": "Télédéclarations des cantines",
    "food_projects": "Projets alimentaires territoriaux",
    "canteen_files": "Fichiers de cantines non reconnus",
}
# load_files.platform of the files that belong to every platform (annotations, canteens).
ALL_PLATFORMS_NAMES = {"toutes": "Toutes"}
REJECTED_TITLE = "Lignes en quarantaine par motif"
REJECTED_SAMPLE_TITLE = "Exemples de lignes en quarantaine"
REJECTED_SAMPLE_NOTE = "Les {n} premières lignes, affichées telles quelles."
NO_REJECTED = "Aucune ligne en quarantaine pour cette plateforme."
COL_SOURCE = "Source"
COL_REASON = "Motif"
COL_REASON_DETAIL = "Valeur en cause"
COL_ROWS = "Lignes"
COL_FILE = "Fichier"
COL_LINE_NO = "Ligne n°"
COL_RAW_TEXT = "Contenu brut"
EXCLUSIONS_TITLE = "Requêtes exclues des pages vues, par motif"
X_HITS = "Requêtes (nombre)"
Y_REASON = "Motif d'exclusion"
REASON_UNKNOWN = "non précisé"
METRIC_HITS = "Requêtes reçues"
METRIC_PAGEVIEW_HITS = "Pages vues retenues"
METRIC_EXCLUDED_HITS = "Requêtes exclues"
METRIC_REJECTED_ROWS = "Lignes en quarantaine"

# --- Data checks ------------------------------------------------------------------------------------
CHECKS_HEADER = "Contrôles de cohérence"
CHECKS_NOTE = (
    "Chaque contrôle est une requête qui ne doit renvoyer aucune ligne ; "
    "les lignes renvoyées sont à examiner. Certains écarts sont attendus (producteurs "
    "limitrophes, catégorie inconnue d'un export) : ils restent affichés pour être connus."
)
COL_CHECK = "Contrôle"
COL_CHECK_ROWS = "Lignes en anomalie"
COL_CHECK_STATUS = "Résultat"
CHECK_OK = "Conforme"
CHECK_KO = "À examiner"
CHECK_SAMPLE = "Les {n} premières lignes sur {total}."
CHECKS = {
    "duplicate_suppliers": (
        "Fournisseurs en double (même SIRET ou même nom et commune sous deux identifiants)",
        "Un même fournisseur inscrit deux fois fausse les comptes de fournisseurs.",
    ),
    "listings_unknown_supplier": (
        "Annonces d'un fournisseur inconnu",
        "Annonces dont le fournisseur n'existe pas dans l'export des fournisseurs.",
    ),
    "listings_without_pageviews": (
        "Annonces jamais consultées sur toute la période des données",
        "Annonces dont la page n'a reçu aucune visite : titre peu parlant, ou annonce retirée très vite.",
    ),
    "load_line_accounting": (
        "Lignes lues = lignes chargées + lignes en quarantaine, fichier par fichier",
        "Toute ligne lue doit être soit chargée, soit mise en quarantaine avec son motif.",
    ),
    "pageviews_unknown_entity": (
        "Pages vues d'un produit, fournisseur ou catégorie absent du catalogue",
        "Ces pages ne peuvent pas être nommées dans les tableaux de fréquentation.",
    ),
    "suppliers_outside_region": (
        "Fournisseurs situés hors de la région",
        "Tous les fournisseurs du fichier, actifs ou retirés, quelle que soit la période, dont "
        "la commune n'est pas dans l'un des six départements (la carte de la page Couverture ne "
        "compte que les fournisseurs actifs à la fin de la période).",
    ),
    "unknown_categories": (
        "Annonces d'une catégorie inconnue (« Non classé : … »)",
        "Libellé de catégorie absent du vocabulaire ; à corriger dans l'export ou à ajouter au vocabulaire.",
    ),
}
# French names of the columns the checks return.
CHECK_COLUMNS = {
    "key_kind": "Critère",
    "key": "Valeur commune",
    "suppliers": "Fournisseurs",
    "supplier_ids": "Identifiants",
    "names": "Noms",
    "supplier_id": "Identifiant du fournisseur",
    "supplier_name": "Fournisseur",
    "name": "Nom",
    "commune": "Commune",
    "postal_code": "Code postal",
    "department_code": "Département (code)",
    "department_name": "Département",
    "listing_id": "Identifiant de l'annonce",
    "title": "Titre",
    "category": "Catégorie",
    "source_file": "Fichier",
    "source_line": "Ligne n°",
    "created_on": "Création",
    "withdrawn_on": "Retrait",
    "is_active": "Active",
    "source": "Source",
    "path": "Fichier",
    "lines_read": "Lignes lues",
    "rows_loaded": "Lignes chargées",
    "rows_rejected": "Lignes en quarantaine",
    "difference": "Écart",
    "page_type": "Type de page",
    "entity_id": "Identifiant",
    "pageviews": "Pages vues",
    "first_seen": "Première vue",
    "last_seen": "Dernière vue",
}
CHECK_KEY_KINDS = {"siret": "même SIRET", "name_commune": "même nom et même commune"}
YES = "oui"
NO = "non"

# --- Charts -------------------------------------------------------------------------------------------
NO_DATA = "Aucune donnée pour ces filtres."
PNG_BUTTON = "Télécharger le graphique (PNG)"
# The landing page's charts have no Plotly toolbar: their PNG is drawn by Chromium on the server.
PNG_NO_CHROMIUM = (
    "Le graphique en PNG n'est pas disponible : Chromium n'est pas installé sur le serveur "
    "(paquet Debian « chromium »)."
)
PNG_FAILED = "Le graphique en PNG n'a pas pu être produit ({detail})."
# Plotly's interface strings in French (modebar tooltips, zoom hint), registered through the
# chart config (app/charts/toolbar.py) so the toolbar speaks French too.
PLOTLY_LOCALE_FR = {
    "dictionary": {
        "Autoscale": "Échelle automatique",
        "Box Select": "Sélection rectangulaire",
        "Click to enter Colorscale title": "Cliquer pour saisir le titre de l'échelle",
        "Click to enter Component A title": "Cliquer pour saisir le titre",
        "Click to enter X axis title": "Cliquer pour saisir le titre de l'axe X",
        "Click to enter Y axis title": "Cliquer pour saisir le titre de l'axe Y",
        "Click to enter Plot title": "Cliquer pour saisir le titre du graphique",
        "Compare data on hover": "Comparer les données au survol",
        "Double-click on legend to isolate one trace": "Double-cliquer sur la légende pour isoler une série",
        "Double-click to zoom back out": "Double-cliquer pour revenir à l'échelle initiale",
        "Download plot": "Télécharger le graphique",
        "Download plot as a png": "Télécharger le graphique (PNG)",
        "Download plot as a PNG": "Télécharger le graphique (PNG)",
        "Lasso Select": "Sélection lasso",
        "Orbital rotation": "Rotation orbitale",
        "Pan": "Déplacer",
        "Produced with Plotly.js": "Réalisé avec Plotly.js",
        "Reset": "Réinitialiser",
        "Reset axes": "Réinitialiser les axes",
        "Reset view": "Réinitialiser la vue",
        "Show closest data on hover": "Afficher la donnée la plus proche au survol",
        "Snapshot succeeded": "Image enregistrée",
        "Sorry, there was a problem downloading your snapshot!": "Désolé, le téléchargement de l'image a échoué.",
        "Taking snapshot - this may take a few seconds": "Création de l'image — cela peut prendre quelques secondes",
        "Toggle Spike Lines": "Afficher ou masquer les lignes de repère",
        "Zoom": "Zoom",
        "Zoom in": "Zoom avant",
        "Zoom out": "Zoom arrière",
        "close:": "fermeture :",
        "high:": "haut :",
        "low:": "bas :",
        "open:": "ouverture :",
        "trace": "série",
        "new text": "nouveau texte",
    },
    "format": {
        "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
        "months": [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ],
        "shortMonths": [
            "janv.",
            "févr.",
            "mars",
            "avr.",
            "mai",
            "juin",
            "juil.",
            "août",
            "sept.",
            "oct.",
            "nov.",
            "déc.",
        ],
        "date": "%d/%m/%Y",
        "decimal": ",",
        "thousands": " ",
    },
}

# --- Table downloads (app/tables.py, app/exports.py) -----------------------------------------
DOWNLOAD_CSV = "Télécharger en CSV"
DOWNLOAD_XLSX = "Télécharger en Excel (XLSX)"
DOWNLOAD_CSV_HELP = (
    "Séparateur point-virgule, virgule décimale, dates JJ/MM/AAAA : s'ouvre directement dans "
    "Excel en français. Les parts y sont écrites en pourcentage."
)
DOWNLOAD_XLSX_HELP = (
    "Classeur Excel : nombres, parts et dates en cellules typées, avec les filtres appliqués."
)
EXPORT_SHEET_FALLBACK = "Tableau"
EXPORT_FILE_FALLBACK = "tableau"
WEEK_OF = "semaine du {date}"
DATETIME = "{date} à {time}"  # app/fmt.py fr_datetime

# --- Comparisons with the previous period -------------------------------------------------------
COMPARISON_NOTE = (
    "Évolutions par rapport à la période précédente de même durée, du {start} au {end}. "
    "Taux de rebond : écart en points de pourcentage (pt)."
)
NO_COMPARISON = (
    "Pas d'évolution affichée : la période précédente de même durée (du {start} au {end}) "
    "commence avant le début des données ({data_start})."
)
# After a change against the previous period, its base: « −90,9 % (contre 11) »; a base under
# 20 (app/compare.py SMALL_BASE) is grey, with a note.
CHANGE_BASE = "(contre {previous})"
CHANGE_BASE_SMALL = "(contre {previous}, petit effectif)"
PREVIOUS_VALUE = "Période précédente (du {start} au {end}) : {value}."

# Access (app/access.py)
LOGIN_PROMPT = "Tableau de bord interne de la Région Centre-Val de Loire : connectez-vous avec votre compte de la Région."
LOGIN_BUTTON = "Se connecter"
LOGOUT_BUTTON = "Se déconnecter"
SIGNED_IN_AS = "Connecté : {name}"

# Supplier kinds (codes of `supplier_kinds` in etl/config/vocabulary.toml, `suppliers.kind_code`),
# in the order the sidebar offers them.
SUPPLIER_KIND_LABELS = {
    "artisan": "Artisan",
    "commercant": "Commerçant",
    "cooperative": "Coopérative",
    "entreprise": "Entreprise",
    "producteur": "Producteur",
}

# --- Codes stored in the warehouse -> wording shown (app/queries/ maps them) -------------------
# visits.channel (etl/config/channels.toml, etl/sql/40_visits.sql).
CHANNEL_LABELS = {
    "campaign": "Campagnes",
    "direct": "Accès direct",
    "search_engine": "Moteurs de recherche",
    "social": "Réseaux sociaux",
    "institutional": "Sites institutionnels",
    "press": "Presse",
    "other_site": "Autres sites",
}
# visits.device_type (etl/user_agents.py).
# Matomo's device types, with Matomo's French names where it has them.
DEVICE_LABELS = {
    "desktop": "Ordinateur",
    "smartphone": "Smartphone",
    "tablet": "Tablette",
    "phablet": "Phablette",
    "feature_phone": "Téléphone classique",
    "console": "Console de jeux",
    "tv": "Télévision",
    "car_browser": "Navigateur de voiture",
    "smart_display": "Écran connecté",
    "camera": "Appareil photo",
    "portable_media_player": "Lecteur multimédia portable",
    "smart_speaker": "Enceinte connectée",
    "wearable": "Objet connecté portable",
    "peripheral": "Périphérique",
    "unknown": "Inconnu",
    "other": "Autre",
}
# visits.browser and visits.os: names as Device Detector gives them (shown as they are), but
# the code of an agent it names none for.
SOFTWARE_NAMES = {"unknown": "Inconnu"}
# hits.exclusion_reason (etl/sql/20_hits.sql, 30_bots_by_behaviour.sql).
EXCLUSION_REASON_LABELS = {
    "invalid_request": "requête invalide",
    "bot_user_agent": "robot (agent utilisateur)",
    "bot_behaviour": "robot (comportement)",
    "asset": "ressource statique",
    "method_not_get": "méthode autre que GET",
    "status_error": "erreur",
    "redirect": "redirection",
    "other_host": "autre site du serveur",
}

# --- Comparaisons et annotations ---
# Comparison period of *Fréquentation* (app/filtering.py `Comparison`, address `?comparison=`).
COMPARISON_CHOICES = {
    "periode-precedente": "Période précédente",
    "annee-precedente": "Même période un an plus tôt",
    "personnalisee": "Période personnalisée",
}
FILTER_COMPARISON = "Comparer avec"
HELP_COMPARISON = (
    "Période à laquelle la page « Fréquentation » compare ses chiffres : la période de même "
    "durée juste avant, la même période un an plus tôt, ou des dates choisies."
)
FILTER_COMPARISON_RANGE = "Dates de comparaison (du … au …)"
# What the comparison period is, inside a sentence (« par rapport à … »).
COMPARISON_WHAT = {
    "periode-precedente": "la période précédente de même durée",
    "annee-precedente": "la même période un an plus tôt",
    "personnalisee": "la période de comparaison choisie",
}
# Its name at the start of a sentence or in a legend.
COMPARISON_NAME = {
    "periode-precedente": "Période précédente",
    "annee-precedente": "Un an plus tôt",
    "personnalisee": "Période de comparaison",
}
COMPARISON_NOTE_FOR = (
    "Évolutions par rapport à {what}, du {start} au {end}. "
    "Taux de rebond : écart en points de pourcentage (pt)."
)
NO_COMPARISON_BEFORE_DATA = (
    "Pas d'évolution affichée : {what} (du {start} au {end}) commence avant le début des "
    "données ({data_start})."
)
NO_COMPARISON_AFTER_DATA = (
    "Pas d'évolution affichée : {what} (du {start} au {end}) se termine après la fin des "
    "données ({data_end})."
)
COMPARISON_LENGTHS_DIFFER = (
    "Attention : la période de comparaison compte {compare_days} jours et la période affichée "
    "{days} : les totaux ne se comparent pas tels quels."
)
COMPARISON_VALUE = "{name} (du {start} au {end}) : {value}."
CURRENT_SERIES_NAME = "Du {start} au {end}"
COMPARISON_SERIES_NAME = "{name} : du {start} au {end}"
COMPARISON_HOVER_SPAN = "du {start} au {end}"
COMPARISON_CHART_NOTE = (
    "La ligne reporte la période de comparaison jour pour jour sur les dates de la période "
    "affichée (son 1er jour sur le 1er jour) ; survolez-la pour ses dates réelles."
)
NO_COMPARISON_LINE = (
    "Pas de ligne de comparaison sur ce graphique : {what} (du {start} au {end}) n'est pas "
    "entièrement comprise dans les données (du {data_start} au {data_end})."
)
NOTICE_COMPARISON = (
    "La comparaison indiquée dans l'adresse n'est pas valide (format AAAA-MM-JJ, début avant "
    "fin) : « Période précédente » est utilisée."
)
# Analysts' annotations (data/annotations.csv → warehouse table `annotations`).
ANNOTATION_SERIES_NAME = "Annotations"
ANNOTATION_HOVER = "Annotation du {date}"
ANNOTATION_ALL_PLATFORMS = "toutes plateformes"
# The load's source of the annotations (rejected_rows.source, load_files.source), on
# *Qualité des données*.
SOURCES["annotations"] = "Annotations des analystes"
ANNOTATIONS_NOTE = (
    "Losanges : annotations des analystes (data/annotations.csv), survolez-les pour leur texte."
)

# --- Origine des visiteurs ---
# Fréquentation page, last section (issue #19): where visits come from, by the entry page's
# address located at load time (docs/metrics.md "Origin"). Codes of visit_origin
# (etl/sql/92_scopes.sql) -> wording.
ORIGIN_LABELS = {
    "region": "Centre-Val de Loire",
    "france_other": "Ailleurs en France",
    "france_unlocated": "France, département inconnu",
    "abroad": "Étranger",
    "unknown": "Non localisées",
}
ORIGIN_HEADER = "Origine des visiteurs"
ORIGIN_TITLE = "Visites selon l'origine du visiteur"
X_ORIGIN = "Origine"
ORIGIN_METRICS = {
    "region": "Depuis la région",
    "france_other": "Ailleurs en France",
    "france_unlocated": "France, département inconnu",
    "abroad": "Depuis l'étranger",
    "unknown": "Non localisées",
}
HELP_ORIGIN_REGION = (
    "Part des visites dont l'adresse de la première page est placée dans l'un des six "
    "départements du Centre-Val de Loire par la base de villes."
)
HELP_ORIGIN_FRANCE = (
    "Part des visites placées en France hors de la région (département connu) ; les visites "
    "en France sans département connu sont comptées à part."
)
HELP_ORIGIN_FRANCE_UNLOCATED = (
    "Part des visites attribuées à la France dont la base de villes ne donne pas le département."
)
HELP_ORIGIN_ABROAD = "Part des visites dont l'adresse est attribuée à un autre pays que la France."
HELP_ORIGIN_UNKNOWN = (
    "Part des visites sans pays : adresse privée ou non attribuée, ou visites chargées avant "
    "la localisation des visiteurs."
)
DEPARTMENTS_ORIGIN_TITLE = "Visites par département d'origine"
COUNTRIES_ORIGIN_TITLE = "Visites par pays d'origine"
COL_ORIGIN_DEPARTMENT = "Département d'origine"
COL_ORIGIN_COUNTRY = "Pays d'origine"
COL_IN_REGION = "Dans la région"
NO_CITY_DB = (
    "Aucune base de villes n'a été fournie au dernier chargement : les visites ne peuvent pas "
    "être rattachées à un département, seulement à un pays. Pour les départements, indiquez "
    "une base au format MaxMind (GeoIP2 ou GeoLite2 City) dans le réglage "
    "OBSERVATOIRE_GEO_CITY_DB_PATH ou déposez-la sous data/raw/geo/villes.mmdb, puis relancez "
    "le chargement."
)
NO_LOCATED_DEPARTMENT = "Aucune visite de la période n'a pu être rattachée à un département."
ORIGIN_NOTE = (
    "Lieu de l'adresse IP de la première page de chaque visite, déterminé au chargement puis "
    "oublié (seuls les codes du pays et du département sont conservés). Pays : registres "
    "Internet régionaux (paquet iptocc {version}), juste pour environ 95 % des adresses. "
)
ORIGIN_CITY_NOTE = "Départements : base {database} du {date}."
ORIGIN_METRIC_FRANCE = "Depuis la France"
HELP_ORIGIN_FRANCE_ALL = "Part des visites dont l'adresse est attribuée à la France."
ORIGIN_VISITS = "({n} visites)"
NO_CITY_DB_SHORT = "Pas de département sans base de villes (voir ci-dessus)."
ORIGIN_REGION_HIGHLIGHT = "Surlignés : les départements du Centre-Val de Loire."

# --- Approvisionnement local (canteens, issue #31) --------------------------------------------
SOURCING_FOOD_ONLY = (
    "Cette page porte sur les producteurs de la plateforme « {platform} », qui fournissent "
    "l'alimentation : le choix de plateforme ne s'y applique pas."
)
SOURCING_LEVEL_LABEL = "Regrouper les cantines par"
SOURCING_LEVELS = {
    "department": "Département",
    "epci": "Intercommunalité (EPCI)",
    "food_project": "Projet alimentaire territorial (PAT)",
}
SOURCING_RADIUS_LABEL = "Distance (km)"
SOURCING_RADIUS_HELP = (
    "Un producteur peut fournir une cantine lorsque leurs communes sont à cette distance au "
    "plus (à vol d'oiseau, entre les centres des communes)."
)
SOURCING_NO_CANTEENS_HERE = "Aucune cantine du registre dans ces départements."
SOURCING_NO_CANTEENS_LOADED = (
    "Aucune cantine chargée pour ces départements. Déposez le registre des cantines publié "
    "par « ma cantine » dans data/raw/cantines/, puis relancez le chargement."
)
METRIC_CANTEENS = "Cantines"
METRIC_MEALS_PER_YEAR = "Repas par an"
HELP_MEALS_PER_YEAR = (
    "Somme des repas annuels déclarés au registre ; {n} cantine(s) sans nombre de repas n'y "
    "comptent pas."
)
METRIC_DECLARED_CANTEENS = "Télédéclarations {year}"
HELP_DECLARED_CANTEENS = "Cantines ayant télédéclaré leurs achats pour cette campagne."
METRIC_ORGANIC_SHARE = "Part bio déclarée"
METRIC_QUALITY_SHARE = "Part EGalim déclarée"
HELP_DECLARED_SHARE = (
    "Moyenne des parts déclarées par les cantines, pondérée par leurs repas annuels (objectif "
    "légal : {target} des achats en valeur HT)."
)
SOURCING_TARGETS_NOTE = (
    "Objectifs de la loi EGalim pour la restauration collective publique : au moins {quality} "
    "des achats (en valeur HT) de produits durables et de qualité, bio compris, dont {organic} "
    "de bio. Parts déclarées lors de la campagne {year} de « ma cantine »."
)
SOURCING_TERRITORIES_TITLE = {
    "department": "Cantines et achats déclarés par département",
    "epci": "Cantines et achats déclarés par intercommunalité",
    "food_project": "Cantines et achats déclarés par projet alimentaire territorial",
}
SOURCING_NO_TERRITORY = {
    "department": "Aucune cantine dans ces départements.",
    "epci": "Aucune cantine rattachée à une intercommunalité dans ces départements.",
    "food_project": "Aucune cantine dans une commune couverte par un projet alimentaire territorial.",
}
COL_CANTEENS = "Cantines"
COL_MEALS_PER_YEAR = "Repas par an"
COL_DECLARED_CANTEENS = "Télédéclarations"
COL_ORGANIC_SHARE = "Part bio"
COL_QUALITY_SHARE = "Part EGalim"
COL_CANTEENS_ORGANIC_TARGET = "Cantines ≥ {target} bio"
COL_CANTEENS_QUALITY_TARGET = "Cantines ≥ {target} EGalim"
SOURCING_TERRITORIES_NOTE = (
    "Surlignés : les territoires sous l'un des deux objectifs. Une cantine peut relever de "
    "plusieurs projets alimentaires territoriaux ; le total en haut de page la compte une fois."
)
SOURCING_FAMILIES_TITLE = "Producteurs à moins de {km} km des cantines, par famille de produits"
X_FAMILY = "Famille de produits (« ma cantine »)"
COLORBAR_PRODUCERS_NEARBY = "Producteurs<br>à proximité"
SOURCING_NO_FAMILY = "Aucune famille de produits pour ces filtres."
SOURCING_FAMILIES_NOTE = (
    "Producteurs ayant au {date} une annonce en ligne dans une catégorie de la famille, à "
    "moins de {km} km d'au moins une cantine du territoire. Encadrées : les lacunes, familles "
    "sans aucun producteur à cette distance."
)
SOURCING_GAPS_COUNT = "{n} lacune(s) sur {total} cases."
SOURCING_UNMAPPED_FAMILIES = (
    "Non montrées : {families}, familles auxquelles aucune catégorie de la plateforme ne "
    "correspond (etl/config/canteen_families.toml)."
)
SOURCING_GAPS_TITLE = "Lacunes : familles sans producteur à proximité ({n})"
COL_FAMILY = "Famille de produits"
COL_PRODUCERS_IN_DEPARTMENT = "Producteurs dans le département"
SOURCING_CANDIDATES_TITLE = "Qui pourrait fournir ces cantines ?"
SOURCING_GROUP_LABELS = {
    "department": "Cantines du département",
    "epci": "Cantines de l'intercommunalité",
    "food_project": "Cantines du projet alimentaire territorial",
}
SOURCING_WHOLE_AREA = "Toutes les cantines des départements choisis"
SOURCING_NO_CANDIDATE = "Aucun producteur à moins de {km} km des cantines de « {group} »."
COL_FAMILIES = "Familles de produits"
COL_NEAREST_KM = "Cantine la plus proche (km)"
COL_CANTEENS_WITHIN = "Cantines à moins de {km} km"
COL_MEALS_WITHIN = "Repas par an de ces cantines"
SOURCING_CANDIDATES_NOTE = (
    "{n} producteur(s) à moins de {km} km d'au moins une cantine de « {group} », du plus "
    "proche au plus éloigné ; annonces en ligne au {date}."
)
SOURCING_RECRUITS_TITLE = "Producteurs bio à recruter"
SOURCING_RECRUITS_NO_FILE = (
    "Aucune liste d'opérateurs bio chargée : déposez l'export des opérateurs de l'Agence BIO "
    "(colonnes siret, raisonsociale, codecommune, activites, productions) au format CSV dans "
    "le dossier data/raw/cantines/, puis relancez le chargement."
)
SOURCING_RECRUITS_NONE = (
    "Aucun producteur bio certifié de ces départements hors de la plateforme : tous y sont "
    "déjà, ou la liste de l'Agence BIO n'en compte pas ici."
)
SOURCING_RECRUITS_COUNTS_TITLE = (
    "Producteurs bio à recruter, par département et famille de produits"
)
SOURCING_RECRUITS_NO_FAMILY = "Sans famille connue"
SOURCING_RECRUITS_COUNTS_NOTE = (
    "{n} producteur(s) certifié(s) bio de la liste de l'Agence BIO, dont le SIRET n'est celui "
    "d'aucun fournisseur de la plateforme. Un producteur de plusieurs familles compte dans "
    "chacune ; « Sans famille connue » : aucune de ses productions bio n'a de famille."
)
SOURCING_RECRUITS_LIST_TITLE = "Liste des producteurs bio à recruter"
SOURCING_RECRUITS_LIST_NOTE = (
    "{n} producteur(s), du plus proche au plus éloigné des cantines de « {group} » (à vol "
    "d'oiseau, entre les centres des communes)."
)
COL_ORGANIC_ID = "N° bio"
COL_SIRET = "SIRET"
