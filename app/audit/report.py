"""A call report as HTML (no Qt): verdict summary, score timeline (SVG), events table, model card, final hash.

Written in the language the app installed (app/language.py hands Qt's translations to detectors.words); times stay in
UTC, as the log has them."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.audit.events import ACKNOWLEDGED_TEXT
from app.audit.sessions import SessionRecord, parse_time
from app.paths import assets_dir
from detectors.words import translate

MAX_TABLE_ROWS = 400

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
        return translate("CallReport", "Model {name}, version {version}, threshold {threshold}.").format(
            name=model_name, version=config.get("version"), threshold=config.get("threshold"))
    except (OSError, ValueError):
        return translate("CallReport", "(no model card found in this installation)")


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


def _seconds(value: float) -> str:
    return f"{value:.0f}"  # whole seconds read the same in every language we ship


def verdict_summary(session: SessionRecord) -> list[str]:
    """Plain sentences: what CallShield showed during the call. It never says that a caller is real."""
    alerts, gaps = spans(session)
    duration = max(1e-9, _offset(session, session.events[-1]))
    off = sum(g.end_s - g.start_s for g in gaps)
    alerted = sorted({t for e in session.events if e.get("event") == "alert" for t in e.get("alerting", [])})
    lines = []
    if alerted:
        lines.append(translate("CallReport", "POSSIBLE AI FACE SWAP: CallShield warned {count} time(s) (face {faces}), "
                               "shown for {seconds} s in all.").format(
            count=session.count("alert"), faces=", ".join(str(t) for t in alerted),
            seconds=_seconds(sum(a.end_s - a.start_s for a in alerts))))
    else:
        lines.append(translate("CallReport", "No sign of a face swap was found in the time CallShield was monitoring. "
                               "This does not prove who the caller was."))
    for e in session.events:
        if e.get("event") == "acknowledged":
            # The log keeps the statement the operator confirmed in English (one wording for audits); shown translated.
            statement = _value(e.get("statement") or ACKNOWLEDGED_TEXT)
            lines.append(translate("CallReport", "{operator} {statement} (face {face}) at {time}.").format(
                operator=e.get("by"), statement=statement, face=e.get("track_id"), time=e["time"]))
        elif e.get("event") == "challenge_result":
            outcome = translate("CallReport", "passed") if e.get("passed") else translate("CallReport", "FAILED")
            lines.append(translate("CallReport", "Challenge {challenge}: {outcome} at {time}.").format(
                challenge=e.get("challenge"), outcome=outcome, time=e["time"]))
    lines.append(translate("CallReport", "Monitored {watched} s of {total} s; not monitoring for {off} s in {spans} "
                           "span(s) (nothing was checked then).").format(
        watched=_seconds(duration - off), total=_seconds(duration), off=_seconds(off), spans=len(gaps)))
    if session.count("error"):
        lines.append(translate("CallReport", "{count} error(s) occurred; see the events table.").format(
            count=session.count("error")))
    if not session.finished:
        lines.append(translate("CallReport", "The session has no stop event: it is still running, or the app ended "
                               "without stopping it."))
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


def state_words() -> dict[str, str]:
    """What the report calls each state: never "real", only the absence of a sign of a swap."""
    return {"looks_real": translate("CallReport", "no sign of a face swap"),
            "possible_swap": translate("CallReport", "POSSIBLE FACE SWAP"),
            "possible_animation": translate("CallReport", "POSSIBLE ANIMATED PHOTO"),
            "analysing": translate("CallReport", "analysing"), "not_monitoring": translate("CallReport", "not monitoring"),
            "no_face": translate("CallReport", "no face in view"),
            "verified": translate("CallReport", "verified by the operator")}


def _words(value: object) -> object:
    return state_words().get(value, value) if isinstance(value, str) else value


def _event_details(e: dict) -> str:
    skip = {"time", "event", "session", "seq", "prev", "hash", "_file"}
    kind = e.get("event")
    if kind == "state_changed":
        shown = translate("CallReport", "shown: {state}").format(state=_words(e.get("state")))
        return shown + (f" ({e['detail']})" if e.get("detail") else "")
    if kind == "scores":
        return "; ".join(translate("CallReport", "face {face}: {score}").format(face=f.get("track_id"), score=f.get("score"))
                         for f in e.get("faces", []))
    if kind == "alert":
        faces = "; ".join(translate("CallReport", "face {face} score {score} (frame {frame_score}, {state})").format(
            face=f.get("track_id"), score=f.get("score"), frame_score=f.get("frame_score"), state=_words(f.get("state")))
            for f in e.get("faces", []))
        text = translate("CallReport", "alerting {faces}: {scores}").format(faces=e.get("alerting"), scores=faces)
        if e.get("evidence"):
            text += "; " + translate("CallReport", "{count} evidence crop(s)").format(count=len(e["evidence"]))
        return text
    # Other events list their fields; the values are as the log recorded them.
    return "; ".join(f"{field_words().get(k, k)}: {_value(v)}" for k, v in e.items()
                     if k not in skip and v not in (None, "", {}, []))


def field_words() -> dict[str, str]:
    """The report's names for the log's fields (the log keeps its own names, for audits and SIEM queries)."""
    return {"app_version": translate("CallReport", "CallShield version"), "call_ref": translate("CallReport", "call reference"),
            "device": translate("CallReport", "device"), "model": translate("CallReport", "model"),
            "model_version": translate("CallReport", "model version"), "operator": translate("CallReport", "operator"),
            "region": translate("CallReport", "region"), "settings": translate("CallReport", "settings"),
            "threshold": translate("CallReport", "threshold"), "by": translate("CallReport", "by"),
            "score": translate("CallReport", "score"), "statement": translate("CallReport", "statement"),
            "track_id": translate("CallReport", "face"), "message": translate("CallReport", "message"),
            "reason": translate("CallReport", "reason"), "seconds": translate("CallReport", "seconds"),
            "since": translate("CallReport", "since"), "challenge": translate("CallReport", "challenge"),
            "detail": translate("CallReport", "detail"), "passed": translate("CallReport", "passed"),
            "counts": translate("CallReport", "event counts")}


def _value(v: object) -> object:
    if isinstance(v, bool):
        return translate("CallReport", "yes") if v else translate("CallReport", "no")
    return translate("CallReport", "verified this caller by another channel") if v == ACKNOWLEDGED_TEXT else v


def event_words() -> dict[str, str]:
    return {"session_started": translate("CallReport", "session started"),
            "session_stopped": translate("CallReport", "session stopped"),
            "state_changed": translate("CallReport", "state shown"), "alert": translate("CallReport", "warning"),
            "acknowledged": translate("CallReport", "operator verified"), "error": translate("CallReport", "error"),
            "not_monitoring": translate("CallReport", "not monitoring"),
            "challenge_result": translate("CallReport", "challenge result"),
            "engine_changed": translate("CallReport", "detector changed"), "log_opened": translate("CallReport", "log opened"),
            "log_recovered": translate("CallReport", "log recovered")}


def _event_name(e: dict) -> str:
    """The event in words, and as the log names it (what an auditor searches for)."""
    kind = str(e.get("event"))
    words = event_words().get(kind)
    return f"{words} ({kind})" if words and words != kind else kind


def events_table(session: SessionRecord) -> str:
    """Every event but the per-second score samples (the timeline shows those), oldest first."""
    rows = [e for e in session.events if e.get("event") != "scores"]
    skipped = len(rows) - MAX_TABLE_ROWS
    body = "".join(
        f"<tr><td>{e.get('seq')}</td><td>{html.escape(e['time'][11:23])}</td><td>{html.escape(_event_name(e))}</td>"
        f"<td>{html.escape(_event_details(e))}</td></tr>" for e in rows[:MAX_TABLE_ROWS])
    note = ("<p>" + html.escape(translate("CallReport", "… {count} more events in the log.").format(count=skipped))
            + "</p>") if skipped > 0 else ""
    heads = "".join(f"<th>{html.escape(h)}</th>" for h in (
        "#", translate("CallReport", "time (UTC)"), translate("CallReport", "event"), translate("CallReport", "details")))
    samples = translate("CallReport", "{count} per-second score samples are in the log and plotted above.").format(
        count=session.count("scores"))
    return (f'<table class="events" border="1" cellspacing="0" cellpadding="3" width="100%"><tr>{heads}</tr>{body}</table>'
            f"{note}<p>{html.escape(samples)}</p>")


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
    not_set = translate("CallReport", "(not set)")
    model = translate("CallReport", "{model} (version {version}, threshold {threshold})").format(
        model=s.get("model") or "—", version=s.get("model_version") or "—", threshold=s.get("threshold"))
    return [(translate("CallReport", "Session"), session.session_id),
            (translate("CallReport", "Operator"), s.get("operator") or not_set),
            (translate("CallReport", "Call reference"), s.get("call_ref") or not_set),
            (translate("CallReport", "Started"), _when(session.start_time)),
            (translate("CallReport", "Ended"),
             _when(session.end_time) if session.finished else translate("CallReport", "(not stopped)")),
            (translate("CallReport", "Watched region"), s.get("region") or "—"),
            (translate("CallReport", "Model"), model),
            (translate("CallReport", "Device"), s.get("device") or "—"),
            (translate("CallReport", "Settings"), settings or "—"),
            ("CallShield", s.get("app_version") or "—")]


def report_title(session: SessionRecord) -> str:
    return translate("CallReport", "CallShield call report {session}").format(session=session.session_id)


def report_html(session: SessionRecord, plot: str) -> str:
    """The whole report; `plot` is the timeline as inline SVG (browser) or an <img> (Qt's PDF writer)."""
    e = html.escape
    header = "".join(f"<tr><th align='left'>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in _header_rows(session))
    verdict = "".join(f"<li>{e(line)}</li>" for line in verdict_summary(session))
    chain = (translate("CallReport", "intact") if session.chain_ok
             else translate("CallReport", "DAMAGED — run callshield audit verify on the day file"))
    not_a_proof = translate("CallReport", "CallShield is a warning light, not a proof: it cannot show that a caller is "
                            "who they say they are, and it can miss a face swap.")
    tamper = translate("CallReport", "Hash chain: {state} ({details}).").format(state=chain, details=session.chain_text)
    last_hash = translate("CallReport", "Hash of this session's last event:")
    keep = translate("CallReport", "Keep this hash apart from the log: callshield audit verify on the day file must reach it.")
    # Headings outside the f-string: pyside6-lupdate does not look inside f-string expressions.
    heads = [e(h) for h in (translate("CallReport", "CallShield call report"), translate("CallReport", "Verdict summary"),
                            translate("CallReport", "Timeline"), translate("CallReport", "Events"),
                            translate("CallReport", "Model"), translate("CallReport", "Tamper evidence"))]
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{e(report_title(session))}</title>
<style>body {{ font-family: 'DejaVu Sans', 'Noto Sans CJK SC', Arial, sans-serif; font-size: 10pt; }}
h1 {{ font-size: 16pt; }} h2 {{ font-size: 12pt; margin-top: 14px; }}
table.events {{ border-collapse: collapse; font-size: 8pt; }} th, td {{ vertical-align: top; }}
.hash {{ font-family: 'DejaVu Sans Mono', monospace; font-size: 8pt; }}</style></head>
<body><h1>{heads[0]}</h1>
<table cellpadding="2">{header}</table>
<h2>{heads[1]}</h2><ul>{verdict}</ul><p><i>{e(not_a_proof)}</i></p>
<h2>{heads[2]}</h2>{plot}
<h2>{heads[3]}</h2>{events_table(session)}
<h2>{heads[4]}</h2><p>{e(model_card_summary())}</p>
<h2>{heads[5]}</h2><p>{e(tamper)}<br/>
{e(last_hash)} <span class="hash">{e(session.final_hash)}</span></p>
<p>{e(keep)}</p>
</body></html>"""


def write_html(session: SessionRecord, out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"callshield-report-{session.session_id}.html"
    path.write_text(report_html(session, plot_svg(session)), encoding="utf-8")
    return path
