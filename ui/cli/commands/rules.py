"""``rma-station rules check FILE`` and ``rma-station rules explain LPN``.

``check`` is what a site runs before copying an edited rules file (or checklist template) into
the config dir: it refuses what the station would refuse, and lists rules that can never fire
and rules that shadow later ones. ``explain`` answers "why is this unit going there?".
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from station.analytics.thresholds import parse_thresholds
from station.catalog.reasons import load_reasons
from station.core.datafiles import read_toml
from station.inspection.checklists import ChecklistLibrary, parse_checklist
from station.inspection.dispositions import check_rules, parse_rules
from station.inspection.service import InspectionService
from ui.cli import add_db_option
from ui.cli.station_setup import open_context

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("rules", help="check disposition rules and checklists; explain a decision")
    actions = parser.add_subparsers(dest="rules_action", metavar="ACTION", required=True)
    check = actions.add_parser("check", help="validate a disposition rules file or a checklist template")
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(handler=_check)
    explain = actions.add_parser("explain", help="print which grade and disposition rule fired for a unit, and why")
    explain.add_argument("lpn", metavar="LPN")
    add_db_option(explain)
    explain.set_defaults(handler=_explain)


def _check(args: argparse.Namespace) -> int:
    doc = read_toml(args.file)  # a syntax error leaves as ConfigError: file, line, reason
    if "item" in doc.data and "rule" not in doc.data:
        checklist = parse_checklist(doc)
        print(f"{args.file}: checklist {checklist.id} v{checklist.version} for category "
              f"{checklist.category}: {len(checklist.items)} questions, {len(checklist.grade_rules)} "
              "grade rules. OK.")
        return 0
    if _is_alerts_file(doc.data):
        thresholds = parse_thresholds(doc)  # refuses a bad field with its line
        kinds = ", ".join(sorted({rule.kind for rule in thresholds.rules})) or "none"
        print(f"{args.file}: {len(thresholds.rules)} alert rules ({kinds}). OK.")
        return 0
    ruleset = parse_rules(doc)
    categories = {c.category for c in ChecklistLibrary().all()}
    report = check_rules(ruleset, categories=categories, reasons=load_reasons().codes)
    print(f"{args.file}: {len(ruleset.rules)} rules, fallback {ruleset.rules[-1].name!r}; "
          f"{report.cases} kinds of unit tried.")
    for rule in report.unreachable:
        print(f"  UNREACHABLE line {rule.line}: rule {rule.name!r} [{rule.conditions_text()}] never fires; "
              "earlier rules take every unit it would match.")
    for overlap in report.overlaps:
        print(f"  overlap: {overlap.earlier.name!r} ({overlap.earlier.kind.value}) wins over "
              f"{overlap.later.name!r} ({overlap.later.kind.value}), e.g. {overlap.example.describe()}")
    if not report.fallback_reached:
        print(f"  note: the fallback {ruleset.rules[-1].name!r} is not reached by any known kind of unit.")
    if report.unreachable:
        print(f"NOT OK: {len(report.unreachable)} unreachable rule(s).")
        return 1
    print("OK.")
    return 0


def _is_alerts_file(data: dict) -> bool:
    """An alerts file (``alerts.toml``): its rules have an ``id`` (disposition rules a ``name``),
    or it sets the cost rates."""
    rules = data.get("rule")
    return "costs" in data or (isinstance(rules, list) and any(isinstance(r, dict) and "id" in r for r in rules))


def _explain(args: argparse.Namespace) -> int:
    service = InspectionService(open_context(args, writes=False))
    for line in service.explain(args.lpn).lines():
        print(line)
    return 0
