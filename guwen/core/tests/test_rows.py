"""Prepared inserts convert every value exactly as ``save()`` would, shortcuts included."""

import datetime
import warnings
import zoneinfo
from unittest import mock

import pytest
from django.apps import apps
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guwen.core.rows import _converter

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")

FIELDS = [
    (model, field)
    for model in apps.get_models()
    if model.__module__.startswith("guwen.") and not model._meta.proxy
    for field in model._meta.concrete_fields
]

values = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.sampled_from(["", "0", "1", "true", "False", "2031-01-01 08:30"]),
    st.integers(min_value=-(2**40), max_value=2**40),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, max_value=10**6, min_value=-(10**6)),
    st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2100, 1, 1)),
    st.datetimes(
        min_value=datetime.datetime(2000, 1, 1),
        max_value=datetime.datetime(2100, 1, 1),
        timezones=st.sampled_from([datetime.UTC, SHANGHAI]),
    ),
    st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 1, 1)),
)


def outcome(convert, obj):
    # auto_now fields read the clock: the same moment for both paths.
    now = datetime.datetime(2031, 1, 1, 8, 30, tzinfo=datetime.UTC)
    with warnings.catch_warnings(), mock.patch("django.utils.timezone.now", return_value=now):
        warnings.simplefilter("ignore")  # naive datetimes warn the same way on both paths
        try:
            return ("value", repr(convert(obj)))  # repr: adapter wrappers (Jsonb) do not compare
        except Exception as exc:
            return ("error", type(exc))


@pytest.mark.django_db
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pair=st.sampled_from(FIELDS), value=values)
def test_each_field_converts_as_djangos_own_conversion(pair, value):
    model, field = pair
    obj = model()
    setattr(obj, field.attname, value)

    def django(o):
        return field.get_db_prep_save(field.pre_save(o, True), connection=connection)

    assert outcome(_converter(field, connection), obj) == outcome(django, obj)
