"""LaTeX for the "trace one cell" panel: numbers of the current run, written as the arithmetic."""

from __future__ import annotations

import numpy as np

from core.demos.scaled_dot_product import CellTrace

MAX_TERMS = 4  # longer sums are shown as the first terms, ⋯, and the total


def num(x: float, digits: int = 3) -> str:
    """A number for LaTeX, negative values in parentheses so a sum reads unambiguously."""
    s = f"{x:.{digits}f}"
    return f"({s})" if x < 0 else s


def dot_product(trace: CellTrace, q: np.ndarray, k: np.ndarray) -> str:
    """q_i · k_j = Σ_m q_im k_jm written out with the real numbers."""
    terms = [rf"{num(a)}\cdot{num(b)}" for a, b in zip(q[:MAX_TERMS], k[:MAX_TERMS])]
    head = rf"q_{{{trace.i}}}\cdot k_{{{trace.j}}} &= \sum_{{m=1}}^{{{len(q)}}} q_{{{trace.i}m}}\,k_{{{trace.j}m}}"
    # the definition, then two products per line, then the total: a long line is cut off at the edge of
    # a narrow column (a 1024-pixel projector, a phone), so no line is wider than two products
    pairs = [" + ".join(terms[k : k + 2]) for k in range(0, len(terms), 2)]
    if len(q) > MAX_TERMS:
        pairs[-1] += r" + \cdots"
    lines = [head, "&= " + pairs[0], *(r"&\quad + " + p for p in pairs[1:]), rf"&= {num(trace.score, 4)}"]
    return r"\begin{aligned}" + r" \\ ".join(lines) + r"\end{aligned}"


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


def vector(v, digits: int = 2) -> str:
    """(a, b, …) for a short vector."""
    return r"\left(" + ", ".join(num(float(x), digits) for x in v) + r"\right)"


def focus_scores(scores, weights, temperature: float) -> str:
    """s = (q·k_1, …) and w = softmax(s/τ) with the numbers."""
    # two lines: on one line the weights run off a narrow page (a 1024-pixel projector)
    return (
        rf"\begin{{aligned}}s &= {vector(scores)} \\ "
        rf"w &= \mathrm{{softmax}}(s/{num(temperature, 2)}) = {vector(weights)}\end{{aligned}}"
    )


def focus_output(weights, output) -> str:
    """output = Σ_j w_j v_j written out term by term (the values are drawn in the figure)."""
    terms = [rf"{w:.2f}\,v_{{{j + 1}}}" for j, w in enumerate(weights)]
    return r"o = " + " + ".join(terms) + rf" = {vector(output)}"


def variance_check(d_k: int, var_raw: float, var_scaled: float) -> str:
    """Measured variances next to the theory d_k and 1, one per line (fits half a page)."""
    return (
        rf"\begin{{gathered}}\widehat{{\mathrm{{Var}}}}(q\cdot k) = {var_raw:.2f} \approx d_k = {d_k}\\"
        rf"\widehat{{\mathrm{{Var}}}}\!\left(\tfrac{{q\cdot k}}{{\sqrt{{{d_k}}}}}\right) = {var_scaled:.3f} \approx 1"
        r"\end{gathered}"
    )


def jacobian_check(d_k: int, norm_raw: float, norm_scaled: float) -> str:
    """‖J‖_F without and with scaling at one d_k, one per line."""
    return (
        r"\begin{gathered}J = \mathrm{diag}(p) - p\,p^\top\\"
        rf"\left\|J\big(\mathrm{{softmax}}(s)\big)\right\|_F = {norm_raw:.4f}\\"
        rf"\left\|J\big(\mathrm{{softmax}}(s/\sqrt{{{d_k}}})\big)\right\|_F = {norm_scaled:.4f}"
        r"\end{gathered}"
    )


def sci(x: float) -> str:
    """1.23 × 10^{6} for large numbers, plain digits below 10⁴."""
    if abs(x) < 1e4:
        return f"{x:.0f}"
    mantissa, exponent = f"{x:.2e}".split("e")
    return rf"{mantissa}\times 10^{{{int(exponent)}}}"


def operations(n: int, d: int, k: int, ops) -> str:
    """n²·d vs n·d² vs k·n·d² with the numbers of the current n, d, k."""
    a, r, c = (sci(x) for x in ops)
    # one cost per line: on one line the CNN's was cut off beside an open sidebar at 1024 pixels
    return (
        rf"\begin{{aligned}}n^2 d &= {n}^2\cdot{d} = {a}\\ n d^2 &= {n}\cdot{d}^2 = {r}\\ "
        rf"k\,n\,d^2 &= {k}\cdot{n}\cdot{d}^2 = {c}\end{{aligned}}"
    )


def layer_norm_step(x_norm: float, mean: float, var: float, out_norm: float, d: int, eps: float = 1e-5) -> str:
    """μ, σ² of one token and the length before and after LayerNorm, with the numbers."""
    # two lines: on one line the lengths were cut off beside an open sidebar at 1024 pixels
    return (
        rf"\begin{{gathered}}\mu = \tfrac{{1}}{{{d}}}\sum_m x_m = {num(mean, 4)},\quad"
        rf"\sigma^2 = \tfrac{{1}}{{{d}}}\sum_m (x_m-\mu)^2 = {var:.4f}\\"
        rf"\lVert x\rVert = {x_norm:.3f} \;\longrightarrow\; "
        rf"\Big\lVert \tfrac{{x-\mu}}{{\sqrt{{\sigma^2+\varepsilon}}}} \Big\rVert = {out_norm:.3f}"
        rf"\approx \sqrt{{{d}}} = {np.sqrt(d):.3f}\end{{gathered}}"
    )


def patch_weights(row: int, col: int, top: list[tuple[int, int, float]], total: int) -> str:
    """α from one query patch to its strongest keys, with the numbers, and the uniform 1/N for scale."""
    terms = [rf"\alpha_{{({row},{col})\to({r},{c})}} = {w:.3f}" for r, c, w in top]
    return ",\\quad ".join(terms) + rf"\qquad \left(\tfrac{{1}}{{N}} = \tfrac{{1}}{{{total}}} = {1 / total:.3f}\right)"
