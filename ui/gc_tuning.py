"""Keep Streamlit's after-run garbage collection cheap.

After every script run Streamlit calls ``gc.collect(2)`` (``runner.postScriptGC``), holding the GIL
while the "script finished" message waits to be sent. A full collection walks every tracked object,
and with NumPy, pandas and Plotly's figure classes imported that is a great many, paid on every slider
move (``benchmarks/gc_freeze.py`` measures it). Module-level objects live as long as the process, so
they are moved to the collector's permanent generation (``gc.freeze``) once they exist; each later
collection then only looks at what the runs themselves create.
"""

from __future__ import annotations

import gc
import sys

_modules_frozen = 0


def freeze_imported_objects() -> bool:
    """Freeze the objects alive now if modules were imported since the last call; True if it froze.

    Called at the end of a script run: new modules appear only on the first visit to a page (or when
    the model loads), so this freezes a handful of times per process. A full collection runs first,
    so that only live objects are frozen: frozen garbage would never be freed.
    """
    global _modules_frozen
    if len(sys.modules) <= _modules_frozen:
        return False
    gc.collect()  # garbage in cycles (a finished run's figures) must not be frozen: it would never be freed
    gc.freeze()
    _modules_frozen = len(sys.modules)
    return True
