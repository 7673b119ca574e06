"""The reservation backend: the system of record (DESIGN.md §1). It shares only
``center_desk.protocol`` and ``center_desk.domain`` with the desk."""
