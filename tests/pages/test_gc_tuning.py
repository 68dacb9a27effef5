"""The after-run garbage collection stays short: long-lived objects are frozen once per new import."""

import gc
import sys
import types

from ui.gc_tuning import freeze_imported_objects


def test_freezes_only_when_modules_were_imported():
    try:
        freeze_imported_objects()
        frozen = gc.get_freeze_count()
        assert freeze_imported_objects() is False  # nothing new imported: nothing to do
        sys.modules["_attention_lab_new_module"] = types.ModuleType("_attention_lab_new_module")
        kept = [object() for _ in range(10)] + [[] for _ in range(1000)]  # tracked objects alive now
        assert freeze_imported_objects() is True
        assert gc.get_freeze_count() >= frozen + len(kept) - 10
    finally:
        sys.modules.pop("_attention_lab_new_module", None)
        gc.unfreeze()
