"""The faces ask, the station decides: no SQL in ui/ or web/ (DESIGN.md section 2, issue 21).

A query written in a view or a command skips the service that owns it, and with it the
permission check and the actor (``prices import`` passed none); so ui/ and web/ are parsed
with ``ast`` and may not build SQL (``select``, ``text``, ``insert``, ``update``, ``delete``
from sqlalchemy) nor run a statement (``.execute``, ``.scalar``, ``.scalars``,
``.exec_driver_sql`` on a session or connection). Each query lives in a station service.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FACES = ("ui", "web")
SQL_BUILDERS = {"select", "text", "insert", "update", "delete"}
RUNS_SQL = {"execute", "exec_driver_sql", "scalar", "scalars"}


def sql_in(source: str, filename: str = "<source>") -> list[str]:
    """Every place ``source`` builds or runs SQL, as ``line: what``."""
    tree = ast.parse(source, filename=filename)
    modules = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
               for alias in node.names if alias.name.split(".")[0] == "sqlalchemy"}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "sqlalchemy":
            found += [f"{node.lineno}: imports {a.name} from {node.module}" for a in node.names if a.name in SQL_BUILDERS]
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in SQL_BUILDERS:
                found.append(f"{node.lineno}: {func.id}(...)")
            elif isinstance(func, ast.Attribute) and func.attr in RUNS_SQL:
                found.append(f"{node.lineno}: {ast.unparse(func)}(...)")
            elif (isinstance(func, ast.Attribute) and func.attr in SQL_BUILDERS
                  and isinstance(func.value, ast.Name) and func.value.id in modules):
                found.append(f"{node.lineno}: {ast.unparse(func)}(...)")
    return found


@pytest.mark.parametrize("face", FACES)
def test_the_faces_build_and_run_no_sql(face: str) -> None:
    offenders = []
    for path in sorted((REPO / face).rglob("*.py")):
        offenders += [f"{path.relative_to(REPO)}:{place}" for place in sql_in(path.read_text("utf-8"), str(path))]
    assert offenders == []


@pytest.mark.parametrize("source", [
    "from sqlalchemy import select\n",
    "from sqlalchemy.sql import text\n",
    "rows = select(Operator)\n",
    "session.execute(query)\n",
    "conn.execute(statement)\n",
    "db.scalars(query).all()\n",
    "db.scalar(query)\n",
    "engine.connect().exec_driver_sql('VACUUM')\n",
    "import sqlalchemy as sa\nsa.delete(Unit)\n",
    "import sqlalchemy\nsqlalchemy.text('SELECT 1')\n",
])
def test_the_check_sees_each_way_of_writing_sql(source: str) -> None:
    assert sql_in(source)


def test_the_check_leaves_plain_python_alone() -> None:
    assert sql_in("values.update(more)\nlabel.setText(text)\nexecutor.submit(job)\n"
                  "from sqlalchemy.exc import DBAPIError\n") == []
