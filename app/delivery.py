"""Delivery of the brief by e-mail, and the record of what was sent (docs/brief.md).

* `SmtpSettings.load()`: the SMTP settings, from a TOML file outside git named by
  `OBSERVATOIRE_SMTP_FILE` and from environment variables `OBSERVATOIRE_SMTP_<NAME>` (which
  win over the file), checked before the brief is produced. No host, nothing is configured.
* `build_message(...)`: the French e-mail, its text taken from the same `ReportContent` the
  HTML brief is rendered from (no figure is computed again here), the PDF and CSV attached.
* `send(...)`: standard library only (`smtplib`, `ssl`), every wait bounded by
  `SMTP_TIMEOUT_S`; each failure becomes a `DeliveryError` with one French line.
* `SentState`: `.brief-state.json` in the outbox, the data fingerprint of the last brief sent
  for each brief identity (platform, period, filters), written atomically.
* `last_sending()`: the last brief sent (when, to how many, which period), for the note on
  *Vue d'ensemble*; None when nothing usable is recorded.

No Streamlit here. The password is never printed nor written anywhere.
"""

from __future__ import annotations

import json
import os
import re
import smtplib
import ssl
import stat
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path
from zoneinfo import ZoneInfo

from app import labels, report
from app.fmt import fr_date, fr_int
from etl.terminal_text import printable

ENV_PREFIX = "OBSERVATOIRE_SMTP_"
FILE_ENV_VAR = "OBSERVATOIRE_SMTP_FILE"
SECURITY_MODES = ("starttls", "tls", "none")
# The port each security mode is usually served on (RFC 8314: 465 for implicit TLS, 587 for
# submission with STARTTLS; 25 for a relay on the machine or the local network).
DEFAULT_PORTS = {"starttls": 587, "tls": 465, "none": 25}
# Every network wait of one delivery (connection, each reply): 30 s, far beyond a working
# relay's answer, so that a server that accepts and then says nothing fails the run (exit 6)
# instead of hanging the scheduler.
SMTP_TIMEOUT_S = 30
# The headline figures the e-mail's body quotes, by label (the report's `headlines` are
# (label, value, change) text; the HTML shows them all): audience and offer.
MAIL_HEADLINES = (
    labels.METRIC_VISITS,
    labels.METRIC_ACTIVE_SUPPLIERS,
    labels.METRIC_ACTIVE_LISTINGS,
)
STATE_FILE = ".brief-state.json"
# The outbox `python -m app.brief` writes to without `--out` (app/brief.py), and where the
# dashboard looks for the state of the last brief sent.
DEFAULT_OUTBOX = Path(__file__).resolve().parent.parent / "outbox"
# The dashboard's readers are in Paris: a send time is shown in its time (stored in UTC).
PARIS = ZoneInfo("Europe/Paris")
_ADDRESS = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


class DeliveryError(Exception):
    """Settings that cannot be used, or an e-mail the server did not take: French message."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str = field(
        default="",
        metadata={"help": "SMTP server (name or address). Empty: no e-mail is configured."},
    )
    port: int | None = field(
        default=None,
        metadata={
            "help": "SMTP port; default 587 with `starttls`, 465 with `tls`, 25 with `none`."
        },
    )
    security: str = field(
        default="starttls",
        metadata={
            "help": "`starttls` (plain connection upgraded to TLS), `tls` (TLS from the start) or `none` (a relay on the machine or the local network, without credentials)."
        },
    )
    sender: str = field(
        default="",
        metadata={"help": "Sender address (`From`), bare or `Name <address>`."},
    )
    recipients: str = field(
        default="",
        metadata={"help": "Recipients' addresses, separated by commas (a list in the file)."},
    )
    user: str = field(
        default="",
        metadata={"help": "Login on the server, with `password`; not allowed with `none`."},
    )
    password: str = field(
        default="",
        metadata={"help": "Password of `user`; best kept in the file (mode 600), never printed."},
    )

    def __repr__(self) -> str:  # the password must not reach a log through a repr
        return f"SmtpSettings(host={self.host!r}, port={self.port!r}, security={self.security!r})"

    @property
    def configured(self) -> bool:
        return bool(self.host)

    @property
    def recipient_list(self) -> tuple[str, ...]:
        return tuple(a.strip() for a in self.recipients.split(",") if a.strip())

    @property
    def effective_port(self) -> int:
        return self.port if self.port is not None else DEFAULT_PORTS[self.security]

    @classmethod
    def load(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings:
        """The settings from the file (if `OBSERVATOIRE_SMTP_FILE` names one) and the
        environment, which wins; a `DeliveryError` for a file or a value that is refused."""
        environ = os.environ if environ is None else environ
        values: dict[str, object] = {}
        file_name = environ.get(FILE_ENV_VAR, "").strip()
        if file_name:
            values.update(_read_file(Path(file_name).expanduser()))
        for f in fields(cls):
            env = environ.get(ENV_PREFIX + f.name.upper())
            if env is not None and env.strip():
                values[f.name] = env.strip() if f.name != "password" else env
        if isinstance(values.get("security"), str):  # `STARTTLS` as written in most manuals
            values["security"] = values["security"].strip().lower()
        if "port" in values:
            values["port"] = _port(values["port"])
        if isinstance(values.get("recipients"), list):
            values["recipients"] = ",".join(str(a) for a in values["recipients"])
        for name, value in values.items():
            if name != "port" and not isinstance(value, str):
                raise DeliveryError(labels.SMTP_BAD_VALUE.format(name=name.upper(), value="…"))
        settings = cls(**values)
        if settings.configured:
            settings.check()
        return settings

    def check(self) -> None:
        """Refuse, in French, settings that cannot send: every problem in one message."""
        problems = []
        if self.security not in SECURITY_MODES:
            problems.append(
                labels.SMTP_BAD_SECURITY.format(
                    value=printable(self.security), modes=", ".join(SECURITY_MODES)
                )
            )
        for name in ("sender", "recipients"):
            if not getattr(self, name).strip():
                problems.append(labels.SMTP_MISSING.format(name=name.upper()))
        if self.sender.strip() and not _ADDRESS.match(parseaddr(self.sender)[1]):
            problems.append(
                labels.SMTP_BAD_ADDRESS.format(name="SENDER", value=printable(self.sender))
            )
        bad = [a for a in self.recipient_list if not _ADDRESS.match(a)]
        if bad:
            problems.append(
                labels.SMTP_BAD_ADDRESS.format(name="RECIPIENTS", value=printable(", ".join(bad)))
            )
        if bool(self.user) != bool(self.password):
            problems.append(labels.SMTP_USER_WITHOUT_PASSWORD)
        if self.user and self.security == "none":
            problems.append(labels.SMTP_CREDENTIALS_IN_CLEAR)
        if problems:
            raise DeliveryError(" ".join(problems))


def _port(value: object) -> int:
    try:
        port = int(str(value).strip())
    except ValueError:
        port = 0
    if isinstance(value, bool) or not 1 <= port <= 65535:
        raise DeliveryError(labels.SMTP_BAD_PORT.format(value=printable(str(value))))
    return port


def _read_file(path: Path) -> dict[str, object]:
    """The TOML settings file: refused if others may read it (it may hold the password)."""
    shown = printable(str(path))
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IROTH | stat.S_IWOTH):
            raise DeliveryError(
                labels.SMTP_FILE_OPEN_TO_ALL.format(path=shown, mode=f"{stat.S_IMODE(mode):o}")
            )
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DeliveryError(labels.SMTP_FILE_MISSING.format(path=shown)) from None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        detail = printable(str(error).splitlines()[0] if str(error) else type(error).__name__)
        raise DeliveryError(labels.SMTP_FILE_UNREADABLE.format(path=shown, detail=detail)) from None
    known = {f.name for f in fields(SmtpSettings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise DeliveryError(
            labels.SMTP_FILE_UNKNOWN_KEYS.format(
                path=shown, keys=printable(", ".join(unknown)), known=", ".join(sorted(known))
            )
        )
    return data


# --- The message -------------------------------------------------------------------------------


def subject(content: report.ReportContent) -> str:
    """« Observatoire des circuits courts — note de synthèse du 21 décembre 2020 au 27 décembre
    2020 — Produits frais locaux »: the report's title, its period, its platforms."""
    period = labels.PERIOD_TEXT.format(start=fr_date(content.start), end=fr_date(content.end))
    names = labels.MAIL_PLATFORMS_JOIN.join(p.name for p in content.platforms)
    return labels.MAIL_SUBJECT.format(title=labels.REPORT_TITLE, period=period, platforms=names)


def body(content: report.ReportContent) -> str:
    """The plain-text body: for each platform its filters, its verdict and three headline
    figures (text already formatted for the report: `ReportContent` is the one source)."""
    period = labels.PERIOD_TEXT.format(start=fr_date(content.start), end=fr_date(content.end))
    lines = [
        labels.MAIL_GREETING,
        "",
        labels.MAIL_INTRO.format(
            period=period,
            data_end=fr_date(content.data_end),
        ),
    ]
    lines += [f"{labels.MAIL_NOTICE_PREFIX}{notice}" for notice in content.notices]
    if content.scope_note:
        lines.append(content.scope_note)
    for platform in content.platforms:
        lines += ["", f"{platform.name} ({platform.filters_text})"]
        if platform.missing_notice:
            lines.append(f"{labels.MAIL_NOTICE_PREFIX}{platform.missing_notice}")
        lines.append(labels.MAIL_VERDICT.format(verdict=platform.verdict))
        for label, value, change in platform.headlines:
            if label in MAIL_HEADLINES:
                lines.append(labels.MAIL_HEADLINE.format(label=label, value=value, change=change))
    lines += ["", labels.MAIL_ATTACHMENTS]
    lines += ["", labels.MAIL_SIGNATURE]
    return "\n".join(lines) + "\n"


# (maintype, subtype) of each attachment, by suffix.
ATTACHMENT_TYPES = {".pdf": ("application", "pdf"), ".csv": ("text", "csv")}


def build_message(
    settings: SmtpSettings, content: report.ReportContent, attachments: Sequence[Path]
) -> EmailMessage:
    """The e-mail of one brief: French subject and body, the files attached as they are on
    disk (bytes, base64: the CSV's BOM and accents reach Excel untouched)."""
    message = EmailMessage()
    message["Subject"] = subject(content)
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipient_list)
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=parseaddr(settings.sender)[1].rpartition("@")[2])
    message.set_content(body(content))
    for path in attachments:
        maintype, subtype = ATTACHMENT_TYPES[path.suffix]
        message.add_attachment(
            path.read_bytes(), maintype=maintype, subtype=subtype, filename=path.name
        )
    return message


# --- Sending -----------------------------------------------------------------------------------


class PartlyRefused(DeliveryError):
    """The server took the message for some recipients and refused the others."""

    def __init__(self, message: str, accepted: int) -> None:
        super().__init__(message)
        self.accepted = accepted


def send(settings: SmtpSettings, message: EmailMessage) -> int:
    """Send `message` to the recipients; the number of recipients the server took. A
    `DeliveryError` (one French line, never the password) when none was taken, a
    `PartlyRefused` when only some were."""
    server = printable(f"{settings.host}:{settings.effective_port}")
    try:
        context = ssl.create_default_context()
        if settings.security == "tls":
            client = smtplib.SMTP_SSL(
                settings.host, settings.effective_port, timeout=SMTP_TIMEOUT_S, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.effective_port, timeout=SMTP_TIMEOUT_S)
        with client:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.user:
                client.login(settings.user, settings.password)
            refused = client.send_message(message, to_addrs=list(settings.recipient_list))
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryError(
            labels.SMTP_AUTH_REFUSED.format(server=server, code=error.smtp_code)
        ) from None
    except smtplib.SMTPRecipientsRefused as error:
        raise DeliveryError(
            labels.SMTP_RECIPIENTS_REFUSED.format(
                server=server, refused=_refusals(error.recipients)
            )
        ) from None
    except smtplib.SMTPSenderRefused as error:
        raise DeliveryError(
            labels.SMTP_SENDER_REFUSED.format(server=server, code=error.smtp_code)
        ) from None
    except smtplib.SMTPNotSupportedError:
        raise DeliveryError(labels.SMTP_NOT_SUPPORTED.format(server=server)) from None
    except smtplib.SMTPResponseException as error:
        raise DeliveryError(
            labels.SMTP_REFUSED.format(server=server, code=error.smtp_code)
        ) from None
    except (TimeoutError, smtplib.SMTPServerDisconnected) as error:
        # smtplib reports a reply that did not come in time as a disconnection, the
        # timeout as its context.
        if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
            raise DeliveryError(
                labels.SMTP_TIMEOUT.format(server=server, seconds=SMTP_TIMEOUT_S)
            ) from None
        raise DeliveryError(labels.SMTP_DISCONNECTED.format(server=server)) from None
    except ssl.SSLError as error:
        raise DeliveryError(
            labels.SMTP_TLS_FAILED.format(server=server, detail=printable(error.reason or "SSL"))
        ) from None
    except OSError as error:  # refused, unreachable, unknown host
        detail = printable(error.strerror or type(error).__name__)
        raise DeliveryError(
            labels.SMTP_CONNECT_FAILED.format(server=server, detail=detail)
        ) from None
    wanted = len(settings.recipient_list)
    if refused:
        raise PartlyRefused(
            labels.SMTP_PARTLY_REFUSED.format(
                accepted=wanted - len(refused), total=wanted, refused=_refusals(refused)
            ),
            accepted=wanted - len(refused),
        )
    return wanted


def _refusals(refused: Mapping[str, tuple[int, bytes]]) -> str:
    return printable(", ".join(f"{address} ({code})" for address, (code, _) in refused.items()))


# --- What was sent -----------------------------------------------------------------------------


@dataclass
class SentState:
    """`<outbox>/.brief-state.json`: for each brief identity, the fingerprint of the data its
    last brief was sent from, when, and to how many recipients (no addresses)."""

    path: Path
    entries: dict[str, dict[str, object]]

    @classmethod
    def read(cls, outbox: Path) -> SentState:
        """The state; an unreadable or damaged file counts as empty (the next send rewrites
        it): at worst one brief is sent again, never one lost."""
        path = outbox / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["sent"] if isinstance(data.get("sent"), dict) else {}
        except (OSError, ValueError, AttributeError, KeyError):
            entries = {}
        return cls(path, {k: v for k, v in entries.items() if isinstance(v, dict)})

    def already_sent(self, identity: str, fingerprint: str) -> bool:
        return self.entries.get(identity, {}).get("fingerprint") == fingerprint

    def record(self, identity: str, fingerprint: str, recipients: int, files: Sequence[str]):
        self.entries[identity] = {
            "fingerprint": fingerprint,
            "sent_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "recipients": recipients,
            "files": list(files),
        }

    def to_bytes(self) -> bytes:
        data = {"version": 1, "sent": dict(sorted(self.entries.items()))}
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


@dataclass(frozen=True)
class LastSending:
    """The last brief sent, as the dashboard says it: no address, no file name."""

    sent_at: datetime  # aware, in Paris time
    recipients: int
    start: date
    end: date


def recipients_text(count: int) -> str:
    """« 1 destinataire », « 2 destinataires »: the command's line and the dashboard's note."""
    return labels.REPORT_RECIPIENTS[1 if count <= 1 else "other"].format(count=fr_int(count))


def last_sending(outbox: Path | None = None) -> LastSending | None:
    """The most recent send recorded in `<outbox>/.brief-state.json` (default: the brief's
    outbox). None when the file is missing, unreadable or damaged, or holds no entry whose
    time, recipient count and period can be read: the dashboard then says so, never fails."""
    state = SentState.read(DEFAULT_OUTBOX if outbox is None else outbox)
    found = [_sending(identity, entry) for identity, entry in state.entries.items()]
    found = [sending for sending in found if sending is not None]
    return max(found, key=lambda sending: sending.sent_at, default=None)


def _sending(identity: str, entry: Mapping[str, object]) -> LastSending | None:
    parts = dict(part.partition("=")[::2] for part in str(identity).split(";"))
    recipients = entry.get("recipients")
    try:
        sent_at = datetime.fromisoformat(str(entry.get("sent_at")))
        start, end = date.fromisoformat(parts["start"]), date.fromisoformat(parts["end"])
    except (KeyError, ValueError):
        return None
    if not isinstance(recipients, int) or isinstance(recipients, bool) or recipients < 0:
        return None
    if sent_at.tzinfo is None:  # written in UTC (`SentState.record`)
        sent_at = sent_at.replace(tzinfo=UTC)
    return LastSending(sent_at.astimezone(PARIS), recipients, start, end)
