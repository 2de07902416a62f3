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


def main(argv: list[str] | None = None) -> None:
    options = list(sys.argv[1:] if argv is None else argv)
    from app import warmup

    _log_to_stderr()
    warmup.start_in_background()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(DASHBOARD), *options]
    cli.main(prog_name="streamlit")  # click: runs the server, then exits the process


if __name__ == "__main__":
    main()
