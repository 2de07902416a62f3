"""The README's "How data flows" diagram names the tree as it is (issue #29: the layout the
card names, or the README says why not)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _diagram() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How data flows", 1)[1]
    return section.split("```", 2)[1]


def test_every_code_path_of_the_diagram_exists():
    # Code paths only: the data files it names are generated (git-ignored).
    named = set(re.findall(r"\b((?:app|app_pages|etl)/[\w./*]*|\w+\.py)", _diagram()))
    assert {"etl/", "app/", "app_pages/*.py", "dashboard.py", "etl/publish.py"} <= named
    for path in named:
        glob = path.rstrip("/")
        if "/" not in glob and glob.endswith(".py") and not (ROOT / glob).exists():
            glob = f"*/{glob}"  # `logs.py` under its folder's line
        assert list(ROOT.glob(glob)), f"README names {path}, not in the tree"


def test_the_pages_folder_is_the_one_the_readme_names():
    assert list((ROOT / "app_pages").glob("*.py"))
    assert not (ROOT / "pages").exists()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "The pages live in `app_pages/`, not in the `pages/` folder" in readme
