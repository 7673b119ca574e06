"""The fee-exemption (使用料免除) grounds as the registration form and the group list offer them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from center_desk.domain.fees import ExemptionReason

EXEMPTION_CODES = tuple(reason.value for reason in ExemptionReason)


def exemption_choice(code: str | None) -> str:
    """A 使用料免除 ground as the registration form offers it, with what staff must do for it.

    Tables and slips name the ground shortly (``widgets.booking_words.exemption_label``);
    the printed forms use the domain's wording (``domain.fees.EXEMPTION_TEXT``)."""
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
