"""The French label of each quarantine reason code: the load's summary prints them, the
dashboard (app/labels.py) shows them. Constants only, no import: the app reads them without
depending on the ETL's code or state."""

# Code → French label. Codes are stored: never renamed, only added.
REASON_LABELS = {
    # A CSV file (catalogue export, annotations) that cannot be read at all; detail: why.
    "file_rejected": "fichier rejeté",
    # A record the CSV reader cannot read (etl/catalogue.py).
    "unclosed_quote": "guillemet non fermé",
    "invalid_encoding": "encodage invalide sur cette ligne (ni UTF-8 ni Windows-1252)",
    "nul_character": "caractère nul (octet 0) dans la ligne",
    "field_too_long": "champ trop long (caractères lus / maximum)",
    "unreadable_csv_line": "ligne illisible (format CSV non reconnu)",
    "wrong_column_count": "nombre de colonnes incorrect (lues / attendues)",
    # Catalogue rules (etl/sql/50_catalogue.sql); detail: the field, or the value quoted.
    "missing_field": "champ obligatoire manquant",
    "two_digit_year": "année sur deux chiffres",
    "invalid_date": "date invalide",
    "implausible_date": "date hors plage plausible",
    "future_date": "date dans le futur",
    "unknown_supplier_kind": "type de fournisseur inconnu",
    "invalid_siret": "SIRET invalide",
    "invalid_postal_code": "code postal invalide",
    "unknown_status": "statut inconnu",
    "invalid_price": "prix invalide",
    "negative_price": "prix négatif",
    "invalid_capacity": "capacité invalide",
    "negative_capacity": "capacité négative",
    "unknown_supplier": "fournisseur inconnu",
    "duplicate_id_in_file": "identifiant en double dans le fichier",
    "duplicate_id": "identifiant déjà présent dans un autre fichier",
    # Log lines (etl/sql/10_stg_log_lines.sql); `future_date` and `invalid_date` as above.
    "empty_line": "ligne vide",
    "line_too_long": "ligne trop longue",
    "malformed_log_line": "format non reconnu",
    "date_before_1990": "date invalide (antérieure à 1990)",
    # Log files (etl/log_load.py); detail: why, as the load said it.
    "unreadable_file": "fichier sans ligne lisible",
    "file_refused": "fichier refusé",
    "truncated_gzip": "gzip tronqué (fin de fichier inattendue) ; lignes lisibles chargées",
    "corrupt_gzip": "gzip corrompu (données compressées invalides) ; lignes lisibles chargées",
    "read_interrupted": "lecture interrompue ; lignes lisibles chargées",
    # Analysts' annotations (etl/sql/55_annotations.sql).
    "missing_date": "date manquante",
    "unknown_platform": "plateforme inconnue (produits-frais, equipements-protection, ou vide "
    "pour toutes)",
    "empty_label": "libellé vide",
    "formula_label": "libellé commençant par =, +, - ou @ (formule de tableur ?)",
    # Canteens, declarations and PAT (etl/sql/56_canteens.sql); `missing_field`,
    # `invalid_siret` and the duplicate codes as above. Detail: the field and value quoted.
    "unknown_commune": "code commune INSEE inconnu dans la région",
    "invalid_meal_count": "nombre de repas invalide (nombre entier positif attendu)",
    "invalid_year": "année de télédéclaration invalide",
    "invalid_ratio": "part invalide (nombre de 0 à 1 attendu)",
    "ratio_out_of_range": "part hors de 0 à 1 (une part, pas un pourcentage : 0,25 pour 25 %)",
    "ratios_over_one": "parts bio et EGalim hors bio supérieures à 1 à elles deux",
    # A sentence stored by an earlier load that no rule below recognised; detail: the sentence.
    "legacy": "motif d'un chargement antérieur",
}
