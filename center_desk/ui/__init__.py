"""The counter desk's window (PySide6). Qt is imported only in this package (and by print
dispatch on Windows); everything below it is plain Python the tests drive directly."""
