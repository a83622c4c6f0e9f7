"""The plan as files: loading a plan's data folder, importing a tasks file, exporting tables and workbooks."""
