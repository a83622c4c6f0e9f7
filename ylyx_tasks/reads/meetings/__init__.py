"""What pages, the CLI and the documents read about 会商协调: meetings, their decisions and 交办 and the meeting pack
(:mod:`.meeting`), 领导批示 (:mod:`.instructions`), 回头看 (:mod:`.rechecks`), forecasts (:mod:`.forecasts`)."""
