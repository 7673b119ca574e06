"""The fee-exemption (使用料免除) grounds as the registration form and the group list offer them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

EXEMPTION_CODES = ("city_subsidy", "school_pta", "shakyo_subsidy", "other")


def exemption_label(code: str | None) -> str:
    """使用料免除 grounds in the staff's words (the printed slip uses the domain's labels)."""
    labels = {
        None: QCoreApplication.translate("GroupFormDialog", "None (pays the fee)"),
        "city_subsidy": QCoreApplication.translate(
            "GroupFormDialog", "City subsidy for the purpose"
        ),
        "school_pta": QCoreApplication.translate("GroupFormDialog", "City school PTA"),
        "shakyo_subsidy": QCoreApplication.translate(
            "GroupFormDialog", "Social welfare council grant"
        ),
        "other": QCoreApplication.translate("GroupFormDialog", "Other (write the reason)"),
    }
    return labels.get(code, code or "")
