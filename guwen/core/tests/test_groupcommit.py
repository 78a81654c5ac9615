"""Group commit and prepared inserts: what the public intake's hot path stands on."""

import datetime
import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from guwen.core import audit
from guwen.core.groupcommit import GroupCommit, _Entry, run_alone
from guwen.core.models import AuditEvent, CalendarOverride
from guwen.core.rows import insert_family, insert_new, prepare_insert

DAY = datetime.date(2031, 1, 1)


def override(n: int, name: str = "测试") -> CalendarOverride:
    return CalendarOverride(date=DAY + datetime.timedelta(days=n), name=name)


@pytest.mark.django_db
def test_a_prepared_insert_saves_what_save_would():
    row = insert_new(override(0, "国庆节"))
    assert row.pk is not None and not row._state.adding
    stored = CalendarOverride.objects.get(pk=row.pk)
    assert (stored.date, stored.name, stored.is_workday, stored.note) == (DAY, "国庆节", False, "")


@pytest.mark.django_db
def test_set_fills_a_column_known_only_later_and_refuses_unknown_ones():
    event = audit.prepare(actor=None, action="calendar.create", object_type="core.calendaroverride")
    parent = insert_new(override(1))
    event.set(object_id=str(parent.pk)).execute()
    assert AuditEvent.objects.get(pk=event.obj.pk).object_id == str(parent.pk)
    with pytest.raises(AttributeError):
        event.set(no_such_column=1)


@pytest.mark.django_db
def test_insert_family_gives_the_children_the_parents_new_key():
    parent = prepare_insert(override(2))
    children = [
        (audit.prepare(actor=None, action=action, object_type="core.calendaroverride"), "object_id")
        for action in ("calendar.create", "calendar.note")
    ]
    saved = insert_family(parent, children)
    assert CalendarOverride.objects.filter(pk=saved.pk).exists()
    events = AuditEvent.objects.filter(object_id=str(saved.pk)).order_by("action")
    assert [e.action for e in events] == ["calendar.create", "calendar.note"]
    assert [child.obj.pk for child, _name in children] == [e.pk for e in events]
    assert all(child.obj.object_id == str(saved.pk) for child, _name in children)


@pytest.mark.django_db
def test_insert_family_is_all_or_nothing():
    insert_new(override(3))
    parent = prepare_insert(override(3))  # the same date: the unique constraint refuses it
    child = audit.prepare(actor=None, action="calendar.create", object_type="core.calendaroverride")
    before = AuditEvent.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic():
        insert_family(parent, [(child, "object_id")])
    assert AuditEvent.objects.count() == before
    parent.unsave()
    assert parent.obj.pk is None and parent.obj._state.adding


@pytest.mark.django_db(transaction=True)
def test_run_commits_the_job_and_returns_its_result():
    group = GroupCommit()
    assert group.run(lambda: insert_new(override(4)).pk) == CalendarOverride.objects.get().pk
    assert (group.batches, group.jobs) == (1, 1)
    assert not connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_one_failing_job_fails_only_its_own_caller():
    insert_new(override(5))
    group = GroupCommit()
    entries = [_Entry(lambda n=n: insert_new(override(n)).pk) for n in (6, 5, 7)]  # 5 clashes
    group._write(entries)
    assert isinstance(entries[1].error, IntegrityError)
    assert entries[0].error is None and entries[2].error is None
    assert set(CalendarOverride.objects.values_list("date", flat=True)) == {
        DAY + datetime.timedelta(days=n) for n in (5, 6, 7)
    }
    assert group.batches == 1  # the shared attempt; then each job alone


@pytest.mark.django_db(transaction=True)
def test_admit_runs_once_per_batch_before_the_transaction_and_refused_jobs_do_not_run():
    asked: list[list] = []

    def admit(tickets: list) -> list[bool]:
        asked.append(list(tickets))
        assert not connection.in_atomic_block  # counted outside the batch's transaction
        return [ticket != "over" for ticket in tickets]

    group = GroupCommit(admit=admit, refused="refused")
    entries = [
        _Entry(lambda: insert_new(override(20)).name, "ok"),
        _Entry(lambda: insert_new(override(21)).name, "over"),
        _Entry(lambda: insert_new(override(22)).name),  # no ticket: not asked about
    ]
    group._write(entries)
    assert asked == [["ok", "over"]]
    assert [entry.result for entry in entries] == ["测试", "refused", "测试"]
    assert sorted(CalendarOverride.objects.values_list("date", flat=True)) == [
        DAY + datetime.timedelta(days=20),
        DAY + datetime.timedelta(days=22),
    ]
    assert (group.batches, group.jobs) == (1, 2)


@pytest.mark.django_db(transaction=True)
def test_when_admit_fails_every_caller_of_the_batch_sees_it_and_nothing_is_written():
    def admit(tickets: list) -> list[bool]:
        raise RuntimeError("counter down")

    group = GroupCommit(admit=admit)
    entries = [_Entry(lambda n=n: insert_new(override(n)).pk, "t") for n in (23, 24)]
    group._write(entries)
    assert all(isinstance(entry.error, RuntimeError) for entry in entries)
    assert not CalendarOverride.objects.exists()
    assert group.batches == 0


@pytest.mark.django_db
def test_inside_an_outer_transaction_a_refused_ticket_runs_nothing():
    group = GroupCommit(admit=lambda tickets: [False] * len(tickets), refused=False)
    with transaction.atomic():
        assert group.run(lambda: insert_new(override(25)), ticket="t") is False
    assert not CalendarOverride.objects.exists()


@pytest.mark.django_db
def test_inside_an_outer_transaction_the_job_runs_there():
    group = GroupCommit()
    with transaction.atomic():
        group.run(lambda: insert_new(override(8)))
        assert CalendarOverride.objects.count() == 1
    assert group.batches == 0


@pytest.mark.django_db(transaction=True)
def test_run_alone_commits_one_job():
    assert run_alone(lambda: insert_new(override(9)).name) == "测试"
    assert CalendarOverride.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_are_committed_together_and_each_gets_its_own_result():
    if connection.vendor != "postgresql":
        pytest.skip("threads writing at once need PostgreSQL; the SQLite test database is in memory")
    group = GroupCommit()
    results: dict[int, object] = {}
    start = threading.Barrier(8)

    def caller(thread: int) -> None:
        try:
            start.wait()
            for i in range(10):
                n = thread * 10 + i
                try:
                    results[n] = group.run(lambda n=n: insert_new(override(n % 75)).date)
                except IntegrityError as exc:
                    results[n] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=caller, args=(t,)) for t in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    saved = [n for n, value in results.items() if not isinstance(value, Exception)]
    refused = [n for n, value in results.items() if isinstance(value, IntegrityError)]
    # 80 jobs on 75 dates: five clash with an earlier job, and only those five callers hear of it.
    assert len(results) == 80 and len(saved) == 75 and len(refused) == 5
    assert CalendarOverride.objects.count() == 75
    assert group.jobs >= 80 and group.batches <= group.jobs
