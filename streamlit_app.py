"""The web app's entry point: registers the pages the signed-in role may open and runs the chosen one.

Each page guards itself as well (``ylyx_tasks.ui.guard.page``): Streamlit may run a page file without this
script (see that module).
"""

from __future__ import annotations

from ylyx_tasks.ui.app import run

run()
