#!/usr/bin/env python3
"""Scores a clustering of events into customers against the truth (standard library only).

    python3 Benchmarks/matching-quality.py TRUTH.csv ASSIGNMENT.csv [--json]
    python3 Benchmarks/matching-quality.py TRUTH.csv ASSIGNMENT.csv --ids-from DIR/offline.ndjson
    python3 Benchmarks/matching-quality.py TRUTH.csv ASSIGNMENT.csv --prefix pos- --prefix cc-
    python3 Benchmarks/matching-quality.py --self-test

TRUTH.csv has a header with `event_id` and `person` (generator/matching.py writes it);
ASSIGNMENT.csv a header with `event_id` and `customer_id` (what `unify export events
--format csv` gives). Other columns are ignored, column order does not matter.

Pairwise scores: a pair of records is predicted when both are in one customer and true when
both are of one person. precision = correct pairs / predicted pairs, recall = correct pairs /
true pairs, F1 their harmonic mean. They come from the contingency counts (records per
person, per customer, per person and customer), never from listing pairs. With no predicted
pairs precision is 1 (vacuously), with no true pairs recall is 1.

Records of the truth missing from the assignment count as customers of their own (and are
reported); assignment rows for events not in the truth are ignored (and reported).

With a subset (--prefix, --ids-from: for example the offline records), three more views:
  within     pairs with both records in the subset, counts over the subset;
  touching   pairs with at least one record in the subset (an offline record joined to a
             known one counts here): all pairs minus the pairs outside the subset;
  attachment each subset record against the records outside it (the reference): joined to
             its own person only, joined to a customer holding someone else's reference
             records, left without reference records although its person has some, or
             correctly kept apart when its person has none.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import tempfile
import time
from collections import Counter

csv.field_size_limit(1 << 24)


def pairs(n: int) -> int:
    return n * (n - 1) // 2


# =============================================================================================
# Reading
# =============================================================================================


def read_columns(path: str, key: str, value_choices: tuple[str, ...], what: str) -> tuple[dict, int, int]:
    """{key: value} from a CSV with a header; returns (map, duplicate rows, empty values)."""
    out: dict[str, str] = {}
    dups = empty = 0
    with open(path, newline="", encoding="utf-8-sig") as f:
        rd = csv.reader(f)
        try:
            header = [h.strip() for h in next(rd)]
        except StopIteration:
            raise SystemExit("%s: empty file" % path)
        if key not in header:
            raise SystemExit("%s: no `%s` column in the header %s" % (path, key, header))
        vcol = next((c for c in value_choices if c in header), None)
        if vcol is None:
            raise SystemExit("%s: no %s column (%s) in the header %s" % (path, what, " or ".join(value_choices), header))
        ki, vi = header.index(key), header.index(vcol)
        need = max(ki, vi)
        for row in rd:
            if len(row) <= need:
                if not row or not any(row):
                    continue
                raise SystemExit("%s: short row %r" % (path, row))
            k, v = row[ki].strip(), row[vi].strip()
            if not k:
                continue
            if not v:
                empty += 1
                continue
            old = out.get(k)
            if old is not None:
                if old != v:
                    raise SystemExit("%s: event %s appears with two values, %s and %s" % (path, k, old, v))
                dups += 1
                continue
            out[k] = v
    return out, dups, empty


def read_ids(path: str) -> set[str]:
    """Event ids of an NDJSON file (`id`, else `messageId`) or of a CSV's `event_id` column."""
    ids: set[str] = set()
    if path.endswith(".csv"):
        with open(path, newline="", encoding="utf-8-sig") as f:
            rd = csv.DictReader(f)
            if "event_id" not in (rd.fieldnames or []):
                raise SystemExit("%s: no `event_id` column" % path)
            for row in rd:
                if row["event_id"]:
                    ids.add(row["event_id"].strip())
        return ids
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                o = json.loads(line)
            except ValueError:
                raise SystemExit("%s:%d: not JSON" % (path, n))
            v = o.get("id", o.get("messageId")) if isinstance(o, dict) else None
            if v is not None and v != "":
                ids.add(str(v))
    return ids


# =============================================================================================
# Scoring
# =============================================================================================


def contingency(truth: dict, pred: dict, records) -> tuple[Counter, Counter, Counter]:
    by_person, by_customer, both = Counter(), Counter(), Counter()
    for e in records:
        p = truth[e]
        c = pred.get(e)
        if c is None:
            c = ("\0missing", e)        # a customer of its own, unlike any real id
        by_person[p] += 1
        by_customer[c] += 1
        both[(p, c)] += 1
    return by_person, by_customer, both


def pair_counts(by_person, by_customer, both) -> dict:
    return {"true_pairs": sum(pairs(n) for n in by_person.values()),
            "predicted_pairs": sum(pairs(n) for n in by_customer.values()),
            "correct_pairs": sum(pairs(n) for n in both.values())}


def prf(c: dict) -> dict:
    tp, pp, tt = c["correct_pairs"], c["predicted_pairs"], c["true_pairs"]
    p = tp / pp if pp else 1.0
    r = tp / tt if tt else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, **c}


def cluster_counts(by_person, by_customer, both) -> dict:
    persons_per_customer, customers_per_person = Counter(), Counter()
    for p, c in both:
        persons_per_customer[c] += 1
        customers_per_person[p] += 1
    return {"records": sum(by_person.values()), "true_persons": len(by_person),
            "predicted_customers": len(by_customer),
            "mixed_customers": sum(1 for n in persons_per_customer.values() if n >= 2),
            "split_persons": sum(1 for n in customers_per_person.values() if n >= 2),
            "largest_customer": max(by_customer.values(), default=0),
            "largest_person": max(by_person.values(), default=0)}


def view(truth, pred, records) -> dict:
    ct = contingency(truth, pred, records)
    return {**cluster_counts(*ct), **prf(pair_counts(*ct))}


def attachment(truth, pred, subset, reference) -> dict:
    ref_persons_of: dict = {}
    has_ref: set = set()
    for e in reference:
        p = truth[e]
        has_ref.add(p)
        c = pred.get(e)
        if c is not None:
            ref_persons_of.setdefault(c, set()).add(p)
    out = Counter()
    for e in subset:
        p = truth[e]
        c = pred.get(e)
        refs = ref_persons_of.get(c, ()) if c is not None else ()
        if p in has_ref:
            if not refs:
                out["referenced_unjoined"] += 1
            elif len(refs) == 1 and p in refs:
                out["referenced_right"] += 1
            else:
                out["referenced_wrong"] += 1
        else:
            if not refs:
                out["unreferenced_kept_apart"] += 1
            else:
                out["unreferenced_wrongly_joined"] += 1
    res = {k: out.get(k, 0) for k in ("referenced_right", "referenced_wrong", "referenced_unjoined",
                                      "unreferenced_kept_apart", "unreferenced_wrongly_joined")}
    nref = res["referenced_right"] + res["referenced_wrong"] + res["referenced_unjoined"]
    nun = res["unreferenced_kept_apart"] + res["unreferenced_wrongly_joined"]
    res["referenced"], res["unreferenced"] = nref, nun
    res["referenced_right_rate"] = res["referenced_right"] / nref if nref else None
    res["unreferenced_kept_apart_rate"] = res["unreferenced_kept_apart"] / nun if nun else None
    return res


def score(truth: dict, pred: dict, subset: set | None = None) -> dict:
    records = list(truth)
    out: dict = {"all": view(truth, pred, records)}
    if subset is not None:
        inside = [e for e in records if e in subset]
        outside = [e for e in records if e not in subset]
        out["within"] = view(truth, pred, inside)
        rest = pair_counts(*contingency(truth, pred, outside))
        allc = {k: out["all"][k] for k in ("true_pairs", "predicted_pairs", "correct_pairs")}
        out["touching"] = prf({k: allc[k] - rest[k] for k in allc})
        out["attachment"] = attachment(truth, pred, inside, outside)
    return out


# =============================================================================================
# Output
# =============================================================================================


def fmt_view(name: str, v: dict) -> list[str]:
    lines = ["%s:" % name]
    if "records" in v:
        lines.append("  records %d, true persons %d, predicted customers %d" % (
            v["records"], v["true_persons"], v["predicted_customers"]))
        lines.append("  customers mixing 2+ persons %d, persons split across 2+ customers %d, "
                     "largest customer %d records" % (v["mixed_customers"], v["split_persons"], v["largest_customer"]))
    note = " (no predicted pairs)" if not v["predicted_pairs"] else ""
    lines.append("  pairs: true %d, predicted %d, correct %d" % (v["true_pairs"], v["predicted_pairs"], v["correct_pairs"]))
    lines.append("  precision %.4f%s, recall %.4f, F1 %.4f" % (v["precision"], note, v["recall"], v["f1"]))
    return lines


def fmt_attachment(a: dict) -> list[str]:
    def rate(n, d):
        return "%.2f%%" % (100.0 * n / d) if d else "n/a"
    return ["attachment of subset records to the records outside it:",
            "  whose person has records outside (%d): joined to that person only %d (%s), "
            "to someone else %d (%s), left unjoined %d (%s)" % (
                a["referenced"], a["referenced_right"], rate(a["referenced_right"], a["referenced"]),
                a["referenced_wrong"], rate(a["referenced_wrong"], a["referenced"]),
                a["referenced_unjoined"], rate(a["referenced_unjoined"], a["referenced"])),
            "  whose person has none (%d): kept apart %d (%s), wrongly joined %d (%s)" % (
                a["unreferenced"], a["unreferenced_kept_apart"], rate(a["unreferenced_kept_apart"], a["unreferenced"]),
                a["unreferenced_wrongly_joined"], rate(a["unreferenced_wrongly_joined"], a["unreferenced"]))]


# =============================================================================================
# Self-test
# =============================================================================================


def brute(truth, pred, records, touching=None) -> dict:
    """Pairwise counts by listing every pair (small inputs only)."""
    tp = pp = tt = 0
    recs = list(records)
    for i in range(len(recs)):
        for j in range(i + 1, len(recs)):
            a, b = recs[i], recs[j]
            if touching is not None and a not in touching and b not in touching:
                continue
            same_t = truth[a] == truth[b]
            ca, cb = pred.get(a, ("m", a)), pred.get(b, ("m", b))
            same_p = ca == cb
            tt += same_t
            pp += same_p
            tp += same_t and same_p
    return {"true_pairs": tt, "predicted_pairs": pp, "correct_pairs": tp}


def self_test() -> int:
    fails = []

    def check(name, got, want, tol=1e-12):
        ok = abs(got - want) <= tol if isinstance(want, float) else got == want
        if not ok:
            fails.append("%s: got %r, want %r" % (name, got, want))

    # persons A (a1 a2 a3), B (b1 b2), C (c1): 3 + 1 + 0 = 4 true pairs
    truth = {"a1": "A", "a2": "A", "a3": "A", "b1": "B", "b2": "B", "c1": "C"}
    perfect = {"a1": "x", "a2": "x", "a3": "x", "b1": "y", "b2": "y", "c1": "z"}
    s = score(truth, perfect)["all"]
    check("perfect precision", s["precision"], 1.0)
    check("perfect recall", s["recall"], 1.0)
    check("perfect f1", s["f1"], 1.0)
    check("perfect mixed", s["mixed_customers"], 0)
    check("perfect split", s["split_persons"], 0)

    singles = {e: "c-" + e for e in truth}
    s = score(truth, singles)["all"]
    check("singletons recall", s["recall"], 0.0)
    check("singletons precision (vacuous)", s["precision"], 1.0)
    check("singletons f1", s["f1"], 0.0)
    check("singletons predicted pairs", s["predicted_pairs"], 0)
    check("singletons customers", s["predicted_customers"], 6)
    check("singletons split", s["split_persons"], 2)

    one = {e: "all" for e in truth}
    s = score(truth, one)["all"]
    check("one cluster predicted pairs", s["predicted_pairs"], 15)
    check("one cluster precision", s["precision"], 4 / 15)
    check("one cluster recall", s["recall"], 1.0)
    check("one cluster f1", s["f1"], 2 * (4 / 15) / (4 / 15 + 1))
    check("one cluster mixed", s["mixed_customers"], 1)

    # {a1 a2} {a3 b1} {b2 c1}: 1 correct of 3 predicted, 4 true; F1 = 2/7
    mixed = {"a1": "p", "a2": "p", "a3": "q", "b1": "q", "b2": "r", "c1": "r"}
    s = score(truth, mixed, subset={"b2", "c1"})
    a = s["all"]
    check("mixed precision", a["precision"], 1 / 3)
    check("mixed recall", a["recall"], 1 / 4)
    check("mixed f1", a["f1"], 2 / 7)
    check("mixed mixed customers", a["mixed_customers"], 2)
    check("mixed split persons", a["split_persons"], 2)
    # touching {b2, c1}: true pair b1-b2, predicted pair b2-c1, nothing correct
    t = s["touching"]
    check("touching true", t["true_pairs"], 1)
    check("touching predicted", t["predicted_pairs"], 1)
    check("touching correct", t["correct_pairs"], 0)
    check("touching precision", t["precision"], 0.0)
    w = s["within"]
    check("within records", w["records"], 2)
    check("within true pairs", w["true_pairs"], 0)
    check("within predicted pairs", w["predicted_pairs"], 1)
    check("within recall (vacuous)", w["recall"], 1.0)
    at = s["attachment"]
    check("attachment b2 unjoined", at["referenced_unjoined"], 1)      # B has b1 outside, b2 is not with it
    check("attachment c1 kept apart", at["unreferenced_kept_apart"], 1)  # C has nothing outside
    at = score(truth, one, subset={"b2", "c1"})["attachment"]
    check("one cluster: b2 with A and B", at["referenced_wrong"], 1)
    check("one cluster: c1 wrongly joined", at["unreferenced_wrongly_joined"], 1)
    at = score(truth, perfect, subset={"b2", "c1"})["attachment"]
    check("perfect: b2 right", at["referenced_right"], 1)
    check("perfect: c1 kept apart", at["unreferenced_kept_apart"], 1)

    # missing assignments are singletons
    s = score(truth, {"a1": "x", "a2": "x"})["all"]
    check("missing: correct pairs", s["correct_pairs"], 1)
    check("missing: customers", s["predicted_customers"], 5)

    # random clusterings against listing every pair
    rnd = random.Random(7)
    for trial in range(200):
        n = rnd.randint(1, 40)
        recs = ["e%d" % i for i in range(n)]
        tr = {e: "P%d" % rnd.randint(0, rnd.randint(0, 8)) for e in recs}
        pr = {e: "C%d" % rnd.randint(0, rnd.randint(0, 8)) for e in recs if rnd.random() < 0.95}
        sub = {e for e in recs if rnd.random() < 0.4}
        s = score(tr, pr, subset=sub)
        b = brute(tr, pr, recs)
        for k in b:
            check("random %d all %s" % (trial, k), s["all"][k], b[k])
        b = brute(tr, pr, [e for e in recs if e in sub])
        for k in b:
            check("random %d within %s" % (trial, k), s["within"][k], b[k])
        b = brute(tr, pr, recs, touching=sub)
        for k in b:
            check("random %d touching %s" % (trial, k), s["touching"][k], b[k])

    # CSV reading: extra columns, any order, quoted fields, a BOM, duplicate rows
    with tempfile.TemporaryDirectory() as d:
        tp, ap = os.path.join(d, "t.csv"), os.path.join(d, "a.csv")
        with open(tp, "w", encoding="utf-8") as f:
            f.write("\ufeffevent_id,person\na1,A\na2,A\nb1,B\n")
        with open(ap, "w", encoding="utf-8") as f:
            f.write('seq,customer_id,kind,event_id\n1,cus_1,"track, page",a1\n2,cus_1,x,a2\n3,cus_2,x,b1\n3,cus_2,x,b1\n')
        t, _, _ = read_columns(tp, "event_id", ("person",), "person")
        p, dups, _ = read_columns(ap, "event_id", ("customer_id",), "customer")
        check("csv truth", t, {"a1": "A", "a2": "A", "b1": "B"})
        check("csv assignment", p, {"a1": "cus_1", "a2": "cus_1", "b1": "cus_2"})
        check("csv duplicates", dups, 1)
        s = score(t, p)["all"]
        check("csv f1", s["f1"], 1.0)

    # speed: 250k records in a few seconds
    big_t = {"e%d" % i: "p%d" % (i // 3) for i in range(250_000)}
    big_p = {"e%d" % i: "c%d" % (i // 2) for i in range(250_000)}
    t0 = time.monotonic()
    s = score(big_t, big_p, subset={"e%d" % i for i in range(0, 250_000, 4)})["all"]
    took = time.monotonic() - t0
    # persons of 3, customers of 2: every customer pair is correct when both fall in one person
    check("big predicted pairs", s["predicted_pairs"], 125_000)
    check("big true pairs", s["true_pairs"], 83_333 * 3)
    if took > 10:
        fails.append("250k records took %.1fs" % took)

    for f in fails:
        print("FAIL " + f, file=sys.stderr)
    print("self-test: %s (%d failures; 250k records scored in %.2fs)" % ("ok" if not fails else "FAILED", len(fails), took))
    return 1 if fails else 0


# =============================================================================================
# Main
# =============================================================================================


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("truth", nargs="?", help="truth CSV: event_id,person")
    ap.add_argument("assignment", nargs="?", help="assignment CSV: event_id,customer_id")
    ap.add_argument("--prefix", action="append", default=[], help="subset: event ids starting with PREFIX (repeatable)")
    ap.add_argument("--ids-from", action="append", default=[], metavar="FILE",
                    help="subset: the event ids of an NDJSON file (id or messageId) or a CSV (event_id) (repeatable)")
    ap.add_argument("--person-column", default=None, help="truth column naming the person (default: person)")
    ap.add_argument("--customer-column", default="customer_id")
    ap.add_argument("--json", action="store_true", help="print JSON")
    ap.add_argument("--self-test", action="store_true", help="check the arithmetic on small examples and exit")
    a = ap.parse_args(argv)
    if a.self_test:
        return self_test()
    if not a.truth or not a.assignment:
        ap.error("TRUTH and ASSIGNMENT are required (or --self-test)")
    t0 = time.monotonic()
    persons = (a.person_column,) if a.person_column else ("person", "person_id")
    truth, tdup, tempty = read_columns(a.truth, "event_id", persons, "person")
    pred, pdup, pempty = read_columns(a.assignment, "event_id", (a.customer_column,), "customer")
    subset = None
    if a.prefix or a.ids_from:
        subset = set()
        if a.prefix:
            pre = tuple(a.prefix)
            subset.update(e for e in truth if e.startswith(pre))
        for path in a.ids_from:
            subset.update(read_ids(path))
        subset &= truth.keys()
    res = score(truth, pred, subset)
    res["input"] = {"truth_records": len(truth), "assignment_rows": len(pred),
                    "missing_from_assignment": sum(1 for e in truth if e not in pred),
                    "not_in_truth": sum(1 for e in pred if e not in truth),
                    "duplicate_rows": tdup + pdup, "empty_values": tempty + pempty,
                    "subset_records": len(subset) if subset is not None else None}
    res["seconds"] = round(time.monotonic() - t0, 3)
    if a.json:
        print(json.dumps(res, indent=2, sort_keys=True))
        return 0
    i = res["input"]
    print("truth %d records, assignment %d rows: %d missing (scored as customers of their own), "
          "%d not in the truth (ignored); %.2fs" % (i["truth_records"], i["assignment_rows"],
                                                  i["missing_from_assignment"], i["not_in_truth"], res["seconds"]))
    out = fmt_view("all records", res["all"])
    if subset is not None:
        out += fmt_view("within the subset (%d records)" % len(subset), res["within"])
        out += fmt_view("pairs touching the subset", res["touching"])
        out += fmt_attachment(res["attachment"])
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
