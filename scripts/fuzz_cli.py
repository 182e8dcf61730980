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
* a run slower than 20 s is a finding (killed after ``--timeout`` s, default 60).

Runs go two at a time (``--jobs``).  Each run is a child process: by default forked from a
warm "zygote" process that has imported the CLI and its heavy dependencies once (a fresh
interpreter per run would spend most of the budget importing); every ``--fresh-every``-th
run (default 20) and every run with ``--fresh`` start a new ``python -m qdlab.cli.main``,
exactly as a user does.  ``serve`` is not fuzzed (it runs until stopped).

Prints a table of findings (kind, command, count, shortest example) and exits 1 if there
is any.  Usage::

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
SLOW_S = 20.0
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
    elapsed: float
    stdout: str
    stderr: str
    fresh: bool
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


_ROW = re.compile(r"^│\s+(\*\s+)?((?:--[\w-]+)(?:\s+--[\w-]+)?|[a-z_][\w-]*)\s+<([^>]+)>")


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
            name = m.group(2).split()[0]
            if name == "--help":
                continue
            opts.append(Option(name, m.group(3).strip(), bool(m.group(1)),
                               not name.startswith("--")))
        out[cmd] = opts
    return out


# ----------------------------------------------------------------------------- generation
class Generator:
    def __init__(self, seed: int, work: Path):
        self.rng = random.Random(seed)
        self.work = work
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
        self.inputs = {
            "spectrum": [REPO / "tests" / "data" / "run6_absorbance.csv",
                         REPO / "tests" / "data" / "run5_absorbance.csv"],
            "recipe": sorted((SRC / "qdlab" / "synthesis" / "recipes").glob("*.toml")),
        }

    def number(self, name: str, integer: bool) -> str:
        r = self.rng
        if r.random() < 0.35:
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
        if key in CHOICES and r.random() < 0.75:
            return r.choice(CHOICES[key])
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
        kind = "recipe" if name == "recipe" else "spectrum"
        good = [str(p) for p in self.inputs[kind]]
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
            for _ in range(self.rng.choice([1, 1, 2, 3, 4])):
                vals += [opt.name, self.value(inner)[-1]]
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
        if r.random() < 0.02:
            argv.append(r.choice(["--bogus", "extra", "--diameter"]))
        # positionals first (typer accepts them anywhere, but keep it readable)
        return Case(index, cmd, argv, json_output)


# ----------------------------------------------------------------------------- running
ZYGOTE = r"""
import json, os, signal, sys, time, traceback
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
    timed_out = False
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.perf_counter() - t0 > req["timeout"]:
            try:
                os.killpg(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)
            timed_out = True
            break
        time.sleep(0.005)
    rc = None if timed_out else (os.waitstatus_to_exitcode(status))
    proto.write(json.dumps({"rc": rc, "elapsed": time.perf_counter() - t0}) + "\n")
    proto.flush()
"""


class Zygote:
    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, "-c", ZYGOTE], env=_env(),
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)

    def run(self, argv, cwd, out, err, timeout) -> tuple[int | None, float]:
        req = {"argv": argv, "cwd": str(cwd), "out": str(out), "err": str(err),
               "timeout": timeout}
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the zygote process died")
        rep = json.loads(line)
        return rep["rc"], rep["elapsed"]

    def close(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


def run_fresh(argv, cwd, timeout) -> tuple[int | None, float, str, str]:
    t0 = time.perf_counter()
    try:
        r = subprocess.run([sys.executable, "-m", "qdlab.cli.main", *argv], cwd=cwd,
                           env=_env(), capture_output=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        return (None, time.perf_counter() - t0,
                (exc.stdout or b"").decode(errors="replace"),
                (exc.stderr or b"").decode(errors="replace"))
    return (r.returncode, time.perf_counter() - t0, r.stdout.decode(errors="replace"),
            r.stderr.decode(errors="replace"))


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


def check(res: Result) -> None:
    f = res.findings
    if res.rc is None:
        f.append(("timeout", f"killed after {res.elapsed:.0f} s"))
        return
    if res.elapsed > SLOW_S:
        f.append(("slow", f"{res.elapsed:.1f} s"))
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
    ap.add_argument("--timeout", type=float, default=60.0)
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
            rc, el, out, err = run_fresh(case.argv, cwd, a.timeout)
        else:
            if not hasattr(local, "z"):
                local.z = Zygote()
                with lock:
                    zygotes.append(local.z)
            o, e = cwd / ".stdout", cwd / ".stderr"
            rc, el = local.z.run(case.argv, cwd, o, e, a.timeout)
            out = o.read_text(errors="replace") if o.exists() else ""
            err = e.read_text(errors="replace") if e.exists() else ""
        res = Result(case, rc, el, out, err, fresh)
        check(res)
        with lock:
            done[0] += 1
            if a.verbose or res.findings:
                tag = "; ".join(k for k, _ in res.findings) or "ok"
                print(f"[{done[0]}/{n}] rc={rc} {el:.1f}s {tag}: qdlab "
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
    slowest = max(results, key=lambda r: r.elapsed)
    print(f"\n{n} invocations (seed {a.seed}, {sum(r.fresh for r in results)} in fresh "
          f"interpreters) in {elapsed:.0f} s; exit statuses {rcs}; per command {per_cmd}; "
          f"slowest {slowest.elapsed:.1f} s: qdlab {shlex.join(slowest.case.argv)[:120]}")
    table: dict[tuple[str, str], list[Result]] = {}
    for r in results:
        for kind, _ in r.findings:
            table.setdefault((kind, r.case.command), []).append(r)
    if not table:
        print("no findings: every run kept the contract")
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
    return 1


if __name__ == "__main__":
    sys.exit(main())
