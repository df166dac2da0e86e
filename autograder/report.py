"""The grade table printed after a batch, and the CSV files written beside it."""

import csv

GRADES_COLUMNS = [
    "student",
    "module",
    "score",
    "max_score",
    "reason",
    "flags",
    "notes",
    "manual_pending",
    "status",
    "seconds",
]
CELLS_COLUMNS = ["student", "module", "grade_id", "score", "max_score", "failed_checks", "flag"]


def _num(x):
    return f"{x:g}" if x is not None else ""


def _first_sentence(text, limit=90):
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    end = line.find(". ")
    line = line[: end + 1] if 0 < end < limit else line
    return line if len(line) <= limit else line[: limit - 3] + "..."


def points_text(n):
    return f"{_num(n)} point{'' if n == 1 else 's'}"


def summarise(result, scores):
    """One row per student and module: score, maximum and a short reason where points were lost."""
    reasons = []
    status = result["status"]
    if status != "graded":
        reasons.append(f"could not be graded: {result['reason']}")
    else:
        if result.get("stopped"):
            reasons.append(f"the notebook's code stopped: {result['stopped']}")
        if result.get("answered") == 0 and result.get("answer_cells"):
            reasons.append("no exercise answered yet")
        elif result.get("first_error"):
            reasons.append(result["first_error"])
        for gid, test in sorted(result["tests"].items()):
            if test["score"] < test["points"]:
                failed = [p for p in test.get("parts", []) if not p["passed"]]
                what = (
                    f"{failed[0]['title']}: {_first_sentence(failed[0]['message'])}"
                    if failed
                    else (test.get("error") or "failed")
                )
                reasons.append(f"{gid} {_num(test['score'])}/{_num(test['points'])} ({what})")
    flags = list(result.get("flags", []))
    if flags:
        reasons.insert(
            0, "POSSIBLE TAMPERING: " + "; ".join(f"the visible checks of '{f['grade_id']}'" for f in flags)
        )
    for gid, cell in sorted(scores.items()):
        if cell["manual"] and cell["score"] == 0 and status == "graded":
            reasons.append(f"{gid} 0/{_num(cell['points'])} (not answered)")
    manual_pending = sum(c["points"] for c in scores.values() if c["score"] is None)
    if manual_pending:
        reasons.append(f"{points_text(manual_pending)} to grade by hand")
    score = sum(c["score"] for c in scores.values() if c["score"] is not None)
    total = sum(c["points"] for c in scores.values())
    return {
        "student": result["student"],
        "module": result["module"],
        "score": round(score, 2),
        "max_score": total,
        "reason": "; ".join(reasons),
        "flags": " | ".join(f["message"] for f in flags),
        "notes": " | ".join(result.get("notes", [])),
        "manual_pending": manual_pending,
        "status": status,
        "seconds": result.get("seconds", 0),
    }


def cell_rows(result):
    for gid, test in sorted(result["tests"].items()):
        failed = [p["title"] for p in test.get("parts", []) if not p["passed"]]
        yield {
            "student": result["student"],
            "module": result["module"],
            "grade_id": gid,
            "score": test["score"],
            "max_score": test["points"],
            "failed_checks": " | ".join(failed) or (test.get("error") or ""),
            "flag": test.get("flag", ""),
        }


def write_csv(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in columns})


def table(rows, width=100):
    """A plain-text table: one line per student and module."""
    rows = sorted(rows, key=lambda r: (r["module"], r["student"]))
    name_w = max([7] + [len(r["student"]) for r in rows])
    mod_w = max([6] + [len(r["module"]) for r in rows])
    lines = [f"{'student':<{name_w}}  {'module':<{mod_w}}  {'score':>9}  reason", "-" * width]
    for r in rows:
        score = f"{_num(r['score'])}/{_num(r['max_score'])}"
        room = max(20, width - name_w - mod_w - 15)
        reason = r["reason"] if len(r["reason"]) <= room else r["reason"][: room - 3] + "..."
        lines.append(f"{r['student']:<{name_w}}  {r['module']:<{mod_w}}  {score:>9}  {reason}")
    return "\n".join(lines)
