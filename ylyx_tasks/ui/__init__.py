"""The Streamlit web app's helpers: session and sign-in, the page guard, navigation, cached reads, formatting,
charts and the panels the pages are drawn from. Pages (``pages/*.py``) draw; the services decide."""
