"""Pieces every screen of the desk shares: the message bar, work off the GUI thread tied to
a widget, the words for a booking and the styles of notes and errors.

Nothing here knows a particular screen; views and dialogs import from here, never from
each other, so a feature module can move or change without breaking its neighbours.
"""
