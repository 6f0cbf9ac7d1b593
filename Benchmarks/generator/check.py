#!/usr/bin/env python3
"""Checks generator output and describes people in it (standard library only).

    python3 Benchmarks/generator/check.py Fixtures/retail                 # a --people output dir
    python3 Benchmarks/generator/check.py /tmp/bench-1m.ndjson            # a --lines output file
    python3 Benchmarks/generator/check.py Fixtures/retail --person p00001 # one person's lines

Checks: every line is UTF-8 JSON holding an object; Segment lines have `type` or `action`
and a messageId, native lines have id/event/timestamp/channel/source and identifiers or
traits; every line carries something that ties it to a person; times parse and each file
is in time order; ids are unique; truth covers every line exactly once. Reports line sizes,
the Segment/native mix, and the identifiers shared by more than one person (should be only
the intended hubs: till default emails, the placeholder phone, shared family tablets).
Exit status 1 when a check fails.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import re
import sys
from collections import Counter, defaultdict

SEGMENT_TYPES = {"identify", "track", "page", "screen", "group", "alias"}
NATIVE_KEYS = ("id", "event", "timestamp", "channel", "source")
SEGMENT_FILES = {"web.ndjson", "app.ndjson", "email.ndjson"}
JUNK = {"noemail@shop.fr", "magasin@shop.fr", "+0000000000", "0000000000"}


def parse_time(s: str) -> dt.datetime:
    # fromisoformat in 3.11 takes Z, offsets and 1-6 fractional digits
    return dt.datetime.fromisoformat(s)


def norm_phone(v: str) -> str:
    d = re.sub(r"[ .\-()]", "", v)
    if d and set(d) <= {"0"}:
        return d                       # the placeholder 0000000000 stays as it is (junk)
    if d.startswith("00"):
        d = "+" + d[2:]
    if d.startswith("0") and len(d) == 10 and d != "0000000000":
        d = "+33" + d[1:]
    return d


def identifiers(o: dict) -> list[tuple[str, str]]:
    out = []

    def add(kind, v):
        if isinstance(v, bool) or v is None or v == "":
            return
        if isinstance(v, (int, float)):
            v = str(v)
        if not isinstance(v, str):
            return
        if kind == "email":
            v = v.strip().lower()
        elif kind == "phone":
            v = norm_phone(v)
        else:
            v = v.strip()
        out.append((kind, v))

    if "identifiers" in o:
        for k, v in sorted((o.get("identifiers") or {}).items()):
            add(k, v)
        return out
    ctx = o.get("context") or {}
    add("user_id", o.get("userId", o.get("user_id")))
    add("anonymous_id", o.get("anonymousId"))
    for tr in (o.get("traits") or {}, ctx.get("traits") or {}):
        add("email", tr.get("email"))
        add("phone", tr.get("phone"))
    add("device_id", (ctx.get("device") or {}).get("id"))
    for key in ("externalIds", "externalId"):
        for x in ctx.get(key) or []:
            add(x.get("type", "external"), x.get("id"))
    return out


CHANNELS = {"web", "app", "email", "sms", "push", "store", "call_center", "postal", "social", "ads",
            "chat", "partner", "other", "offline", "browser", "mobile", "server"}


def count_quirks(o: dict, q: Counter):
    """Counts the real-world oddities a decoder has to take (see DESIGN.md, Input)."""
    ctx = o.get("context") if isinstance(o.get("context"), dict) else {}
    ids = o.get("identifiers") if isinstance(o.get("identifiers"), dict) else {}
    if "action" in o:
        q["legacy action"] += 1
    if isinstance(o.get("userId"), int):
        q["userId number"] += 1
    if "anonymousId" in o and o["anonymousId"] is None:
        q["anonymousId null"] += 1
    if "externalIds" in ctx:
        q["context.externalIds"] += 1
    if "externalId" in ctx:
        q["context.externalId"] += 1
    ch = o.get("channel")
    if isinstance(ch, str) and ch not in CHANNELS:
        q["channel %s" % ch] += 1
    if ch == "server":
        q["channel server"] += 1
    if "identifiers" not in o and "id" in o and "source" in o:
        q["native no identifiers"] += 1
    elif "identifiers" in o and not ids:
        q["native empty identifiers"] += 1
    e = ids.get("email")
    if isinstance(e, str):
        if e.strip().lower() in JUNK:
            q["till default email"] += 1
        elif e != e.strip() or e != e.lower():
            q["messy email"] += 1
    ph = ids.get("phone")
    if isinstance(ph, str):
        if set(ph) <= {"0"}:
            q["placeholder phone"] += 1
        elif ph.startswith("0"):
            q["national phone"] += 1
    ts = o.get("timestamp")
    if isinstance(ts, str) and re.search(r"\.\d{6}[+-]\d\d:\d\d$", ts):
        q["offset+microseconds time"] += 1


def line_summary(o: dict) -> str:
    if "identifiers" in o or ("source" in o and "id" in o):
        head = "%s %s/%s" % (o.get("event"), o.get("channel"), o.get("source"))
    else:
        head = "%s %s" % (o.get("type") or o.get("action"), o.get("event") or o.get("name") or "")
    ids = " ".join("%s=%s" % kv for kv in identifiers(o))
    tr = o.get("traits") if "identifiers" in o or "source" in o else None
    if tr:
        ids += " traits=" + ",".join("%s" % k for k in tr)
    t = o.get("timestamp") or o.get("originalTimestamp") or ""
    return "%-25s %-40s %s" % (t, head.strip(), ids)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", help="output directory (--people mode) or .ndjson file (--lines mode)")
    ap.add_argument("--person", action="append", default=[], help="print this person's lines (repeatable)")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)

    if os.path.isdir(a.path):
        files = sorted(f for f in os.listdir(a.path) if f.endswith(".ndjson"))
        paths = {f: os.path.join(a.path, f) for f in files}
        truth_path = os.path.join(a.path, "truth.csv")
    else:
        base = a.path[: -len(".ndjson")] if a.path.endswith(".ndjson") else a.path
        paths = {os.path.basename(a.path): a.path}
        truth_path = base + ".truth.csv"

    errors: list[str] = []

    def err(msg):
        if len(errors) < 50:
            errors.append(msg)
        elif len(errors) == 50:
            errors.append("... (more)")

    truth: dict[tuple[str, int], str] = {}
    with open(truth_path, encoding="utf-8", newline="") as f:
        rd = csv.reader(f)
        header = next(rd)
        if header != ["file", "line", "person"]:
            err("truth header is %r" % header)
        for row in rd:
            key = (row[0], int(row[1]))
            if key in truth:
                err("truth has %s:%d twice" % key)
            if not re.fullmatch(r"p\d{5,}", row[2]):
                err("truth person %r" % row[2])
            truth[key] = row[2]

    wanted = set(a.person)
    quirks = Counter()
    per_person = defaultdict(list)
    ids_seen: set[str] = set()
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    stats = {}
    seg_total = lines_total = 0
    for name, path in paths.items():
        n = seg = big = 0
        sizes = []
        last = None
        with open(path, "rb") as f:
            for n, raw in enumerate(f, 1):
                sizes.append(len(raw))
                where = "%s:%d" % (name, n)
                try:
                    o = json.loads(raw.decode("utf-8"))
                except (UnicodeDecodeError, ValueError) as e:
                    err("%s not JSON: %s" % (where, e))
                    continue
                if not isinstance(o, dict):
                    err("%s not an object" % where)
                    continue
                person = truth.get((name, n))
                if person is None:
                    err("%s has no truth row" % where)
                is_seg = "type" in o or "action" in o
                if is_seg:
                    seg += 1
                    kind = o.get("type") or o.get("action")
                    if kind not in SEGMENT_TYPES:
                        err("%s Segment type %r" % (where, kind))
                    if not isinstance(o.get("messageId"), str):
                        err("%s no messageId" % where)
                    uid = o.get("messageId")
                    if len(raw) > 1200 and name != "email.ndjson":
                        big += 1
                else:
                    for k in NATIVE_KEYS:
                        if not isinstance(o.get(k), str):
                            err("%s native line without %s" % (where, k))
                    if not (o.get("identifiers") or o.get("traits")):
                        err("%s native line with neither identifiers nor traits" % where)
                    uid = o.get("id")
                    if name in SEGMENT_FILES:
                        err("%s native line in a Segment file" % where)
                if is_seg and name not in SEGMENT_FILES and len(paths) > 1:
                    err("%s Segment line in a native file" % where)
                if uid in ids_seen:
                    err("%s duplicate id %s" % (where, uid))
                ids_seen.add(uid)
                ids = identifiers(o)
                count_quirks(o, quirks)
                if not ids and not o.get("traits"):
                    err("%s nothing ties it to a person" % where)
                if person:
                    for kv in ids:
                        owners[kv].add(person)
                ts = o.get("timestamp") or o.get("originalTimestamp") or o.get("sentAt") or o.get("receivedAt")
                try:
                    t = parse_time(ts)
                    if t.tzinfo is None:
                        err("%s time without zone %r" % (where, ts))
                    elif last is not None and t < last:
                        err("%s out of time order (%s)" % (where, ts))
                    else:
                        last = t
                except (TypeError, ValueError):
                    err("%s unreadable time %r" % (where, ts))
                if person in wanted:
                    per_person[person].append("%s:%d  %s" % (name, n, line_summary(o)))
        stats[name] = (n, sum(sizes), min(sizes) if sizes else 0, (sum(sizes) // len(sizes)) if sizes else 0,
                       max(sizes) if sizes else 0, big)
        seg_total += seg
        lines_total += n
        covered = sum(1 for (fname, _) in truth if fname == name)
        if covered != n:
            err("%s: %d lines but %d truth rows" % (name, n, covered))
    extra = set(f for f, _ in truth) - set(paths)
    if extra:
        err("truth names files that are not there: %s" % sorted(extra))

    if not a.quiet:
        print("%-20s %9s %12s %6s %6s %6s %8s" % ("file", "lines", "bytes", "min", "mean", "max", ">1200B"))
        for name, (n, b, mn, mean, mx, big) in stats.items():
            print("%-20s %9d %12d %6d %6d %6d %8d" % (name, n, b, mn, mean, mx, big))
        tb = sum(s[1] for s in stats.values()) + os.path.getsize(truth_path)
        print("total %d lines, %d bytes with truth; Segment %.1f%%, native %.1f%%; %d people" % (
            lines_total, tb, 100.0 * seg_total / max(1, lines_total),
            100.0 * (lines_total - seg_total) / max(1, lines_total), len(set(truth.values()))))
        print("quirks: " + ", ".join("%s %d" % kv for kv in sorted(quirks.items())))
        shared = sorted(((k, v) for k, v in owners.items() if len(v) > 1), key=lambda kv: (-len(kv[1]), kv[0]))
        print("identifiers shared by more than one person: %d" % len(shared))
        for (kind, v), ps in shared[:15]:
            tag = "junk/hub" if v in JUNK else ("device" if kind == "device_id" else "UNEXPECTED")
            print("  %-11s %-40s %4d people  %s" % (kind, v, len(ps), tag))
        if len(shared) > 15:
            print("  ...")
    for kv, ps in owners.items():
        if len(ps) > 1 and kv[1] not in JUNK and kv[0] != "device_id":
            err("identifier %s=%s shared by %s" % (kv[0], kv[1], sorted(ps)[:5]))
    for p in a.person:
        print("\n%s: %d lines" % (p, len(per_person[p])))
        for s in per_person[p]:
            print("  " + s)
    if errors:
        print("\nFAILED:", file=sys.stderr)
        for e in errors:
            print("  " + e, file=sys.stderr)
        return 1
    if not a.quiet:
        print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
