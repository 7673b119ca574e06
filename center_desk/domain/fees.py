"""Room fees (使用料) and their exemption (使用料免除).

Nearly every group is exempt, so the common case is a charge of 0 with a recorded reason; the
nominal fee from the catalog is still shown (DOMAIN.md "On the day"). Paid fees are not
refunded except by the mayor's decision, which is outside the desk's reach.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from .catalog import Room


class ExemptionReason(StrEnum):
    """Grounds for fee exemption named in the rules (the fourth is not public: "other")."""

    CITY_SUBSIDY = "city_subsidy"  # 市の補助金を受けその目的で使用する団体
    SCHOOL_PTA = "school_pta"  # 市立学校のPTA
    SHAKYO_SUBSIDY = "shakyo_subsidy"  # 社会福祉協議会の助成を受ける団体
    OTHER = "other"  # その他市長が認める団体 (理由を記録する)


#: The grounds as the printed forms state them (申請書, 承認書): the one wording of each ground,
#: which the registration rules take their list of codes from. The fourth ground is not public;
#: its wording is ours [assumption], and the note records the actual reason.
EXEMPTION_TEXT: Mapping[ExemptionReason, str] = MappingProxyType(
    {
        ExemptionReason.CITY_SUBSIDY: "市の補助金を受け、その目的のために利用する団体",
        ExemptionReason.SCHOOL_PTA: "市立学校のPTA",
        ExemptionReason.SHAKYO_SUBSIDY: "社会福祉協議会の助成を受ける団体",
        ExemptionReason.OTHER: "その他市長が特に認める団体",
    }
)

#: Short names of the grounds for the usage report's table and CSV header, where the slip's
#: full sentences would not fit; the one copy the backend's CSV and the printed report share.
EXEMPTION_SHORT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        ExemptionReason.CITY_SUBSIDY.value: "市の補助金",
        ExemptionReason.SCHOOL_PTA.value: "市立学校PTA",
        ExemptionReason.SHAKYO_SUBSIDY.value: "社会福祉協議会の助成",
        ExemptionReason.OTHER.value: "その他市長が認めるもの",
    }
)


@dataclass(frozen=True)
class Fee:
    nominal: int  # yen, from the catalog
    charged: int  # yen, what the group pays
    exemption: ExemptionReason | None
    exemption_note: str = ""

    @property
    def exempt(self) -> bool:
        return self.exemption is not None


class FeeError(ValueError):
    pass


def calculate_fee(
    room: Room,
    slot_ids: list[str] | tuple[str, ...],
    exemption: ExemptionReason | None = None,
    exemption_note: str = "",
) -> Fee:
    """The fee for booking ``room`` for the given slots.

    An exemption of kind OTHER must say why (the note), because an auditor will ask.
    """
    if not slot_ids:
        raise FeeError("no slots to charge for")
    nominal = sum(room.fee_for(slot_id) for slot_id in slot_ids)
    if exemption is None:
        return Fee(nominal=nominal, charged=nominal, exemption=None)
    if exemption is ExemptionReason.OTHER and not exemption_note.strip():
        raise FeeError("an exemption for another reason needs a note")
    return Fee(nominal=nominal, charged=0, exemption=exemption, exemption_note=exemption_note)
