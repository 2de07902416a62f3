"""Data made inert for Plotly and long texts wrapped: every data string goes through
`_data` or `_data_lines` (`app.inert.plotly`: shortened, `&`, `<`, `>` as entities), every
label of ours through `_escape`, before our own `<br>` are put around them."""

from __future__ import annotations

from app import inert


def _data(value) -> str:
    """A data string for a figure: shortened, `&`, `<`, `>` as entities (`app.inert`)."""
    return inert.plotly(value)


def _escape(text) -> str:
    """One of our own texts (a label, a formatted figure) for a figure, escaped like data but
    never shortened: it may hold a `&`, and it may hold a name."""
    return inert.plotly(text, limit=None)


def _data_lines(value, width: int) -> str:
    """A data string (shortened) broken over lines of about `width` characters."""
    return _wrap(inert.shorten(value), width)


def _wrap(text: str, width: int) -> str:
    """Break a long label over several lines, each escaped (Plotly understands <br>)."""
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(_escape(line) for line in lines)


def _wrap_parts(text: str, width: int, separator: str = " · ") -> list[str]:
    """Lines of a ' · '-separated subtitle, breaking between parts when possible."""
    lines, line = [], ""
    for part in text.split(separator):
        candidate = f"{line}{separator}{part}" if line else part
        if line and len(candidate) > width:
            lines.append(line)
            line = part
        else:
            line = candidate
    lines.append(line)
    return [wrapped for chunk in lines for wrapped in _wrap(chunk, width).split("<br>")]
