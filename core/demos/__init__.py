"""Page pipelines: each module runs the equations of ``core`` in the order one page shows them.

A pipeline takes tokens (or numbers) and a keyword-only frozen config, and returns one frozen
dataclass holding every intermediate the page draws. The equations themselves live in ``core/<topic>.py``.
"""
