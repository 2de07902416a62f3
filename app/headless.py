"""Imported first by commands that use the dashboard's modules outside `streamlit run`
(app/brief.py): `app.db`'s `st.cache_data` decorators, run without Streamlit's runtime, log
"No runtime found, using MemoryCacheStorageManager" on stderr at import, and a scheduled
command's stderr must hold only its own French message. That one warning is filtered out;
every other Streamlit log line is kept. The brief runs its queries directly
(`overview.build(call=...)`), so no cache is used anyway.
"""

from __future__ import annotations

import logging

_CACHE_LOGGER = "streamlit.runtime.caching.cache_data_api"
_NO_RUNTIME = "No runtime found"


def _keep(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith(_NO_RUNTIME)


# Streamlit's `get_logger` returns this same logger object later, filter included.
logging.getLogger(_CACHE_LOGGER).addFilter(_keep)
