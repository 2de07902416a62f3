"""Reading access-log files: decompression, line splitting, format detection, file identity.

Parsing the lines themselves happens in DuckDB (`etl/sql/10_stg_log_lines.sql`); this module only
turns a file into an Arrow table of (line_no, line) as fast as the bytes allow, without a
Python object per line.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import time
import zlib
from pathlib import Path

import numpy as np
import pyarrow as pa

from etl.files import os_error_fr

# RE2 patterns (DuckDB's regex dialect), one capture group per field. Fields in quotes may
# contain backslash-escaped quotes (nginx escapes `"` as `\x22`, Apache as `\"`).
_QUOTED = r'"((?:[^"\\]|\\.)*)"'
# The last field may lack its closing quote (a user agent cut by the server's line limit).
_LAST_QUOTED = r'"((?:[^"\\]|\\.)*)(?:"(?:\s.*)?)?\s*$'
# The client may be a list (`10.0.0.2, 10.0.0.1` when a proxy logs X-Forwarded-For).
_HEAD = r"(\S+(?:, \S+)*) (\S+) (\S+) \[([^\]]+)\] " + _QUOTED + r" (\d{3}) (\d+|-)"
# The first group is the virtual host: empty in the formats that do not log it.
LOG_FORMATS: dict[str, str] = {
    # %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i" [anything nginx appends]
    "combined": r"^()" + _HEAD + r" " + _QUOTED + r" " + _LAST_QUOTED,
    # %v:%p %h %l %u %t "%r" %>s %O "%{Referer}i" "%{User-Agent}i"
    "vhost_combined": r"^(\S+) " + _HEAD + r" " + _QUOTED + r" " + _LAST_QUOTED,
    # %h %l %u %t "%r" %>s %b — two empty groups stand for the absent referrer and agent
    "common": r"^()" + _HEAD + r"()()\s*$",
}
# The format that logs no user agent: its lines cannot be told robots by their agent.
FORMAT_WITHOUT_AGENT = "common"
# A plain combined line (no backslash in its quoted fields, nearly every line) splits at `"`
# into head, request, status and size, referrer, a space, agent and the rest. The SQL
# recognises it by these two capture-free regexes on the head (client, identity, user, time)
# and on the status and size, and cuts it without the full regexes above.
FAST_HEAD = r'^[^\s\["]+ [^\s\["]+ [^\s\["]+ \[[^\[\]]+\] $'
FAST_STATUS = r"^ \d{3} (?:\d+|-) $"
LOG_FIELDS = [
    "vhost",
    "ip",
    "ident",
    "user",
    "ts",
    "request",
    "status",
    "bytes",
    "referrer",
    "user_agent",
]

# Detection reads this many non-empty lines at the start of a file.
_DETECTION_SAMPLE = 200
_IDENTITY_BYTES = 4096
# Head of a file kept for its identity and its format detection when a read resumes.
_HEAD_BYTES = 512 * 1024


class LogReadError(Exception):
    """A log file that cannot be read at all (unreadable, not a gzip file …)."""


class StreamMismatch(Exception):
    """A file that starts like a loaded stream but does not hold what was loaded of it."""


# Bytes before the point an earlier load stopped at, recorded to recognise the stream there.
TAIL_BYTES = 4096


# Decompressed bytes handed to DuckDB at a time (cut at a line boundary): bounds the memory
# of a load whatever the size of a log file.
BLOCK_BYTES = 32 * 1024 * 1024
_READ_BYTES = 1024 * 1024
# Longest line parsed. nginx's default header buffers cap a request line at 8 KB; a line
# longer than this is quarantined as "ligne trop longue" with its first bytes kept, and a
# line with no end at all (a gzip bomb of one line) is cut here instead of held in memory.
MAX_LINE_BYTES = 64 * 1024
# A plain log modified this recently may still be written: its last line, when it has no
# line end yet, is left for the next load instead of being quarantined half-written.
LIVE_SECONDS = 300


class LogStream:
    """A log file read block by block: plain or gzip (several members, truncated or corrupt).

    `blocks()` yields decompressed bytes, each ending with a newline except possibly the very
    last one (a truncated last line is still a line read). After the iteration, `size` holds
    the decompressed bytes consumed, counted from the file's start even when the read was
    resumed (`resume`), and `truncated_reason` says why a gzip stream ended early.

    Hostile files stay bounded: gzip is inflated at most `_READ_BYTES` at a time (a 1 MB
    bomb inflating to 1 GiB never exists in memory at once), a line without an end is cut at
    MAX_LINE_BYTES + 1 bytes and the rest of it skipped, and a file whose lines end with CR
    alone (classic Mac OS) has them read as line ends. `held_back` counts the bytes of a last
    line still being written (a plain file modified within LIVE_SECONDS), not handed out.
    """

    def __init__(self, path: Path, block_bytes: int | None = None):
        self.path = path
        self.block_bytes = block_bytes or BLOCK_BYTES
        self.size = 0  # bytes consumed: where a later load may read on
        self.start = 0
        self.head = b""
        self.truncated_reason: str | None = None
        # Its reason code (etl/reasons.py): truncated_gzip, corrupt_gzip, read_interrupted.
        self.truncated_code: str | None = None
        self.cr_line_ends = False
        self.overlong_lines = 0
        self.held_back = 0
        # NUL bytes at the start of the file, skipped (not a line): the hole a copytruncate
        # rotation leaves when the server writes on at its old offset (no O_APPEND).
        self.leading_nuls = 0
        self._tail = b""  # the last TAIL_BYTES consumed
        self._check: tuple[int, int, str] | None = None
        self._plain = False
        self._gzip = False
        try:
            self._handle = open(path, "rb")  # noqa: SIM115 - the stream closes it
            modified = os.fstat(self._handle.fileno()).st_mtime
        except OSError as exc:
            raise LogReadError(f"fichier illisible : {os_error_fr(exc)}") from exc
        self._live = time.time() - modified < LIVE_SECONDS

    def resume(self, loaded_bytes: int | None, identity: str | None) -> bool:
        """Read on after the first `loaded_bytes` bytes, loaded before, if this is still that
        stream: a plain file with the same `identity` whose first `loaded_bytes` bytes end
        with a complete line (so the lines before are exactly the lines loaded). Checked on
        this open file, so a rotation meanwhile cannot mix two files. Else (a gzip file,
        another file, a shrunk one, a last line that was still being written) nothing
        changes and the lines are counted from the start. `head` keeps the file's first
        bytes, for its identity and format."""
        if not loaded_bytes or identity is None:
            return False
        try:
            data_start = first_data_offset(self._handle.fileno())
            head = os.pread(self._handle.fileno(), _HEAD_BYTES, data_start)
            last = os.pread(self._handle.fileno(), 1, loaded_bytes - 1)
        except OSError:
            return False
        if head[:2] == b"\x1f\x8b":
            return False
        try:  # the loaded part ended with a line end: LF, or a CR not followed by LF
            after = os.pread(self._handle.fileno(), 1, loaded_bytes)
        except OSError:
            return False
        ended = last == b"\n" or (last == b"\r" and after != b"\n")
        head = _lone_cr_to_lf(head)
        if not ended or file_identity(head) != identity:
            return False
        if self._check and self._check[0] == loaded_bytes:
            length, digest = self._check[1], self._check[2]
            try:
                before = _lone_cr_to_lf(
                    os.pread(self._handle.fileno(), length + 1, loaded_bytes - length)
                )[:length]
            except OSError:
                return False
            if hashlib.sha256(before).hexdigest() != digest:
                return False  # not the content loaded: read from the start, where it is told
            self._check = None
            self._tail = before
        self._handle.seek(loaded_bytes)
        self.start = self.size = loaded_bytes
        self.head = head
        self._plain = True  # in the middle of a plain file, `\x1f\x8b` is text
        return True

    def close(self) -> None:
        self._handle.close()

    def blocks(self):
        pending: list[bytes] = []
        pending_size = 0
        skipping = False  # inside a line longer than MAX_LINE_BYTES, already handed out cut
        carry = b""  # a CR ending a piece: a lone CR or half of a CRLF, told by the next piece
        try:
            for piece in self._pieces_with_line_ends(carry):
                if skipping:
                    end = piece.find(b"\n")
                    if end < 0:
                        self._consume(piece)
                        continue
                    self._consume(piece[: end + 1])
                    piece, skipping = piece[end + 1 :], False
                    if not piece:
                        continue
                pending.append(piece)
                pending_size += len(piece)
                if pending_size >= self.block_bytes:
                    data = b"".join(pending)
                    while len(data) >= self.block_bytes:
                        # The last line boundary within the block size, else (one enormous
                        # line) the first one after it.
                        cut = (
                            data.rfind(b"\n", 0, self.block_bytes) + 1
                            or data.find(b"\n", self.block_bytes) + 1
                        )
                        if not cut and len(data) <= MAX_LINE_BYTES:
                            break  # no line end yet: keep gathering
                        if not cut:
                            # No line end in MAX_LINE_BYTES: one line, too long to parse. Its
                            # head is handed out as a line (quarantined), the rest skipped.
                            self.overlong_lines += 1
                            self._consume(data)
                            yield data[: MAX_LINE_BYTES + 1] + b"\n"
                            data, skipping = b"", True
                            break
                        self._consume(data[:cut])
                        yield data[:cut]
                        data = data[cut:]
                    pending, pending_size = ([data], len(data)) if data else ([], 0)
        except OSError as exc:
            raise LogReadError(f"fichier illisible : {os_error_fr(exc)}") from exc
        finally:
            self._handle.close()
        if pending_size:
            data = b"".join(pending)
            if self._live and not self._gzip and not data.endswith(b"\n"):
                # A live log's last line without its end: the server is still writing it.
                cut = data.rfind(b"\n") + 1
                self.held_back = len(data) - cut
                data = data[:cut]
            if data:
                self._consume(data)
                yield data
        if self._check:
            raise StreamMismatch("le fichier est plus court que ce qui en a été chargé")

    def expect_loaded(self, offset: int, length: int | None, digest: str | None) -> None:
        """Check, when the read reaches `offset` (the bytes an earlier load consumed), that
        the `length` bytes before it are the ones that load recorded (`tail_digest`), and
        raise StreamMismatch otherwise: a file that starts like a loaded one but was rewritten
        since (a restored copy, a log put back and written on) must not have its first lines
        skipped as "already loaded"."""
        if offset and length and digest:
            self._check = (offset, length, digest)

    def tail_digest(self) -> tuple[int, str]:
        """(length, sha256) of the last TAIL_BYTES bytes consumed, ending at `size`."""
        return len(self._tail), hashlib.sha256(self._tail).hexdigest()

    def _consume(self, chunk: bytes) -> None:
        before, after = self.size, self.size + len(chunk)
        if self._check and before < self._check[0] <= after:
            offset, length, digest = self._check
            seen = (self._tail + chunk[: offset - before])[-length:]
            if len(seen) < length or hashlib.sha256(seen).hexdigest() != digest:
                raise StreamMismatch("le contenu déjà chargé de ce journal a changé depuis")
            self._check = None
        self._tail = (self._tail + chunk[-TAIL_BYTES:])[-TAIL_BYTES:]
        self.size = after

    def _pieces_with_line_ends(self, carry: bytes):
        """The pieces, with every lone CR (not followed by LF) read as a line end: some
        exporters end lines with CR alone, for a whole file or a stretch of it. Bytes keep
        their offsets (one byte for one), so a later read can resume at the same place."""
        at_start = self.start == 0
        for piece in self._pieces():
            if at_start and piece:
                # A hole of NULs at the file's start identifies nothing and is no line:
                # skipped, its bytes counted where they are (offsets stay those of the file).
                data = piece.lstrip(b"\x00")
                if len(data) < len(piece):
                    self.leading_nuls += len(piece) - len(data)
                    self._consume(piece[: len(piece) - len(data)])
                piece, at_start = data, not data
            if not piece:
                continue
            piece = carry + piece
            carry = b""
            if b"\r" in piece:
                if piece.endswith(b"\r"):
                    piece, carry = piece[:-1], b"\r"
                converted = _lone_cr_to_lf(piece)
                if converted != piece:
                    self.cr_line_ends = True
                piece = converted
            if piece:
                yield piece
        if carry:
            self.cr_line_ends = True
            yield b"\n"

    def _pieces(self):
        first = self._handle.read(_READ_BYTES)
        if self._plain or first[:2] != b"\x1f\x8b":
            while first:
                yield first
                first = self._handle.read(_READ_BYTES)
            return
        self._gzip = True
        yield from self._gunzip(first)

    def _gunzip(self, data: bytes):
        """Every gzip member in turn, `_READ_BYTES` of output at most at a time; on a
        truncated or corrupt stream, what came out."""
        decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        in_member = False
        while True:
            if not data:
                data = self._handle.read(_READ_BYTES)
                if not data:
                    if in_member:
                        self.truncated_reason = "gzip tronqué : fin de fichier inattendue"
                        self.truncated_code = "truncated_gzip"
                    return
            if not in_member:
                data = data.lstrip(b"\x00")  # padding between or after members
                if not data:
                    continue
                in_member = True
            try:
                while True:
                    out = decompressor.decompress(data, _READ_BYTES)
                    yield out
                    data = decompressor.unconsumed_tail
                    if decompressor.eof or (not data and len(out) < _READ_BYTES):
                        break
            except zlib.error:
                self.truncated_reason = "gzip corrompu : données compressées invalides"
                self.truncated_code = "corrupt_gzip"
                return
            if decompressor.eof:
                data = decompressor.unused_data
                decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
                in_member = False
            else:
                data = b""


_LONE_CR = re.compile(rb"\r(?!\n)")


def _lone_cr_to_lf(data: bytes) -> bytes:
    """Every CR not followed by LF read as LF (a CR at the very end counts as lone)."""
    return _LONE_CR.sub(b"\n", data) if b"\r" in data else data


def peek_head(path: Path) -> bytes | None:
    """The first HEAD_MATCH_BYTES decompressed bytes of a file (lone CRs read as LF, as the
    blocks read them), cheaply, or None when it cannot be read or holds no complete line."""
    want = HEAD_MATCH_BYTES + 1  # one more: is a last CR half of a CRLF?
    try:
        with open(path, "rb") as fh:
            magic = fh.read(2)
            if magic != b"\x1f\x8b":
                head = os.pread(fh.fileno(), want, first_data_offset(fh.fileno()))
            else:
                fh.seek(0)
                head = _gzip_head(fh, want)
    except (OSError, zlib.error):
        return None
    if head is None:
        return None
    head = _lone_cr_to_lf(head)[:HEAD_MATCH_BYTES]
    if b"\n" not in head.lstrip(b"\x00\r\n")[:_IDENTITY_BYTES]:
        return None
    return head


def first_data_offset(fd: int) -> int:
    """Offset of a plain file's first byte that is not NUL: after the hole of NULs that a
    copytruncate rotation leaves at the start of a log its server writes on at the old offset
    (opened without O_APPEND). A sparse hole is skipped by SEEK_DATA, the rest read."""
    offset = 0
    try:
        offset = os.lseek(fd, 0, os.SEEK_DATA)
    except OSError as exc:
        if exc.errno == errno.ENXIO:  # nothing but a hole
            return os.fstat(fd).st_size
    while True:
        chunk = os.pread(fd, _READ_BYTES, offset)
        data = chunk.lstrip(b"\x00")
        offset += len(chunk) - len(data)
        if data or not chunk:
            return offset


def _gzip_head(fh, want: int) -> bytes | None:
    """The first `want` decompressed bytes of a gzip file after its leading NULs (a holed log
    compressed at rotation), at most _READ_BYTES inflated at a time."""
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    head = b""
    data = fh.read(_READ_BYTES)
    while data and len(head) < want:
        out = decompressor.decompress(data, _READ_BYTES)
        head = (head + out) if head else out.lstrip(b"\x00")
        data = decompressor.unconsumed_tail or (b"" if decompressor.eof else fh.read(_READ_BYTES))
    return head[:want] or None


def peek_identity(path: Path) -> str | None:
    """Identity from the head of the file alone (cheap), or None when it cannot be read."""
    head = peek_head(path)
    return None if head is None else file_identity(head)


# Bytes of a stream's head recorded when it is loaded: a later file is the same stream (grown,
# rotated, gzipped) only if it starts with the same first line AND the same head bytes, so
# two logs that merely share a first line are told apart.
HEAD_MATCH_BYTES = 64 * 1024


def head_digest(head: bytes) -> tuple[int, str]:
    """(length, sha256) of the head recorded for a stream: its first HEAD_MATCH_BYTES bytes."""
    head = head.lstrip(b"\x00")[:HEAD_MATCH_BYTES]  # NULs alone never identify a stream
    return len(head), hashlib.sha256(head).hexdigest()


def same_head(head: bytes, length: int | None, digest: str | None) -> bool:
    """Whether `head` starts with the recorded head (unrecorded: an older load's, assumed)."""
    if length is None or digest is None:
        return True
    head = head.lstrip(b"\x00")
    return len(head) >= length and hashlib.sha256(head[:length]).hexdigest() == digest


def file_identity(content: bytes) -> str:
    """Identity of a log stream: hash of its first line.

    Rotation renames `access.log` to `access.log.1` and later gzips it, and a live file grows:
    in every case the first line stays the same, and a log line carries a client, a time to
    the second and a request, so two different logs practically never share it. (The whole
    head cannot be used: a small file that grows changes its head.)
    """
    # Leading blank lines, or a hole of NULs, would make unrelated files collide.
    content = content.lstrip(b"\x00\r\n")
    cut = content.find(b"\n", 0, _IDENTITY_BYTES)
    head = content[: cut + 1] if cut >= 0 else content[:_IDENTITY_BYTES]
    return hashlib.sha256(head).hexdigest()[:32]


def lines_table(content: bytes, skip_lines: int = 0, first_line_no: int = 1) -> pa.Table:
    """Arrow table (line_no, line) of every line, zero-copy over the bytes of a file or of one
    of its blocks (whose first line is line `first_line_no` of the file).

    Each `line` keeps its trailing newline (the SQL strips it), which lets the Arrow offsets
    be the newline positions themselves. A final line without a newline is kept: a truncated
    last line is still a line read. Bytes that are not valid UTF-8 become U+FFFD, so the line
    is kept and can be shown.
    """
    lines = _lines_array(content, skip_lines)
    try:
        lines.validate(full=True)  # UTF-8 checked in C++, without a decoded copy
    except pa.ArrowInvalid:
        lines = _lines_array(content.decode("utf-8", errors="replace").encode("utf-8"), skip_lines)
    count = len(lines)
    line_no = np.arange(
        first_line_no + skip_lines, first_line_no + skip_lines + count, dtype=np.int64
    )
    return pa.table({"line_no": pa.array(line_no), "line": lines})


def _lines_array(content: bytes, skip_lines: int) -> pa.LargeStringArray:
    newline_ends = np.flatnonzero(np.frombuffer(content, dtype=np.uint8) == 10) + 1
    ends = newline_ends
    if len(content) and (len(newline_ends) == 0 or newline_ends[-1] != len(content)):
        ends = np.append(newline_ends, len(content))
    offsets = np.concatenate(([0], ends)).astype(np.int64)
    offsets = offsets[skip_lines:] if skip_lines < len(offsets) else offsets[-1:]
    start = int(offsets[0])
    return pa.LargeStringArray.from_buffers(
        len(offsets) - 1, pa.py_buffer(offsets - start), pa.py_buffer(memoryview(content)[start:])
    )


def detect_format(sample_lines: list[str]) -> str:
    """Pick the format that parses most of the first non-empty lines (combined on ties)."""
    lines = [line for line in sample_lines if line.strip()][:_DETECTION_SAMPLE]
    if not lines:
        return "combined"
    scores = {}
    for name, pattern in LOG_FORMATS.items():
        regex = re.compile(_re2_to_python(pattern))
        scores[name] = sum(1 for line in lines if regex.match(line.rstrip("\r")))
    best = max(scores.values())
    for name in LOG_FORMATS:  # dict order: combined first, so it wins ties
        if scores[name] == best:
            return name
    return "combined"


def patterns_in_order(preferred: str) -> dict[str, str]:
    """SQL parameters: the file's format first, then the others as per-line fallbacks."""
    others = [name for name in LOG_FORMATS if name != preferred]
    return {
        "fast_head": FAST_HEAD,
        "fast_status": FAST_STATUS,
        "pattern": LOG_FORMATS[preferred],
        "fallback_1": LOG_FORMATS[others[0]],
        "fallback_2": LOG_FORMATS[others[1]],
        # Which of them parsed a line: its fields say whether the agent was logged at all.
        "pattern_format": preferred,
        "fallback_1_format": others[0],
        "fallback_2_format": others[1],
        "format_without_agent": FORMAT_WITHOUT_AGENT,
        "max_line_bytes": MAX_LINE_BYTES,
    }


def _re2_to_python(pattern: str) -> str:
    return pattern  # the patterns above use only syntax common to RE2 and Python's re


def sample_lines(content: bytes, count: int = _DETECTION_SAMPLE) -> list[str]:
    head = content[: 512 * 1024].decode("utf-8", errors="replace")
    return head.split("\n")[: count * 2]
