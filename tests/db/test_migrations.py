"""The migrations, on SQLite and PostgreSQL: every revision goes up, down and up again (the
"stairway" test), each downgrade gives back exactly the schema before it, and the schema the
migrations build is the one the models describe."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from db.connect import make_engine
from db.migrate import alembic_config, current_revision, head_revision, run_alembic, upgrade
from db.models import Base


def _revisions() -> list[tuple[str, str]]:
    """(revision, what it revises or "base"), oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    steps: list[tuple[str, str]] = []
    for rev in script.walk_revisions():
        assert rev.down_revision is None or isinstance(rev.down_revision, str), "a merge needs its own test"
        steps.append((rev.revision, rev.down_revision or "base"))
    steps.reverse()
    return steps


def _schema(engine: Engine) -> dict[str, Any]:
    """Everything a migration may change, table by table, as plain comparable values."""
    with engine.connect() as conn:
        insp = inspect(conn)
        out: dict[str, Any] = {}
        for table in sorted(insp.get_table_names()):
            if table == "alembic_version":
                continue
            out[table] = {
                "columns": [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)],
                "pk": insp.get_pk_constraint(table)["constrained_columns"],
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in insp.get_indexes(table)
                ),
                "foreign_keys": sorted(
                    (f["name"] or "", tuple(f["constrained_columns"]), f["referred_table"],
                     tuple(f["referred_columns"]))
                    for f in insp.get_foreign_keys(table)
                ),
                "unique": sorted(
                    (u["name"] or "", tuple(u["column_names"])) for u in insp.get_unique_constraints(table)
                ),
            }
        return out


def _revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return current_revision(conn)


def test_every_revision_upgrades_downgrades_and_upgrades_again(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        steps = _revisions()
        assert steps[-1][0] == head_revision()
        assert _schema(engine) == {}
        for revision, down in steps:
            before = _schema(engine)
            run_alembic(engine, "upgrade", revision)
            after = _schema(engine)
            assert _revision(engine) == revision
            assert after != before, f"{revision} changes nothing"
            run_alembic(engine, "downgrade", down)
            assert _revision(engine) == (None if down == "base" else down)
            assert _schema(engine) == before, f"the downgrade of {revision} does not undo it"
            run_alembic(engine, "upgrade", revision)
            assert _schema(engine) == after, f"{revision} upgrades differently the second time"
        run_alembic(engine, "downgrade", "base")
        assert _schema(engine) == {}, "a full downgrade leaves tables behind"
    finally:
        engine.dispose()


def _differences(engine: Engine) -> list[Any]:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def test_the_migrations_build_what_the_models_describe(store_url: str) -> None:
    engine = make_engine(store_url)
    try:
        upgrade(engine)
        assert _differences(engine) == []
        # The comparison does look at this store: one revision short, it sees what is missing.
        run_alembic(engine, "downgrade", "-1")
        assert _differences(engine) != []
    finally:
        engine.dispose()


def test_fast_revision_check_agrees_with_alembic() -> None:
    from db.migrate import is_known

    script = ScriptDirectory.from_config(alembic_config())
    assert head_revision() == script.get_current_head()
    assert all(is_known(rev.revision) for rev in script.walk_revisions())
