"""The researcher notebook runs from top to bottom on a fresh kernel."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "researcher.ipynb"


@pytest.mark.slow
def test_researcher_notebook_runs(tmp_path, monkeypatch):
    import nbformat                      # the test extra: nbclient, nbformat, ipykernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    import kg

    # the kernel imports the same kg as this test (a checkout or the installed package)
    root = str(Path(kg.__file__).resolve().parent.parent)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False,
                            resources={"metadata": {"path": str(tmp_path)}})
    try:
        client.execute()
    except CellExecutionError as exc:  # the message names the cell and the traceback
        pytest.fail(f"a cell of {NOTEBOOK.name} failed:\n{exc}")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2, "the funding network and the change over time are drawn"
