"""The forms' fixed wording is drawn once per process and replayed (issue 13): a replayed form
must be the very bytes a form drawn afresh is, whatever was printed before it, and nothing a
person typed may be kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from center_desk.printing import booking_slips_pdf, flowables, replay
from center_desk.printing.approval_slip import approval_slip_pdf
from center_desk.printing.document import FormPdf
from center_desk.printing.render_samples import (
    LONG_ADDRESS,
    LONG_GROUP_NAME,
    sample_paying_slip,
    sample_slip,
)
from center_desk.printing.slips import BookingSlip, Person
from center_desk.printing.usage_application import usage_application_pdf

_LONG_NAME = "寿限無寿限無五劫の擦り切れ海砂利水魚の水行末雲来末風来末食う寝る処に住む処"


def _slips() -> list[BookingSlip]:
    return [
        sample_slip(),
        sample_paying_slip(),
        replace(sample_paying_slip(), reprint=True),
        replace(
            sample_slip(),
            group_name=LONG_GROUP_NAME,
            representative=Person(name=_LONG_NAME, address=LONG_ADDRESS * 2),
            purpose="練習" * 60,
        ),
        replace(sample_paying_slip(), purpose="𡈽田 <b>&amp;</b>", group_name="鷗外の会"),
    ]


_BUILDERS: list[Callable[[BookingSlip], FormPdf]] = [
    booking_slips_pdf,
    # Single forms are not seeded: their characters get codes in the order each booking's
    # text comes, so a drawing kept from one is wrong for the next and must not be replayed.
    approval_slip_pdf,
    usage_application_pdf,
]


def _forget_layouts() -> None:
    """What the forms keep per process of their layout, as in a fresh process (the fonts'
    subsets and seeds aside: those are checked in test_font_subsets)."""
    replay._DRAWN.clear()
    for kept in (
        flowables._PARSED,
        flowables._PLAIN,
        flowables._WRAPPED,
        flowables._BROKEN,
        flowables._STYLED,
    ):
        kept.clear()


def _fresh(build: Callable[[BookingSlip], FormPdf], slip: BookingSlip) -> bytes:
    _forget_layouts()
    return build(slip).data


def test_a_replayed_form_is_the_form_drawn_afresh() -> None:
    """Also covers what else the layout keeps per process (parsed wording, sizes, lines,
    table styles): a form built on all of it is the form built without it."""
    cases = [(build, slip) for build in _BUILDERS for slip in _slips()]
    afresh = [_fresh(build, slip) for build, slip in cases]
    _forget_layouts()
    # Built again one after another, each on what the ones before it kept, in both orders.
    for order in (cases, cases[::-1]):
        for build, slip in order:
            assert build(slip).data == afresh[cases.index((build, slip))]
    assert replay._DRAWN  # something was kept and replayed


def test_replays_happen(monkeypatch: pytest.MonkeyPatch) -> None:
    # A drawing kept from a single form (not seeded) is redrawn, and kept anew, the first time
    # a seeded pair of slips finds it does not apply: so twice before counting.
    approval_slip_pdf(sample_slip())
    booking_slips_pdf(sample_slip())
    booking_slips_pdf(sample_slip())
    replayed = []
    original = replay._replay

    def counting(*args: object) -> bool:
        done = original(*args)  # type: ignore[arg-type]
        replayed.append(done)
        return done

    monkeypatch.setattr(replay, "_replay", counting)
    booking_slips_pdf(sample_slip())
    assert len(replayed) > 30
    assert all(replayed)


def test_what_people_typed_is_not_kept() -> None:
    replay._DRAWN.clear()
    flowables._BROKEN.clear()
    flowables._WRAPPED.clear()
    slip = replace(
        sample_paying_slip(),
        group_name="見本合唱団",
        representative=Person(name="見本 次郎", address="架空県見本市一丁目"),
        purpose="見本の練習",
    )
    booking_slips_pdf(slip)
    kept = (
        repr(list(replay._DRAWN)) + repr(list(flowables._BROKEN)) + repr(list(flowables._WRAPPED))
    )
    for typed in ("見本合唱団", "見本", "次郎", "架空県"):
        assert typed not in kept
