"""The panels pages are drawn from, one module per page or concern: the cockpit, the task page (its
read-only panels, its forms, its reviews), the notices desk, the indicators, the units, and the admin tabs."""
