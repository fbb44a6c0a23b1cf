"""Who may call what: every role against every endpoint, with the exact status each gets.

A refused request leaves the stored parties, agreements and journal exactly as they were.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from offset.access.model import Role
from offset.access.services import add_user
from offset.agreements.model import Agreement
from offset.council import services as council
from offset.council.model import PartnershipCertification
from offset.db.uow import UnitOfWork, UnitOfWorkFactory
from offset.emissions import services as emissions
from offset.forestry.certification import certify
from offset.forestry.thinnings import log_thinning
from offset.ledger.model import JournalEntry
from offset.money import services as money
from tests.builders import (
    certificate,
    cost,
    emission,
    retirement,
    stand,
    subsidy,
    thinning,
    timber_sale,
)
from tests.e2e.conftest import TestClient, World

CALLERS = ("admin", "council", "urban", "forestry", "auditor",
           "other-urban", "other-forestry", "other-auditor", "anonymous", "bad-token")

# endpoint                                   admin cncl urb  for  aud  o-urb o-for o-aud none bad
MATRIX = {
    "POST /v1/parties":                       (201, 403, 403, 403, 403, 403, 403, 403, 401, 401),
    "GET /v1/parties":                        (200, 200, 200, 200, 200, 200, 200, 200, 401, 401),
    "POST /v1/agreements":                    (201, 403, 403, 403, 403, 403, 403, 403, 401, 401),
    "GET /v1/agreements":                     (200, 200, 200, 200, 200, 200, 200, 200, 401, 401),
    "GET /v1/agreements/{deal}":              (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
    "POST /v1/agreements/{deal}/terms":       (201, 403, 403, 403, 403, 403, 403, 403, 401, 401),
    "GET /v1/agreements/{deal}/journal":      (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
    "GET /v1/agreements/{deal}/balances":     (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
    "POST /v1/entries/{entry}/reversal":      (201, 403, 201, 201, 403, 404, 404, 403, 401, 401),
    "GET /v1/ledger/verify":                  (200, 200, 200, 200, 200, 200, 200, 200, 401, 401),
    "GET /v1/users":                          (200, 403, 403, 403, 403, 403, 403, 403, 401, 401),
    "POST /v1/users/{user}/tokens":           (201, 403, 403, 403, 403, 403, 403, 403, 401, 401),
    "POST /v1/users/{user}/revocation":       (200, 403, 403, 403, 403, 403, 403, 403, 401, 401),
    "POST /v1/users/nobody/tokens":           (404, 403, 403, 403, 403, 403, 403, 403, 401, 401),
    # An urban party's position: its own environment division, the council and admin.
    "GET /v1/parties/{urban}/fiscal-years/2010/summary":
                                              (200, 200, 200, 403, 403, 403, 403, 403, 401, 401),
    "GET /v1/parties/{urban}/fiscal-years/2010/report.pdf":
                                              (200, 200, 200, 403, 403, 403, 403, 403, 401, 401),
    "GET /v1/parties/{urban}/fiscal-years/2010/report.xlsx":
                                              (200, 200, 200, 403, 403, 403, 403, 403, 401, 401),
    # The council reads every agreement and the nation, and writes only its own records.
    "GET /v1/council/overview?fiscal_year=2009":
                                              (200, 200, 403, 403, 403, 403, 403, 403, 401, 401),
    "GET /v1/council/reports/2009.pdf":       (200, 200, 403, 403, 403, 403, 403, 403, 401, 401),
    "GET /v1/council/reports/2009.xlsx":      (200, 200, 403, 403, 403, 403, 403, 403, 401, 401),
    "POST /v1/agreements/{deal}/partnership-certifications":
                                              (201, 201, 403, 403, 403, 404, 404, 404, 401, 401),
    "GET /v1/agreements/{deal}/partnership-certifications":
                                              (200, 200, 200, 200, 200, 404, 404, 404, 401, 401),
    "POST /v1/agreements/{deal}/council-grants":
                                              (201, 201, 403, 403, 403, 404, 404, 404, 401, 401),
    # Public: the same aggregates to anyone, a token (even a bad one) changing nothing.
    "GET /v1/open-data/fiscal-years":         (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
    "GET /v1/open-data/fiscal-years.csv":     (200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
}

# Whose tokens the user endpoints issue and revoke: a user that is not among the callers, so
# that a revocation never refuses the caller of a later cell.
TARGET = "bystander"

CELLS = [pytest.param(endpoint, caller, status, id=f"{endpoint} as {caller}")
         for endpoint, statuses in MATRIX.items()
         for caller, status in zip(CALLERS, statuses, strict=True)]


def valid_body(endpoint: str, world: World) -> dict[str, Any] | None:
    """Return a body that the endpoint accepts from a caller allowed to send it."""
    return {
        "POST /v1/parties": {"code": "011002", "name_ja": "札幌市", "name_en": "Sapporo City"},
        "POST /v1/agreements": {
            "title_ja": "森林整備協定", "title_en": "Forest agreement",
            "urban_party_id": world.deal.urban_party_id,
            "forest_party_id": world.other.forest_party_id,
            "signed_on": "2024-01-10", "annual_target": "12 ha",
            "terms": [{"first_fy": 2024, "last_fy": 2028}],
        },
        "POST /v1/agreements/{deal}/terms": {"first_fy": 2014, "last_fy": 2018},
        "POST /v1/entries/{entry}/reversal": {"reason": "posted twice by mistake"},
        "POST /v1/users/{user}/tokens": {"expires_in_days": 30},
        "POST /v1/agreements/{deal}/partnership-certifications": {
            "number": "協議会認定第1号", "certified_on": "2009-04-01",
            "valid_until": "2014-03-31", "conditions": ["5年以上の協定期間"]},
        "POST /v1/agreements/{deal}/council-grants": {
            "fiscal_year": 2010, "recipient": "urban", "name": "連携推進交付金",
            "amount": 500, "received_on": "2011-03-01"},
    }.get(endpoint)


def prepare(endpoint: str, work: UnitOfWork, world: World) -> None:
    """Record what the endpoint's valid body needs: a grant goes to a certified partnership
    and funds a cost of its recipient's."""
    if endpoint == "POST /v1/agreements/{deal}/council-grants":
        council.certify_partnership(work, world.deal, PartnershipCertification(
            world.deal.id, "協議会認定第9号", date(2009, 4, 1), date(2014, 3, 31),
            ("5年以上の協定期間",)), "fixture")
        money.record_cost(work, world.deal, cost(1000, bearer="urban"), "fixture")


def stored(uow: UnitOfWorkFactory) -> tuple[object, ...]:
    """Return everything a refused request must leave as it was (tokens' last use aside)."""
    with uow(read_only=True) as work:
        heads = work.journal.heads()
        journal = [e for head in heads for e in work.journal.chain(head.agreement_id)]
        tokens = [(a.user, [(t.id, t.expires_at, t.revoked_at) for t in a.tokens])
                  for a in work.access.accounts()]
        return work.agreements.parties(), work.agreements.agreements(), heads, journal, tokens


@pytest.mark.parametrize(("endpoint", "caller", "status"), CELLS)
def test_every_role_gets_the_status_the_matrix_states(client: TestClient, world: World,
                                                      uow: UnitOfWorkFactory, endpoint: str,
                                                      caller: str, status: int):
    with uow() as work:
        add_user(work, TARGET, Role.ADMIN)
        prepare(endpoint, work, world)
        work.commit()
    method, template = endpoint.split(" ")
    url = template.format(deal=world.deal.id, entry=world.entry_id, user=TARGET,
                          urban=world.deal.urban_party_id)
    before = stored(uow)

    response = client.request(method, url, headers=world.auth(caller),
                              json=valid_body(endpoint, world))

    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == status
        assert stored(uow) == before
    if status == 401:
        assert response.headers["www-authenticate"] == "Bearer"


# Reversals: admin, or the side that records that kind of entry; every other caller of the
# agreement 403, every caller of another agreement 404 (no existence leak).
URBAN_SIDE = (201, 403, 201, 403, 403, 404, 404, 403, 401, 401)
FOREST_SIDE = (201, 403, 403, 201, 403, 404, 404, 403, 401, 401)
BOTH_SIDES = (201, 403, 201, 201, 403, 404, 404, 403, 401, 401)


def _cost(work: UnitOfWork, deal: Agreement, bearer: str | None) -> JournalEntry:
    return money.record_cost(work, deal, cost(1000, bearer=bearer), "fixture")


def _subsidy(work: UnitOfWork, deal: Agreement, recipient: str) -> JournalEntry:
    _cost(work, deal, recipient)  # a cost of the recipient's for the subsidy to fund
    return money.record_subsidy(work, deal, subsidy(300, recipient=recipient), "fixture")


def _estimate(work: UnitOfWork, deal: Agreement) -> JournalEntry:
    land = stand(work, "reversal", site_class=2)
    return log_thinning(work, deal, thinning(deal.id, land.id), "fixture").estimates[0]


def _retirement(work: UnitOfWork, deal: Agreement) -> JournalEntry:
    certify(work, deal, certificate("456.3"), "fixture")
    emissions.record_emission(work, deal, emission("1200000 kWh"), "fixture")
    return emissions.retire(work, deal, retirement("100"), "fixture")


# entry reversed                  how it is posted                                  statuses
REVERSALS: dict[str, tuple[Callable[[UnitOfWork, Agreement], JournalEntry],
                           tuple[int, ...]]] = {
    "cost borne by urban": (lambda w, d: _cost(w, d, "urban"), URBAN_SIDE),
    "cost borne by forest": (lambda w, d: _cost(w, d, "forest"), FOREST_SIDE),
    "cost split by the rule": (lambda w, d: _cost(w, d, None), URBAN_SIDE),
    "subsidy to urban": (lambda w, d: _subsidy(w, d, "urban"), URBAN_SIDE),
    "subsidy to forest": (lambda w, d: _subsidy(w, d, "forest"), FOREST_SIDE),
    "timber sale to forest": (lambda w, d: money.record_timber_sale(
        w, d, timber_sale("120", 8000), "fixture"), FOREST_SIDE),
    "timber sale to urban": (lambda w, d: money.record_timber_sale(
        w, d, timber_sale("120", 8000, recipient="urban"), "fixture"), URBAN_SIDE),
    "estimate": (_estimate, FOREST_SIDE),
    "certification": (lambda w, d: certify(w, d, certificate("456.3"), "fixture"),
                      FOREST_SIDE),
    "emission": (lambda w, d: emissions.record_emission(
        w, d, emission("1200000 kWh"), "fixture"), URBAN_SIDE),
    "retirement": (_retirement, URBAN_SIDE),
}

REVERSAL_CELLS = [pytest.param(entry, caller, status, id=f"reverse {entry} as {caller}")
                  for entry, (_post, statuses) in REVERSALS.items()
                  for caller, status in zip(CALLERS, statuses, strict=True)]


@pytest.mark.parametrize(("entry", "caller", "status"), REVERSAL_CELLS)
def test_an_entry_is_reversed_only_by_admin_or_the_side_that_records_it(
        client: TestClient, world: World, uow: UnitOfWorkFactory, entry: str, caller: str,
        status: int):
    with uow() as work:
        posted = REVERSALS[entry][0](work, world.deal)
        work.commit()
    before = stored(uow)

    response = client.post(f"/v1/entries/{posted.id}/reversal", headers=world.auth(caller),
                           json={"reason": "posted by mistake"})

    assert response.status_code == status, response.text
    if status >= 400:
        assert response.headers["content-type"] == "application/problem+json"
        assert stored(uow) == before
    else:
        assert response.json()["reverses_entry_id"] == posted.id
