"""Importing the register: check, all-or-nothing apply, idempotent re-import, full refresh, bad input.

Every test goes through the real path (file on disk → reader → row cleaning → bulk apply → audit).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command

from haven.accounts.models import Landlord
from haven.audit.models import AuditEvent, Verb
from haven.register.importing.run import ImportResult
from haven.register.models import (
    EqualityMonitoring,
    ImportRun,
    ImportStatus,
    LocalAuthorityArea,
    Patch,
    Person,
    Property,
    Tenancy,
    TenancyMember,
    Vulnerability,
    WarningMarker,
)
from haven.register.services import register_import

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
KINDS = ("patches", "properties", "people", "tenancies")


def sample_rows(kind: str) -> list[dict[str, str]]:
    with (SAMPLES / f"{kind}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    columns = columns or list(rows[0])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


Importer = Callable[..., ImportResult]


@pytest.fixture
def run_import(tmp_path: Path) -> Importer:
    def run(
        landlord: Landlord, kind: str, rows: list[dict[str, str]] | Path | None = None, **options: object
    ) -> ImportResult:
        if rows is None:
            path = SAMPLES / f"{kind}.csv"
        elif isinstance(rows, Path):
            path = rows
        else:
            path = write_csv(tmp_path / f"{kind}.csv", rows)
        options.setdefault("apply", True)
        _, result = register_import(
            actor="tests", landlord=landlord, kind=kind, path=path, file_name=path.name, **options
        )  # type: ignore[arg-type]
        return result

    return run


def load_samples(run_import: Importer, landlord: Landlord) -> None:
    for kind in KINDS:
        result = run_import(landlord, kind)
        assert result.ok, [str(p) for p in result.problems]


def problems(result: ImportResult) -> list[tuple[int | None, str | None, str]]:
    return [(p.row, p.column, p.message) for p in result.problems]


# ---- the sample files ---------------------------------------------------------------------------


def test_the_sample_files_import_in_order(run_import: Importer, emh: Landlord) -> None:
    load_samples(run_import, emh)
    assert Patch.objects.filter(landlord=emh).count() == 3
    assert set(LocalAuthorityArea.objects.values_list("name", flat=True)) == {"North West Leicestershire", "Nottingham"}
    assert Property.objects.filter(landlord=emh).count() == 6
    assert Person.objects.filter(landlord=emh).count() == 8
    assert Tenancy.objects.filter(landlord=emh).count() == 6
    oak = Property.objects.get(reference="P000101")
    assert (oak.postcode, oak.uprn, oak.patch.code) == ("LE67 4JP", "100030563014", "NWL-1")
    assert oak.local_authority_area.name == "North West Leicestershire"  # taken from the patch
    assert Property.objects.get(reference="P000103").postcode == "LE67 3FS"
    assert Property.objects.get(reference="P000102").tenure == "affordable_rent"  # a label, read as its code
    # TSM homes: low-cost rental and ownership count; leasehold does not (and the file says no).
    assert not Property.objects.get(reference="P000105").counts_for_tsm
    assert Property.objects.get(reference="P000104").counts_for_tsm  # shared ownership
    owen = Person.objects.get(reference="C001002")
    assert str(owen.date_of_birth) == "1951-11-12"  # DD/MM/YYYY read in UK order
    assert set(owen.vulnerabilities.values_list("kind", flat=True)) == {"older_person", "sensory"}
    assert set(WarningMarker.objects.filter(person__reference="C001004").values_list("kind", flat=True)) == {
        "violence",
        "visit_in_pairs",
    }
    assert EqualityMonitoring.objects.get(person__reference="C001001").religion == "Muslim"
    household = TenancyMember.objects.filter(tenancy__reference="T000503")
    assert {(m.person.reference, m.role) for m in household} == {("C001004", "tenant"), ("C001006", "member")}


def test_re_importing_the_same_files_duplicates_nothing(run_import: Importer, emh: Landlord) -> None:
    load_samples(run_import, emh)
    before = [
        m.objects.count() for m in (Patch, Property, Person, Tenancy, TenancyMember, Vulnerability, WarningMarker)
    ]
    for kind in KINDS:
        result = run_import(emh, kind)
        assert result.counts["created"] == result.counts["updated"] == 0, kind
        assert result.counts["unchanged"] == result.rows
    after = [m.objects.count() for m in (Patch, Property, Person, Tenancy, TenancyMember, Vulnerability, WarningMarker)]
    assert after == before


def test_a_changed_row_updates_its_record_by_reference(run_import: Importer, emh: Landlord) -> None:
    load_samples(run_import, emh)
    rows = sample_rows("properties")
    rows[0]["address_line_1"] = "12A Oak Road"
    result = run_import(emh, "properties", rows)
    assert result.counts == {"created": 0, "updated": 1, "unchanged": 5, "ended": 0}
    oak = Property.objects.get(reference="P000101")
    assert oak.address_line_1 == "12A Oak Road"
    assert "12a oak road" in oak.search_text


def test_a_changed_vulnerability_alone_counts_as_an_update_and_replaces_the_set(
    run_import: Importer, emh: Landlord
) -> None:
    load_samples(run_import, emh)
    rows = sample_rows("people")
    rows[1]["vulnerabilities"] = "sensory"
    rows[0]["sex"] = rows[0]["ethnicity"] = rows[0]["religion"] = rows[0]["disability"] = ""
    rows[0]["gender_identity_same_as_birth"] = ""
    result = run_import(emh, "people", rows)
    assert result.counts["updated"] == 1
    assert list(Vulnerability.objects.filter(person__reference="C001002").values_list("kind", flat=True)) == ["sensory"]
    # A file without equality answers leaves the answers held alone.
    assert EqualityMonitoring.objects.get(person__reference="C001001").religion == "Muslim"


def test_a_changed_household_replaces_the_members(run_import: Importer, emh: Landlord) -> None:
    load_samples(run_import, emh)
    rows = sample_rows("tenancies")
    rows[2]["household_members"] = ""
    result = run_import(emh, "tenancies", rows)
    assert result.counts["updated"] == 1
    assert list(
        TenancyMember.objects.filter(tenancy__reference="T000503").values_list("person__reference", flat=True)
    ) == ["C001004"]


def test_a_full_refresh_ends_missing_records_and_never_deletes(run_import: Importer, emh: Landlord) -> None:
    load_samples(run_import, emh)
    properties = sample_rows("properties")
    result = run_import(emh, "properties", properties[1:], full_refresh=True)
    assert result.counts["ended"] == 1
    gone = Property.objects.get(reference="P000101")
    assert gone.ended_on is not None
    assert Tenancy.objects.filter(property=gone).exists()  # still there for its cases
    people = sample_rows("people")
    assert run_import(emh, "people", people[:-1], full_refresh=True).counts["ended"] == 1
    assert Person.objects.get(reference="C001008").ended_on is not None
    # Back in the next file: back in the stock.
    result = run_import(emh, "properties", properties, full_refresh=True)
    assert (result.counts["updated"], result.counts["ended"]) == (1, 0)
    assert Property.objects.get(reference="P000101").ended_on is None
    assert Property.objects.count() == 6


def test_without_full_refresh_missing_records_are_left_alone(run_import: Importer, emh: Landlord) -> None:
    load_samples(run_import, emh)
    result = run_import(emh, "properties", sample_rows("properties")[:2])
    assert result.counts["ended"] == 0
    assert not Property.objects.filter(ended_on__isnull=False).exists()


def test_an_excel_file_imports_like_its_csv(run_import: Importer, emh: Landlord, tmp_path: Path) -> None:
    run_import(emh, "patches")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    rows = sample_rows("properties")
    sheet.append([c.replace("_", " ").title() for c in rows[0]])  # "Property Reference" headings are fine
    for row in rows:
        values: list[object] = list(row.values())
        values[1] = int(row["uprn"])  # Excel holds UPRNs as numbers
        sheet.append(values)
    path = tmp_path / "properties.xlsx"
    book.save(path)
    result = run_import(emh, "properties", path)
    assert result.ok, problems(result)
    assert Property.objects.get(reference="P000101").uprn == "100030563014"


def test_excel_dates_are_read_as_dates(run_import: Importer, emh: Landlord, tmp_path: Path) -> None:
    from datetime import datetime

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["person_reference", "first_name", "last_name", "date_of_birth"])
    sheet.append(["X1", "Nia", "Evans", datetime(1988, 2, 29)])
    path = tmp_path / "people.xlsx"
    book.save(path)
    assert run_import(emh, "people", path).ok
    assert str(Person.objects.get(reference="X1").date_of_birth) == "1988-02-29"


def test_each_landlord_imports_into_its_own_register(
    run_import: Importer, emh: Landlord, make_landlord: Callable[..., Landlord]
) -> None:
    whg = make_landlord("whg")
    load_samples(run_import, emh)
    load_samples(run_import, whg)  # the same references and UPRNs, another landlord
    assert Property.objects.filter(landlord=whg).count() == Property.objects.filter(landlord=emh).count() == 6


# ---- one bad row: nothing imported --------------------------------------------------------------


def test_a_file_with_one_bad_row_imports_nothing(run_import: Importer, emh: Landlord) -> None:
    run_import(emh, "patches")
    rows = sample_rows("properties")
    rows[4]["postcode"] = "NOT A POSTCODE"
    result = run_import(emh, "properties", rows)
    assert not result.applied
    assert problems(result) == [(6, "postcode", "'NOT A POSTCODE' is not a UK postcode (for example LE67 4JP)")]
    assert Property.objects.count() == 0
    run = ImportRun.objects.get(kind="properties")
    assert run.status == ImportStatus.REJECTED
    assert run.problems == [{"row": 6, "column": "postcode", "message": problems(result)[0][2]}]


def test_a_dry_run_checks_everything_and_writes_nothing(run_import: Importer, emh: Landlord) -> None:
    run_import(emh, "patches")
    result = run_import(emh, "properties", apply=False)
    assert result.ok and not result.applied and result.rows == 6
    assert Property.objects.count() == 0
    assert AuditEvent.objects.filter(verb=Verb.IMPORT_CHECKED).count() == 1


@pytest.mark.parametrize(
    ("kind", "column", "value", "message"),
    [
        ("properties", "uprn", "1000305630141", "it has 13 digits and a UPRN has at most 12"),
        ("properties", "uprn", "UPRN-1", "'UPRN-1' is not a UPRN"),
        ("properties", "postcode", "LE67", "'LE67' is not a UK postcode"),
        ("properties", "patch_code", "NWL-9", "there is no patch 'NWL-9' (patches: NOT-1, NWL-1, NWL-2)"),
        ("properties", "local_authority", "Leicester", "'Leicester' is not one of the landlord's council areas"),
        ("properties", "tenure", "council", "'council' is not a tenure Haven knows"),
        ("properties", "address_line_1", "", "is empty, and it must be filled in"),
        ("properties", "counts_for_tsm", "perhaps", "'perhaps' is not yes or no"),
        ("people", "date_of_birth", "2099-01-01", "the date of birth 01/01/2099 is in the future"),
        ("people", "date_of_birth", "31/02/1980", "'31/02/1980' is not a date"),
        ("people", "email", "amira at example", "is not an e-mail address"),
        ("people", "vulnerabilities", "mental_health; sad", "'sad' is not a vulnerability Haven knows"),
        ("people", "preferred_contact", "pigeon", "'pigeon' is not a contact method Haven knows"),
        ("tenancies", "end_date", "2001-01-01", "the tenancy ends (01/01/2001) before it starts (03/06/2019)"),
        ("tenancies", "property_reference", "P999", "there is no property 'P999'; import the properties first"),
        ("tenancies", "tenants", "C001001; C404", "no person with the reference C404; import the people first"),
        ("tenancies", "tenancy_type", "secure_contract", "is a Welsh occupation contract; this landlord is in England"),
    ],
)
def test_a_bad_value_is_named_by_row_and_column(
    run_import: Importer, emh: Landlord, kind: str, column: str, value: str, message: str
) -> None:
    if kind == "tenancies":
        for earlier in ("patches", "properties", "people"):
            run_import(emh, earlier)
    else:
        run_import(emh, "patches")
    rows = sample_rows(kind)
    rows[0][column] = value
    result = run_import(emh, kind, rows)
    assert not result.applied
    ((row, where, said),) = problems(result)
    assert (row, where) == (2, column)
    assert message in said


def test_a_person_twice_in_one_file_is_named_with_both_rows(run_import: Importer, emh: Landlord) -> None:
    rows = sample_rows("people")
    rows.append(dict(rows[2]))
    result = run_import(emh, "people", rows)
    assert problems(result) == [(10, "person_reference", "'C001003' is also on row 4; each reference once per file")]
    assert Person.objects.count() == 0


def test_a_uprn_twice_in_a_file_or_already_used_is_refused(run_import: Importer, emh: Landlord) -> None:
    run_import(emh, "patches")
    rows = sample_rows("properties")
    rows[1]["uprn"] = rows[0]["uprn"]
    assert problems(run_import(emh, "properties", rows)) == [(3, "uprn", "UPRN 100030563014 is also on row 2")]
    run_import(emh, "properties")
    rows = sample_rows("properties")
    rows[0]["property_reference"] = "P999999"
    rows = rows[:1]
    assert problems(run_import(emh, "properties", rows)) == [
        (2, "uprn", "UPRN 100030563014 already belongs to property P000101")
    ]


def test_a_welsh_landlord_takes_occupation_contracts_only(
    run_import: Importer, make_landlord: Callable[..., Landlord]
) -> None:
    wwh = make_landlord("wwh")
    for kind in ("patches", "properties", "people"):
        assert run_import(wwh, kind).ok
    rows = sample_rows("tenancies")
    result = run_import(wwh, "tenancies", rows)
    assert (
        "'assured' is an English tenancy; in Wales use secure_contract or standard_contract" in problems(result)[0][2]
    )
    for row in rows:
        row["tenancy_type"] = "lease" if row["tenancy_type"] == "lease" else "secure_contract"
    assert run_import(wwh, "tenancies", rows).ok


# ---- whole-file problems ------------------------------------------------------------------------


def test_a_file_in_the_wrong_encoding_is_refused_with_what_to_do(
    run_import: Importer, emh: Landlord, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    text = (SAMPLES / "people.csv").read_text(encoding="utf-8").replace("Amira", "Zoë")
    path.write_bytes(text.encode("cp1252"))
    ((row, column, message),) = problems(run_import(emh, "people", path))
    assert (row, column) == (None, None)
    assert message.startswith("The file is not in UTF-8")
    assert "CSV UTF-8" in message
    assert Person.objects.count() == 0


def test_a_utf8_file_with_a_byte_order_mark_is_read(run_import: Importer, emh: Landlord, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (SAMPLES / "people.csv").read_bytes())
    assert run_import(emh, "people", path).ok


def test_wrong_columns_are_named(run_import: Importer, emh: Landlord, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("reference,first_name,surname\nC1,Amira,Khan\n", encoding="utf-8")
    found = problems(run_import(emh, "people", path))
    assert (1, None, "the header lacks the columns person_reference, last_name") in found
    assert any("reference, surname are not columns of a people file" in m for _, _, m in found)
    assert Person.objects.count() == 0


def test_a_properties_file_given_as_people_is_refused(run_import: Importer, emh: Landlord) -> None:
    result = run_import(emh, "people", SAMPLES / "properties.csv")
    assert not result.applied
    assert "the header lacks the columns person_reference, first_name, last_name" in problems(result)[0][2]


def test_an_empty_file_and_a_header_only_file_are_refused(run_import: Importer, emh: Landlord, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert problems(run_import(emh, "people", empty)) == [(None, None, "The file is empty.")]
    header = tmp_path / "header.csv"
    header.write_text("person_reference,first_name,last_name\n", encoding="utf-8")
    assert problems(run_import(emh, "people", header)) == [
        (None, None, "The file has a header line but no rows to import.")
    ]


def test_a_200_mb_file_is_refused_before_it_is_read(run_import: Importer, emh: Landlord, tmp_path: Path) -> None:
    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.write(b"person_reference,first_name,last_name\n")
        handle.truncate(200 * 1_000_000)
    ((_, _, message),) = problems(run_import(emh, "people", path))
    assert message == (
        "The file is 200 MB; the largest file Haven imports is 100 MB. Split it into smaller files and import each."
    )


def test_a_row_with_more_values_than_columns_is_named(run_import: Importer, emh: Landlord, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("person_reference,first_name,last_name\nC1,Amira,Khan\nC2,Ben,Smith,extra\n", encoding="utf-8")
    assert problems(run_import(emh, "people", path)) == [
        (3, None, "has more values than the header has columns; check for a stray comma")
    ]


def test_a_broken_excel_file_is_refused(run_import: Importer, emh: Landlord, tmp_path: Path) -> None:
    path = tmp_path / "people.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    assert "cannot be opened" in problems(run_import(emh, "people", path))[0][2]


def test_problems_are_all_counted_and_the_first_500_kept(run_import: Importer, emh: Landlord, tmp_path: Path) -> None:
    rows = [
        {"person_reference": f"C{n}", "first_name": "A", "last_name": "B", "date_of_birth": "2099-01-01"}
        for n in range(700)
    ]
    result = run_import(emh, "people", rows)
    assert result.problem_count == 700
    assert len(result.problems) == 500


# ---- audit ---------------------------------------------------------------------------------------


def test_an_apply_is_audited_with_the_file_hash_and_counts_and_no_personal_data(
    run_import: Importer, emh: Landlord
) -> None:
    import hashlib

    run_import(emh, "people")
    event = AuditEvent.objects.get(verb=Verb.IMPORT_APPLIED)
    digest = hashlib.sha256((SAMPLES / "people.csv").read_bytes()).hexdigest()
    assert event.landlord_id == emh.pk
    assert event.changes["file_sha256"] == [None, digest]
    assert event.changes["created"] == [None, 8]
    assert event.changes["rows"] == [None, 8]
    assert "Amira" not in str(event.changes) and "Khan" not in event.object_label


# ---- the command ---------------------------------------------------------------------------------


def test_the_command_imports_and_reports_counts(emh: Landlord, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import", "patches", str(SAMPLES / "patches.csv"))
    call_command("import", "properties", str(SAMPLES / "properties.csv"), "--landlord", "emh")
    out = capsys.readouterr().out
    assert "properties.csv: imported 6 properties for emh test landlord (6 created, 0 updated" in out


def test_the_command_lists_problems_and_exits_1(
    emh: Landlord, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = sample_rows("people")
    rows[3]["date_of_birth"] = "2099-01-01"
    path = write_csv(tmp_path / "people.csv", rows)
    with pytest.raises(SystemExit) as exit_:
        call_command("import", "people", str(path), "--dry-run")
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "row 5, column date_of_birth: the date of birth 01/01/2099 is in the future" in err
    assert "1 problem in 8 rows; nothing was imported" in err
    assert Person.objects.count() == 0


def test_the_command_dry_run_writes_nothing(emh: Landlord, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import", "people", str(SAMPLES / "people.csv"), "--dry-run")
    assert "all 8 rows are sound; nothing was written (dry run)" in capsys.readouterr().out
    assert Person.objects.count() == 0


def test_the_command_needs_a_landlord_when_there_are_several(
    emh: Landlord, make_landlord: Callable[..., Landlord]
) -> None:
    from django.core.management.base import CommandError

    make_landlord("whg")
    with pytest.raises(CommandError, match="There are several landlords; say which with --landlord"):
        call_command("import", "people", str(SAMPLES / "people.csv"))
    with pytest.raises(CommandError, match="There is no landlord 'xyz'"):
        call_command("import", "people", str(SAMPLES / "people.csv"), "--landlord", "xyz")
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import", "people", "nowhere.csv", "--landlord", "emh")
