#!/usr/bin/env python3
"""Naive matchers for the matching benchmark, to know what a trivial answer scores.

    python3 Benchmarks/matching-baselines.py Benchmarks/data/matching
    python3 Benchmarks/matching-quality.py Benchmarks/data/matching/truth.csv \
        Benchmarks/data/matching/baseline-name-postcode.csv --ids-from Benchmarks/data/matching/offline.ndjson

Reads DIR/known.ndjson and DIR/offline.ndjson and writes one assignment CSV
(`event_id,customer_id`) per baseline into DIR:

  baseline-singletons.csv          every record a customer of its own
  baseline-name-postcode.csv       records with the same normalised last name, first name and
                                   postcode together (accents, case and anything but letters
                                   and digits dropped); a record lacking one of them is alone
  baseline-identifiers.csv         deterministic resolution only: records sharing an email, a
                                   user/crm/loyalty id or a phone (E.164, France by default)
  baseline-identifiers+name-postcode.csv  both rules, joined transitively

Standard library only.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata

BASELINES = ("singletons", "name-postcode", "identifiers", "identifiers+name-postcode")


def norm(s) -> str:
    if not isinstance(s, str):
        return ""
    d = unicodedata.normalize("NFKD", s)
    return "".join(c for c in d.lower() if c.isascii() and c.isalnum())


def e164(written: str) -> str:
    plus = written.strip().startswith("+")
    digits = "".join(c for c in written if c.isdigit())
    if plus:
        return "+" + digits
    return "+33" + (digits[1:] if digits.startswith("0") else digits)


def name_key(traits: dict) -> str | None:
    first, last = norm(traits.get("firstName")), norm(traits.get("lastName"))
    pc = traits.get("postalCode")
    if pc is None and isinstance(traits.get("address"), dict):
        pc = traits["address"].get("postalCode")
    pc = norm(pc)
    if not (first and last and pc):
        return None
    return "name:" + last + "|" + first + "|" + pc


def id_keys(o: dict) -> list[str]:
    keys = []
    for kind, v in sorted((o.get("identifiers") or {}).items()):
        if isinstance(v, (str, int)) and str(v).strip():
            v = str(v).strip()
            keys.append("%s:%s" % (kind, v.lower() if kind == "email" else v))
    ph = (o.get("traits") or {}).get("phone")
    if isinstance(ph, str) and any(c.isdigit() for c in ph):
        keys.append("phone:" + e164(ph))
    return keys


class UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        p = self.parent.setdefault(x, x)
        while p != self.parent[p]:
            self.parent[p] = self.parent[self.parent[p]]
            p = self.parent[p]
        self.parent[x] = p
        return p

    def union(self, a: str, b: str):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            self.parent[rb] = ra


def assign(records, baseline: str) -> dict[str, str]:
    """records: (event id, name key or None, identifier keys)."""
    uf = UnionFind()
    for eid, nkey, ikeys in records:
        ev = "event:" + eid
        uf.find(ev)
        keys = []
        if nkey and baseline in ("name-postcode", "identifiers+name-postcode"):
            keys.append(nkey)
        if baseline in ("identifiers", "identifiers+name-postcode"):
            keys += ikeys
        for k in keys:
            uf.union(ev, k)
    return {eid: uf.find("event:" + eid) for eid, _, _ in records}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("dir", help="a matching.py output directory")
    ap.add_argument("--only", choices=BASELINES, action="append", help="write only this baseline (repeatable)")
    a = ap.parse_args(argv)
    records = []
    for name in ("known.ndjson", "offline.ndjson"):
        with open(os.path.join(a.dir, name), encoding="utf-8") as f:
            for line in f:
                o = json.loads(line)
                records.append((o["id"], name_key(o.get("traits") or {}), id_keys(o)))
    for b in a.only or BASELINES:
        out = assign(records, b)
        ids: dict[str, str] = {}
        path = os.path.join(a.dir, "baseline-%s.csv" % b)
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("event_id,customer_id\n")
            for eid, _, _ in records:
                root = out[eid]
                cid = ids.setdefault(root, "cus_%06d" % (len(ids) + 1))
                f.write("%s,%s\n" % (eid, cid))
        print("%s: %d records, %d customers" % (path, len(out), len(ids)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
