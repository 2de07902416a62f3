"""The load's failures said in French, with the path and what to do: a folder or disk the
load may not write, a full disk, a damaged database, a publication that failed after the
commit, a lost load database. Each returns the exception `etl.load` raises."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import duckdb

from etl import files
from etl.errors import LoadError, WarehouseDamaged, WriteFailed

# Errors that say the load may not write there, not that the disk is full or failing.
PERMISSION_ERRNOS = (errno.EACCES, errno.EPERM, errno.EROFS)
_PERMISSION_TEXTS = ("Permission denied", "Read-only file system", "Operation not permitted")


def permission_refused(why: str, path) -> WriteFailed:
    return WriteFailed(
        f"écriture refusée ({why}) : {path} ; le chargement n'a rien modifié. Donnez à "
        "l'utilisateur qui lance le chargement le droit d'écrire dans ce dossier et ses "
        "fichiers (ou remontez le disque en lecture-écriture), puis relancez"
    )


def write_failure(exc: OSError, folder: Path) -> WriteFailed:
    """A failed write in French, with the path: a permission problem (EACCES, EPERM, EROFS)
    says so, never « disque plein »; the others are the disk's (full, failing)."""
    path = exc.filename or folder
    if exc.errno in PERMISSION_ERRNOS:
        return permission_refused(files.os_error_fr(exc), path)
    return WriteFailed(
        f"écriture impossible ({files.os_error_fr(exc)}) : {path} ; le chargement n'a rien "
        "modifié ; libérez de la place ou vérifiez le disque, puis relancez"
    )


def duckdb_failure(exc: duckdb.Error, etl_path: Path) -> LoadError:
    """A DuckDB error during a load, in French: a full disk, or a damaged database."""
    text = str(exc)
    if any(words in text for words in _PERMISSION_TEXTS):
        # DuckDB could not open or create a file (its WAL, most often) in a folder or on a
        # disk the load may not write: a permission problem, not a damaged database.
        named = re.search(r'file "([^"]+)"', text)
        why = (
            "système de fichiers en lecture seule" if "Read-only" in text else "permission refusée"
        )
        return permission_refused(why, named.group(1) if named else etl_path)
    if "No space left" in text or "Disk quota" in text or "disk is full" in text.lower():
        return WriteFailed(
            "disque plein : le chargement n'a rien modifié ; libérez de la place "
            f"près de {etl_path.parent}, puis relancez"
        )
    if (
        isinstance(
            exc,
            (
                duckdb.IOException,
                duckdb.SerializationException,
                duckdb.InternalException,
                duckdb.FatalException,
            ),
        )
        or "orrupt" in text
        or "checksum" in text.lower()
    ):
        return WarehouseDamaged(
            f"base du chargement endommagée ou illisible ({etl_path}) : le chargement n'a rien modifié. "
            "Restaurez-la depuis une sauvegarde, ou reconstruisez-la depuis les fichiers bruts avec "
            "--rebuild (les lignes des journaux supprimés depuis seront perdues)."
        )
    raise exc


def publication_failed(exc: Exception, db_path: Path) -> WriteFailed:
    """The load's database is committed, but the dashboard's file could not be written: the
    dashboard shows the previous figures until a later load publishes (whole, since the file
    no longer matches the database's generation)."""
    if isinstance(exc, OSError):
        why = files.os_error_fr(exc)
    elif "No space left" in str(exc):
        why = "disque plein"
    elif any(words in str(exc) for words in _PERMISSION_TEXTS):
        why = "permission refusée"
    else:
        why = "erreur d'écriture"
    return WriteFailed(
        f"base du chargement mise à jour, mais le fichier du tableau de bord {db_path} n'a pas pu "
        f"être publié ({why}) : le tableau de bord montre encore les chiffres précédents ; "
        "réglez le problème puis relancez le chargement, qui le publiera en entier"
    )


def load_database_missing(db_path: Path, etl_path: Path) -> LoadError:
    """The refusal when the dashboard file holds published figures but the load's database is gone."""
    return LoadError(
        f"base du chargement introuvable ({etl_path}) alors que le fichier du tableau de bord "
        f"{db_path} contient des chiffres publiés : la reconstruire depuis les journaux encore "
        "présents effacerait du tableau de bord l'historique des journaux supprimés depuis. "
        f"Restaurez {etl_path.name} (avec le dossier state/) depuis la même sauvegarde que "
        f"{db_path.name}, puis relancez ; ou, pour repartir des seuls fichiers bruts en "
        "acceptant cette perte, relancez avec --rebuild"
    )


def db_is_a_load_database(db_path: Path) -> LoadError:
    """`--db` named `warehouse.etl.duckdb`: published over, it would lose its hits."""
    return LoadError(
        f"--db désigne une base du chargement ({db_path}), pas le fichier du tableau de "
        "bord : la publication l'écraserait. Donnez le fichier que lit le tableau de bord, "
        f"par exemple {db_path.with_name(db_path.stem[: -len('.etl')] + db_path.suffix)}"
    )


def another_load_running(lock: Path) -> LoadError:
    return LoadError(
        f"un autre chargement, un export Parquet ou une note de synthèse est en cours (verrou {lock}) ; "
        "réessayez après sa fin"
    )


def unreadable_warehouse(db_path: Path) -> LoadError:
    return LoadError(
        f"entrepôt existant illisible : {db_path} ; réparez-le, ou repartez des "
        "fichiers bruts avec --rebuild (les journaux déjà supprimés seront perdus)"
    )


def clock_set_back(now, newest) -> LoadError:
    """The machine's clock is behind the newest hit held: new lines would all be « in the
    future »."""
    return LoadError(
        f"horloge de la machine en retard : il est {now:%d/%m/%Y %H:%M} (UTC) selon elle, "
        f"mais l'entrepôt contient déjà des requêtes du {newest:%d/%m/%Y %H:%M} (UTC). "
        "Chargées maintenant, les nouvelles lignes seraient mises en quarantaine comme "
        "« date dans le futur ». Remettez la machine à l'heure (NTP), puis relancez ; "
        "rien n'a été modifié"
    )


def raw_folder_missing(raw_dir: Path) -> LoadError:
    return LoadError(f"dossier de données brutes introuvable : {raw_dir}")


def no_platform_folder(raw_dir: Path, platforms) -> LoadError:
    return LoadError(f"aucun dossier de plateforme ({', '.join(platforms)}) dans {raw_dir}")
