"""Every French string the dashboard shows, in one place.

Code and identifiers stay in English; only what users read lives here, so a wording change is
made once. Pure module (no Streamlit), imported by the pages, the filters and the charts.
"""

from __future__ import annotations

APP_TITLE = "Observatoire des circuits courts"

# Platform codes (warehouse values) -> names users read.
PLATFORM_NAMES = {
    "produits-frais": "Produits frais locaux",
    "equipements-protection": "Équipements de protection",
}

# How each platform calls its suppliers and listings (plural, singular).
SUPPLIER_NOUN = {
    "produits-frais": ("producteurs et commerçants", "producteur ou commerçant"),
    "equipements-protection": ("entreprises", "entreprise"),
}
LISTING_NOUN = {
    "produits-frais": ("annonces", "annonce"),
    "equipements-protection": ("offres", "offre"),
}

# --- Pages (navigation titles) ----------------------------------------------------------
PAGE_OVERVIEW = "Vue d'ensemble"
PAGE_TRAFFIC = "Fréquentation"
PAGE_SUPPLIERS = "Producteurs et produits"
PAGE_COVERAGE = "Couverture sectorielle"
PAGE_EQUIPMENT = "Équipements de protection"
PAGE_QUALITY = "Qualité des données"

# --- Sidebar filters ----------------------------------------------------------------------
FILTERS_HEADER = "Filtres"
FILTER_PLATFORM = "Plateforme"
FILTER_PERIOD = "Période"
FILTER_CUSTOM_RANGE = "Dates (du … au …)"
FILTER_DEPARTMENTS = "Départements"
FILTER_CATEGORIES = "Catégories"
PLACEHOLDER_DEPARTMENTS = "Tous les départements"
PLACEHOLDER_CATEGORIES = "Toutes les catégories"
HELP_DEPARTMENTS = (
    "Laisser vide pour tous les départements. S'applique aux fournisseurs et à leurs "
    "annonces, pas à la fréquentation."
)
HELP_CATEGORIES = (
    "Laisser vide pour toutes les catégories. S'applique aux annonces et aux fournisseurs "
    "qui en proposent, pas à la fréquentation."
)
HELP_PERIOD = "Dates incluses, heure de Paris. « 30 derniers jours » se termine au dernier jour de données."
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
NOTICE_UNKNOWN_PARAMS = "L'adresse contient des paramètres inconnus ; ils ont été ignorés."

# --- Warehouse access ---------------------------------------------------------------------
NO_WAREHOUSE = (
    "Aucun entrepôt de données n'a été trouvé à l'emplacement `{path}`. "
    "Pour le créer, lancez `make run` (données de démonstration) ou `python -m etl load` "
    "(fichiers déposés dans `data/raw/`), puis rechargez cette page."
)
WAREHOUSE_UNREADABLE = (
    "L'entrepôt de données `{path}` ne peut pas être lu (chargement en cours ou fichier "
    "incomplet). Réessayez dans quelques instants ; si le problème persiste, relancez "
    "`python -m etl load`."
)
DATA_SPAN = "Données du {start} au {end}, chargées le {loaded}."

# --- Subtitles ----------------------------------------------------------------------------
ALL_DEPARTMENTS = "tous départements"
ALL_CATEGORIES = "toutes catégories"
DEPARTMENTS_PREFIX = "départements : "
CATEGORIES_PREFIX = "catégories : "
PERIOD_TEXT = "du {start} au {end}"
NOT_FILTERED_TRAFFIC = (
    "Les filtres Départements et Catégories ne s'appliquent pas à la fréquentation : "
    "une visite n'est rattachée ni à un territoire ni à une catégorie."
)

# --- Metrics --------------------------------------------------------------------------------
METRIC_VISITS = "Visites"
METRIC_VISITORS = "Visiteurs uniques"
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
    "Identifiant de visiteur renouvelé chaque jour (aucune adresse IP conservée) : une "
    "personne revenue plusieurs jours est comptée une fois par jour."
)
HELP_PAGEVIEWS = "Pages vues par des personnes au cours des visites commencées sur la période."
HELP_PAGES_PER_VISIT = "Pages vues divisées par le nombre de visites."
HELP_BOUNCE_RATE = "Part des visites limitées à une seule page vue."
HELP_AVG_DURATION = (
    "Durée moyenne d'une visite : temps entre la première et la dernière page vue ; une visite d'une seule page compte 0 s."
)
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
OVERVIEW_WEEKLY_TITLE = "Visites par semaine — {platform}"

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
FULL_PERIOD = "Période complète"
PARTIAL_NOTE = "Les barres claires couvrent une semaine ou un mois incomplet dans la période choisie."
CHANNELS_TITLE = "Visites par canal d'arrivée"
DEVICES_TITLE = "Visites par type d'appareil"
X_CHANNEL = "Canal d'arrivée"
X_DEVICE = "Type d'appareil"
SHARE_OF_VISITS = "Part des visites"
NO_VISITS = "Aucune visite sur cette période."

# --- Suppliers and listings -------------------------------------------------------------------
SUPPLIERS_OVER_TIME_TITLE = "Fournisseurs et annonces actifs, jour par jour"
SERIES_SUPPLIERS = "Fournisseurs actifs"
SERIES_LISTINGS = "Annonces actives"
Y_COUNT = "Nombre"
Y_SUPPLIERS = "Fournisseurs (nombre)"
HISTOGRAM_TITLE = "Nombre d'annonces actives par fournisseur"
X_LISTINGS_PER_SUPPLIER = "Annonces actives du fournisseur (nombre)"
METRIC_TOP10_SHARE = "Part des 10 % premiers"
HELP_TOP10_SHARE = (
    "Part des annonces actives détenue par les 10 % de fournisseurs qui en ont le plus. "
    "Parmi les fournisseurs ayant au moins une annonce active le {date} : part des annonces "
    "actives détenue par les 10 % (arrondi au supérieur) qui en ont le plus."
)
METRIC_SINGLE_LISTING = "Une seule annonce active"
HELP_SINGLE_LISTING = "Nombre de fournisseurs actifs dont une seule annonce est active le {date}."
METRIC_WITH_LISTING = "Fournisseurs ayant au moins une annonce active"
SUPPLIER_TABLE_TITLE = "Liste des fournisseurs actifs le {date}"
COL_NAME = "Nom"
COL_DEPARTMENT = "Département"
COL_KIND = "Type"
COL_ACTIVE_LISTINGS = "Annonces actives"
COL_JOINED_ON = "Inscription"
COL_COMMUNE = "Commune"
OUT_OF_REGION = "hors région"

# --- Coverage ------------------------------------------------------------------------------------
COVERAGE_TITLE = "Fournisseurs par département et par catégorie"
COVERAGE_MIN_LABEL = "Seuil de couverture (fournisseurs par case)"
COVERAGE_MIN_HELP = (
    "Une case département × catégorie est couverte si au moins ce nombre de fournisseurs y "
    "ont une annonce active."
)
METRIC_COVERAGE_RATE = "Taux de couverture"
HELP_COVERAGE_RATE = "Part des cases département × catégorie ayant au moins {n} fournisseurs."
METRIC_GAPS = "Cases sous le seuil"
GAPS_TITLE = "Cases sous le seuil de {n} fournisseurs"
NO_GAPS = "Aucune case sous le seuil : toutes les combinaisons sont couvertes."
COL_CATEGORY = "Catégorie"
COL_SUPPLIERS = "Fournisseurs"
X_CATEGORY = "Catégorie"
Y_DEPARTMENT = "Département"
COLORBAR_SUPPLIERS = "Fournisseurs"
COVERAGE_NOTE = (
    "Fournisseurs actifs ayant au moins une annonce active dans la catégorie le {date} ; "
    "un fournisseur présent dans plusieurs catégories est compté dans chacune. Les cases "
    "entourées de pointillés orange sont sous le seuil."
)

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
Y_STANDARD_SHARE = "Offres avec norme (%)"
CAPACITY_TITLE = "Capacité de production hebdomadaire déclarée"
Y_CAPACITY = "Capacité (unités par semaine)"
METRIC_STANDARD_SHARE = "Offres avec norme"
HELP_STANDARD_SHARE = "Part des offres actives le {date} dont la norme (AFNOR, EN …) est renseignée."
METRIC_CAPACITY = "Capacité (unités / semaine)"
METRIC_ACTIVE_COMPANIES = "Entreprises actives"
METRIC_ACTIVE_OFFERS = "Offres actives"
HELP_CAPACITY = (
    "Capacité de production hebdomadaire totale : somme des capacités déclarées par les offres actives le {date} ; {known} offres sur "
    "{total} déclarent une capacité."
)
UNITS_PER_WEEK = "{n} unités par semaine"
LEGEND_CATEGORY = "Catégorie"

# --- Data quality ----------------------------------------------------------------------------------
LOAD_SUMMARY_TITLE = "Bilan du chargement"
LOAD_SUMMARY_NOTE = "Toutes les lignes lues sont soit chargées, soit mises en quarantaine avec leur motif."
LOAD_SUMMARY_COLUMNS = {
    "platform": "Plateforme",
    "source": "Source",
    "files": "Fichiers",
    "lines_read": "Lignes lues",
    "rows_loaded": "Lignes chargées",
    "rows_rejected": "Lignes en quarantaine",
}
SOURCES = {"logs": "Journaux d'accès", "suppliers": "Fournisseurs", "listings": "Annonces"}
REJECTED_TITLE = "Lignes en quarantaine par motif"
REJECTED_SAMPLE_TITLE = "Exemples de lignes en quarantaine"
REJECTED_SAMPLE_NOTE = "Les {n} premières lignes, affichées telles quelles."
NO_REJECTED = "Aucune ligne en quarantaine pour cette plateforme."
COL_PLATFORM = "Plateforme"
COL_SOURCE = "Source"
COL_REASON = "Motif"
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

# --- Charts -------------------------------------------------------------------------------------------
NO_DATA = "Aucune donnée pour ces filtres."
PNG_BUTTON = "Télécharger le graphique (PNG)"
WEEK_OF = "semaine du {date}"
KEY_DATE_PREFIX = ""
