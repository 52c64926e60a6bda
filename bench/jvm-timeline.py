#!/usr/bin/env python3
"""Where a short JVM run's time goes outside the program's own work: time to the main class,
JVM exit after the program's last action, and C2 compile time per method.

usage: bench/jvm-timeline.py main|exit|c2 REPS JAVA [JVM-OPTION...] (-jar JAR | -cp PATH CLASS) ARGS...

  main  uptime at which the first application class (the one named after -cp, or the jar's
        Main-Class, whichever loads first from a file: source) is loaded (-Xlog:class+load),
        median of REPS runs; the logging itself costs the same for every command.
  exit  wall time of the whole process minus the JVM uptime of the `gc+heap+exit` log line, which
        HotSpot writes as the program calls exit: what the JVM spends shutting down, sorted per run.
  c2    total and per-method C2 (tier 4) compile time from -XX:+LogCompilation (1 ms stamps),
        averaged over REPS runs; the top 15 methods (TOP=n in the environment for more).

The JAVA command and its arguments are passed on unchanged, with the logging option added after
JAVA. Used for the start-up figures in docs/BENCHMARKS.md.
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time


def run(command):
    start = time.perf_counter()
    process = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - start, process.stderr


def main_class_uptime(java, rest, reps):
    times = []
    for _ in range(reps):
        _, err = run([java, "-Xlog:class+load:stderr:uptimenanos"] + rest)
        for line in err.splitlines():
            match = re.match(r"\[(\d+)ns\].* source: file:", line)
            if match:
                times.append(int(match.group(1)) / 1e6)
                break
    print("main class loaded at %.1f ms uptime (median of %d)" % (statistics.median(times), len(times)))


def exit_times(java, rest, reps):
    times = []
    for _ in range(reps):
        wall, err = run([java, "-Xlog:gc+heap+exit:stderr:uptimenanos"] + rest)
        match = re.search(r"^\[(\d+)ns\]", err, re.M)
        times.append(round(1000 * wall - int(match.group(1)) / 1e6))
    print("ms from exit to process end, per run: %s; median %d" % (sorted(times), statistics.median(times)))


def c2_times(java, rest, reps):
    per_method = {}
    total = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "compilation.xml")
        for _ in range(reps):
            run([java, "-XX:+UnlockDiagnosticVMOptions", "-XX:+LogCompilation", "-XX:LogFile=" + log] + rest)
            with open(log) as f:
                text = f.read()
            # a task without task_done (still compiling at exit) must not pair with the next task's
            for task in re.finditer(r"<task (?P<a>[^>]*)>(?:(?!<task ).)*?<task_done (?P<d>[^>]*)/>", text, re.S):
                attributes, done = task.group("a"), task.group("d")
                level = re.search(r"level='(\d)'", attributes)
                if level is not None and level.group(1) != "4":
                    continue
                method = " ".join(re.search(r"method='([^']*)'", attributes).group(1).split(" ")[:2])
                spent = float(re.search(r"stamp='([\d.]+)'", done).group(1)) - float(
                    re.search(r"stamp='([\d.]+)'", attributes).group(1))
                per_method[method] = per_method.get(method, 0.0) + spent
                total += spent
    print("C2 compile time %.1f ms per run (mean of %d)" % (1000 * total / reps, reps))
    for method, spent in sorted(per_method.items(), key=lambda item: -item[1])[:int(os.environ.get("TOP", "15"))]:
        print("  %5.1f ms  %s" % (1000 * spent / reps, method.replace("&lt;", "<").replace("&gt;", ">")))


def main():
    if len(sys.argv) < 5 or sys.argv[1] not in ("main", "exit", "c2"):
        sys.exit(__doc__)
    mode, reps, java, rest = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    {"main": main_class_uptime, "exit": exit_times, "c2": c2_times}[mode](java, rest, reps)


if __name__ == "__main__":
    main()
