"""The trial balance as JSON: every figure as text in its commodity's places, yen whole."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field

from offset.api.schemas import AsOfRead, text
from offset.fiscal import FiscalYear
from offset.ledger.model import Commodity
from offset.ledger.trial_balance import Line, TrialBalance
from offset.numbers import fixed


def amount(value: Decimal, commodity: Commodity) -> str:
    return text(fixed(value, commodity.places))


class TrialBalanceTotalRead(BaseModel):
    commodity: str
    opening: str = Field(description="net of every entry before the fiscal year; '0' without "
                                     "one. JPY '1200', tCO2e '1.500'")
    debit: str = Field(description="sum of the period's positive postings")
    credit: str = Field(description="sum of the period's negative postings, as a positive "
                                    "number")
    net: str = Field(description="debit - credit")
    closing: str = Field(description="opening + net")

    @classmethod
    def figures(cls, line: Line) -> dict[str, str]:
        c = line.commodity
        return {"commodity": c.value, "opening": amount(line.opening, c),
                "debit": amount(line.debit, c), "credit": amount(line.credit, c),
                "net": amount(line.net, c), "closing": amount(line.closing, c)}


class TrialBalanceLineRead(TrialBalanceTotalRead):
    account: str


class TrialBalanceRead(BaseModel):
    agreement_id: int
    fiscal_year: int | None = Field(description="null: the whole journal, opening at zero")
    fiscal_year_label: str | None
    accounts: list[TrialBalanceLineRead] = Field(description="by account, then commodity")
    totals: list[TrialBalanceTotalRead] = Field(description="one per commodity; opening, net "
                                                            "and closing are always zero")
    as_of: AsOfRead = Field(description="the point of the chain read: today's head, or the "
                                        "one asked for with as_of")

    @classmethod
    def of(cls, balance: TrialBalance) -> TrialBalanceRead:
        year = balance.fiscal_year
        return cls(
            agreement_id=balance.agreement_id, fiscal_year=year,
            fiscal_year_label=None if year is None else FiscalYear(year).era_label,
            accounts=[TrialBalanceLineRead(account=a.account,
                                           **TrialBalanceTotalRead.figures(a.line))
                      for a in balance.accounts],
            totals=[TrialBalanceTotalRead(**TrialBalanceTotalRead.figures(t))
                    for t in balance.totals],
            as_of=AsOfRead.of(balance.head),
        )
