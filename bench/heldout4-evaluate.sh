#!/usr/bin/env bash
# Judges the fourth held-out recordings (canary-judge/src/test/resources/heldout4, docs/heldout4.md) through the
# real CLI at default settings: every variant x layout (1v3, 2v2, 3v3, 1v1; canary v baseline pods) x without /
# with history, distinct pod combinations (at most CAP per cell, a seeded sample when there are more).
# Each pod is one JFR of a 60 s window, cut with --slice 10s. Writes canary-judge/target/heldout4/results.tsv
# (one row per comparison) and summary.md (the table). Run from the project root after
#   nice mvn -B -q -o -DskipTests package
# Environment: CAP (20), THREADS (2), SLICE (10s), VARIANTS (all), JAR, OUT, RUNNER: `inprocess` (default: the
# same command lines through io.canaryjudge.cli.Cli.run in one JVM, heldout4/CliBatch; CP = test class path, else
# computed with mvn -o) or `jar` (one `java -jar` per comparison: the same verdicts, ~10x slower).
set -euo pipefail
export CAP=${CAP:-20} THREADS=${THREADS:-2} SLICE=${SLICE:-10s}
export VARIANTS=${VARIANTS:-aa,baseline-split,slow20,slow50,newpath,alloc,other}
export JAR=${JAR:-canary-judge/target/canary-judge.jar}
export DATA=${DATA:-canary-judge/src/test/resources/heldout4}
export OUT=${OUT:-canary-judge/target/heldout4}
export RUNNER=${RUNNER:-inprocess}
mkdir -p "$OUT/verdicts"
if [ "$RUNNER" != jar ] && [ -z "${CP:-}" ]; then
  # the test class path (bench/test-classpath.sh, offline): CliBatch runs each command line through Cli.run
  cp_file=$(mktemp)
  nice mvn -B -q -o -pl canary-judge -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
  export CP="canary-judge/target/test-classes:canary-judge/target/classes:$(cat "$cp_file")"
  rm -f "$cp_file"
fi
exec python3 - <<'PY'
import itertools, json, os, random, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor

CAP, THREADS, SLICE = int(os.environ["CAP"]), int(os.environ["THREADS"]), os.environ["SLICE"]
JAR, DATA, OUT = os.environ["JAR"], os.environ["DATA"], os.environ["OUT"]
VARIANTS = os.environ["VARIANTS"].split(",")
RUNNER = os.environ["RUNNER"]
LAYOUTS = [("1v3", 1, 3), ("2v2", 2, 2), ("3v3", 3, 3), ("1v1", 1, 1)]   # canary v baseline pods
BASE = [f"b{i}" for i in range(1, 7)]
CAN = [f"c{i}" for i in range(1, 4)]
# the application method each change was injected into (None: A/A, or a different program)
INJECTED = {"slow20": "heldout4.SessionFingerprint.", "slow50": "heldout4.SessionFingerprint.",
            "newpath": "heldout4.AuditTrail.snapshot", "alloc": "heldout4.BatchCompressor.compress"}

def cases():
    for v in VARIANTS:
        for name, nc, nb in LAYOUTS:
            if v == "baseline-split":   # A/A of baseline JVMs only, split disjointly
                combos = [(c, b) for b in itertools.combinations(BASE, nb)
                          for c in itertools.combinations([p for p in BASE if p not in b], nc)]
                combos = [([f"{DATA}/baseline/{p}" for p in c], b) for c, b in combos]
            else:
                combos = [([f"{DATA}/{v}/{p}" for p in c], b) for c in itertools.combinations(CAN, nc)
                          for b in itertools.combinations(BASE, nb)]
            if len(combos) > CAP:
                combos = sorted(random.Random(f"{v}/{name}").sample(combos, CAP))
            for hist in (False, True):
                for i, (c, b) in enumerate(combos):
                    yield dict(variant=v, layout=name, history=hist, index=i, canary=c, baseline=list(b))

def arguments(case):
    args = ["compare", "--format", "json", "--slice", SLICE]
    for b in case["baseline"]:
        args += ["--baseline", f"{DATA}/baseline/{b}"]
    for c in case["canary"]:
        args += ["--canary", c]
    if case["history"]:
        for b in case["baseline"]:
            args += ["--history", f"{DATA}/history/{b}"]
    return args

def key(case):
    return f"{case['variant']}-{case['layout']}-{'h' if case['history'] else 'n'}-{case['index']:02d}"

def read(case, exit_code, stderr):
    case = dict(case, exit=exit_code, key=key(case), command="java -jar " + JAR + " " + " ".join(arguments(case)))
    try:
        with open(f"{OUT}/verdicts/{case['key']}.json") as f:
            v = json.load(f)
    except ValueError:
        return dict(case, verdict=f"ERROR({exit_code})", lead="", kind="", type="", summary=stderr[-300:])
    incidents = v.get("incidents") or []
    lead = incidents[0] if incidents else {}
    findings = v.get("findings") or []
    return dict(case, verdict=v.get("result"), lead=lead.get("entryFrame") or "", kind=lead.get("kind") or "",
                type=(findings[0].get("profileType") if findings else "") or "", failing=lead.get("failing"),
                summary=(v.get("summary") or "")[:400])

def judge_jar(case):
    p = subprocess.run(["nice", "java", "-jar", JAR] + arguments(case), capture_output=True, text=True)
    with open(f"{OUT}/verdicts/{key(case)}.json", "w") as f:
        f.write(p.stdout)
    return read(case, p.returncode, p.stderr)

all_cases = list(cases())
print(f"{len(all_cases)} comparisons, {THREADS} at once", file=sys.stderr)
if RUNNER == "jar":     # one `java -jar canary-judge.jar compare ...` per comparison
    with ThreadPoolExecutor(THREADS) as pool:
        results = list(pool.map(judge_jar, all_cases))
else:                   # the same command lines through Cli.run in one JVM (CliBatch): no JVM start each
    with open(f"{OUT}/commands.tsv", "w") as f:
        for c in all_cases:
            f.write("\t".join([key(c)] + arguments(c)) + "\n")
    p = subprocess.run(["nice", "java", "-cp", os.environ["CP"], "io.canaryjudge.heldout4.CliBatch",
                        f"{OUT}/commands.tsv", f"{OUT}/verdicts", str(THREADS)], capture_output=True, text=True, check=True)
    exits = dict(line.split("\t")[:2] for line in p.stdout.splitlines())
    results = []
    for c in all_cases:
        with open(f"{OUT}/verdicts/{key(c)}.err") as f:
            err = f.read()
        results.append(read(c, int(exits[key(c)]), err))
with open(f"{OUT}/results.tsv", "w") as f:
    cols = ["key", "variant", "layout", "history", "verdict", "exit", "kind", "type", "lead", "summary", "command"]
    f.write("\t".join(cols) + "\n")
    for r in results:
        f.write("\t".join(str(r.get(c, "")).replace("\t", " ").replace("\n", " ") for c in cols) + "\n")

def pct(n, d):
    return f"{n} ({100 * n / d:.0f} %)" if d else "–"
lines = ["| variant | layout | history | n | FAIL | PASS | INCONCLUSIVE | other | lead incident at injected method |",
         "|---|---|---|---:|---:|---:|---:|---:|---|"]
for v in VARIANTS:
    for name, _, _ in LAYOUTS:
        for hist in (False, True):
            rs = [r for r in results if r["variant"] == v and r["layout"] == name and r["history"] == hist]
            if not rs:
                continue
            n = len(rs)
            cnt = {k: sum(r["verdict"] == k for r in rs) for k in ("FAIL", "PASS", "INCONCLUSIVE")}
            other = n - sum(cnt.values())
            culprit = "–"
            if v in INJECTED:
                named = [r for r in rs if r["verdict"] in ("FAIL", "INCONCLUSIVE") and r["lead"]]
                hit = sum(INJECTED[v] in r["lead"] for r in named)
                culprit = f"{hit}/{len(named)} of FAIL+INCONCLUSIVE with an incident"
                fails = [r for r in rs if r["verdict"] == "FAIL"]
                culprit += f"; FAILs: {sum(INJECTED[v] in r['lead'] for r in fails)}/{len(fails)}"
            elif v == "other":
                culprit = "kinds: " + ", ".join(sorted({r["kind"] for r in rs if r["kind"]}))
            lines.append(f"| {v} | {name} | {'yes' if hist else 'no'} | {n} | {pct(cnt['FAIL'], n)} | "
                         f"{pct(cnt['PASS'], n)} | {pct(cnt['INCONCLUSIVE'], n)} | {other} | {culprit} |")
with open(f"{OUT}/summary.md", "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
