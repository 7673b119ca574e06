"""HTTP routes, one module per audience. They validate, check who is calling and call the
services; no rule lives here."""
