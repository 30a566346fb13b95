"""Verbs that make an event of a meeting or a signing ("met with", "استقبل",
"وقعت"), in folded form; shared by the lexicon loader and the relation finder."""
MEET_VERBS = frozenset({"met", "meets", "meet", "التقي", "التقت", "يلتقي", "تلتقي", "استقبل", "استقبلت", "يستقبل",
                        "تستقبل", "بحث", "بحثت", "received", "receives"})
SIGN_VERBS = frozenset({"وقع", "وقعت", "وقعا", "توقعان", "يوقعان", "يوقع", "توقع", "signed", "sign", "signs"})
