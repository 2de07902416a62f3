"""Access control: the dashboard is internal.

When `.streamlit/secrets.toml` holds an `[auth]` section (Streamlit's built-in OpenID Connect
login, configured for the region's identity provider), a visitor who has not signed in sees
nothing but the login prompt. Without it, the dashboard must run behind the intranet's
authenticating reverse proxy (README, "Accès").
"""

from __future__ import annotations

import streamlit as st

from app import inert, labels


def auth_configured() -> bool:
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError):  # no secrets file at all
        return False


def require_login() -> None:
    """Stop the run with only a login prompt unless the visitor is signed in (when configured)."""
    if not auth_configured():
        return
    if st.user.get("is_logged_in", False):
        with st.sidebar:
            # The identity provider's name for the user, shown as typed.
            st.caption(
                labels.SIGNED_IN_AS.format(
                    name=inert.markdown(st.user.get("name") or st.user.get("email") or "")
                )
            )
            st.button(labels.LOGOUT_BUTTON, on_click=st.logout)
        return
    st.title(labels.APP_TITLE)
    st.info(labels.LOGIN_PROMPT)
    st.button(labels.LOGIN_BUTTON, on_click=st.login, type="primary")
    st.stop()
