"""`callshield audit verify FILE…` and `callshield report SESSION [--out DIR]` (no Qt but for the PDF)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.audit.chain import check_link, verify_file
from app.audit.event_log import default_log_folder
from detectors.words import translate


def audit_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="callshield audit",
                                description=translate("CommandLine", "Checks CallShield's hash-chained event logs."))
    sub = p.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help=translate("CommandLine", "exit 0 and 'chain intact, N events, final hash …', or the "
                                                              "first bad line"))
    v.add_argument("files", nargs="+", type=Path, metavar="FILE")
    args = p.parse_args(argv)
    status, previous = 0, None
    for path in sorted(args.files, key=lambda p: p.name):  # day files in date order: each names the one before
        try:
            report = verify_file(path)
        except OSError as err:
            print(translate("CommandLine", "{file}: cannot read: {error}").format(file=path, error=err), file=sys.stderr)
            status, previous = 2, None
            continue
        print(f"{path}: {report.describe()}", file=sys.stdout if report.ok else sys.stderr)
        status = status or (0 if report.ok else 1)
        if previous is not None and (problem := check_link(*previous, path)):
            print(f"{path}: {problem}", file=sys.stderr)
            status = status or 1
        previous = (path, report)
    return status


def report_main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="callshield report",
                                description=translate("CommandLine", "Writes a call report (HTML and PDF)."))
    p.add_argument("session", metavar="SESSION", help=translate("CommandLine", "session id (or a unique start of it)"))
    p.add_argument("--out", type=Path, default=Path.cwd(), metavar="DIR",
                   help=translate("CommandLine", "where to write (default: here)"))
    p.add_argument("--log-folder", type=Path, default=None, metavar="DIR",
                   help=translate("CommandLine", "the event log's folder (default {folder})").format(folder=default_log_folder()))
    p.add_argument("--html-only", action="store_true", help=translate("CommandLine", "skip the PDF"))
    args = p.parse_args(argv)
    from app.audit.report import write_html
    from app.audit.sessions import load_session

    try:
        session = load_session(args.log_folder or default_log_folder(), args.session)
    except KeyError as err:
        print(translate("CommandLine", "callshield {command}: {error}").format(command="report", error=err.args[0]),
              file=sys.stderr)
        return 2
    print(write_html(session, args.out))
    if not args.html_only:
        from app.audit.report_pdf import write_pdf

        print(write_pdf(session, args.out))
    return 0
