"""The cockpit (总览): its figures and charts by aggregate queries (:mod:`.figures`), the overdue list and the
notice figures (:mod:`.overdue`), each user's to-do list (:mod:`.todo`) and chart data from the full read model
(:mod:`.charts`)."""
