"""Writing clean import rows: insert new references, update changed ones, end missing ones.

Called inside one transaction by ``haven.register.services.import_apply``: either every row is
written or none is. Rows are written in bulk (``bulk_create`` / ``bulk_update`` in batches) and
the current register is read once per import, so a file of 200,000 people costs a bounded number
of queries per batch, not per row.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models

from haven.register.models import (
    EqualityMonitoring,
    HouseholdRole,
    LocalAuthorityArea,
    Patch,
    Person,
    Property,
    Tenancy,
    TenancyMember,
    Vulnerability,
    WarningMarker,
)

BATCH = 1000
SMALL = 100  # up to this many rows (a record from the API), read only the rows named


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged, "ended": self.ended}


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _upsert(
    model: type[models.Model],
    *,
    landlord_id: int,
    rows: list[dict[str, Any]],
    names: list[str],
    end_field: str | None,
    full_refresh: bool,
    today: date,
) -> tuple[dict[str, int], Counts, set[str]]:
    """Insert or update ``model`` rows by (landlord, reference). Returns reference -> id and counts.

    A row present in the file that was marked ended comes back to life; with ``full_refresh``,
    references missing from the file are marked ended on ``today`` (never deleted: cases point at them).
    """
    manager = model._default_manager
    select = ["id", "reference", *names] + ([end_field] if end_field else [])
    scope = manager.filter(landlord_id=landlord_id)
    if not full_refresh and len(rows) <= SMALL:  # one record from the API: read only its own row
        scope = scope.filter(reference__in=[row["reference"] for row in rows])
    current: dict[str, tuple[Any, ...]] = {values[1]: values for values in scope.values_list(*select)}
    counts = Counts()
    touched: set[str] = set()
    create: list[models.Model] = []
    update: list[models.Model] = []
    for row in rows:
        values = {n: row[n] for n in names}
        before = current.get(row["reference"])
        if before is None:
            create.append(model(landlord_id=landlord_id, reference=row["reference"], **values))
            counts.created += 1
            touched.add(row["reference"])
            continue
        was = dict(zip(names, before[2 : 2 + len(names)], strict=True))
        ended = end_field is not None and before[-1] is not None
        if was == values and not ended:
            counts.unchanged += 1
            continue
        if end_field:
            values[end_field] = None
        update.append(model(id=before[0], landlord_id=landlord_id, reference=row["reference"], **values))
        counts.updated += 1
        touched.add(row["reference"])
    for batch in _chunks(create):
        manager.bulk_create(batch)
    update_fields = names + ([end_field] if end_field else []) + ["updated_at"]
    for batch in _chunks(update, 500):
        for obj in batch:
            obj.updated_at = _now()
        manager.bulk_update(batch, update_fields)
    if full_refresh and end_field:
        in_file = {row["reference"] for row in rows}
        missing = [v[0] for ref, v in current.items() if ref not in in_file and v[-1] is None]
        for batch in _chunks(missing, 500):
            manager.filter(id__in=batch).update(**{end_field: today, "updated_at": _now()})
        counts.ended = len(missing)
    ids = (
        dict(scope.values_list("reference", "id"))
        if len(rows) <= SMALL and not full_refresh
        else (dict(manager.filter(landlord_id=landlord_id).values_list("reference", "id")))
    )
    return ids, counts, touched


def _also_updated(counts: Counts, ids: dict[str, int], touched: set[str], changed: set[int]) -> None:
    """A record whose only change is in a linked table (vulnerabilities, household) counts as updated."""
    extra = len(changed - {ids[ref] for ref in touched})
    counts.unchanged -= extra
    counts.updated += extra


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


# ---- each kind ----------------------------------------------------------------------------------


def patches_apply(*, landlord_id: int, rows: list[dict[str, Any]], full_refresh: bool, today: date) -> Counts:
    areas = {a.name.lower(): a.id for a in LocalAuthorityArea.objects.filter(landlord_id=landlord_id)}
    for row in rows:
        name = row.pop("local_authority")
        if name and name.lower() not in areas:
            areas[name.lower()] = LocalAuthorityArea.objects.create(landlord_id=landlord_id, name=name).id
        row["local_authority_area_id"] = areas[name.lower()] if name else None
    current = {p.code: p for p in Patch.objects.filter(landlord_id=landlord_id)}
    counts = Counts()
    names = ["name", "team_id", "officer_id", "local_authority_area_id"]
    for row in rows:
        patch = current.get(row["code"])
        if patch is None:
            Patch.objects.create(landlord_id=landlord_id, code=row["code"], **{n: row[n] for n in names})
            counts.created += 1
        elif any(getattr(patch, n) != row[n] for n in names):
            for n in names:
                setattr(patch, n, row[n])
            patch.save()
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts  # patches are never ended: properties keep pointing at them


def _property_search_text(row: dict[str, Any]) -> str:
    parts = (row["address_line_1"], row["address_line_2"], row["address_line_3"], row["town"], row["postcode"])
    return " ".join(p for p in parts if p).lower()[:400]


PROPERTY_FIELDS = [
    "uprn",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "town",
    "postcode",
    "patch_id",
    "local_authority_area_id",
    "scheme",
    "property_type",
    "tenure",
    "counts_for_tsm",
    "search_text",
]


def properties_apply(*, landlord_id: int, rows: list[dict[str, Any]], full_refresh: bool, today: date) -> Counts:
    for row in rows:
        row["search_text"] = _property_search_text(row)
    _, counts, _ = _upsert(
        Property,
        landlord_id=landlord_id,
        rows=rows,
        names=PROPERTY_FIELDS,
        end_field="ended_on",
        full_refresh=full_refresh,
        today=today,
    )
    return counts


PERSON_FIELDS = [
    "title",
    "first_name",
    "last_name",
    "date_of_birth",
    "phone",
    "email",
    "preferred_contact",
    "preferred_language",
    "communication_needs",
    "reasonable_adjustments",
    "search_name",
]


def people_apply(*, landlord_id: int, rows: list[dict[str, Any]], full_refresh: bool, today: date) -> Counts:
    for row in rows:
        row["search_name"] = f"{row['first_name']} {row['last_name']}".lower()[:201]
    ids, counts, touched = _upsert(
        Person,
        landlord_id=landlord_id,
        rows=rows,
        names=PERSON_FIELDS,
        end_field="ended_on",
        full_refresh=full_refresh,
        today=today,
    )
    wanted_vulnerabilities = {ids[r["reference"]]: set(r["_vulnerabilities"]) for r in rows}
    wanted_markers = {ids[r["reference"]]: set(r["_markers"]) for r in rows}
    wanted_equality = {ids[r["reference"]]: r["_equality"] for r in rows}
    vulnerabilities = Vulnerability.objects.filter(person__landlord_id=landlord_id)
    markers = WarningMarker.objects.filter(landlord_id=landlord_id, person__isnull=False)
    equality = EqualityMonitoring.objects.filter(person__landlord_id=landlord_id)
    if len(rows) <= SMALL:  # a few records (the API): read only their own sets, not the landlord's
        mine = [ids[r["reference"]] for r in rows]
        vulnerabilities, markers = vulnerabilities.filter(person_id__in=mine), markers.filter(person_id__in=mine)
        equality = equality.filter(person_id__in=mine)
    changed = _replace_sets(
        vulnerabilities,
        wanted_vulnerabilities,
        lambda person_id, kind: Vulnerability(person_id=person_id, kind=kind),
    )
    changed |= _replace_sets(
        markers,
        wanted_markers,
        lambda person_id, kind: WarningMarker(landlord_id=landlord_id, person_id=person_id, kind=kind),
    )
    changed |= _equality_apply(equality, wanted_equality)
    _also_updated(counts, ids, touched, changed)
    return counts


def _replace_sets(queryset: models.QuerySet[Any], wanted: dict[int, set[str]], make: Any) -> set[int]:
    """Make each person's set of kinds what the file says; return the people whose set changed."""
    have: dict[int, set[str]] = defaultdict(set)
    for person_id, kind in queryset.values_list("person_id", "kind"):
        have[person_id].add(kind)
    changed = {pid for pid, kinds in wanted.items() if have.get(pid, set()) != kinds}
    remove = [pid for pid in changed if have.get(pid)]
    for batch in _chunks(remove, 500):
        queryset.filter(person_id__in=batch).delete()
    queryset.model._default_manager.bulk_create(
        [make(pid, kind) for pid in changed for kind in sorted(wanted[pid])], batch_size=BATCH
    )
    return changed


EQUALITY_FIELDS = [
    "sex",
    "gender_identity_same_as_birth",
    "sexual_orientation",
    "ethnicity",
    "religion",
    "disability",
]


def _equality_apply(held: models.QuerySet[EqualityMonitoring], wanted: dict[int, dict[str, str]]) -> set[int]:
    """Create or update equality answers in bulk; a person given no answers keeps the ones held."""
    have = {
        row[0]: (row[1], dict(zip(EQUALITY_FIELDS, row[2:], strict=True)))
        for row in held.values_list("person_id", "id", *EQUALITY_FIELDS)
    }
    changed: set[int] = set()
    create: list[EqualityMonitoring] = []
    update: list[EqualityMonitoring] = []
    now = _now()
    for person_id, answers in wanted.items():
        if not answers or (person_id in have and have[person_id][1] == answers):
            continue
        changed.add(person_id)
        if person_id in have:
            update.append(EqualityMonitoring(id=have[person_id][0], person_id=person_id, updated_at=now, **answers))
        else:
            create.append(EqualityMonitoring(person_id=person_id, **answers))
    EqualityMonitoring.objects.bulk_create(create, batch_size=BATCH)
    EqualityMonitoring.objects.bulk_update(update, [*EQUALITY_FIELDS, "updated_at"], batch_size=500)
    return changed


TENANCY_FIELDS = ["property_id", "tenancy_type", "starts_on", "ends_on"]


def tenancies_apply(*, landlord_id: int, rows: list[dict[str, Any]], full_refresh: bool, today: date) -> Counts:
    ids, counts, touched = _upsert(
        Tenancy,
        landlord_id=landlord_id,
        rows=rows,
        names=TENANCY_FIELDS,
        end_field=None,
        full_refresh=False,
        today=today,
    )
    if full_refresh:
        in_file = {r["reference"] for r in rows}
        running = Tenancy.objects.filter(landlord_id=landlord_id, ends_on__isnull=True)
        missing = [pk for ref, pk in running.values_list("reference", "id") if ref not in in_file]
        for batch in _chunks(missing, 500):
            Tenancy.objects.filter(id__in=batch).update(ends_on=today)
        counts.ended = len(missing)
    have: dict[int, set[tuple[int, str]]] = defaultdict(set)
    members = TenancyMember.objects.filter(tenancy__landlord_id=landlord_id)
    if len(rows) <= SMALL:
        members = members.filter(tenancy_id__in=[ids[r["reference"]] for r in rows])
    for tenancy_id, person_id, role in members.values_list("tenancy_id", "person_id", "role"):
        have[tenancy_id].add((person_id, role))
    create: list[TenancyMember] = []
    replace: list[int] = []
    changed: set[int] = set()
    for row in rows:
        tenancy_id = ids[row["reference"]]
        wanted = {(p, HouseholdRole.TENANT.value) for p in row["_tenants"]}
        wanted |= {(p, HouseholdRole.MEMBER.value) for p in row["_members"]}
        if have.get(tenancy_id, set()) == wanted:
            continue
        changed.add(tenancy_id)
        if have.get(tenancy_id):
            replace.append(tenancy_id)
        create.extend(TenancyMember(tenancy_id=tenancy_id, person_id=p, role=role) for p, role in sorted(wanted))
    for batch in _chunks(replace, 500):
        TenancyMember.objects.filter(tenancy_id__in=batch).delete()
    TenancyMember.objects.bulk_create(create, batch_size=BATCH)
    _also_updated(counts, ids, touched, changed)
    return counts


APPLIERS = {
    "patches": patches_apply,
    "properties": properties_apply,
    "people": people_apply,
    "tenancies": tenancies_apply,
}
