"""With OIDC configured, an unauthenticated visitor sees nothing but the login prompt."""

from streamlit.testing.v1 import AppTest

from app import labels
from etl.settings import REPO_ROOT


def test_unauthenticated_visitor_sees_only_the_login_prompt(warehouse_env):
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60)
    at.secrets["auth"] = {
        "redirect_uri": "http://localhost:8501/oauth2callback",
        "cookie_secret": "x" * 32,
        "client_id": "id",
        "client_secret": "secret",
        "server_metadata_url": "https://sso.example/.well-known/openid-configuration",
    }
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == [labels.LOGIN_BUTTON]
    assert len(at.metric) == 0 and len(at.dataframe) == 0
    assert not at.sidebar.radio  # no filters either


def test_without_auth_configured_the_dashboard_opens(warehouse_env):
    at = AppTest.from_file(str(REPO_ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception
    assert len(at.metric) > 0
