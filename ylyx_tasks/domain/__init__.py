"""Pure domain rules: no database, no Streamlit, no clock. Everything takes ``today`` as a parameter."""
