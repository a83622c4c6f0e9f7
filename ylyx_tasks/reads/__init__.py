"""The read side: every read model the pages, the CLI, the exports and the digests use. It never imports
:mod:`ylyx_tasks.services` or Streamlit (``make check`` holds it to that)."""
