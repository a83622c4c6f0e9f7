"""Writing to a task: progress reports, completion claims and their review, extensions (:mod:`.workflow`,
:mod:`.extensions`), and what every task write shares (:mod:`.edit`)."""
