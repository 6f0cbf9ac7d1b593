#!/usr/bin/env python3
"""Seeded, realistic customer-interaction data generator for unify.

Data-set mode (a fixed number of people):

    python3 Benchmarks/generator/generate.py --people 300 --seed 42 --out Fixtures/retail --split

  writes one NDJSON file per channel with --split (web, app, email, sms, pos, callcenter,
  postal .ndjson), or a single DIR/events.ndjson without it, plus DIR/truth.csv.

Benchmark mode (a fixed number of lines):

    python3 Benchmarks/generator/generate.py --lines 1000000 --seed 1 --out /tmp/bench-1m.ndjson

  writes exactly L lines, every channel mixed in one file in time order, plus
  /tmp/bench-1m.truth.csv. People are added until L lines are reached (about L/10 people).

Truth files have the header `file,line,person`: line is 1-based in that file, person is the
synthetic person (p00001, ...) who really produced the line.

Deterministic: one random.Random(seed) drives everything (each household and each journey
gets its own Random seeded from it), iteration is always in a fixed order, and no wall clock
is read for the data. Streaming: each person's journey is rendered and handed to a sink that
spills sorted runs to temporary files and merges them, so memory stays bounded whatever L is.

Standard library only (Python 3.11).
"""
from __future__ import annotations

import argparse
import calendar
import heapq
import json
import os
import random
import shutil
import sys
import tempfile
import time
import unicodedata

# =============================================================================================
# Tunables (shares are probabilities unless said otherwise)
# =============================================================================================

START = calendar.timegm((2024, 1, 1, 0, 0, 0))            # first possible event (UTC)
END = calendar.timegm((2026, 10, 31, 22, 59, 59))          # last possible event (UTC)
DEFAULT_MEAN_EVENTS = 12.0     # --events-per-person-mean default in --people mode
BENCH_MEAN_EVENTS = 10.0       # ... and in --lines mode

HOUSEHOLD_SIZES = ((1, 0.55), (2, 0.32), (3, 0.09), (4, 0.04))
COUNTRIES = (("FR", 0.85), ("BE", 0.09), ("CH", 0.06))
TWINS_RATE = 0.35              # households of 3-4: the two grown-up children are twins
ADULT_TWINS_RATE = 0.05        # households of 2: twin siblings instead of a couple
COUPLE_OTHER_SURNAME = 0.20    # couples who do not share a surname
OFFLINE_ONLY_SHARE = 0.33      # people who never use the website or the app
STAGES = ("awareness", "consideration", "decision", "customer", "loyal", "advocate")
STAGE_WEIGHTS = (0.20, 0.17, 0.10, 0.29, 0.18, 0.06)
DORMANT_SHARE = 0.18           # one long silence (6-14 months) somewhere in the journey

# channel use, for people who are online (web and/or app)
ONLINE_ACCOUNT_RATE = 0.70     # reach consideration and create a web account (user id)
ONLINE_APP_RATE = 0.30         # of account holders: also use the mobile app
ONLINE_STORE_RATE = 0.55
ONLINE_SMS_RATE = 0.35
ONLINE_CALL_RATE = 0.10
ONLINE_POSTAL_RATE = 0.04
NEWSLETTER_RATE = 0.55
BROCHURE_RATE = 0.25
# channel use, for offline-only people
OFFLINE_STORE_RATE = 0.85
OFFLINE_CALL_RATE = 0.30
OFFLINE_POSTAL_RATE = 0.40
LOYALTY_RATE = 0.65            # store shoppers holding a loyalty card
LOYALTY_EMAIL_OPTIN = 0.55     # loyalty sign-up gives an email and accepts newsletters
LOYALTY_SMS_OPTIN = 0.55       # loyalty sign-up accepts SMS
EMAIL_UNSUB_RATE = 0.08
SMS_OPTOUT_RATE = 0.10

# hubs and junk values (small shares on purpose)
TILL_DEFAULT_EMAILS = ("noemail@shop.fr", "magasin@shop.fr")
TILL_DEFAULT_EMAIL_RATE = 0.07     # of store receipts: the cashier typed the till default
PLACEHOLDER_PHONE = "0000000000"
PLACEHOLDER_PHONE_RATE = 0.12      # of call-centre lines
SHARED_TABLET_RATE = 0.30          # of households of 2+: one tablet, two app accounts
TABLET_USE_RATE = 0.45             # of those two people's app sessions: on the tablet

# dialect quirks
NUMERIC_USER_ID_RATE = 0.06        # legacy accounts with a numeric user id
NUMERIC_USER_ID_AS_NUMBER = 0.5    # ... written as a JSON number on web/app lines
SERVER_SIDE_ORDER_RATE = 0.15      # web orders sent server-side: "anonymousId": null
SEGMENT_EXTERNAL_IDS_RATE = 0.40   # identify calls of loyalty/CRM members with context.externalIds
RUDDERSTACK_RATE = 0.15            # identify calls sent by a RudderStack SDK (context.externalId)
STORE_EMAIL_MESSY_RATE = 0.50      # emails typed at the till with capitals / stray spaces
STORE_EMAIL_TYPO_RATE = 0.03       # ... with a domain typo (only on receipts with a card)
KIOSK_RATE = 0.06                  # loyalty members: a kiosk scan before a store purchase
APP_LOCAL_OFFSET_RATE = 0.35       # app lines timestamped with +01:00/+02:00 and microseconds
EMAIL_CONTEXT_CHANNEL_RATE = 0.40  # legacy email lines carrying context.channel "email"
SMS_NATIONAL_PHONE_RATE = 0.30     # SMS gateway lines with "06 12 34 56 78" instead of E.164

SHOP = "Maison Lumière"
SITE = "https://www.maisonlumiere.fr"
SORT_BUFFER_LINES = 150_000        # lines buffered in memory (all sinks together) before spilling

# =============================================================================================
# Reference data
# =============================================================================================

FIRST_F = ("Marie", "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Sarah", "Julie", "Laura",
           "Pauline", "Claire", "Sophie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Valérie",
           "Christine", "Sandrine", "Céline", "Aurélie", "Émilie", "Élodie", "Mathilde", "Juliette",
           "Louise", "Alice", "Zoé", "Anaïs", "Margaux", "Océane", "Charlotte", "Lucie", "Hélène",
           "Brigitte", "Monique", "Françoise", "Martine", "Nicole", "Agnès", "Béatrice", "Anne",
           "Jeanne", "Amandine", "Justine", "Clémence", "Noémie", "Morgane", "Laetitia", "Yasmine",
           "Fatima", "Nadia", "Leïla", "Marie-Claire", "Anne-Sophie")
FIRST_M = ("Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas", "Christophe", "Laurent",
           "Stéphane", "Frédéric", "Sébastien", "Julien", "David", "Thomas", "Antoine", "Maxime",
           "Alexandre", "Hugo", "Lucas", "Louis", "Gabriel", "Arthur", "Jules", "Nathan", "Théo",
           "Mathieu", "Guillaume", "Romain", "Olivier", "Éric", "Patrick", "Thierry", "Bernard",
           "Jacques", "Daniel", "François", "Vincent", "Benoît", "Cédric", "Jérôme", "Kévin",
           "Yannick", "Baptiste", "Quentin", "Clément", "Adrien", "Karim", "Mohamed", "Mehdi",
           "Jean-Pierre", "Jean-Luc", "Pierre-Yves")
LAST_FR = ("Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
           "Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
           "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
           "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
           "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
           "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand",
           "Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
           "Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard",
           "Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux",
           "Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud",
           "Dumas", "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey",
           "Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean",
           "Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin",
           "Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein",
           "Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles",
           "Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé",
           "Schneider", "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost",
           "Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain", "Breton", "Besson",
           "Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré",
           "Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier",
           "Michaud", "Rodriguez", "Guichard", "Gillet", "Étienne", "Grondin", "Poulain", "Tessier",
           "Chauvin", "Da Silva", "Bouchet", "Gay", "Lemaître", "Bénard", "Humbert", "Reynaud",
           "Antoine", "Hoarau", "Perret", "Barthélemy", "Cordier", "Pichon", "Lejeune", "Gilbert",
           "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte", "D'Almeida", "N'Diaye", "Ben Ali")
LAST_BE = ("Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens",
           "Wouters", "De Smet", "Dubois", "Lambert", "Dupont", "Leclercq", "Renard", "Lejeune")
LAST_CH = ("Müller", "Meier", "Schmid", "Keller", "Weber", "Favre", "Rochat", "Bonvin", "Gerber",
           "Huber", "Chappuis", "Perrin", "Python", "Bovet", "Rey", "Monnet")

# (city, postcodes, weight, nearest store code)
CITIES_FR = (
    ("Paris", tuple("750%02d" % i for i in range(1, 21)), 12, "PAR01"),
    ("Marseille", tuple("130%02d" % i for i in range(1, 17)), 5, "MAR01"),
    ("Lyon", tuple("6900%d" % i for i in range(1, 10)), 5, "LYO01"),
    ("Toulouse", ("31000", "31100", "31200", "31300", "31400", "31500"), 4, "TLS01"),
    ("Nice", ("06000", "06100", "06200", "06300"), 3, "NIC01"),
    ("Nantes", ("44000", "44100", "44200", "44300"), 3, "NAN01"),
    ("Montpellier", ("34000", "34070", "34080", "34090"), 3, "MTP01"),
    ("Strasbourg", ("67000", "67100", "67200"), 3, "STR01"),
    ("Bordeaux", ("33000", "33100", "33200", "33300", "33800"), 3, "BOR01"),
    ("Lille", ("59000", "59160", "59260", "59800"), 3, "LIL01"),
    ("Rennes", ("35000", "35200", "35700"), 2, "REN01"),
    ("Grenoble", ("38000", "38100"), 2, "GRE01"),
    ("Reims", ("51100",), 1, "PAR01"),
    ("Saint-Étienne", ("42000", "42100"), 1, "LYO01"),
    ("Toulon", ("83000", "83100", "83200"), 1, "MAR01"),
    ("Le Havre", ("76600", "76610", "76620"), 1, "PAR01"),
    ("Dijon", ("21000",), 1, "LYO01"),
    ("Angers", ("49000", "49100"), 1, "NAN01"),
    ("Nîmes", ("30000", "30900"), 1, "MTP01"),
    ("Villeurbanne", ("69100",), 1, "LYO01"),
    ("Clermont-Ferrand", ("63000", "63100"), 1, "LYO01"),
    ("Aix-en-Provence", ("13090", "13100"), 1, "MAR01"),
    ("Brest", ("29200",), 1, "REN01"),
    ("Tours", ("37000", "37100", "37200"), 1, "NAN01"),
    ("Amiens", ("80000", "80080", "80090"), 1, "LIL01"),
    ("Limoges", ("87000", "87100"), 1, "BOR01"),
    ("Annecy", ("74000",), 1, "GRE01"),
    ("Metz", ("57000", "57050"), 1, "STR01"),
    ("Besançon", ("25000",), 1, "STR01"),
    ("Orléans", ("45000", "45100"), 1, "PAR01"),
    ("Rouen", ("76000", "76100"), 1, "PAR01"),
    ("Mulhouse", ("68100", "68200"), 1, "STR01"),
    ("Caen", ("14000",), 1, "REN01"),
    ("Nancy", ("54000", "54100"), 1, "STR01"),
    ("Versailles", ("78000",), 1, "PAR02"),
    ("Boulogne-Billancourt", ("92100",), 1, "PAR02"),
    ("Montreuil", ("93100",), 1, "PAR01"),
    ("Roubaix", ("59100",), 1, "LIL01"),
    ("Avignon", ("84000",), 1, "MAR01"),
    ("Poitiers", ("86000",), 1, "BOR01"),
    ("Pau", ("64000",), 1, "BOR01"),
    ("La Rochelle", ("17000",), 1, "BOR01"),
    ("Bayonne", ("64100",), 1, "BOR01"),
    ("Perpignan", ("66000", "66100"), 1, "MTP01"),
    ("Cannes", ("06400",), 1, "NIC01"),
    ("Colmar", ("68000",), 1, "STR01"),
    ("Vannes", ("56000",), 1, "REN01"),
    ("Chambéry", ("73000",), 1, "GRE01"),
    ("Saint-Malo", ("35400",), 1, "REN01"),
    ("Troyes", ("10000",), 1, "PAR01"),
)
CITIES_BE = (
    ("Bruxelles", ("1000", "1050", "1060", "1180"), 4, "LIL01"),
    ("Liège", ("4000", "4020"), 2, "LIL01"),
    ("Namur", ("5000",), 1, "LIL01"),
    ("Charleroi", ("6000",), 1, "LIL01"),
    ("Mons", ("7000",), 1, "LIL01"),
)
CITIES_CH = (
    ("Genève", ("1201", "1203", "1205", "1207"), 4, "GRE01"),
    ("Lausanne", ("1003", "1004", "1006"), 3, "GRE01"),
    ("Fribourg", ("1700",), 1, "LYO01"),
    ("Neuchâtel", ("2000",), 1, "STR01"),
    ("Sion", ("1950",), 1, "GRE01"),
)
STREETS_FR = ("rue des Lilas", "rue de la République", "avenue Jean Jaurès", "boulevard Victor Hugo",
              "rue Pasteur", "rue Gambetta", "rue Victor Hugo", "place de la Mairie", "rue du Moulin",
              "rue de l'Église", "avenue de la Gare", "rue des Écoles", "impasse des Peupliers",
              "chemin des Vignes", "allée des Tilleuls", "rue Jules Ferry",
              "rue du Général de Gaulle", "avenue Foch", "rue Nationale", "rue de Verdun",
              "quai Saint-Antoine", "rue des Acacias", "rue du Château", "rue des Jardins",
              "cours Lafayette", "rue Voltaire", "rue Émile Zola", "rue de Paris", "rue Saint-Michel",
              "rue des Roses", "boulevard Gambetta", "rue du Stade", "rue de la Fontaine",
              "rue des Prés", "rue Jean Moulin", "rue du Commerce", "rue de Bretagne",
              "avenue du Maréchal Leclerc", "rue Carnot", "rue Anatole France", "rue des Mimosas",
              "rue de la Paix", "avenue des Platanes", "rue du Four", "rue Lamartine")
STREETS_BE = ("rue de la Loi", "avenue Louise", "chaussée de Waterloo", "rue Neuve", "rue Haute",
              "avenue de Tervueren", "rue du Marché", "boulevard d'Avroy", "rue des Wallons")
STREETS_CH = ("rue du Rhône", "avenue de la Gare", "chemin des Crêts", "rue de Lausanne",
              "avenue de France", "rue du Simplon", "chemin de la Forêt", "rue des Alpes")

EMAIL_DOMAINS = {
    "FR": (("gmail.com", 35), ("orange.fr", 12), ("hotmail.fr", 10), ("yahoo.fr", 8),
           ("free.fr", 7), ("outlook.fr", 6), ("laposte.net", 5), ("sfr.fr", 5), ("icloud.com", 5),
           ("wanadoo.fr", 4), ("bbox.fr", 3)),
    "BE": (("gmail.com", 40), ("skynet.be", 15), ("telenet.be", 15), ("hotmail.com", 15),
           ("outlook.be", 10), ("icloud.com", 5)),
    "CH": (("gmail.com", 40), ("bluewin.ch", 25), ("hotmail.ch", 10), ("gmx.ch", 10),
           ("sunrise.ch", 10), ("icloud.com", 5)),
}
DOMAIN_TYPOS = {"gmail.com": "gmial.com", "hotmail.fr": "hotmial.fr", "orange.fr": "ornage.fr",
                "yahoo.fr": "yaho.fr", "wanadoo.fr": "wanado.fr", "free.fr": "fre.fr"}

# (code, name)
STORES = {"PAR01": "Paris Rivoli", "PAR02": "Paris La Défense", "LYO01": "Lyon Part-Dieu",
          "MAR01": "Marseille Terrasses du Port", "TLS01": "Toulouse Wilson",
          "NIC01": "Nice Masséna", "NAN01": "Nantes Atlantis", "MTP01": "Montpellier Polygone",
          "STR01": "Strasbourg Kléber", "BOR01": "Bordeaux Sainte-Catherine",
          "LIL01": "Lille Euralille", "REN01": "Rennes Colombier", "GRE01": "Grenoble Grand'Place"}
STORE_CODES = tuple(sorted(STORES))

# (product_id, sku, name, category, price)
PRODUCTS = (
    ("P10234", "ML-PUL-10234", "Pull col roulé en laine mérinos", "Femme/Pulls", 69.90),
    ("P10251", "ML-PUL-10251", "Cardigan maille torsadée", "Femme/Pulls", 59.90),
    ("P10310", "ML-ROB-10310", "Robe midi en lin", "Femme/Robes", 79.90),
    ("P10322", "ML-ROB-10322", "Robe portefeuille imprimée", "Femme/Robes", 65.00),
    ("P10405", "ML-CHE-10405", "Chemise en popeline", "Femme/Chemises", 45.00),
    ("P10511", "ML-JEA-10511", "Jean droit taille haute", "Femme/Jeans", 59.90),
    ("P10602", "ML-MAN-10602", "Manteau long en laine", "Femme/Manteaux", 189.00),
    ("P20107", "ML-CHH-20107", "Chemise Oxford coupe droite", "Homme/Chemises", 49.90),
    ("P20115", "ML-CHH-20115", "Chemise en lin lavé", "Homme/Chemises", 55.00),
    ("P20203", "ML-PUH-20203", "Pull col rond en coton bio", "Homme/Pulls", 49.00),
    ("P20311", "ML-PAN-20311", "Pantalon chino", "Homme/Pantalons", 59.00),
    ("P20420", "ML-VES-20420", "Veste en velours côtelé", "Homme/Vestes", 129.00),
    ("P20502", "ML-TSH-20502", "T-shirt en coton épais", "Homme/T-shirts", 19.90),
    ("P30101", "ML-LIN-30101", "Parure de lit en lin lavé 240x220", "Maison/Linge de lit", 149.00),
    ("P30118", "ML-LIN-30118", "Drap housse en percale 160x200", "Maison/Linge de lit", 39.90),
    ("P30205", "ML-BAI-30205", "Serviette de bain nid d'abeille", "Maison/Linge de bain", 24.90),
    ("P30212", "ML-BAI-30212", "Peignoir en éponge", "Maison/Linge de bain", 59.00),
    ("P30307", "ML-DEC-30307", "Bougie parfumée figuier", "Maison/Décoration", 22.00),
    ("P30318", "ML-DEC-30318", "Vase en grès émaillé", "Maison/Décoration", 35.00),
    ("P30325", "ML-DEC-30325", "Coussin en velours 45x45", "Maison/Décoration", 29.90),
    ("P30402", "ML-TAB-30402", "Nappe en lin 160x250", "Maison/Arts de la table", 69.00),
    ("P30415", "ML-TAB-30415", "Set de 4 assiettes en faïence", "Maison/Arts de la table", 48.00),
    ("P30421", "ML-TAB-30421", "Carafe en verre soufflé", "Maison/Arts de la table", 32.00),
    ("P40103", "ML-ACC-40103", "Écharpe en cachemire", "Accessoires/Écharpes", 89.00),
    ("P40110", "ML-ACC-40110", "Bonnet côtelé", "Accessoires/Bonnets", 25.00),
    ("P40207", "ML-ACC-40207", "Sac cabas en cuir", "Accessoires/Sacs", 139.00),
    ("P40215", "ML-ACC-40215", "Pochette en toile", "Accessoires/Sacs", 29.00),
    ("P40301", "ML-ACC-40301", "Ceinture en cuir tressé", "Accessoires/Ceintures", 45.00),
    ("P50101", "ML-ENF-50101", "Pyjama enfant en coton", "Enfant/Pyjamas", 29.90),
    ("P50108", "ML-ENF-50108", "Sweat à capuche enfant", "Enfant/Sweats", 34.90),
)
CATEGORY_PAGES = (("/femme/pulls", "Pulls et gilets femme"), ("/femme/robes", "Robes femme"),
                  ("/femme/chemises", "Chemises femme"), ("/homme/chemises", "Chemises homme"),
                  ("/homme/pulls", "Pulls homme"), ("/maison/linge-de-lit", "Linge de lit"),
                  ("/maison/decoration", "Décoration"), ("/maison/arts-de-la-table", "Arts de la table"),
                  ("/accessoires", "Accessoires"), ("/enfant", "Enfant"), ("/nouveautes", "Nouveautés"),
                  ("/promotions", "Promotions"))
BROCHURES = ("Catalogue Printemps-Été", "Catalogue Automne-Hiver", "Guide des tailles",
             "Lookbook Maison", "Guide cadeaux de Noël")

UA_DESKTOP = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36 Edg/{v}.0.0.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:{v}.0) Gecko/20100101 Firefox/{v}.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.{m} Safari/605.1.15",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36",
)
UA_MOBILE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_{m} like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.{m} Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/{v}.0.0.0 Mobile Safari/537.36",
)
MAIL_UAS = (
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)",
)
# (manufacturer, model, type, os name, os versions, screen (w, h, density), is tablet)
DEVICES_IOS = (("Apple", "iPhone14,5", "ios", "iOS", ("17.5.1", "17.6.1", "18.1"), (390, 844, 3)),
               ("Apple", "iPhone15,2", "ios", "iOS", ("17.4", "17.6.1", "18.0.1"), (393, 852, 3)),
               ("Apple", "iPhone16,1", "ios", "iOS", ("17.6.1", "18.1", "18.3.2"), (393, 852, 3)),
               ("Apple", "iPhone13,2", "ios", "iOS", ("16.7.8", "17.5.1"), (390, 844, 3)))
DEVICES_ANDROID = (("samsung", "SM-S911B", "android", "Android", ("14", "15"), (360, 780, 3)),
                   ("samsung", "SM-A546B", "android", "Android", ("14",), (384, 854, 2.8125)),
                   ("Google", "Pixel 8", "android", "Android", ("14", "15"), (412, 915, 2.625)),
                   ("Xiaomi", "2201117TY", "android", "Android", ("13", "14"), (393, 873, 2.75)),
                   ("OnePlus", "CPH2449", "android", "Android", ("14",), (412, 919, 3.5)))
TABLETS = (("Apple", "iPad13,18", "ios", "iPadOS", ("17.5.1", "18.1"), (820, 1180, 2)),
           ("samsung", "SM-X200", "android", "Android", ("14",), (800, 1280, 1.5)))
CARRIERS = {"FR": ("Orange F", "SFR", "Bouygues Telecom", "Free"),
            "BE": ("Proximus", "Orange Belgium", "BASE"), "CH": ("Swisscom", "Sunrise", "Salt")}
IP_PREFIXES = {"FR": ("90.", "86.", "82.", "78.", "88.", "92.", "109."),
               "BE": ("81.", "91.", "178."), "CH": ("85.", "178.", "31.")}
MOBILE_IP_PREFIXES = ("176.", "37.", "92.184.", "80.215.")
APP = {"name": SHOP, "namespace": "fr.maisonlumiere.app"}
APP_VERSIONS = (("4.9.2", "40902"), ("4.10.0", "41000"), ("4.11.1", "41101"), ("4.12.0", "41200"),
                ("5.0.3", "50003"))
AJS_VERSIONS = ("next-1.64.0", "next-1.70.0", "next-1.72.1", "next-1.75.0")
CALL_REASONS = ("Suivi de commande", "Retour produit", "Question taille", "Remboursement",
                "Changement d'adresse", "Carte de fidélité", "Produit défectueux", "Disponibilité en magasin")
COMPLAINTS = ("Livraison en retard", "Colis endommagé", "Article manquant", "Remboursement non reçu",
              "Accueil en magasin")
AGENTS = tuple("agent-%02d" % i for i in range(1, 31))

CHANNEL_FILES = ("web", "app", "email", "sms", "pos", "callcenter", "postal")
SEGMENT_FILES = ("web", "app", "email")

# =============================================================================================
# Small helpers
# =============================================================================================

_DST_CACHE: dict[int, tuple[int, int]] = {}


def _last_sunday(year: int, month: int) -> int:
    last = calendar.monthrange(year, month)[1]
    return last - (calendar.weekday(year, month, last) + 1) % 7


def paris_offset(utc_s: int) -> int:
    """Europe/Paris (and Brussels, Geneva) UTC offset in seconds at utc_s."""
    year = time.gmtime(utc_s).tm_year
    b = _DST_CACHE.get(year)
    if b is None:
        b = (calendar.timegm((year, 3, _last_sunday(year, 3), 1, 0, 0)),
             calendar.timegm((year, 10, _last_sunday(year, 10), 1, 0, 0)))
        _DST_CACHE[year] = b
    return 7200 if b[0] <= utc_s < b[1] else 3600


def iso(us: int, frac: int = 3, local: bool = False) -> str:
    """ISO-8601: frac fractional digits (0, 3 or 6), Z or the Paris offset."""
    s, micro = divmod(us, 1_000_000)
    if local:
        off = paris_offset(s)
        t = time.gmtime(s + off)
        tz = "+02:00" if off == 7200 else "+01:00"
    else:
        t = time.gmtime(s)
        tz = "Z"
    if frac == 3:
        f = ".%03d" % (micro // 1000)
    elif frac == 6:
        f = ".%06d" % micro
    else:
        f = ""
    return "%04d-%02d-%02dT%02d:%02d:%02d%s%s" % (t[0], t[1], t[2], t[3], t[4], t[5], f, tz)


def uuid4(r: random.Random, upper: bool = False) -> str:
    n = r.getrandbits(128)
    n = (n & ~(0xF000 << 64)) | (4 << 76)
    n = (n & ~(0xC000 << 48)) | (0x8000 << 48)
    h = "%032x" % n
    u = "%s-%s-%s-%s-%s" % (h[:8], h[8:12], h[12:16], h[16:20], h[20:])
    return u.upper() if upper else u


def hexid(r: random.Random, n: int = 12) -> str:
    return "%0*x" % (n, r.getrandbits(4 * n))


def slug(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    out = []
    for ch in s.lower():
        if "a" <= ch <= "z" or "0" <= ch <= "9" or ch == "-":
            out.append(ch)
    return "".join(out)


def wchoice(r: random.Random, items, weights):
    return r.choices(items, weights)[0]


def money(x: float) -> float:
    return round(x + 1e-9, 2)


def ip_in(r: random.Random, prefix: str) -> str:
    parts = 4 - prefix.count(".")
    return prefix + ".".join(str(r.randint(1, 254)) for _ in range(parts))


def phone_e164_and_national(r: random.Random, country: str) -> tuple[str, str]:
    # The second form is how a French call centre or till writes the number down: national
    # format for French numbers, spaced international format for Belgian and Swiss ones.
    if country == "BE":
        d = "4" + r.choice("789") + "".join(r.choice("0123456789") for _ in range(7))
        return "+32" + d, "+32 %s %s %s %s" % (d[:3], d[3:5], d[5:7], d[7:9])
    if country == "CH":
        d = "7" + r.choice("56789") + "".join(r.choice("0123456789") for _ in range(7))
        return "+41" + d, "+41 %s %s %s %s" % (d[:2], d[2:5], d[5:7], d[7:9])
    d = r.choice("67") + "".join(r.choice("0123456789") for _ in range(8))
    nat = "0" + d
    return "+33" + d, " ".join(nat[i:i + 2] for i in range(0, 10, 2))


# =============================================================================================
# People
# =============================================================================================


class Cookie:
    __slots__ = ("anon", "ua", "mobile", "logged")

    def __init__(self, anon, ua, mobile):
        self.anon, self.ua, self.mobile, self.logged = anon, ua, mobile, False


class Device:
    __slots__ = ("id", "manufacturer", "model", "type", "os", "os_version", "screen", "ad_id",
                 "shared", "anon", "installed", "logged", "app_version")

    def __init__(self, r: random.Random, spec, shared=False):
        self.manufacturer, self.model, self.type, self.os, versions, self.screen = spec
        self.os_version = r.choice(versions)
        if self.type == "ios":
            self.id = uuid4(r, upper=True)
            self.ad_id = "00000000-0000-0000-0000-000000000000"   # App Tracking Transparency
        else:
            self.id = hexid(r, 16)
            self.ad_id = uuid4(r)
        self.shared = shared
        self.anon = {}        # person id -> anonymousId of that person's install/session
        self.installed = set()
        self.logged = set()
        self.app_version = r.randrange(len(APP_VERSIONS))


class Person:
    __slots__ = ("idx", "pid", "gender", "first", "last", "birthday", "country", "address",
                 "postcode", "email", "phone", "phone_nat", "user_id", "user_id_numeric", "loyalty_id",
                 "crm_id", "devices", "cookies", "channels", "stage", "account", "newsletter",
                 "brochure", "dormant", "store_code", "home_ip", "jseed", "showcase", "household",
                 "carrier")


class Population:
    """Households, generated one after another from the master random stream."""

    def __init__(self, seed: int):
        self.master = random.Random(seed)
        self.next_idx = 1
        self.next_household = 1
        self.emails: set[str] = set()
        self.phones: set[str] = set()
        self.user_ids: set[str] = set()
        self.loyalty_ids: set[str] = set()
        self.crm_counter = 0

    # ---- unique identifiers -------------------------------------------------------------
    def _email(self, r, first, last, byear, country):
        f, l = slug(first), slug(last)
        yy = "%02d" % (byear % 100)
        domains = EMAIL_DOMAINS[country]
        dom = r.choices([d for d, _ in domains], [w for _, w in domains])[0]
        patterns = (f + "." + l, f + l, f[0] + l, f + "." + l + yy, l + "." + f, f + "_" + l,
                    f + yy, f[0] + "." + l)
        for attempt in range(50):
            local = r.choice(patterns)
            if attempt >= 2:
                local += str(r.randint(1, 999))
            e = local + "@" + dom
            if e not in self.emails:
                self.emails.add(e)
                return e
        raise RuntimeError("could not find a free email")

    def _phone(self, r, country):
        while True:
            e164, nat = phone_e164_and_national(r, country)
            if e164 not in self.phones:
                self.phones.add(e164)
                return e164, nat

    def _user_id(self, r, numeric):
        while True:
            if numeric:
                u = str(r.randint(100000, 999999))
            else:
                u = "u_" + "".join(r.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(10))
            if u not in self.user_ids:
                self.user_ids.add(u)
                return u

    def _loyalty(self, r):
        width = 6
        while True:
            for _ in range(20):
                v = "LOY%0*d" % (width, r.randrange(10 ** (width - 1), 10 ** width))
                if v not in self.loyalty_ids:
                    self.loyalty_ids.add(v)
                    return v
            width += 1

    def _crm(self, r):
        self.crm_counter += r.randint(1, 3)
        return "CRM-%05d" % self.crm_counter

    # ---- households ---------------------------------------------------------------------
    def household(self) -> list[Person]:
        r = random.Random(self.master.getrandbits(64))
        hh = self.next_household
        self.next_household += 1
        first_hh = hh == 1
        size = 2 if first_hh else wchoice(r, [s for s, _ in HOUSEHOLD_SIZES], [w for _, w in HOUSEHOLD_SIZES])
        country = "FR" if first_hh else wchoice(r, [c for c, _ in COUNTRIES], [w for _, w in COUNTRIES])
        cities = {"FR": CITIES_FR, "BE": CITIES_BE, "CH": CITIES_CH}[country]
        city, pcs, _, store = r.choices(cities, [c[2] for c in cities])[0]
        streets = {"FR": STREETS_FR, "BE": STREETS_BE, "CH": STREETS_CH}[country]
        num = r.choice((str(r.randint(1, 180)),) * 9 + (str(r.randint(1, 60)) + " bis",))
        address = {"street": num + " " + r.choice(streets), "city": city, "postalCode": r.choice(pcs),
                   "country": country}
        lasts = {"FR": LAST_FR, "BE": LAST_BE + LAST_FR[:40], "CH": LAST_CH + LAST_FR[:40]}[country]
        surname = r.choice(lasts)
        # members: (gender, surname, birth year, twin-of index or None)
        y1 = r.randint(1948, 2000) if size <= 2 else r.randint(1950, 1982)
        g1 = "F" if r.random() < 0.52 else "M"
        members = [[g1, surname, y1, None]]
        if size >= 2:
            if size == 2 and not first_hh and r.random() < ADULT_TWINS_RATE:
                members.append(["F" if r.random() < 0.5 else "M", surname, y1, 0])
            else:
                other = surname if r.random() > COUPLE_OTHER_SURNAME or first_hh else r.choice(lasts)
                members.append(["M" if g1 == "F" else "F", other, max(1940, min(2003, y1 + r.randint(-6, 6))), None])
        if size >= 3:
            ky = r.randint(max(y1 + 20, 1985), 2006)
            members.append(["F" if r.random() < 0.5 else "M", surname, ky, None])
            if size == 4:
                if r.random() < TWINS_RATE:
                    members.append(["F" if r.random() < 0.5 else "M", surname, ky, 2])
                else:
                    members.append(["F" if r.random() < 0.5 else "M", surname, min(2006, ky + r.randint(1, 4)), None])
        people: list[Person] = []
        used_first = set()
        for gender, last, byear, twin in members:
            p = Person()
            p.idx = self.next_idx
            self.next_idx += 1
            p.pid = "p%05d" % p.idx
            p.household = hh
            p.showcase = p.idx == 1
            p.gender = gender
            pool = FIRST_F if gender == "F" else FIRST_M
            first = r.choice(pool)
            while first in used_first:
                first = r.choice(pool)
            used_first.add(first)
            p.first, p.last = first, last
            if twin is not None:
                p.birthday = people[twin].birthday
            else:
                p.birthday = "%04d-%02d-%02d" % (byear, r.randint(1, 12), r.randint(1, 28))
            p.country = country
            p.address = dict(address)
            p.postcode = address["postalCode"]
            p.store_code = store if r.random() < 0.85 else r.choice(STORE_CODES)
            p.email = self._email(r, first, last, byear, country)
            p.phone, p.phone_nat = self._phone(r, country)
            p.carrier = r.choice(CARRIERS[country])
            p.home_ip = ip_in(r, r.choice(IP_PREFIXES[country]))
            self._profile(r, p)
            p.jseed = r.getrandbits(64)
            people.append(p)
        # a shared family tablet: two members, each with their own app account
        if len(people) >= 2 and (first_hh or r.random() < SHARED_TABLET_RATE):
            a, b = people[0], people[1]
            if "web" in a.channels and "web" in b.channels:
                tablet = Device(r, r.choice(TABLETS), shared=True)
                for p in (a, b):
                    if not p.account:
                        p.account = True
                        p.user_id = self._user_id(r, False)
                        p.stage = max(p.stage, 1)
                    p.channels.add("app")
                    p.channels.add("web")
                    p.devices.append(tablet)
        return people

    def _profile(self, r, p: Person):
        """Channels, stage and identifiers of one person."""
        ch = set()
        if p.showcase:
            ch = {"web", "app", "store", "call", "sms", "email"}
            p.stage = 4
        elif p.idx > 2 and r.random() < OFFLINE_ONLY_SHARE:
            if r.random() < OFFLINE_STORE_RATE:
                ch.add("store")
            if r.random() < OFFLINE_CALL_RATE:
                ch.add("call")
            if r.random() < OFFLINE_POSTAL_RATE or not ch:
                ch.add("postal")
            p.stage = wchoice(r, range(6), (0.05, 0.10, 0.0, 0.45, 0.32, 0.08))
        else:
            ch.add("web")
            if r.random() < ONLINE_STORE_RATE:
                ch.add("store")
            if r.random() < ONLINE_SMS_RATE:
                ch.add("sms")
            if r.random() < ONLINE_CALL_RATE:
                ch.add("call")
            if r.random() < ONLINE_POSTAL_RATE:
                ch.add("postal")
            p.stage = wchoice(r, range(6), STAGE_WEIGHTS)
        p.account = p.showcase or ("web" in ch and p.stage >= 1 and r.random() < ONLINE_ACCOUNT_RATE)
        if p.account and (p.showcase or r.random() < ONLINE_APP_RATE):
            ch.add("app")
        p.user_id_numeric = p.account and not p.showcase and r.random() < NUMERIC_USER_ID_RATE
        p.user_id = self._user_id(r, p.user_id_numeric) if p.account else None
        p.newsletter = "web" in ch and p.stage >= 1 and (p.showcase or r.random() < NEWSLETTER_RATE)
        p.brochure = "web" in ch and p.stage >= 1 and r.random() < BROCHURE_RATE
        p.loyalty_id = self._loyalty(r) if "store" in ch and (p.showcase or r.random() < LOYALTY_RATE) else None
        p.crm_id = self._crm(r) if ("call" in ch or "postal" in ch or (p.stage >= 3 and r.random() < 0.5)) else None
        p.dormant = not p.showcase and r.random() < DORMANT_SHARE
        p.cookies = []
        if "web" in ch:
            n = 2 if p.showcase else r.choices((1, 2, 3), (0.55, 0.33, 0.12))[0]
            for i in range(n):
                mobile = (i == 1) if p.showcase else r.random() < (0.4 if i == 0 else 0.6)
                tpl = r.choice(UA_MOBILE if mobile else UA_DESKTOP)
                ua = tpl.format(v=r.randint(120, 131), m=r.randint(0, 6))
                p.cookies.append(Cookie(uuid4(r), ua, mobile))
        p.devices = []
        if "app" in ch:
            n = 1 if r.random() < 0.85 else 2
            for _ in range(n):
                p.devices.append(Device(r, r.choice(DEVICES_IOS if r.random() < 0.5 else DEVICES_ANDROID)))
        p.channels = ch


# =============================================================================================
# Journeys
# =============================================================================================

# rough number of lines each session kind produces (used to size the filler budget)
EST = {"ad_click": 3.0, "browse": 2.0, "newsletter": 3, "brochure": 2, "signup": 4, "app_install": 4.7,
       "cart": 3.0, "order_web": 4.8, "order_app": 4.3, "order_store": 1.05, "order_call": 1,
       "order_postal": 1, "loyalty_signup": 1, "catalog": 1, "call": 1, "advocacy": 1.0,
       "email_unsub": 1, "sms_optout": 0.3}
FILLER_AVG = 1.65


def campaign_name(us: int) -> str:
    t = time.gmtime(us // 1_000_000)
    m, y = t.tm_mon, t.tm_year
    if m <= 2:
        return "soldes-hiver-%d" % y
    if m <= 4:
        return "printemps-%d" % y
    if m == 5:
        return "fete-des-meres-%d" % y
    if m <= 7:
        return "soldes-ete-%d" % y
    if m <= 9:
        return "rentree-%d" % y
    if m == 10:
        return "automne-%d" % y
    if m == 11:
        return "black-friday-%d" % y
    return "noel-%d" % y


class Journey:
    """One person's journey: a plan of sessions, their times, then the events they produce.

    Events are kept as (UTC microseconds, output file, payload dict); the driver turns the
    payloads into JSON lines (render()) and hands them to the sorted sinks."""

    def __init__(self, p: Person, mean_events: float, carry: float = 0.0):
        self.p = p
        self.r = random.Random(p.jseed)
        self.mean = mean_events
        self.carry = carry      # lines produced so far above (+) or below (-) the requested mean
        self.target = 0.0
        self.ev: list[tuple[int, str, dict]] = []     # (utc microseconds, file, payload)
        self.cursor = 0
        self.subscribed = False
        self.unsubscribed = False
        self.sms_optin = False
        self.sms_optout = False
        self.account_open = False
        self.loyalty_open = False
        self.orders = 0
        self.catalogs = 0
        self.force_store: list[str] = []
        self.force_call: list[str] = []

    # ---- plan ---------------------------------------------------------------------------
    def plan(self) -> list[str]:
        p, r = self.p, self.r
        ch = p.channels
        web, app, store = "web" in ch, "app" in ch, "store" in ch
        call, postal = "call" in ch, "postal" in ch
        ms: list[str] = []
        if p.showcase:
            self.force_store = ["messy", "name_postcode"]
            self.force_call = ["national"]
            ms = ["ad_click", "browse", "newsletter", "signup", "cart", "order_web", "F", "F",
                  "loyalty_signup", "order_store", "F", "call", "app_install", "F", "order_app", "F",
                  "order_store", "F", "order_web", "F", "F", "F"]
            self.target = sum(EST.get(k, FILLER_AVG) for k in ms)   # outside the mean's budget
            return ms
        # awareness
        if web:
            ms.append("ad_click" if r.random() < 0.55 else "browse")
        elif postal:
            ms.append("catalog")
        # consideration
        if p.stage >= 1:
            if web:
                if p.newsletter:
                    ms.append("newsletter")
                if p.brochure:
                    ms.append("brochure")
                if p.account:
                    ms.append("signup")
                if not (p.newsletter or p.brochure or p.account):
                    ms.append("browse")
            elif postal and r.random() < 0.5:
                ms.append("catalog")
            if app:
                ms.append("app_install")
        # decision
        if p.stage >= 2 and web:
            ms.append("cart")
        # customer / loyal / advocate: orders
        if p.stage >= 3:
            n_orders = 1 if p.stage == 3 else r.randint(2, 4 if p.stage == 4 else 6)
            purchase = []
            if web:
                purchase.append(("order_web", 0.45))
            if app:
                purchase.append(("order_app", 0.2))
            if store:
                purchase.append(("order_store", 1.0))
            if call:
                purchase.append(("order_call", 0.05))
            if postal:
                purchase.append(("order_postal", 0.15 if not web else 0.03))
            if not purchase:
                purchase.append(("order_web", 1.0))
            kinds, weights = [k for k, _ in purchase], [w for _, w in purchase]
            for _ in range(n_orders):
                ms.append(r.choices(kinds, weights)[0])
            if p.loyalty_id and "order_store" in ms:
                ms.insert(ms.index("order_store"), "loyalty_signup")
        elif store and p.loyalty_id:
            ms.append("loyalty_signup")
        if p.stage == 5:
            for _ in range(r.randint(1, 2)):
                ms.append("advocacy")
        if not ms:
            ms.append("loyalty_signup" if p.loyalty_id else ("order_store" if store else "catalog"))
        # support calls, unsubscribes: at random places after the first step
        if call:
            for _ in range(r.randint(1, 3)):
                ms.insert(r.randint(1, len(ms)), "call")
        if r.random() < EMAIL_UNSUB_RATE:
            ms.insert(r.randint(max(1, len(ms) // 2), len(ms)), "email_unsub")
        if r.random() < SMS_OPTOUT_RATE:
            ms.insert(r.randint(max(1, len(ms) // 2), len(ms)), "sms_optout")
        # fillers to reach this person's event count
        # this person's share of lines; error diffusion keeps the running mean near the requested one
        # (journeys have a floor: a loyal omnichannel customer needs ~20 lines whatever the mean)
        self.target = 1 + r.gammavariate(1.5, max(0.1, self.mean - 1) / 1.5)
        target = max(0.0, self.target - self.carry)
        est = sum(EST.get(k, 1.5) for k in ms)
        n_fill = max(0, round((target - est) / (FILLER_AVG if web else 1.05)))
        for _ in range(n_fill):
            ms.insert(r.randint(1, len(ms)), "F")
        return ms

    def schedule(self, n: int) -> list[int]:
        """Session start times (UTC seconds), in order, inside [START, END]."""
        r = self.r
        t0 = r.randint(START, END - 20 * 86400)
        span = min(r.lognormvariate(5.3, 0.8) * 86400, 3 * 365 * 86400)
        if self.p.showcase:         # p00001, the README's worked example: a long journey
            t0 = START + r.randint(20, 80) * 86400
            span = 700 * 86400
        gaps = [r.expovariate(1.0) for _ in range(n)]
        total = sum(gaps) or 1.0
        gaps = [g / total * span for g in gaps]
        if self.p.dormant and n >= 3:
            gaps[r.randint(n // 2, n - 1)] += r.randint(180, 420) * 86400
        room = END - 86400 - t0
        total = sum(gaps[1:])
        if total > room:
            # the person arrived too late for this journey: move the start earlier, then squeeze
            t0 = max(START, END - 86400 - int(total))
            room = END - 86400 - t0
            if total > room:
                gaps = [g * room / total for g in gaps]
        out, t = [], float(t0)
        for i in range(n):
            if i:
                t += gaps[i]
            out.append(int(t))
        return out

    def run(self) -> list[tuple[int, str, dict]]:
        plan = self.plan()
        times = self.schedule(len(plan))
        for kind, t in zip(plan, times):
            if kind == "F":
                kind = self.pick_filler()
                if kind is None:
                    continue
            t = max(t, self.cursor + self.r.randint(600, 7200))
            if t >= END:
                break
            self.cursor = getattr(self, "s_" + kind)(t)
        self.ev.sort(key=lambda e: e[0])
        return [e for e in self.ev if e[0] < END * 1_000_000 + 999_999]

    def pick_filler(self):
        p, r = self.p, self.r
        opts = []
        ch = p.channels
        if "web" in ch:
            opts.append(("browse", 1.2))
        if "app" in ch and self.account_open:
            opts.append(("app_session", 2.5))
        if self.subscribed and not self.unsubscribed:
            opts.append(("email_campaign", 4.0))
        if self.sms_optin and not self.sms_optout:
            opts.append(("sms_campaign", 3.0))
        if "store" in ch and self.orders and p.stage >= 3:
            opts.append(("order_store", 4.0))
        if "postal" in ch:
            if self.catalogs < 3:
                opts.append(("catalog", 0.3))
            if self.orders and p.stage >= 3:
                opts.append(("order_postal", 1.0))
        if not opts:
            return None
        return r.choices([k for k, _ in opts], [w for _, w in opts])[0]

    # ---- time of day --------------------------------------------------------------------
    def at_hour(self, t: int, hours, weekdays=range(7)) -> int:
        """Same local day as t (or the next allowed weekday), at a local hour drawn from hours."""
        r = self.r
        off = paris_offset(t)
        local = t + off
        day = local - local % 86400
        h = r.choice(hours)
        sec = h * 3600 + r.randint(0, 3599)
        for _ in range(10):
            if time.gmtime(day).tm_wday in weekdays:
                new = day + sec - off
                if new > self.cursor:
                    return new
            day += 86400
        return self.cursor + r.randint(300, 5400)

    def add(self, us: int, file: str, obj: dict, frac: int):
        """Keeps an event under the instant its written timestamp says (frac digits kept),
        so that files sorted by that instant read in time order."""
        q = 10 ** (6 - frac)
        self.ev.append((us - us % q, file, obj))

    def us(self, t_s: float) -> int:
        # steps inside a session are >= 0.5 s apart, so a jitter < 0.4 s keeps their order
        return int(t_s * 1_000_000) + self.r.randint(0, 399_999)

    # ---- Segment builders ---------------------------------------------------------------
    def seg_times(self, obj: dict, us: int, client_local: bool = False):
        r = self.r
        if client_local:
            obj["timestamp"] = iso(us, 6, local=True)
        else:
            obj["timestamp"] = iso(us)
        x = r.random()
        if x < 0.75:
            sent = us + r.randint(30_000, 1_500_000)
            obj["sentAt"] = iso(sent)
            obj["receivedAt"] = iso(sent + r.randint(20_000, 400_000))
            if x < 0.15:
                obj["originalTimestamp"] = iso(us)

    def uid_value(self):
        p = self.p
        if p.user_id_numeric and self.r.random() < NUMERIC_USER_ID_AS_NUMBER:
            return int(p.user_id)
        return p.user_id

    def web_ip(self, cookie: Cookie) -> str:
        if cookie.mobile and self.r.random() < 0.6:
            return ip_in(self.r, self.r.choice(MOBILE_IP_PREFIXES))
        return self.p.home_ip

    def page_ctx(self, kind: str, product=None, campaign=None, referrer=None):
        r = self.r
        if kind == "home":
            path, title = "/", SHOP + " – Mode et maison"
        elif kind == "category":
            path, title = r.choice(CATEGORY_PAGES)
        elif kind == "product":
            path = "/p/%s-%s" % ("-".join(slug(w) for w in product[2].split()[:3]), product[0].lower())
            title = product[2]
        else:
            path, title = {"cart": ("/panier", "Mon panier"), "checkout": ("/commande/livraison", "Livraison"),
                           "confirmation": ("/commande/confirmation", "Merci pour votre commande"),
                           "newsletter": ("/newsletter", "Inscription à la newsletter"),
                           "signup": ("/creer-un-compte", "Créer un compte"),
                           "login": ("/connexion", "Connexion"), "account": ("/mon-compte", "Mon compte"),
                           "stores": ("/magasins", "Nos magasins"),
                           "brochure": ("/catalogues", "Nos catalogues")}[kind]
        search = ""
        if campaign:
            search = "?utm_source=%s&utm_medium=%s&utm_campaign=%s" % (
                campaign["source"], campaign["medium"], campaign["name"])
            if r.random() < 0.5:        # ad click ids, when auto-tagging is on
                if campaign["source"] == "google":
                    search += "&gclid=" + hexid(r, 16)
                elif campaign["source"] in ("facebook", "instagram"):
                    search += "&fbclid=IwAR" + hexid(r, 12)
        if referrer is None:
            referrer = r.choice(("", "https://www.google.com/", "https://www.google.fr/", SITE + "/"))
        return {"path": path, "referrer": referrer, "search": search, "title": title,
                "url": SITE + path + search}

    def web(self, us: int, cookie: Cookie, type_: str, *, event=None, name=None, props=None,
            traits=None, page=None, campaign=None, ext_ids=None, with_user=None, rudder=False):
        r, p = self.r, self.p
        page = page or self.page_ctx("home")
        ctx = {"ip": self.web_ip(cookie),
               "library": {"name": "analytics.js", "version": r.choice(AJS_VERSIONS)},
               "locale": "fr-FR", "page": page, "userAgent": cookie.ua}
        if campaign:
            ctx["campaign"] = campaign
        obj = {"anonymousId": cookie.anon, "channel": "browser", "context": ctx, "integrations": {},
               "messageId": uuid4(r), "type": type_}
        if ext_ids:
            ctx["externalIds"] = ext_ids
        if rudder:
            # RudderStack JavaScript SDK: channel "web", context.externalId (singular), rudderId
            ctx["library"] = {"name": "RudderLabs JavaScript SDK", "version": "3.7.5"}
            ctx["externalId"] = [{"id": p.loyalty_id or p.crm_id, "type": "loyalty_id" if p.loyalty_id else "crm_id"}]
            ctx.pop("externalIds", None)
            obj["channel"] = "web"
            obj["rudderId"] = uuid4(r)
            obj.pop("integrations")
            obj["integrations"] = {"All": True}
        logged = cookie.logged if with_user is None else with_user
        if logged:
            obj["userId"] = self.uid_value()
        if event:
            obj["event"] = event
        if name:
            obj["name"] = name
        if type_ == "page":
            pp = {"path": page["path"], "referrer": page["referrer"], "search": page["search"],
                  "title": page["title"], "url": page["url"]}
            if props:
                pp.update(props)
            obj["properties"] = pp
        elif props is not None:
            obj["properties"] = props
        if traits is not None:
            obj["traits"] = traits
        self.seg_times(obj, us)
        self.add(us, "web", obj, 3)

    def full_traits(self, phone=True, address=True):
        p, r = self.p, self.r
        t = {"email": p.email, "firstName": p.first, "lastName": p.last}
        if phone and r.random() < 0.6:
            t["phone"] = p.phone if r.random() < 0.7 else p.phone_nat
        if address and r.random() < 0.7:
            t["address"] = {"street": p.address["street"], "city": p.address["city"],
                            "postalCode": p.address["postalCode"], "country": p.country}
        if r.random() < 0.4:
            t["birthday"] = p.birthday
        return t

    def ext_ids(self):
        p, r = self.p, self.r
        if not (p.loyalty_id or p.crm_id) or r.random() >= SEGMENT_EXTERNAL_IDS_RATE:
            return None
        out = []
        if p.loyalty_id and self.loyalty_open:
            out.append({"id": p.loyalty_id, "type": "loyalty_id", "collection": "users", "encoding": "none"})
        if p.crm_id and r.random() < 0.5:
            out.append({"id": p.crm_id, "type": "crm_id", "collection": "users", "encoding": "none"})
        return out or None

    def pick_cookie(self) -> Cookie:
        cs = self.p.cookies
        return self.r.choices(cs, (0.6, 0.25, 0.15)[:len(cs)])[0]

    def login_if_needed(self, t: float, cookie: Cookie) -> float:
        """Cookie-before-login: a cookie first seen after the account exists logs in once."""
        r, p = self.r, self.p
        if not self.account_open or cookie.logged:
            return t
        self.web(self.us(t), cookie, "page", name="Connexion", page=self.page_ctx("login"))
        t += r.randint(15, 60)
        cookie.logged = True
        rudder = (p.loyalty_id or p.crm_id) and r.random() < RUDDERSTACK_RATE
        self.web(self.us(t), cookie, "identify", traits={"email": p.email} if r.random() < 0.6 else self.full_traits(),
                 page=self.page_ctx("login"), ext_ids=None if rudder else self.ext_ids(), rudder=bool(rudder))
        return t + r.randint(5, 40)

    def product(self):
        return self.r.choice(PRODUCTS)

    def prod_props(self, pr, qty=None):
        d = {"product_id": pr[0], "sku": pr[1], "name": pr[2], "category": pr[3], "brand": SHOP,
             "price": pr[4], "currency": "EUR"}
        if qty is not None:
            d["quantity"] = qty
        return d

    def basket(self, n_max=4):
        r = self.r
        items = r.sample(PRODUCTS, r.randint(1, n_max))
        lines = [{"product_id": pr[0], "sku": pr[1], "name": pr[2], "price": pr[4],
                  "quantity": 1 if r.random() < 0.85 else 2} for pr in items]
        total = money(sum(l["price"] * l["quantity"] for l in lines))
        return lines, total

    # ---- sessions: web --------------------------------------------------------------------
    def browse_pages(self, t: float, cookie: Cookie, n: int, campaign=None, referrer=None) -> float:
        """n page views / product views; the first one may land from a campaign or a referrer."""
        r = self.r
        for i in range(n):
            x = r.random()
            camp = campaign if i == 0 else None
            ref = referrer if i == 0 else None
            if camp:
                kind = "home" if x < 0.4 else "category"      # ad / email landing pages
            else:
                kind = "home" if x < 0.3 else ("category" if x < 0.6 else "product")
            if kind == "home":
                page = self.page_ctx("home", None, camp, ref)
                self.web(self.us(t), cookie, "page", name="Accueil", page=page, campaign=camp)
            elif kind == "category":
                page = self.page_ctx("category", None, camp, ref)
                self.web(self.us(t), cookie, "page", name="Catégorie", page=page, campaign=camp,
                         props={"category": page["title"]})
            else:
                pr = self.product()
                page = self.page_ctx("product", pr, referrer=ref)
                self.web(self.us(t), cookie, "track", event="Product Viewed", props=self.prod_props(pr), page=page)
            t += r.randint(20, 240)
        return t

    def s_browse(self, t0: int) -> int:
        r = self.r
        cookie = self.pick_cookie()
        t = self.at_hour(t0, (8, 12, 13, 18, 19, 20, 21, 21, 22, 22, 23))
        t = self.login_if_needed(t, cookie)
        return int(self.browse_pages(t, cookie, r.choice((1, 1, 1, 2, 2, 3))))

    def s_ad_click(self, t0: int) -> int:
        r = self.r
        cookie = self.p.cookies[0]
        t = self.at_hour(t0, (12, 13, 19, 20, 21, 22))
        src, med = r.choice((("google", "cpc"), ("facebook", "social"), ("instagram", "social"),
                             ("criteo", "display"), ("google", "cpc")))
        term = r.choice(("pull laine femme", "linge de lit lin", "chemise homme", "robe lin", "")) if src == "google" else None
        camp = {"name": campaign_name(int(t) * 1_000_000), "source": src, "medium": med,
                "content": r.choice(("carrousel-a", "video-15s", "image-v2", "texte"))}
        if term:
            camp["term"] = term
        ref = {"google": "https://www.google.com/", "facebook": "https://m.facebook.com/",
               "instagram": "https://l.instagram.com/", "criteo": ""}[src]
        t = self.login_if_needed(t, cookie)
        return int(self.browse_pages(t, cookie, r.choice((1, 1, 2)), campaign=camp, referrer=ref))

    def s_newsletter(self, t0: int) -> int:
        r, p = self.r, self.p
        cookie = self.pick_cookie() if self.account_open else p.cookies[0]
        t = self.at_hour(t0, (9, 12, 13, 18, 20, 21))
        page = self.page_ctx(r.choice(("home", "newsletter")))
        if r.random() < 0.3:
            self.web(self.us(t), cookie, "page", name="Newsletter", page=page)
            t += r.randint(10, 90)
        traits = {"email": p.email}
        if r.random() < 0.4:
            traits["firstName"] = p.first
        self.web(self.us(t), cookie, "identify", traits=traits, page=page)
        t += r.randint(1, 3)
        self.web(self.us(t), cookie, "track", event="Newsletter Subscribed", page=page,
                 props={"list_id": "nl-hebdo", "list_name": "Newsletter hebdo",
                        "source": r.choice(("footer", "popup", "page-newsletter"))})
        self.subscribed = True
        return int(t) + 60

    def s_brochure(self, t0: int) -> int:
        r = self.r
        cookie = self.pick_cookie() if self.account_open else self.p.cookies[0]
        t = self.at_hour(t0, (10, 14, 20, 21))
        t = self.login_if_needed(t, cookie)
        page = self.page_ctx("brochure")
        self.web(self.us(t), cookie, "page", name="Catalogues", page=page)
        t += r.randint(15, 120)
        self.web(self.us(t), cookie, "track", event="Brochure Downloaded", page=page,
                 props={"brochure": r.choice(BROCHURES), "format": "pdf"})
        return int(t) + 60

    def s_signup(self, t0: int) -> int:
        r, p = self.r, self.p
        cookie = p.cookies[0]
        t = self.at_hour(t0, (11, 13, 19, 20, 21, 22))
        if not cookie.logged:
            # a few anonymous pages first, then the sign-up form
            t = self.browse_pages(t, cookie, r.choice((0, 0, 1)))
            page = self.page_ctx("signup")
            if r.random() < 0.4:
                self.web(self.us(t), cookie, "page", name="Créer un compte", page=page)
                t += r.randint(40, 200)
            self.account_open = True
            cookie.logged = True
            traits = self.full_traits()
            traits["createdAt"] = iso(int(t * 1_000_000))
            rudder = (p.loyalty_id or p.crm_id) and r.random() < RUDDERSTACK_RATE
            self.web(self.us(t), cookie, "identify", traits=traits, page=page,
                     ext_ids=None if rudder else self.ext_ids(), rudder=bool(rudder))
            t += r.uniform(0.5, 1.5)
            self.web(self.us(t), cookie, "track", event="Signed Up", page=page,
                     props={"method": "email", "source": r.choice(("header", "checkout", "newsletter"))})
            if r.random() < 0.6:
                self.subscribed = True
            if "sms" in p.channels:
                self.sms_optin = True
        self.account_open = True
        return int(t) + 60

    def s_cart(self, t0: int) -> int:
        r = self.r
        cookie = self.pick_cookie()
        t = self.at_hour(t0, (12, 13, 20, 21, 22))
        t = self.login_if_needed(t, cookie)
        pr = self.product()
        page = self.page_ctx("product", pr)
        if r.random() < 0.5:
            self.web(self.us(t), cookie, "track", event="Product Viewed", props=self.prod_props(pr), page=page)
            t += r.randint(20, 200)
        cart_id = hexid(r, 16)
        props = self.prod_props(pr, 1)
        props["cart_id"] = cart_id
        self.web(self.us(t), cookie, "track", event="Product Added", props=props, page=page)
        if r.random() < 0.4:
            t += r.randint(30, 300)
            self.web(self.us(t), cookie, "page", name="Panier", page=self.page_ctx("cart"))
        if r.random() < 0.6:
            t += r.randint(20, 120)
            self.web(self.us(t), cookie, "track", event="Checkout Started", page=self.page_ctx("checkout"),
                     props={"order_id": "WEB-" + hexid(r, 8).upper(), "value": pr[4], "revenue": pr[4],
                            "currency": "EUR", "products": [{"product_id": pr[0], "sku": pr[1], "name": pr[2],
                                                             "price": pr[4], "quantity": 1}]})
        return int(t) + 60

    def s_order_web(self, t0: int) -> int:
        r, p = self.r, self.p
        if "web" not in p.channels:
            return self.s_order_app(t0) if "app" in p.channels else self.s_order_store(t0)
        cookie = self.pick_cookie()
        t = self.at_hour(t0, (10, 12, 13, 19, 20, 21, 22))
        t = self.login_if_needed(t, cookie)
        lines, total = self.basket(3)
        first = lines[0]
        pr = next(x for x in PRODUCTS if x[0] == first["product_id"])
        page = self.page_ctx("product", pr)
        if r.random() < 0.4:
            self.web(self.us(t), cookie, "track", event="Product Viewed", props=self.prod_props(pr), page=page)
            t += r.randint(20, 200)
        if r.random() < 0.6:
            props = self.prod_props(pr, first["quantity"])
            props["cart_id"] = hexid(r, 16)
            self.web(self.us(t), cookie, "track", event="Product Added", props=props, page=page)
            t += r.randint(30, 400)
        order_id = "WEB-" + hexid(r, 8).upper()
        shipping = 0.0 if total >= 60 else 4.9
        if r.random() < 0.6:
            self.web(self.us(t), cookie, "track", event="Checkout Started", page=self.page_ctx("checkout"),
                     props={"order_id": order_id, "value": total, "revenue": total, "currency": "EUR",
                            "products": lines})
            t += r.randint(60, 400)
        if not cookie.logged:
            # guest checkout: the email is given on the delivery form
            self.web(self.us(t), cookie, "identify", page=self.page_ctx("checkout"),
                     traits=self.full_traits(phone=True, address=True))
            t += r.randint(30, 200)
            self.subscribed = self.subscribed or r.random() < 0.3
        grand = money(total + shipping)
        oprops = {"order_id": order_id, "total": grand, "revenue": money(total / 1.2),
                  "shipping": shipping, "tax": money(total - total / 1.2), "currency": "EUR",
                  "products": lines}
        if r.random() < 0.15:
            oprops["coupon"] = r.choice(("BIENVENUE10", "SOLDES20", "NOEL15"))
        if cookie.logged and r.random() < SERVER_SIDE_ORDER_RATE:
            # sent by the order service, not the browser: no cookie, "anonymousId": null
            us = self.us(t)
            obj = {"anonymousId": None, "channel": "server",
                   "context": {"library": {"name": "analytics-node", "version": "2.1.2"}},
                   "event": "Order Completed", "integrations": {}, "messageId": uuid4(r),
                   "properties": oprops, "type": "track", "userId": self.uid_value()}
            obj["timestamp"] = iso(us)
            obj["receivedAt"] = iso(us + r.randint(20_000, 300_000))
            self.add(us, "web", obj, 3)
        else:
            self.web(self.us(t), cookie, "track", event="Order Completed", props=oprops,
                     page=self.page_ctx("confirmation"))
        self.orders += 1
        t += r.randint(30, 300)
        if self.subscribed or cookie.logged or r.random() < 0.7:
            self.email(int(t), "Email Delivered", {"email_id": hexid(r, 9), "email_subject": "Votre commande %s" % order_id,
                                                   "campaign_id": "tx-order-confirmation",
                                                   "campaign_name": "Confirmation de commande"})
        return int(t) + 60

    # ---- sessions: app --------------------------------------------------------------------
    def pick_device(self) -> Device:
        ds = self.p.devices
        if len(ds) == 1:
            return ds[0]
        shared = [d for d in ds if d.shared]
        own = [d for d in ds if not d.shared]
        if shared and (not own or self.r.random() < TABLET_USE_RATE):
            return shared[0]
        return self.r.choice(own)

    def app(self, us: int, d: Device, type_: str, *, event=None, name=None, props=None, traits=None,
            logged=True):
        r, p = self.r, self.p
        av, build = APP_VERSIONS[d.app_version]
        anon = d.anon.get(p.pid)
        if anon is None:
            anon = d.anon[p.pid] = uuid4(r, upper=d.type == "ios")
        dev = {"id": d.id, "manufacturer": d.manufacturer, "model": d.model, "type": d.type}
        if d.type == "android":
            dev["advertisingId"] = d.ad_id
            dev["adTrackingEnabled"] = True
        else:
            dev["name"] = "iPad" if d.shared else "iPhone"
            dev["advertisingId"] = d.ad_id
            dev["adTrackingEnabled"] = False
        wifi = r.random() < 0.6
        ctx = {"app": {"name": APP["name"], "version": av, "build": build, "namespace": APP["namespace"]},
               "device": dev, "ip": p.home_ip if wifi else ip_in(r, r.choice(MOBILE_IP_PREFIXES)),
               "library": {"name": "analytics-ios" if d.type == "ios" else "analytics-android",
                           "version": "4.1.8" if d.type == "ios" else "4.11.3"},
               "locale": "fr-FR",
               "network": {"carrier": p.carrier, "cellular": not wifi, "wifi": wifi},
               "os": {"name": d.os, "version": d.os_version},
               "screen": {"width": d.screen[0], "height": d.screen[1], "density": d.screen[2]},
               "timezone": "Europe/Paris"}
        obj = {"anonymousId": anon, "channel": "mobile", "context": ctx, "integrations": {},
               "messageId": uuid4(r, upper=d.type == "ios"), "type": type_}
        if logged:
            obj["userId"] = self.uid_value()
        if event:
            obj["event"] = event
        if name:
            obj["name"] = name
        if props is not None:
            obj["properties"] = props
        if traits is not None:
            obj["traits"] = traits
        local = r.random() < APP_LOCAL_OFFSET_RATE
        self.seg_times(obj, us, client_local=local)
        self.add(us, "app", obj, 6 if local else 3)

    def app_open(self, t: float, d: Device) -> float:
        """Opens the app on d; installs and logs in first when needed."""
        r, p = self.r, self.p
        av, build = APP_VERSIONS[d.app_version]
        if p.pid not in d.installed:
            d.installed.add(p.pid)
            if not d.shared:        # the family tablet came with the app: no install event
                self.app(self.us(t), d, "track", event="Application Installed",
                         props={"version": av, "build": build}, logged=False)
                t += r.uniform(1, 8)
        logged = p.pid in d.logged
        self.app(self.us(t), d, "track", event="Application Opened", logged=logged,
                 props={"from_background": r.random() < 0.3, "version": av, "build": build})
        t += r.uniform(1, 30)
        if not logged:
            if r.random() < 0.3:
                self.app(self.us(t), d, "screen", name="Connexion", props={"name": "Connexion"}, logged=False)
            t += r.uniform(10, 60)
            if d.shared:
                # a family tablet: whoever logged in before was logged out, anonymousId reset
                for other in list(d.logged):
                    d.logged.discard(other)
            d.logged.add(p.pid)
            traits = {"email": p.email, "firstName": p.first, "lastName": p.last}
            if r.random() < 0.3:
                traits["phone"] = p.phone
            self.app(self.us(t), d, "identify", traits=traits)
            t += r.uniform(1, 5)
        return t

    def s_app_install(self, t0: int) -> int:
        r = self.r
        self.account_open = True
        d = self.pick_device()
        t = self.at_hour(t0, (8, 12, 18, 20, 21, 22, 23))
        t = self.app_open(t, d)
        if r.random() < 0.4:
            self.app(self.us(t), d, "screen", name="Accueil", props={"name": "Accueil"})
        return int(t) + 60

    def s_app_session(self, t0: int) -> int:
        r = self.r
        d = self.pick_device()
        t = self.at_hour(t0, (7, 8, 12, 13, 18, 20, 21, 22, 23))
        t = self.app_open(t, d)
        for _ in range(r.choice((0, 1, 1, 2))):
            pr = self.product()
            self.app(self.us(t), d, "screen", name="Produit", props={"name": "Produit", "product_id": pr[0]})
            t += r.uniform(1, 5)
            self.app(self.us(t), d, "track", event="Product Viewed", props=self.prod_props(pr))
            t += r.uniform(10, 120)
        return int(t) + 60

    def s_order_app(self, t0: int) -> int:
        r = self.r
        if "app" not in self.p.channels:
            return self.s_order_web(t0) if "web" in self.p.channels else self.s_order_store(t0)
        d = self.pick_device()
        t = self.at_hour(t0, (8, 12, 13, 20, 21, 22))
        t = self.app_open(t, d)
        lines, total = self.basket(2)
        pr = next(x for x in PRODUCTS if x[0] == lines[0]["product_id"])
        self.app(self.us(t), d, "track", event="Product Viewed", props=self.prod_props(pr))
        t += r.uniform(20, 200)
        self.app(self.us(t), d, "screen", name="Panier", props={"name": "Panier"})
        t += r.uniform(30, 300)
        shipping = 0.0 if total >= 60 else 4.9
        self.app(self.us(t), d, "track", event="Order Completed",
                 props={"order_id": "APP-" + hexid(r, 8).upper(), "total": money(total + shipping),
                        "revenue": money(total / 1.2), "shipping": shipping, "currency": "EUR",
                        "products": lines})
        self.orders += 1
        return int(t) + 60

    # ---- sessions: advocacy --------------------------------------------------------------------
    def s_advocacy(self, t0: int) -> int:
        r, p = self.r, self.p
        kind = r.choice(("review", "referral", "nps"))
        if "web" in p.channels and p.cookies:
            cookie = self.pick_cookie()
            t = self.at_hour(t0, (12, 19, 20, 21))
            t = self.login_if_needed(t, cookie)
            if kind == "review":
                pr = self.product()
                self.web(self.us(t), cookie, "track", event="Product Reviewed", page=self.page_ctx("product", pr),
                         props={"product_id": pr[0], "review_id": hexid(r, 10), "rating": r.choice((4, 5, 5)),
                                "review_body": r.choice(("Très belle qualité, je recommande.",
                                                         "Conforme à la description, livraison rapide.",
                                                         "Superbe, taille un peu grand."))})
            elif kind == "referral":
                self.web(self.us(t), cookie, "track", event="Referral Sent", page=self.page_ctx("account"),
                         props={"referral_code": "PARRAIN-" + hexid(r, 6).upper(), "method": r.choice(("email", "link"))})
            else:
                self.web(self.us(t), cookie, "track", event="NPS Survey Completed", page=self.page_ctx("account"),
                         props={"survey_id": "nps-%d" % time.gmtime(int(t)).tm_year, "score": r.choice((9, 10)),
                                "comment": r.choice(("", "Toujours un plaisir.", "Très bon service client."))})
            return int(t) + 60
        # offline people answer the NPS survey on the phone
        t = self.at_hour(t0, (10, 11, 14, 15, 16), range(5))
        self.native(self.us(t), "callcenter", "NPS Survey Completed", "call_center", "crm",
                    self.call_ids(), {"firstName": p.first, "lastName": p.last},
                    {"survey_id": "nps-%d" % time.gmtime(int(t)).tm_year, "score": r.choice((9, 10)),
                     "agent": r.choice(AGENTS)}, local=True)
        return int(t) + 60

    # ---- sessions: email (legacy Segment export) ---------------------------------------------
    def email(self, t: int, event: str, props: dict):
        r, p = self.r, self.p
        us = self.us(t)
        ctx = {}
        if event != "Email Delivered":
            ctx["ip"] = p.home_ip if r.random() < 0.5 else ip_in(r, "66.249.")
            ctx["user_agent"] = r.choice(MAIL_UAS)
        ctx["traits"] = {"email": p.email}
        if r.random() < EMAIL_CONTEXT_CHANNEL_RATE:
            ctx["channel"] = "email"
        obj = {}
        if self.account_open:
            obj["user_id"] = p.user_id
        obj["action"] = "track"
        obj["event"] = event
        obj["context"] = ctx
        obj["properties"] = props
        obj["messageId"] = uuid4(r)
        obj["timestamp"] = iso(us, 0)
        self.add(us, "email", obj, 0)

    def next_send(self, t: int, slots) -> int:
        """Next campaign send time after t: slots = ((weekday, local hour, minute), ...)."""
        off = paris_offset(t)
        local = t + off
        day = local - local % 86400
        for add in range(0, 8):
            d = day + add * 86400
            wd = time.gmtime(d).tm_wday
            for swd, h, m in slots:
                if wd == swd:
                    s = d + h * 3600 + m * 60 - off
                    if s > t:
                        return s
        return t + 86400

    def s_email_campaign(self, t0: int) -> int:
        r = self.r
        send = self.next_send(max(t0, self.cursor), ((1, 9, 0), (4, 10, 30)))
        tm = time.gmtime(send)
        week = time.strftime("%G-%V", tm)
        props = {"email_id": hexid(r, 9), "campaign_id": "nl-" + week,
                 "campaign_name": "Newsletter hebdo – semaine " + week.split("-")[1],
                 "email_subject": r.choice(("Les nouveautés de la semaine", "-20 % sur le linge de maison",
                                            "Votre sélection de la semaine", "Derniers jours : soldes",
                                            "Nos coups de cœur déco", "Livraison offerte ce week-end"))}
        t = send + r.randint(0, 900)
        self.email(t, "Email Delivered", dict(props))
        if r.random() < 0.5:
            t += int(min(r.expovariate(1 / 21600), 3 * 86400)) + 30
            self.email(t, "Email Opened", dict(props))
            if r.random() < 0.35:
                t += r.randint(5, 120)
                link = SITE + "/nouveautes?utm_source=newsletter&utm_medium=email&utm_campaign=" + props["campaign_id"]
                cp = dict(props)
                cp["link_id"] = str(r.randint(100, 130))
                cp["link_url"] = link
                self.email(t, "Email Link Clicked", cp)
                if "web" in self.p.channels and r.random() < 0.8:
                    cookie = self.pick_cookie()
                    t += r.randint(2, 10)
                    camp = {"name": props["campaign_id"], "source": "newsletter", "medium": "email"}
                    self.cursor = t
                    t2 = self.login_if_needed(t, cookie)
                    t = int(self.browse_pages(t2, cookie, r.choice((1, 2)), campaign=camp, referrer=""))
        return t + 60

    def s_email_unsub(self, t0: int) -> int:
        r = self.r
        if not self.subscribed or self.unsubscribed:
            return self.cursor
        send = self.next_send(max(t0, self.cursor), ((1, 9, 0),))
        props = {"email_id": hexid(r, 9), "campaign_id": "nl-" + time.strftime("%G-%V", time.gmtime(send)),
                 "campaign_name": "Newsletter hebdo", "email_subject": "Les nouveautés de la semaine"}
        t = send + r.randint(0, 900)
        self.email(t, "Email Delivered", dict(props))
        t += r.randint(600, 86400)
        up = dict(props)
        up["list_id"] = "nl-hebdo"
        up["list_name"] = "Newsletter hebdo"
        self.email(t, "Unsubscribed", up)
        self.unsubscribed = True
        return t + 60

    # ---- native builders ------------------------------------------------------------------
    def native(self, us: int, file: str, event: str, channel: str, source: str, identifiers, traits,
               props, local=True, frac=0, prefix=None, empty_identifiers=False):
        obj = {"id": (prefix or {"pos": "pos", "callcenter": "cc", "sms": "sms", "postal": "po"}[file]) + "-" + hexid(self.r, 12),
               "event": event, "timestamp": iso(us, frac, local=local), "channel": channel, "source": source}
        if identifiers:
            obj["identifiers"] = identifiers
        elif empty_identifiers:
            obj["identifiers"] = {}
        if traits:
            obj["traits"] = traits
        obj["properties"] = props
        self.add(us, file, obj, frac)

    # ---- sessions: SMS --------------------------------------------------------------------
    def sms_phone(self):
        p = self.p
        return p.phone_nat if self.r.random() < SMS_NATIONAL_PHONE_RATE else p.phone

    def s_sms_campaign(self, t0: int) -> int:
        r, p = self.r, self.p
        send = self.next_send(max(t0, self.cursor), ((3, 18, 0),))
        cid = "sms-" + time.strftime("%Y-%m-%d", time.gmtime(send))
        props = {"campaign_id": cid, "campaign_name": r.choice(("Ventes privées", "Soldes", "Nouvelle collection",
                                                                 "Offre anniversaire", "Week-end fidélité")),
                 "sender": "MAISONLUM", "message_id": hexid(r, 16)}
        t = send + r.randint(0, 600)
        self.native(self.us(t), "sms", "SMS Delivered", "sms", "sms_gateway", {"phone": self.sms_phone()}, None,
                    props, local=False, frac=3)
        if r.random() < 0.15:
            t += r.randint(60, 7200)
            cp = dict(props)
            cp["link_url"] = "https://mlum.fr/" + hexid(r, 6)
            self.native(self.us(t), "sms", "SMS Link Clicked", "sms", "sms_gateway", {"phone": self.sms_phone()},
                        None, cp, local=False, frac=3)
        return t + 60

    def s_sms_optout(self, t0: int) -> int:
        r = self.r
        if not self.sms_optin or self.sms_optout:
            return self.cursor
        t = self.s_sms_campaign(t0)
        t += r.randint(60, 3600)
        self.native(self.us(t), "sms", "SMS Opt-Out", "sms", "sms_gateway", {"phone": self.sms_phone()}, None,
                    {"keyword": "STOP", "reply": r.choice(("STOP", "Stop", "stop"))}, local=False, frac=3)
        self.sms_optout = True
        return t + 60

    # ---- sessions: store / point of sale -------------------------------------------------------
    def messy_email(self, caps=False) -> str:
        """The email as typed at a till: capitals and stray spaces."""
        r, e = self.r, self.p.email
        local, dom = e.split("@")
        x = 0.0 if caps else r.random()
        if x < 0.35:
            local = ".".join(w[:1].upper() + w[1:] for w in local.split("."))
            dom = dom.split(".")[0].capitalize() + "." + dom.split(".", 1)[1].upper()
        elif x < 0.6:
            local, dom = local.upper(), dom.upper()
        elif x < 0.8:
            local = local[:1].upper() + local[1:]
        s = local + "@" + dom
        y = r.random()
        if y < 0.5:
            s += " "
        elif y < 0.7:
            s = " " + s
        elif y < 0.8:
            s = " " + s + "  "
        return s

    def store_traits(self, upper=None):
        p, r = self.p, self.r
        up = r.random() < 0.4 if upper is None else upper
        return {"firstName": p.first, "lastName": p.last.upper() if up else p.last}

    def receipt_props(self, t: int, lines, total, store_code):
        r = self.r
        day = time.strftime("%y%m%d", time.gmtime(t))
        return {"order_id": "%s-%s-%04d" % (store_code, day, r.randint(1, 9999)), "total": total,
                "currency": "EUR", "store": STORES[store_code], "store_id": store_code,
                "register": "%02d" % r.randint(1, 6), "payment_method": r.choice(("card", "card", "card", "cash", "gift_card")),
                "items": sum(l["quantity"] for l in lines), "products": lines}

    def s_loyalty_signup(self, t0: int) -> int:
        r, p = self.r, self.p
        if not p.loyalty_id or self.loyalty_open:
            return self.cursor
        t = self.at_hour(t0, (10, 11, 12, 14, 15, 16, 17, 18), range(6))
        ids = {"loyalty_id": p.loyalty_id}
        if p.showcase or r.random() < LOYALTY_EMAIL_OPTIN:
            ids["email"] = self.messy_email() if r.random() < STORE_EMAIL_MESSY_RATE else p.email
            self.subscribed = True
        if r.random() < 0.7:
            ids["phone"] = p.phone_nat if r.random() < 0.6 else p.phone
            if "sms" in p.channels or r.random() < LOYALTY_SMS_OPTIN:
                self.sms_optin = True
        traits = self.store_traits()
        if r.random() < 0.8:
            traits["birthday"] = p.birthday
        traits["address"] = {"street": p.address["street"], "city": p.address["city"],
                             "postalCode": p.address["postalCode"], "country": p.country}
        code = p.store_code
        self.native(self.us(t), "pos", "Loyalty Card Issued", "store", "pos", ids, traits,
                    {"store": STORES[code], "store_id": code, "card_tier": "classic",
                     "optin_email": "email" in ids, "optin_sms": self.sms_optin})
        self.loyalty_open = True
        return int(t) + 30

    def s_order_store(self, t0: int) -> int:
        r, p = self.r, self.p
        if "store" not in p.channels:
            return self.s_order_web(t0) if "web" in p.channels else self.s_order_postal(t0)
        t = self.at_hour(t0, (10, 11, 12, 14, 15, 16, 17, 17, 18, 18), range(6))
        code = p.store_code if r.random() < 0.85 else r.choice(STORE_CODES)
        if self.loyalty_open and r.random() < KIOSK_RATE:
            # an in-store kiosk: a channel value outside the documented list
            self.native(self.us(t - 300), "pos", "Loyalty Points Checked", "kiosk", "instore_kiosk",
                        {"loyalty_id": p.loyalty_id}, None,
                        {"store": STORES[code], "store_id": code, "points_balance": r.randint(0, 900)},
                        prefix="ksk")
        lines, total = self.basket(3)
        props = self.receipt_props(t, lines, total, code)
        force = self.force_store[0] if self.force_store else None
        if force == "messy" and not self.loyalty_open:
            force = None            # the showcase receipt needs the loyalty card issued first
        elif force:
            self.force_store.pop(0)
        ids, traits = {}, None
        x = r.random()
        if force == "name_postcode":
            traits = {"firstName": p.first, "lastName": p.last, "postalCode": p.postcode}
        elif force == "messy" or (self.loyalty_open and x < 0.85):
            ids["loyalty_id"] = p.loyalty_id
            y = r.random()
            if force == "messy" or y < 0.4:
                if r.random() < STORE_EMAIL_TYPO_RATE and not force:
                    local, dom = p.email.split("@")
                    ids["email"] = local + "@" + DOMAIN_TYPOS.get(dom, dom.replace(".", "", 1))
                else:
                    ids["email"] = self.messy_email(caps=bool(force)) if (force or r.random() < STORE_EMAIL_MESSY_RATE) else p.email
            elif y < 0.4 + TILL_DEFAULT_EMAIL_RATE:
                ids["email"] = r.choice(TILL_DEFAULT_EMAILS)
            elif y < 0.65:
                ids["phone"] = p.phone_nat
            traits = self.store_traits()
        else:
            z = r.random()
            if z < 0.40:
                ids["email"] = self.messy_email() if r.random() < STORE_EMAIL_MESSY_RATE else p.email
                if r.random() < 0.5:
                    traits = self.store_traits()
            elif z < 0.72:
                traits = {"firstName": p.first, "lastName": p.last if r.random() < 0.7 else p.last.upper(),
                          "postalCode": p.postcode}
            elif z < 0.72 + TILL_DEFAULT_EMAIL_RATE * 2:
                ids["email"] = r.choice(TILL_DEFAULT_EMAILS)
                traits = {"firstName": p.first, "lastName": p.last.upper(), "postalCode": p.postcode}
            else:
                ids["phone"] = p.phone_nat
                traits = self.store_traits()
        self.native(self.us(t), "pos", "Order Completed", "store", "pos", ids, traits, props)
        self.orders += 1
        return int(t) + 60

    # ---- sessions: call centre ----------------------------------------------------------------
    def call_ids(self, force=None):
        r, p = self.r, self.p
        x = r.random()
        if force == "national":
            return {"phone": p.phone_nat}
        if x < PLACEHOLDER_PHONE_RATE:
            ids = {"phone": PLACEHOLDER_PHONE}
            if p.crm_id and r.random() < 0.5:
                ids["crm_id"] = p.crm_id
            return ids
        if p.crm_id and x < 0.45:
            return {"crm_id": p.crm_id}
        if p.crm_id and x < 0.6:
            return {"crm_id": p.crm_id, "phone": p.phone_nat}
        y = r.random()
        if y < 0.7:
            return {"phone": p.phone_nat}
        if y < 0.85:
            return {"phone": p.phone_nat.replace(" ", "")}
        if y < 0.93:
            return {"phone": p.phone_nat.replace(" ", ".")}
        return {"phone": p.phone[:3] + " " + p.phone[3] + " " + " ".join(p.phone[i:i + 2] for i in range(4, len(p.phone), 2))}

    def s_call(self, t0: int) -> int:
        r, p = self.r, self.p
        t = self.at_hour(t0, (9, 10, 11, 14, 15, 16, 17), range(6))
        force = self.force_call.pop(0) if self.force_call else None
        ids = self.call_ids(force)
        traits = {"firstName": p.first, "lastName": p.last}
        if ids.get("phone") == PLACEHOLDER_PHONE:
            traits["postalCode"] = p.postcode
        if r.random() < 0.7 or force:
            self.native(self.us(t), "callcenter", "Support Call", "call_center", "crm", ids, traits,
                        {"ticket_id": "TCK-%06d" % r.randint(1, 999999), "reason": r.choice(CALL_REASONS),
                         "duration_sec": r.randint(45, 1500), "agent": r.choice(AGENTS),
                         "resolution": r.choice(("resolved", "resolved", "escalated", "callback"))},
                        local=r.random() < 0.7)
        else:
            self.native(self.us(t), "callcenter", "Complaint Logged", "call_center", "crm", ids, traits,
                        {"ticket_id": "TCK-%06d" % r.randint(1, 999999), "category": r.choice(COMPLAINTS),
                         "severity": r.choice(("low", "medium", "medium", "high")), "agent": r.choice(AGENTS)},
                        local=r.random() < 0.7)
        return int(t) + 60

    def s_order_call(self, t0: int) -> int:
        r, p = self.r, self.p
        t = self.at_hour(t0, (9, 10, 11, 14, 15, 16, 17), range(6))
        lines, total = self.basket(3)
        ids = self.call_ids()
        self.native(self.us(t), "callcenter", "Order Completed", "call_center", "crm", ids,
                    {"firstName": p.first, "lastName": p.last},
                    {"order_id": "TEL-" + hexid(r, 8).upper(), "total": money(total + 4.9), "currency": "EUR",
                     "shipping": 4.9, "payment_method": "card", "agent": r.choice(AGENTS), "products": lines})
        self.orders += 1
        return int(t) + 60

    # ---- sessions: postal / mail order ------------------------------------------------------
    def postal_traits(self):
        """Name and address as keyed in from a paper form: light noise."""
        r, p = self.r, self.p
        first, last = p.first, p.last
        street, city = p.address["street"], p.address["city"]
        x = r.random()
        if x < 0.25:
            last = last.upper()
        elif x < 0.35:
            first, last = first.upper(), last.upper()
        if r.random() < 0.3:
            city = city.upper()
        y = r.random()
        if y < 0.15:
            street = street.replace("rue ", "r. ").replace("avenue ", "av. ").replace("boulevard ", "bd ")
        elif y < 0.25 and len(street) > 8:
            # a typo: two letters swapped in the street name
            i = r.randint(len(street) - 6, len(street) - 3)
            street = street[:i] + street[i + 1] + street[i] + street[i + 2:]
        elif y < 0.32:
            street = street.replace("é", "e").replace("è", "e").replace("É", "E")
        traits = {"firstName": first, "lastName": last,
                  "address": {"street": street, "city": city, "postalCode": p.postcode}}
        if r.random() < 0.45:
            traits["birthday"] = p.birthday
        return traits

    def postal_ids(self):
        r, p = self.r, self.p
        x = r.random()
        if x < 0.6:
            return None
        if x < 0.78 and p.crm_id:
            return {"crm_id": p.crm_id}
        if x < 0.88 and p.loyalty_id and self.loyalty_open:
            return {"loyalty_id": p.loyalty_id}
        return {"email": p.email if r.random() < 0.6 else p.email.capitalize()}

    def s_catalog(self, t0: int) -> int:
        r = self.r
        self.catalogs += 1
        t = self.at_hour(t0, (9, 10, 11, 14, 15, 16), range(5))
        self.native(self.us(t), "postal", "Catalog Requested", "postal", "mail_order", self.postal_ids(),
                    self.postal_traits(), {"catalog": r.choice(BROCHURES[:2]) + " %d" % time.gmtime(t).tm_year,
                                           "form": r.choice(("coupon-magazine", "courrier", "coupon-catalogue"))},
                    empty_identifiers=r.random() < 0.3)
        return int(t) + 60

    def s_order_postal(self, t0: int) -> int:
        r = self.r
        if "postal" not in self.p.channels:
            return self.s_order_web(t0) if "web" in self.p.channels else self.s_catalog(t0)
        t = self.at_hour(t0, (9, 10, 11, 14, 15, 16), range(5))
        lines, total = self.basket(3)
        self.native(self.us(t), "postal", "Mail Order Placed", "postal", "mail_order", self.postal_ids(),
                    self.postal_traits(),
                    {"order_id": "VPC-" + hexid(r, 8).upper(), "total": money(total + 6.9), "shipping": 6.9,
                     "currency": "EUR", "payment_method": r.choice(("cheque", "cheque", "card")), "products": lines},
                    empty_identifiers=r.random() < 0.3)
        self.orders += 1
        return int(t) + 60


# =============================================================================================
# Sinks: bounded-memory external sort by (time, person, sequence)
# =============================================================================================


class SortedSink:
    def __init__(self, path: str, truth_name: str, tmpdir: str):
        self.path, self.truth_name, self.tmpdir = path, truth_name, tmpdir
        self.buf: list[str] = []
        self.runs: list[str] = []
        self.count = 0

    def add(self, rec: str):
        self.buf.append(rec)
        self.count += 1

    def spill(self):
        if not self.buf:
            return
        self.buf.sort()
        fd, path = tempfile.mkstemp(prefix="run-", suffix=".tmp", dir=self.tmpdir)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.writelines(self.buf)
        self.runs.append(path)
        self.buf = []

    def finish(self, truth) -> tuple[int, int]:
        if self.runs:
            self.spill()
            files = [open(p, encoding="utf-8", newline="\n") for p in self.runs]
            it = heapq.merge(*files)
        else:
            self.buf.sort()
            files, it = [], iter(self.buf)
        n = size = 0
        name = self.truth_name
        with open(self.path, "w", encoding="utf-8", newline="\n") as out:
            for rec in it:
                _, pid, line = rec.split("\t", 2)
                n += 1
                out.write(line)
                truth.write("%s,%d,%s\n" % (name, n, pid))
            size = out.tell()
        for f in files:
            f.close()
        for p in self.runs:
            os.unlink(p)
        self.buf = []
        return n, size


class Sinks:
    def __init__(self, sinks: dict[str, SortedSink], route: dict[str, str]):
        self.sinks, self.route = sinks, route
        self.buffered = 0

    def put(self, key: str, pid: str, file: str, line: str):
        self.sinks[self.route[file]].add(key + "\t" + pid + "\t" + line + "\n")
        self.buffered += 1
        if self.buffered >= SORT_BUFFER_LINES:
            for name in sorted(self.sinks):
                self.sinks[name].spill()
            self.buffered = 0


# =============================================================================================
# Driver
# =============================================================================================

SEG_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode
NATIVE_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def render(file: str, obj: dict) -> str:
    if file == "email":
        return NATIVE_DUMPS(obj)      # legacy exports keep their own key order
    if file in ("web", "app"):
        return SEG_DUMPS(obj)
    return NATIVE_DUMPS(obj)


def emit_person(sinks: Sinks, p: Person, events, stats):
    for seq, (us, file, obj) in enumerate(events):
        key = "%017d%08d%05d" % (us, p.idx, seq)
        sinks.put(key, p.pid, file, render(file, obj))
        stats[file] = stats.get(file, 0) + 1


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--people", type=int, help="number of synthetic people (data-set mode; --out is a directory)")
    g.add_argument("--lines", type=int, help="exact number of lines (benchmark mode; --out is a .ndjson file)")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--split", action="store_true", help="one file per channel (with --people)")
    ap.add_argument("--events-per-person-mean", type=float, default=None)
    a = ap.parse_args(argv)
    if a.lines is not None and a.split:
        ap.error("--split goes with --people, not --lines")
    if (a.people is not None and a.people < 1) or (a.lines is not None and a.lines < 1):
        ap.error("--people/--lines must be at least 1")
    mean = a.events_per_person_mean or (DEFAULT_MEAN_EVENTS if a.people is not None else BENCH_MEAN_EVENTS)

    t_start = time.monotonic()
    if a.people is not None:
        os.makedirs(a.out, exist_ok=True)
        outdir = a.out
        truth_path = os.path.join(a.out, "truth.csv")
        if a.split:
            names = {f: f + ".ndjson" for f in CHANNEL_FILES}
            route = {f: f for f in CHANNEL_FILES}
        else:
            names = {"all": "events.ndjson"}
            route = {f: "all" for f in CHANNEL_FILES}
        paths = {k: os.path.join(a.out, v) for k, v in names.items()}
    else:
        outdir = os.path.dirname(os.path.abspath(a.out))
        os.makedirs(outdir, exist_ok=True)
        base = a.out
        for ext in (".ndjson", ".jsonl", ".json"):
            if base.endswith(ext):
                base = base[: -len(ext)]
                break
        truth_path = base + ".truth.csv"
        names = {"all": os.path.basename(a.out)}
        route = {f: "all" for f in CHANNEL_FILES}
        paths = {"all": a.out}

    tmpdir = tempfile.mkdtemp(prefix=".unify-gen-", dir=outdir)
    try:
        sinks = Sinks({k: SortedSink(paths[k], names[k], tmpdir) for k in sorted(paths)}, route)
        pop = Population(a.seed)
        stats: dict[str, int] = {}
        people = total = 0
        carry = 0.0
        while True:
            if a.people is not None and people >= a.people:
                break
            if a.lines is not None and total >= a.lines:
                break
            for p in pop.household():
                if a.people is not None and people >= a.people:
                    break
                if a.lines is not None and total >= a.lines:
                    break
                j = Journey(p, mean, carry)
                events = j.run()
                carry = max(-10 * mean, min(10 * mean, carry + len(events) - j.target))
                if a.lines is not None and total + len(events) > a.lines:
                    events = events[: a.lines - total]
                people += 1
                total += len(events)
                emit_person(sinks, p, events, stats)
        results = {}
        with open(truth_path, "w", encoding="utf-8", newline="\n") as truth:
            truth.write("file,line,person\n")
            order = [f for f in CHANNEL_FILES if f in sinks.sinks] if a.split else sorted(sinks.sinks)
            for k in order:
                results[names[k]] = sinks.sinks[k].finish(truth)
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
    took = time.monotonic() - t_start
    seg = sum(stats.get(f, 0) for f in SEGMENT_FILES)
    print("people: %d, lines: %d (Segment %.1f%%, native %.1f%%), %.1fs" % (
        people, total, 100.0 * seg / max(1, total), 100.0 * (total - seg) / max(1, total), took), file=sys.stderr)
    for name, (n, size) in results.items():
        print("  %-20s %9d lines %12d bytes" % (name, n, size), file=sys.stderr)
    print("  %-20s %s" % ("truth", truth_path), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
