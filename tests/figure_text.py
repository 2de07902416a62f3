"""Every string of a Plotly figure spec, with where it stands: what the injection tests read
to check that data reaches charts as inert text."""

from __future__ import annotations

from collections.abc import Iterator


def strings_in(node, path: str = "figure") -> Iterator[tuple[str, str]]:
    """(path, text) of every string below `node` (dicts and lists walked in order)."""
    if isinstance(node, str):
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from strings_in(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from strings_in(value, f"{path}[{i}]")
