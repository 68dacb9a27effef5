"""Tables as pandas DataFrames (st.table draws them), labels passed in translated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from core.complexity import LayerCosts


def costs_table(costs: LayerCosts, row_names: Sequence[str], column_names: Sequence[str]) -> pd.DataFrame:
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
