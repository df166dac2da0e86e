"""The autograded notebook: what the formgrader shows and the feedback HTML is made from.

It is the rebuilt submission with the grader's report under every test cell and
a note cell at the top. Everything the student wrote is made inert first
(:mod:`autograder.markup`), and the whole notebook is kept under
``AUTOGRADED_LIMIT`` bytes: outputs first, then the longest cells the student
wrote are cut, each with a note, so one submission cannot make the gradebook,
the formgrader or the feedback large.
"""

import nbformat

from autograder.markup import inert_cell, inert_text

AUTOGRADED_LIMIT = 4 * 1024 * 1024  # bytes of the autograded notebook (its feedback HTML follows its size)
SHORTEST_CUT = 2_000  # characters a cut cell keeps at least


def stream(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def autograded_notebook(source_nb, plan, outputs, tests, notes, stopped):
    """The autograded notebook, as JSON text of at most ``AUTOGRADED_LIMIT`` bytes."""
    notebook = nbformat.v4.new_notebook(metadata=source_nb.metadata)
    notebook.cells = plan.cells
    for index in plan.student_cells:
        inert_cell(notebook.cells[index])
    for index, text in outputs.items():
        cell = notebook.cells[index]
        if cell.get("cell_type") == "code" and text:
            cell["outputs"] = [stream(text)]
    for gid, result in tests.items():
        lines = [result["report"]]
        if result.get("flag"):
            lines.append("\n" + result["flag"])
        lines.append(f"\nScore for this cell: {result['score']:g} / {result['points']:g}")
        notebook.cells[plan.tests[gid]["index"]]["outputs"] = [stream("\n".join(lines) + "\n")]
    banner = []
    if stopped:
        banner.append(f"Your notebook's code stopped while it was being graded: {stopped}.")
    banner.extend(notes)
    text = nbformat.writes(notebook)
    if len(text.encode("utf-8")) > AUTOGRADED_LIMIT:
        banner.append(_shrink(notebook, plan, outputs))
        text = nbformat.writes(notebook)
    if banner:
        note = nbformat.v4.new_markdown_cell(
            "**Notes from the grader**\n\n" + "\n".join(f"- {inert_text(n)}" for n in banner)
        )
        note["id"] = "grader-notes"
        notebook.cells.insert(0, note)
        text = nbformat.writes(notebook)
    return text


def _size(notebook):
    return len(nbformat.writes(notebook).encode("utf-8"))


def _shrink(notebook, plan, outputs):
    """Cut outputs, then the student's longest cells, until the notebook fits; return a note saying so."""
    for index in outputs:
        notebook.cells[index]["outputs"] = [stream("[output not kept: the graded notebook was too large]\n")]
    keep = max(SHORTEST_CUT, AUTOGRADED_LIMIT // 4)
    while _size(notebook) > AUTOGRADED_LIMIT and keep >= SHORTEST_CUT:
        for index in plan.student_cells:
            cell = notebook.cells[index]
            source = cell.get("source", "")
            if len(source) > keep:
                cut = f"[{len(source) - keep} more characters cut: the graded notebook was too large]"
                cell["source"] = source[:keep] + ("\n# " if cell.get("cell_type") == "code" else "\n\n") + cut
        keep //= 2
    if _size(notebook) > AUTOGRADED_LIMIT:  # very many small cells: keep the instructor's cells only
        for index in sorted(plan.student_cells, reverse=True):
            if not notebook.cells[index].get("metadata", {}).get("nbgrader"):
                del notebook.cells[index]
    return (
        f"Your notebook was too large to keep whole (at most {AUTOGRADED_LIMIT // 2**20} MiB once graded): "
        f"outputs and the longest cells you wrote were cut here. Your grade was computed on all of it."
    )


FEEDBACK_LIMIT = 16 * 1024 * 1024  # bytes of one feedback HTML file


def cap_feedback(folder, module):
    """Replace any feedback page of ``module`` under ``folder`` larger than ``FEEDBACK_LIMIT`` by a short one."""
    for path in sorted(folder.glob(f"*/{module}/*.html")):
        try:
            size = path.stat().st_size
        except OSError:
            continue
        if size > FEEDBACK_LIMIT:
            path.write_text(
                "<!DOCTYPE html><html><body><p>Your feedback was too large to show "
                f"({size // 2**20} MiB; at most {FEEDBACK_LIMIT // 2**20} MiB). Your grade was recorded; "
                "ask your instructor for the details.</p></body></html>\n",
                encoding="utf-8",
            )
