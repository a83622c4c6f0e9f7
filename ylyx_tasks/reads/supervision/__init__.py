"""The reads behind the supervision documents: the 督办通知单 of a notice and the periodic 通报."""
