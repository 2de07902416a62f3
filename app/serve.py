"""The dashboard server: `python -m app.serve [streamlit run options]`.

The same as `streamlit run dashboard.py [options]` (`make run` and the browser tests start it
this way), plus the background warm-up of `app.warmup`: Streamlit has no start-up hook, so
this launcher starts the warm-up thread and then hands over to Streamlit's own command line
in the same process, where the caches the thread fills are the pages' caches.
`OBSERVATOIRE_WARMUP=0` leaves the warm-up out (docs/settings.md).
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
WARMUP_THREAD = "observatoire-warmup"


class _WarmupThreadNoise(logging.Filter):
    """Streamlit warns about every cached call made outside a page ("missing
    ScriptRunContext"): expected for the warm-up thread, noise in the server's log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.threadName == WARMUP_THREAD and "ScriptRunContext" in record.msg)


def _log_to_stderr() -> None:
    # The warm-up's own lines (passes, failures) in the server's log, beside Streamlit's.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger = logging.getLogger("app.warmup")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").addFilter(
        _WarmupThreadNoise()
    )


def data_export_disabled(options: list[str]) -> bool:
    """Whether the server about to start has the grid's own export switched off, by the
    command line or by a config.toml Streamlit reads (the working folder's `.streamlit/`, then
    the user's). Read here without Streamlit's config parser: parsing it before the server
    does changes the server's logging and warns of a changed config."""
    import tomllib

    from streamlit import file_util

    flag = "--client.disableDataExport"
    for i, option in enumerate(options):
        if option.startswith(flag + "="):
            return option.split("=", 1)[1].strip().lower() == "true"
        if option == flag and i + 1 < len(options):
            return options[i + 1].strip().lower() == "true"
    for path in (
        file_util.get_project_streamlit_file_path("config.toml"),  # wins over the user's
        file_util.get_streamlit_file_path("config.toml"),
    ):
        try:
            with open(path, "rb") as config_file:
                client = tomllib.load(config_file).get("client", {})
        except (OSError, tomllib.TOMLDecodeError):
            continue
        if "disableDataExport" in client:
            return client["disableDataExport"] is True
    return False


def main(argv: list[str] | None = None) -> None:
    options = list(sys.argv[1:] if argv is None else argv)
    # Refuse to start rather than serve a grid whose export writes formulas raw.
    if not data_export_disabled(options):
        from app import labels

        sys.exit(labels.DATA_EXPORT_NOT_DISABLED)
    from app import warmup

    _log_to_stderr()
    warmup.start_in_background()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(DASHBOARD), *options]
    cli.main(prog_name="streamlit")  # click: runs the server, then exits the process


if __name__ == "__main__":
    main()
