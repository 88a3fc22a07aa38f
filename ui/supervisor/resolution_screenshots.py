"""Render the resolution tab offscreen over a demo warehouse: ``python -m
ui.supervisor.resolution_screenshots [OUT_DIR]`` writes ``desk_resolution_{en,zh}.png``.

Real services on a temporary SQLite file: the demo seed, its fully dispositioned RMAs marked
ready (``ResolutionQueue.rebuild``), three issued by hand and the routine ones by the policy,
so both the queue and the history have rows. Fixed clock (rows that became ready at the
same moment are ordered by id, which the demo seed draws at random).
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from station.core.context import StationContext  # noqa: E402
from station.core.db import make_engine, make_session_factory, upgrade  # noqa: E402
from station.demo import demo_actors, seed_demo  # noqa: E402
from station.models import Role  # noqa: E402
from station.resolution.queue import ResolutionQueue  # noqa: E402
from station.resolution.service import ResolutionService  # noqa: E402
from ui.background import Background, SyncExecutor  # noqa: E402
from ui.bridge import MessageBridge  # noqa: E402
from ui.i18n import install_language  # noqa: E402
from ui.supervisor.screenshots import NOW, SIZE, _save  # noqa: E402


def main(out: Path) -> None:
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")  # type: ignore[attr-defined]
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["RMA_STATION_HOME"] = tmp
        engine = make_engine(f"sqlite:///{Path(tmp) / 'demo.sqlite'}")
        upgrade(engine)
        sf = make_session_factory(engine)
        seed_demo(sf, rmas=900, now=NOW)
        ctx = StationContext(sf, clock=lambda: NOW)
        ops = demo_actors(ctx)
        queue = ResolutionQueue(ctx)
        queue.rebuild()
        boss = ops[Role.SUPERVISOR]
        for row in queue.page(3).rows:
            ResolutionService(ctx).issue(boss, row.rma)
        auto = dataclasses.replace(ctx, policy=dataclasses.replace(ctx.policy, auto_resolve=True))
        ResolutionQueue(auto).auto_resolve(boss, batch=40)
        from ui.supervisor.resolution_view import ResolutionView

        background, bridge = Background(SyncExecutor(), SyncExecutor()), MessageBridge()
        installed: list = []  # type: ignore[type-arg]
        for language, tag in (("en", "en"), ("zh_CN", "zh")):
            installed = install_language(app, language, installed)
            view = ResolutionView(queue, ResolutionService(ctx), boss, background, bridge)
            view.resize(*SIZE)
            view.show()
            view.refresh()
            _save(app, view, out / f"desk_resolution_{tag}.png")
            view.close()
            view.deleteLater()
        install_language(app, "en", installed)
        engine.dispose()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots"))
