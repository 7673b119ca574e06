"""See DESIGN.md §2 for what belongs in this layer."""
