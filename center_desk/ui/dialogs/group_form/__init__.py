"""The registration form (利用者登録届出書): the dialog, its fields, its checks, its values and
its drafts, one module each."""

from ...widgets.background import run_for
from ...widgets.exemption import exemption_label
from ...widgets.message_bar import MessageBar
from .dialog import GroupFormDialog
from .values import FIELD_ORDER, form_of, group_in

# groups.py and walk_in.py still take MessageBar, exemption_label and run_for from here; they
# live in widgets/.
__all__ = [
    "FIELD_ORDER",
    "GroupFormDialog",
    "MessageBar",
    "exemption_label",
    "form_of",
    "group_in",
    "run_for",
]
