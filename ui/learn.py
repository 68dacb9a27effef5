"""Trainings behind "watch attention learn": one background training per configuration, shared by every session.

A training runs in a thread of the server (so the page keeps answering while it runs, and a fragment polls
its progress), at most MAX_RUNNING at a time, each on one CPU thread. Trainings are keyed by their full
``TrainConfig``: when forty students press Train on the default configuration, the first press starts the
training and the other thirty-nine watch the same one (the registry's lock makes "look up, else start"
one step). A finished training stays in the registry (the last MAX_KEPT), so pressing Train again returns
it at once. A stopped training is dropped: its partial result is shown to whoever stopped it, never cached.

torch is imported here only inside functions: importing this module does not load torch.
"""

from __future__ import annotations

import importlib.util
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import streamlit as st

if TYPE_CHECKING:
    from core.tiny_transformer import Prediction, TrainConfig, TrainingRun

MAX_RUNNING = 2  # trainings at once on the server (each on one thread); more wait for a free slot
MAX_KEPT = 32  # finished trainings kept (a run with its snapshots is a few hundred KB)
SESSION_ID = "learn_session"  # this session's id, to count who watches a training
SESSION_JOB = "learn_job"  # the configuration this session trained or watches last
SESSION_LEFT = "learn_left"  # this session stopped watching a training that others still watch
SESSION_REFUSED = "learn_refused"  # this session's last press of Train was refused (another training runs)
TORCH_INSTALL = "pip install torch --index-url https://download.pytorch.org/whl/cpu"


def torch_installed() -> bool:
    """Whether PyTorch can be imported (without importing it)."""
    return importlib.util.find_spec("torch") is not None


@dataclass
class Job:
    """One training: its thread fills ``run`` as it goes; ``watchers`` are the sessions that asked for it."""

    config: Any  # TrainConfig
    run: Any = None  # TrainingRun so far (None until the first evaluation)
    step: int = 0
    done: bool = False
    waiting: bool = False  # for a free slot: MAX_RUNNING trainings are running
    error: str | None = None
    watchers: set[str] = field(default_factory=set)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def running(self) -> bool:
        return not self.done


class Registry:
    """The server's trainings by configuration (bounded), with one lock around "look up, else start"."""

    def __init__(self, train, max_running: int = MAX_RUNNING, max_kept: int = MAX_KEPT):
        self._train = train  # (config, progress, stop) -> TrainingRun
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(max_running)
        self._jobs: OrderedDict[Any, Job] = OrderedDict()
        self._max_kept = max_kept
        self.started = 0  # trainings started since the server began (tests count them)

    def get(self, config) -> Job | None:
        with self._lock:
            return self._jobs.get(config)

    def start(self, config, session: str) -> Job:
        """The training of ``config``: the running or finished one if there is one, else a new one."""
        with self._lock:
            job = self._jobs.get(config)
            if job is None:
                job = Job(config)
                self._jobs[config] = job
                self.started += 1
                threading.Thread(target=self._work, args=(job,), daemon=True, name="learn-train").start()
                self._evict()
            self._jobs.move_to_end(config)
            job.watchers.add(session)
            return job

    def leave(self, job: Job, session: str) -> None:
        """``session`` stops watching; a training nobody watches any more is stopped and forgotten."""
        with self._lock:
            job.watchers.discard(session)
            if job.running and not job.watchers:
                job.stop.set()
                if self._jobs.get(job.config) is job:
                    del self._jobs[job.config]

    def _evict(self) -> None:
        finished = [c for c, j in self._jobs.items() if j.done]
        for config in finished[: max(0, len(finished) - self._max_kept)]:
            del self._jobs[config]

    def _work(self, job: Job) -> None:
        def progress(run, step):
            job.run, job.step = run, step

        if not self._slots.acquire(blocking=False):
            job.waiting = True
            self._slots.acquire()
        job.waiting = False
        try:
            if not job.stop.is_set():
                job.run = self._train(job.config, progress, job.stop.is_set)
        except Exception as err:  # the page shows it; the server keeps running
            job.error = f"{type(err).__name__}: {err}"
            with self._lock:
                if self._jobs.get(job.config) is job:
                    del self._jobs[job.config]
        finally:
            self._slots.release()
            job.done = True
            if job.run is not None and not job.run.finished:
                with self._lock:  # a stopped training is never handed to anyone else
                    if self._jobs.get(job.config) is job:
                        del self._jobs[job.config]


def _train(config, progress, stop):
    from core.tiny_transformer import train

    # the page draws a copy taken between two evaluations, never lists the training is appending to
    return train(config, lambda run, step: progress(run.progress_copy(), step), stop)


_REGISTRY = Registry(_train)


def registry() -> Registry:
    """The one registry of this server process: a module global, not st.cache_resource, so Streamlit's "clear
    cache" message, which any browser may send, cannot drop everyone's trainings (as for the language model)."""
    return _REGISTRY


def session_id() -> str:
    if SESSION_ID not in st.session_state:
        st.session_state[SESSION_ID] = uuid.uuid4().hex
    return st.session_state[SESSION_ID]


def current_job() -> Job | None:
    """The training this session started or watches last (None before its first press of Train)."""
    return st.session_state.get(SESSION_JOB)


def press_train(config: TrainConfig) -> None:
    """Start (or join) the training of ``config`` for this session; refused (SESSION_REFUSED set) while this
    session has a different training running."""
    job = current_job()
    if job is not None and job.running:
        if job.config != config:
            st.session_state[SESSION_REFUSED] = True
        return
    st.session_state[SESSION_JOB] = registry().start(config, session_id())


def press_stop() -> None:
    """This session stops watching its training: the training stops unless other sessions still watch it,
    and then this session lets go of it (it keeps running for them)."""
    job = current_job()
    if job is not None and job.running:
        registry().leave(job, session_id())
        if not job.stop.is_set():
            st.session_state[SESSION_JOB] = None
            st.session_state[SESSION_LEFT] = True


def defaults(task: str) -> TrainConfig:
    from core.tiny_transformer import DEFAULTS

    return DEFAULTS[task]


def config(**values) -> TrainConfig:
    from core.tiny_transformer import TrainConfig

    return TrainConfig(**values)


@st.cache_data(max_entries=64, show_spinner=False)
def predict(_run: TrainingRun, key: tuple, ids: tuple[int, ...]) -> Prediction:
    """The trained model of a finished run on one sequence (``key``: the run's config, the cache key)."""
    import numpy as np

    from core.tiny_transformer import predict as run_predict

    return run_predict(_run, np.array(ids, dtype=np.int64))
