"""A classroom at once: many sessions speaking Streamlit's websocket protocol to one server (or to replicas).

    python benchmarks/load.py                       # 40 sessions: 120 s at a classroom pace, then 120 s back to back
    python benchmarks/load.py -n 10 --duration 20   # shorter
    python benchmarks/load.py --replicas 2          # the same through nginx in front of 2 app processes
    python benchmarks/load.py --soak 1000           # one session, 1 000 changes, RSS every 100, caches, session state

Each session is what a browser tab does on the wire, without the browser: it opens
``ws://…/_stcore/stream``, sends ``BackMsg.rerun_script`` (the page, the query string, the widget values)
and reads ``ForwardMsg``s until ``script_finished``. It types its own sentence into the sidebar box (the
widget id is read from the delta that draws it), moves sliders and toggles of the page (a fragment rerun,
as the browser sends it), and goes to another page, on a mix of pages that includes the real model.

Every session's sentences hold a word of its own, a whole WordPiece token of the model's vocabulary (so
the real model's token labels keep it whole) that appears nowhere in the app's own output. Every byte of
every message a session receives is searched for every other session's word: one hit is a leak.

Printed per phase: p50 / p95 / max of the time from sending a change to its ``script_finished``, by kind
of change; errors (exception or error elements, compile errors, timeouts, closed sockets); leaks; the
server's RSS and the CPU seconds it spent per interaction. Loopback only; every phase is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import re
import statistics
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.proxy import HEADER_REPLICA  # noqa: E402

# pages the sessions use; the real model is there twice: it is the page that costs the most
PAGES = ("scaled-dot-product", "real-model", "multi-head", "real-model", "intuition", "transformer-block")
TEMPLATES = (
    "The {w} didn't cross the street because it was too tired",
    "A {w} reads every word of the sentence at once",
    "Yesterday the {w} met a teacher near the river bank",
    "Queries look for keys and the {w} carries the values",
    "She told the {w} that it should rest after the long walk",
)
TIMEOUT = 60.0  # seconds one interaction may take before it counts as an error
SENTENCE, CONTROL, PAGE = "sentence", "control", "page"


# --- the protocol ---------------------------------------------------------------------------------------


@dataclass
class Widget:
    id: str
    kind: str  # "slider", "checkbox", "text_input"
    fragment: str  # fragment id of the delta that drew it ("" outside fragments)
    element: object  # the element proto
    sidebar: bool


@dataclass
class Reply:
    seconds: float
    kind: str
    page: str
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    own_word: bool = False  # the session's own word came back (so the leak check can see words)


class Session:
    """One browser tab on the wire: a websocket, the page it is on and the widgets the server drew."""

    def __init__(self, base_url: str, index: int, word: str, others: re.Pattern, rng: random.Random):
        self.base_url, self.index, self.word, self.others, self.rng = base_url, index, word, others, rng
        self.ws = None
        self.page = PAGES[index % len(PAGES)]
        self.sentence = self.new_sentence()
        self.widgets: dict[str, Widget] = {}  # by widget id
        self.states: dict[str, object] = {}  # widget id -> WidgetState proto we set
        self.page_hashes: dict[str, str] = {}  # url path -> page script hash
        self.cookie = ""
        self.replicas: set[str] = set()  # which replica answered (through the proxy), by header
        self.changes = 0
        self.seen_words: set[bytes] | None = None  # every word received, when collected (the warm-up)

    def new_sentence(self) -> str:
        template = TEMPLATES[self.rng.randrange(len(TEMPLATES))]
        return f"{template.format(w=self.word)} {self.rng.randrange(10_000)}."

    async def connect(self) -> None:
        import websockets

        # like a browser: the page first (a proxy may set its affinity cookie there), then the websocket
        headers = {}
        with urllib.request.urlopen(f"{self.base_url}/{self.page}", timeout=TIMEOUT) as r:
            self._note_replica(r.headers.get(HEADER_REPLICA))
            cookies = [c.split(";")[0] for c in r.headers.get_all("Set-Cookie") or []]
            if cookies:
                self.cookie = "; ".join(cookies)
                headers["Cookie"] = self.cookie
        url = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        # a browser sends the page's origin; Streamlit refuses a socket whose Origin does not match its Host
        self.ws = await websockets.connect(
            url, subprotocols=["streamlit"], additional_headers=headers, origin=self.base_url, max_size=None,
            open_timeout=TIMEOUT,
        )  # fmt: skip
        self._note_replica(self.ws.response.headers.get(HEADER_REPLICA))

    def _note_replica(self, value: str | None) -> None:
        if value:
            self.replicas.add(value)

    def check_replica(self) -> None:
        """An HTTP request with the session's cookie (as /_stcore/upload_file or /media would be): which replica?"""
        req = urllib.request.Request(f"{self.base_url}/_stcore/health", headers={"Cookie": self.cookie})
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            self._note_replica(r.headers.get(HEADER_REPLICA))

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def _client_state(self, *, page: str | None = None, fragment: str = ""):
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = urllib.parse.urlencode({"text": self.sentence})
        target = page or self.page
        state.page_name = target
        if target in self.page_hashes:
            state.page_script_hash = self.page_hashes[target]
        if fragment:
            state.fragment_id = fragment
        for ws in self.states.values():
            state.widget_states.widgets.append(ws)
        return msg

    async def send(self, msg, kind: str) -> Reply:
        """Send one BackMsg; read ForwardMsgs until the run it causes has finished; check what came."""
        from streamlit.proto.Alert_pb2 import Alert
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        reply = Reply(0.0, kind, self.page)
        fresh: dict[str, Widget] = {}
        start = time.monotonic()
        try:
            await self.ws.send(msg.SerializeToString())
            while True:
                raw = await asyncio.wait_for(self.ws.recv(), TIMEOUT)
                if self.seen_words is not None:
                    self.seen_words.update(re.findall(rb"[a-z]+", raw))
                for hit in {m.group(0).decode() for m in self.others.finditer(raw)}:
                    reply.own_word |= hit == self.word
                    if hit != self.word:
                        reply.leaks.append(f"session {self.index} ({self.word}) received {hit!r} on {self.page}")
                fm = ForwardMsg()
                fm.ParseFromString(raw)
                kind_ = fm.WhichOneof("type")
                if kind_ == "delta" and fm.delta.WhichOneof("type") == "new_element":
                    el = fm.delta.new_element
                    etype = el.WhichOneof("type")
                    if etype == "exception":
                        reply.errors.append(f"exception on {self.page}: {el.exception.type}: {el.exception.message}")
                    elif etype == "alert" and el.alert.format == Alert.ERROR:
                        reply.errors.append(f"error box on {self.page}: {el.alert.body[:200]}")
                    elif etype in ("slider", "checkbox", "text_input"):
                        w = getattr(el, etype)
                        sidebar = bool(fm.metadata.delta_path) and fm.metadata.delta_path[0] == 1
                        fresh[w.id] = Widget(w.id, etype, fm.delta.fragment_id, w, sidebar)
                elif kind_ == "navigation":
                    for p in fm.navigation.app_pages:
                        self.page_hashes[p.url_pathname] = p.page_script_hash
                elif kind_ == "script_finished":
                    status = fm.script_finished
                    if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        reply.errors.append(f"compile error on {self.page}")
                    if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                        break
        except TimeoutError:
            reply.errors.append(f"timeout after {TIMEOUT:.0f} s on {self.page} ({kind})")
        except Exception as err:  # a closed socket, a refused connection
            reply.errors.append(f"{type(err).__name__} on {self.page} ({kind}): {err}")
        reply.seconds = time.monotonic() - start
        if fresh:
            self._merge_widgets(fresh, kind)
        return reply

    def _merge_widgets(self, fresh: dict[str, Widget], kind: str) -> None:
        if kind == CONTROL:  # a fragment run redraws its own widgets; the others are still there
            self.widgets.update(fresh)
        else:  # a full run draws every widget there is; what the browser no longer shows, it no longer sends
            self.widgets = fresh
            self.states = {k: v for k, v in self.states.items() if k in fresh}

    # --- what a student does -----------------------------------------------------------------------

    async def open(self) -> Reply:
        return await self.send(self._client_state(), PAGE)

    async def act(self) -> Reply:
        """One change: a new sentence, another page, or a control moved."""
        self.changes += 1
        roll = self.rng.random()
        controls = self.controls()
        if roll < 0.15 or (not controls and roll < 0.5):
            return await self.type_sentence()
        if roll < 0.3 or not controls:
            return await self.go_to(self._other_page())
        return await self.move(self.rng.choice(controls))

    def controls(self) -> list[Widget]:
        """The page's sliders and toggles that can be moved now."""
        return [w for w in self.widgets.values() if w.kind != "text_input" and not w.element.disabled]

    def _other_page(self) -> str:
        return self.rng.choice([p for p in PAGES if p != self.page])

    async def type_sentence(self, sentence: str | None = None) -> Reply:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        box = next((w for w in self.widgets.values() if w.kind == "text_input" and w.sidebar), None)
        self.sentence = sentence or self.new_sentence()
        if box is not None:
            self.states[box.id] = WidgetState(id=box.id, string_value=self.sentence)
        return await self.send(self._client_state(), SENTENCE)

    async def go_to(self, page: str) -> Reply:
        self.page = page
        return await self.send(self._client_state(page=page), PAGE)

    async def move(self, w: Widget) -> Reply:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=w.id)
        if w.kind == "checkbox":
            current = self.states[w.id].bool_value if w.id in self.states else w.element.default
            state.bool_value = not current
        elif w.element.options:  # a select_slider: the browser sends the label of the option
            state.string_array_value.data.append(self.rng.choice(list(w.element.options)))
        else:  # a slider: one value in its range, on its step (a range slider keeps its two ends)
            el = w.element
            steps = max(1, round((el.max - el.min) / (el.step or 1)))
            values = sorted(el.min + self.rng.randint(0, steps) * (el.step or 1) for _ in el.default)
            state.double_array_value.data.extend(min(v, el.max) for v in values)
        self.states[w.id] = state
        return await self.send(self._client_state(fragment=w.fragment), CONTROL)


# --- words of their own -----------------------------------------------------------------------------------


def unique_words(n: int, seed: int = 0, shown: set[bytes] = frozenset()) -> list[str]:
    """n whole-word tokens of MiniLM's vocabulary that the app itself never shows (not in its catalogues, its
    code or ``shown``: the words a warm-up session received), none a part of another: each session's own word."""
    from core.minilm import resolve_model_dir

    vocab = json.loads((resolve_model_dir() / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    own = {w.decode() for w in shown}
    for pattern in ("assets/i18n/*.toml", "[a-z]*/**/*.py", "*.py"):
        for p in ROOT.glob(pattern):
            own.update(re.findall(r"[a-z]+", p.read_text(encoding="utf-8").lower()))
    candidates = sorted(w for w in vocab if re.fullmatch(r"[a-z]{7,10}", w) and w not in own)
    rng = random.Random(seed)
    rng.shuffle(candidates)
    chosen: list[str] = []
    for w in candidates:
        if not any(w in c or c in w for c in chosen):
            chosen.append(w)
        if len(chosen) == n:
            return chosen
    raise RuntimeError(f"only {len(chosen)} unique words found for {n} sessions")


def word_pattern(words: list[str]) -> re.Pattern:
    return re.compile(rb"(?<![a-z])(?:" + b"|".join(w.encode() for w in words) + rb")(?![a-z])")


# --- the server's side ------------------------------------------------------------------------------------


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return round(int(next(x.split()[1] for x in status.splitlines() if x.startswith("VmRSS:"))) / 1024, 1)


def cpu_seconds(pid: int) -> float:
    import os

    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def metrics(base_url: str) -> dict[str, float]:
    """Streamlit's /_stcore/metrics as {"family{labels}": value}."""
    with urllib.request.urlopen(f"{base_url}/_stcore/metrics", timeout=TIMEOUT) as r:
        text = r.read().decode()
    return {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line[:1] not in "#"}


def cache_sizes(base_url: str) -> dict[str, float]:
    """Bytes held by each st.cache_data cache, and the number of session-state items over all sessions."""
    out = {}
    for name, value in metrics(base_url).items():
        m = re.match(r'cache_memory_bytes\{cache_type="([^"]+)",cache="([^"]*)"\}', name)
        if m:
            out[m.group(2) or m.group(1)] = value
    return out


@dataclass(frozen=True)
class Stack:
    url: str  # where the sessions connect: the app, or nginx in front of the replicas
    pids: list[int]  # app processes
    direct: list[str]  # each app process's own URL (for the warm-up)


@contextlib.contextmanager
def serve(replicas: int = 0) -> Iterator[Stack]:
    """One `streamlit run app.py`, or ``replicas`` of them behind nginx (deploy/nginx.conf)."""
    from benchmarks.server import APP, streamlit_server

    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(streamlit_server(APP, cwd=ROOT)) for _ in range(max(1, replicas))]
        direct = [s.url for s in servers]
        if replicas:
            from benchmarks.proxy import nginx_proxy

            url = stack.enter_context(nginx_proxy(direct))
        else:
            url = direct[0]
        yield Stack(url, [s.pid for s in servers], direct)


# --- runs ---------------------------------------------------------------------------------------------------


def summarise(replies: list[Reply], seconds: float) -> dict:
    def stats(xs: list[float]) -> dict:
        if not xs:
            return {"n": 0}
        q = statistics.quantiles(xs, n=20, method="inclusive") if len(xs) > 1 else [xs[0]] * 19
        return {"n": len(xs), "p50_s": round(q[9], 3), "p95_s": round(q[18], 3), "max_s": round(max(xs), 3)}

    by_kind = {k: stats([r.seconds for r in replies if r.kind == k]) for k in (CONTROL, SENTENCE, PAGE)}
    by_page = {p: stats([r.seconds for r in replies if r.page == p]) for p in sorted(set(PAGES))}
    errors = [e for r in replies for e in r.errors]
    leaks = [x for r in replies for x in r.leaks]
    return {
        "interactions": len(replies),
        "per_second": round(len(replies) / seconds, 2),
        **stats([r.seconds for r in replies]),
        "by_kind": by_kind,
        "by_page": by_page,
        "errors": len(errors),
        "error_samples": errors[:5],
        "own_word_seen": sum(r.own_word for r in replies),
        "leaks": len(leaks),
        "leak_samples": leaks[:5],
    }


async def _student(s: Session, deadline: float, pace: float, replies: list[Reply]) -> None:
    while time.monotonic() < deadline:
        if pace:  # a student reads the figure before the next change: pace ± 50 %
            await asyncio.sleep(min(s.rng.uniform(0.5 * pace, 1.5 * pace), max(0.0, deadline - time.monotonic())))
            if time.monotonic() >= deadline:
                break
        reply = await s.act()
        replies.append(reply)
        if any(e.startswith(("ConnectionClosed", "timeout")) for e in reply.errors):
            await s.close()
            await s.connect()
            replies.append(await s.open())


async def load_phase(sessions: list[Session], duration: float, pace: float) -> dict:
    replies: list[Reply] = []
    start = time.monotonic()
    await asyncio.gather(*(_student(s, start + duration, pace, replies) for s in sessions))
    return summarise(replies, time.monotonic() - start)


async def open_sessions(base_url: str, n: int, seed: int = 0, shown=frozenset()) -> tuple[list[Session], dict]:
    """n sessions, each with its own word, all opening their first page at once (the start of a class)."""
    words = unique_words(n, seed, shown)
    others = word_pattern(words)
    sessions = [Session(base_url, i, w, others, random.Random(seed * 1000 + i)) for i, w in enumerate(words)]
    start = time.monotonic()
    await asyncio.gather(*(s.connect() for s in sessions))
    replies = await asyncio.gather(*(s.type_sentence(s.sentence) for s in sessions))
    return sessions, summarise(list(replies), time.monotonic() - start)


async def warm_up(base_url: str) -> dict:
    """Before class: one visit to every page of the mix (imports, the model loaded, first caches); also
    collects every word the app shows with its default sentence, so that no session's own word is one."""
    s = Session(base_url, 0, "warmup", re.compile(rb"(?!x)x"), random.Random(0))
    s.seen_words = set()
    start = time.monotonic()
    await s.connect()
    replies = [await s.open()]
    for page in sorted(set(PAGES)):
        replies.append(await s.go_to(page))
    await s.close()
    errors = [e for r in replies for e in r.errors]
    return {"seconds": round(time.monotonic() - start, 1), "errors": errors, "shown": s.seen_words}


async def classroom(stack: Stack, n: int, duration: float, paces: list[float], seed: int = 0):
    base_url, pids = stack.url, stack.pids
    warm = [await warm_up(url) for url in stack.direct]  # every replica, before class
    shown = set().union(*(w.pop("shown") for w in warm))
    report: dict = {"sessions": n, "replicas": len(pids) if base_url not in stack.direct else 0, "warm_up": warm}
    report["rss_mb_after_warm_up"] = [rss_mb(p) for p in pids]
    cpu0 = [cpu_seconds(p) for p in pids]
    sessions, report["first_open"] = await open_sessions(base_url, n, seed, shown)
    for pace in paces:
        name = f"pace_{pace:g}s" if pace else "back_to_back"
        c0 = sum(cpu_seconds(p) for p in pids)
        report[name] = await load_phase(sessions, duration, pace)
        report[name]["server_cpu_s_per_interaction"] = round(
            (sum(cpu_seconds(p) for p in pids) - c0) / max(1, report[name]["interactions"]), 3
        )
        report[name]["rss_mb"] = [rss_mb(p) for p in pids]
    for s in sessions:
        s.check_replica()
    report["replicas_per_session"] = sorted({len(s.replicas) for s in sessions})
    report["sessions_per_replica"] = _count_by_replica(sessions)
    await asyncio.gather(*(s.close() for s in sessions))
    report["server_cpu_s"] = [round(cpu_seconds(p) - c, 1) for p, c in zip(pids, cpu0)]
    return report


def _count_by_replica(sessions: list[Session]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for s in sessions:
        for r in s.replicas:
            counts[r] = counts.get(r, 0) + 1
    return counts


def run(coro):
    """asyncio.run(coro) in a thread of its own: works where a loop already runs (Playwright's sync API in tests)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


# --- soak ------------------------------------------------------------------------------------------------


async def soak(base_url: str, pid: int, changes: int, every: int = 100, seed: int = 0) -> dict:
    """One session, ``changes`` changes over the page mix with a new sentence every few, RSS every ``every``."""
    word = unique_words(1, seed, (await warm_up(base_url))["shown"])[0]
    s = Session(base_url, 0, word, word_pattern([word]), random.Random(seed))
    await s.connect()
    replies = [await s.open()]
    samples = [{"changes": 0, "rss_mb": rss_mb(pid)}]
    for i in range(1, changes + 1):
        if i % 5 == 0:
            replies.append(await s.type_sentence())  # a new sentence: new cache entries
        elif i % 5 == 2:
            replies.append(await s.go_to(PAGES[(i // 5) % len(PAGES)]))
        else:
            controls = s.controls()
            replies.append(await (s.move(s.rng.choice(controls)) if controls else s.go_to(s._other_page())))
        if i % every == 0:
            caches = sum(v for k, v in cache_sizes(base_url).items() if k.startswith(("ui.", "st_memory")))
            samples.append({"changes": i, "rss_mb": rss_mb(pid), "caches_mb": round(caches / 2**20, 1)})
    await asyncio.sleep(6)  # Streamlit recomputes its memory figures at most every 5 s
    sizes = cache_sizes(base_url)
    await s.close()
    warm = samples[min(2, len(samples) - 1)]["rss_mb"]  # after the first 200 changes
    return {
        "changes": changes,
        "rss_samples": samples,
        "growth_after_warm_up": round(samples[-1]["rss_mb"] / warm - 1, 3),
        "session_state_items": sizes.pop("st_session_state", 0),
        "cache_bytes": {k: int(v) for k, v in sorted(sizes.items()) if v},
        **{k: v for k, v in summarise(replies, 1).items() if k in ("p50_s", "p95_s", "errors", "error_samples")},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", "--sessions", type=int, default=40)
    ap.add_argument("--duration", type=float, default=120, help="seconds per phase (default 120)")
    ap.add_argument("--pace", type=float, action="append", help="mean seconds between a session's changes; "
                    "0 = back to back; repeat for several phases (default: 3 then 0)")  # fmt: skip
    ap.add_argument("--replicas", type=int, default=0, help="app processes behind nginx (default: one, no proxy)")
    ap.add_argument("--soak", type=int, metavar="CHANGES", help="one session, this many changes (no load)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    with serve(args.replicas) as stack:
        if args.soak:
            report = asyncio.run(soak(stack.url, stack.pids[0], args.soak, seed=args.seed))
        else:
            paces = args.pace if args.pace is not None else [3.0, 0.0]
            report = asyncio.run(classroom(stack, args.sessions, args.duration, paces, args.seed))
    print(json.dumps(report, indent=1, ensure_ascii=False))
    print(brief(report), file=sys.stderr)


def brief(report: dict) -> str:
    """One line per phase: what the README quotes."""
    lines = []
    for name, r in report.items():
        if isinstance(r, dict) and "p95_s" in r and "interactions" in r:
            lines.append(
                f"{name:14} {r['interactions']:6} interactions {r['per_second']:6.1f}/s  p50 {r['p50_s']:.2f} s  "
                f"p95 {r['p95_s']:.2f} s  max {r['max_s']:.2f} s  errors {r['errors']}  leaks {r['leaks']}"
                + (f"  server CPU {r['server_cpu_s_per_interaction']:.3f} s/interaction  RSS {r['rss_mb']} MB"
                   if "rss_mb" in r else "")
            )  # fmt: skip
    return "\n".join(lines)


if __name__ == "__main__":
    main()
