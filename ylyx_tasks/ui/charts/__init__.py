"""The app's charts: Altair templates (:mod:`.templates`) and their specifications with data (:mod:`.specs`)."""
