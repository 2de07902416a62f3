"""The text of a PDF printed by Chromium, page by page, for tests (no PDF library in the
project): Chromium's Skia writes plain objects, Flate streams, hex-encoded glyph strings
and a ToUnicode map per font. Not a general PDF reader: object streams, encrypted files and
other producers are out of scope."""

from __future__ import annotations

import re
import zlib

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)\r?\nendstream", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")
# A font selection, a glyph string, an array of glyph strings, or the end of a text block.
_TEXT_OPERATOR = re.compile(
    rb"/([\w.+-]+) [\d.]+ Tf|<([0-9A-Fa-f]*)>\s*Tj|\[(.*?)\]\s*TJ|(ET)", re.S
)


def _stream(body: bytes) -> bytes:
    found = _STREAM.search(body)
    if not found:
        return b""
    data = found.group(1)
    if b"/FlateDecode" in body[: found.start()]:
        return zlib.decompressobj().decompress(data)
    return data


def _unicode_map(cmap: bytes) -> dict[int, str]:
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for source, target in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            table[int(source, 16)] = bytes.fromhex(target.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        ranges = re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block)
        for first, last, target in ranges:
            start = int.from_bytes(bytes.fromhex(target.decode()), "big")
            for offset, code in enumerate(range(int(first, 16), int(last, 16) + 1)):
                table[code] = chr(start + offset)
    return table


def pages(pdf: bytes) -> list[str]:
    """The text of each page, in drawing order; a text block ends with a line break and a
    glyph without a Unicode mapping reads "?"."""
    objects = {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(pdf)}
    fonts = {}
    for number, body in objects.items():
        to_unicode = re.search(rb"/ToUnicode (\d+) 0 R", body)
        if to_unicode and b"/Font" in body:
            fonts[number] = _unicode_map(_stream(objects[int(to_unicode.group(1))]))
    texts = []
    for body in objects.values():
        if not re.search(rb"/Type\s*/Page(?!s)", body):
            continue
        resources = body
        indirect = re.search(rb"/Resources (\d+) 0 R", body)
        if indirect:
            resources = objects[int(indirect.group(1))]
        font_names = {}
        font_block = re.search(rb"/Font\s*<<(.*?)>>", resources, re.S)
        if font_block:
            for name, ref in re.findall(rb"/([\w.+-]+) (\d+) 0 R", font_block.group(1)):
                font_names[name] = fonts.get(int(ref), {})
        text: list[str] = []
        for content in re.findall(rb"/Contents (\d+) 0 R", body):
            current: dict[int, str] = {}
            for match in _TEXT_OPERATOR.finditer(_stream(objects[int(content)])):
                font, single, array, end = match.groups()
                if font:
                    current = font_names.get(font, {})
                elif end:
                    text.append("\n")
                else:
                    strings = [single] if single is not None else _HEX.findall(array)
                    for glyphs in strings:
                        codes = glyphs.decode()
                        text.extend(
                            current.get(int(codes[i : i + 4], 16), "?")
                            for i in range(0, len(codes), 4)
                        )
        texts.append("".join(text))
    return texts
