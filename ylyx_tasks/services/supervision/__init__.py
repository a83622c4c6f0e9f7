"""Supervision (督办): the daily scan, issuing and settling notices, acting on them, the 督办通知单 document and
the weekly digest."""
