"""Fuzz the ``qdlab`` command line against its contract.

A seeded set of invocations (default 2000; ``--quick``: 120) of the commands listed by
``qdlab --help``, with options read from each ``qdlab COMMAND --help``: sensible values,
edge values (negative, zero, huge, NaN, inf, empty, long strings, malformed numbers,
unknown materials and choices) and special output/input paths (a FIFO, a directory, a
missing directory, a 300-character name, empty and binary files).

The contract checked for every run:

* exit status 0, no ``Traceback`` on stderr, and with ``--json`` a stdout that is one JSON
  document with finite numbers: no NaN/Infinity, no ``null`` where a number with a unit
  is promised (a key ending in ``_nm``, ``_eV``, ``_M``, ...) unless the same object gives
  a ``*_reason`` for it; or
* exit status 2 with exactly one line starting with ``error:`` on stderr and no
  ``Traceback``;
* a run that uses more than 20 s of CPU (plus ``FIT_S_PER_SPECTRUM`` per spectrum of a
  ``qdlab fit`` result) is a finding ("slow"; it is killed after
  ``--timeout`` s of CPU, default 60, or 5 times that of wall time: "timeout"); the CPU
  time, not the wall time, is judged, so that a loaded machine does not make findings;
* a run whose memory grows past ``--max-memory-mb`` (default 3000 MB of address space,
  enforced with ``RLIMIT_AS`` in the child) is a finding ("memory").

Inputs besides the shipped recipes and the two test spectra: an ``.xlsx`` workbook, a PL
spectrum (for ``--pl`` and ``--kind pl``), a folder of single-spectrum files (a growth
series), malformed spectrum files from ``scripts/fuzz_readers.py`` and recipes with one
number replaced by an edge value (negative, zero, huge, NaN, inf).

Runs go two at a time (``--jobs``).  Each run is a child process: by default forked from a
warm "zygote" process that has imported the CLI and its heavy dependencies once (a fresh
interpreter per run would spend most of the budget importing); every ``--fresh-every``-th
run (default 20) and every run with ``--fresh`` start a new ``python -m qdlab.cli.main``,
exactly as a user does.  ``serve`` is not fuzzed (it runs until stopped).

Prints a table of findings (kind, command, count, shortest example), then one summary
line ``SUMMARY fuzz_cli: runs N; contract breaks M (kind: count, ...)``, and exits 1 if
there is any.  Usage::

    python scripts/fuzz_cli.py            # 2000 runs, < 10 min on 2 cores
    python scripts/fuzz_cli.py --quick    # 120 runs, < 1 min
    python scripts/fuzz_cli.py --seed 3 -n 500 --report findings.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
SLOW_S = 20.0           # CPU seconds
#: ``qdlab fit`` does real work per spectrum (0.2-0.3 s CPU for the model fit): its budget
#: grows by this much per spectrum in the result, so a large series is not "slow".
FIT_S_PER_SPECTRUM = 0.5
WALL_FACTOR = 5.0       # a run is killed after --timeout CPU s or WALL_FACTOR * --timeout wall s
EXCLUDED = {"serve": "starts a server that runs until stopped"}
COMMAND_WEIGHTS = {"levels": 30, "size": 10, "colour": 15, "spectrum": 14, "materials": 8,
                   "fit": 5, "synth": 4, "validate": 2, "tour": 1}

# sensible ranges by option name (anything else: 0.5-10)
RANGES = {
    "diameter": (1.5, 10.0), "core-diameter": (1.5, 6.0), "shell": (0.2, 2.0),
    "length": (5.0, 30.0), "edge": (3.0, 10.0), "monolayers": (2, 6),
    "lateral-size": (10.0, 30.0), "arm-length": (5.0, 20.0), "arm-diameter": (2.0, 5.0),
    "gap": (0.0, 1.0), "neck": (1.0, 3.0), "resolution": (0.3, 0.6),
    "temperature": (4.0, 400.0), "medium-eps": (1.0, 10.0), "electron-barrier": (1.0, 5.0),
    "hole-barrier": (1.0, 5.0), "l-max": (0, 3), "n-states": (1, 3), "peak": (400.0, 1600.0),
    "absorbance": (0.01, 2.0), "path-cm": (0.1, 2.0), "dispersion": (2.0, 20.0),
    "centre": (400.0, 700.0), "fwhm": (10.0, 60.0), "concentration": (1e-7, 1e-5),
    "wl-min": (300.0, 400.0), "wl-max": (600.0, 900.0), "step": (0.5, 2.0), "port": (1, 65535),
}
CHOICES = {
    "shape": ["sphere", "rod", "platelet", "cube", "tetrapod", "dot-in-rod", "dimer"],
    "solver": ["auto", "radial", "grid"], "dielectric": ["uniform", "mismatch"],
    "screening": ["high_frequency", "static"], "distribution": ["normal", "lognormal"],
    "example": ["cdse", "cdse-teaching", "pbs", "inp"],
    "kind": ["absorbance", "pl", "auto"],
    "material": ["CdSe", "CdS", "CdTe", "InP", "PbS", "PbSe", "ZnSe", "CsPbBr3", "CdSe-zb",
                 "CdSe/ZnS", "CdSe/CdS", "InP/ZnSe/ZnS"],
}
EDGE_NUMBERS = ["-1", "0", "-0", "1e308", "1e-308", "nan", "NaN", "inf", "-inf", "", "abc",
                "1e6", "1e30", "0.001", " 5 ", "1,5", "5nm", "0x10", "1e", "--"]
EDGE_STRINGS = ["", "x" * 300, "Unobtainium", "cdse", "CdSe/", "/ZnS", "CdSe//ZnS", "é",
                "CdSe ZnS", "-1", "nan", "../../etc/passwd", "Cd" * 150, "CdSe/ZnS/" * 20]


@dataclass
class Option:
    name: str            # "--diameter", or the positional's name
    kind: str            # float, int, str, path, bool, list[float], list[str], ...
    required: bool
    positional: bool


@dataclass
class Case:
    index: int
    command: str
    argv: list[str]
    json_output: bool


@dataclass
class Result:
    case: Case
    rc: int | None
    elapsed: float       # wall s
    stdout: str
    stderr: str
    fresh: bool
    cpu: float = 0.0     # user + system CPU s
    maxrss_mb: float = 0.0
    findings: list[tuple[str, str]] = field(default_factory=list)


# ----------------------------------------------------------------------------- help parsing
def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(SRC) + (os.pathsep + env["PYTHONPATH"]
                                    if env.get("PYTHONPATH") else "")
    env.update(COLUMNS="200", TERM="dumb", NO_COLOR="1", MPLBACKEND="Agg",
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return env


def _help(args: list[str]) -> str:
    r = subprocess.run([sys.executable, "-m", "qdlab.cli.main", *args, "--help"], env=_env(),
                       capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise SystemExit(f"qdlab {' '.join(args)} --help failed: {r.stderr[-400:]}")
    return r.stdout


# an option row ("--name <kind>") or an argument row ("name <kind>", "name... <list[Path]>")
_ROW = re.compile(r"^│\s+(\*\s+)?((?:--[\w-]+)(?:\s+--[\w-]+)?|[a-z_][\w-]*(?:\.\.\.)?)"
                  r"\s+<([^>]+)>")


def discover() -> dict[str, list[Option]]:
    """Commands from ``qdlab --help`` and their options from ``qdlab CMD --help``."""
    top = _help([])
    section = top.split("Commands", 1)[1] if "Commands" in top else ""
    commands = re.findall(r"^│\s+([a-z][\w-]*)\s{2,}", section, flags=re.M)
    out = {}
    for cmd in commands:
        if cmd in EXCLUDED:
            continue
        opts = []
        for line in _help([cmd]).splitlines():
            m = _ROW.match(line)
            if not m:
                continue
            name = m.group(2).split()[0].removesuffix("...")
            if name == "--help":
                continue
            opts.append(Option(name, m.group(3).strip().lower(), bool(m.group(1)),
                               not name.startswith("--")))
        out[cmd] = opts
    return out


# ----------------------------------------------------------------------------- generation
class Generator:
    def __init__(self, seed: int, work: Path):
        self.rng = random.Random(seed)
        self.work = work
        self.sane = False   # per case: only sensible values (to reach the result paths)
        (work / "adir").mkdir(exist_ok=True)
        # special output targets live in the work folder, never in /dev: a regression that
        # replaces the target can then not damage the system
        if not (work / "afifo").exists():
            os.mkfifo(work / "afifo")
        (work / "ro").mkdir(exist_ok=True)
        (work / "ro").chmod(0o555)
        (work / "empty.csv").write_bytes(b"")
        (work / "binary.csv").write_bytes(bytes(self.rng.randrange(256) for _ in range(4096)))
        (work / "garbage.toml").write_text("[[[ not toml\n")
        data = REPO / "tests" / "data"
        recipes = sorted((SRC / "qdlab" / "synthesis" / "recipes").glob("*.toml"))
        self.inputs = {
            "spectrum": [data / "run6_absorbance.csv", data / "run5_absorbance.csv"],
            "emission": [data / "run6_emission.csv", data / "run5_emission.csv"],
            "recipe": recipes,
        }
        self.extra = {"spectrum": [self._xlsx(data / "run6_absorbance.csv"),
                                   self._series(data / "run6_absorbance.csv"),
                                   data / "spectra" / "imperial_ms302_cdse",
                                   data / "run6_emission.csv",
                                   *self._malformed_spectra(12)],
                      "recipe": self._mutated_recipes(recipes, 16)}
        self.extra["emission"] = self.extra["spectrum"]

    def _xlsx(self, csv_path: Path) -> Path:
        """The spectra of ``csv_path`` as an .xlsx workbook (or the CSV if no openpyxl)."""
        try:
            import openpyxl
        except ImportError:
            return csv_path
        import csv

        wb = openpyxl.Workbook()
        ws = wb.active
        with open(csv_path, newline="") as fh:
            for i, row in enumerate(csv.reader(fh)):
                ws.append(row if i == 0 else [float(c) if c.strip() else None for c in row])
        out = self.work / "spectra.xlsx"
        wb.save(out)
        return out

    def _series(self, csv_path: Path) -> Path:
        """A folder of single-spectrum files (a growth series) cut from a many-column file."""
        import csv

        folder = self.work / "series"
        folder.mkdir(exist_ok=True)
        with open(csv_path, newline="") as fh:
            rows = list(csv.reader(fh))
        for j in range(1, min(len(rows[0]), 6)):
            with open(folder / f"t{j:02d}.csv", "w", newline="") as fh:
                csv.writer(fh).writerows([[r[0], r[j]] for r in rows])
        return folder

    def _malformed_spectra(self, n: int) -> list[Path]:
        """Malformed spectrum files from the generator of ``fuzz_readers.py``."""
        import importlib.util

        import numpy as np

        spec = importlib.util.spec_from_file_location("fuzz_readers",
                                                      Path(__file__).with_name("fuzz_readers.py"))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        rng = np.random.default_rng(self.rng.randrange(2**32))
        out = []
        for i in range(n):
            p = self.work / f"malformed{i:02d}.csv"
            p.write_bytes(mod.malformed(rng))
            out.append(p)
        return out

    def _mutated_recipes(self, recipes: list[Path], n: int) -> list[Path]:
        """Shipped recipes with one number replaced by an edge value (TOML stays valid)."""
        number = re.compile(r"(?m)^(\s*\w+\s*=\s*)([-+]?[0-9][0-9_.eE+-]*)")
        out = []
        for i in range(n):
            text = self.rng.choice(recipes).read_text()
            hits = list(number.finditer(text))
            m = self.rng.choice(hits)
            edge = self.rng.choice(["-1.0", "0.0", "0", "1e30", "1e-30", "nan", "inf", "-inf",
                                    "1e300", "-1e-3", "1e9"])
            p = self.work / f"recipe{i:02d}.toml"
            p.write_text(text[:m.start(2)] + edge + text[m.end(2):])
            out.append(p)
        return out

    def number(self, name: str, integer: bool) -> str:
        r = self.rng
        if not self.sane and r.random() < 0.35:
            return r.choice(EDGE_NUMBERS)
        lo, hi = RANGES.get(name.lstrip("-"), (0.5, 10.0))
        if integer:
            return str(r.randint(int(lo), int(hi)))
        if lo > 0 and hi / lo > 50:
            return f"{math.exp(r.uniform(math.log(lo), math.log(hi))):.4g}"
        return f"{r.uniform(lo, hi):.4g}"

    def string(self, name: str) -> str:
        r = self.rng
        key = name.lstrip("-")
        if key in ("name",):
            key = "material"
        if key in CHOICES and (self.sane or r.random() < 0.75):
            return r.choice(CHOICES[key])
        if self.sane and key != "host":
            return r.choice(CHOICES["material"])
        if key == "gamut":
            return f"{self.number('centre', False)}:{self.number('fwhm', False)}"
        if key == "host":
            return r.choice(["127.0.0.1", "", "x" * 300, "256.1.1.1"])
        return r.choice(EDGE_STRINGS + CHOICES["material"])

    def out_path(self, name: str) -> str:
        r = self.rng
        ext = {"--plot": ".png"}.get(name, r.choice([".csv", ".parquet", ".png", ".txt", ""]))
        if name == "--out" and r.random() < 0.3:
            ext = ".png"
        if self.sane:
            ext = {"--plot": ".png"}.get(name, r.choice([".csv", ".parquet", ".png"]))
            return str(self.work / f"out{r.randrange(10**6)}{ext}")
        return r.choice([
            str(self.work / f"out{r.randrange(10**6)}{ext}"),
            str(self.work / f"out{r.randrange(10**6)}{ext}"),
            str(self.work / f"out{r.randrange(10**6)}{ext}"),
            str(self.work / "afifo"), str(self.work / "adir"),
            str(self.work / "missing" / f"x{ext}"),
            str(self.work / ("n" * 300 + ext)), "", str(self.work / "ro" / f"x{ext}"),
            str(self.work / "adir") + "/",
        ])

    def in_path(self, name: str) -> str:
        r = self.rng
        kind = {"recipe": "recipe", "pl": "emission"}.get(name, "spectrum")
        good = [str(p) for p in self.inputs[kind]]
        if r.random() < 0.3:
            return str(r.choice(self.extra[kind]))
        if self.sane:
            return r.choice(good)
        return r.choice(good * 4 + [
            "/dev/null", str(self.work / "adir"), str(REPO / "tests" / "data"),
            str(self.work / "missing" / "x.csv"), str(self.work / ("n" * 300 + ".csv")),
            str(self.work / "empty.csv"), str(self.work / "binary.csv"),
            str(self.work / "garbage.toml"), "",
        ])

    def value(self, opt: Option) -> list[str]:
        k = opt.kind
        if k == "bool":
            return [opt.name]
        if k.startswith("list["):
            inner = Option(opt.name, k[5:-1], False, False)
            vals: list[str] = []
            for _ in range(self.rng.choice([1, 1, 1, 2, 3, 4])):
                v = self.value(inner)[-1]
                vals += [v] if opt.positional else [opt.name, v]
            return vals
        if k in ("float",):
            v = self.number(opt.name, False)
        elif k.startswith("int"):
            v = self.number(opt.name, True)
        elif k == "path":
            v = (self.out_path(opt.name) if opt.name in ("--out", "--plot")
                 else self.in_path(opt.name.lstrip("-")))
        else:
            v = self.string(opt.name)
        return [v] if opt.positional else [opt.name, v]

    def case(self, index: int, commands: dict[str, list[Option]]) -> Case:
        r = self.rng
        if r.random() < 0.02:
            return Case(index, "?", [r.choice(["bogus", "", "levels2", "-x", "--json"])], False)
        self.sane = r.random() < 0.3
        names = list(commands)
        cmd = r.choices(names, weights=[COMMAND_WEIGHTS.get(n, 3) for n in names])[0]
        argv = [cmd]
        json_output = False
        opts = commands[cmd]
        for opt in opts:
            if opt.name == "--json":
                if r.random() < 0.6:
                    argv.append("--json")
                    json_output = True
                continue
            p = 0.97 if opt.required else (0.7 if opt.positional else 0.3)
            if cmd == "levels" and opt.name in ("--diameter",):
                p = 0.85
            if r.random() < p:
                argv += self.value(opt)
        if not self.sane and r.random() < 0.02:
            argv.append(r.choice(["--bogus", "extra", "--diameter"]))
        # positionals first (typer accepts them anywhere, but keep it readable)
        return Case(index, cmd, argv, json_output)


# ----------------------------------------------------------------------------- running
WATCH = r"""
import os, signal, time


def _cpu_s(pid):
    # user + system CPU of a running child, s (Linux /proc; 0 elsewhere)
    try:
        with open(f"/proc/{pid}/stat") as fh:
            f = fh.read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def watch(pid, t0, cpu_limit, wall_limit):
    # wait for the child; kill its group past the limits; (rc or None, cpu s, max RSS MB)
    while True:
        done, status, ru = os.wait4(pid, os.WNOHANG)
        if done:
            return (os.waitstatus_to_exitcode(status), ru.ru_utime + ru.ru_stime,
                    ru.ru_maxrss / 1024)
        if (time.perf_counter() - t0 > wall_limit) or _cpu_s(pid) > cpu_limit:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            _, _, ru = os.wait4(pid, 0)
            return None, ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024
        time.sleep(0.005)


def limit_memory(mb):
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (int(mb) << 20, int(mb) << 20))
"""

ZYGOTE = r"""
import json, os, signal, sys, time, traceback
""" + WATCH + r"""
import matplotlib
matplotlib.use("Agg")
import numpy, scipy.optimize, scipy.special  # noqa: F401
try:
    import colour  # noqa: F401  (colour-science imports matplotlib: ~1 s)
except ImportError:
    pass
import qdlab.cli.main as cli
for _m in ("qdlab.optics.colour", "qdlab.optics.ensemble", "qdlab.sizing.fit",
           "qdlab.synthesis", "qdlab.electronic.report", "qdlab.sizing.report",
           "qdlab.cli.plots", "matplotlib.pyplot"):
    try:
        __import__(_m)
    except Exception:
        pass
proto = os.fdopen(os.dup(1), "w")
for line in sys.stdin:
    req = json.loads(line)
    sys.stdout.flush(); sys.stderr.flush()
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            limit_memory(req["max_memory_mb"])
            os.chdir(req["cwd"])
            fo = os.open(req["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            fe = os.open(req["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            fi = os.open(os.devnull, os.O_RDONLY)
            os.dup2(fi, 0); os.dup2(fo, 1); os.dup2(fe, 2)
            try:
                rc = cli.main(req["argv"])
            except SystemExit as exc:
                code = exc.code
                if code is None:
                    rc = 0
                elif isinstance(code, int):
                    rc = code
                else:
                    print(code, file=sys.stderr)
                    rc = 1
            except BaseException:
                traceback.print_exc()
                rc = 1
            sys.stdout.flush(); sys.stderr.flush()
        except BaseException:
            rc = 70
        os._exit(rc if isinstance(rc, int) else 0)
    rc, cpu, rss = watch(pid, t0, req["timeout"], req["wall_timeout"])
    proto.write(json.dumps({"rc": rc, "elapsed": time.perf_counter() - t0, "cpu": cpu,
                            "maxrss_mb": rss}) + "\n")
    proto.flush()
"""


class Zygote:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", ZYGOTE], env=_env(),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)

    def run(self, argv, cwd, out, err, timeout, max_memory_mb):
        """(exit status or None if killed, wall s, CPU s, max RSS MB) of one forked run."""
        req = {"argv": argv, "cwd": str(cwd), "out": str(out), "err": str(err),
               "timeout": timeout, "wall_timeout": WALL_FACTOR * timeout,
               "max_memory_mb": max_memory_mb}
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the zygote process died")
        rep = json.loads(line)
        return rep["rc"], rep["elapsed"], rep["cpu"], rep["maxrss_mb"]

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


_watch: dict = {}
exec(WATCH, _watch)   # noqa: S102 - the same watcher as in the zygote


def run_fresh(argv, cwd, timeout, max_memory_mb):
    """(exit status or None, wall s, CPU s, max RSS MB, stdout, stderr) of a new interpreter."""
    t0 = time.perf_counter()
    o, e = Path(cwd) / ".stdout", Path(cwd) / ".stderr"
    with open(o, "wb") as fo, open(e, "wb") as fe:
        p = subprocess.Popen([sys.executable, "-m", "qdlab.cli.main", *argv], cwd=cwd,
                             env=_env(), stdout=fo, stderr=fe, stdin=subprocess.DEVNULL,
                             start_new_session=True,
                             preexec_fn=lambda: _watch["limit_memory"](max_memory_mb))
        rc, cpu, rss = _watch["watch"](p.pid, t0, timeout, WALL_FACTOR * timeout)
        p.returncode = -1 if rc is None else rc   # reaped by watch()
    return (rc, time.perf_counter() - t0, cpu, rss, o.read_text(errors="replace"),
            e.read_text(errors="replace"))


# ----------------------------------------------------------------------------- contract
_UNIT_KEY = re.compile(r"(_(nm|eV|meV|M|K|s|pct|cm|cm3|nm3|mol_L|M_cm|per_s|L|um|ns|ps)"
                       r"|^(x|y|u_prime|v_prime|purity|overlap))$")


def _walk_nulls(obj, path="$"):
    if isinstance(obj, dict):
        for k, v in obj.items():
            p = f"{path}.{k}"
            if v is None and _UNIT_KEY.search(k):
                stem = k.split("_")[0]
                reasons = [rk for rk in obj if rk.endswith("_reason") and obj[rk]
                           and (rk == f"{k}_reason" or rk.startswith(stem))]
                if not reasons and not obj.get("reason"):
                    yield p
            else:
                yield from _walk_nulls(v, p)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _walk_nulls(v, f"{path}[{i}]")


# absurd numbers with exit 0: fractions outside [0, 1], negative amounts, lengths and
# wavelengths (a signed difference, shift or offset may be negative)
_FRACTION_KEY = re.compile(r"^(purity|overlap|x|y|u_prime|v_prime|luminous_efficiency"
                           r"|coverage\w*|\w*_fraction|\w*quantum_yield\w*)$")
_NONNEG_KEY = re.compile(r"(concentration|uncertainty|fwhm|_M$|_M-1cm-1$|_pct$|_K$|_s$|_ns$"
                         r"|_ps$|_nm$|_nm3$|_cm$|_mol_L$)")
_POSITIVE_KEY = re.compile(r"(peak|wavelength|diameter|radius|centre|center)\w*_nm$")
_SIGNED_KEY = re.compile(r"(shift|offset|delta|diff|residual|error|change|bias|slope|skew"
                         r"|log|derivative|curvature|excess|detuning|correction)")


def _absurd(key: str, v) -> str | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        return None
    if _FRACTION_KEY.match(key):
        return None if 0.0 <= v <= 1.0 else "outside [0, 1]"
    if _SIGNED_KEY.search(key.lower()):
        return None
    if _POSITIVE_KEY.search(key) and "uncertainty" not in key:
        return None if v > 0 else "not > 0"
    if _NONNEG_KEY.search(key):
        return None if v >= 0 else "negative"
    return None


def _walk_absurd(obj, path="$", key=""):
    """JSON paths of numbers that cannot be right (e.g. a negative concentration)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _walk_absurd(v, f"{path}.{k}", str(k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _walk_absurd(v, f"{path}[{i}]", key)
    else:
        why = _absurd(key, obj)
        if why:
            yield f"{path}={obj!r} ({why})"


def _fit_rows(res: Result) -> int:
    """Spectra in a ``qdlab fit`` result: JSON rows, else table rows with a verdict."""
    try:
        out = json.loads(res.stdout)
    except ValueError:
        return sum(1 for ln in res.stdout.splitlines()
                   if re.search(r"\b(good|uncertain|no feature)\b", ln))
    return len(out) if isinstance(out, list) else 1


def check(res: Result) -> None:
    f = res.findings
    if res.rc is None:
        f.append(("timeout", f"killed after {res.cpu:.0f} s CPU, {res.elapsed:.0f} s wall"))
        return
    n_spectra = _fit_rows(res) if res.case.argv[:1] == ["fit"] else 0
    budget = SLOW_S + FIT_S_PER_SPECTRUM * n_spectra
    if res.cpu > budget:
        per = f", {n_spectra} spectra" if n_spectra else ""
        f.append(("slow", f"{res.cpu:.1f} s CPU ({res.elapsed:.1f} s wall{per}; budget "
                          f"{budget:.0f} s)"))
    if "MemoryError" in res.stderr or "Cannot allocate memory" in res.stderr:
        f.append(("memory", f"out of memory under the limit (max RSS {res.maxrss_mb:.0f} MB)"))
    if "Traceback" in res.stderr:
        last = [ln for ln in res.stderr.strip().splitlines() if ln.strip()][-1:]
        f.append(("traceback", last[0][:160] if last else ""))
    if res.rc == 0:
        if res.case.json_output:
            bad = []
            try:
                doc = json.loads(res.stdout, parse_constant=lambda c: bad.append(c) or None)
            except ValueError as exc:
                f.append(("json_unparsable", f"{exc}: {res.stdout[:80]!r}"))
                return
            if bad:
                f.append(("json_nonfinite", ", ".join(sorted(set(bad)))))
            nulls = list(_walk_nulls(doc))
            if nulls:
                f.append(("json_null_number", ", ".join(nulls[:4])))
            absurd = list(_walk_absurd(doc))
            if absurd:
                f.append(("json_absurd_number", ", ".join(absurd[:4])))
    elif res.rc == 2:
        errs = [ln for ln in res.stderr.splitlines() if ln.startswith("error:")]
        if len(errs) != 1:
            f.append(("error_lines", f"{len(errs)} 'error:' lines: {res.stderr.strip()[:160]!r}"))
    else:
        tail = res.stderr.strip().splitlines()[-1:] or [""]
        f.append((f"exit_{res.rc}", tail[0][:160]))


# ----------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=2000, help="number of invocations")
    ap.add_argument("--quick", action="store_true", help="120 invocations (< 1 min)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0,
                    help=f"kill a run after this many CPU seconds (or {WALL_FACTOR:g} times as "
                         "many wall seconds); default 60")
    ap.add_argument("--max-memory-mb", type=float, default=3000.0,
                    help="address-space limit of each run (RLIMIT_AS), MB; default 3000")
    ap.add_argument("--fresh", action="store_true",
                    help="every run in a fresh interpreter (slow: ~1 s import per run)")
    ap.add_argument("--fresh-every", type=int, default=20)
    ap.add_argument("--report", type=Path, help="write every finding as JSON here")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args(argv)
    n = 120 if a.quick else a.n
    t_start = time.perf_counter()
    commands = discover()
    print(f"commands: {', '.join(commands)} (not fuzzed: "
          f"{', '.join(f'{k}: {v}' for k, v in EXCLUDED.items())})", flush=True)
    work = Path(tempfile.mkdtemp(prefix="qdlab-fuzz-"))
    gen = Generator(a.seed, work)
    cases = [gen.case(i, commands) for i in range(n)]
    local = threading.local()
    zygotes: list[Zygote] = []
    lock = threading.Lock()
    done = [0]

    def one(case: Case) -> Result:
        cwd = work / f"run{case.index}"
        cwd.mkdir()
        fresh = a.fresh or (a.fresh_every > 0 and case.index % a.fresh_every == 0)
        if fresh:
            rc, el, cpu, rss, out, err = run_fresh(case.argv, cwd, a.timeout, a.max_memory_mb)
        else:
            if not hasattr(local, "z"):
                local.z = Zygote()
                with lock:
                    zygotes.append(local.z)
            o, e = cwd / ".stdout", cwd / ".stderr"
            rc, el, cpu, rss = local.z.run(case.argv, cwd, o, e, a.timeout, a.max_memory_mb)
            out = o.read_text(errors="replace") if o.exists() else ""
            err = e.read_text(errors="replace") if e.exists() else ""
        res = Result(case, rc, el, out, err, fresh, cpu, rss)
        check(res)
        with lock:
            done[0] += 1
            if a.verbose or res.findings:
                tag = "; ".join(k for k, _ in res.findings) or "ok"
                print(f"[{done[0]}/{n}] rc={rc} {el:.1f}s ({cpu:.1f}s CPU) {tag}: qdlab "
                      f"{shlex.join(case.argv)[:200]}", flush=True)
            elif done[0] % 100 == 0:
                print(f"[{done[0]}/{n}] {time.perf_counter() - t_start:.0f} s", flush=True)
        shutil.rmtree(cwd, ignore_errors=True)
        return res

    try:
        with ThreadPoolExecutor(max_workers=a.jobs) as pool:
            results = list(pool.map(one, cases))
    finally:
        for z in zygotes:
            z.close()
        shutil.rmtree(work, ignore_errors=True)
    elapsed = time.perf_counter() - t_start
    rcs: dict[str, int] = {}
    for r in results:
        rcs[str(r.rc)] = rcs.get(str(r.rc), 0) + 1
    per_cmd: dict[str, int] = {}
    for r in results:
        per_cmd[r.case.command] = per_cmd.get(r.case.command, 0) + 1
    slowest = max(results, key=lambda r: r.cpu)
    biggest = max(results, key=lambda r: r.maxrss_mb)
    print(f"\n{n} invocations (seed {a.seed}, {sum(r.fresh for r in results)} in fresh "
          f"interpreters) in {elapsed:.0f} s; exit statuses {rcs}; per command {per_cmd}; "
          f"slowest {slowest.cpu:.1f} s CPU ({slowest.elapsed:.1f} s wall): qdlab "
          f"{shlex.join(slowest.case.argv)[:120]}; largest {biggest.maxrss_mb:.0f} MB RSS: "
          f"qdlab {shlex.join(biggest.case.argv)[:120]}")
    table: dict[tuple[str, str], list[Result]] = {}
    for r in results:
        for kind, _ in r.findings:
            table.setdefault((kind, r.case.command), []).append(r)
    by_kind: dict[str, int] = {}
    for (kind, _), rs in table.items():
        by_kind[kind] = by_kind.get(kind, 0) + len(rs)
    n_broken = sum(1 for r in results if r.findings)
    summary = (f"SUMMARY fuzz_cli: runs {n} (seed {a.seed}); contract breaks {n_broken}"
               f" ({', '.join(f'{k}: {v}' for k, v in sorted(by_kind.items())) or 'none'})")
    if not table:
        print("no findings: every run kept the contract")
        print(summary)
        return 0
    print(f"\n{'finding':<18} {'command':<10} {'count':>5}  shortest example (detail)")
    for (kind, cmd), rs in sorted(table.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        ex = min(rs, key=lambda r: len(shlex.join(r.case.argv)))
        detail = next(d for k, d in ex.findings if k == kind)
        print(f"{kind:<18} {cmd:<10} {len(rs):>5}  qdlab {shlex.join(ex.case.argv)[:150]}"
              f"\n{'':<36}({detail[:150]})")
    if a.report:
        a.report.write_text(json.dumps(
            [{"argv": r.case.argv, "rc": r.rc, "elapsed_s": round(r.elapsed, 2),
              "findings": r.findings, "stderr": r.stderr[-2000:]}
             for r in results if r.findings], indent=1))
        print(f"\nall findings: {a.report}")
    print(summary)
    return 1


if __name__ == "__main__":
    sys.exit(main())
