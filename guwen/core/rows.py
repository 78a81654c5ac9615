"""Inserting rows on hot paths with the statement built once.

The ORM compiles the INSERT again on every ``save()`` and converts every value while the
transaction is open, which costs several times what the database then spends on the row. Public
intake keeps its write transaction — and on SQLite the single writer lock — as short as it can:
the values are converted before the transaction (``prepare_insert``) and only the statements run
inside it (``PreparedInsert.execute``), with the foreign keys that are known only then filled in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connections, models, router
from django.db.models import Model

# (model, database alias) → (statement, fields in parameter order, whether it returns the key,
# whether the database assigns the key, each field's value converter)
_statements: dict[tuple[type, str], tuple[str, list, bool, bool, list]] = {}

# Django's own field classes (exactly these, not subclasses) whose conversion for the database
# hands back a value of this Python class unchanged: the chain of get_db_prep_save →
# get_db_prep_value → get_prep_value → to_python can be skipped for it. Django's pre_save of these
# and of the classes below is a plain attribute read (date fields: unless auto_now or
# auto_now_add, which keep the general path).
_PASS_THROUGH: dict[type, type] = {
    models.CharField: str,
    models.TextField: str,
    models.FloatField: float,
    models.BooleanField: bool,
}
# Integer columns: an int goes to the backend's own adaptation (psycopg's sized integer types on
# PostgreSQL) and an automatic key to the backend's check of it.
_INTEGERS = {
    models.IntegerField,
    models.BigIntegerField,
    models.SmallIntegerField,
    models.PositiveIntegerField,
    models.PositiveBigIntegerField,
    models.PositiveSmallIntegerField,
}
_AUTO_KEYS = {models.AutoField, models.BigAutoField, models.SmallAutoField}
# Fields for which None goes to the database as NULL (BooleanField is not among them: its
# to_python refuses None when the field is not nullable).
_NONE_IS_NULL = set(_PASS_THROUGH) - {models.BooleanField} | _INTEGERS | _AUTO_KEYS | {models.DateTimeField}


def _converter(field, connection) -> Callable[[Model], Any]:
    """A function of a new object giving ``field``'s value as ``save()`` would send it: the
    field's own conversion, or a shortcut where that conversion is known to change nothing."""

    def general(obj: Model) -> Any:
        return field.get_db_prep_save(field.pre_save(obj, True), connection=connection)

    target = field
    if type(field) is models.ForeignKey:
        # A foreign key converts as the key it points at, except that it sends "" as NULL:
        # only integer keys pass through.
        target = field.target_field
    kind = type(target)
    if target is not field and kind not in _INTEGERS and kind not in _AUTO_KEYS:
        return general
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return general
    attname = field.attname
    none_is_null = kind in _NONE_IS_NULL
    if kind is models.DateTimeField:
        adapt = connection.ops.adapt_datetimefield_value

        def moment(obj: Model) -> Any:
            value = getattr(obj, attname)
            if value is None:
                return None
            if value.__class__ is datetime and value.tzinfo is not None:
                return adapt(value)  # an aware datetime passes to_python and get_prep_value as is
            return general(obj)

        return moment
    if kind in _INTEGERS or kind in _AUTO_KEYS:
        if kind in _AUTO_KEYS:
            check = connection.ops.validate_autopk_value
        else:
            adapt_integer = connection.ops.adapt_integerfield_value
            internal_type = target.get_internal_type()

            def check(value: int) -> Any:
                return adapt_integer(value, internal_type)

        def integer(obj: Model) -> Any:
            value = getattr(obj, attname)
            if value is None:
                return None
            if value.__class__ is int:
                return check(value)
            return general(obj)

        return integer
    plain = _PASS_THROUGH.get(kind)
    if plain is None:
        return general

    def simple(obj: Model) -> Any:
        value = getattr(obj, attname)
        if value.__class__ is plain or (value is None and none_is_null):
            return value
        return general(obj)

    return simple


def _statement(model: type[Model], alias: str) -> tuple[str, list, bool, bool, list]:
    statement = _statements.get((model, alias))
    if statement is None:
        connection = connections[alias]
        meta = model._meta
        fields = [
            f for f in meta.concrete_fields if not (f.primary_key and getattr(f, "db_returning", False))
        ]
        quote = connection.ops.quote_name
        # Only the model's own table and column names go into the text; values are parameters.
        sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608
            quote(meta.db_table),
            ", ".join(quote(f.column) for f in fields),
            ", ".join(["%s"] * len(fields)),
        )
        returning = connection.features.can_return_columns_from_insert
        if returning:
            sql += " RETURNING " + quote(meta.pk.column)
        database_key = all(not f.primary_key for f in fields)
        converters = [_converter(f, connection) for f in fields]
        statement = _statements[(model, alias)] = (sql, fields, returning, database_key, converters)
    return statement


@dataclass
class PreparedInsert:
    """One new row of ``obj``'s model with its values already converted for the database."""

    obj: Model
    alias: str
    sql: str
    fields: list
    params: list
    returning: bool
    database_key: bool  # the database assigns the primary key (it is not among the parameters)

    def set(self, **values: Any) -> PreparedInsert:
        """Set fields (by attribute name, e.g. ``consultation_id``) on the object and in the
        parameters: for keys known only once an earlier row of the same transaction exists."""
        connection = connections[self.alias]
        for name, value in values.items():
            setattr(self.obj, name, value)
            for index, f in enumerate(self.fields):
                if f.attname == name:
                    self.params[index] = f.get_db_prep_save(value, connection=connection)
                    break
            else:
                raise AttributeError(f"{type(self.obj).__name__} has no column {name!r}")
        return self

    def execute(self) -> Model:
        """Insert the row; the object gets its primary key and counts as saved. A clash raises
        ``IntegrityError`` and leaves the object unsaved."""
        with connections[self.alias].cursor() as cursor:
            cursor.execute(self.sql, self.params)
            pk = cursor.fetchone()[0] if self.returning else cursor.lastrowid
        obj = self.obj
        if self.database_key:
            obj.pk = pk
        obj._state.adding = False
        obj._state.db = self.alias
        return obj

    def unsave(self) -> None:
        """After a rollback: the row no longer exists, so the object is new again."""
        if self.database_key:
            self.obj.pk = None
        self.obj._state.adding = True


def prepare_insert(obj: Model) -> PreparedInsert:
    """The INSERT that ``obj.save()`` would run for a new row (field defaults, ``pre_save`` and the
    database's conversions applied now). For models without ``save()`` logic or save signals that
    matter on this path: neither runs."""
    model = type(obj)
    alias = router.db_for_write(model, instance=obj)
    sql, fields, returning, database_key, converters = _statement(model, alias)
    params = [convert(obj) for convert in converters]
    return PreparedInsert(obj, alias, sql, fields, params, returning, database_key)


def insert_new(obj: Model) -> Model:
    """Insert a new row as ``save()`` would, with the statement built once."""
    return prepare_insert(obj).execute()


# (parent model, ((child model, column), ...), alias) → the one-statement text for PostgreSQL
_family_statements: dict[tuple, str] = {}


def insert_family(parent: PreparedInsert, children: list[tuple[PreparedInsert, str]]) -> Model:
    """Insert ``parent`` and rows that refer to it: each child's field named in the pair (e.g.
    ``consultation_id``, or ``object_id`` of an audit event) gets the parent's new key.

    On PostgreSQL this is one statement (the parent's INSERT … RETURNING in a WITH clause that the
    children's INSERTs read), so one round trip instead of one per row; elsewhere the rows are
    inserted one after the other. Either way all or nothing inside the caller's transaction."""
    connection = connections[parent.alias]
    if connection.vendor != "postgresql" or not parent.database_key:
        parent.execute()
        for child, name in children:
            value = parent.obj.pk if not _is_text(child, name) else str(parent.obj.pk)
            child.set(**{name: value}).execute()
        return parent.obj
    key = (type(parent.obj), tuple((type(child.obj), name) for child, name in children), parent.alias)
    sql = _family_statements.get(key)
    if sql is None:
        sql = _family_statements[key] = _family_sql(parent, children, connection)
    params = list(parent.params)
    for child, name in children:
        params.extend(p for f, p in zip(child.fields, child.params, strict=True) if f.attname != name)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk, *child_keys = cursor.fetchone()
    parent.obj.pk = pk
    for obj in [parent.obj] + [child.obj for child, _name in children]:
        obj._state.adding = False
        obj._state.db = parent.alias
    for (child, name), child_key in zip(children, child_keys, strict=True):
        setattr(child.obj, name, pk if not _is_text(child, name) else str(pk))
        if child.database_key:
            child.obj.pk = child_key
    return parent.obj


def _is_text(child: PreparedInsert, name: str) -> bool:
    field = next(f for f in child.fields if f.attname == name)
    return field.get_internal_type() in {"CharField", "TextField"}


def _family_sql(parent: PreparedInsert, children: list[tuple[PreparedInsert, str]], connection) -> str:
    quote = connection.ops.quote_name
    pk_column = quote(type(parent.obj)._meta.pk.column)
    parts = [f"parent AS ({parent.sql})"]  # the parent's own INSERT … RETURNING <pk>
    keys = [f"(SELECT {pk_column} FROM parent)"]  # noqa: S608
    for index, (child, name) in enumerate(children):
        meta = type(child.obj)._meta
        values = []
        for f in child.fields:
            if f.attname != name:
                values.append("%s")
            elif _is_text(child, name):
                values.append(f"(SELECT {pk_column}::text FROM parent)")  # noqa: S608
            else:
                values.append(f"(SELECT {pk_column} FROM parent)")  # noqa: S608
        # Only the models' own table and column names go into the text; values are parameters.
        child_pk = quote(meta.pk.column)
        parts.append(
            f"child{index} AS (INSERT INTO {quote(meta.db_table)} "  # noqa: S608
            f"({', '.join(quote(f.column) for f in child.fields)}) VALUES ({', '.join(values)}) "
            f"RETURNING {child_pk})"
        )
        keys.append(f"(SELECT {child_pk} FROM child{index})")  # noqa: S608
    return f"WITH {', '.join(parts)} SELECT {', '.join(keys)}"
