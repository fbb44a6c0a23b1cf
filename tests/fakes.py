"""An in-memory unit of work for unit tests: lists and dicts behind the repository ports.

Each fake keeps the contract its SQL twin states in offset/*/ports.py: ids in sequence,
AlreadyExists and NotFound where the SQL store raises them, entries appended and never
changed, chain heads moved by the sealed links (so offset.ledger.chain verifies the fake's
chains exactly as the database's). Locks are no-ops: a unit test has no second writer.

A `FakeDatabase` outlives its units of work; leaving one without commit() restores what the
last commit kept, so "a refusal writes nothing" can be asked of the fake too.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from types import TracebackType
from typing import TypeVar

from offset import ports
from offset.access.idempotency import StoredResponse
from offset.access.logins import Failures, PasswordLink, WebSession
from offset.access.model import Role, User
from offset.access.tokens import Account, Token
from offset.agreements.model import Agreement, Party, Term
from offset.council.model import PartnershipCertification
from offset.documents.errors import ReportNotIssued
from offset.documents.model import DocumentKind, IssuedReport
from offset.emissions.errors import FactorNotFound
from offset.emissions.model import Factor
from offset.errors import AlreadyExists, NotFound
from offset.forestry.model import Enrollment, Stand, StandVersion, Thinning
from offset.forestry.parameters import Loaded, ParameterSet, YieldTable
from offset.ledger.chain import GENESIS, ChainHead, Sealed, sealed_of
from offset.ledger.model import Balances, Commodity, EntryKind, JournalEntry, Link
from offset.ledger.trial_balance import Turnover, Turnovers
from offset.numbers import fixed


@dataclass
class _State:
    """Everything the fakes store: what a commit keeps and a rollback restores."""

    ids: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    parties: dict[int, Party] = field(default_factory=dict)
    agreements: dict[int, Agreement] = field(default_factory=dict)
    heads: dict[int, ChainHead] = field(default_factory=dict)
    entries: dict[int, JournalEntry] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    tokens: dict[str, Token] = field(default_factory=dict)  # by hash
    responses: dict[tuple[int, str], StoredResponse] = field(default_factory=dict)
    passwords: dict[int, str | None] = field(default_factory=dict)
    sessions: dict[str, WebSession] = field(default_factory=dict)  # by hash
    links: dict[str, PasswordLink] = field(default_factory=dict)  # by hash
    failures: list[tuple[str, str, datetime]] = field(default_factory=list)
    parameter_sets: list[tuple[Loaded, ParameterSet]] = field(default_factory=list)
    yield_tables: list[tuple[Loaded, YieldTable]] = field(default_factory=list)
    stands: dict[int, list[Stand]] = field(default_factory=dict)  # every version, in order
    thinnings: dict[int, Thinning] = field(default_factory=dict)
    enrollments: list[Enrollment] = field(default_factory=list)
    thinnings_recorded_at: dict[int, datetime] = field(default_factory=dict)
    factors: dict[str, dict[str, Factor]] = field(default_factory=dict)
    documents: list[tuple[IssuedReport, bytes]] = field(default_factory=list)  # issue order
    certifications: list[PartnershipCertification] = field(default_factory=list)

    def next_id(self, kind: str) -> int:
        self.ids[kind] += 1
        return self.ids[kind]


class FakeAgreements:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add_party(self, code: str, name_ja: str, name_en: str, section_ja: str = "",
                  section_en: str = "") -> Party:
        if any(p.code == code for p in self._s.parties.values()):
            raise AlreadyExists("party", code, field="code",
                                wording="a {what} with code {key} already exists")
        party = Party(self._s.next_id("party"), code, name_ja, name_en, section_ja, section_en)
        self._s.parties[party.id] = party
        return party

    def parties(self) -> list[Party]:
        return sorted(self._s.parties.values(), key=lambda p: p.id)

    def party(self, party_id: int) -> Party:
        if party_id not in self._s.parties:
            raise NotFound(f"party {party_id} does not exist", field="party_id")
        return self._s.parties[party_id]

    def party_by_code(self, code: str) -> Party:
        found = [p for p in self._s.parties.values() if p.code == code]
        if not found:
            raise NotFound(f"no party with code {code}", field="party")
        return found[0]

    def add_agreement(self, draft: Agreement) -> Agreement:
        agreement = replace(draft, id=self._s.next_id("agreement"),
                            terms=tuple(sorted(draft.terms, key=lambda t: t.number)))
        self._s.agreements[agreement.id] = agreement
        return agreement

    def add_term(self, agreement_id: int, term: Term) -> None:
        held = self._s.agreements[agreement_id]
        if any(t.number == term.number for t in held.terms):
            raise AlreadyExists("term", term.number, field="terms")
        self._s.agreements[agreement_id] = replace(held, terms=(*held.terms, term))

    def agreement(self, agreement_id: int) -> Agreement:
        if agreement_id not in self._s.agreements:
            raise NotFound(f"agreement {agreement_id} does not exist", field="agreement_id")
        return self._s.agreements[agreement_id]

    def agreements(self, ids: Sequence[int] | None = None) -> list[Agreement]:
        return [a for i, a in sorted(self._s.agreements.items()) if ids is None or i in ids]

    def agreements_of_urban_party(self, party_id: int) -> list[Agreement]:
        return [a for a in self.agreements() if a.urban_party_id == party_id]


class FakeJournal:
    def __init__(self, state: _State) -> None:
        self._s = state

    def open_chain(self, agreement_id: int) -> None:
        self._s.heads[agreement_id] = ChainHead(agreement_id, 0, GENESIS)

    def lock_head(self, agreement_id: int) -> ChainHead:
        return self.lock_heads([agreement_id])[0]

    def lock_heads(self, agreement_ids: Iterable[int]) -> list[ChainHead]:
        wanted = sorted(set(agreement_ids))
        for agreement_id in wanted:
            if agreement_id not in self._s.heads:
                raise NotFound(f"agreement {agreement_id} does not exist", field="agreement_id")
        return [self._s.heads[a] for a in wanted]

    def heads(self, agreement_ids: Iterable[int] | None = None) -> list[ChainHead]:
        wanted = None if agreement_ids is None else set(agreement_ids)
        return [h for a, h in sorted(self._s.heads.items()) if wanted is None or a in wanted]

    def append_chains(self, chains: Sequence[tuple[Sequence[Link], ChainHead]],
                      ) -> list[list[JournalEntry]]:
        stored = []
        for links, head in chains:
            # The head given must continue the stored one, as the locked row guarantees in SQL.
            assert not links or links[0].prev_hash == self._s.heads[head.agreement_id].hash
            appended = [JournalEntry.stored(self._s.next_id("entry"), link) for link in links]
            self._s.entries.update((e.id, e) for e in appended)
            if links:
                self._s.heads[head.agreement_id] = head
            stored.append(appended)
        return stored

    def get(self, entry_id: int) -> JournalEntry:
        if entry_id not in self._s.entries:
            raise NotFound(f"entry {entry_id} does not exist", field="entry_id")
        return self._s.entries[entry_id]

    def entry_at(self, agreement_id: int, seq: int) -> JournalEntry:
        found = [e for e in self._in_order(agreement_id) if e.seq == seq]
        if not found:
            raise NotFound(f"agreement {agreement_id} has no entry {seq}", field="as_of")
        return found[0]

    def closed_through_at(self, agreement_id: int, seq: int) -> int | None:
        closes = [e.entry.fiscal_year for e in self._in_order(agreement_id)
                  if e.seq <= seq and e.entry.kind is EntryKind.PERIOD_CLOSE]
        return closes[-1] if closes else None

    def seq_at(self, agreement_id: int, moment: datetime) -> int:
        run = 0
        for e in self._in_order(agreement_id):
            if e.recorded_at > moment:
                break
            run = e.seq
        return run

    def reversal_ids(self, entry_ids: Sequence[int],
                     up_to_seq: int | None = None) -> dict[int, int]:
        return {e.entry.reverses.entry_id: e.id for e in self._s.entries.values()
                if e.entry.reverses is not None and e.entry.reverses.entry_id in entry_ids
                and (up_to_seq is None or e.seq <= up_to_seq)}

    def live(self, agreement_id: int, fiscal_year: int,
             kinds: Sequence[EntryKind]) -> list[JournalEntry]:
        return [e for e in self.live_of_kind(agreement_id, kinds)
                if e.entry.fiscal_year == fiscal_year]

    def live_of_kind(self, agreement_id: int, kinds: Sequence[EntryKind]) -> list[JournalEntry]:
        gone = {e.entry.reverses.entry_id for e in self._s.entries.values()
                if e.entry.reverses is not None}
        return [e for e in self._in_order(agreement_id)
                if e.entry.kind in kinds and e.id not in gone]

    def page(self, agreement_id: int, *, fiscal_year: int | None, after_seq: int,
             limit: int, up_to_seq: int | None = None,
             kind: EntryKind | None = None) -> list[JournalEntry]:
        return [e for e in self._in_order(agreement_id) if e.seq > after_seq
                and (up_to_seq is None or e.seq <= up_to_seq)
                and (kind is None or e.entry.kind is kind)
                and (fiscal_year is None or e.entry.fiscal_year == fiscal_year)][:limit]

    def chain(self, agreement_id: int, batch: int = 2000) -> Iterator[JournalEntry]:
        yield from self._in_order(agreement_id)

    def sealed(self, agreement_id: int, batch: int = 5000) -> Iterator[Sealed]:
        yield from map(sealed_of, self._in_order(agreement_id))

    def of_kinds(self, agreement_id: int, kinds: Sequence[EntryKind]) -> list[JournalEntry]:
        return [e for e in self._in_order(agreement_id) if e.entry.kind in kinds]

    def year_balances(self, agreement_ids: Sequence[int] | None, fiscal_year: int
                      ) -> dict[int, Balances]:
        if agreement_ids is None:
            agreement_ids = [a for a in self._s.agreements
                             if any(e.entry.fiscal_year == fiscal_year
                                    for e in self._in_order(a))]
        return {a: self.balances(a, fiscal_year=fiscal_year) for a in sorted(set(agreement_ids))}

    def balances(self, agreement_id: int, *, fiscal_year: int | None = None,
                 as_of_seq: int | None = None) -> Balances:
        total: dict[tuple[str, Commodity], Decimal] = defaultdict(Decimal)
        for e in self._in_order(agreement_id):
            if ((fiscal_year is None or e.entry.fiscal_year == fiscal_year)
                    and (as_of_seq is None or e.seq <= as_of_seq)):
                for p in e.entry.postings:
                    total[p.account, p.commodity] += p.amount
        # Like SQL's SUM over a Numeric column: every account that has postings, even at 0.
        return {key: fixed(amount, key[1].places) for key, amount in total.items()}

    def balances_by_year(self, agreement_id: int, first_year: int, last_year: int, *,
                         as_of_seq: int | None = None) -> dict[int, Balances]:
        return {year: self.balances(agreement_id, fiscal_year=year, as_of_seq=as_of_seq)
                for year in range(first_year, last_year + 1)}

    def turnovers(self, agreement_id: int, *, first_year: int | None = None,
                  last_year: int | None = None, as_of_seq: int | None = None) -> Turnovers:
        sums: dict[tuple[str, Commodity], list[Decimal]] = defaultdict(
            lambda: [Decimal(0), Decimal(0)])
        for e in self._in_order(agreement_id):
            year = e.entry.fiscal_year
            if ((first_year is None or year >= first_year)
                    and (last_year is None or year <= last_year)
                    and (as_of_seq is None or e.seq <= as_of_seq)):
                for p in e.entry.postings:
                    sums[p.account, p.commodity][0 if p.amount > 0 else 1] += abs(p.amount)
        return {key: Turnover(fixed(debit, key[1].places), fixed(credit, key[1].places))
                for key, (debit, credit) in sums.items()}

    def _in_order(self, agreement_id: int) -> list[JournalEntry]:
        return sorted((e for e in self._s.entries.values() if e.agreement_id == agreement_id),
                      key=lambda e: e.seq)


class FakeAccess:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add_user(self, name: str, role: Role, party_id: int | None,
                 agreement_ids: Iterable[int]) -> User:
        if any(u.name == name for u in self._s.users.values()):
            raise AlreadyExists("user", name, field="name",
                                wording="a {what} named {key!r} already exists")
        user = User(self._s.next_id("user"), name, role, party_id, frozenset(agreement_ids))
        self._s.users[user.id] = user
        return user

    def add_token(self, user_id: int, token_hash: str, created_at: datetime,
                  expires_at: datetime | None = None) -> Token:
        token = Token(self._s.next_id("token"), user_id, created_at, expires_at)
        self._s.tokens[token_hash] = token
        return token

    def token(self, token_hash: str) -> tuple[User, Token] | None:
        token = self._s.tokens.get(token_hash)
        return None if token is None else (self._s.users[token.user_id], token)

    def record_use(self, token_id: int, now: datetime, cutoff: datetime) -> None:
        for token_hash, token in self._s.tokens.items():
            if token.id == token_id and (token.last_used_at is None
                                         or token.last_used_at <= cutoff):
                self._s.tokens[token_hash] = replace(token, last_used_at=now)

    def revoke_tokens(self, user_id: int, now: datetime) -> int:
        live = {h: t for h, t in self._s.tokens.items()
                if t.user_id == user_id and t.revoked_at is None}
        self._s.tokens.update({h: replace(t, revoked_at=now) for h, t in live.items()})
        return len(live)

    def accounts(self) -> list[Account]:
        return [Account(user, tuple(sorted((t for t in self._s.tokens.values()
                                            if t.user_id == user.id), key=lambda t: t.id)))
                for user in sorted(self._s.users.values(), key=lambda u: u.name)]

    def user_by_name(self, name: str) -> User:
        found = [u for u in self._s.users.values() if u.name == name]
        if not found:
            raise NotFound(f"no user named {name!r}", field="name")
        return found[0]

    def password_hash(self, user_id: int) -> str | None:
        return self._s.passwords.get(user_id)

    def set_password_hash(self, user_id: int, password_hash: str | None,
                          now: datetime) -> None:
        self._s.passwords[user_id] = password_hash

    def add_session(self, user_id: int, secret_hash: str, csrf_token: str, now: datetime,
                    expires_at: datetime) -> WebSession:
        session = WebSession(self._s.next_id("session"), user_id, csrf_token, now, now,
                             expires_at)
        self._s.sessions[secret_hash] = session
        return session

    def session(self, secret_hash: str) -> tuple[User, WebSession] | None:
        session = self._s.sessions.get(secret_hash)
        return None if session is None else (self._s.users[session.user_id], session)

    def see_session(self, session_id: int, now: datetime) -> None:
        for key, session in self._s.sessions.items():
            if session.id == session_id and session.last_seen_at < now:
                self._s.sessions[key] = replace(session, last_seen_at=now)

    def end_sessions(self, now: datetime, *, user_id: int | None = None,
                     session_id: int | None = None) -> int:
        ended = {key: s for key, s in self._s.sessions.items() if s.ended_at is None and (
            s.id == session_id if session_id is not None else s.user_id == user_id)}
        self._s.sessions.update({k: replace(s, ended_at=now) for k, s in ended.items()})
        return len(ended)

    def add_password_link(self, user_id: int, secret_hash: str, now: datetime,
                          expires_at: datetime) -> PasswordLink:
        for key, link in self._s.links.items():
            if link.user_id == user_id and link.used_at is None:
                self._s.links[key] = replace(link, used_at=now)
        link = PasswordLink(self._s.next_id("link"), user_id, expires_at)
        self._s.links[secret_hash] = link
        return link

    def password_link(self, secret_hash: str) -> tuple[User, PasswordLink] | None:
        link = self._s.links.get(secret_hash)
        return None if link is None else (self._s.users[link.user_id], link)

    def use_password_link(self, link_id: int, now: datetime) -> None:
        for key, link in self._s.links.items():
            if link.id == link_id:
                self._s.links[key] = replace(link, used_at=now)

    def login_failures(self, user_name: str, address: str, since: datetime) -> Failures:
        recent = [f for f in self._s.failures if f[2] > since]
        return Failures(sum(f[0] == user_name for f in recent),
                        sum(f[1] == address for f in recent))

    def oldest_failure(self, user_name: str, address: str, since: datetime) -> datetime | None:
        return min((f[2] for f in self._s.failures if f[2] > since
                    and (f[0] == user_name or f[1] == address)), default=None)

    def record_login_failure(self, user_name: str, address: str, now: datetime) -> None:
        self._s.failures.append((user_name, address, now))

    def stored_response(self, user_id: int, key: str) -> StoredResponse | None:
        return self._s.responses.get((user_id, key))

    def store_response(self, user_id: int, key: str, response: StoredResponse) -> None:
        self._s.responses[user_id, key] = response


class FakeForestry:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add_parameter_set(self, parameters: ParameterSet) -> None:
        _refuse_taken(self.parameter_sets(), "parameter set", parameters.name, parameters.version)
        self._s.parameter_sets.append(
            (Loaded(parameters.name, parameters.version, _now()), parameters))

    def parameter_set(self, name: str | None = None,
                      version: str | None = None) -> ParameterSet:
        return _newest(self._s.parameter_sets, "parameter set", "parameters", name, version)

    def add_yield_table(self, table: YieldTable) -> None:
        _refuse_taken(self.yield_tables(), "yield table", table.name, table.version)
        self._s.yield_tables.append(
            (Loaded(table.name, table.version, _now(), table.illustrative), table))

    def yield_table(self, name: str | None = None, version: str | None = None) -> YieldTable:
        return _newest(self._s.yield_tables, "yield table", "yield_table", name, version)

    def parameter_sets(self) -> list[Loaded]:
        return [loaded for loaded, _ in self._s.parameter_sets]

    def yield_tables(self) -> list[Loaded]:
        return [loaded for loaded, _ in self._s.yield_tables]

    def add_stand(self, forest_party_id: int, site: str, compartment: str,
                  stand_number: str, first: StandVersion, recorded_by: str) -> Stand:
        for stand_id, versions in self._s.stands.items():
            s = versions[0]
            if (s.forest_party_id, s.site, s.compartment, s.stand_number) == (
                    forest_party_id, site, compartment, stand_number):
                raise AlreadyExists("stand", f"{site} {compartment}-{stand_number}",
                                    field="stand_number",
                                    wording=f"{{what}} {{key}} already exists (id {stand_id})")
        stand = Stand(self._s.next_id("stand"), forest_party_id, site, compartment,
                      stand_number, 1, first)
        self._s.stands[stand.id] = [stand]
        return stand

    def add_stand_version(self, stand_id: int, version: StandVersion,
                          recorded_by: str) -> Stand:
        latest = self.stand(stand_id)
        revised = replace(latest, version=latest.version + 1, current=version)
        self._s.stands[stand_id].append(revised)
        return revised

    def lock_stand(self, stand_id: int) -> None:
        """Nothing to lock: a unit test has no concurrent writer."""

    def lock_stands(self, stand_ids: Iterable[int]) -> None:
        """Nothing to lock: a unit test has no concurrent writer."""

    def stand(self, stand_id: int, version: int | None = None) -> Stand:
        versions = self._s.stands.get(stand_id, [])
        found = [s for s in versions if version is None or s.version == version]
        if not found:
            raise NotFound(f"stand {stand_id} does not exist", field="stand_id")
        return found[-1]

    def stands(self, forest_party_id: int) -> list[Stand]:
        return [versions[-1] for _, versions in sorted(self._s.stands.items())
                if versions[-1].forest_party_id == forest_party_id]

    def add_thinning(self, work: Thinning, recorded_by: str) -> Thinning:
        stored = replace(work, id=self._s.next_id("thinning"))
        self._s.thinnings[stored.id] = stored
        self._s.thinnings_recorded_at[stored.id] = datetime.now(UTC)
        return stored

    def add_thinnings(self, works: Sequence[Thinning], recorded_by: str) -> list[Thinning]:
        return [self.add_thinning(work, recorded_by) for work in works]

    def thinnings(self, agreement_id: int, fiscal_year: int | None = None, *,
                  recorded_until: datetime | None = None) -> list[Thinning]:
        return [t for t in self._all() if t.agreement_id == agreement_id
                and (fiscal_year is None or t.fiscal_year == fiscal_year)
                and (recorded_until is None
                     or self._s.thinnings_recorded_at[t.id] <= recorded_until)]

    def areas_thinned(self, agreement_ids: Sequence[int] | None, fiscal_year: int
                      ) -> dict[int, Decimal]:
        if agreement_ids is None:
            agreement_ids = [t.agreement_id for t in self._all() if t.fiscal_year == fiscal_year]
        return {a: sum((t.area_ha for t in self.thinnings(a, fiscal_year)), Decimal(0))
                for a in sorted(set(agreement_ids))}

    def thinnings_crediting(self, agreement_id: int, fiscal_year: int,
                            window: int) -> list[Thinning]:
        return [t for t in self.thinnings(agreement_id)
                if fiscal_year - window + 1 <= t.fiscal_year <= fiscal_year]

    def thinnings_of_stand(self, stand_id: int) -> list[tuple[Thinning, int]]:
        return [(t, self._s.agreements[t.agreement_id].crediting_window)
                for t in self._all() if t.stand_id == stand_id]

    def thinnings_of_stands(self, stand_ids: Iterable[int]) -> list[tuple[Thinning, int]]:
        wanted = set(stand_ids)
        return [(t, self._s.agreements[t.agreement_id].crediting_window)
                for t in self._all() if t.stand_id in wanted]

    def thinning(self, thinning_id: int) -> Thinning:
        if thinning_id not in self._s.thinnings:
            raise NotFound(f"thinning {thinning_id} does not exist", field="thinning_id")
        return self._s.thinnings[thinning_id]

    def add_enrollment(self, enrollment: Enrollment, recorded_by: str) -> Enrollment:
        stored = replace(enrollment, id=len(self._s.enrollments) + 1)
        self._s.enrollments.append(stored)
        return stored

    def enrollments(self, stand_ids: Iterable[int]) -> list[Enrollment]:
        wanted = set(stand_ids)
        return [e for e in self._s.enrollments if e.stand_id in wanted]

    def _all(self) -> list[Thinning]:
        return [t for _, t in sorted(self._s.thinnings.items())]


class FakeEmissions:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add_factor_sets(self, sets: Mapping[str, Mapping[str, Factor]]) -> None:
        taken = sorted(set(sets) & set(self._s.factors))
        if taken:
            raise AlreadyExists("factor set", sorted(taken), field="set",
                                wording="{what}(s) {key} already loaded; give a new edition a "
                                        "new set id")
        self._s.factors.update({set_id: dict(factors) for set_id, factors in sets.items()})

    def factor(self, set_id: str, activity: str) -> Factor:
        if set_id not in self._s.factors:
            raise FactorNotFound(set_id)
        if activity not in self._s.factors[set_id]:
            raise FactorNotFound(set_id, activity)
        return self._s.factors[set_id][activity]

    def factors(self) -> list[Factor]:
        return [f for _, factors in sorted(self._s.factors.items())
                for _, f in sorted(factors.items())]


class FakeDocuments:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add(self, report: IssuedReport, pdf: bytes) -> None:
        held = self._rows(report.agreement_id)
        if any(r.number == report.number for r in held) or (
                report.replaces is not None and any(r.replaces == report.replaces
                                                    for r in held)):
            raise AlreadyExists("report", report.replaces or report.number, field="number")
        self._s.documents.append((replace(report, replaced_by=None), bytes(pdf)))

    def get(self, agreement_id: int, number: str) -> IssuedReport:
        found = [r for r in self.register(agreement_id) if r.number == number]
        if not found:
            raise ReportNotIssued(agreement_id, number)
        return found[0]

    def anchors(self, agreement_id: int) -> list[tuple[int, str]]:
        return [(r.made_at_seq, r.made_at_head) for r in self._rows(agreement_id)]

    def register(self, agreement_id: int) -> list[IssuedReport]:
        held = self._rows(agreement_id)
        later = {r.replaces: r.number for r in held if r.replaces is not None}
        return [replace(r, replaced_by=later.get(r.number)) for r in held]

    def issued_between(self, agreement_id: int, start: datetime, end: datetime) -> int:
        return sum(start <= r.generated_at < end for r in self._rows(agreement_id))

    def current(self, agreement_id: int, kind: DocumentKind,
                which: int) -> IssuedReport | None:
        return next((r for r in self.register(agreement_id)
                     if r.kind is kind and r.replaced_by is None
                     and which == (r.fiscal_year if kind is DocumentKind.ANNUAL
                                   else r.term_number)), None)

    def all_current(self) -> list[IssuedReport]:
        ids = dict.fromkeys(r.agreement_id for r, _ in self._s.documents)
        current = {(r.agreement_id, r.number) for a in ids for r in self.register(a)
                   if r.replaced_by is None}
        return [r for r, _ in self._s.documents if (r.agreement_id, r.number) in current]

    def pdf(self, agreement_id: int, number: str) -> bytes:
        self.get(agreement_id, number)
        return next(pdf for r, pdf in self._s.documents
                    if (r.agreement_id, r.number) == (agreement_id, number))

    def _rows(self, agreement_id: int) -> list[IssuedReport]:
        return [r for r, _ in self._s.documents if r.agreement_id == agreement_id]


class FakeDatabase:
    """The committed state that fake units of work start from and commit to."""

    def __init__(self) -> None:
        self.committed = _State()
        self.commits = 0

    def __call__(self, *, read_only: bool = False) -> FakeUnitOfWork:
        """Return a new unit of work on this database (the factory the use cases' callers
        hold; `read_only` is accepted like the SQL factory's and changes nothing here)."""
        return FakeUnitOfWork(self)


class FakeCouncil:
    def __init__(self, state: _State) -> None:
        self._s = state

    def add_certification(self, certification: PartnershipCertification,
                          recorded_by: str) -> PartnershipCertification:
        if any(c.number == certification.number for c in self._s.certifications):
            raise AlreadyExists("certification", certification.number, field="number")
        stored = replace(certification, id=self._s.next_id("certification"))
        self._s.certifications.append(stored)
        return stored

    def certifications(self, agreement_ids: Iterable[int] | None = None
                       ) -> list[PartnershipCertification]:
        wanted = None if agreement_ids is None else set(agreement_ids)
        return [c for c in self._s.certifications
                if wanted is None or c.agreement_id in wanted]


class FakeUnitOfWork:
    """Works on a copy of the committed state; commit() makes the copy the committed state."""

    def __init__(self, database: FakeDatabase) -> None:
        self._database = database
        self.committed = False

    def __enter__(self) -> FakeUnitOfWork:
        self._state = copy.deepcopy(self._database.committed)
        self.agreements = FakeAgreements(self._state)
        self.journal = FakeJournal(self._state)
        self.access = FakeAccess(self._state)
        self.forestry = FakeForestry(self._state)
        self.emissions = FakeEmissions(self._state)
        self.documents = FakeDocuments(self._state)
        self.council = FakeCouncil(self._state)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        """Leave without committing: what was not committed is dropped with the copy."""

    def commit(self) -> None:
        self._database.committed = copy.deepcopy(self._state)
        self._database.commits += 1
        self.committed = True


# The fake must satisfy the same port as the SQL unit of work.
_SATISFIES_THE_PORT: type[ports.UnitOfWork] = FakeUnitOfWork


def _now() -> datetime:
    return datetime.now(UTC)


def _refuse_taken(loaded: list[Loaded], what: str, name: str, version: str) -> None:
    if any((each.name, each.version) == (name, version) for each in loaded):
        raise AlreadyExists(what, f"{name}@{version}", field="version",
                            wording="{key} is already loaded; use a new version")


T = TypeVar("T")


def _newest(catalogue: list[tuple[Loaded, T]], what: str, field: str, name: str | None,
               version: str | None) -> T:
    # Newest by load order, as SQL orders by loaded_at and id.
    found = [value for loaded, value in catalogue
             if (name is None or loaded.name == name)
             and (version is None or loaded.version == version)]
    if not found:
        missing = (f"no {what} is loaded" if name is None
                   else f"{what} {name}{'@' + version if version else ''} is not loaded")
        raise NotFound(missing, field=field)
    return found[-1]

