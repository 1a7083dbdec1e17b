"""A call report as HTML (no Qt): verdict summary, score timeline (SVG), events table, model card, final hash."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.audit.sessions import SessionRecord, parse_time
from app.paths import assets_dir

MAX_TABLE_ROWS = 400

NOT_A_PROOF = ("CallShield is a warning light, not a proof: it cannot show that a caller is who they say they are, "
               "and it can miss a face swap.")

ALERT_STATES = ("possible_swap", "possible_animation")  # the states a call report counts as a warning


@dataclass(frozen=True)
class Span:
    start_s: float
    end_s: float
    label: str


def model_card_summary(model_name: str = "callshield-lite0") -> str:
    """The model card's first paragraph as plain text, else the model config's version and threshold."""
    models = assets_dir() / "models"
    try:
        text = (models / "MODEL_CARD.md").read_text(encoding="utf-8")
        paragraph = next(p for p in re.split(r"\n\s*\n", text) if p.strip() and not p.lstrip().startswith("#"))
        return re.sub(r"[*`]", "", " ".join(paragraph.split()))
    except (OSError, StopIteration):
        pass
    try:
        config = json.loads((models / f"{model_name}.json").read_text(encoding="utf-8"))
        return f"Model {model_name}, version {config.get('version')}, threshold {config.get('threshold')}."
    except (OSError, ValueError):
        return "(no model card found in this installation)"


def _offset(session: SessionRecord, event: dict) -> float:
    return (parse_time(event["time"]) - session.start_time).total_seconds()  # type: ignore[operator]


def spans(session: SessionRecord) -> tuple[list[Span], list[Span]]:
    """Alert spans (shown "possible swap") and not-monitoring spans, in seconds from the session's start."""
    alerts, gaps = [], []
    open_alert: float | None = None
    end = _offset(session, session.events[-1])
    for e in session.events:
        kind, t = e.get("event"), _offset(session, e)
        if kind == "state_changed":
            if e.get("state") in ALERT_STATES and open_alert is None:
                open_alert = t
            elif e.get("state") not in ALERT_STATES and open_alert is not None:
                alerts.append(Span(open_alert, t, "alert"))
                open_alert = None
        elif kind == "not_monitoring":
            gaps.append(Span(t - float(e.get("seconds", 0.0)), t, str(e.get("reason", ""))))
    if open_alert is not None:
        alerts.append(Span(open_alert, end, "alert"))
    return alerts, gaps


def verdict_summary(session: SessionRecord) -> list[str]:
    """Plain sentences: what CallShield showed during the call. It never says that a caller is real."""
    alerts, gaps = spans(session)
    duration = max(1e-9, _offset(session, session.events[-1]))
    off = sum(g.end_s - g.start_s for g in gaps)
    alerted = sorted({t for e in session.events if e.get("event") == "alert" for t in e.get("alerting", [])})
    lines = []
    if alerted:
        faces = ", ".join(str(t) for t in alerted)
        lines.append(f"POSSIBLE AI FACE SWAP: CallShield warned {session.count('alert')} time(s) (face {faces}), "
                     f"shown for {sum(a.end_s - a.start_s for a in alerts):.0f} s in all.")
    else:
        lines.append("No sign of a face swap was found in the time CallShield was monitoring. This does not prove "
                     "who the caller was.")
    for e in session.events:
        if e.get("event") == "acknowledged":
            lines.append(f"{e.get('by')} {e.get('statement', 'verified this caller by another channel')} "
                         f"(face {e.get('track_id')}) at {e['time']}.")
        elif e.get("event") == "challenge_result":
            lines.append(f"Challenge {e.get('challenge')}: {'passed' if e.get('passed') else 'FAILED'} at {e['time']}.")
    lines.append(f"Monitored {duration - off:.0f} s of {duration:.0f} s; not monitoring for {off:.0f} s "
                 f"in {len(gaps)} span(s) (nothing was checked then).")
    if session.count("error"):
        lines.append(f"{session.count('error')} error(s) occurred; see the events table.")
    if not session.finished:
        lines.append("The session has no stop event: it is still running, or the app ended without stopping it.")
    return lines


def _face_series(session: SessionRecord) -> dict[int, list[tuple[float, float]]]:
    series: dict[int, list[tuple[float, float]]] = {}
    for e in session.events:
        if e.get("event") != "scores":
            continue
        t = _offset(session, e)
        for f in e.get("faces", []):
            if f.get("score") is not None:
                series.setdefault(int(f["track_id"]), []).append((t, float(f["score"])))
    return series


# What the report calls each state: never "real", only the absence of a sign of a swap.
STATE_WORDS = {"looks_real": "no sign of a face swap", "possible_swap": "POSSIBLE FACE SWAP",
               "possible_animation": "POSSIBLE ANIMATED PHOTO", "analysing": "analysing",
               "not_monitoring": "not monitoring", "no_face": "no face in view", "verified": "verified by the operator"}


def _words(value: object) -> object:
    return STATE_WORDS.get(value, value) if isinstance(value, str) else value


def _event_details(e: dict) -> str:
    skip = {"time", "event", "session", "seq", "prev", "hash", "_file"}
    kind = e.get("event")
    if kind == "state_changed":
        return f"shown: {_words(e.get('state'))}" + (f" ({e['detail']})" if e.get("detail") else "")
    if kind == "scores":
        return "; ".join(f"face {f.get('track_id')}: {f.get('score')}" for f in e.get("faces", []))
    if kind in ("alert",):
        faces = "; ".join(f"face {f.get('track_id')} score {f.get('score')} (frame {f.get('frame_score')}, "
                          f"{_words(f.get('state'))})"
                          for f in e.get("faces", []))
        return f"alerting {e.get('alerting')}: {faces}" + (f"; {len(e['evidence'])} evidence crop(s)"
                                                            if e.get("evidence") else "")
    return "; ".join(f"{k}: {v}" for k, v in e.items() if k not in skip and v not in (None, "", {}, []))


def events_table(session: SessionRecord) -> str:
    """Every event but the per-second score samples (the timeline shows those), oldest first."""
    rows = [e for e in session.events if e.get("event") != "scores"]
    skipped = len(rows) - MAX_TABLE_ROWS
    body = "".join(
        f"<tr><td>{e.get('seq')}</td><td>{html.escape(e['time'][11:23])}</td><td>{html.escape(str(e.get('event')))}</td>"
        f"<td>{html.escape(_event_details(e))}</td></tr>" for e in rows[:MAX_TABLE_ROWS])
    note = f"<p>… {skipped} more events in the log.</p>" if skipped > 0 else ""
    samples = session.count("scores")
    return (f'<table class="events" border="1" cellspacing="0" cellpadding="3" width="100%"><tr><th>#</th><th>time (UTC)</th>'
            f"<th>event</th><th>details</th></tr>{body}</table>{note}"
            f"<p>{samples} per-second score samples are in the log and plotted above.</p>")


def plot_svg(session: SessionRecord) -> str:
    from app.audit.timeline_svg import timeline_svg

    alerts, gaps = spans(session)
    duration = _offset(session, session.events[-1])
    return timeline_svg(_face_series(session), alerts, gaps, duration, session.started.get("threshold"))


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "—"


def _header_rows(session: SessionRecord) -> list[tuple[str, str]]:
    s = dict(session.started)
    if not s.get("model_version"):  # the detector was still loading at the start: the first engine it loaded
        loaded = next((e for e in session.events if e.get("event") == "engine_changed"), {})
        s.update({k: loaded[k] for k in ("device", "threshold") if loaded.get(k) is not None})
        s.update({"model": loaded.get("model", s.get("model")), "model_version": loaded.get("model")})
    settings = ", ".join(f"{k} {v}" for k, v in (s.get("settings") or {}).items())
    return [("Session", session.session_id), ("Operator", s.get("operator") or "(not set)"),
            ("Call reference", s.get("call_ref") or "(not set)"),
            ("Started", _when(session.start_time)), ("Ended", _when(session.end_time) if session.finished else "(not stopped)"),
            ("Watched region", s.get("region") or "—"),
            ("Model", f"{s.get('model') or '—'} (version {s.get('model_version') or '—'}, threshold {s.get('threshold')})"),
            ("Device", s.get("device") or "—"), ("Settings", settings or "—"), ("CallShield", s.get("app_version") or "—")]


def report_html(session: SessionRecord, plot: str) -> str:
    """The whole report; `plot` is the timeline as inline SVG (browser) or an <img> (Qt's PDF writer)."""
    e = html.escape
    header = "".join(f"<tr><th align='left'>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in _header_rows(session))
    verdict = "".join(f"<li>{e(line)}</li>" for line in verdict_summary(session))
    chain = "intact" if session.chain_ok else "DAMAGED — run callshield audit verify on the day file"
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>CallShield call report {e(session.session_id)}</title>
<style>body {{ font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; }}
h1 {{ font-size: 16pt; }} h2 {{ font-size: 12pt; margin-top: 14px; }}
table.events {{ border-collapse: collapse; font-size: 8pt; }} th, td {{ vertical-align: top; }}
.hash {{ font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt; }}</style></head>
<body><h1>CallShield call report</h1>
<table cellpadding="2">{header}</table>
<h2>Verdict summary</h2><ul>{verdict}</ul><p><i>{e(NOT_A_PROOF)}</i></p>
<h2>Timeline</h2>{plot}
<h2>Events</h2>{events_table(session)}
<h2>Model</h2><p>{e(model_card_summary())}</p>
<h2>Tamper evidence</h2><p>Hash chain: {e(chain)} ({e(session.chain_text)}).<br/>
Hash of this session's last event: <span class="hash">{e(session.final_hash)}</span></p>
<p>Keep this hash apart from the log: <code>callshield audit verify</code> on the day file must reach it.</p>
</body></html>"""


def write_html(session: SessionRecord, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"callshield-report-{session.session_id}.html"
    path.write_text(report_html(session, plot_svg(session)), encoding="utf-8")
    return path
