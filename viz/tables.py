"""Tables as pandas DataFrames (st.table draws them), labels passed in translated."""

from __future__ import annotations


def costs_table(costs, row_names, column_names):
    """Vaswani et al. Table 1 with the numbers of one (n, d, k): rows attention / RNN / CNN.

    column_names: (operations, sequential steps, maximum path length), translated.
    """
    import pandas as pd

    ops = [f"{x:,.0f}" for x in costs.operations]
    data = {
        column_names[0]: ops,
        column_names[1]: [str(s) for s in costs.sequential],
        column_names[2]: [str(p) for p in costs.path_length],
    }
    return pd.DataFrame(data, index=list(row_names))
