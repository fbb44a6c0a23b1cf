"""A stand belongs to one scheme at a time: once enrolled in a J-Credit project (FO-001) for
some fiscal years, no agreement credits it for them, by logging or by importing; and a stand
an agreement already credits cannot be enrolled for those years. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from offset.db.uow import UnitOfWorkFactory
from offset.errors import InvalidInput
from offset.forestry.errors import DoubleCounting, EnrolledElsewhere, ImportRejected
from offset.forestry.imports import read_table
from offset.forestry.model import FOREST_MANAGEMENT, J_CREDIT, Enrollment
from offset.forestry.sheets import FileFormat
from offset.forestry.stands import enroll_stand, stand_enrollments
from offset.forestry.thinnings import import_thinnings, log_thinning, prepare_import
from offset.ledger import services as ledger
from tests.builders import CHIYODA, agreement, stand, thinning

PROJECT = "JCL-0042"


def enrolled(stand_id: int, first_fy: int, last_fy: int) -> Enrollment:
    return Enrollment(stand_id, J_CREDIT, FOREST_MANAGEMENT, PROJECT, first_fy, last_fy)


def entry_count(work, agreement_id: int) -> int:
    return ledger.verify(work, [agreement_id]).heads[0].entry_count


def test_work_credited_in_an_enrolled_year_is_refused_and_stores_nothing(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work, terms=((2009, 2018),))
        forest = stand(work)
        enroll_stand(work, forest, enrolled(forest.id, 2012, 2016), "forestry-office")
        before = (entry_count(work, deal.id), len(work.forestry.thinnings(deal.id)))
        # Thinned in FY2010, the work is credited FY2010–FY2014: FY2012–FY2014 are enrolled.
        with pytest.raises(EnrolledElsewhere) as refused:
            log_thinning(work, deal, thinning(deal.id, forest.id, "5", 2010), "forestry")
        assert refused.value.fiscal_years == [2012, 2013, 2014]
        assert refused.value.field == "stand_id" and PROJECT in refused.value.detail
        assert (entry_count(work, deal.id), len(work.forestry.thinnings(deal.id))) == before
        # After the project's last year the stand is the agreement's to credit again.
        logged = log_thinning(work, deal, thinning(deal.id, forest.id, "5", 2017),
                              "forestry")
        assert [e.entry.fiscal_year for e in logged.estimates] == [2017, 2018]


def test_an_import_names_the_row_whose_stand_is_enrolled_and_imports_nothing(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        free, taken = stand(work, "1"), stand(work, "2")
        enroll_stand(work, taken, enrolled(taken.id, 2009, 2030), "forestry-office")
        before = entry_count(work, deal.id)
        table = read_table(("団地,林班,小班,実施日,面積\n"
                            "鹿嶺高原,12,1,2009-10-01,2 ha\n"
                            "鹿嶺高原,12,2,2009-10-02,2 ha\n").encode(), FileFormat.CSV)
        with pytest.raises(ImportRejected) as refused:
            prepare_import(work, deal, table)
        assert [p.line for p in refused.value.problems] == [3]
        assert PROJECT in refused.value.problems[0].reason
        assert entry_count(work, deal.id) == before
        prepared = prepare_import(work, deal, read_table(
            "団地,林班,小班,実施日,面積\n鹿嶺高原,12,1,2009-10-01,2 ha\n".encode(),
            FileFormat.CSV))
        imported = import_thinnings(work, deal, prepared, "import")
        assert [t.stand_id for t in imported.thinnings] == [free.id]


def test_a_stand_credited_by_an_agreement_cannot_be_enrolled_for_those_years(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        forest = stand(work)
        done = log_thinning(work, deal, thinning(deal.id, forest.id, "5", 2009), "forestry")
        with pytest.raises(DoubleCounting) as refused:  # credited FY2009–FY2013
            enroll_stand(work, forest, enrolled(forest.id, 2013, 2020), "forestry-office")
        assert refused.value.fiscal_years == [2013]
        assert refused.value.thinning_id == done.thinning.id
        assert stand_enrollments(work, forest.id) == []
        kept = enroll_stand(work, forest, enrolled(forest.id, 2014, 2020), "forestry-office")
        assert stand_enrollments(work, forest.id) == [kept]


def test_enrollments_of_one_stand_never_overlap_and_the_rule_holds_across_agreements(
        uow: UnitOfWorkFactory):
    with uow() as work:
        deal = agreement(work)
        other = agreement(work, CHIYODA)  # the same forest party's stand, another agreement
        forest = stand(work)
        enroll_stand(work, forest, enrolled(forest.id, 2009, 2011), "forestry-office")
        with pytest.raises(EnrolledElsewhere):
            enroll_stand(work, forest, enrolled(forest.id, 2011, 2012), "forestry-office")
        for each in (deal, other):
            with pytest.raises(EnrolledElsewhere):
                log_thinning(work, each, thinning(each.id, forest.id, "1", 2009), "forestry")


@pytest.mark.parametrize(("first", "last", "project", "field"), [
    (2015, 2014, PROJECT, "last_fy"),
    (1900, 2014, PROJECT, "first_fy"),
    (2014, 2015, "  ", "project_number"),
    (2014, 2015, "JCL\u202e-1", "project_number"),
])
def test_a_bad_enrollment_is_refused_naming_its_field(
        uow: UnitOfWorkFactory, first: int, last: int, project: str, field: str):
    with uow() as work:
        forest = stand(work)
        with pytest.raises(InvalidInput) as refused:
            enroll_stand(work, forest, Enrollment(forest.id, J_CREDIT, FOREST_MANAGEMENT,
                                                  project, first, last), "forestry-office")
        assert refused.value.field == field
        assert stand_enrollments(work, forest.id) == []
