"""Money use cases: record costs (split by the cost-sharing rule), subsidies, timber sales.

Every figure lands in the journal in JPY. Each side's `Equity:Funding:<Side>` account is
what that side put in, net: costs credit it, subsidies and timber revenue debit it, so the
side's net cost is minus its balance. Callers open the unit of work and commit.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from offset.agreements.model import Agreement, Side
from offset.errors import InvalidInput
from offset.ledger import services as ledger
from offset.ledger.accounts import (
    COSTS,
    FOREST_SIDE,
    FUNDING,
    SUBSIDIES,
    TIMBER,
    URBAN_SIDE,
    is_under,
    under,
)
from offset.ledger.model import (
    Commodity,
    Entry,
    EntryKind,
    JournalEntry,
    Posting,
    Provenance,
    provenance_details,
)
from offset.money.errors import SubsidyExceedsCosts
from offset.money.model import Cost, Subsidy, SubsidyScheme, TimberSale, split_cost, yen

if TYPE_CHECKING:
    from offset.ledger.ports import JournalUnit
    from offset.ports import UnitOfWork

SIDE_ACCOUNT = {Side.URBAN: URBAN_SIDE, Side.FOREST: FOREST_SIDE}


def funding(side: Side) -> str:
    return under(FUNDING, SIDE_ACCOUNT[side])


def cost_account(category: str, side: Side) -> str:
    return under(COSTS, category, SIDE_ACCOUNT[side])


def subsidy_account(scheme: str, side: Side) -> str:
    return under(SUBSIDIES, scheme, SIDE_ACCOUNT[side])


def timber_account(side: Side) -> str:
    return under(TIMBER, SIDE_ACCOUNT[side])



def _jpy(account: str, amount: Decimal) -> Posting:
    return Posting(account, Commodity.JPY, amount)


def record_cost(uow: UnitOfWork, agreement: Agreement, cost: Cost,
                recorded_by: str, *, provenance: Provenance | None = None) -> JournalEntry:
    """Post a cost, split between the sides by the agreement's rule unless a bearer is given.

    Raises InvalidInput for a bad amount, a year outside the terms, unknown thinnings;
    OutsideFiscalYear for a date outside the year and its settlement period.
    """
    fy = agreement.within_terms(cost.fiscal_year)
    fy.check_payment_date(cost.incurred_on, "incurred_on", agreement.closing.settlement_ends)
    amount = yen(cost.amount, field="amount")
    _check_thinnings(uow, agreement, cost.thinning_ids)
    shares = ({cost.bearer: amount} if cost.bearer is not None
              else split_cost(amount, cost.category, agreement.cost_sharing))
    postings = [p for side, share in shares.items() if share
                for p in (_jpy(cost_account(cost.category.account, side), share),
                          _jpy(funding(side), -share))]
    return ledger.post(uow, [Entry(
        agreement.id, fy.year, EntryKind.COST, cost.incurred_on,
        cost.description.strip() or f"{cost.category.label_ja} {fy}", tuple(postings),
        details={**provenance_details(provenance),
                 "category": cost.category.value, "amount": str(amount),
                 "shares": {side.value: str(share) for side, share in shares.items()},
                 "thinning_ids": list(cost.thinning_ids)},
        recorded_by=recorded_by)])[0]


def _check_thinnings(uow: UnitOfWork, agreement: Agreement, ids: tuple[int, ...]) -> None:
    known = {t.id for t in uow.forestry.thinnings(agreement.id)}
    unknown = sorted(set(ids) - known)
    if unknown:
        raise InvalidInput(f"thinning(s) {unknown} are not work of this agreement",
                           field="thinning_ids")


def record_subsidy(uow: UnitOfWork, agreement: Agreement, subsidy: Subsidy,
                   recorded_by: str, *, provenance: Provenance | None = None) -> JournalEntry:
    """Post a subsidy received by one side.

    A subsidy naming costs may fund them up to their amount; one naming none is capped by the
    recipient's costs of the year not yet funded, and so, once one naming none has drawn on
    them, is every later subsidy to the recipient for the year. Raises InvalidInput for a bad
    amount or unknown costs, or for a council grant (the council records those:
    record_council_grant), OutsideFiscalYear for a date outside the year and its settlement
    period, SubsidyExceedsCosts beyond a cap.
    """
    if subsidy.scheme.by_council:
        raise InvalidInput("a council grant is recorded by the council, not by a party",
                           field="scheme")
    return _post_subsidy(uow, agreement, subsidy, recorded_by, provenance)


def record_council_grant(uow: UnitOfWork, agreement: Agreement, grant: Subsidy,
                         recorded_by: str) -> JournalEntry:
    """Post a grant of the national council to one side of a partnership, as a subsidy of
    the council-grant scheme under the same caps. The council's rules (a certified
    partnership) are offset.council's. Raises what record_subsidy raises."""
    if grant.scheme is not SubsidyScheme.COUNCIL_GRANT:
        raise InvalidInput("a council grant has the council-grant scheme", field="scheme")
    return _post_subsidy(uow, agreement, grant, recorded_by, None)


def _post_subsidy(uow: UnitOfWork, agreement: Agreement, subsidy: Subsidy, recorded_by: str,
                  provenance: Provenance | None) -> JournalEntry:
    fy = agreement.within_terms(subsidy.fiscal_year)
    fy.check_payment_date(subsidy.received_on, "received_on",
                          agreement.closing.settlement_ends)
    amount = yen(subsidy.amount, field="amount")
    if not subsidy.name.strip():
        raise InvalidInput("must not be blank", field="name")
    uow.journal.lock_head(agreement.id)
    if subsidy.funds_cost_ids:
        _check_funding(uow, agreement, subsidy.funds_cost_ids, amount)
    if not subsidy.funds_cost_ids or unnamed_subsidies(uow, agreement.id, fy.year,
                                                       subsidy.recipient):
        _check_unfunded(uow, agreement, fy.year, subsidy.recipient, amount)
    account = subsidy_account(subsidy.scheme.account, subsidy.recipient)
    return ledger.post(uow, [Entry(
        agreement.id, fy.year, EntryKind.SUBSIDY, subsidy.received_on,
        f"{subsidy.scheme.label_ja}: {subsidy.name.strip()}",
        (_jpy(funding(subsidy.recipient), amount), _jpy(account, -amount)),
        details={**provenance_details(provenance),
                 "scheme": subsidy.scheme.value, "name": subsidy.name.strip(),
                 "recipient": subsidy.recipient.value, "amount": str(amount),
                 "funds_cost_ids": sorted(subsidy.funds_cost_ids)},
        recorded_by=recorded_by)])[0]


def _check_funding(uow: UnitOfWork, agreement: Agreement, cost_ids: tuple[int, ...],
                   amount: Decimal) -> None:
    """Refuse a subsidy that would make the subsidies of its costs exceed those costs.

    The check runs over the costs this subsidy funds together with every cost funded by a
    live subsidy sharing any of them, so subsidies spread over several costs stay exact.
    """
    costs = {e.id: sum((p.amount for p in e.entry.postings if p.commodity is Commodity.JPY
                        and is_under(p.account, COSTS)), Decimal(0))
             for e in uow.journal.live_of_kind(agreement.id, [EntryKind.COST])}
    unknown = sorted(set(cost_ids) - costs.keys())
    if unknown:
        raise InvalidInput(f"cost entr(ies) {unknown} are not live costs of this agreement",
                           field="funds_cost_ids")
    covered, funded = set(cost_ids), amount
    for other in uow.journal.live_of_kind(agreement.id, [EntryKind.SUBSIDY]):
        theirs = set(other.entry.details.get("funds_cost_ids") or [])
        if theirs & covered:
            covered |= theirs
            funded += Decimal(other.entry.details["amount"])
    total = sum((costs.get(i, Decimal(0)) for i in covered), Decimal(0))
    if funded > total:
        raise SubsidyExceedsCosts(int(total), int(funded), sorted(covered))


def _check_unfunded(uow: UnitOfWork, agreement: Agreement, year: int, recipient: Side,
                    amount: Decimal) -> None:
    """Refuse a subsidy naming no costs beyond the recipient's costs of the year not yet funded.

    Not yet funded: the costs the recipient bears in the year minus every subsidy it received
    for the year, whether those named costs or not.
    """
    borne, received = year_funding(uow, agreement.id, year, recipient)
    cap = max(sum(borne.values(), Decimal(0)) - received, Decimal(0))
    if amount > cap:
        raise SubsidyExceedsCosts(int(cap), int(amount), sorted(borne), fiscal_year=year,
                                  recipient=recipient.value)


def unnamed_subsidies(uow: JournalUnit, agreement_id: int, year: int, side: Side) -> list[int]:
    """Return the live subsidies `side` received for FY `year` naming no costs, by entry id."""
    return sorted(s.id for s in uow.journal.live(agreement_id, year, [EntryKind.SUBSIDY])
                  if s.entry.details.get("recipient") == side.value
                  and not s.entry.details.get("funds_cost_ids"))


def year_funding(uow: JournalUnit, agreement_id: int, year: int, side: Side
                 ) -> tuple[dict[int, Decimal], Decimal]:
    """Return the yen `side` bears of each live cost of FY `year`, by cost entry, and the yen
    of every live subsidy it received for that year."""
    account = SIDE_ACCOUNT[side]
    borne = {cost.id: share for cost in uow.journal.live(agreement_id, year, [EntryKind.COST])
             if (share := _side_total(cost, COSTS, account))}
    received = sum((-_side_total(grant, SUBSIDIES, account) for grant in
                    uow.journal.live(agreement_id, year, [EntryKind.SUBSIDY])), Decimal(0))
    return borne, received


def _side_total(posted: JournalEntry, family: str, side: str) -> Decimal:
    """Return the yen `posted` moves on the accounts of `family` belonging to `side`."""
    return sum((p.amount for p in posted.entry.postings if p.commodity is Commodity.JPY
                and is_under(p.account, family) and p.account.endswith(":" + side)),
               Decimal(0))


def record_timber_sale(uow: UnitOfWork, agreement: Agreement, sale: TimberSale,
                       recorded_by: str, *, provenance: Provenance | None = None) -> JournalEntry:
    """Post timber revenue received by one side.

    Raises InvalidInput, OutsideFiscalYear for a date outside the year and its settlement period.
    """
    fy = agreement.within_terms(sale.fiscal_year)
    fy.check_payment_date(sale.sold_on, "sold_on", agreement.closing.settlement_ends)
    total = yen(sale.total, field="total")
    if sale.volume_m3 <= 0:
        raise InvalidInput("must be more than 0 m3", field="volume")
    if not sale.buyer.strip():
        raise InvalidInput("must not be blank", field="buyer")
    _check_thinnings(uow, agreement, sale.thinning_ids)
    return ledger.post(uow, [Entry(
        agreement.id, fy.year, EntryKind.TIMBER_SALE, sale.sold_on,
        f"間伐材売却 timber sale to {sale.buyer.strip()}",
        (_jpy(funding(sale.recipient), total), _jpy(timber_account(sale.recipient), -total)),
        details={**provenance_details(provenance),
                 "volume_m3": str(sale.volume_m3), "total": str(total),
                 "unit_price": None if sale.unit_price is None else str(sale.unit_price),
                 "buyer": sale.buyer.strip(), "recipient": sale.recipient.value,
                 "thinning_ids": list(sale.thinning_ids)},
        recorded_by=recorded_by)])[0]


def sides_of(entry: Entry) -> frozenset[Side]:
    """Return the sides whose money `entry` moves: a cost's bearers, a subsidy's or timber
    sale's recipient; empty for an entry that is not money or does not name them."""
    details = entry.details
    if entry.kind is EntryKind.COST:
        shares = details.get("shares") or {}
        return frozenset(Side(side) for side, share in shares.items() if Decimal(share))
    if entry.kind in (EntryKind.SUBSIDY, EntryKind.TIMBER_SALE) and "recipient" in details:
        return frozenset({Side(details["recipient"])})
    return frozenset()
