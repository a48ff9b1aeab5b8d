"""Made-up names and places for the synthetic articles of bench/store.py and bench/memory.py."""

FIRST = ["Ana", "Kofi", "Lena", "Ravi", "Sofia", "Omar", "Mei", "Jonas", "Amara", "Pedro", "Ilse", "Tariq",
         "Nadia", "Hugo", "Priya", "Erik", "Leila", "Marco", "Yuki", "Samuel"]
LAST = ["Ferreira", "Mensah", "Vogel", "Iyer", "Lind", "Haddad", "Chen", "Berg", "Okafor", "Costa", "Brandt",
        "Nasser", "Kowalski", "Dubois", "Raman", "Holm", "Farouk", "Rossi", "Sato", "Adeyemi"]
ORGS = ["the city council", "the port authority", "the water board", "the teachers' union", "the rail company",
        "the health ministry", "the chamber of commerce", "the transport agency"]
PLACES = ["Riverton", "Eastbay", "Northfield", "Lakeside", "Stonebridge", "Westmoor", "Harbourview", "Millbrook"]
