"""Mail: the queue (record first, send later), the transports (SMTP or an outbox folder), the templates,
the recipients and the mail each notice sends."""
