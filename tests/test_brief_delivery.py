"""`python -m app.brief --send`: the brief e-mailed through a local SMTP server, and not again.

A real SMTP server (aiosmtpd) listens on 127.0.0.1 for the module; every message it takes is
kept as bytes and parsed back with the standard library. The command runs once as a
subprocess with Chromium (the attachments as a reader gets them); the other cases call
`brief.main` in the test's process with the PDF printer replaced by a stub (what is sent, and
when, does not depend on the PDF's content).
"""

from __future__ import annotations

import contextlib
import csv
import email
import io
import json
import os
import shutil
import smtplib
import socket
import subprocess
import sys
from datetime import date, datetime
from email import policy
from email.message import EmailMessage
from pathlib import Path

import duckdb
import pytest
from aiosmtpd.controller import Controller

from app import brief, delivery, labels, queries, report
from app.fmt import fr_datetime, fr_int
from tests import pdf_text
from tests.bounds import CLI_TIMEOUT_S
from tests.conftest import REPO_ROOT

PERIOD = "2020-05-04:2020-05-10"
PLATFORM = "produits-frais"
RECIPIENTS = ("direction@region.example.fr", "elus@region.example.fr")
SENDER = "Observatoire <observatoire@region.example.fr>"
SUBJECT = (
    "Observatoire des circuits courts — note de synthèse du 4 mai 2020 au 10 mai 2020 — "
    "Produits frais locaux"
)
FAKE_PDF = b"%PDF-1.4 stub\n"


class Inbox:
    """aiosmtpd handler: keeps each message taken; refuses recipients starting `refuse`."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refuse"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"

    def parsed(self, index: int = -1) -> EmailMessage:
        return email.message_from_bytes(self.messages[index][2], policy=policy.default)


def _free_port() -> int:
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def inbox():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port(), ready_timeout=10)
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def _smtp_env(port: int, recipients=RECIPIENTS) -> dict[str, str]:
    return {
        "OBSERVATOIRE_SMTP_HOST": "127.0.0.1",
        "OBSERVATOIRE_SMTP_PORT": str(port),
        "OBSERVATOIRE_SMTP_SECURITY": "none",  # a relay on the machine
        "OBSERVATOIRE_SMTP_SENDER": SENDER,
        "OBSERVATOIRE_SMTP_RECIPIENTS": ",".join(recipients),
    }


@pytest.fixture(autouse=True)
def _no_smtp_settings_from_outside(monkeypatch):
    for name in list(os.environ):
        if name.startswith("OBSERVATOIRE_SMTP_"):
            monkeypatch.delenv(name)


def _args(warehouse: Path, out: Path) -> list[str]:
    return ["--period", PERIOD, "--platform", PLATFORM, "--db", str(warehouse), "--out", str(out)]


def _main(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = brief.main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def stub_pdf(monkeypatch):
    monkeypatch.setattr(report, "chromium_path", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(report, "render_pdf", lambda page: FAKE_PDF)


@pytest.fixture
def configured(inbox, monkeypatch):
    """The SMTP settings of the local server in the environment; its inbox emptied."""
    handler, port = inbox
    handler.messages.clear()
    for name, value in _smtp_env(port).items():
        monkeypatch.setenv(name, value)
    return handler


@pytest.fixture(scope="module")
def sent(small_warehouse, inbox, tmp_path_factory):
    """The command run once with --send as the scheduler runs it: (process, outbox, message)."""
    handler, port = inbox
    handler.messages.clear()
    out = tmp_path_factory.mktemp("outbox")
    env = {k: v for k, v in os.environ.items() if not k.startswith("OBSERVATOIRE_SMTP_")}
    process = subprocess.run(
        [sys.executable, "-m", "app.brief", *_args(small_warehouse, out), "--send"],
        cwd=REPO_ROOT,
        env={**env, **_smtp_env(port)},
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT_S,
    )
    messages = list(handler.messages)
    return process, out, messages


def _file(out: Path, suffix: str) -> Path:
    (found,) = out.glob(f"brief_*{suffix}")
    return found


def test_one_message_with_the_french_subject_to_every_recipient(sent):
    process, _, messages = sent
    assert process.returncode == brief.EXIT_OK, process.stderr
    assert process.stderr == ""
    assert len(messages) == 1
    mail_from, rcpt_tos, data = messages[0]
    assert mail_from == "observatoire@region.example.fr"
    assert rcpt_tos == list(RECIPIENTS)
    message = email.message_from_bytes(data, policy=policy.default)
    assert message["Subject"] == SUBJECT
    assert message["To"] == ", ".join(RECIPIENTS)
    assert process.stdout.count(labels.BRIEF_WRITTEN.split("{")[0]) == 4
    assert "Note envoyée à 2 destinataires par 127.0.0.1:" in process.stdout


def test_the_body_holds_the_verdict_and_the_warehouse_figures(sent, small_warehouse):
    _, _, messages = sent
    message = email.message_from_bytes(messages[0][2], policy=policy.default)
    text = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert text.startswith("Bonjour,\n")
    assert "du 4 mai 2020 au 10 mai 2020" in text
    assert "Produits frais locaux" in text and "Équipements" not in text
    # The figure, worked out again from the warehouse: the e-mail quotes the report's.
    with duckdb.connect(str(small_warehouse), read_only=True) as conn:
        ctx = queries.filter_context(conn)
        filters = brief.brief_filters(
            ctx, platform=PLATFORM, start=_date("2020-05-04"), end=_date("2020-05-10")
        )
        visits = queries.visits_summary(conn, filters)["visits"]
    assert visits > 0
    assert f"- Visites : {fr_int(visits)} · " in text
    assert "- Fournisseurs actifs : " in text and "- Annonces actives : " in text
    verdicts = [line for line in text.splitlines() if line.startswith("Verdict : ")]
    assert len(verdicts) == 1 and len(verdicts[0]) > len("Verdict : ") + 10


def _date(text: str) -> date:
    return date.fromisoformat(text)


def test_the_pdf_and_csv_are_attached_readable_and_as_in_the_outbox(sent):
    _, out, messages = sent
    message = email.message_from_bytes(messages[0][2], policy=policy.default)
    attached = {part.get_filename(): part for part in message.iter_attachments()}
    pdf_path, csv_path = _file(out, ".pdf"), _file(out, ".csv")
    assert sorted(attached) == sorted([pdf_path.name, csv_path.name])
    pdf = attached[pdf_path.name]
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == pdf_path.read_bytes()
    text = " ".join(" ".join(page.split()) for page in pdf_text.pages(pdf.get_content()))
    assert "Observatoire des circuits courts — note de synthèse" in text
    assert "du 4 mai 2020 au 10 mai 2020" in text
    sheet = attached[csv_path.name]
    assert sheet.get_content_type() == "text/csv"
    data = sheet.get_payload(decode=True)
    assert data == csv_path.read_bytes()  # byte for byte: BOM and accents untouched
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert "Critère" in rows[0] and "Évolution vs période précédente" in rows[0]
    assert all(row[0] == "Produits frais locaux" for row in rows[1:])


def test_the_send_is_recorded_without_addresses(sent):
    process, out, _ = sent
    state = json.loads((out / delivery.STATE_FILE).read_text(encoding="utf-8"))
    (identity,) = state["sent"]
    assert identity == (
        "platform=produits-frais;start=2020-05-04;end=2020-05-10;departments=;categories="
    )
    entry = state["sent"][identity]
    assert entry["recipients"] == 2 and entry["fingerprint"]
    assert "@" not in json.dumps(state)


def test_a_rerun_on_unchanged_data_sends_nothing_until_the_data_changes(
    small_warehouse, configured, stub_pdf, tmp_path
):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(small_warehouse, warehouse)
    out = tmp_path / "outbox"
    args = [*_args(warehouse, out), "--send"]
    code, stdout, stderr = _main(*args)
    assert code == brief.EXIT_OK, stderr
    assert len(configured.messages) == 1
    # Same brief, same data: nothing produced, nothing sent, exit 0 and a French line.
    code, stdout, stderr = _main(*args)
    assert (code, stderr) == (brief.EXIT_OK, "")
    assert stdout.startswith("Note déjà envoyée le ") and "--force" in stdout
    # The time of the first sending, in Paris time whatever the server's zone (UTC here).
    state = json.loads((out / delivery.STATE_FILE).read_text(encoding="utf-8"))
    (entry,) = state["sent"].values()
    paris = fr_datetime(datetime.fromisoformat(entry["sent_at"]).astimezone(delivery.PARIS))
    assert f"le {paris} (heure de Paris)" in stdout
    assert labels.BRIEF_WRITTEN.split("{")[0] not in stdout
    assert len(configured.messages) == 1
    # Another period is another brief.
    other = ["--period", "2020-05-11:2020-05-17", *args[2:]]
    assert _main(*other)[0] == brief.EXIT_OK
    assert len(configured.messages) == 2
    # A load publishes a new generation: the brief is sent again.
    with duckdb.connect(str(warehouse)) as conn:
        conn.execute("update config_state set fingerprint = 'next' where name = 'generation'")
    assert _main(*args)[0] == brief.EXIT_OK
    assert len(configured.messages) == 3
    # Unchanged again; --force sends all the same.
    assert _main(*args)[0] == brief.EXIT_OK
    assert len(configured.messages) == 3
    assert _main(*args, "--force")[0] == brief.EXIT_OK
    assert len(configured.messages) == 4


def test_a_refused_connection_exits_6_keeps_the_files_and_the_next_run_sends(
    small_warehouse, inbox, configured, stub_pdf, monkeypatch, tmp_path
):
    closed = _free_port()
    monkeypatch.setenv("OBSERVATOIRE_SMTP_PORT", str(closed))
    args = [*_args(small_warehouse, tmp_path), "--send"]
    code, stdout, stderr = _main(*args)
    assert code == brief.EXIT_SEND_FAILED == 6
    assert stderr.startswith(
        f"ERREUR : envoi impossible : connexion au serveur 127.0.0.1:{closed} impossible"
    )
    assert stderr.count("\n") == 1 and "la prochaine exécution réessaiera" in stderr
    assert stdout.count(labels.BRIEF_WRITTEN.split("{")[0]) == 4
    names = sorted(p.suffix for p in tmp_path.iterdir() if p.name.startswith("brief_"))
    assert names == [".csv", ".html", ".pdf", ".xlsx"]
    assert not (tmp_path / delivery.STATE_FILE).exists()  # the failure is not recorded
    # The server back: the next run sends.
    monkeypatch.setenv("OBSERVATOIRE_SMTP_PORT", str(inbox[1]))
    assert _main(*args)[0] == brief.EXIT_OK
    assert len(configured.messages) == 1


def test_a_server_that_says_nothing_times_out_with_exit_6(
    small_warehouse, configured, stub_pdf, monkeypatch, tmp_path
):
    monkeypatch.setattr(delivery, "SMTP_TIMEOUT_S", 1)
    with socket.socket() as silent:  # accepts connections (the kernel does), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        monkeypatch.setenv("OBSERVATOIRE_SMTP_PORT", str(silent.getsockname()[1]))
        code, _, stderr = _main(*_args(small_warehouse, tmp_path), "--send")
    assert code == brief.EXIT_SEND_FAILED
    assert "n'a pas répondu en 1 s" in stderr and stderr.count("\n") == 1


def test_refused_recipients(small_warehouse, configured, stub_pdf, monkeypatch, tmp_path):
    monkeypatch.setenv("OBSERVATOIRE_SMTP_RECIPIENTS", "refuse@region.example.fr")
    code, _, stderr = _main(*_args(small_warehouse, tmp_path / "a"), "--send")
    assert code == brief.EXIT_SEND_FAILED
    assert "destinataires refusés par le serveur" in stderr and "550" in stderr
    assert configured.messages == []
    assert not (tmp_path / "a" / delivery.STATE_FILE).exists()
    # Some refused, some taken: exit 7, the send recorded (those who got it get it once).
    monkeypatch.setenv(
        "OBSERVATOIRE_SMTP_RECIPIENTS", "refuse@region.example.fr,direction@region.example.fr"
    )
    code, _, stderr = _main(*_args(small_warehouse, tmp_path / "b"), "--send")
    assert code == brief.EXIT_PARTLY_SENT == 7
    assert "note envoyée à 1 des 2 destinataires" in stderr
    assert len(configured.messages) == 1
    state = json.loads((tmp_path / "b" / delivery.STATE_FILE).read_text(encoding="utf-8"))
    assert [entry["recipients"] for entry in state["sent"].values()] == [1]


def test_refused_credentials_exit_6_without_printing_the_password(
    small_warehouse, configured, stub_pdf, monkeypatch, tmp_path
):
    """STARTTLS and a login against a server that refuses them: smtplib's client replaced
    (the local server speaks neither TLS nor AUTH without a certificate)."""

    class Refusing:
        def __init__(self, host, port, timeout):
            assert timeout == delivery.SMTP_TIMEOUT_S

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context):
            pass

        def login(self, user, password):
            raise smtplib.SMTPAuthenticationError(535, b"5.7.8 Authentication failed")

    monkeypatch.setattr(smtplib, "SMTP", Refusing)
    monkeypatch.setenv("OBSERVATOIRE_SMTP_SECURITY", "starttls")
    monkeypatch.setenv("OBSERVATOIRE_SMTP_USER", "observatoire")
    monkeypatch.setenv("OBSERVATOIRE_SMTP_PASSWORD", "s3cret-Pa55")
    code, stdout, stderr = _main(*_args(small_warehouse, tmp_path), "--send")
    assert code == brief.EXIT_SEND_FAILED
    assert "identifiants refusés par le serveur 127.0.0.1:" in stderr and "535" in stderr
    assert "s3cret-Pa55" not in stdout + stderr


def test_without_send_or_configuration_nothing_is_sent(
    small_warehouse, inbox, configured, stub_pdf, monkeypatch, tmp_path
):
    # Configured, but no --send: the files only.
    code, stdout, stderr = _main(*_args(small_warehouse, tmp_path / "a"))
    assert (code, stderr) == (brief.EXIT_OK, "")
    assert configured.messages == [] and "Note envoyée" not in stdout
    assert not (tmp_path / "a" / delivery.STATE_FILE).exists()
    # No configuration at all: the same, exit 0.
    for name in list(os.environ):
        if name.startswith("OBSERVATOIRE_SMTP_"):
            monkeypatch.delenv(name)
    code, _, stderr = _main(*_args(small_warehouse, tmp_path / "b"))
    assert (code, stderr) == (brief.EXIT_OK, "")
    assert configured.messages == []
    # --send without configuration: refused before anything is produced.
    code, stdout, stderr = _main(*_args(small_warehouse, tmp_path / "c"), "--send")
    assert code == brief.EXIT_BAD_ARGUMENTS
    assert stderr.startswith("ERREUR : --send demande un serveur d'envoi")
    assert stdout == "" and not (tmp_path / "c").exists()
    assert configured.messages == []


def test_without_a_pdf_nothing_is_sent(small_warehouse, configured, monkeypatch, tmp_path):
    monkeypatch.setattr(report, "chromium_path", lambda: None)
    code, _, stderr = _main(*_args(small_warehouse, tmp_path), "--send")
    assert code == brief.EXIT_NO_CHROMIUM
    assert stderr.rstrip().endswith(
        "Rien n'a été envoyé : la note n'est envoyée que complète, PDF compris."
    )
    assert configured.messages == []
    assert not (tmp_path / delivery.STATE_FILE).exists()


# --- Settings ----------------------------------------------------------------------------------


def test_settings_from_a_file_and_the_environment(tmp_path):
    secrets = tmp_path / "smtp.toml"
    secrets.write_text(
        'host = "smtp.region.example.fr"\nsender = "obs@region.example.fr"\n'
        'recipients = ["a@region.example.fr", "b@region.example.fr"]\n'
        'user = "obs"\npassword = "s3cret"\n',
        encoding="utf-8",
    )
    secrets.chmod(0o640)
    env = {"OBSERVATOIRE_SMTP_FILE": str(secrets), "OBSERVATOIRE_SMTP_SECURITY": "TLS"}
    settings = delivery.SmtpSettings.load(env)
    assert settings.host == "smtp.region.example.fr" and settings.password == "s3cret"
    assert settings.recipient_list == ("a@region.example.fr", "b@region.example.fr")
    assert (settings.security, settings.effective_port) == ("tls", 465)
    assert "s3cret" not in repr(settings)
    # Readable by every user of the machine: refused, it may hold a password.
    secrets.chmod(0o644)
    with pytest.raises(delivery.DeliveryError, match="lisible ou modifiable par tous"):
        delivery.SmtpSettings.load(env)


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"OBSERVATOIRE_SMTP_PORT": "0"}, "OBSERVATOIRE_SMTP_PORT=« 0 »"),
        ({"OBSERVATOIRE_SMTP_SECURITY": "ssl"}, "OBSERVATOIRE_SMTP_SECURITY=« ssl »"),
        ({"OBSERVATOIRE_SMTP_SENDER": ""}, "réglage manquant : OBSERVATOIRE_SMTP_SENDER"),
        ({"OBSERVATOIRE_SMTP_RECIPIENTS": "a@b.fr,pas-une-adresse"}, "« pas-une-adresse »"),
        ({"OBSERVATOIRE_SMTP_USER": "obs"}, "vont ensemble"),
        (
            {"OBSERVATOIRE_SMTP_USER": "obs", "OBSERVATOIRE_SMTP_PASSWORD": "x"},
            "circulerait en clair",
        ),
    ],
)
def test_unusable_settings_are_refused_in_french(env, message):
    base = _smtp_env(25)
    with pytest.raises(delivery.DeliveryError) as refused:
        delivery.SmtpSettings.load({**base, **env})
    assert message in str(refused.value)


def test_attachment_names_keep_their_accents(tmp_path):
    named = tmp_path / "synthèse_équipements.pdf"
    named.write_bytes(FAKE_PDF)
    content = report.ReportContent(
        start=_date("2020-05-04"),
        end=_date("2020-05-10"),
        data_end=_date("2020-12-31"),
        loaded_at=None,
        generated_at=datetime(2021, 1, 1),
        platforms=(),
    )
    settings = delivery.SmtpSettings.load(_smtp_env(25))
    data = delivery.build_message(settings, content, [named]).as_bytes()
    (part,) = email.message_from_bytes(data, policy=policy.default).iter_attachments()
    assert part.get_filename() == "synthèse_équipements.pdf"
    assert part.get_content() == FAKE_PDF


def test_the_fingerprint_is_the_published_generation_else_the_file(tmp_path):
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as conn:
        conn.execute("create table config_state (name varchar, fingerprint varchar)")
        conn.execute("insert into config_state values ('generation', 'abc123')")
        found = brief.data_fingerprint(conn, "file=1:2")
    assert found.startswith("generation=abc123;targets=")
    other = tmp_path / "o.duckdb"
    with duckdb.connect(str(other)) as conn:  # no config_state: a warehouse not ours
        assert brief.data_fingerprint(conn, "file=1:2").startswith("file=1:2;targets=")
