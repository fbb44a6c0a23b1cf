"""Errors state their facts: typed attributes, a message built from them, a drawn tree."""

from __future__ import annotations

import importlib
import re
from datetime import date
from decimal import Decimal

import pytest

import offset.errors
from offset.agreements.errors import OutsideTerms
from offset.agreements.model import Term
from offset.documents.errors import (
    AlreadyIssued,
    AlreadyReplaced,
    ReportNotIssued,
    YearNotClosed,
)
from offset.emissions.errors import FactorNotFound, UnitMismatch
from offset.errors import (
    AlreadyExists,
    Conflict,
    InvalidInput,
    OffsetError,
    OutsideFiscalYear,
)
from offset.forestry.errors import (
    AlreadyCertified,
    DoubleCounting,
    ImportRejected,
    RowProblem,
    StandAreaExceeded,
    UnknownStand,
)
from offset.ledger.errors import (
    AlreadyReversed,
    AsOfBeyondHead,
    InvalidAsOf,
    InvalidEntry,
    NotReversible,
    PeriodClosed,
    ReversalRefused,
)
from offset.money.errors import CostFunded, SubsidyExceedsCosts
from offset.netting.errors import (
    CreditsInsufficient,
    CreditsRetired,
    EmissionsExceeded,
    EmissionsOffset,
    EstimateCertified,
)

ERROR_MODULES = ("offset.errors", "offset.ledger.errors", "offset.forestry.errors",
                 "offset.money.errors", "offset.netting.errors", "offset.emissions.errors",
                 "offset.agreements.errors", "offset.cli.errors", "offset.demo.builder",
                 "offset.db.backup", "offset.api.bodies", "offset.documents.errors",
                 "offset.closing.errors")

MESSAGES: list[tuple[OffsetError, str, dict[str, object]]] = [
    (YearNotClosed(1, 2014, 2013),
     "fiscal_year: FY2014 of agreement 1 is not closed (years are closed through FY2013); "
     "a report is issued when its year closes", {"fiscal_year": 2014, "closed_through": 2013}),
    (YearNotClosed(1, 2009, None),
     "fiscal_year: FY2009 of agreement 1 is not closed (no year is closed); a report is "
     "issued when its year closes", {"fiscal_year": 2009, "closed_through": None}),
    (ReportNotIssued(1, "2014-新伊-009"),
     "number: agreement 1 has issued no report numbered '2014-新伊-009'",
     {"number": "2014-新伊-009"}),
    (AlreadyIssued("annual report of FY2013", "2014-新伊-001"),
     "number: the annual report of FY2013 was issued as 2014-新伊-001; re-issue that one to "
     "replace it", {"number": "2014-新伊-001"}),
    (AlreadyReplaced("2014-新伊-001", "2015-新伊-002"),
     "number: report 2014-新伊-001 was replaced by 2015-新伊-002; re-issue 2015-新伊-002 "
     "instead", {"number": "2014-新伊-001", "replaced_by": "2015-新伊-002"}),
    (CreditsInsufficient(2013, None, Decimal("12.000"), Decimal("40.000")),
     "quantity: only 12.000 t of certified credits are available for FY2013; 40.000 t asked",
     {"fiscal_year": 2013, "vintage": None, "available": Decimal("12.000"),
      "requested": Decimal("40.000")}),
    (CreditsInsufficient(2013, 2011, Decimal("0"), Decimal("1.500")),
     "quantity: only 0 t of certified credits are available for FY2013 from FY2011; "
     "1.500 t asked",
     {"fiscal_year": 2013, "vintage": 2011, "available": Decimal("0"),
      "requested": Decimal("1.500")}),
    (EmissionsExceeded(2010, Decimal("350.000"), Decimal("350.001")),
     "quantity: FY2010 has 350.000 t of recorded emissions not yet offset; 350.001 t asked",
     {"fiscal_year": 2010, "unoffset": Decimal("350.000"), "requested": Decimal("350.001")}),
    (SubsidyExceedsCosts(1001, 1002, [7, 9]),
     "amount: subsidies of 1002 yen would exceed the 1001 yen of costs [7, 9] they fund",
     {"cap": 1001, "requested": 1002, "cost_ids": [7, 9], "fiscal_year": None,
      "recipient": None}),
    (SubsidyExceedsCosts(300, 999_000_000, [7], fiscal_year=2013, recipient="urban"),
     "amount: a subsidy of 999000000 yen exceeds the 300 yen of FY2013 costs borne by the "
     "urban side not yet funded",
     {"cap": 300, "requested": 999_000_000, "cost_ids": [7], "fiscal_year": 2013,
      "recipient": "urban"}),
    (OutsideFiscalYear(2013, date(2016, 9, 1), date(2013, 4, 1), date(2014, 5, 31),
                       field="incurred_on"),
     "incurred_on: 2016-09-01 is not in FY2013: the date must fall from 2013-04-01 to "
     "2014-05-31",
     {"fiscal_year": 2013, "date": date(2016, 9, 1), "earliest": date(2013, 4, 1),
      "latest": date(2014, 5, 31)}),
    (OutsideFiscalYear(2013, date(2013, 3, 20), date(2013, 4, 1), None, field="issued_on"),
     "issued_on: 2013-03-20 is not in FY2013: the date must fall on or after 2013-04-01",
     {"fiscal_year": 2013, "date": date(2013, 3, 20), "earliest": date(2013, 4, 1),
      "latest": None}),
    (AlreadyReversed(5, 8), "entry 5 was already reversed by entry 8",
     {"entry_id": 5, "reversal_id": 8}),
    (NotReversible(8), "entry 8 is a reversal; post the original again instead",
     {"entry_id": 8, "kind": "reversal"}),
    (NotReversible(9, "period-close"),
     "entry 9 is a period-close memorandum, which stands for good",
     {"entry_id": 9, "kind": "period-close"}),
    (PeriodClosed(1, 2013, 2020),
     "fiscal_year: FY2013 of agreement 1 is closed (every year through FY2020 is); a "
     "correction of a closed year is posted as a prior-period adjustment in the next open year",
     {"agreement_id": 1, "fiscal_year": 2013, "closed_through": 2020}),
    (InvalidAsOf("tomorrow", "must be a sequence number (0 or more) or an ISO 8601 "
                             "timestamp with its UTC offset"),
     "as_of: 'tomorrow': must be a sequence number (0 or more) or an ISO 8601 timestamp with "
     "its UTC offset", {"as_of": "tomorrow"}),
    (AsOfBeyondHead("12", 10, field="at"),
     "at: '12': the chain's head is at seq 10; no later point exists",
     {"as_of": "12", "head_seq": 10}),
    (CreditsRetired(3, 2010, [11, 12]),
     "entry_id: credits of FY2010 certified by entry 3 are retired by entr(ies) [11, 12]; "
     "reverse those retirements first",
     {"entry_id": 3, "fiscal_year": 2010, "retirement_ids": [11, 12]}),
    (EmissionsOffset(4, 2010, Decimal("100.000"), Decimal("0.000")),
     "entry_id: FY2010 has 100.000 t retired against its emissions; without entry 4 only "
     "0.000 t would remain; reverse retirements first",
     {"entry_id": 4, "fiscal_year": 2010, "retired": Decimal("100.000"),
      "remaining": Decimal("0.000")}),
    (EstimateCertified(2, 2010, 6),
     "entry_id: FY2010 is certified (entry 6), which already cleared this estimate; reverse "
     "the certification first",
     {"entry_id": 2, "fiscal_year": 2010, "certification_id": 6}),
    (CostFunded(7, [9]),
     "entry_id: cost entry 7 is funded by subsidy entr(ies) [9]; reverse those subsidies first",
     {"entry_id": 7, "subsidy_ids": [9]}),
    (OutsideTerms(2014, (Term(1, 2009, 2013),)),
     "fiscal_year: FY2014 is outside the agreement's terms",
     {"fiscal_year": 2014, "terms": (Term(1, 2009, 2013),)}),
    (DoubleCounting(21, [2012, 2013], 4, 30),
     "stand_id: the stand is credited to agreement 4 for FY2012 (thinning 30)",
     {"stand_id": 21, "fiscal_years": [2012, 2013], "credited_agreement_id": 4,
      "thinning_id": 30}),
    (StandAreaExceeded(21, 2011, Decimal("10.0001"), Decimal("10")),
     "area: FY2011 would credit 10.0001 ha of a 10 ha stand",
     {"stand_id": 21, "fiscal_year": 2011, "credited_ha": Decimal("10.0001"),
      "stand_area_ha": Decimal("10")}),
    (AlreadyCertified(2010, 6),
     "fiscal_year: FY2010 already has certification entry 6; reverse it first",
     {"fiscal_year": 2010, "entry_id": 6}),
    (UnknownStand(99), "stand_id: stand 99 does not exist", {"stand_id": 99}),
    (FactorNotFound("tepco-fy1999"), "factor_set: factor set 'tepco-fy1999' is not loaded",
     {"factor_set": "tepco-fy1999", "activity_type": None}),
    (FactorNotFound("jp-2010", "coal"),
     "activity_type: factor set 'jp-2010' has no factor for 'coal'",
     {"factor_set": "jp-2010", "activity_type": "coal"}),
    (UnitMismatch("35000 m3", "1000 Nm3", "jp-2010", "city_gas"),
     "activity: '35000 m3' does not convert to 1000 Nm3 (factor jp-2010/city_gas)",
     {"activity": "35000 m3", "factor_unit": "1000 Nm3", "factor_set": "jp-2010",
      "activity_type": "city_gas"}),
    (AlreadyExists("term", 2, field="terms"), "terms: term 2 already exists",
     {"what": "term", "key": 2}),
    (AlreadyExists("party", "131041", field="code",
                   wording="a {what} with code {key} already exists"),
     "code: a party with code 131041 already exists", {"what": "party", "key": "131041"}),
]


@pytest.mark.parametrize(("error", "message", "attributes"), MESSAGES,
                         ids=[type(m[0]).__name__ for m in MESSAGES])
def test_an_error_builds_its_message_from_its_attributes(error: OffsetError, message: str,
                                                         attributes: dict[str, object]):
    assert str(error) == message
    assert error.extension_members() == attributes


def test_a_field_error_lists_its_field_with_the_message_as_the_reason():
    error = CreditsInsufficient(2013, None, Decimal("12.000"), Decimal("40.000"))
    assert error.field_errors() == [{"field": "quantity", "reason": (
        "only 12.000 t of certified credits are available for FY2013; 40.000 t asked")}]
    assert InvalidInput("must be positive", field="area").field_errors() == [
        {"field": "area", "reason": "must be positive"}]
    assert InvalidInput("no field").field_errors() == []


def test_an_invalid_entry_lists_each_problem_under_postings():
    error = InvalidEntry(["JPY does not balance: 1", "unknown account X"])
    assert str(error) == "postings: JPY does not balance: 1; unknown account X"
    assert error.field_errors() == [
        {"field": "postings", "reason": "JPY does not balance: 1"},
        {"field": "postings", "reason": "unknown account X"}]


def test_a_rejected_import_lists_every_row_and_summarises_the_first_five():
    rows = [RowProblem(line, "面積", "must be more than 0 ha") for line in range(2, 9)]
    error = ImportRejected(rows)
    assert error.detail == (
        "7 problem(s), nothing imported: "
        + "; ".join(f"line {n}, column 面積: must be more than 0 ha" for n in range(2, 7))
        + " (and 2 more)")
    assert error.field_errors()[0] == {"field": "file", "line": 2, "column": "面積",
                                       "reason": "must be more than 0 ha"}
    assert len(error.field_errors()) == 7
    assert not error.detail_lists_fields


def test_refused_reversals_share_one_branch_under_conflict():
    for error in (AlreadyReversed(1, 2), NotReversible(1), CreditsRetired(1, 2010, [3]),
                  EmissionsOffset(1, 2010, Decimal(1), Decimal(0)),
                  EstimateCertified(1, 2010, 3), CostFunded(1, [3])):
        assert isinstance(error, ReversalRefused) and isinstance(error, Conflict)
        assert error.entry_id == 1


def _error_classes() -> list[type[OffsetError]]:
    found: dict[str, type[OffsetError]] = {}
    for name in ERROR_MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (isinstance(value, type) and issubclass(value, OffsetError)
                    and not value.__name__.startswith("_")):
                found[value.__name__] = value
    return sorted(found.values(), key=lambda kind: kind.__name__)


def test_every_error_class_is_drawn_in_the_root_tree_with_its_own_problem_type():
    drawn = set(re.findall(r"\b([A-Z][A-Za-z]+)\b", offset.errors.__doc__ or ""))
    classes = _error_classes()
    assert {kind.__name__ for kind in classes} <= drawn
    codes = [kind.code for kind in classes]
    assert len(codes) == len(set(codes)), sorted(codes)
    # Extension members never shadow RFC 9457's own members.
    assert not {m for kind in classes for m in kind.members} & {
        "type", "title", "status", "detail", "instance", "errors"}
