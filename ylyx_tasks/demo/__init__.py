"""The demo (``ylyx-tasks init --demo``): a fictional story on the real plan, replayed through the real
services day by day (:mod:`.story`, :mod:`.runner`), and one demo account per role (:mod:`.loader`)."""
