#!/usr/bin/env python3
"""Runs whole commands in alternation and prints each one's median wall time, trimmed mean and
median CPU time (user + sys of the process and its threads).

usage: bench/alternate.py REPS "COMMAND 1" "COMMAND 2" ...

Each repetition runs every command once, in reverse order on odd repetitions, so slow drifts in
machine load fall on all commands alike. Output of the commands goes to /dev/null. Commands are
split on spaces (no shell). Used for the start-up figures in docs/BENCHMARKS.md.
"""
import os
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    reps = int(sys.argv[1])
    commands = [c.split() for c in sys.argv[2:]]
    walls = [[] for _ in commands]
    cpus = [[] for _ in commands]
    for rep in range(reps):
        order = range(len(commands)) if rep % 2 == 0 else reversed(range(len(commands)))
        for i in order:
            start = time.perf_counter()
            process = subprocess.Popen(commands[i], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, _, usage = os.wait4(process.pid, 0)
            walls[i].append(time.perf_counter() - start)
            cpus[i].append(usage.ru_utime + usage.ru_stime)
    for i, command in enumerate(commands):
        w = sorted(walls[i])
        quarter = len(w) // 4
        trimmed = statistics.mean(w[quarter:len(w) - quarter])
        print("wall median %6.1f ms  trimmed mean %6.1f ms  cpu median %6.1f ms  %s"
              % (1000 * statistics.median(w), 1000 * trimmed, 1000 * statistics.median(cpus[i]), " ".join(command)))


if __name__ == "__main__":
    main()
