#!/usr/bin/env bash
# Judges the fifth held-out recordings (canary-judge/src/test/resources/heldout5, docs/heldout5.md: a Go and a Node.js
# service the judge was never tuned on) through the CLI's code at default settings, and writes
# OUT/results.tsv (one row per comparison: expected verdict, got, exit, lead incident, summary head, command) and
# OUT/summary.md (the table per language, change and layout). Run from the project root; NEVER tune on its output.
#   bench/heldout5-evaluate.sh            # 290 comparisons: 2-6 minutes on 2 shared cores (plus the test compile when CP is not given)
# Layouts (canary v baseline pods): the unchanged pods (b1-b4, a1) rotated as A/A, 1v3 (every canary, every 3 of the
# other 4) and 2v2 (every 2 canaries, every 2 of the other 3); each changed pod 1v3 against every 3 of the 5 unchanged
# pods. go2 (qa99): heldout5's Go pods re-recorded with ~1,500+ CPU samples a pod-minute (docs/heldout5.md "The Go
# pods re-recorded with CPU"), judged with the same comparisons as go. Environment: THREADS (2), DATA, OUT (canary-judge/target/heldout5), CP (the test class path; else computed
# with mvn -o): the command lines run through io.canaryjudge.cli.Cli.run in one JVM (heldout4's CliBatch), the
# code `java -jar canary-judge.jar` runs; each row's command column gives the jar form.
set -euo pipefail
export THREADS=${THREADS:-2}
export DATA=${DATA:-canary-judge/src/test/resources/heldout5}
export OUT=${OUT:-canary-judge/target/heldout5}
rm -rf "$OUT"; mkdir -p "$OUT/verdicts"
if [ -z "${CP:-}" ]; then
  cp_file=$(mktemp)
  nice mvn -B -q -o -pl canary-judge -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$cp_file" -Dmdep.includeScope=test >/dev/null
  # the sibling modules' classes are not in the file (offline, nothing installed): named here
  export CP="canary-judge/target/test-classes:canary-judge/target/classes:profile-client/target/classes:metrics-client/target/classes:$(cat "$cp_file")"
  rm -f "$cp_file"
fi
exec python3 - <<'PY'
import itertools, json, os, subprocess, sys, time

DATA, OUT, THREADS, CP = os.environ["DATA"], os.environ["OUT"], os.environ["THREADS"], os.environ["CP"]
UNCHANGED = ["b1", "b2", "b3", "b4", "a1"]
# pod -> (change, expected verdict, the function the change is in: the lead incident should name it)
CHANGES = {
    "go": {"s1": ("slow15: settleBalances x1.5", "FAIL", "main.settleBalances"),
           "d1": ("slow2: settleBalances x2", "FAIL", "main.settleBalances"),
           "n1": ("newpath: screenSanctions", "FAIL", "main.screenSanctions"),
           "g1": ("goleak: ~7.5 goroutines/min", "FAIL", "main.awaitSettlement"),
           "h1": ("heapleak: 0.7 MiB/min", "FAIL", "main.recordAudit"),
           "c1": ("connection step 4 -> 40, same code", "PASS", None)},
    "node": {"s1": ("slow15: scoreProducts x1.5", "FAIL", "scoreProducts"),
             "d1": ("slow2: scoreProducts x2", "FAIL", "scoreProducts"),
             "n1": ("newpath: highlightMatches", "FAIL", "highlightMatches")},
}
CHANGES["go2"] = CHANGES["go"]  # the same program, pods and changes, re-recorded with more requests a second (qa99)

def cases():
    for lang in ("go", "go2", "node"):
        for canary in UNCHANGED:
            others = [p for p in UNCHANGED if p != canary]
            for base in itertools.combinations(others, 3):
                yield dict(lang=lang, change="A/A", layout="1v3", expected="PASS", culprit=None, canary=[canary], baseline=list(base))
        for can in itertools.combinations(UNCHANGED, 2):
            others = [p for p in UNCHANGED if p not in can]
            for base in itertools.combinations(others, 2):
                yield dict(lang=lang, change="A/A", layout="2v2", expected="PASS", culprit=None, canary=list(can), baseline=list(base))
        for pod, (change, expected, culprit) in CHANGES[lang].items():
            for base in itertools.combinations(UNCHANGED, 3):
                yield dict(lang=lang, change=change, layout="1v3", expected=expected, culprit=culprit, canary=[pod], baseline=list(base))

def arguments(c):
    args = ["compare", "--format", "json"]
    for b in c["baseline"]:
        args += ["--baseline", f"{DATA}/{c['lang']}/{b}"]
    for p in c["canary"]:
        args += ["--canary", f"{DATA}/{c['lang']}/{p}"]
    return args

all_cases = list(cases())
for i, c in enumerate(all_cases):
    c["key"] = f"{c['lang']}-{i:03d}"
with open(f"{OUT}/commands.tsv", "w") as f:
    for c in all_cases:
        f.write("\t".join([c["key"]] + arguments(c)) + "\n")
print(f"{len(all_cases)} comparisons, {THREADS} at once", file=sys.stderr)
t0 = time.time()
p = subprocess.run(["nice", "java", "-cp", CP, "io.canaryjudge.heldout4.CliBatch", f"{OUT}/commands.tsv",
                    f"{OUT}/verdicts", THREADS], capture_output=True, text=True, check=True)
exits = {line.split("\t")[0]: int(line.split("\t")[1]) for line in p.stdout.splitlines()}
rows = []
for c in all_cases:
    r = dict(c, exit=exits[c["key"]], command="java -jar canary-judge/target/canary-judge.jar " + " ".join(arguments(c)))
    try:
        v = json.load(open(f"{OUT}/verdicts/{c['key']}.json"))
        lead = (v.get("incidents") or [{}])[0]
        r.update(got=v.get("result"), lead=lead.get("entryFrame") or lead.get("function") or "",
                 kind=lead.get("kind") or "", summary=(v.get("summary") or "")[:160])
    except ValueError:
        err = open(f"{OUT}/verdicts/{c['key']}.err").read()
        r.update(got=f"ERROR({r['exit']})", lead="", kind="", summary=err.strip()[-160:])
    rows.append(r)
cols = ["key", "lang", "change", "layout", "expected", "got", "exit", "kind", "lead", "summary", "command"]
with open(f"{OUT}/results.tsv", "w") as f:
    f.write("\t".join(cols) + "\n")
    for r in rows:
        f.write("\t".join(str(r.get(k, "")).replace("\t", " ").replace("\n", " ") for k in cols) + "\n")
lines = ["| language | change | layout | expected | n | FAIL | PASS | INCONCLUSIVE | error | lead names the changed function (of FAIL+INCONCLUSIVE) |",
         "|---|---|---|---|---:|---:|---:|---:|---:|---|"]
groups = []
for r in rows:
    g = (r["lang"], r["change"], r["layout"], r["expected"])
    if g not in groups:
        groups.append(g)
for g in groups:
    rs = [r for r in rows if (r["lang"], r["change"], r["layout"], r["expected"]) == g]
    n = len(rs)
    cnt = {k: sum(r["got"] == k for r in rs) for k in ("FAIL", "PASS", "INCONCLUSIVE")}
    culprit = rs[0]["culprit"]
    named = "–"
    if culprit:
        flagged = [r for r in rs if r["got"] in ("FAIL", "INCONCLUSIVE")]
        named = f"{sum(culprit in (r['lead'] + ' ' + r['summary']) for r in flagged)}/{len(flagged)}"
    lines.append(f"| {g[0]} | {g[1]} | {g[2]} | {g[3]} | {n} | {cnt['FAIL']} | {cnt['PASS']} | {cnt['INCONCLUSIVE']} | "
                 f"{n - sum(cnt.values())} | {named} |")
heads = ["", "First summary per group (the full rows: results.tsv):", ""]
for g in groups:
    r = next(r for r in rows if (r["lang"], r["change"], r["layout"], r["expected"]) == g)
    heads.append(f"- {g[0]} {g[1]} {g[2]} ({r['key']}): {r['got']} — {r['summary'][:140]}")
with open(f"{OUT}/summary.md", "w") as f:
    f.write("\n".join(lines + heads) + "\n")
print("\n".join(lines + heads))
print(f"{len(rows)} comparisons in {time.time() - t0:.0f} s; rows: {OUT}/results.tsv", file=sys.stderr)
PY
