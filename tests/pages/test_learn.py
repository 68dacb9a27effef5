"""AppTest of "watch attention learn": train the default, move the snapshot slider, the heads and try-it tabs,
Chinese, bad input to "try it", a second training refused, the shared registry, and no torch elsewhere."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time

import pytest
from streamlit.testing.v1 import AppTest

from core.tiny_transformer import DEFAULTS, train
from tests.conftest import ROOT
from tests.pages.apptest import LazyTabs, charts, ok, open_page
from tests.pages.linkstate import open_address, page_params
from ui.i18n import t
from ui.learn import Registry

PAGE = "pages/learn.py"
TABS = LazyTabs(
    "learn",
    {
        "training": ["learn_curve", "learn_snapshot_grid"],
        "heads": ["learn_measure_mirror"],
        "try": ["learn_try_grid"],
    },
)


def tr(key: str, lang: str = "en", **values) -> str:
    return t(f"learn.{key}", lang=lang, **values)


def trained_page(lang: str = "en", text: str | None = None, **controls) -> AppTest:
    """The page after pressing Train (with ``controls`` set first), once the training has ended."""
    at = open_page(PAGE, lang=lang, text=text)
    for name, value in controls.items():
        at.session_state[f"learn_{name}"] = value
    ok(at.run())
    at.button(key="learn_train").click()
    ok(at.run())
    deadline = time.monotonic() + 120
    while not at.success and not at.warning and time.monotonic() < deadline:
        time.sleep(0.3)
        ok(at.run())
    assert at.success or at.warning, "the training did not end in 120 s"
    return at


def title(figure: dict) -> str:
    """A figure's title as the catalogue writes it (a long one is drawn wrapped, viz.base.wrap_title)."""
    from viz.base import wrap_title

    lines = figure["layout"]["title"]["text"].split("<br>")
    assert lines == wrap_title(" ".join(lines)) or lines == wrap_title("".join(lines))
    return " ".join(lines) if wrap_title(" ".join(lines)) == lines else "".join(lines)


def spec(at: AppTest, key: str) -> dict:
    return json.loads(next(c for c in charts(at) if c.key == key).proto.spec)


def test_before_training_the_page_says_what_to_do():
    at = open_page(PAGE)
    assert [i.value for i in at.info] == [tr("press_train")]
    assert at.session_state["learn_task_en"] == "reverse" and at.session_state["learn_steps"] == 600
    assert not at.warning and not charts(at)


def test_train_the_default_move_the_snapshot_and_open_every_tab():
    at = trained_page()
    run = train(DEFAULTS["reverse"])  # deterministic: the same numbers the page shows
    assert at.success[0].value == tr(
        "trained", steps=600, seconds=f"{_seconds(at)}", acc=f"{100 * run.accuracy[-1]:.1f}", kept=32
    )
    assert [c.key for c in charts(at)] == TABS.charts["training"]
    grid = spec(at, "learn_snapshot_grid")
    assert title(grid) == tr("fig_snapshot", step=600)
    at.select_slider(key="learn_snapshot").set_value(60)
    ok(at.run())
    assert title(spec(at, "learn_snapshot_grid")) == tr("fig_snapshot", step=60)
    marker = [s for s in spec(at, "learn_curve")["layout"]["shapes"] if s["line"]["dash"] == "dot"]
    assert [s["x0"] for s in marker] == [60]
    ok(TABS.open(at, "heads"))
    assert [c.key for c in charts(at)] == TABS.charts["heads"]
    assert run.phase_change is not None
    assert at.info[-1].value == tr("phase_text", step=run.phase_change, head="L1·H1", measure=tr("measure_mirror"))
    ok(TABS.open(at, "try"))
    assert [c.key for c in charts(at)] == TABS.charts["try"]
    assert at.caption[-2].value.startswith("8 of 8") or tr("try_right", right=8, total=8) in [
        c.value for c in at.caption
    ]


def _seconds(at: AppTest) -> str:
    """The training time the message quotes (measured, so read back rather than predicted)."""
    text = at.success[0].value
    return text.split(" in ")[1].split(" s")[0]


def test_chinese():
    at = trained_page("zh")
    assert "留出数据上的准确率 100.0 %" in at.success[0].value
    assert [tab.label for tab in at.tabs] == [tr(f"tab_{name}", "zh") for name in TABS.charts]
    grid = spec(at, "learn_snapshot_grid")
    assert title(grid) == tr("fig_snapshot", "zh", step=600)
    assert "L1·H1" in json.dumps(grid["layout"]["annotations"], ensure_ascii=False)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_try_it_input_gets_a_message_in_the_users_language(lang):
    at = trained_page(lang)
    ok(TABS.open(at, "try", lang))
    cases = {
        "": tr("try_empty", lang),
        "😀😀": tr("try_unknown", lang, symbols="0–9"),
        "<b>12345678</b>": tr("try_unknown", lang, symbols="0–9"),
        "1234567": tr("try_length", lang, length="8"),
        "9" * 200: tr("try_length", lang, length="8"),
        "$x$ \\alpha": tr("try_unknown", lang, symbols="0–9"),
        "\u202e12345678": tr("try_unknown", lang, symbols="0–9"),  # right-to-left override
        "1234\x005678": tr("try_unknown", lang, symbols="0–9"),  # a null byte
        "١٢٣٤٥٦٧٨": tr("try_unknown", lang, symbols="0–9"),  # Arabic-Indic digits are not this model's digits
    }
    for text, message in cases.items():
        at.text_input(key="learn_try_reverse").set_value(text)
        ok(at.run())
        assert [w.value for w in at.warning] == [message], text
        assert "learn_try_grid" not in [c.key for c in charts(at)]
    at.text_input(key="learn_try_reverse").set_value("1, 2, 3, 4, 5, 6, 7, 8")
    ok(at.run())
    assert not at.warning and "learn_try_grid" in [c.key for c in charts(at)]
    table = at.table[0].value
    assert "".join(table.iloc[1]) == "87654321" and "".join(table.iloc[2]) == "87654321"


def test_a_setting_that_cannot_solve_the_task_is_explained():
    at = open_page(PAGE)
    at.toggle(key="learn_causal").set_value(True)
    ok(at.run())
    assert [w.value for w in at.warning] == [tr("cannot_causal_breaks")]
    at.segmented_control(key="learn_task_en").set_value("induction")
    ok(at.run())
    assert at.session_state["learn_layers"] == 2 and at.session_state["learn_causal"] is True  # its defaults
    assert not at.warning
    at.slider(key="learn_layers").set_value(1)
    ok(at.run())
    assert [w.value for w in at.warning] == [tr("cannot_one_layer")]


def test_a_second_training_in_the_same_session_is_refused_and_stop_stops():
    at = open_page(PAGE)
    at.session_state["learn_steps"] = 3000
    at.session_state["learn_seed"] = 9_999  # a configuration nobody else trains
    ok(at.run())
    at.button(key="learn_train").click()
    ok(at.run())
    at.session_state["learn_seed"] = 9_998
    ok(at.run())
    at.button(key="learn_train").click()
    ok(at.run())
    assert tr("busy") in [w.value for w in at.warning]
    at.button(key="learn_stop").click()
    ok(at.run())
    deadline = time.monotonic() + 30
    while (
        not any(w.value.startswith(tr("stopped", step=0, steps=3000)[:7]) for w in at.warning)
        and time.monotonic() < deadline
    ):
        time.sleep(0.3)
        ok(at.run())
    assert any("3000" in w.value for w in at.warning)


def test_forty_presses_on_one_configuration_train_once():
    calls, release = [], threading.Event()

    def fake_train(config, progress, stop):
        calls.append(config)
        release.wait(5)
        return train(DEFAULTS["copy"].__class__(task="copy", steps=1))

    registry = Registry(fake_train)
    jobs = []
    threads = [
        threading.Thread(target=lambda i=i: jobs.append(registry.start(DEFAULTS["copy"], f"s{i}"))) for i in range(40)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    release.set()
    assert len({id(j) for j in jobs}) == 1 and len(jobs[0].watchers) == 40
    deadline = time.monotonic() + 10
    while not jobs[0].done and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(calls) == 1 and registry.started == 1
    assert registry.start(DEFAULTS["copy"], "late") is jobs[0]  # finished: handed out again, not retrained


def test_a_training_nobody_watches_is_stopped_and_forgotten():
    started = threading.Event()

    def slow_train(config, progress, stop):
        started.set()
        while not stop():
            time.sleep(0.01)
        run = train(DEFAULTS["copy"].__class__(task="copy", steps=1))
        run.finished = False
        return run

    registry = Registry(slow_train)
    job = registry.start(DEFAULTS["copy"], "a")
    registry.start(DEFAULTS["copy"], "b")
    started.wait(5)
    registry.leave(job, "a")
    assert not job.stop.is_set()  # "b" still watches
    registry.leave(job, "b")
    assert job.stop.is_set() and registry.get(DEFAULTS["copy"]) is None


def test_other_pages_start_without_importing_torch():
    code = (
        "import sys, importlib, pkgutil\n"
        "import core, ui, viz\n"
        "for pkg in (core, ui, viz):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if m.name != 'core.tiny_transformer':\n"
        "            importlib.import_module(m.name)\n"
        "from streamlit.testing.v1 import AppTest\n"
        "at = AppTest.from_file('app.py', default_timeout=60); at.run(); at.switch_page('pages/multi-head.py'); at.run()\n"
        "assert not at.exception\n"
        "print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_without_torch_the_page_says_how_to_install_it(monkeypatch):
    import ui.learn

    monkeypatch.setattr(ui.learn, "torch_installed", lambda: False)
    at = open_page(PAGE)
    assert [w.value for w in at.warning] == [tr("missing")]
    assert at.code[0].value == ui.learn.TORCH_INSTALL and not at.button


def test_stop_with_others_watching_lets_go_and_the_training_goes_on():
    import ui.learn

    config = DEFAULTS["copy"].__class__(task="copy", steps=3000, seed=9_997)
    other = ui.learn.registry().start(config, "another student")
    at = open_page(PAGE)
    at.session_state["learn_task_en"] = "copy"
    for name in ("layers", "heads", "d_model", "ffn", "pe_en", "causal", "lr", "steps", "seed"):
        at.session_state[f"learn_{name}"] = getattr(config, name.removesuffix("_en"))
    ok(at.run())
    at.button(key="learn_train").click()
    ok(at.run())
    assert at.session_state["learn_job"] is other and len(other.watchers) == 2
    at.button(key="learn_stop").click()
    ok(at.run())
    assert [i.value for i in at.info] == [tr("left")] and not other.stop.is_set()
    ui.learn.registry().leave(other, "another student")
    assert other.stop.is_set()


def test_the_registry_keeps_a_bounded_number_of_finished_trainings():
    done = train(DEFAULTS["copy"].__class__(task="copy", steps=1))
    registry = Registry(lambda config, progress, stop: done, max_kept=2)
    configs = [DEFAULTS["copy"].__class__(task="copy", steps=1, seed=i) for i in range(5)]
    for config in configs:
        job = registry.start(config, "s")
        deadline = time.monotonic() + 10
        while not job.done and time.monotonic() < deadline:
            time.sleep(0.01)
    registry.start(configs[0], "s")  # evicted long ago: trained again
    kept = [c for c in configs if registry.get(c) is not None]
    assert len(kept) <= 3 and registry.get(configs[0]) is not None and registry.started == 6


def test_induction_default_heads_and_try_it():
    at = open_page(PAGE)
    at.segmented_control(key="learn_task_en").set_value("induction")
    ok(at.run())
    at.button(key="learn_train").click()
    ok(at.run())
    deadline = time.monotonic() + 180
    while not at.success and time.monotonic() < deadline:
        time.sleep(0.3)
        ok(at.run())
    curve = spec(at, "learn_curve")
    assert [d["name"] for d in curve["data"]] == [
        tr(k) for k in ("loss_name", "acc_name", "fresh_name", "repeated_name")
    ]
    ok(TABS.open(at, "heads"))
    assert [c.key for c in charts(at)] == ["learn_measure_prefix", "learn_measure_previous", "learn_measure_copying"]
    run = at.session_state["learn_job"].run
    head = int(run.measure("prefix")[-1].argmax())
    name = f"L{head // 2 + 1}·H{head % 2 + 1}"
    assert name.startswith("L2") and at.info[0].value == tr(
        "phase_text", step=run.phase_change, head=name, measure=tr("measure_prefix")
    )
    ok(TABS.open(at, "try"))
    at.text_input(key="learn_try_induction").set_value("a")
    ok(at.run())
    assert [w.value for w in at.warning] == [tr("try_length", length="2–20")]
    at.text_input(key="learn_try_induction").set_value("hkbrhkbrhk")
    ok(at.run())
    assert "".join(at.table[0].value.iloc[1])[4:9] == "kbrhk"  # the repeated part continued


def test_trainings_beyond_the_server_limit_wait_for_a_free_place():
    release = threading.Event()
    done = train(DEFAULTS["copy"].__class__(task="copy", steps=1))

    def blocking_train(config, progress, stop):
        release.wait(10)
        return done

    registry = Registry(blocking_train, max_running=1)
    first = registry.start(DEFAULTS["copy"], "a")
    second = registry.start(DEFAULTS["reverse"], "b")
    deadline = time.monotonic() + 5
    while not second.waiting and time.monotonic() < deadline:
        time.sleep(0.01)
    assert second.waiting and not first.waiting and not first.done
    release.set()
    deadline = time.monotonic() + 10
    while not second.done and time.monotonic() < deadline:
        time.sleep(0.01)
    assert first.done and second.done and not second.waiting


def test_a_link_opens_its_task_with_that_tasks_defaults_for_what_it_leaves_out():
    at = open_address("pages/learn.py", {"learn_task": "copy", "learn_steps": "300"})
    assert at.session_state["learn_task_en"] == "copy" and at.session_state["learn_steps"] == 300
    copy = DEFAULTS["copy"]
    assert (at.session_state["learn_layers"], at.session_state["learn_lr"]) == (copy.layers, copy.lr)
    assert page_params(at, "learn") == {"learn_task": "copy", "learn_steps": "300"}  # the rest is copy's default
    at.session_state["learn_steps"] = copy.steps
    ok(at.run())
    assert page_params(at, "learn") == {"learn_task": "copy"}
