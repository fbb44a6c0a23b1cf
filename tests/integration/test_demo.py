"""The Shinjuku–Ina demo: the published figures hold in the ledger it builds, on both databases.

The case is built once per database (a new one, migrated like production) and every test
reads it; one test runs `offset demo` itself on SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from offset import integrity
from offset.access.model import Role
from offset.access.services import authenticate
from offset.agreements.model import Side
from offset.cli.main import app
from offset.db.uow import unit_of_work_factory
from offset.demo.builder import (
    ILLUSTRATIVE_BY,
    ILLUSTRATIVE_TEXT,
    PUBLISHED_BY,
    Built,
    DemoPresent,
    build,
)
from offset.emissions.services import available_by_vintage
from offset.forestry.carbon import ESTIMATED
from offset.ledger import services as ledger
from offset.ledger.model import EntryKind as Kind
from offset.ledger.model import JournalEntry, canonical_json
from offset.netting.party import party_summary
from offset.netting.services import Summary, fiscal_year_summary
from reports import build_annual
from tests.databases import engine_for, fresh_database

FIRST_NINE = range(2009, 2018)  # FY2009–FY2017, the years of the published totals
FIRST_EIGHT = range(2009, 2017)  # FY2009–FY2016: "about 2,681 t offset (FY2017 not yet)"


class Demo:
    """The built demo, with a read-only unit of work to look at it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = engine_for(url)
        with unit_of_work_factory(self.engine)() as uow:
            self.built: Built = build(uow)
            uow.commit()
        self.read = lambda: unit_of_work_factory(self.engine)(read_only=True)

    @property
    def agreement_id(self) -> int:
        return self.built.agreement.id

    def entries(self) -> list[JournalEntry]:
        with self.read() as uow:
            return list(uow.journal.chain(self.agreement_id))

    def summary(self, fiscal_year: int) -> Summary:
        with self.read() as uow:
            return fiscal_year_summary(uow, self.built.agreement, fiscal_year)

    def thinned(self, years: range, agreement_id: int | None = None) -> Decimal:
        """The area thinned in `years` in one agreement (the Shinjuku–Ina one unless named)."""
        with self.read() as uow:
            return sum((t.area_ha for t in uow.forestry.thinnings(
                agreement_id or self.agreement_id) if t.fiscal_year in years), Decimal(0))


@pytest.fixture(scope="module")
def demo(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with fresh_database(backend, tmp_path_factory.mktemp(f"demo-{backend}")) as url:
        built = Demo(url)
        yield built
        built.engine.dispose()


def of_kind(entries: list[JournalEntry], kind: Kind, year: int | None = None) -> list[
        JournalEntry]:
    return [e for e in entries
            if e.entry.kind is kind and (year is None or e.entry.fiscal_year == year)]


def test_fy2009_thins_29_ha_estimated_at_123_t(demo: Demo) -> None:
    estimates = of_kind(demo.entries(), Kind.ESTIMATE, 2009)
    estimated = sum((p.amount for e in estimates for p in e.entry.postings
                     if p.account == ESTIMATED), Decimal(0))
    assert demo.thinned(range(2009, 2010)) == Decimal("29.00")
    assert abs(estimated - 123) <= 1


def test_the_fy2009_survey_certifies_a_little_more_than_the_123_t_estimate(demo: Demo) -> None:
    [certificate] = of_kind(demo.entries(), Kind.CERTIFICATION, 2009)
    certified = Decimal(certificate.entry.details["certified"])
    assert 123 < certified <= Decimal("123") * Decimal("1.05")


def test_the_march_2014_certification_is_fy2013_with_its_published_figures(demo: Demo) -> None:
    [certificate] = of_kind(demo.entries(), Kind.CERTIFICATION, 2013)
    assert certificate.entry.details["certified"] == "456.300"
    assert certificate.entry.details["certified_area_ha"] == "142.90"
    assert certificate.entry.effective_date.isoformat().startswith("2014-03")
    assert certificate.entry.recorded_by == PUBLISHED_BY
    assert demo.thinned(range(2009, 2014)) == Decimal("142.90")  # its five crediting years


def test_ward_facilities_emit_exactly_24476_t_in_fy2013(demo: Demo) -> None:
    assert demo.summary(2013).carbon.emissions == Decimal("24476.000")


def test_fy2009_to_fy2017_thins_234_ha(demo: Demo) -> None:
    assert abs(demo.thinned(FIRST_NINE) - 234) <= 1


def test_the_ward_bears_about_167_million_yen_over_fy2009_to_fy2017(demo: Demo) -> None:
    net = sum((demo.summary(y).money.net_cost[Side.URBAN] for y in FIRST_NINE), Decimal(0))
    assert abs(net - 167_000_000) <= Decimal("0.01") * 167_000_000


def test_about_2681_t_are_retired_over_fy2009_to_fy2016(demo: Demo) -> None:
    retired = sum((demo.summary(y).carbon.retired for y in FIRST_EIGHT), Decimal(0))
    assert abs(retired - 2681) <= Decimal("0.01") * 2681


def test_the_last_two_years_are_still_provisional(demo: Demo) -> None:
    assert [demo.summary(y).provisional for y in (2020, 2021, 2022)] == [False, True, True]


def test_some_certified_credits_are_left_for_the_ward_to_retire(demo: Demo) -> None:
    with demo.read() as uow:
        assert available_by_vintage(uow, demo.agreement_id) == {2020: Decimal("51.700")}


def test_three_terms_the_last_being_the_published_second_renewal(demo: Demo) -> None:
    assert [(t.first_fy, t.last_fy) for t in demo.built.agreement.terms] == [
        (2009, 2013), (2014, 2017), (2018, 2022)]


def test_the_chain_verifies_and_matches_what_the_demo_printed(demo: Demo) -> None:
    with demo.read() as uow:
        result = integrity.verify(uow)  # with every forestry row its estimates cite
    assert result.ok and demo.built.verified
    heads = {h.agreement_id: (h.entry_count, h.hash) for h in result.heads}
    assert set(heads) == {demo.agreement_id, *(p.id for p in demo.built.partners)}
    assert heads[demo.agreement_id] == (demo.built.entry_count, demo.built.chain_head)


def test_every_entry_says_whether_its_figure_is_published_or_illustrative(demo: Demo) -> None:
    # The closes and the reports they issued are the demo's acts on the books, not figures.
    entries = [e for e in demo.entries() if not e.entry.kind.memorandum]
    assert {e.entry.kind for e in demo.entries() if e.entry.kind.memorandum} == {
        Kind.PERIOD_CLOSE, Kind.REPORT_ISSUE}
    assert {e.entry.recorded_by for e in entries} == {ILLUSTRATIVE_BY, PUBLISHED_BY}
    published = [e for e in entries if e.entry.recorded_by == PUBLISHED_BY]
    assert [(e.entry.kind, e.entry.fiscal_year) for e in published] == [
        (Kind.CERTIFICATION, 2013)]


FREE_TEXT = {Kind.COST, Kind.SUBSIDY, Kind.TIMBER_SALE, Kind.EMISSION, Kind.RETIREMENT,
             Kind.CERTIFICATION}


def test_entries_with_free_text_carry_the_illustrative_mark(demo: Demo) -> None:
    unmarked = [e.id for e in demo.entries()
                if e.entry.kind in FREE_TEXT and e.entry.recorded_by == ILLUSTRATIVE_BY
                and ILLUSTRATIVE_TEXT not in e.entry.description
                and "説明用" not in canonical_json(dict(e.entry.details))]
    assert unmarked == []


def test_the_ward_has_a_second_illustrative_agreement_with_numata(demo: Demo) -> None:
    (numata,) = demo.built.partners
    assert [(t.first_fy, t.last_fy) for t in numata.terms] == [(2017, 2021)]
    with demo.read() as uow:
        assert uow.agreements.party(numata.forest_party_id).code == "102067"
        assert numata.urban_party_id == demo.built.agreement.urban_party_id
        entries = [e for e in uow.journal.chain(numata.id) if not e.entry.kind.memorandum]
        position = party_summary(uow, numata.urban_party_id, 2019)
    # Nothing of it is published: every entry says so in its author, and each entry with free
    # text in that text too.
    assert {e.entry.recorded_by for e in entries} == {ILLUSTRATIVE_BY}
    assert all(ILLUSTRATIVE_TEXT in e.entry.description
               or "説明用" in canonical_json(dict(e.entry.details)) for e in entries
               if e.entry.kind in FREE_TEXT)
    # FY2019 of the ward: its vehicles (30 kL of gasoline at 2.32 t/kL and 11 kL of diesel
    # at 2.62 t/kL = 98.42 t) offset with Numata's 48.3 t, beside Ina's ward facilities.
    (ina, second) = position.contributions
    assert (ina.agreement.id, second.agreement.id) == (demo.agreement_id, numata.id)
    assert second.summary.carbon.emissions == Decimal("98.420")
    assert second.summary.carbon.retired == Decimal("48.300")
    assert position.carbon.emissions == ina.summary.carbon.emissions + Decimal("98.420")
    assert position.carbon.retired == ina.summary.carbon.retired + Decimal("48.300")


def test_inas_fy2019_report_shows_its_part_in_the_wards_netting(demo: Demo) -> None:
    (numata,) = demo.built.partners
    with demo.read() as uow:
        table = build_annual(uow, demo.built.agreement, 2019).section("netting").table(
            "party_netting")
        numata_head = ledger.head_as_of(uow, numata.id)
    ina = demo.summary(2019).carbon
    # Numata's FY2019 by hand: 30 kL gasoline × 2.32 + 11 kL diesel × 2.62 = 98.42 t emitted,
    # 48.3 t retired (its retirements.csv).
    row = next(r for r in table.rows if r["fiscal_year"] == 2019)
    assert (row["agreements"], row["emissions_here"], row["retired_here"]) == (
        2, ina.emissions, ina.retired)
    assert row["emissions"] == ina.emissions + Decimal("98.420")
    assert row["retired"] == ina.retired + Decimal("48.300")
    assert row["share_ratio"] == (ina.retired / (ina.retired + Decimal("48.3"))).quantize(
        Decimal("0.000001"))
    assert any(f"agreement {numata.id}'s chain read at seq {numata_head.entry_count}, head "
               f"{numata_head.hash}" in note for note in table.notes)
    # FY2016, before the Numata agreement began, Ina is the ward's only agreement.
    with demo.read() as uow:
        earlier = build_annual(uow, demo.built.agreement, 2016).section("netting").table(
            "party_netting")
    (alone,) = [r for r in earlier.rows if r["fiscal_year"] == 2016]
    assert alone["agreements"] == 1 and alone["share_ratio"] == Decimal("1.000000")


def test_the_summary_command_says_numatas_part_in_the_wards_netting(demo: Demo) -> None:
    (numata,) = demo.built.partners
    shown = CliRunner().invoke(app, ["--database-url", demo.url, "summary", "--agreement",
                                     str(numata.id), "--fy", "2019"])
    assert shown.exit_code == 0, shown.output
    ward = demo.summary(2019).carbon.retired + Decimal("48.300")  # Ina's and Numata's
    assert f"retired here 48.300 of {ward:,} t-CO2" in shown.stdout
    assert "over 2 agreement(s)" in shown.stdout


def test_the_demo_is_refused_where_it_was_built_before(demo: Demo) -> None:
    with unit_of_work_factory(demo.engine)() as uow, pytest.raises(DemoPresent):
        build(uow)


def test_the_tokens_belong_to_one_user_per_role(demo: Demo) -> None:
    with demo.read() as uow:
        roles = {name: authenticate(uow, token).role
                 for name, token in demo.built.tokens.items()}
        auditor = authenticate(uow, demo.built.tokens["auditor"])
    assert roles == {"forestry": Role.FORESTRY, "urban": Role.URBAN,
                     "auditor": Role.AUDITOR, "admin": Role.ADMIN, "council": Role.COUNCIL}
    assert auditor.audited_agreement_ids == {demo.agreement_id}


def test_offset_demo_builds_once_and_skips_when_asked(tmp_path: Path) -> None:
    runner = CliRunner()
    with fresh_database("sqlite", tmp_path) as url:
        first = runner.invoke(app, ["--database-url", url, "demo"])
        again = runner.invoke(app, ["--database-url", url, "demo"])
        skipped = runner.invoke(app, ["--database-url", url, "demo", "--if-missing"])
        verified = runner.invoke(app, ["--database-url", url, "verify"])
    assert first.exit_code == 0, first.output
    head = next(line for line in first.stdout.splitlines() if "chain head" in line).split()[-1]
    assert head in verified.stdout
    assert [line.split()[1].split("=")[0] for line in first.stdout.splitlines()
            if "_TOKEN=off_" in line] == [
        "FORESTRY_TOKEN", "URBAN_TOKEN", "AUDITOR_TOKEN", "ADMIN_TOKEN", "COUNCIL_TOKEN"]
    assert again.exit_code == 1
    assert again.stderr.startswith("error: the Shinjuku–Ina demo is already in this database")
    assert skipped.exit_code == 0 and "nothing to do" in skipped.stdout



def test_entries_record_their_provenance_in_their_details(demo: Demo) -> None:
    """Reports read {"figure": …} from the details; only estimate adjustments made after a
    renewal are derived rather than recorded, and carry none."""
    by_figure: dict[str, set[Kind]] = {}
    for e in demo.entries():
        if not e.entry.kind.memorandum:  # closes and issued reports state no figure
            by_figure.setdefault(e.entry.details.get("figure", "none"), set()).add(e.entry.kind)
    assert by_figure["published"] == {Kind.CERTIFICATION}
    assert by_figure["illustrative"] >= {Kind.ESTIMATE, Kind.COST, Kind.SUBSIDY,
                                         Kind.TIMBER_SALE, Kind.EMISSION, Kind.RETIREMENT,
                                         Kind.CERTIFICATION}
    assert by_figure.get("none", set()) <= {Kind.ESTIMATE_ADJUSTMENT}
