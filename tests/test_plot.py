"""Figures: files are written, and Arabic labels are drawn joined, right to left, words in order.

The Arabic checks compare what the plotting code draws with a reference
rendering made by hand: the same words spelled with Arabic presentation forms
(the joined shapes: initial, medial, final, isolated) in visual order, forced
left to right with LEFT-TO-RIGHT OVERRIDE, so no shaping or bidi algorithm is
involved in the reference. A label drawn unjoined, reversed, or reshaped twice
(arabic-reshaper + python-bidi on top of matplotlib's own shaping) differs
from it, and a test below shows that the comparison catches that.
"""
from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET

import matplotlib
import networkx as nx
import numpy as np
import pytest

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from kg.errors import KGError  # noqa: E402
from kg.networks import plot  # noqa: E402

# "الهجرة الدولية" (international migration)
PHRASE = "الهجرة الدولية"
_W1 = [0xFE93, 0xFEAE, 0xFEA0, 0xFEEC, 0xFEDF, 0xFE8D]          # الهجرة, visual order (left to right)
_W2 = [0xFE94, 0xFEF4, 0xFEDF, 0xFEED, 0xFEAA, 0xFEDF, 0xFE8D]  # الدولية, visual order
VISUAL = "".join(map(chr, _W2)) + " " + "".join(map(chr, _W1))   # the first word is on the right
LRO, PDF = "\u202d", "\u202c"


def _ink(gray: np.ndarray) -> np.ndarray:
    """Dark pixels, cropped to their bounding box."""
    dark = gray < 128
    ys, xs = np.nonzero(dark)
    assert len(ys), "nothing drawn"
    return dark[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def _gray(fig) -> np.ndarray:
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].min(axis=2)


def _ink_in(fig, artist) -> np.ndarray:
    """The ink inside one text artist's box, as drawn in its figure."""
    gray = _gray(fig)
    bb = artist.get_window_extent(fig.canvas.get_renderer())
    h = gray.shape[0]
    y0, y1 = int(np.floor(h - bb.y1)), int(np.ceil(h - bb.y0))
    x0, x1 = int(np.floor(bb.x0)), int(np.ceil(bb.x1))
    return _ink(gray[max(0, y0):y1, max(0, x0):x1])


REFERENCE = LRO + VISUAL + PDF   # drawn left to right as given: no shaping, no reordering


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool((a == b).all())


def _bar(labels_ar: list[str]):
    rows = [{"actor": f"org/x{i}", "label_en": f"Actor {i}", "label_ar": t, "kind": "GovernmentBody",
             "pagerank": 1.0 / (i + 1)} for i, t in enumerate(labels_ar)]
    fig = plot.bar_top(rows=rows, measure="pagerank", lang="ar")
    fig.set_dpi(150)
    return fig


def _tick(fig, text: str):
    ax = fig.axes[0]
    FigureCanvasAgg(fig).draw()
    return next(t for t in ax.get_yticklabels() if t.get_text() == text)


def _bar_ink(text: str) -> np.ndarray:
    """A bar chart whose top actor is labelled ``text``: the ink of that label.

    Drawing the label and the reference through the same chart keeps font,
    size, dpi and sub-pixel position (Agg's text raster depends on it) equal.
    """
    fig = _bar([text, "وزارة العمل"])
    tick = _tick(fig, text)
    assert tick.get_text() == text          # passed as stored: not reshaped, not reordered
    return _ink_in(fig, tick)


def _network_ink(text: str) -> np.ndarray:
    G = nx.Graph()
    G.add_node("org/a", label_en="A", label_ar=text, kind="IntergovernmentalOrganization")
    G.add_node("org/b", label_en="B", label_ar="وزارة العمل", kind="GovernmentBody")
    G.add_edge("org/a", "org/b", weight=2)
    fig = plot.draw_network(G, lang="ar", top=2)
    label = next(t for t in fig.axes[0].texts if t.get_text() == text)
    return _ink_in(fig, label)


def test_matplotlib_shapes_arabic_itself():
    # matplotlib 3.11+ lays text out with libraqm; the recipe of older releases must not be applied
    assert plot.HAS_RAQM, "matplotlib without libraqm: Arabic labels would be drawn unjoined"


def test_arabic_label_matches_the_hand_made_reference():
    assert _same(_bar_ink(PHRASE), _bar_ink(REFERENCE))


def test_the_comparison_catches_garbled_labels():
    reference = _bar_ink(REFERENCE)
    # what arabic-reshaper + python-bidi hand to matplotlib: presentation forms in visual order,
    # which matplotlib 3.11 reorders once more
    assert not _same(_bar_ink(VISUAL), reference)
    assert not _same(_bar_ink(PHRASE[::-1]), reference)                   # reversed characters
    words = PHRASE.split()
    assert not _same(_bar_ink(f"{words[1]} {words[0]}"), reference)     # words swapped
    isolated = {unicodedata.decomposition(chr(c)).split()[-1]: chr(c) for c in range(0xFE70, 0xFEFF)
                if unicodedata.decomposition(chr(c)).startswith("<isolated>")}
    alone = lambda w: "".join(isolated.get(f"{ord(ch):04X}", ch) for ch in reversed(w))  # noqa: E731
    unjoined = LRO + alone(words[1]) + " " + alone(words[0]) + PDF
    assert not _same(_bar_ink(unjoined), reference)                       # in order, letters not joined


def test_network_labels_in_arabic_are_drawn_shaped():
    assert _same(_network_ink(PHRASE), _network_ink(REFERENCE))
    assert not _same(_network_ink(VISUAL), _network_ink(REFERENCE))


def _glyph_names(svg: bytes) -> list[list[str]]:
    """For each text of an SVG written by matplotlib: its glyph names, left to right."""
    from fontTools.ttLib import TTFont
    from matplotlib import font_manager

    order = TTFont(font_manager.findfont(plot.LABEL_FONT)).getGlyphOrder()
    root = ET.fromstring(svg)
    out = []
    for g in root.iter("{http://www.w3.org/2000/svg}g"):
        if not (g.get("id") or "").startswith("text"):
            continue
        refs = [u.get("{http://www.w3.org/1999/xlink}href", "") for u in g.iter("{http://www.w3.org/2000/svg}use")]
        ids = [r.split("-", 1)[1] for r in refs if r.startswith("#DejaVuSans-")]
        out.append([order[int(i, 16)] for i in ids])
    return out


def test_svg_embeds_the_shaped_glyphs_in_visual_order(tmp_path):
    plot.save(_bar([PHRASE]), tmp_path / "bar.svg")
    texts = _glyph_names((tmp_path / "bar.svg").read_bytes())
    arabic = [t for t in texts if any(n.startswith("uniFE") or n.startswith("uni06") for n in t)]
    assert len(arabic) == 1
    got = arabic[0]
    assert len(got) == len(VISUAL)
    for name, ch in zip(got, VISUAL):
        if ch == " ":
            assert name == "space"
            continue
        want = f"uni{ord(ch):04X}"
        isolated = unicodedata.decomposition(ch).startswith("<isolated>")
        base = f"uni{ord(unicodedata.normalize('NFKC', ch)):04X}"
        assert name == want or (isolated and name == base), (got, VISUAL)


def test_figures_are_written_as_png_and_svg(tmp_path):
    G = nx.karate_club_graph()
    for n, d in G.nodes(data=True):
        d.update(label_en=f"Actor {n}", label_ar=f"فاعل {n}", kind="GovernmentBody" if n % 2 else "Embassy")
    for ext in ("png", "svg"):
        out = plot.draw_network(G, out=tmp_path / f"n.{ext}", lang="both", max_nodes=20)
        assert (tmp_path / f"n.{ext}").stat().st_size > 1000 and out is not None
        plot.bar_top(G, "betweenness", out=tmp_path / f"b.{ext}")
    assert (tmp_path / "n.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert re.search(rb"<svg", (tmp_path / "n.svg").read_bytes()[:500])
    with pytest.raises(KGError, match="png or .svg"):
        plot.save(Figure(), tmp_path / "x.jpg")


def test_years_plot_from_graphs(tmp_path):
    g22 = nx.Graph([("org/a", "org/b", {"weight": 1})])
    g23 = nx.Graph([("org/a", "org/b", {"weight": 2}), ("org/b", "org/c", {"weight": 1})])
    for H in (g22, g23):
        for n in H:
            H.nodes[n].update(label_en=n.upper(), label_ar="وزارة العمل" if n == "org/b" else None)
    fig = plot.plot_years({2022: g22, 2023: g23}, measure="degree", lang="ar", out=tmp_path / "y.png")
    lines = fig.axes[0].get_lines()
    assert len(lines) == 3
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "وزارة العمل" in labels
    b = next(line for line in lines if line.get_label() == "وزارة العمل")
    assert list(b.get_ydata()) == [1.0, 2.0]


def test_label_choice():
    d = {"label_en": "IOM", "label_ar": "المنظمة الدولية للهجرة"}
    assert plot.label_of(d, lang="en") == "IOM"
    assert plot.label_of(d, lang="ar") == "المنظمة الدولية للهجرة"
    assert plot.label_of(d, lang="both") == "IOM\nالمنظمة الدولية للهجرة"
    assert plot.label_of({"label_en": None, "label_ar": "تمكين"}, lang="en") == "تمكين"
    assert plot.label_of({}, "https://w3id.org/levant-kg/id/org/x", lang="en") == "x"
