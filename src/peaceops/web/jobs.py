"""The explorer's simulation runner: bounded background jobs, each in a process of its own.

A job runs :func:`peaceops.sim.run.fan` (median and 90% band over seeds of consent and
legitimacy) for one mission in a spawned child process (:class:`peaceops.parallel.Child`),
which reports its progress through a pipe. Jobs are bounded in size (seeds), duration (a job
still running at its deadline is killed and marked failed), and number (jobs waiting or
running, in all and per client); a request past a bound gets a clear 4xx answer and starts
nothing. Finished jobs are kept for a while (newest first) so their page can be reloaded.

A job's result is deterministic (mission, seeds, seed, counterfactual and the store), so a job
id carries those parameters (:data:`JOB_ID`: ``MINUSMA.20.0.none.1f3a9c02``). An id the
runner does not know (the server restarted, or the job was forgotten) is run again from its
id, within the same bounds, and resolves to the same fan (#30: a link to a job page used to
die with the server).

Every figure a job returns is simulated and is labelled so by the document (``simulated``).
"""

from __future__ import annotations

import queue
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from peaceops.errors import NotFound, UsageError
from peaceops.parallel import Child
from peaceops.settings import setting
from peaceops.sim.scenario import COUNTERFACTUALS

#: A job id: mission (spaces as ``_``), seeds, seed, counterfactual (or ``none``), 8 hex digits
#: that tell two submissions of the same job apart.
JOB_ID = re.compile(
    r"(?P<mission>[A-Za-z0-9_]{1,40})\.(?P<seeds>[0-9]{1,4})\.(?P<seed>[0-9]{1,10})"
    r"\.(?P<counterfactual>[a-z-]{1,40})\.(?P<nonce>[0-9a-f]{8})"
)
#: Who a job run again from its id is counted against (the server-wide bound still holds).
RESTORED = "restored from its id"


def job_id(mission: str, seeds: int, seed: int, counterfactual: str | None) -> str:
    """A new id for a job with these parameters (see :data:`JOB_ID`)."""
    name = mission.replace(" ", "_")
    return f"{name}.{seeds}.{seed}.{counterfactual or 'none'}.{uuid.uuid4().hex[:8]}"


class JobLimitError(UsageError):
    """A client (or the server) has as many jobs waiting or running as allowed."""


@dataclass(frozen=True)
class JobLimits:
    """The bounds of the runner (see the module docstring); defaults from the settings."""

    max_seeds: int = field(default_factory=lambda: int(setting("web_max_seeds")))
    timeout_seconds: float = field(default_factory=lambda: float(setting("web_job_seconds")))
    max_running: int = field(default_factory=lambda: max(1, int(setting("web_jobs_running"))))
    max_waiting: int = field(default_factory=lambda: int(setting("web_jobs_waiting")))
    max_per_client: int = field(default_factory=lambda: int(setting("web_jobs_per_client")))
    keep_finished: int = 100


@dataclass
class Job:
    """One simulation job and what is known of it so far."""

    id: str
    client: str
    mission: str
    seeds: int
    seed: int
    counterfactual: str | None
    state: str = "queued"  # queued -> running -> done | failed
    done: int = 0
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    error: str | None = None
    result: dict | None = None

    def summary(self) -> dict:
        """The job as a JSON document (the result only once done)."""
        return {
            "id": self.id,
            "state": self.state,
            "mission": self.mission,
            "seeds": self.seeds,
            "seed": self.seed,
            "counterfactual": self.counterfactual,
            "done": self.done,
            "progress": round(self.done / self.seeds, 4),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(self.created)),
            "seconds": round((self.finished or time.time()) - (self.started or time.time()), 2),
            "error": self.error,
            "simulated": True,
        }


def _simulate(db_path: str, job: dict, *, send: Callable[[tuple], None]) -> tuple:
    """The job's work, in its child process: ``("ok", fan document)`` or ``("failed", why)``."""
    from peaceops.errors import PeaceopsError
    from peaceops.sim.run import fan
    from peaceops.store import Database

    try:
        with Database(db_path) as db:
            document = fan(
                db,
                job["mission"],
                seed=job["seed"],
                seeds=job["seeds"],
                counterfactual=job["counterfactual"],
                progress=lambda done, _total: send(("progress", done)),
            )
    except PeaceopsError as exc:
        return ("failed", str(exc))
    except Exception as exc:  # a bug: say so; the server keeps running
        return ("failed", f"the simulation failed ({type(exc).__name__}: {exc})")
    return ("ok", document)


class Jobs:
    """The runner: a queue of jobs and ``max_running`` threads that each watch one child."""

    def __init__(self, db_path: Path | str, limits: JobLimits | None = None) -> None:
        self.db_path = str(db_path)
        self.limits = limits or JobLimits()
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._children: set[Child] = set()
        self._threads = [
            threading.Thread(target=self._work, name=f"peaceops-job-{i}", daemon=True)
            for i in range(self.limits.max_running)
        ]
        for thread in self._threads:
            thread.start()

    def submit(
        self,
        client: str,
        mission: str,
        *,
        seeds: int,
        seed: int = 0,
        counterfactual: str | None = None,
    ) -> Job:
        """Queue a job, or refuse it.

        Raises:
            UsageError: a parameter out of bounds (the message says the bound).
            JobLimitError: the client or the server has as many jobs waiting or running as
                allowed.
        """
        return self._submit(client, mission, seeds=seeds, seed=seed,
                            counterfactual=counterfactual)  # fmt: skip

    def _submit(
        self,
        client: str,
        mission: str,
        *,
        seeds: int,
        seed: int,
        counterfactual: str | None,
        known_id: str | None = None,
    ) -> Job:
        limits = self.limits
        if not 1 <= seeds <= limits.max_seeds:
            raise UsageError(f"seeds must be between 1 and {limits.max_seeds}, got {seeds}")
        if not 0 <= seed <= int(setting("max_seed")):
            raise UsageError(f"seed must be between 0 and {int(setting('max_seed'))}, got {seed}")
        if counterfactual and counterfactual not in COUNTERFACTUALS:
            raise UsageError(
                f"unknown counterfactual {counterfactual[:40]!r}: use one of "
                + ", ".join(COUNTERFACTUALS)
            )
        with self._lock:
            open_jobs = [j for j in self._jobs.values() if j.state in ("queued", "running")]
            if sum(j.client == client for j in open_jobs) >= limits.max_per_client:
                raise JobLimitError(
                    f"you have {limits.max_per_client} simulations waiting or running; "
                    "wait for one to finish"
                )
            if len(open_jobs) >= limits.max_waiting:
                raise JobLimitError(
                    f"the server has {limits.max_waiting} simulations waiting or running; "
                    "try again in a minute"
                )
            if known_id is not None and known_id in self._jobs:
                return self._jobs[known_id]
            job = Job(
                id=known_id or job_id(mission, seeds, seed, counterfactual),
                client=client,
                mission=mission,
                seeds=seeds,
                seed=seed,
                counterfactual=counterfactual or None,
            )
            self._jobs[job.id] = job
            self._forget_old()
        self._queue.put(job)
        return job

    def get(self, job_id: str) -> Job:
        """A job by id; a job this runner does not know is run again from its id.

        Raises:
            NotFound: ``job_id`` is not a job id.
            UsageError: the id's parameters are out of bounds (the message says which).
            JobLimitError: the server has as many jobs waiting or running as allowed.
        """
        with self._lock:
            job = self._jobs.get(job_id)
        if job is not None:
            return job
        match = JOB_ID.fullmatch(job_id)
        if match is None:
            raise NotFound(f"no simulation job {job_id[:40]!r}; start one on /simulate")
        counterfactual = match["counterfactual"]
        return self._submit(
            RESTORED,
            match["mission"].replace("_", " "),
            seeds=int(match["seeds"]),
            seed=int(match["seed"]),
            counterfactual=None if counterfactual == "none" else counterfactual,
            known_id=job_id,
        )

    def _forget_old(self) -> None:
        finished = [j.id for j in self._jobs.values() if j.state in ("done", "failed")]
        for job_id in finished[: max(0, len(finished) - self.limits.keep_finished)]:
            del self._jobs[job_id]

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            self._run(job)

    def _run(self, job: Job) -> None:
        work = {"mission": job.mission, "seeds": job.seeds, "seed": job.seed,
                "counterfactual": job.counterfactual}  # fmt: skip
        job.state, job.started = "running", time.time()
        child = Child(_simulate, self.db_path, work)
        with self._lock:
            self._children.add(child)
        deadline = job.started + self.limits.timeout_seconds
        try:
            while job.state == "running":
                left = deadline - time.time()
                if left <= 0:
                    job.state = "failed"
                    job.error = (
                        f"stopped after {self.limits.timeout_seconds:.0f} s "
                        "(the time limit of a job); use fewer seeds"
                    )
                elif child.ended:
                    job.state, job.error = "failed", "the simulation process ended early"
                else:
                    self._take(job, child.receive(min(left, 0.5)))
        finally:
            job.finished = time.time()
            child.kill()
            with self._lock:
                self._children.discard(child)

    @staticmethod
    def _take(job: Job, message: tuple | None) -> None:
        if message is None:
            return
        kind, value = message
        if kind == "progress":
            job.done = int(value)
        elif value[0] == "ok":  # ("done", ("ok", document))
            job.result, job.done, job.state = value[1], job.seeds, "done"
        else:
            job.state, job.error = "failed", str(value[1])

    def shutdown(self) -> None:
        """Stop the runner threads and kill any child still running."""
        for _ in self._threads:
            self._queue.put(None)
        with self._lock:
            children = list(self._children)
        for child in children:
            child.kill()
