"""LaTeX for the "trace one cell" panel: numbers of the current run, written as the arithmetic."""

from __future__ import annotations

import numpy as np

from core.walkthrough import CellTrace

MAX_TERMS = 4  # longer sums are shown as the first terms, ⋯, and the total


def num(x: float, digits: int = 3) -> str:
    """A number for LaTeX, negative values in parentheses so a sum reads unambiguously."""
    s = f"{x:.{digits}f}"
    return f"({s})" if x < 0 else s


def dot_product(trace: CellTrace, q: np.ndarray, k: np.ndarray) -> str:
    """q_i · k_j = Σ_m q_im k_jm written out with the real numbers."""
    terms = [rf"{num(a)}\cdot{num(b)}" for a, b in zip(q[:MAX_TERMS], k[:MAX_TERMS])]
    if len(q) > MAX_TERMS:
        terms.append(r"\cdots")
    head = rf"q_{{{trace.i}}}\cdot k_{{{trace.j}}} &= \sum_{{m=1}}^{{{len(q)}}} q_{{{trace.i}m}}\,k_{{{trace.j}m}}"
    # two lines, the definition then the numbers: one long line runs off a phone or a projector
    numbers = " + ".join(terms) + rf" = {num(trace.score, 4)}"
    return rf"\begin{{aligned}}{head} \\ &= {numbers}\end{{aligned}}"


def scaling(trace: CellTrace, scale: float, temperature: float, d_k: int) -> str:
    """s_ij = score · scale / τ, naming √d_k when that is the scale."""
    factor = rf"\frac{{1}}{{\sqrt{{{d_k}}}}}" if np.isclose(scale, 1 / np.sqrt(d_k)) else num(scale)
    return rf"s_{{{trace.i}{trace.j}}} = {num(trace.score, 4)} \times {factor} \,/\, {num(temperature, 2)} = {num(trace.scaled, 4)}"


def softmax_step(trace: CellTrace) -> str:
    """w_ij = exp(s_ij − m) / Σ_k exp(s_ik − m) with the numbers."""
    i, j = trace.i, trace.j
    e = trace.exp_row[j]
    return (
        rf"w_{{{i}{j}}} = \frac{{e^{{s_{{{i}{j}}} - m}}}}{{\sum_k e^{{s_{{{i}k}} - m}}}}"
        rf" = \frac{{{e:.4f}}}{{{trace.exp_sum:.4f}}} = {trace.weight:.4f}"
        rf"\qquad (m = {num(trace.row_max, 4)})"
    )
