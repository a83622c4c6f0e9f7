"""会商协调 and what comes of it: meetings and their decisions, 领导批示, 回头看 and the lead units' forecasts.

A meeting's decision and a 批示's 交办 become tasks of the plan (:mod:`.matters`), supervised by the same scan.
"""
