"""Figures: pure functions from arrays (and already-translated labels) to Plotly figures.

One way to build a figure: write its traces and layout as plain dicts and return
``viz.base.figure(data, layout, title, height)``. That call adds the app's title, margins (a
``layout["margin"]`` entry overrides one side at a time), font and template (``viz.base.TEMPLATE``,
put into every figure rather than set as Plotly's global default), and validates the figure once:
no ``go.Figure()`` + ``add_trace`` + ``update_*`` in figure modules. A module that extends another
module's figure takes its parts (``viz.heatmaps.heatmap_row_parts``) and adds to the dicts.

``viz.base`` holds what the topic modules share: ``figure``, ``base_layout``, label escaping
(``escape``, ``escape_lines``, ``safe_labels``: user text is data, never markup), ``split_domain``,
the colour ranges (``signed_bound``, ``color_range``, ``color_axis``), ``LEGEND_BELOW``,
``thin_ticks`` and ``numeric_axis``. Docstrings give the shape of every array argument.
"""
