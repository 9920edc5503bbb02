"""Employer lists: column mapping, row errors naming row, column and reason, all or nothing."""

import pytest

from jaring.accounts.models import Role
from jaring.compliance import sources
from jaring.compliance.models import Employer, EmployerList, SourceEntry, SourceKind
from jaring.core.errors import PermissionDenied, ValidationFailed
from tests.compliance.setup import BPJS, CITY, LICENCES, VILLAGE, load, write
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user(Role.COMPLIANCE_OFFICER, CITY)


def refused(officer, tmp_path, text, kind=SourceKind.LICENCE):
    with pytest.raises(ValidationFailed) as caught:
        sources.import_list(
            actor=officer, path=write(tmp_path, "x.csv", text), kind=kind, region_code=CITY
        )
    assert not Employer.objects.exists() and not EmployerList.objects.exists()
    return caught.value.problems


def test_a_licence_list_and_bpjs_list_make_one_employer_per_nib(officer, tmp_path):
    a, b = load(officer, tmp_path)
    assert (a.rows, a.created, b.created, b.updated) == (4, 4, 1, 2)
    maju = Employer.objects.get(nib="2234567890123")
    assert maju.npp == "NPP-002" and maju.registered
    assert (maju.bpjs_workers, maju.other_workers) == (12, 12)
    assert maju.region_code == VILLAGE and maju.size_class == "small"
    assert SourceEntry.objects.filter(employer=maju).count() == 2
    sinar = Employer.objects.get(nib="1234567890123")
    assert (sinar.size_class, sinar.size_criterion) == ("medium", "capital")


def test_an_unknown_column_is_refused_by_name(officer, tmp_path):
    problems = refused(officer, tmp_path, "nama usaha,nib,warna\nToko A,1234567890123,merah\n")
    assert problems[0].code == "column_unknown" and "warna" in problems[0].message_id


def test_row_errors_name_row_column_and_reason(officer, tmp_path):
    text = (
        "nama usaha,nib,kelurahan,jumlah tenaga kerja\n"
        "Toko A,12345,,3\n"  # row 2: NIB of 5 digits
        "Toko B,2234567890123,Kelurahan Entah,3\n"  # row 3: not a kelurahan of the city
        "Toko C,3234567890123,,tiga\n"  # row 4: not a number
        "Toko D,3234567890123,,2\n"  # row 5: the NIB of row 4 again
    )
    problems = refused(officer, tmp_path, text)
    fields = [(p.field, p.code) for p in problems]
    assert ("rows.2.nib", "nib_length") in fields
    assert ("rows.3.village", "village_outside") in fields
    assert ("rows.4.workers", "number_invalid") in fields
    assert "Baris 2, kolom nib" in problems[0].message_id and "13" in problems[0].message_id


def test_a_duplicate_employer_in_one_list(officer, tmp_path):
    text = LICENCES + f"PT Sinar Jaya Abadi,1234567890123,47111,Jl. Lain,{VILLAGE},3,1,\n"
    problems = refused(officer, tmp_path, text)
    assert problems[0].code == "employer_twice" and "baris 2" in problems[0].message_id


def test_a_bpjs_list_for_another_city(officer, tmp_path):
    problems = refused(officer, tmp_path, BPJS.replace(",61.71,", ",61.72,"), SourceKind.BPJS)
    assert {p.code for p in problems} == {"list_other_city"}
    assert len(problems) == 3


def test_a_city_outside_the_officers_region(tmp_path):
    other = make_user(Role.COMPLIANCE_OFFICER, "61.72")
    with pytest.raises(PermissionDenied):
        sources.import_list(
            actor=other, path=write(tmp_path, "x.csv", LICENCES), kind="licence", region_code=CITY
        )


def test_pds_upah_names_the_wage_its_gap_is_measured_to():
    from fractions import Fraction

    from jaring.compliance.findings import Figures, assess

    bpjs = Figures(workers=10, wage_bill=25_000_000, programmes=("jkk", "jkm"))
    # The licence list's average (3.5 M) is above the UMK (2.9 M): the gap is to 3.5 M.
    other = Figures(workers=10, wage_bill=35_000_000)
    [upah] = [
        f
        for f in assess(bpjs=bpjs, other=other, umk=Fraction(2_900_000), mandatory=("jkk", "jkm"))
        if f.kind == "pds_upah"
    ]
    assert upah.gap_wage == 1_000_000
    assert "Rp3.500.000" in upah.reason_id and "juga di bawah UMK" in upah.reason_id
    assert "Rp1.000.000" in upah.reason_id
    # Below the UMK only, where the UMK is the higher figure: the UMK is named alone.
    [by_umk] = [
        f
        for f in assess(
            bpjs=bpjs,
            other=Figures(workers=10, wage_bill=26_000_000),
            umk=Fraction(2_900_000),
            mandatory=("jkk", "jkm"),
        )
        if f.kind == "pds_upah"
    ]
    assert by_umk.gap_wage == 400_000 and "di bawah UMK" in by_umk.reason_id
    assert "sumber lain" not in by_umk.reason_id


def test_linking_tells_names_that_only_start_alike_apart():
    from jaring.compliance.matching import frame, link
    from jaring.compliance.names import name_key

    def rows(*named):
        return frame(
            [
                {"id": i, "name_key": name_key(n), "nib": "", "address": a}
                for i, (n, a) in enumerate(named, start=1)
            ]
        )

    registered = rows(
        ("PT Sinar Jaya Mulia", "Jl. Merdeka No. 5"),
        ("CV Sumber Rejeki", "Jl. Tanjungpura No. 12"),
        ("Maju Bersama Sentosa", ""),
    )
    businesses = rows(
        ("SINAR JAYA ABADI", "Jl. Merdeka No. 5"),  # same street, another business
        ("Sumber Rejeky CV", "Jalan Tanjungpura No. 12"),  # the same one, a typo
        ("UD Maju Bersama", ""),  # one word short: not the same name
    )
    found = link(businesses, registered)
    assert dict(zip(found["other_id"], found["bpjs_id"], strict=True)) == {2: 2}
