#!/usr/bin/env python3
"""Seeded record-linkage benchmark for unify's probabilistic matcher, with ground truth.

    python3 Benchmarks/generator/matching.py --seed 1 --out Benchmarks/data/matching

writes, in the native NDJSON form, DIR/known.ndjson (K known customers: online and CRM
records with strong identifiers and clean traits), DIR/offline.ndjson (R offline records
with no identifier at all, only noisy traits: till receipts, paper forms, call-centre
notes) and DIR/truth.csv (`event_id,person` for every line of both files). With
--explain also DIR/noise.csv: the kind of each offline record and the noise applied to it.

People, households (families sharing a surname and an address, twins), names, birthdays,
addresses and phones come from generate.py's Population. Everything is drawn from one
random.Random(seed): the same arguments give byte-identical files. The noise rates of each
--noise level are in NOISE below and in MATCHING.md.

Standard library only (Python 3.11).
"""
from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate as gen  # noqa: E402  (Population, reference data, iso, hexid)

# =============================================================================================
# Tunables
# =============================================================================================

START, END = gen.START, gen.END          # 2024-01-01 .. 2026-10-31, both files mixed in time
DEFAULT_KNOWN = 100_000
DEFAULT_OFFLINE = 100_000
DEFAULT_UNKNOWN_SHARE = 0.25             # offline records of people who are not in known.ndjson
DEFAULT_PHONE_SHARE = 0.20               # offline records carrying a phone trait

KNOWN_RECORDS = ((1, 0.55), (2, 0.30), (3, 0.15))          # known records per known customer
OFFLINE_RECORDS = ((1, 0.55), (2, 0.25), (3, 0.12), (4, 0.08))  # per person referred to offline
KNOWN_PHONE_ON_FILE = 0.85               # known customers whose known records carry their phone
# kind of an offline record, for records with and without a phone
KINDS_WITH_PHONE = (("call", 0.60), ("form", 0.25), ("receipt", 0.15))
KINDS_WITHOUT_PHONE = (("receipt", 0.60), ("form", 0.30), ("call", 0.10))
FORM_BIRTHDAY = 0.70                     # paper forms that ask for a birthday
FORM_COUNTRY = 0.50                      # ... and a country
CALL_POSTCODE = (0.60, 0.90)             # call notes with a postcode (with, without a phone)
CALL_BIRTHDAY = (0.40, 0.60)             # call notes with a birthday (with, without a phone)
MOVE_SAME_CITY = 0.50                    # a moving household stays in its city

# Names. generate.py draws from 200 surnames and 56 + 52 first names, uniformly: at 100k+ people
# that made 6% of them share first name, last name and postcode with a stranger (measured,
# with a common-surname weighting like the one below), far more than in a real customer base.
# The lists below are added to its lists while Population runs (read by
# Population.household() at call time; the first 40 French surnames, which Belgian and Swiss
# households also draw from, stay as they are), and the commonest French surnames get extra
# draws so that they cluster as they do in France: Martin is 5/406 = 1.2% of French surnames
# against 1/406 for most others. See MATCHING.md for the measured collisions.
EXTRA_SURNAMES = tuple("""
Leblond Lemarchand Levasseur Lebon Lefort Lemercier Lenoir Lecoq Leduc Lebreton Maréchal Marchetti
Masse Maurin Marion Martel Martineau Martins Maurice Michon Millot Mounier Navarro Neveu Ollivier
Pagès Paillard Parent Pascal Paul Pereira Petitjean Pineau Pinto Prat Raynaud Régnier Rocher
Rodrigues Rossi Rousset Ruiz Sabatier Salmon Sauvage Seguin Sellier Tanguy Thibault Thiébaut
Tournier Turpin Vallet Vaillant Verdier Vial Voisin Wagner Weiss Baudry Bazin Besnard Blanchet
Bodin Bonneau Bouchard Bouquet Bourdon Bousquet Brunel Buisson Camus Chauvet Chevallier Claude
Clerc Collin Costa Coste Courtois Cros Delattre Delmas Descamps Devaux Didier Drouet Dubreuil
Ferrand Ferreira Foucher Gallet Georges Gilles Godard Gomez Gonzalez Granger Grenier Gros Guillon
Guy Hamel Hardy Imbert Jacques Jourdan Joubert Labbé Lacombe Lagarde Léon Lesage Maurel Morvan
Muñoz Pons Riou Samson Texier Teixeira Thierry Boutin Charrier Chartier Cochet Delorme Faivre
Gaudin Guillet Hébert Husson Jolly Lacoste Laroche Maillot Marin Mas Raymond Tellier Blondel
Bouvet Briand Colas Coulon Delage Fischer Grand Guillou Lebas Prigent Quéré Jaouen Guégan Gomes
Lopes Mendes Marques Alves Dias Fernandes Ribeiro Santos Oliveira Haddad Mansour Belkacem Bouaziz
Cherif Khelifi Amrani Diallo Traoré Camara Diop Nguyen Tran Pham Chen Wang Kowalski Nowak Russo
Ferrari Esposito Romano""".split()) + ("Le Corre", "Le Bihan", "Le Floch", "Le Guen")
EXTRA_FIRST_F = tuple("""
Aurore Audrey Caroline Delphine Élise Eva Florence Gaëlle Jade Jessica Karine Laure Lina Lou
Magali Marion Mélanie Mélissa Nina Ophélie Patricia Rose Sabrina Stéphanie Virginie Véronique
Coralie Estelle Fanny Chantal Danielle Denise Dominique Jacqueline Josiane Mireille Odile Annie
Colette Yvette Corinne Muriel Pascale Myriam Ambre Lola Léna Romane Alicia Maëlle Clara Elsa
Agathe Capucine Apolline Salomé Maëva Laurence Emmanuelle Cécile Séverine Gwenaëlle Naïma Samia
Amina Khadija Sonia""".split())
EXTRA_FIRST_M = tuple("""
Alexis Anthony Arnaud Aurélien Benjamin Bruno Cyril Damien Denis Didier Dylan Emmanuel Fabrice
Florian Franck Gérard Grégory Henri Jérémy Joël Jonathan Jordan Loïc Marc Martin Mickaël Paul
Pascal Raphaël Rémi Robert Samuel Serge Simon Sylvain Tristan Victor Xavier Yves Gilles Hervé
René Roger Claude Marcel André Georges Christian Gaël Erwan Yann Ronan Tanguy Léo Noah Enzo
Mathis Ethan Timothée Valentin Bastien Corentin Killian Sofiane Yacine Rachid Youssef Ali Bilal
Samir Nabil""".split())
COMMON_SURNAME_EXTRA = (("Martin", 4), ("Bernard", 2), ("Thomas", 2), ("Petit", 2), ("Robert", 1),
                        ("Richard", 1), ("Durand", 1), ("Dubois", 1), ("Moreau", 1), ("Laurent", 1))

# Noise, per level. Units (see MATCHING.md):
#   name_typo      each of firstName / lastName of an offline record: one typo (insert, delete,
#                  substitute with an AZERTY neighbour, transpose two letters)
#   accents        per record: accents dropped in every text field (Müller -> Muller or Mueller)
#   upper_all      per record: names, street and city in capitals (KÉVIN MARTIN)
#   upper_last     per record (when not upper_all): last name in capitals
#   nickname       per record whose first name has a short form (Alexandre -> Alex)
#   compound       per record with a compound first or last name: split, cut or glued
#                  (Jean-Pierre -> Jean Pierre / Jean / Jeanpierre, Le Gall -> Legall / Gall)
#   initial        per record: first name reduced to its initial (J.)
#   swap           per record: firstName and lastName exchanged
#   missing        each optional field of a record (firstName, postcode, birthday, street, city):
#                  left out
#   bday_swap      per record with a birthday: day and month exchanged (only when day <= 12 and
#                  day != month, otherwise nothing changes)
#   bday_year      per record with a birthday: year off by one
#   pc_transpose   per record with a postcode: two adjacent different digits exchanged
#   phone_typo     per record with a phone: one digit substituted or two adjacent digits exchanged
#                  (never giving another person's phone)
#   street_num     per record with a street: number changed (+-1..3), "bis" added or dropped,
#                  number left out, or written "12, rue ..."
#   street_abbr    per record with a street: street type abbreviated (rue -> r., avenue -> av.,
#                  boulevard -> bd, ...), and Saint/Général/Maréchal shortened
#   street_typo    per record with a street: one typo in the street name
#   moved          per household: moves once, at a date; every record (known or offline) after
#                  it has the new address (half of the time in the same city)
NOISE = {
    "low": dict(name_typo=0.02, accents=0.10, upper_all=0.03, upper_last=0.20, nickname=0.03,
                compound=0.25, initial=0.01, swap=0.005, missing=0.03, bday_swap=0.01,
                bday_year=0.01, pc_transpose=0.005, phone_typo=0.15, street_num=0.02,
                street_abbr=0.15, street_typo=0.03, moved=0.03),
    "medium": dict(name_typo=0.06, accents=0.25, upper_all=0.05, upper_last=0.30, nickname=0.06,
                   compound=0.50, initial=0.04, swap=0.02, missing=0.08, bday_swap=0.03,
                   bday_year=0.02, pc_transpose=0.02, phone_typo=0.30, street_num=0.05,
                   street_abbr=0.30, street_typo=0.08, moved=0.08),
    "high": dict(name_typo=0.12, accents=0.40, upper_all=0.10, upper_last=0.40, nickname=0.12,
                 compound=0.75, initial=0.08, swap=0.04, missing=0.15, bday_swap=0.06,
                 bday_year=0.04, pc_transpose=0.04, phone_typo=0.50, street_num=0.10,
                 street_abbr=0.45, street_typo=0.15, moved=0.15),
}

NICKNAMES = {
    "Alexandre": ("Alex",), "Christophe": ("Chris",), "Nicolas": ("Nico",), "Sébastien": ("Seb", "Séb"),
    "Frédéric": ("Fred",), "Thomas": ("Tom",), "Maxime": ("Max",), "Philippe": ("Phil",),
    "Benoît": ("Ben",), "Stéphane": ("Steph", "Stef"), "Gabriel": ("Gaby",), "Patrick": ("Pat",),
    "Daniel": ("Dany",), "Jacques": ("Jacky",), "Clément": ("Clem",), "Mohamed": ("Mohammed", "Med"),
    "Guillaume": ("Guigui",), "Mathieu": ("Matthieu",), "Jean-Pierre": ("JP",), "Kévin": ("Kev",),
    "Catherine": ("Cathy",), "Isabelle": ("Isa",), "Nathalie": ("Nath",), "Valérie": ("Val",),
    "Sandrine": ("Sandy",), "Stéphanie": ("Steph",), "Charlotte": ("Charlie",), "Margaux": ("Margot",),
    "Clémence": ("Clem",), "Béatrice": ("Béa",), "Élodie": ("Elo",), "Laetitia": ("Laëtitia", "Letizia"),
    "Yasmine": ("Yasmina",), "Fatima": ("Fatma",), "Anne-Sophie": ("Anne-So",), "Marie-Claire": ("Marie",),
    "Christine": ("Kristine",), "Aurélie": ("Aurel",), "Émilie": ("Emily",), "Amandine": ("Mandy",),
    "Benjamin": ("Ben",), "Emmanuel": ("Manu",), "Emmanuelle": ("Manue",), "Raphaël": ("Raph",),
    "Jonathan": ("Jon",), "Grégory": ("Greg",), "Jérémy": ("Jérémie",), "Mickaël": ("Michaël", "Mika"),
    "Florian": ("Flo",), "Florence": ("Flo",), "Dominique": ("Dom",), "Caroline": ("Caro",),
    "Alexis": ("Alex",), "Anthony": ("Antony", "Tony"), "Mélanie": ("Mel",), "Mélissa": ("Mel",),
    "Jacqueline": ("Jacky",), "Valentin": ("Val",), "Timothée": ("Tim",), "Killian": ("Kilian", "Kylian"),
    "Yacine": ("Yassine",), "Youssef": ("Youcef",),
}
STREET_TYPES = (("rue ", ("r. ", "r ")), ("avenue ", ("av. ", "ave ", "av ")),
                ("boulevard ", ("bd ", "bld ", "boul. ")), ("place ", ("pl. ",)), ("chemin ", ("ch. ", "chem. ")),
                ("impasse ", ("imp. ",)), ("allée ", ("all. ",)), ("quai ", ("q. ",)), ("cours ", ("crs ",)),
                ("chaussée ", ("chée ",)))
WORD_ABBR = (("Saint-", "St-"), ("Général ", "Gal "), ("Maréchal ", "Mal "))
AZERTY = ("azertyuiop", "qsdfghjklm", "wxcvbn")

STREETS = {"FR": gen.STREETS_FR, "BE": gen.STREETS_BE, "CH": gen.STREETS_CH}
CITIES = {"FR": gen.CITIES_FR, "BE": gen.CITIES_BE, "CH": gen.CITIES_CH}
DUMPS = gen.NATIVE_DUMPS

# =============================================================================================
# Text noise
# =============================================================================================


def _neighbours() -> dict[str, str]:
    out: dict[str, str] = {}
    for row_i, row in enumerate(AZERTY):
        for i, ch in enumerate(row):
            near = []
            if i > 0:
                near.append(row[i - 1])
            if i + 1 < len(row):
                near.append(row[i + 1])
            for other in (row_i - 1, row_i + 1):
                if 0 <= other < len(AZERTY) and i < len(AZERTY[other]):
                    near.append(AZERTY[other][i])
            out[ch] = "".join(near)
    return out


NEIGHBOURS = _neighbours()


def _case_like(ch: str, like: str) -> str:
    return ch.upper() if like.isupper() else ch


def typo(r: random.Random, s: str) -> str:
    """One keying error in s: insert, delete, substitute or transpose a letter (never the first)."""
    pos = [i for i in range(1, len(s)) if s[i].isalpha()]
    if len(pos) < 2:
        return s
    op = r.randrange(4)
    i = r.choice(pos)
    base = unicodedata.normalize("NFKD", s[i].lower())[0]
    near = NEIGHBOURS.get(base, "")
    if op == 0:                                   # insert: a doubled letter or a neighbour key
        ch = s[i] if (r.random() < 0.5 or not near) else _case_like(r.choice(near), s[i])
        return s[:i] + ch + s[i:]
    if op == 1 and len(s) > 3:                    # delete
        return s[:i] + s[i + 1:]
    if op == 2 and near:                          # substitute with a neighbour key
        return s[:i] + _case_like(r.choice(near), s[i]) + s[i + 1:]
    swaps = [j for j in pos if j + 1 < len(s) and s[j + 1].isalpha() and s[j].lower() != s[j + 1].lower()]
    if swaps:                                     # transpose two adjacent letters
        j = r.choice(swaps)
        return s[:j] + s[j + 1] + s[j] + s[j + 2:]
    return s[:i] + s[i] + s[i:]


def strip_accents(s: str, umlaut_ue: bool) -> str:
    if umlaut_ue:
        s = s.replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("Ü", "Ue")
    d = unicodedata.normalize("NFKD", s)
    return unicodedata.normalize("NFC", "".join(c for c in d if not unicodedata.combining(c)))


def is_compound(name: str) -> bool:
    return "-" in name or " " in name or "'" in name


def split_compound(r: random.Random, name: str) -> str:
    parts = [p for p in re.split(r"[- ']", name) if p]
    x = r.random()
    if x < 0.35:
        sep = " " if "-" in name or "'" in name else "-"
        return sep.join(parts)                    # Jean Pierre, Le-Gall, D Almeida
    if x < 0.70:
        glued = "".join(parts)                    # Jeanpierre, Legall, Dalmeida
        return glued[0] + glued[1:].lower()
    # one part only: the first of a first name, the last of a surname particle (Gall, Almeida)
    if len(parts[0]) <= 3:
        return parts[-1]
    return parts[0]


def initial(name: str) -> str:
    return name[0].upper() + "."


# =============================================================================================
# Other fields
# =============================================================================================


def transpose_digits(r: random.Random, s: str) -> str:
    idx = [i for i, c in enumerate(s) if c.isdigit()]
    pairs = [(a, b) for a, b in zip(idx, idx[1:]) if s[a] != s[b]]
    if not pairs:
        return s
    a, b = r.choice(pairs)
    chars = list(s)
    chars[a], chars[b] = chars[b], chars[a]
    return "".join(chars)


def e164(written: str) -> str:
    """The E.164 form unify would give a written phone, with France as default country."""
    plus = written.strip().startswith("+")
    digits = "".join(c for c in written if c.isdigit())
    if plus:
        return "+" + digits
    if digits.startswith("0"):
        return "+33" + digits[1:]
    return "+33" + digits


def phone_written(r: random.Random, p) -> str:
    """The phone as an agent or a customer writes it: national or spaced forms, rarely E.164."""
    if p.country == "FR":
        nat = "0" + p.phone[3:]
        x = r.random()
        if x < 0.45:
            return " ".join(nat[i:i + 2] for i in range(0, 10, 2))
        if x < 0.70:
            return nat
        if x < 0.80:
            return ".".join(nat[i:i + 2] for i in range(0, 10, 2))
        if x < 0.90:
            return "+33 " + nat[1] + " " + " ".join(nat[i:i + 2] for i in range(2, 10, 2))
        return p.phone
    x = r.random()
    if x < 0.70:
        return p.phone_nat                        # +32 470 12 34 56, +41 79 123 45 67
    if x < 0.85:
        return p.phone
    # national form of a Belgian or Swiss number: read as French by a default-FR normaliser
    return "0" + p.phone_nat.split(" ", 1)[1]


def phone_typo(r: random.Random, written: str, taken: set, typos: dict, pid: str) -> str | None:
    """A one-digit error in the subscriber digits that is nobody's phone and no other person's
    mistyped phone (typos: E.164 -> person), or None."""
    skip = 3 if written.startswith("+") else 1            # country code or trunk zero
    for _ in range(20):
        idx = [i for i, c in enumerate(written) if c.isdigit()][skip:]
        chars = list(written)
        if r.random() < 0.5:
            i = r.choice(idx)
            chars[i] = r.choice([d for d in "0123456789" if d != written[i]])
        else:
            pairs = [(a, b) for a, b in zip(idx, idx[1:]) if written[a] != written[b]]
            if not pairs:
                continue
            a, b = r.choice(pairs)
            chars[a], chars[b] = chars[b], chars[a]
        out = "".join(chars)
        norm = e164(out)
        if norm not in taken and typos.setdefault(norm, pid) == pid:
            return out
    return None


STREET_RE = re.compile(r"^(\d+)( bis)? (.*)$")


def noisy_street(r: random.Random, N: dict, street: str, tags: list) -> str:
    m = STREET_RE.match(street)
    num, bis, rest = (m.group(1), m.group(2) or "", m.group(3)) if m else ("", "", street)
    numpart = num + bis
    if num and r.random() < N["street_num"]:
        x = r.random()
        if x < 0.40:
            numpart = str(max(1, int(num) + r.choice((-3, -2, -1, 1, 2, 3)))) + bis
        elif x < 0.70:
            numpart = num if bis else num + r.choice((" bis", "bis", " B"))
        elif x < 0.85:
            numpart = ""
        else:
            numpart = numpart + ","
        tags.append("street_number")
    if r.random() < N["street_abbr"]:
        for full, shorts in STREET_TYPES:
            if rest.startswith(full):
                rest = r.choice(shorts) + rest[len(full):]
                break
        for full, short in WORD_ABBR:
            if full in rest:
                rest = rest.replace(full, short)
        tags.append("street_abbreviated")
    if r.random() < N["street_typo"]:
        # the typo goes into the name, after the street type
        head, _, name = rest.partition(" ")
        if name:
            rest = head + " " + typo(r, name)
        else:
            rest = typo(r, rest)
        tags.append("street_typo")
    return (numpart + " " + rest) if numpart else rest


def new_address(r: random.Random, old: dict) -> dict:
    country = old["country"]
    cities = CITIES[country]
    same = None
    if r.random() < MOVE_SAME_CITY:
        same = next((c for c in cities if c[0] == old["city"]), None)
    city, pcs, _, _ = same or r.choices(cities, [c[2] for c in cities])[0]
    while True:
        num = str(r.randint(1, 180)) if r.random() < 0.9 else str(r.randint(1, 60)) + " bis"
        street = num + " " + r.choice(STREETS[country])
        if street != old["street"]:
            break
    return {"street": street, "city": city, "postalCode": r.choice(pcs), "country": country}


# =============================================================================================
# People and records
# =============================================================================================


class Who:
    """One emitted person: a Population person, whether known, and their offline record count."""
    __slots__ = ("p", "known", "n_offline", "phone_on_file")

    def __init__(self, p, known):
        self.p, self.known, self.n_offline, self.phone_on_file = p, known, 0, False


def pick(r: random.Random, table):
    return r.choices([k for k, _ in table], [w for _, w in table])[0]


class Generator:
    def __init__(self, a):
        self.a = a
        self.N = NOISE[a.noise]
        master = random.Random(a.seed)
        self.pop = gen.Population(master.getrandbits(64))
        # One stream per stage, each seeded from the master stream. The people, who is known,
        # how many records each has, the known records and the offline records' ids, times,
        # kinds and fields are then the same at every noise level; only the noise differs.
        self.r_people = random.Random(master.getrandbits(64))
        self.r_moves = random.Random(master.getrandbits(64))
        self.r_known = random.Random(master.getrandbits(64))
        self.r_offline = random.Random(master.getrandbits(64))
        self.ids: set[str] = set()
        self.typos: dict[str, str] = {}       # mistyped phones (E.164) -> person
        self.stats: dict[str, int] = {}

    def count(self, key: str, n: int = 1):
        self.stats[key] = self.stats.get(key, 0) + n

    def new_id(self, r: random.Random, prefix: str) -> str:
        while True:
            i = prefix + "-" + gen.hexid(r, 12)
            if i not in self.ids:
                self.ids.add(i)
                return i

    @staticmethod
    def timestamp(r: random.Random) -> int:
        return r.randint(START, END) * 1_000_000

    # ---- population ---------------------------------------------------------------------
    def people(self) -> tuple[list[Who], dict]:
        a, r = self.a, self.r_people
        unknown_records = round(a.offline * a.unknown_share)
        mean_off = sum(k * w for k, w in OFFLINE_RECORDS)
        unknown_expected = unknown_records / mean_off
        q = a.known / (a.known + unknown_expected) if a.known + unknown_expected else 1.0
        whos: list[Who] = []
        households: dict[int, list[Who]] = {}
        n_known = n_unknown_records = 0
        while n_known < a.known or n_unknown_records < unknown_records:
            for p in self.pop.household():
                need_k = n_known < a.known
                need_u = n_unknown_records < unknown_records
                if not (need_k or need_u):
                    break
                known = need_k and (not need_u or r.random() < q)
                w = Who(p, known)
                if known:
                    n_known += 1
                    w.phone_on_file = r.random() < KNOWN_PHONE_ON_FILE
                else:
                    w.n_offline = min(pick(r, OFFLINE_RECORDS), unknown_records - n_unknown_records)
                    n_unknown_records += w.n_offline
                whos.append(w)
                households.setdefault(p.household, []).append(w)
        # offline records of known customers: one to four for some of them, in a random order
        known_whos = [w for w in whos if w.known]
        left = a.offline - unknown_records
        order = known_whos[:]
        r.shuffle(order)
        i = 0
        while left > 0 and order:
            w = order[i % len(order)]
            n = min(pick(r, OFFLINE_RECORDS), left)
            w.n_offline += n
            left -= n
            i += 1
        return whos, households

    def moves(self, households: dict) -> dict:
        r, N = self.r_moves, self.N
        out = {}
        for hh in sorted(households):
            # drawn for every household, so that a higher level moves a superset of households
            u = r.random()
            at = r.randint(START + 180 * 86400, END - 180 * 86400) * 1_000_000
            addr = new_address(r, households[hh][0].p.address)
            if u < N["moved"]:
                out[hh] = (at, addr)
        return out

    def address_at(self, p, us: int) -> dict:
        mv = self.moved.get(p.household)
        if mv and us >= mv[0]:
            return mv[1]
        return p.address

    # ---- known records ------------------------------------------------------------------
    def known_records(self, w: Who) -> list:
        r, p, pop = self.r_known, w.p, self.pop
        n = pick(r, KNOWN_RECORDS)
        out = []
        for kind in r.sample(("web", "crm", "loyalty"), n):
            us = self.timestamp(r)
            addr = self.address_at(p, us)
            traits = {"firstName": p.first, "lastName": p.last, "birthday": p.birthday,
                      "address": {"street": addr["street"], "city": addr["city"],
                                  "postalCode": addr["postalCode"], "country": addr["country"]}}
            if w.phone_on_file:
                traits["phone"] = p.phone
            if kind == "web":
                if not p.user_id:
                    p.user_id = pop._user_id(r, False)
                obj = {"id": self.new_id(r, "web"), "event": "Account Created", "timestamp": gen.iso(us, 0),
                       "channel": "web", "source": "website",
                       "identifiers": {"email": p.email, "user_id": p.user_id}, "traits": traits,
                       "properties": {"signup_method": r.choice(("email", "email", "google", "apple"))}}
            elif kind == "crm":
                if not p.crm_id:
                    p.crm_id = pop._crm(r)
                obj = {"id": self.new_id(r, "crm"), "event": "Customer Updated", "timestamp": gen.iso(us, 0),
                       "channel": "other", "source": "crm",
                       "identifiers": {"email": p.email, "crm_id": p.crm_id}, "traits": traits,
                       "properties": {"segment": r.choice(("standard", "standard", "premium"))}}
            else:
                if not p.loyalty_id:
                    p.loyalty_id = pop._loyalty(r)
                obj = {"id": self.new_id(r, "loy"), "event": "Loyalty Card Issued", "timestamp": gen.iso(us, 0),
                       "channel": "store", "source": "pos",
                       "identifiers": {"email": p.email, "loyalty_id": p.loyalty_id}, "traits": traits,
                       "properties": {"store_id": p.store_code, "card_tier": "classic"}}
            self.count("known:" + kind)
            out.append((us, obj["id"], DUMPS(obj), p.pid, "known", ""))
        return out

    # ---- offline records ----------------------------------------------------------------
    def offline_record(self, w: Who):
        N, p = self.N, w.p
        # structure (the same at every noise level): id, time, kind, fields, phone as written
        rs = random.Random(self.r_offline.getrandbits(64))
        r = random.Random(self.r_offline.getrandbits(64))          # noise
        with_phone = rs.random() < self.a.phone_share
        kind = pick(rs, KINDS_WITH_PHONE if with_phone else KINDS_WITHOUT_PHONE)
        us = self.timestamp(rs)
        has_pc = has_bday = has_street = has_city = has_country = False
        if kind == "receipt":
            has_pc = True
        elif kind == "form":
            has_street = has_city = has_pc = True
            has_bday = rs.random() < FORM_BIRTHDAY
            has_country = rs.random() < FORM_COUNTRY
        else:
            has_pc = rs.random() < CALL_POSTCODE[0 if with_phone else 1]
            has_bday = rs.random() < CALL_BIRTHDAY[0 if with_phone else 1]
        phone = phone_written(rs, p) if with_phone else None
        if kind == "receipt":
            code = p.store_code if rs.random() < 0.85 else rs.choice(gen.STORE_CODES)
            day = time.strftime("%y%m%d", time.gmtime(us // 1_000_000))
            head = {"id": self.new_id(rs, "pos"), "event": "Order Completed", "channel": "store", "source": "pos"}
            props = {"order_id": "%s-%s-%04d" % (code, day, rs.randint(1, 9999)),
                     "total": round(rs.uniform(9.9, 240.0), 2), "currency": "EUR", "store_id": code}
        elif kind == "form":
            head = {"id": self.new_id(rs, "mail"), "event": rs.choice(("Catalog Requested", "Mail Order Placed")),
                    "channel": "postal", "source": "mail_order"}
            props = {"form": rs.choice(("coupon-magazine", "courrier", "coupon-catalogue"))}
        else:
            head = {"id": self.new_id(rs, "cc"), "event": "Support Call", "channel": "call_center", "source": "crm"}
            props = {"ticket_id": "TCK-%06d" % rs.randint(1, 999999), "reason": rs.choice(gen.CALL_REASONS)}

        tags: list[str] = []
        addr = self.address_at(p, us)
        if p.household in self.moved:
            tags.append("moved:new_address" if addr is not p.address else "moved:old_address")

        # names
        first, last = p.first, p.last
        if first in NICKNAMES and r.random() < N["nickname"]:
            first = r.choice(NICKNAMES[first])
            tags.append("nickname")
        if (is_compound(first) or is_compound(last)) and r.random() < N["compound"]:
            if is_compound(first) and (not is_compound(last) or r.random() < 0.5):
                first = split_compound(r, first)
            else:
                last = split_compound(r, last)
            tags.append("compound")
        if r.random() < N["initial"]:
            first = initial(first)
            tags.append("initial")
        if r.random() < N["name_typo"]:
            t = typo(r, first)
            if t != first:
                first = t
                tags.append("first_typo")
        if r.random() < N["name_typo"]:
            t = typo(r, last)
            if t != last:
                last = t
                tags.append("last_typo")
        if r.random() < N["swap"]:
            first, last = last, first
            tags.append("swapped")

        # fields left out
        miss = N["missing"]
        has_first = True
        if r.random() < miss:
            has_first = False
            tags.append("missing_firstName")
        if has_pc and r.random() < miss:
            has_pc = False
            tags.append("missing_postalCode")
        if has_bday and r.random() < miss:
            has_bday = False
            tags.append("missing_birthday")
        if has_street and r.random() < miss:
            has_street = False
            tags.append("missing_street")
        if has_city and r.random() < miss:
            has_city = False
            tags.append("missing_city")

        # address, birthday, phone
        street, city, pc = addr["street"], addr["city"], addr["postalCode"]
        if has_street:
            street = noisy_street(r, N, street, tags)
        if has_pc and r.random() < N["pc_transpose"]:
            t = transpose_digits(r, pc)
            if t != pc:
                pc = t
                tags.append("postcode_transposed")
        if has_city and r.random() < N["street_abbr"] and "Saint-" in city:
            city = city.replace("Saint-", "St-")
            tags.append("city_abbreviated")
        bday = p.birthday
        if has_bday:
            y, m, d = (int(x) for x in bday.split("-"))
            if r.random() < N["bday_swap"] and d <= 12 and d != m:
                m, d = d, m
                tags.append("birthday_day_month")
            if r.random() < N["bday_year"]:
                y += r.choice((-1, 1))
                tags.append("birthday_year")
            bday = "%04d-%02d-%02d" % (y, m, d)
        if phone:
            tags.append("has_phone")
            if r.random() < N["phone_typo"]:
                t = phone_typo(r, phone, self.pop.phones, self.typos, p.pid)
                if t is not None:
                    phone = t
                    tags.append("phone_typo")

        # accents and capitals over every text field
        if r.random() < N["accents"]:
            ue = r.random() < 0.5
            first, last = strip_accents(first, ue), strip_accents(last, ue)
            street, city = strip_accents(street, ue), strip_accents(city, ue)
            tags.append("accents")
        x = r.random()
        if x < N["upper_all"]:
            first, last, street, city = first.upper(), last.upper(), street.upper(), city.upper()
            tags.append("upper_all")
        elif x < N["upper_all"] + N["upper_last"]:
            last = last.upper()
            tags.append("upper_last")

        traits: dict = {}
        if has_first:
            traits["firstName"] = first
        traits["lastName"] = last
        if has_bday:
            traits["birthday"] = bday
        if kind == "form":
            address = {}
            if has_street:
                address["street"] = street
            if has_city:
                address["city"] = city
            if has_pc:
                address["postalCode"] = pc
            if has_country:
                address["country"] = addr["country"]
            if address:
                traits["address"] = address
        elif has_pc:
            traits["postalCode"] = pc
        if phone:
            traits["phone"] = phone

        obj = {"id": head["id"], "event": head["event"], "timestamp": gen.iso(us, 0), "channel": head["channel"],
               "source": head["source"], "identifiers": {}, "traits": traits, "properties": props}
        self.count("offline:" + kind)
        self.count("offline:" + ("known" if w.known else "unknown"))
        for t in tags:
            self.count("noise:" + t)
        return (us, obj["id"], DUMPS(obj), p.pid, kind, ";".join(tags))

    # ---- driver -------------------------------------------------------------------------
    def run(self):
        whos, households = self.people()
        self.moved = self.moves(households)
        known, offline = [], []
        for w in whos:
            if w.known:
                known.extend(self.known_records(w))
            for _ in range(w.n_offline):
                offline.append(self.offline_record(w))
        known.sort(key=lambda x: (x[0], x[1]))
        offline.sort(key=lambda x: (x[0], x[1]))
        self.describe(whos, households)
        return known, offline

    def describe(self, whos, households):
        s = self.stats
        s["people"] = len(whos)
        s["people:known"] = sum(1 for w in whos if w.known)
        s["people:unknown"] = s["people"] - s["people:known"]
        s["people:known_with_offline"] = sum(1 for w in whos if w.known and w.n_offline)
        s["households"] = len(households)
        s["households:moved"] = len(self.moved)
        twins = twins_off = same_surname = mixed = relative_off = 0
        for members in households.values():
            bd = {}
            for w in members:
                bd.setdefault((w.p.last, w.p.birthday), []).append(w)
            for v in bd.values():
                for i in range(len(v)):
                    for j in range(i + 1, len(v)):
                        twins += 1
                        twins_off += bool(v[i].n_offline or v[j].n_offline)
            sur = {}
            for w in members:
                sur.setdefault(w.p.last, []).append(w)
            same_surname += sum(1 for v in sur.values() if len(v) > 1)
            for v in sur.values():
                if any(w.known for w in v):
                    relative_off += sum(w.n_offline for w in v if not w.known)
            if any(w.known for w in members) and any(not w.known for w in members):
                mixed += 1
        s["twin_pairs"] = twins
        s["twin_pairs:with_offline"] = twins_off
        s["offline:unknown_with_known_relative"] = relative_off
        s["households:sharing_surname"] = same_surname
        s["households:known_and_unknown"] = mixed
        keys = {}
        for w in whos:
            keys.setdefault((w.p.first, w.p.last, w.p.postcode), set()).add(w.p.pid)
        s["people_sharing_first_last_postcode"] = sum(len(v) for v in keys.values() if len(v) > 1)
        s["people:surname_Martin"] = sum(1 for w in whos if w.p.last == "Martin")


def write(path: str, rows) -> int:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for row in rows:
            f.write(row[2])
            f.write("\n")
        return f.tell()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    ap.add_argument("--known", type=int, default=DEFAULT_KNOWN, help="known customers (default %(default)s)")
    ap.add_argument("--offline", type=int, default=DEFAULT_OFFLINE, help="offline records (default %(default)s)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--noise", choices=sorted(NOISE), default="medium")
    ap.add_argument("--unknown-share", type=float, default=DEFAULT_UNKNOWN_SHARE,
                    help="share of offline records of people not in known.ndjson (default %(default)s)")
    ap.add_argument("--phone-share", type=float, default=DEFAULT_PHONE_SHARE,
                    help="share of offline records with a phone trait (default %(default)s)")
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--explain", action="store_true", help="also write DIR/noise.csv")
    a = ap.parse_args(argv)
    if a.known < 0 or a.offline < 0:
        ap.error("--known and --offline must be at least 0")
    for name in ("unknown_share", "phone_share"):
        if not 0.0 <= getattr(a, name) <= 1.0:
            ap.error("--%s must be between 0 and 1" % name.replace("_", "-"))
    if a.known == 0 and round(a.offline * a.unknown_share) < a.offline:
        ap.error("with --known 0 every offline record is of an unknown person: use --unknown-share 1")

    t0 = time.monotonic()
    # more names, and more draws of Martin & co.: Population.household() reads these at call time
    original = gen.LAST_FR, gen.FIRST_F, gen.FIRST_M
    gen.LAST_FR = original[0] + EXTRA_SURNAMES + tuple(n for n, k in COMMON_SURNAME_EXTRA for _ in range(k))
    gen.FIRST_F, gen.FIRST_M = original[1] + EXTRA_FIRST_F, original[2] + EXTRA_FIRST_M
    try:
        g = Generator(a)
        known, offline = g.run()
    finally:
        gen.LAST_FR, gen.FIRST_F, gen.FIRST_M = original
    os.makedirs(a.out, exist_ok=True)
    size_k = write(os.path.join(a.out, "known.ndjson"), known)
    size_o = write(os.path.join(a.out, "offline.ndjson"), offline)
    with open(os.path.join(a.out, "truth.csv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("event_id,person\n")
        for row in known:
            f.write("%s,%s\n" % (row[1], row[3]))
        for row in offline:
            f.write("%s,%s\n" % (row[1], row[3]))
    if a.explain:
        with open(os.path.join(a.out, "noise.csv"), "w", encoding="utf-8", newline="\n") as f:
            f.write("event_id,person,kind,noise\n")
            for row in offline:
                f.write("%s,%s,%s,%s\n" % (row[1], row[3], row[4], row[5]))
    took = time.monotonic() - t0
    print("matching benchmark: seed %d, noise %s, %.1fs" % (a.seed, a.noise, took), file=sys.stderr)
    print("  %-16s %8d lines %12d bytes" % ("known.ndjson", len(known), size_k), file=sys.stderr)
    print("  %-16s %8d lines %12d bytes" % ("offline.ndjson", len(offline), size_o), file=sys.stderr)
    for k in sorted(g.stats):
        print("  %-40s %8d" % (k, g.stats[k]), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
