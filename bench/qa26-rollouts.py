#!/usr/bin/env python3
"""Per-rollout outcomes of the verdicts RolloutTimelineRun wrote (one JSON line per analysis).

usage: bench/qa26-rollouts.py DIR/verdicts-false.jsonl [more.jsonl ...]

Argo (count 3, failureLimit 0, inconclusiveLimit 1): the run fails at the first FAIL, is Inconclusive (the rollout
pauses) after a second INCONCLUSIVE, else succeeds. Flagger (rollout webhook, 412 on FAIL and INCONCLUSIVE): a
failed check does not advance the weight; `threshold` failed checks roll back; 5 passed checks (maxWeight 50,
stepWeight 10) promote; a rollout still undecided after the 10 recorded iterations is counted as such.
"""
import collections
import json
import re
import sys


def load(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            rows += [json.loads(line) for line in f if line.strip()]
    return rows


def top_function(summary):
    m = re.search(r"`([^`]+)`", summary or "")
    return m.group(1) if m else None


def argo(results):
    inconclusive = 0
    for r in results:
        if r == "FAIL":
            return "Failed"
        if r == "INCONCLUSIVE":
            inconclusive += 1
            if inconclusive > 1:
                return "Inconclusive"
    return "Successful"


def flagger(results, threshold, needed=5):
    failed = passed = 0
    for r in results:
        if r == "PASS":
            passed += 1
            if passed >= needed:
                return "promoted"
        else:
            failed += 1
            if failed >= threshold:
                return "rolled back"
    return "undecided"


def main(paths):
    rows = [r for r in load(paths) if "verdict" in r]
    rollouts = collections.OrderedDict()
    for r in rows:
        key = (r["caller"], r["split"], r["first"], r["regression"])
        rollouts.setdefault(key, []).append(r)
    print("analyses:", len(rows), " rollouts:", len(rollouts))
    for caller in ("argo", "flagger"):
        for regression in (False, True):
            sel = [r for r in rows if r["caller"] == caller and r["regression"] == regression]
            if not sel:
                continue
            counts = collections.Counter(r["verdict"]["result"] for r in sel)
            slow = sum(1 for r in sel if r["millis"] > 10_000)
            print(f"\n{caller} {'regression' if regression else 'A/A'}: {len(sel)} analyses {dict(counts)};"
                  f" answers over 10 s: {slow}; median {sorted(r['millis'] for r in sel)[len(sel) // 2]} ms")
            by_first = collections.defaultdict(collections.Counter)
            for r in sel:
                by_first[r["first"]][r["verdict"]["result"]] += 1
            for first in sorted(by_first):
                print(f"  first window ending at {first:>4} min: {dict(by_first[first])}")
            keys = [k for k in rollouts if k[0] == caller and k[3] == regression]
            pairs = flips = 0
            explained = collections.Counter()
            for k in keys:
                seq = [r["verdict"]["result"] for r in sorted(rollouts[k], key=lambda r: r["k"])]
                for a, b in zip(seq, seq[1:]):
                    pairs += 1
                    flips += a != b
                fails = [top_function(r["verdict"]["summary"]) for r in rollouts[k] if r["verdict"]["result"] == "FAIL"]
                if len(fails) > 1:
                    explained["same first function" if len(set(fails)) == 1 else "different first functions"] += 1
            print(f"  successive verdicts that differ: {flips}/{pairs}; rollouts with several FAILs: {dict(explained)}")
            if caller == "argo":
                outcome = collections.Counter(argo([r["verdict"]["result"] for r in sorted(rollouts[k], key=lambda r: r["k"])]) for k in keys)
                print(f"  Argo rollouts (count 3, failureLimit 0, inconclusiveLimit 1): {dict(outcome)} of {len(keys)}")
                for first in sorted({k[2] for k in keys}):
                    o = collections.Counter(argo([r["verdict"]["result"] for r in sorted(rollouts[k], key=lambda r: r["k"])]) for k in keys if k[2] == first)
                    print(f"    first at {first} min: {dict(o)}")
            else:
                for threshold in (1, 2, 3, 5):
                    for first in sorted({k[2] for k in keys}):
                        o = collections.Counter(flagger([r["verdict"]["result"] for r in sorted(rollouts[k], key=lambda r: r["k"])], threshold)
                                                for k in keys if k[2] == first)
                        print(f"  Flagger threshold {threshold}, first call at {first} min: {dict(o)}")
    fails = [r for r in rows if r["verdict"]["result"] == "FAIL" and not r["regression"]]
    if fails:
        print("\nA/A FAIL summaries:")
        for r in fails:
            print(f"  {r['caller']} {r['split']} first={r['first']} k={r['k']}: {r['verdict']['summary'][:220]}")
    inconclusive = collections.Counter(re.sub(r"[0-9][0-9.:TZ-]*", "#", r["verdict"]["summary"])[:120]
                                       for r in rows if r["verdict"]["result"] == "INCONCLUSIVE")
    if inconclusive:
        print("\nINCONCLUSIVE reasons:")
        for reason, n in inconclusive.most_common(12):
            print(f"  {n:4d}  {reason}")


if __name__ == "__main__":
    main(sys.argv[1:])
