"""Where the load writes (issue #28): `--db` naming the load's own database is refused before
anything is written, and a folder or a file the load may not write is said as a permission
problem naming its path (exit 4), never as an internal error (exit 5) nor as a full disk."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from etl import load as load_module
from etl.load import LoadError, WriteFailed, load
from etl.settings import REPO_ROOT, Settings, etl_db_path
from tests.bounds import CLI_TIMEOUT_S
from tests.test_etl_logs import CURRENT_LOG, line

NEW_LINE = line("90.1.1.1", "02/Apr/2020:10:00:00 +0200", "GET / HTTP/1.1") + "\n"
# Root writes anywhere: these capabilities dropped, it meets permissions as an operator does.
AS_OPERATOR = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]
needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="dropping root's file capabilities (setpriv) or mounting needs root (CI runs as root)",
)


def _raw(tmp_path: Path) -> Path:
    logs = tmp_path / "raw" / "produits-frais" / "logs"
    logs.mkdir(parents=True)
    (logs / "access.log.1").write_text("\n".join(CURRENT_LOG) + "\n")
    return tmp_path / "raw"


def _cli(tmp_path: Path, db: Path, prefix: list[str] | None = None):
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "etl", "load", "--quiet"]
        + ["--raw", str(tmp_path / "raw"), "--db", str(db)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "OBSERVATOIRE_STATE_DIR": str(tmp_path / "state")},
        timeout=CLI_TIMEOUT_S,
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _new_log_line(tmp_path: Path) -> None:
    (tmp_path / "raw" / "produits-frais" / "logs" / "access.log").write_text(NEW_LINE)


def test_db_naming_the_load_database_is_refused_and_later_loads_still_work(tmp_path):
    _raw(tmp_path)
    db = tmp_path / "data" / "warehouse.duckdb"
    assert _cli(tmp_path, db).returncode == 0
    etl = etl_db_path(db)
    before = _digest(etl)
    done = _cli(tmp_path, etl)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert done.stderr == (
        f"ERREUR : --db désigne une base du chargement ({etl}), pas le fichier du tableau de "
        "bord : la publication l'écraserait. Donnez le fichier que lit le tableau de bord, par "
        f"exemple {db}\n"
    )
    assert _digest(etl) == before
    assert sorted(p.name for p in db.parent.iterdir()) == [
        "warehouse.duckdb",
        "warehouse.duckdb.lock",
        "warehouse.etl.duckdb",
    ]
    _new_log_line(tmp_path)
    assert _cli(tmp_path, db).returncode == 0  # the next load is not broken
    with pytest.raises(LoadError, match="base du chargement"):
        load(Settings(raw_dir=tmp_path / "raw", db_path=etl), progress=False)


@needs_root
def test_a_data_folder_the_load_may_not_write_is_exit_4_naming_it(tmp_path):
    _raw(tmp_path)
    data = tmp_path / "data"
    db = data / "w.duckdb"
    assert _cli(tmp_path, db).returncode == 0
    _new_log_line(tmp_path)
    etl = etl_db_path(db)
    before = _digest(etl)
    for path in data.iterdir():
        os.chown(path, 65534, -1)  # nobody's, as an operator's files are not root's
        path.chmod(0o666)
    os.chown(data, 65534, -1)
    data.chmod(0o555)  # the folder read-only: its files writable, no new file
    try:
        done = _cli(tmp_path, db, AS_OPERATOR)  # exit 5 « ERREUR INTERNE » at the WAL before
        assert done.returncode == 4, (done.returncode, done.stderr)
        assert done.stderr.startswith(f"ERREUR : écriture refusée (permission refusée) : {data} ;")
        for wrong in ("disque plein", "libérez de la place", "INTERNE", "Traceback"):
            assert wrong not in done.stderr, done.stderr
        data.chmod(0o777)
        etl.chmod(0o444)  # the folder writable, the load's database not
        done = _cli(tmp_path, db, AS_OPERATOR)  # exit 3 « endommagée » or 5 before
        assert done.returncode == 4, (done.returncode, done.stderr)
        assert done.stderr.startswith(f"ERREUR : écriture refusée (permission refusée) : {etl} ;")
        assert _digest(etl) == before
    finally:
        data.chmod(0o755)
        etl.chmod(0o644)


@needs_root
def test_a_read_only_disk_is_exit_4_naming_the_folder_not_a_full_disk(tmp_path):
    _raw(tmp_path)
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", str(disk)],
        capture_output=True,
        timeout=CLI_TIMEOUT_S,
    )
    if mounted.returncode != 0:
        pytest.fail(f"tmpfs could not be mounted: {mounted.stderr!r}")
    try:
        done = _cli(tmp_path, disk / "w.duckdb")
        assert done.returncode == 4, (done.returncode, done.stderr)
        assert done.stderr.startswith(
            f"ERREUR : écriture refusée (système de fichiers en lecture seule) : {disk} ;"
        )
        assert "libérez de la place" not in done.stderr and "Traceback" not in done.stderr
    finally:
        subprocess.run(["umount", str(disk)], check=False, timeout=CLI_TIMEOUT_S)


@pytest.mark.parametrize(
    ("code", "said", "advice"),
    [
        (errno.EACCES, "écriture refusée (permission refusée)", "droit d'écrire"),
        (errno.EPERM, "écriture refusée (opération non permise)", "droit d'écrire"),
        (errno.EROFS, "écriture refusée (système de fichiers en lecture seule)", "droit d'écrire"),
        (errno.ENOSPC, "écriture impossible (disque plein)", "libérez de la place"),
    ],
)
def test_each_write_failure_names_its_path_and_only_a_full_disk_is_one(
    tmp_path, monkeypatch, code, said, advice
):
    raw = _raw(tmp_path)
    lock = tmp_path / "w.duckdb.lock"

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(lock))

    monkeypatch.setattr(load_module.files, "exclusive_lock_or_refuse", refuse)
    with pytest.raises(WriteFailed) as failed:
        load(Settings(raw_dir=raw, db_path=tmp_path / "w.duckdb"), progress=False)
    message = str(failed.value)
    assert message.startswith(f"{said} : {lock} ;") and advice in message, message
    assert failed.value.exit_code == 4
    if code != errno.ENOSPC:
        assert "disque" not in message.replace("remontez le disque", "")


def test_a_dashboard_file_duckdb_may_not_write_is_said_a_permission_problem(tmp_path, monkeypatch):
    import duckdb

    settings = Settings(raw_dir=_raw(tmp_path), db_path=tmp_path / "w.duckdb")
    load(settings, progress=False)
    _new_log_line(tmp_path)

    def refused(self, con):
        raise duckdb.IOException(
            f'IO Error: Cannot open file "{tmp_path}/w.duckdb.loading": Permission denied'
        )

    monkeypatch.setattr(load_module.publish.Publication, "write", refused)
    with pytest.raises(WriteFailed) as failed:
        load(settings, progress=False)
    message = str(failed.value)
    assert "base du chargement mise à jour" in message and "(permission refusée)" in message
    assert str(settings.db_path) in message and "disque plein" not in message
