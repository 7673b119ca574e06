"""The registration form (利用者登録届出書): the dialog, its fields, its checks, its values and
its drafts, one module each."""

from center_desk.protocol.groups import group_in

from .dialog import GroupFormDialog
from .values import FIELD_ORDER, form_of

__all__ = ["FIELD_ORDER", "GroupFormDialog", "form_of", "group_in"]
