"""What the backend does, independent of HTTP: each function takes a session, a clock and
validated input, enforces the domain rules and records the change log. Routes and the sync
endpoint both call these, so a rule holds on every path."""
