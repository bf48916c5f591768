"""Rule-based safety and audience signals, on a blank spaCy English pipeline.

This module has no Rasa imports so that it can be tested and benchmarked on its own;
``nlu_components.safety`` wraps it as a Rasa graph component.

Signals:
- danger: someone is in danger right now, or has just harmed themselves;
- self_harm: suicidal feelings or self-harm;
- audience: a stated age, school year or role that decides child (under 19) or adult;
- audience_cue: weaker hints ("my stepdad", "a child in my class").
Each danger or self-harm match is checked for negation ("im not in danger"),
conditionals and hyperbole ("she'd kill me if i failed lol").
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import spacy
from spacy.matcher import Matcher

from nlu_components.textnorm import normalise, text_speak_words

ADULT_AGE = 19

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80,
}
NUMBER_TOKENS = [str(n) for n in range(1, 100)] + list(NUMBER_WORDS)

# "-ing" forms that mean it is happening now. Not "hurting", "touching", "abusing", "threatening":
# people use those for ongoing abuse ("he is hurting me"), which is a disclosure, not a 999 call.
VIOLENT_ING = ["hitting", "beating", "battering", "attacking", "strangling", "choking", "stabbing",
               "kicking", "punching", "slapping", "raping", "smashing", "throwing", "dragging", "burning",
               "killing", "shooting", "assaulting", "strangle", "chasing", "following",
               # regional: Scots "skelping", Northern "leathering", "lamping", "belting", "twatting"
               "skelping", "leathering", "lamping", "belting", "twatting", "bashing", "booting"]
HARM_WORDS = VIOLENT_ING + ["hit", "hits", "beat", "beats", "hurt", "hurts", "kill", "knife", "gun", "attack",
                            "blood", "bleeding", "punch", "punched", "kick", "kicked", "strangled", "choked",
                            "stab", "weapon", "rape", "raped", "batter", "batters", "fight", "fighting",
                            "screaming", "violent", "drunk", "smashed", "threatened", "danger", "skelped", "leathered",
                            "lamped", "belted", "bashed", "battered", "booted", "banging", "grabbed", "throwing",
                            "threatening"]
FUTURE = ["going", "gonna", "will", "hell", "shell", "theyll"]
URGENT = ["now", "tonight", "moment", "currently", "outside", "coming"]
# "a few minutes ago", "still going", "will not stop": it is happening, or only just happened
URGENT_PHRASES = [["minutes", "ago"], ["mins", "ago"], ["minute", "ago"], ["min", "ago"], ["seconds", "ago"],
                  ["still", "going"], ["will", "not", "stop"], ["wo", "not", "stop"], ["keeps", "going"], ["just", "now"],
                  ["hour", "ago"], ["hours", "ago"], ["as", "we", "speak"]]
# said of something that happened before, not now ("last night", "years ago", "yesterday")
PAST_TIME = {"last", "yesterday", "ago", "earlier", "used"}
LONG_AGO = [[unit, "ago"] for unit in ("years", "year", "months", "month", "weeks", "week", "days")] + [
    ["last", unit] for unit in ("year", "month", "week", "summer", "christmas")] + [["when", "i", "was"]]
# over, or not today, unless the sentence also says now: "grabbed me by the throat on tuesday", "at the weekend",
# "all through my childhood", "hes going to kill me one day"
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NOT_TODAY = [["on", day] for day in WEEKDAYS] + [[day, "night"] for day in WEEKDAYS] + [
    ["at", "the", "weekend"], ["at", "christmas"], ["the", "other", "day"], ["the", "other", "night"],
    ["the", "other", "week"], ["one", "day"], ["as", "a", "kid"],
    ["as", "a", "child"], ["growing", "up"], ["grew", "up"], ["my", "childhood"], ["in", "the", "summer"]] + [
    ["in", month] for month in ("january", "february", "march", "april", "june", "july", "august", "september",
                                "october", "november", "december")]
# a danger phrase that describes a picture, video or story, not the writer's situation
MEDIA = {"video", "videos", "vid", "vids", "image", "images", "picture", "pictures", "pic", "pics", "photo",
         "photos", "clip", "clips", "footage", "film", "movie", "show", "episode", "game", "book", "news",
         "documentary", "story", "drama", "novel", "level", "nightmare", "dream", "dreamt", "dreamed", "fortnite",
         "minecraft", "roblox", "gta", "fifa", "xbox", "playstation", "ps5", "switch", "gameplay"}
# sarcasm around "in danger": "oh yeah im soooo in danger", "totally in danger"
SARCASM = {"so", "soo", "totally", "sooo", "super", "mega", "deffo", "definitely", "yeah"}
WEAPONS = ["knife", "knives", "gun", "blade", "machete", "weapon", "hammer", "bat", "axe", "scissors"]
PILLS = ["pills", "tablets", "paracetamol", "painkillers", "overdose", "bleach", "sleeping", "ibuprofen",
         "meds", "medication", "antidepressants", "codeine", "aspirin"]
# sixteenth session: self-inflicted danger said plainly, which the rules missed ("swallowed a whole bottle of
# pills", "necked loads of me mams tablets", "drank bleach", "theres blood everywhere"); the guide calls these
# danger now (docs/intents.md). A dose counts only with a word that makes it many ("took my tablets" is a routine).
PILL_NOUNS = ["pills", "pill", "tablets", "tablet", "paracetamol", "painkillers", "ibuprofen", "meds", "medication",
              "medicine", "antidepressants", "codeine", "aspirin", "sertraline", "fluoxetine", "citalopram", "tramadol",
              "diazepam", "prescription"]
DOSE_WORDS = ["a", "an", "all", "whole", "load", "loads", "lot", "lots", "of", "bottle", "box", "packet", "pack",
              "strip", "handful", "the", "my", "me", "mum", "mam", "dad", "nan", "gran", "'s", "mums", "mams", "dads",
              "nans", "grans", "her", "his", "their", "too", "many", "much", "every", "entire", "rest", "bunch", "pile",
              "clatter", "half", "heart", "sleeping", "sleepin", "some", "full", "tub", "sleep", "blood", "pressure",
              "anxiety", "depression", "pain"]
MANY = {"all", "whole", "load", "loads", "lot", "lots", "bottle", "box", "packet", "pack", "strip", "handful", "every",
        "entire", "rest", "bunch", "pile", "clatter", "half", "too", "many", "tub", "full"}
POISONS = ["bleach", "weedkiller", "antifreeze", "poison", "screenwash", "turps", "disinfectant"]
# blood that is not an injury, or not one that needs 999: a nosebleed, a period, a film, face paint, a cut finger,
# a new tattoo
BLOOD_NOT_HARM = {"nose", "nosebleed", "nosebleeds", "period", "periods", "tampon", "pad", "pads", "ketchup", "paint",
                  "fake", "costume", "halloween", "zombie", "dentist", "tooth", "teeth", "gums", "test", "donate",
                  "donating", "film", "movie", "game", "show", "episode", "book", "horror", "steak", "meat", "finger",
                  "thumb", "papercut", "shaving", "chopping", "peeling", "tattoo", "piercing", "graze", "grazed", "knee",
                  "splinter", "scab", "spot", "pimple"}
# "on the edge of ...": a drop, not "the edge of the group"
EDGE_OF_A_DROP = {"bridge", "roof", "tracks", "railway", "cliff", "balcony", "motorway", "platform", "road", "building",
                  "water", "river", "quarry", "pier", "tower", "car", "multi", "canal", "sea", "window", "flats"}
PLACES_EDGE = ["bridge", "roof", "edge", "ledge", "tracks", "railway", "cliff", "balcony", "motorway"]
LIMBS = ["arm", "arms", "legs", "wrists", "thighs", "leg", "wrist", "stomach"]
BODY = LIMBS + ["head", "face", "body", "skin", "hand", "hands", "fingers", "finger", "hips", "chest"]
PRIVATE_PARTS = ["private", "privates", "privit", "privits", "privet", "parts", "bits", "bum", "boobs", "chest", "willy",
                 "vagina", "penis", "body", "down"]
SEXUAL_ING = ["touching", "groping", "molesting", "abusing", "undressing", "feeling", "fondling"]
JUST_VIOLENT = ["hit", "punched", "stabbed", "slapped", "kicked", "beat", "battered", "strangled", "choked", "attacked",
                "raped", "shot", "whacked", "headbutted", "smacked", "threw", "pushed", "shoved", "stamped", "bit"]
OBJ = ["me", "us", "her", "him", "them", "my", "mum", "the", "someone", "a", "baby", "sister", "brother", "kids",
       "children", "child"]
NEGATORS = {"not", "no", "never", "nobody", "nothing", "without", "neither", "nor", "if", "unless",
            "stopped", "anymore", "used", "would", "wouldn't", "joking", "jk", "kidding", "lol", "lmao", "haha",
            "hypothetically", "pretend", "movie", "film", "game", "book", "story", "song"}
# Where the clause of a match starts, looking back from it: punctuation and conjunctions, and verbs of knowing,
# telling and stopping, which take a clause of their own, so that a negator before them negates the knowing or
# telling, not the harm: "no one knows my dad hits me", "i never told anyone he touches me", "nobody cares that he
# beats me", "no one stops him hitting me", "i cant sleep cos he comes in my room". Not "think", "believe" or
# "want": a negator before them moves into the clause ("i dont think he hits me" says he does not, "i dont want to
# die" is not wanting to).
# A conditional just before such a verb keeps its reach ("what should i do if i see someone with a knife").
VERB_CUTS = {"know", "knows", "knew", "care", "cares", "cared", "notice", "notices", "noticed", "realise", "realises",
             "realised", "realize", "realizes", "realized", "understand", "understands", "tell", "tells", "told", "say",
             "says", "said", "see", "sees", "saw", "listen", "listens", "listened", "stop", "stops", "helps", "help"}
CONDITIONALS = {"if", "unless"}
CLAUSE_CUTS = {".", "!", "?", ",", "but", "and", "because", "cos", "coz", "cuz", "cause", "bc", "when", "whenever", "why",
               ";"} | VERB_CUTS
# A third person as subject starts a new clause in run-on writing ("i cant breathe he is choking me"), unless the
# word before governs that clause: a negator before "think" or "if" still reaches into it ("i dont think he is
# going to hurt me", "not if he hits me").
NEW_SUBJECTS = {"he", "she", "they"}
# A negator before a verb of thinking reaches into a prediction beyond the usual window (_raised_from).
NEG_RAISING = {"think", "thinks", "believe", "believes", "reckon", "suppose", "expect"}
PREDICTED_SUBJECTS = {"he", "she", "they", "anyone", "anybody", "someone", "somebody", "it", "we", "my", "mum", "dad"}
MODALS = {"will", "would", "wud", "going", "gonna", "ll", "'ll", "might", "could"}
GOVERN_A_SUBJECT = {"think", "thinks", "thought", "believe", "believes", "reckon", "suppose", "guess", "expect", "if",
                    "unless", "that", "whether"}
# Self-harm talk is taken seriously even when joked about or hedged: fewer words cancel it.
SELF_HARM_NEGATORS = {"not", "no", "never", "nobody", "neither", "nor", "pretend", "movie", "film", "game", "book",
                      "story", "song", "kidding"}
# what "mum's gonna kill me" is usually about: hyperbole over a lost phone or forgotten homework, not a threat
TRIVIAL_REASONS = {"homework", "kit", "forgot", "forgetting", "forget", "lost", "losing", "hair", "dyed",
                   "dying", "scratched", "scratching", "crashed", "crashing", "dented", "chips", "grades", "results",
                   "report", "detention", "late", "mess", "broke", "breaking", "spent", "spending", "bill", "test",
                   "exam", "exams", "marks", "uniform", "tattoo", "piercing", "curfew", "fail", "failed", "failing",
                   "grounded", "coursework", "trainers", "ate", "scoffed", "nicked", "borrowed", "ruined", "spilt",
                   "spilled"}
# "exams are killing me", "this homework is killing me": the subject is not a person.
NOT_A_PERSON = {"exams", "exam", "school", "work", "homework", "this", "it", "that", "revision", "feet", "back",
                "head", "legs", "heat", "music", "job", "coursework", "stress", "tests", "teachers", "shoes", "period",
                "routine", "gym", "training", "diet", "weather", "cold", "flu", "hayfever", "tooth", "teeth", "stomach",
                "cramps", "boredom", "waiting", "suspense", "maths", "lessons", "mocks", "gcses", "chores", "commute"}
ONLINE = {"social", "insta", "instagram", "snap", "snapchat", "tiktok", "online", "internet", "socials", "twitter",
          "facebook", "discord", "whatsapp", "grid", "apps", "app"}
SAFE_NOW = [["i", "am", "safe"], ["we", "are", "safe"], ["safe", "now"], ["not", "in", "danger"],
            ["no", "danger"], ["not", "right", "now"], ["calmed", "down"]]
HABITUAL = {"every", "always", "sometimes", "usually", "often", "whenever", "all", "years", "ago", "last",
            "used", "when", "weekends", "nights", "evenings", "mornings", "regularly"}
# "ive thought about drinking bleach", "been thinking of jumping": a thought, for the self-harm rules, not an act now
THINKING_OF = {"think", "thinks", "thinking", "thinkin", "thought", "thoughts"}
# "when he is angry", "when i do something wrong": a "when" that says what sets it off is a habit, not a time
# today ("he waves a knife around when hes angry"); a bare "when" is not ("hell kill me when he gets home")
WHEN_SET_OFF = {"angry", "drunk", "mad", "cross", "naughty", "wrong", "mood", "temper", "stressed", "upset", "annoyed",
                "wasted", "pissed", "steaming", "raging", "fuming", "bad", "kicks"}
# "for years now", "three times now", "for a long time now": "now" says so far, not this minute (not "for ages
# now" or "for an hour now", which can be this minute)
SO_FAR_BEFORE_NOW = {"years", "yrs", "months", "weeks", "times"}
SO_FAR_MASK = "<sofar>"
# where a carried or kept weapon is put away: "a knife in his bag", "under his bed"
WEAPON_KEPT_IN = {"bag", "bags", "pocket", "pockets", "locker", "room", "bedroom", "drawer", "car", "backpack", "rucksack",
                  "coat", "jacket", "bed", "pillow", "wardrobe", "shed", "blazer", "pencil", "sock", "shoe"}
# "i think my neighbour is hitting his kids": a suspicion of something ongoing, not an attack being watched
SUSPECTING = {"think", "thinks", "reckon", "reckons", "suspect", "suspects", "believe", "worried", "worry", "feel"}
ONGOING_ING = {"hitting", "beating", "smacking", "slapping", "hurting", "abusing", "bashing", "belting", "battering"}
# someone else put them there: "he locks me out on the balcony", "a toddler left crying on the balcony"
PUT_THERE = {"locks", "locked", "left", "leaves", "leave", "leaving", "shut", "shuts", "puts", "put", "kept", "keeps"}
# a threat to share images is sextortion, its own route (nude_image_shared), not a 999 call by itself
IMAGE_WORDS = {"nudes", "nude", "naked", "screenshot", "screenshots", "screenshotted", "topless", "webcam"}
# a clause that says the writer is safe for the moment or the person who hurts them is not there: its "now" or
# "tonight" is about the calm, not the harm ("he hits me most weekends, hes away tonight though", "it happened
# again yesterday, hes at work now", "theyre home tonight so im alright for now")
CALM_FOR_NOW = [[word, "for", "now"] for word in ("alright", "ok", "okay", "fine", "safe", "good", "sound")] + [
    ["for", "the", "moment"]]
AWAY = [["away"], ["out"], ["asleep"], ["at", "work"], ["at", "the", "pub"], ["on", "nights"], ["in", "prison"],
        ["at", "my", "mates"], ["at", "my", "nans"], ["at", "my", "grans"], ["at", "my", "friends"],
        ["at", "school"], ["at", "college"], ["fine"], ["ok"], ["okay"], ["alright"], ["with", "me"], ["with", "us"],
        ["living", "with", "us"], ["living", "with", "me"], ["staying", "with", "us"], ["staying", "with", "me"]]
CALM_TAIL = {"now", "tonight", "though", "thank", "god", "thankfully", "luckily", "at", "least", "for", "the", "moment",
             "till", "until", "later", "weekend", "morning", "so", "rn", "currently", "anyway", "tho", "x", "xx"}
# where someone is with the writer this minute: "hes in my room touching me"
ABUSER_HERE = [["in", "my", "room"], ["in", "my", "bed"], ["in", "bed", "with", "me"], ["in", "the", "bathroom", "with"],
               ["on", "top", "of", "me"], ["next", "to", "me"], ["is", "here"], ["are", "here"],
               ["can", "not", "get", "out"], ["wo", "not", "let", "me", "go"], ["will", "not", "let", "me", "go"]]
# an injury the writer has now keeps the message's time words: "dad is asleep now, he hit me so hard my nose is
# bleeding" is still a 999 call
INJURED_NOW = {"bleeding", "broken", "snapped", "unconscious", "dizzy", "breathe", "breathing", "concussion", "blood"}
CALM_MASK = "<calm>"
SENTENCE_ENDS = {".", "!", "?", ";"}
CLAUSE_BREAKS = {",", "but", "and", "because", "then", "so"}

ADULT_ROLES = ["parent", "teacher", "carer", "foster", "guardian", "grandparent", "grandmother", "grandfather",
               "nan", "gran", "grandma", "grandad", "social", "worker", "nurse", "doctor", "gp", "childminder",
               "nanny", "headteacher", "teaching", "assistant", "tutor", "coach", "police", "officer",
               "volunteer", "youth", "leader", "professional", "adult", "grown", "auntie", "aunt", "uncle",
               "stepmum", "stepdad", "stepparent", "neighbour", "mum", "dad", "mother", "father", "safeguarding",
               "lead", "senco", "health", "visitor", "midwife", "pastor", "vicar", "manager"]
# "my son", "my pupil": the writer is responsible for a child. Not "my niece" or "my baby":
# teenagers write those too.
CHILD_RELATIONS = ["son", "daughter", "child", "children", "kid", "kids", "pupil", "pupils", "student", "students",
                   "grandson", "granddaughter", "grandchild", "grandkids", "grandchildren", "stepson", "stepdaughter",
                   "toddler", "boy", "girl"]
CHILD_CUE_PEOPLE = ["mum", "dad", "stepdad", "stepmum", "parents", "teacher", "nan", "gran", "carer",
                    "mum's", "dad's", "foster", "headteacher", "social"]


@dataclass
class Signals:
    danger: bool = False
    self_harm: bool = False
    danger_negated: bool = False
    self_harm_negated: bool = False
    disclosure: bool = False
    disclosure_negated: bool = False
    disclosure_first_person: bool = False
    own_images: bool = False
    mentions_media: bool = False  # images, videos, films...: "a video of a child being abused" is a report
    age: Optional[int] = None
    school_year: Optional[str] = None
    role: Optional[str] = None
    audience: Optional[str] = None
    audience_cue: Optional[str] = None
    matches: List[Tuple[str, str]] = field(default_factory=list)

    def as_dict(self) -> Dict[str, object]:
        return {
            "danger": self.danger, "self_harm": self.self_harm, "danger_negated": self.danger_negated,
            "self_harm_negated": self.self_harm_negated, "disclosure": self.disclosure,
            "disclosure_negated": self.disclosure_negated, "own_images": self.own_images, "audience": self.audience,
            "audience_cue": self.audience_cue, "matches": [label for label, _ in self.matches],
        }


def _in(words):
    return {"LOWER": {"IN": list(words)}}


def _opt(words):
    return {"LOWER": {"IN": list(words)}, "OP": "?"}


ANY = {"OP": "?"}

DANGER_PATTERNS = {
    "violence_in_progress": [
        [_in(["is", "are"]), _opt(["currently", "still", "literally"]), _in(VIOLENT_ING)],
        [_in(["is", "are"]), {"LOWER": "trying"}, {"LOWER": "to"}, _in(["kill", "hurt", "strangle", "stab", "rape", "hit", "break"])],
        # "hes trying to get in", "trying to get me" (not "trying to get my boy onto another app")
        [_in(["is", "are"]), {"LOWER": "trying"}, {"LOWER": "to"}, {"LOWER": "get"}, _in(["in", "inside", "into", "me", "us", "at"])],
        [_in(["is", "are"]), {"LOWER": "trying"}, {"LOWER": "to"}, {"LOWER": "get"}, _in(["my", "her", "him", "them", "the", "a"]),
         _opt(["little", "friend", "sister", "brother", "mate"]), {"OP": "?"}, _in(["in", "into", "inside"])],
        # "hes holding me down and punching me" (the habit and safe-now checks in `detect` still apply)
        [_in(["holding", "pinning"]), _in(["me", "us", "her", "him"]), {"LOWER": "down"}],
        # "my partner is shaking our baby" (not "my hands are shaking")
        [{"LOWER": "shaking"}, _in(["the", "our", "my", "his", "her", "their", "a"]), _in(["baby", "newborn", "toddler"])],
    ],
    # sexual abuse going on this minute: "he is touching me right now", "hes in my room touching me" (the loop
    # in `detect` keeps it only with a time or place that says now; "my uncle is touching me" alone is a disclosure)
    "sexual_abuse_now": [
        [_in(["is", "are", "room", "bed", "bedroom", "keeps", "keep"]), _opt(["currently", "still", "literally"]),
         _in(SEXUAL_ING), _in(["me", "us", "her", "him"])],
        [_in(["is", "are", "room", "bed", "bedroom", "keeps", "keep"]), _opt(["currently", "still", "literally"]),
         _in(SEXUAL_ING), _in(["my", "her", "his"]), _in(PRIVATE_PARTS + BODY)],
        # "hes making me take my clothes off right now"
        [{"LOWER": "making"}, _in(["me", "us", "her", "him"]), _in(["take", "get"]), _opt(["my", "her", "his", "our"]),
         _in(["clothes", "top", "pants", "knickers", "trousers", "naked", "undressed"])],
        [{"LOWER": "making"}, _in(["me", "us", "her", "him"]), _in(["strip", "undress", "suck"])],
        [{"LOWER": "making"}, _in(["me", "us", "her", "him"]), {"LOWER": "touch"}, _in(["him", "her", "them", "his"])],
    ],
    # violence that has only just happened: "he just punched my mum", "my stepdad just beat me up" (not "it just
    # hit me that...", "they just kicked me out", "he just hurt my feelings": see `_just_attacked_figuratively`)
    "just_attacked": [
        [{"LOWER": "just"}, _opt(["really", "properly", "literally"]), _in(JUST_VIOLENT), _in(OBJ + [
            "dad", "nan", "gran", "stepmum", "stepdad", "son", "daughter", "friend", "mate", "wife", "partner"])],
        [{"LOWER": "just"}, _in(["beat", "beaten", "battered"]), _in(["me", "us", "her", "him", "them"]), {"LOWER": "up"}],
    ],
    # harm promised for later today, checked for a time that says so (THREAT_TIMES): "hes going to break my arm
    # when he gets in", "hell come in my room once mum falls asleep", "tonight im getting whats coming to me"
    "threat_for_later": [
        [_in(FUTURE), _opt(["to"]), _in(["break", "batter", "beat", "hurt", "hit", "punch", "smash", "leather", "belt",
                                         "strangle", "stab", "burn", "rape"]), _in(["me", "us", "my", "her", "him", "mum", "you"])],
        [_in(FUTURE), _opt(["to"]), {"LOWER": "deal"}, {"LOWER": "with"}, _in(["me", "us"])],
        [_in(FUTURE), _opt(["to"]), {"LOWER": "make"}, _in(["me", "us"]), {"LOWER": "pay"}],
        [_in(["come", "coming"]), _in(["for", "in", "into"]), _in(["me", "us", "my"]), _opt(["room", "bed", "bedroom"])],
        [{"LOWER": "getting"}, {"LOWER": "what"}, _opt(["s", "is"]), {"LOWER": "coming"}, {"LOWER": "to"}, {"LOWER": "me"}],
    ],
    "kill_threat": [
        [_in(["going", "about", "coming"]), {"LOWER": "to"}, _in(["kill", "stab", "shoot", "murder", "hurt", "strangle", "rape", "get"]), _in(OBJ)],
        [_in(["will", "threatening", "threatened", "threatens", "says", "said"]), _opt(["to", "he", "she", "they", "will"]), _opt(["will"]), _in(["kill", "stab", "shoot", "murder"]), _in(OBJ)],
    ],
    "weapon": [
        [_in(["has", "got", "with", "holding", "pointing", "waving", "grabbed", "pulled", "carrying"]), _opt(["a", "the", "his", "her", "their", "big", "kitchen"]), _opt(["kitchen", "big"]), _in(WEAPONS)],
        [_in(WEAPONS), _in(["to", "at", "against"]), _in(["my", "me", "her", "him", "us"])],
    ],
    "just_harmed": [
        [{"LOWER": "just"}, _in(["took", "taken", "swallowed", "drank", "cut", "overdosed", "had"]), ANY, ANY, ANY, ANY, ANY, ANY, _in(PILLS + ["deep", "myself", "wrists", "wrist", "arm", "arms"])],
        [_in(["took", "taken", "swallowed"]), _in(["an", "a", "loads", "lots", "all", "whole", "every", "too", "handful"]), _opt(["lot", "of", "box", "bottle", "packet", "many", "the", "my", "much"]), _opt(["of", "the", "my"]), _in(PILLS)],
        [_in(["took", "taken"]), {"LOWER": "an"}, _in(["overdose", "od"])],
        [_in(["bleeding"]), _in(["a", "loads", "lots", "badly", "heavily", "everywhere", "so", "really", "and", "wo", "will"]), _opt(["lot", "much", "not", "bad", "will"]), _opt(["stop", "not"])],
        [_in(["can", "cannot"]), {"LOWER": "not"}, {"LOWER": "stop"}, _opt(["the", "it"]), {"LOWER": "bleeding"}],
        [{"LOWER": "cut"}, _opt(["myself", "my", "it"]), _opt(["wrist", "arm"]), {"LOWER": "too"}, {"LOWER": "deep"}],
        [{"LOWER": "not"}, _in(["breathing", "moving", "responding"])],
        [{"LOWER": "just"}, _in(["tried", "attempted"]), {"LOWER": "to"}, _in(["kill", "hang", "end", "overdose", "strangle", "drown"])],
        [{"LOWER": "just"}, _in(["jumped", "thrown", "threw"]), _opt(["herself", "himself", "myself"]), _in(["off", "from", "out", "in"]),
         _opt(["of", "front"]), _opt(["the", "a", "her", "his", "my", "of"]), _opt(["bedroom", "upstairs"]),
         _in(["bridge", "roof", "window", "building", "balcony", "car", "train", "bus", "lorry", "cliff", "tracks", "river"])],
        [_in(["hands", "hand", "arm", "rope", "belt"]), _in(["round", "around"]), _in(["my", "her", "his", "their", "the"]), _in(["neck", "throat"])],
        [{"LOWER": "by"}, {"LOWER": "the"}, _in(["throat", "neck"])],
        [{"LOWER": "being"}, _in(["chased", "followed", "attacked", "beaten", "stabbed", "raped", "strangled", "kidnapped", "held"])],
        [_in(["unconscious", "unresponsive"])],
        [{"LOWER": "will"}, {"LOWER": "not"}, {"LOWER": "wake"}, {"LOWER": "up"}],
        # someone collapsed or fitting: "hes gone all floppy", "out cold", "having a seizure"
        [_in(["gone", "going", "is", "are", "went", "all"]), _opt(["all", "really", "very"]), {"LOWER": "floppy"}],
        [{"LOWER": "out"}, {"LOWER": "cold"}],
        [_in(["having", "had"]), _opt(["a"]), _in(["seizure", "seizures"])],
    ],
    # a dose just taken: "necked loads of me mams tablets", "swallowed a whole bottle of pills" (MANY or a count of
    # PILLS_THAT_ALARM required in `detect`), poison drunk, "the baby swallowed a button battery"
    "overdose_now": [
        [_in(["took", "taken", "swallowed", "swallied", "necked", "downed", "drank", "drunk", "eaten", "ate", "popped"]),
         {"LOWER": {"IN": DOSE_WORDS + NUMBER_TOKENS}, "OP": "*"}, _in(PILL_NOUNS)],
        [_in(["drank", "drunk", "swallowed", "necked", "downed", "drinking", "swallowing"]),
         _opt(["some", "a", "the", "from", "of"]), _opt(["of", "the", "bottle", "cup", "glass", "from"]),
         _opt(["the", "of", "bottle"]), _in(POISONS)],
        [_in(["swallowed", "swallowing"]), _opt(["a", "some", "the", "two"]), _opt(["button", "magnetic"]),
         _in(["battery", "batteries", "magnet", "magnets"])],
        [_in(PILL_NOUNS), _opt(["are", "all"]), _opt(["all"]), {"LOWER": "lined"}, {"LOWER": "up"}],
    ],
    # bleeding that is an injury now: "theres blood everywhere", "the towel is soaked with blood", "bleeding out"
    # (`detect` drops it beside BLOOD_NOT_HARM or when the sentence tells it as past: "there was blood everywhere")
    "bleeding_now": [
        [{"LOWER": "blood"}, _opt(["is", "keeps", "still", "just"]),
         _in(["everywhere", "pouring", "dripping", "gushing", "pumping", "pissing", "streaming", "running"])],
        [{"LOWER": "blood"}, {"LOWER": "all"}, _in(["over", "round", "around"])],
        [_in(["soaked", "soaking", "covered", "dripping"]), _opt(["through", "right"]), _opt(["with", "in"]), {"LOWER": "blood"}],
        [_in(["lost", "losing"]), _in(["loads", "lots", "a", "so", "too"]), _opt(["lot", "much"]), _opt(["of"]), {"LOWER": "blood"}],
        [{"LOWER": "so"}, {"LOWER": "much"}, {"LOWER": "blood"}],
        [{"LOWER": "bleeding"}, {"LOWER": "out"}],
        [{"LOWER": "bleeding"}, {"LOWER": "bad"}],
        [{"LOWER": "bleeding"}, {"LOWER": "from"}, _opt(["my", "his", "her", "their", "the", "me"]),
         _in(["head", "ear", "ears", "wrist", "wrists", "neck", "stomach", "chest", "eye", "eyes", "heid"])],
        [{"LOWER": "blood"}, _opt(["is", "keeps"]), {"LOWER": "not"}, {"LOWER": "stopping"}],
        [_in(["slit", "slashed", "sliced"]), _in(["my", "her", "his", "their", "me"]), _opt(["own"]),
         _in(["wrist", "wrists", "arm", "arms", "throat", "face"])],
    ],
    "imminent_suicide": [
        [_in(["kill", "killing", "end", "ending", "hang", "hanging"]), _in(["myself", "my"]), _opt(["life"]), _in(["tonight", "now", "today", "right"])],
        [{"LOWER": "about"}, {"LOWER": "to"}, _in(["jump", "kill", "end", "hang", "overdose", "take"])],
        [_in(["going", "gonna"]), {"LOWER": "to"}, {"LOWER": "jump"}],
        # on the motorway is where people drive; the place counts here only when it is a way to die
        [_in(["on", "at", "standing"]), _opt(["on", "at"]), {"LOWER": "the"}, _in([p for p in PLACES_EDGE if p != "motorway"])],
        [{"LOWER": "writing"}, _opt(["my", "a"]), _opt(["suicide"]), {"LOWER": "note"}],
        [_in(["have", "got"]), {"LOWER": "the"}, _in(["rope", "pills", "knife", "tablets"]), _in(["ready", "here", "with"])],
        # bleeding described rather than named, a noose ready, pills counted: "its spurting", "taken about 40 paracetamol"
        [_in(["it", "blood", "wrist", "cut", "arm", "leg"]), _opt(["is", "keeps", "still"]), {"LOWER": "spurting"}],
        [_in(["blood", "wrist", "cut", "arm", "leg"]), _opt(["is", "keeps", "still"]), {"LOWER": "gushing"}],
        [_in(["wrist", "wrists", "arm", "arms", "leg", "legs", "cut", "cuts"]), _in(["is", "are"]), _in(["open", "gaping", "pouring"])],
        [{"LOWER": "noose"}, _in(["is", "are"]), _in(["up", "ready", "tied", "set"])],
        [_in(["rope", "belt", "noose", "cord"]), _in(["round", "around", "over", "on"]), _opt(["the", "a"]),
         _in(["beam", "banister", "bannister", "hook", "loft", "rail"])],
        [_in(["have", "got", "holding"]), _opt(["the", "all", "my", "a"]), _opt(PILLS + ["knife", "blade", "razor", "rope"]),
         _in(PILLS + PILL_NOUNS + ["knife", "blade", "razor", "rope"]), {"LOWER": "in"}, {"LOWER": "my"}, _in(["hand", "hands"])],
        [_in(["taken", "took", "swallowed", "had"]), _opt(["about", "around", "like", "over", "nearly"]), {"LIKE_NUM": True},
         _opt(["of"]), _opt(["my", "the", "mums", "mum", "dads"]), _in(PILLS)],
        [_in(["spiked"])],
        [_in(["put", "putting", "slipped", "dropped"]), {"LOWER": "something"}, _in(["in", "into"]), {"LOWER": "my"}, _in(["drink", "drinks"])],
    ],
    "trapped_or_pursued": [
        [{"LOWER": "locked"}, _opt(["me", "us", "in", "my", "the"]), _opt(["in", "my", "the"]), _in(["in", "room", "cupboard", "house", "inside", "out", "bathroom", "shed", "car", "up"])],
        [_in(["trapped", "cornered"])],
        [{"LOWER": "outside"}, _in(["my", "the", "our"]), _in(["door", "window", "house", "room", "flat", "home"])],
        [_in(["following", "chasing", "stalking"]), _in(["me", "us"])],
        [_in(["kicking", "banging", "smashing", "breaking"]), _opt(["down", "in"]), {"LOWER": "the"}, _in(["door", "doors", "window", "windows"])],
        [_in(["breaking", "broke"]), {"LOWER": "in"}],
        [{"LOWER": "coming"}, _opt(["back", "home", "round", "over"]), {"LOWER": "to"}, _in(["get", "hurt", "kill", "find"])],
        [_in(["call", "get", "need"]), _opt(["the", "an"]), _in(["police", "ambulance", "999"])],
        [_in(["in", "into"]), {"LOWER": "danger"}],
        [{"LOWER": "help"}, _opt(["me", "us"]), _in(["now", "please"]), _opt(["he", "she", "they", "someone", "please"]), _in(["is", "are", "has", "now"])],
        [_in(["man", "guy", "fella", "boyfriend", "bloke", "someone", "somebody", "car", "van", "men", "lads"]), _opt(["is", "has", "are", "have"]),
         _opt(["been"]), {"LOWER": "behind"}, {"LOWER": "me"}, _in(["for", "since", "and", "all"])],
        [_in(["barricaded", "barricading"])],
        # hiding from someone as they type: "hiding under my bed", "im hiding in the wardrobe"
        [{"LOWER": "hiding"}, _in(["under", "in", "behind", "inside"]), _opt(["my", "the", "our", "a"]),
         _in(["bed", "wardrobe", "cupboard", "closet", "bathroom", "loft", "shed", "toilet", "toilets"])],
        # "one of my pupils has been grabbed by a man", "pls send someone now"
        [_in(["grabbed", "snatched", "dragged", "bundled"]), _opt(["into", "in"]), _opt(["a", "his", "the"]), _opt(["car", "van"]),
         {"LOWER": "by"}, _opt(["a", "some", "the", "two", "these"]), _opt(["old", "older", "random", "strange"]),
         _in(["man", "men", "stranger", "strangers", "guy", "guys", "bloke", "woman", "lads"])],
        [{"LOWER": "send"}, _in(["someone", "somebody", "help", "police", "an", "the"]), _opt(["ambulance", "police"]),
         _in(["now", "quick", "quickly", "please", "right", "here"])],
    ],
    # fear for a life, someone going blue, someone at the window: said without a weapon or a time word
    "fear_now": [
        [_in(["scared", "afraid", "fear", "fearing", "terrified", "frightened", "feared", "petrified"]), {"LOWER": "for"},
         _in(["my", "our", "her", "his", "their"]), _in(["life", "lives"])],
        [_in(["he", "she", "they", "baby", "lips", "face", "brother", "sister", "mum", "dad", "friend", "mate", "it"]),
         _opt(["is", "are", "has", "have", "s"]), _in(["turning", "going", "gone", "turned"]), {"LOWER": "blue"}],
        [_in(["someone", "somebody", "man", "men", "stranger", "guy", "bloke", "people"]), _opt(["is", "are"]),
         _opt(["banging", "tapping", "knocking", "looking", "climbing", "standing"]), _in(["at", "on", "through", "in"]),
         _in(["my", "our"]), _opt(["bedroom"]), _in(["window", "windows"])],
        # "he speeds up every time i do": being followed, whatever "every" suggests about habit
        [_in(["speeds", "speeding"]), {"LOWER": "up"}, _in(["when", "every", "whenever"])],
    ],
    "missing_child_now": [
        [_in(["vanished", "disappeared", "missing", "snatched", "abducted", "kidnapped"]), _opt(["and", "from", "with"]),
         _opt(["a", "the", "some"]), _opt(["stranger", "man", "woman"]), _opt(["minutes", "min", "mins", "an", "hour"]),
         _opt(["ago"])],
    ],
    "child_at_risk_now": [
        [_in(["left", "home"]), {"LOWER": "alone"}, _opt(["with", "in", "all"]), _opt(["a", "the", "no"]), _in(["baby", "toddler", "newborn", "car", "night", "food", "days"])],
        [_in(["baby", "toddler", "child", "kid", "kids", "children"]), _opt(["is", "are", "has", "have", "been"]), _opt(["been"]), _in(["alone", "screaming"]), _opt(["for", "all", "and"]), _opt(["hours", "day", "night", "no"])],
    ],
}

CHILD_PLAY = {"playing", "play", "game", "games", "tag", "bath", "bathtime", "fun", "laughing", "giggling", "excited",
              "party", "trampoline", "paddling", "football", "telly", "tv", "bedtime", "tantrum"}
# a count of tablets taken at or above this is an overdose; "took 2 paracetamol" is a headache
PILLS_THAT_ALARM = 8
PEOPLE = {"he", "she", "baby", "brother", "sister", "son", "daughter", "nephew", "niece", "friend", "mate", "mum", "dad",
          "toddler", "child", "kid", "boy", "girl", "him", "her", "they", "grandad", "nan", "gran"}
# when a threat is for: later today, so it is about to happen ("when he gets in", "once mum falls asleep")
THREAT_TIMES = [["tonight"], ["today"], ["later"], ["gets", "in"], ["gets", "home"], ["gets", "back"], ["walks", "in"],
                ["comes", "home"], ["comes", "back"], ["falls", "asleep"], ["go", "to", "sleep"], ["goes", "to", "sleep"],
                ["is", "asleep"], ["everyones", "asleep"], ["everyone", "is", "asleep"], ["lights", "go", "off"],
                ["in", "an", "hour"], ["after", "school"], ["wakes", "up"], ["leaves", "for"], ["goes", "out"]]
PANIC_WORDS = {"help", "sos", "me", "us", "pls", "please", "plz", "someone", "somebody", "anyone", "now", "quick", "hurry"}
SELF_HARM_VERBS = ["punch", "punches", "punching", "slap", "slaps", "slapping", "hit", "hits", "hitting", "bang",
                   "bangs", "banging", "scratch", "scratches", "scratching", "burn", "burns", "burning", "burnt",
                   "burned", "cut", "cuts", "cutting", "hurt", "hurts", "hurting", "bite", "bites", "biting"]
# an injury by accident, not self-harm: "he hurt himself playing football", "burnt herself cooking",
# "cut himself on a tin" (but "i burn myself with the straighteners" stays self-harm)
ACCIDENTS = {"playing", "falling", "fell", "tripped", "slipped", "accidentally", "accident", "mistake", "football",
             "rugby", "netball", "trampoline", "bike", "scooter", "skateboard", "skating", "climbing", "cooking",
             "running", "pe", "training"}
# an accident to a limb the writer names: "i hurt my leg when i fell", "i burnt my arm again on the oven"
ACCIDENTS_OR_KITCHEN = ACCIDENTS | {"oven", "iron", "hob", "kettle", "pan", "fence", "glass", "knife", "football", "match"}
WISH = ["wish", "wishes", "wished", "wishing"]
SOMEONE_ELSE = {"he", "she", "they", "boyfriend", "stepdad", "dad", "mum", "uncle", "fella", "partner", "brother", "sister",
                "cousin", "grandad", "da", "mam"}
DEAD_AS_VERY = {"tired", "on", "good", "jealous", "bored", "lucky", "proud", "happy", "excited", "chuffed", "nice", "funny"}
SCARS_NOT_SELF_MADE = {"operation", "surgery", "acne", "chickenpox", "spots", "accident", "burns", "caesarean", "stitches"}
DEATH_WORDS = {"died", "passed", "dead", "death", "heaven", "grave", "funeral", "lost", "killed", "gone"}
NOT_FOLLOWING_THE_DEAD = {"family", "friends", "team", "club", "band", "at", "to", "for", "on"}
WAKING_ERRANDS = {"late", "early", "the", "at", "in", "before", "until", "till", "on", "him", "her", "them", "anyone",
                  "everyone", "my", "mum", "dad", "with"}
REFLEXIVE = ["myself", "himself", "herself", "themselves", "themself"]
GAMES = {"minecraft", "fortnite", "roblox", "game", "games", "gaming", "level", "levels", "character", "boss", "sims", "zelda",
         "fifa", "cod", "warzone", "apex", "among"}
# what may follow "been cutting" when it is the habit itself: nothing, a time, a reason, a conjunction
CUTTING_GOES_ON = {"again", "and", "for", "since", "but", "when", "because", "cos", "coz", "lately", "recently", "every",
                   "most", "herself", "himself", "myself", "themselves", ".", ",", "!", "?", "now", "still", "ever", "agen",
                   "so", "til", "till", "until", "or", "at", "in", "on", "secretly", "deeper", "more"}
HIDE = ["hide", "hides", "hiding", "cover", "covers", "covering", "conceal", "conceals", "concealing"]
# a blade or scissors with these words in the sentence is the writer's (or a child's) self-harm, not an attack
SELF_HARM_CONTEXT = set(LIMBS) | set(REFLEXIVE) | {"cutting", "scratching", "scratches", "self", "harm", "harming",
                                                    "tummy", "belly", "skin", "thigh"}
SELF_HARM_PATTERNS = {
    "suicidal": [
        [_in(["kill", "killing", "killed", "end", "ending", "hang", "hanging", "drown"]), _in(REFLEXIVE)],
        [_in(["end", "ending", "take", "taking"]), _in(["my", "his", "her", "their"]), _opt(["own"]), {"LOWER": "life"}],
        [_in(["suicide", "suicidal", "suicidel", "sucidal", "sucide", "suicde", "suiside", "suicied", "sucidle", "suicidle",
              "suisidal", "suicidial"])],
        [_in(["end", "ending"]), {"LOWER": "it"}, _opt(["all"])],
        [_in(["want", "wanting", "wants", "wish", "ready"]), {"LOWER": "to"}, _in(["die", "dead", "disappear"])],
        [_in(WISH), _in(["i", "he", "she", "they"]), _in(["was", "were"]), _in(["dead", "gone"])],
        # "its just me that should be dead" (not "i should be dead tired tomorrow"; checked for what follows)
        [_in(["i", "me"]), _opt(["that", "who"]), {"LOWER": "should"}, {"LOWER": "be"}, {"LOWER": "dead"}],
        [{"LOWER": "attempted"}, _in(["before", "twice", "again", "once"])],
        [{"LOWER": "better"}, {"LOWER": "off"}, _in(["dead", "without", "gone"])],
        [_in(["do", "does"]), {"LOWER": "not"}, _in(["want", "wanna"]), {"LOWER": "to"}, _in(["live", "exist"])],
        [_in(["do", "does"]), {"LOWER": "not"}, _in(["want", "wanna"]), {"LOWER": "to"}, {"LOWER": "be"}, _in(["alive", "here", "around"])],
        [_in(["do", "does"]), {"LOWER": "not"}, _in(["want", "wanna"]), {"LOWER": "to"}, {"LOWER": "wake"}, {"LOWER": "up"}],
        [_in(["jump", "jumping", "throw", "throwing"]), _opt(["myself", "himself", "herself"]), _in(["off", "in", "under", "from"]), _opt(["a", "the", "of"]), _in(PLACES_EDGE + ["train", "river", "building", "car", "bus", "top", "window"])],
        [{"LOWER": "no"}, _in(["point", "reason"]), _opt(["in", "to", "of"]), _in(["living", "live", "life", "being", "going", "carrying"])],
        [_in(["not", "never"]), {"LOWER": "see"}, _in(["the", "any"]), _in(["point", "reason"]), _opt(["in", "of", "to"]), _in(["living", "live", "life", "being", "going", "anything", "carrying"])],
        [{"LOWER": "can"}, {"LOWER": "not"}, _in(["go", "carry", "keep", "do"]), _in(["on", "going", "this"]), _opt(["anymore", "any"])],
        [_in(["do", "does"]), {"LOWER": "not"}, _in(["want", "wanna"]), {"LOWER": "to"}, {"LOWER": "be"}, {"LOWER": "here"}],
        [{"LOWER": "i"}, {"LOWER": "will"}, {"LOWER": "not"}, {"LOWER": "be"}, _opt(["a", "around", "here", "alive"]), _opt(["problem", "burden"]), _opt(["for", "to"]), _opt(["anyone", "anybody", "you", "them", "much"]), _opt(["much"]), {"LOWER": "longer"}],
        [{"LOWER": "why"}, _in(["i", "should"]), _in(["should", "i"]), _in(["keep", "carry", "go", "bother"]), _opt(["on", "going", "living"])],
        [_in(["done", "finished", "sick", "tired"]), _in(["with", "of"]), _in(["life", "living"])],
        [_in(["done", "finished", "sick", "tired"]), _in(["with", "of"]), _in(["being", "bein"]), _in(["alive", "here"])],
        # indirect ways of saying it (perceived burden, not waking up, not being missed, slang)
        [{"LOWER": "sleep"}, _opt(["and"]), _in(["never", "not"]), _opt(["ever"]), {"LOWER": "wake"}],
        [{"LOWER": "sleep"}, {"LOWER": "forever"}],
        [{"LOWER": "better"}, _opt(["off"]), {"LOWER": "without"}, {"LOWER": "me"}],
        [{"LOWER": "better"}, {"LOWER": "off"}, {"LOWER": "if"}, {"LOWER": "i"}, _in(["was", "were", "died"]), _opt(["not", "dead", "gone"])],
        [{"LOWER": "feel"}, _opt(["like"]), _opt(["such"]), {"LOWER": "a"}, _opt(["massive", "big", "huge"]), {"LOWER": "burden"}],
        [{"LOWER": "just"}, {"LOWER": "a"}, {"LOWER": "burden"}],
        [{"LOWER": "a"}, {"LOWER": "burden"}, _in(["to", "on"]), _in(["everyone", "everybody", "all", "them"])],
        [_in(["want", "wish"]), {"LOWER": "it"}, {"LOWER": "all"}, {"LOWER": "to"}, _in(["stop", "end"])],
        [_in(["want", "wish"]), {"LOWER": "everything"}, {"LOWER": "to"}, _in(["stop", "end"])],
        [_in(["unalive", "unaliving"]), {"LOWER": "myself"}],
        [{"LOWER": "i"}, _opt(["just", "really"]), {"LOWER": "want"}, {"LOWER": "to"}, {"LOWER": "unalive"}],
        [{"LOWER": "how"}, {"LOWER": "many"}, _in(PILLS), _opt(["would", "does", "will", "do"]), _opt(["it", "you", "i"]),
         _opt(["need", "have"]), _opt(["to"]), _in(["take", "takes", "kill", "die", "od"])],
        [_in(["take", "taking", "swallow", "swallowing"]), {"LOWER": "all"}, _opt(["of"]), _opt(["my", "the"]),
         _opt(["mum", "dad", "nan"]), _opt(["'s"]), _in(PILLS)],
        [{"LOWER": "no"}, {"LOWER": "one"}, _in(["would", "will"]), _opt(["even"]), {"LOWER": "miss"}, {"LOWER": "me"}],
        [_in(WISH), _in(["i", "he", "she", "they"]), _opt(["had", "was", "were"]), {"LOWER": "never"}, _opt(["been"]), {"LOWER": "born"}],
        [_in(["about", "of"]), {"LOWER": "not"}, {"LOWER": "being"}, _in(["here", "alive", "around"])],
        [_in(["stop", "stopped", "stopping"]), {"LOWER": "existing"}],
        [_in(["jump", "jumping", "step", "stepping", "walk", "walking", "throw", "throwing"]), _opt(["myself"]), {"LOWER": "in"},
         {"LOWER": "front"}, {"LOWER": "of"}, _opt(["a", "the"]), _in(["train", "bus", "car", "lorry", "truck"])],
        [_in(["saving", "stockpiling", "hoarding", "collecting", "stashing", "keeping"]), _opt(["up"]), _opt(["my", "the", "all"]), _opt(["mum", "dad", "nan", "own"]), _opt(["'s", "s"]), _in(PILLS)],
        # eighth session, from the cross-validation misses: "got pills saved up", "how many paracetamol would
        # actually do it", "wrote a goodbye note", "three days since i last cut"
        [_in(PILLS), _in(["saved", "stashed", "stockpiled", "hidden", "hoarded"]), _opt(["up", "away"])],
        [{"LOWER": "how"}, {"LOWER": "many"}, _in(PILLS), _in(["would", "does", "will", "do"]), _opt(["it", "you", "i"]),
         _opt(["actually", "really", "need", "have"]), _opt(["to"]), {"LOWER": "do"}, {"LOWER": "it"}],
        [_in(["goodbye", "suicide"]), _in(["note", "notes", "letter", "letters"])],
        # a plan, a wish or a farewell rather than the words themselves
        [_in(["ligature", "ligatures", "noose"])],
        [{"LOWER": "my"}, _opt(["own"]), {"LOWER": "funeral"}],
        [_in(["to", "about", "of", "stop"]), _opt(["not"]), _in(["exist", "existing"])],
        [{"LOWER": "not"}, {"LOWER": "plan"}, {"LOWER": "on"}, {"LOWER": "being"}, _in(["here", "around", "alive"])],
        [_in(["hope", "hopes", "hoping", "wish", "wishing", "pray", "praying"]), _opt(["that"]), _in(["a", "the", "some"]),
         _in(["car", "bus", "train", "lorry", "truck", "van"]), _in(["hits", "hit", "will", "would", "runs", "kills"])],
        [_in(["look", "looking"]), {"LOWER": "forward"}, {"LOWER": "to"}, _in(["dying", "death"])],
        [{"LOWER": "death"}, _in(["sounds", "seems", "looks"]), _opt(["like"]), _opt(["a", "so", "really"]), _in(["nice", "good", "peaceful", "better", "easier"])],
        [{"LOWER": "release"}, {"LOWER": "of"}, {"LOWER": "death"}],
        [{"LOWER": "leave"}, {"LOWER": "this"}, _in(["world", "earth", "planet", "life"])],
        [{"LOWER": "sewer"}, {"LOWER": "slide"}],
        [_in(["sewerslide", "sewerslided"])],
        [{"LOWER": "remember"}, {"LOWER": "me"}, {"LOWER": "by"}],
        [_in(["least", "most"]), _in(["painful", "painless"]), {"LOWER": "way"}, {"LOWER": "to"}, _in(["go", "die", "do", "end"])],
        [{"LOWER": "painless"}, {"LOWER": "way"}, {"LOWER": "to"}, _in(["go", "die", "do", "end"])],
        [{"LOWER": "it"}, _in(["hurt", "hurts"]), {"LOWER": "to"}, _in(["drown", "die", "hang", "jump", "overdose", "od"])],
        # eighteenth session, from the self-harm training lines the rules did not read: "id rather not wake up
        # tomorrow", "i dont deserve to live", "a list of reasons to stay alive", "i want to be dead"
        [{"LOWER": "rather"}, _opt(["just"]), {"LOWER": "not"}, {"LOWER": "wake"}],
        [{"LOWER": "rather"}, _opt(["just"]), {"LOWER": "be"}, {"LOWER": "dead"}],
        [_in(["do", "does"]), {"LOWER": "not"}, _in(["deserve", "deserves"]), {"LOWER": "to"}, _in(["live", "exist", "be"]),
         _opt(["alive", "here"])],
        [_in(["reasons", "reason"]), {"LOWER": "to"}, _in(["live", "stay", "keep"]), _opt(["alive", "living", "going"])],
        [_in(["want", "wanting", "wants", "wish", "ready"]), {"LOWER": "to"}, {"LOWER": "be"}, {"LOWER": "dead"}],
        # "i think about dying every day", "googling ways to die", "better if i am dead", "would anyone notice if i
        # was gone", "giving my stuff away", "i want to not live"
        [_in(["think", "thinks", "thinking", "thought", "thoughts"]), _opt(["about", "of", "bout", "o"]), {"LOWER": "dying"}],
        [_in(["ways", "methods", "way"]), {"LOWER": "to"}, _in(["die", "end"]), _opt(["it"])],
        [{"LOWER": "better"}, _opt(["off"]), _in(["if", "when"]), _in(["i", "im"]), _in(["am", "was", "were", "died", "die"]),
         _opt(["just"]), _in(["dead", "gone"])],
        [{"LOWER": "better"}, _opt(["off"]), _in(["if", "when"]), {"LOWER": "i"}, _in(["am", "was", "were"]), _in(["not", "never"]),
         _in(["here", "around", "alive", "born"])],
        [_in(["notice", "noticed", "care", "cared", "miss", "missed"]), _opt(["me"]), _opt(["if", "when"]), {"LOWER": "i"},
         _in(["was", "were", "am"]), _in(["gone", "dead"])],
        [_in(["no", "nobody", "noone"]), _opt(["one"]), _in(["would", "will", "wud"]), _opt(["even", "really", "actually"]),
         _in(["notice", "care", "miss"]), _opt(["me"]), _in(["if", "when"]), {"LOWER": "i"}, _in(["died", "disappeared", "vanished", "killed"])],
        [_in(["no", "nobody", "noone"]), _opt(["one"]), _in(["would", "will", "wud"]), _opt(["even", "really", "actually"]),
         _in(["notice", "care", "miss"]), _opt(["me"]), _in(["if", "when"]), {"LOWER": "i"}, _in(["was", "were"]), _opt(["just"]),
         _in(["gone", "dead", "not"])],
        [_in(["notice", "noticed", "care", "cared", "miss", "missed"]), _opt(["me"]), _in(["if", "when"]), {"LOWER": "i"},
         _in(["died", "die", "vanished", "disappeared", "killed"])],
        [_in(["giving", "gave", "give", "given", "gived"]), _opt(["all"]), {"LOWER": "my"}, _in(["stuff", "things", "belongings"]),
         {"LOWER": "away"}],
        [_in(["want", "wanna", "wanting"]), _opt(["to"]), {"LOWER": "not"}, _in(["live", "exist"])],
        [_in(["want", "wanna", "wanting"]), _opt(["to"]), {"LOWER": "not"}, {"LOWER": "be"}, _in(["alive", "here", "around"])],
        # nineteenth session, from the self-harm training lines the rules did not read: "cant wait to be dead",
        # "cant be arsed being alive", "why bother being alive", "easier if i just wasnt here", "top meself",
        # "doing myself in" (the "can not" before "wait", "be arsed" and "stop" insists, see _insisted)
        [{"LOWER": "wait"}, {"LOWER": "to"}, _opt(["just"]), _in(["die", "dead"])],
        [{"LOWER": "wait"}, {"LOWER": "to"}, {"LOWER": "be"}, {"LOWER": "dead"}],
        [{"LOWER": "wait"}, {"LOWER": "to"}, {"LOWER": "not"}, {"LOWER": "exist"}],
        [{"LOWER": "arsed"}, _opt(["with", "wi", "being", "bein"]), _in(["living", "livin", "life", "alive"])],
        [{"LOWER": "bother"}, _opt(["being", "bein", "staying"]), _in(["alive", "living", "livin"])],
        [_in(["better", "easier", "happier", "calmer"]), _opt(["off"]), _in(["if", "when"]), {"LOWER": "i"}, _opt(["just"]),
         _in(["was", "were"]), {"LOWER": "not"}, _in(["here", "around", "alive"])],
        [_in(["top", "topping", "topped"]), _in(REFLEXIVE)],
        [_in(["do", "doing", "did"]), _in(REFLEXIVE), {"LOWER": "in"}],
    ],
    # "i pray i wont wake up" (but not "hope i dont wake up late"): checked for what follows
    "not_waking": [
        [_in(["wish", "hope", "pray", "want"]), {"LOWER": "i"}, _in(["could", "would", "can"]), _opt(["just"]), {"LOWER": "not"},
         {"LOWER": "wake"}, _opt(["up"])],
        [_in(["hope", "hoping", "pray", "praying", "wish"]), _opt(["that"]), {"LOWER": "i"}, _in(["will", "would", "do"]),
         {"LOWER": "not"}, {"LOWER": "wake"}, _opt(["up"])],
    ],
    "self_harm": [
        [_in(["self", "slef", "sef"]), _in(["harm", "harming", "harmed", "injury", "injuring"])],
        [_in(["cut", "cutting", "cuts", "burn", "burning", "burns", "burnt", "burned", "scratched", "hurt", "hurting", "hurts", "harm", "harming", "harms", "scratch", "scratching", "scratches", "starve", "starving", "starves", "punish", "punishes", "punching", "hitting", "hit", "bite", "bites", "biting", "bit"]), _in(REFLEXIVE)],
        [_in(["overdose", "overdosing", "overdosed"])],
        [{"LOWER": "cuts"}, {"LOWER": "on"}, _in(["my", "her", "his", "their"]), _in(["arm", "arms", "legs", "wrists", "thighs", "leg", "wrist"])],
        [_in(["keep", "keeps", "been", "started", "start", "still"]), _in(["cutting", "scratching", "burning", "hitting", "carving", "scraping", "picking"]), _in(["my", "her", "his"]), _in(["arm", "arms", "legs", "wrists", "thighs", "leg", "wrist", "skin", "stomach", "hands"])],
        # "my 14 year old is cutting her arms", "she cuts her wrists"
        [_in(["is", "was", "are"]), _in(["cutting", "scratching", "burning", "carving"]), _in(["my", "her", "his", "their"]), _in(LIMBS)],
        [_in(["cuts", "burns", "scratches", "carves"]), _in(["her", "his", "their"]), _in(LIMBS)],
        # turned on the writer's own body: "take it out on my skin", "punch my own head", "burn my fingers on purpose"
        [_in(["take", "taking", "took", "takes"]), {"LOWER": "it"}, {"LOWER": "out"}, {"LOWER": "on"}, _in(["my", "her", "his"]),
         _opt(["own"]), _in(["body", "skin", "arms", "legs", "self"])],
        [_in(SELF_HARM_VERBS), {"LOWER": "my"}, {"LOWER": "own"}, _in(BODY)],
        # "smack my head off the wall", "bang my head on the floor when im upset"
        [_in(SELF_HARM_VERBS + ["smack", "smacks", "smacking", "bash", "bashes", "bashing"]), {"LOWER": "my"},
         {"LOWER": "head"}, _in(["off", "on", "against", "into"]), _opt(["the", "a"]), _in(["wall", "walls", "floor", "door", "radiator"])],
        [{"LOWER": "since"}, {"LOWER": "i"}, {"LOWER": "last"}, _in(["cut", "self", "harmed", "burnt", "burned", "hurt"])],
        [{"LOWER": "make"}, {"LOWER": "the"}, _in(["bruises", "marks", "cuts", "burns"]), {"LOWER": "myself"}],
        [_in(["purposely", "deliberately", "intentionally", "purposefully"]), _in(SELF_HARM_VERBS)],
        [_in(SELF_HARM_VERBS), _opt(["my"]), _in(BODY + ["myself"]), {"LOWER": "on"}, {"LOWER": "purpose"}],
        [{"LOWER": "what"}, {"LOWER": "i"}, _opt(["have", "had"]), _in(["done", "did"]), {"LOWER": "to"}, {"LOWER": "my"}, _in(BODY)],
        # hiding it: "cover the cuts", "hide fresh marks", "hide the scars on my arms"
        [_in(HIDE), _opt(["up"]), _opt(["the", "my", "her", "his", "these", "all"]), _in(["cuts"])],
        # "how can i hide scars for the school photo" (not scars from an operation or acne; checked)
        [_in(HIDE), _opt(["up"]), _opt(["the", "my", "her", "his", "these", "all"]), _opt(["new", "fresh", "old"]), _in(["scars", "scar"]),
         _in(["for", "from", "at", "in", "during", "when", "so", "before"])],
        [_in(HIDE), _opt(["up"]), _opt(["the", "my", "her", "his", "these", "all"]), _in(["fresh", "new"]),
         _in(["marks", "scars", "cuts", "burns"])],
        [_in(HIDE), _opt(["up"]), _opt(["the", "my", "her", "his", "these", "all"]), _in(["scars", "marks"]), {"LOWER": "on"},
         _in(["my", "her", "his"]), _in(LIMBS)],
        # the habit named in the first person: "i cut again", "we both sh", "how do i stop cutting"
        [{"LOWER": "i"}, _opt(["still", "just", "only", "always", "sometimes", "usually", "then", "go"]), {"LOWER": "cut"},
         _in(["so", "because", "again", "when", "every", "until", "till", "more", "deeper", "whenever", "cos", "coz", "last",
              "yesterday", "earlier"])],
        [_in(["i", "we", "both", "still", "my", "relapsed"]), {"LOWER": "sh"}],
        [_in(["stop", "quit"]), _in(["cutting", "selfharming"])],
        # the urge, the kit, the cover story
        [_in(["urge", "urges"]), {"LOWER": "to"}, _in(["cut", "harm", "hurt", "burn", "relapse", "self"])],
        [_in(["the", "my"]), {"LOWER": "urges"}, _in(["are", "is", "have", "keep", "been", "r"])],
        [_in(["my", "her", "his"]), _opt(["sh"]), _in(["blades", "razors"])],
        [_in(["plasters", "plaster", "bandages"]), {"LOWER": "on"}, _opt(["the", "my", "her", "his"]),
         _in(["marks", "cuts", "scars", "burns"] + LIMBS)],
        # eighteenth session: the habit without its object ("been cutting since the summer", "started cutting again";
        # checked for what follows, so "been cutting the grass" is not it), a blade taken from a sharpener, blades
        # hidden, words carved into skin
        [_in(["been", "started", "keep", "keeps", "back", "still"]), _opt(["to"]), {"LOWER": "cutting"}],
        [{"LOWER": "sharpener"}, _in(["blade", "blades"])],
        [_in(["blade", "blades"]), _opt(["out"]), _opt(["of", "from"]), _opt(["my", "a", "the", "his", "her"]), _opt(["pencil"]),
         {"LOWER": "sharpener"}],
        [_in(["blades", "razors"]), _in(["hidden", "stashed", "hid"])],
        # harm turned on the body until it shows: "i scratch my skin till it bleeds", "bite my arms till they bruise",
        # "burn my skin with a lighter", "hurting my arm with knife when i feel sad"
        [_in(["scratch", "scratches", "scratching", "scratched", "bite", "bites", "biting", "bit", "pinch", "pinching", "punch",
              "punching", "hit", "hitting", "skelp", "skelping", "burn", "burning", "claw", "clawing"]), {"LOWER": "my"},
         _in(LIMBS + ["skin", "face", "head", "hips", "hip"]), _in(["till", "until", "til"])],
        [_in(["burn", "burns", "burning", "burnt", "burned"]), {"LOWER": "my"}, _in(LIMBS + ["skin", "hand", "hands"]), {"LOWER": "with"},
         _opt(["a", "my", "the", "his", "her"]), _in(["lighter", "lighters", "cigarette", "cigarettes", "matches", "match", "fag", "fags"])],
        [_in(["hurting", "hurt", "cutting", "cut", "scratching"]), {"LOWER": "my"}, _in(LIMBS + ["skin"]), {"LOWER": "with"},
         _opt(["a", "the", "my"]), _in(["knife", "blade", "razor", "compass", "pin", "glass", "sharpener"]), _in(["when", "because", "cos",
                                                                                                              "every", "again", "till", "until"])],
        [_in(["hide", "hiding", "hid", "hides", "stash", "stashing"]), _opt(["my", "the", "some", "her", "his"]), _in(["blades", "razors"])],
        # nineteenth session: "i cut my arms when it gets too much", "i hurt my legs so nobody sees" (checked for an
        # accident: "i hurt my leg when i fell"), "been using a lighter on my wrist", "punch walls till my knuckles bleed"
        [{"LOWER": "i"}, _opt(["still", "just", "only", "always", "sometimes", "usually", "keep", "often"]),
         _in(["cut", "cutting", "hurt", "hurting", "burn", "burnt", "burned", "burning", "scratch", "scratched", "scratching"]),
         _in(["my", "me"]), _in(LIMBS + ["skin", "thigh", "hips", "hip", "belly"]),
         _in(["so", "when", "whenever", "because", "cos", "coz", "again", "every", "till", "until", "til", "where", "more",
              "deeper", "most", "at"])],
        [_in(["using", "used", "use", "uses"]), _in(["a", "the", "my"]), _in(["lighter", "blade", "razor", "compass", "sharpener"]),
         {"LOWER": "on"}, _in(["my", "me"]), _in(LIMBS + ["skin", "thigh", "hips", "hip", "belly"])],
        [_in(["punch", "punching", "punched", "punches", "hit", "hitting"]), _opt(["the"]), _in(["wall", "walls"]),
         _in(["till", "until", "til"])],
        [_in(["carve", "carving", "carved", "carves", "scratched", "scratching", "etched", "etching"]), ANY, ANY, ANY,
         {"LOWER": "into"}, _in(["my", "his", "her", "their"]), _in(LIMBS + ["skin", "hand", "hands", "hip", "hips", "stomach"])],
    ],
    # wanting to follow someone who died (checked for a death in the message): "since my nan passed i just
    # want to join her", "i keep thinking i should go too"
    "follow_the_dead": [
        [_in(["want", "wanna", "wanted", "wish", "should", "could"]), _opt(["to"]), _in(["join", "go", "be"]), _opt(["with"]),
         _in(["her", "him", "them", "too", "there"])],
    ],
}

# The writer (or "us") being hurt, abused, touched or kept quiet: a disclosure, whatever words the
# classifier saw in training. Checked for negation ("no one hurts me", "my dad does not hit me").
ABUSER_VERBS = ["hits", "hit", "beats", "beat", "batters", "battered", "punches", "punched", "kicks", "kicked",
                "slaps", "slapped", "chokes", "choked", "strangles", "strangled", "burns", "burned", "burnt",
                "skelps", "skelped", "leathers", "leathered", "belts", "belted", "hurts", "hurt", "abuses",
                "abused", "molests", "molested", "rapes", "raped", "touches", "touched", "touching", "groped",
                "gropes", "grooming", "groomed", "starves", "locks", "locked", "twats", "lamps", "lamped", "bashes",
                "smacks", "smacked", "whacks", "whacked", "throws", "pushes", "shoves", "grabs",
                "clouts", "clouted", "thumps", "thumped", "wallops", "walloped", "pinches", "pinched", "throttles", "throttled"]
# "got hit by a ball in pe", "got kicked in rugby": sport or an accident, not someone hurting the writer
NOT_BY_A_PERSON = {"nil", "goals", "points", "final", "ball", "car", "bus", "bike", "van", "door", "stick", "football",
                   "rugby", "hockey", "cricket", "netball", "pe", "game", "match", "training", "fifa", "fortnite", "tackle", "wave", "branch", "swing", "goal",
                   "boxing", "karate", "judo", "sparring", "lightning", "hailstone", "frisbee", "bat", "racket", "dodgeball"}
OTHER_PEOPLE = {"someone", "somebody", "people", "kids", "he", "she", "they", "him", "her", "them", "boy", "girl", "lad", "man",
                "woman", "friend", "mate", "brother", "sister", "son", "daughter"}
FEAR = ["scared", "afraid", "frightened", "terrified", "petrified", "feart"]
CHORES = {"house", "chores", "homework", "cleaning", "tidy", "tidying", "washing", "dishes", "revision", "jobs", "shopping"}
ANIMALS = {"cat", "dog", "kitten", "puppy", "pet", "hamster", "rabbit", "horse", "pony"}
SELF_INFLICTED = set(PILLS) | set(PILL_NOUNS) | {"od", "myself", "deep", "wrists", "wrist", "hang", "jump", "overdose", "kill", "end"}
MEDIA_WORDS = {"film", "movie", "book", "story", "show", "series", "episode", "documentary", "song", "novel", "drama",
               "soap", "news", "article", "podcast", "lesson", "essay", "homework"}
DISCLOSURE_PATTERNS = {
    "hurts_me": [
        [_in(ABUSER_VERBS), _in(["me", "us"])],
        [_in(["hitting", "beating", "hurting", "abusing", "touching", "battering", "slapping", "punching", "kicking", "smacking"]), _in(["me", "us"])],
    ],
    "hurt_passive": [
        [_in(["get", "gets", "got", "getting", "gettin"]), _in(["smacked", "hit", "battered", "beaten", "slapped", "punched",
                                                               "kicked", "belted", "leathered", "whacked", "thumped", "bashed",
                                                               "lamped", "skelped", "strangled", "choked", "burnt"])],
    ],
    "sexual_abuse": [
        # "i'm being forced to have sex", "he made me do sexual things", "i was raped", "i got sexually assaulted"
        [_in(["forced", "forcing", "forces", "made", "makes", "making", "pressured", "pressuring", "pressures"]),
         _opt(["me"]), {"LOWER": "to"}, _in(["have", "do", "give", "touch", "suck", "perform", "watch", "send"]),
         _opt(["sex", "sexual", "oral", "things", "stuff", "him", "her", "nudes"])],
        [_in(["being", "been", "was", "were", "got", "get", "getting", "am"]),
         _in(["raped", "abused", "molested", "groomed", "assaulted", "forced", "touched", "trafficked", "exploited"])],
        [_in(["made", "makes", "making", "forced", "forces", "forcing"]), {"LOWER": "me"}, _in(["do", "have", "give"]),
         _in(["sexual", "sex", "oral", "rude", "dirty", "things", "stuff"])],
        # "he does stuff to me", "touches my privates", "strokes my leg": said in a child's words
        [_in(["does", "did", "doing", "done"]), _in(["stuff", "things"]), {"LOWER": "to"}, _in(["me", "us"])],
        [_in(["touches", "touched", "touching", "touch", "tuches", "tuchs", "tuched", "touchs", "feels", "felt", "feeling"]),
         {"LOWER": "my"}, _opt(["private", "privit", "privet"]), _in(PRIVATE_PARTS)],
        [_in(["strokes", "stroked", "stroking", "rubs", "rubbed", "rubbing"]), {"LOWER": "my"},
         _in(["leg", "legs", "thigh", "thighs", "bum", "chest", "boobs", "belly", "tummy"] + PRIVATE_PARTS)],
        [_in(["made", "makes", "forced", "forces"]), {"LOWER": "me"}, _in(["touch", "suck", "undress", "strip"])],
        [_in(["sexually", "sexualy"]), _in(["abused", "abusing", "assaulted", "assaulting", "abuses", "touches", "touched"])],
        [_in(["having", "has", "have", "had"]), {"LOWER": "sex"}, {"LOWER": "with"}, {"LOWER": "me"}],
    ],
    "secrets": [
        [_in(["keep", "keeping", "keeps"]), _opt(["it", "this", "things", "our"]), _opt(["a", "our", "little"]), _in(["secret", "secrets"])],
        [{"LOWER": "our"}, _opt(["little"]), {"LOWER": "secret"}],
        [_in(["told", "tells", "says", "said"]), {"LOWER": "me"}, _opt(["to", "i"]), {"LOWER": "not"}, _opt(["to"]), {"LOWER": "tell"}],
        [_in(["no", "nobody"]), _opt(["one"]), _in(["would", "will"]), _opt(["ever"]), {"LOWER": "believe"}, {"LOWER": "me"}],
        # a threat for telling: "he said hed tell everyone i wanted it if i said anything"
        [{"LOWER": "if"}, {"LOWER": "i"}, _in(["said", "say", "told", "tell"]), _in(["anything", "owt", "anyone", "anybody"])],
        [_in(["if", "when"]), {"LOWER": "i"}, _in(["tell", "talk", "grass", "snitch"]), _opt(["anyone", "anybody", "someone", "my", "her", "him"]), _opt(["mum", "dad", "about", "her", "him"]), _opt(["about", "he", "she", "they", "it"]), _in(["he", "she", "they", "will", "wont", "i", "my"])],
    ],
    "scared_at_home": [
        # "im scared of my dad", "frightened of my stepdad" (not "scared of my dad finding out about my grades")
        [_in(FEAR), {"LOWER": "of"}, _in(["my", "me"]),
         _opt(["mum", "mums", "mam", "mams", "dad", "dads"]), _opt(["'s", "s"]),
         _in(["dad", "stepdad", "mum", "stepmum", "mam", "da", "uncle", "brother", "boyfriend", "fella", "partner", "carer",
              "carers", "grandad", "cousin", "parents", "family"])],
        # "he locks me in the cupboard", "locking me out all night"; "watches me in the shower"
        [_in(["locks", "locking", "locked"]), _in(["me", "us"]), _in(["in", "out", "inside", "outside", "up"])],
        [_in(["watches", "watching", "watched", "watch", "stares", "staring"]), _in(["me", "us", "you"]), _opt(["in", "when", "while"]),
         _opt(["the", "i", "im", "we", "you"]), _opt(["am", "are", "in"]), _opt(["the"]),
         _in(["shower", "showering", "bath", "changing", "undressed", "naked", "undressing", "toilet"])],
        [_in(["do", "does"]), {"LOWER": "not"}, _in(["want", "wanna"]), {"LOWER": "to"}, _in(["go", "be"]), _opt(["back"]), _in(["home", "to", "at"]), _opt(["my", "his", "her"]), _opt(["dad's", "mum's", "house", "home", "dad", "mum"])],
        [_in(["scared", "afraid", "frightened", "terrified", "petrified", "bricking"]), _opt(["it"]), _opt(["to", "of"]), _in(["go", "going"]), _opt(["back"]), _in(["home", "to"])],
        [_in(["chair", "wardrobe", "bed", "something"]), _in(["against", "behind", "in", "up"]), _opt(["front"]), _opt(["of"]), {"LOWER": "my"}, {"LOWER": "door"}],
        [_in(["never", "no"]), _opt(["any"]), _in(["food", "dinner", "tea", "breakfast"]), _in(["at", "in"]), _opt(["the", "my"]), _in(["home", "house"])],
        [_in(["takes", "took", "taking", "takin"]), _opt(["pictures", "photos", "pics", "videos"]), _opt(["of"]), {"LOWER": "me"}, _in(["in", "when", "while", "without", "naked", "undressed", "changing", "getting"])],
        [_in(["takes", "took", "taking"]), _in(["pictures", "photos", "pics", "videos"]), {"LOWER": "of"}, {"LOWER": "me"}],
        [_in(["takes", "took", "taking"]), _in(["pictures", "photos", "pics", "videos"]), {"LOWER": "of"}, {"LOWER": "us"},
         _in(["getting", "changing", "naked", "undressed", "showering", "when", "while"])],
        [_in(["comes", "came", "coming"]), _opt(["in", "into"]), _opt(["to", "in"]), _in(["my", "me"]), _in(["room", "bed", "bedroom"]), _opt(["at", "when", "every"]), _opt(["night", "nights", "she", "mum"])],
        [_in(["sends", "sent", "sending", "showed", "shows", "showing"]), {"LOWER": "me"}, _opt(["videos", "pictures", "photos", "pics", "vids", "a", "naked"]), _opt(["of", "picture", "video", "pic"]), _opt(["of"]), _in(["himself", "herself", "him", "his", "her"]), _opt(["self"])],
        [{"LOWER": "makes"}, {"LOWER": "me"}, _in(["touch", "watch", "sleep", "take", "undress", "sit", "keep"])],
        # unsafe at home, said plainly: "i dont feel safe in my house"
        [_in(["do", "does"]), {"LOWER": "not"}, {"LOWER": "feel"}, {"LOWER": "safe"}, _in(["at", "in"]),
         _opt(["my", "our", "the"]), _in(["home", "house", "flat"])],
        # "i feel unsafe at home", "im not safe in my own house", "its not safe at mine"
        [{"LOWER": "unsafe"}, _in(["at", "in"]), _opt(["my", "our", "the"]), _opt(["own"]), _in(["home", "house", "flat", "mine", "ours"])],
        [_in(["am", "is", "are", "feel", "feels"]), {"LOWER": "not"}, {"LOWER": "safe"}, _in(["at", "in"]), _opt(["my", "our", "the"]),
         _opt(["own"]), _in(["home", "house", "flat", "mine", "ours"])],
        # someone in the child's bed at night: "hes lying in my bed", "my brother keeps getting in my bed"
        [_in(["he", "she", "uncle", "dad", "stepdad", "brother", "cousin", "grandad"]), _opt(["is", "keeps"]),
         _in(["lying", "laying", "gets", "getting", "climbs", "climbing", "got", "sleeping"]), _in(["in", "into"]),
         {"LOWER": "my"}, {"LOWER": "bed"}],
    ],
    "neglect": [
        # "theres never any food in ours", "no food or heating"
        [_in(["never", "no"]), _opt(["any"]), _in(["food", "tea", "dinner"]), _in(["in", "at"]), _in(["ours", "mine"])],
        [{"LOWER": "no"}, _in(["food", "heating", "electric", "gas"]), {"LOWER": "or"}, _in(["heating", "electric", "gas", "food", "heat"])],
    ],
    "forced_marriage_or_punishment": [
        # "forced to get married", "making me marry a man i dont know"; "i get the belt"
        [_in(["forced", "forcing", "force", "forces", "making", "make", "made", "makes", "pressuring"]), _opt(["me"]),
         _opt(["to"]), _opt(["get"]), _in(["marry", "married"])],
        [{"LOWER": "forced"}, {"LOWER": "marriage"}],
        [_in(["get", "gets", "getting"]), {"LOWER": "the"}, _in(["belt", "strap", "cane", "slipper"])],
    ],
    # eighteenth session, from disclosure training lines the rules did not read
    "harmed_in_other_words": [
        # "gets his belt out every time i mess up", "held my hand on the hob", "grabs my neck when hes angry",
        # "drags me up the stairs" (not "put my hand on the radiator to warm it", "the dog dragged me round the park")
        [_in(["gets", "got", "takes", "took", "getting", "taking"]), _opt(["his", "her", "the", "a"]), {"LOWER": "belt"},
         {"LOWER": "out"}],
        [_in(["held", "holds", "holding", "pushed", "pushes", "shoved", "shoves"]), {"LOWER": "my"},
         _in(["hand", "hands", "arm", "arms", "head", "face", "fingers"]), _in(["on", "under", "in", "into", "against"]), _opt(["the", "a"]),
         _in(["hob", "cooker", "iron", "radiator", "fire", "oven", "kettle", "toilet", "bath", "door", "wall"])],
        [_in(["grabs", "grabbed", "grabbing", "squeezes", "squeezed", "squeezing"]), _opt(["me"]), _opt(["by"]), {"LOWER": "my"}, _in(["neck", "throat"])],
        [_in(["grabs", "grabbed", "grabbing"]), {"LOWER": "me"}, {"LOWER": "by"}, {"LOWER": "the"}, _in(["neck", "throat", "hair"])],
        [_in(["drags", "dragged", "dragging"]), {"LOWER": "me"}, _in(["by", "up", "down", "across", "along", "round", "around"]),
         _opt(["my", "the"]), _in(["hair", "stairs", "arm", "neck", "floor", "room", "house"])],
        # nineteenth session: "threw the telly at me" (not a ball or a snowball: THROWN_IN_PLAY), "takes his belt to
        # me", "lays into me", "puts her fag out on my arm", "pulled a chunk of my hair out" (not "my sister pulls my
        # hair when we fight"), "shoved me down the stairs", "they lock the fridge"
        [_in(["throws", "threw", "throwing", "thrown", "chucks", "chucked", "chucking", "lobs", "lobbed", "launched"]), ANY, ANY,
         ANY, {"LOWER": "at"}, _in(["me", "us"])],
        [_in(["takes", "took", "taking", "take", "gets", "got"]), _opt(["his", "her", "the", "a"]), {"LOWER": "belt"}, _opt(["off"]),
         {"LOWER": "to"}, _in(["me", "us"])],
        [_in(["lays", "laid", "laying", "layin"]), {"LOWER": "into"}, _in(["me", "us"])],
        [_in(["puts", "put", "putting", "stubs", "stubbed", "stubbing"]), _opt(["her", "his", "a", "the", "their"]),
         _in(["fag", "fags", "cigarette", "cigarettes", "cig", "cigs", "ciggy", "ciggie"]), _opt(["out"]), {"LOWER": "on"}, _in(["me", "my", "us"])],
        [_in(["pulls", "pulled", "pulling", "yanks", "yanked", "yanking", "rips", "ripped", "ripping"]), _opt(["out"]),
         _opt(["a", "out"]), _in(["chunk", "chunks", "clump", "clumps", "handful", "handfuls", "bits", "lumps"]), {"LOWER": "of"},
         {"LOWER": "my"}, {"LOWER": "hair"}],
        [_in(["shoved", "pushed", "pushes", "shoves", "kicked", "kicks", "threw", "throws", "chucked"]), _in(["me", "us"]),
         {"LOWER": "down"}, _opt(["the"]), _in(["stairs", "steps"])],
        [_in(["lock", "locks", "locked", "locking", "padlock", "padlocks", "padlocked"]), _opt(["on"]), _opt(["the"]),
         _in(["fridge", "fridj", "freezer", "cupboards"])],
    ],
    "neglect_or_exploitation": [
        # "leaves me and my little sisters alone for days", "left on our own all weekend"
        [_in(["leaves", "left", "leave", "leaving"]), _in(["me", "us"]), ANY, ANY, ANY, ANY, ANY, ANY, _in(["alone", "own"]),
         _opt(["for", "all", "the", "a"]), _opt(["whole", "few", "couple", "of"]), _in(["days", "weeks", "nights", "weekend", "weekends", "overnight"])],
        [{"LOWER": "left"}, _opt(["on"]), _opt(["my", "our"]), _in(["alone", "own"]), _opt(["for", "all", "the", "a"]),
         _opt(["whole", "few", "couple", "of"]), _in(["days", "weeks", "nights", "weekend", "weekends", "overnight"])],
        # "the only proper meal i get is school dinner"
        [{"LOWER": "only"}, _opt(["proper", "hot", "real", "decent"]), _in(["meal", "meals"]), _opt(["i", "we"]), _in(["get", "gets", "have"])],
        # county lines
        [{"LOWER": "trap"}, _in(["house", "houses"])],
        [{"LOWER": "county"}, {"LOWER": "lines"}],
        # "keeps trying to get me on my own", "wants to touch me"
        [_in(["get", "getting", "gets"]), {"LOWER": "me"}, _opt(["on"]), _opt(["my"]), _in(["alone", "own"])],
        [_in(["wants", "wanted", "tries", "tried", "trying"]), {"LOWER": "to"}, {"LOWER": "touch"}, {"LOWER": "me"}],
    ],
    # nineteenth session: "puts his hand down my trousers", "shows me rude videos", "makes me take my clothes off",
    # "keeps asking to see me naked"
    "sexual_in_other_words": [
        [_in(["his", "her", "their"]), _in(["hand", "hands"]), _in(["down", "up", "in", "inside", "into", "under"]), _opt(["my", "me"]),
         _in(["trousers", "pants", "knickers", "top", "shirt", "skirt", "bra", "pyjamas", "joggers", "shorts", "jeans", "leggings",
              "nightie", "boxers"])],
        [_in(["shows", "showed", "showing", "show", "sends", "sent", "sending", "send"]), _in(["me", "us"]), _opt(["his", "these", "loads"]),
         _opt(["of"]), _in(["rude", "dirty", "porn", "sexy", "naughty", "x"]), _opt(["rated"]),
         _in(["videos", "pictures", "pics", "photos", "vids", "films", "stuff", "things", "videoes"])],
        [_in(["makes", "made", "make", "making", "forces", "forced"]), _in(["me", "us"]), _opt(["to"]), _in(["take", "takes"]), _opt(["off"]),
         _in(["my", "our", "all"]), _opt(["of"]), _opt(["my", "our"]), _in(["clothes", "top", "trousers", "pants", "knickers"])],
        [_in(["asking", "asks", "asked", "ask", "askin", "wants", "wanted"]), _opt(["me"]), _opt(["to"]), {"LOWER": "see"}, _in(["me", "us"]),
         _in(["naked", "undressed", "nude"])],
    ],
}
# what is thrown at someone in play or said: "threw a ball at me in pe", "threw a party", "threw a strop at me"
THROWN_IN_PLAY = {"ball", "balls", "snowball", "snowballs", "football", "frisbee", "pillow", "pillows", "paper", "balloon",
                  "balloons", "sponge", "dodgeball", "beanbag", "party", "tantrum", "strop", "wobbly", "question", "questions",
                  "look", "glance", "shade", "insults", "tennis", "rugby", "netball", "cricket", "sweets", "confetti", "water"}


@functools.lru_cache(maxsize=1)
def _pipeline():
    nlp = spacy.blank("en")
    danger = Matcher(nlp.vocab)
    for label, patterns in DANGER_PATTERNS.items():
        danger.add(label, patterns)
    self_harm = Matcher(nlp.vocab)
    for label, patterns in SELF_HARM_PATTERNS.items():
        self_harm.add(label, patterns)
    disclosure = Matcher(nlp.vocab)
    for label, patterns in DISCLOSURE_PATTERNS.items():
        disclosure.add(label, patterns)
    return nlp, danger, self_harm, disclosure


# "im not joking", "no joke", "this is not a joke", "not being funny but": insistence, not negation or a
# joke ("im not even kidding hes got a knife" is danger). Replaced before the rules look for negators.
_INSISTENCE = re.compile(r"\b(?:(?:i am|this is|it is|am|is)\s+)?(?:not|no|never)\s+(?:even\s+)?(?:a\s+)?"
                         r"(?:joking|kidding|messing(?:\s+about|\s+around)?|lying|joke|being\s+funny|mucking\s+about)\b")


# "he wont stop hitting me", "it doesnt stop bleeding", "she never stops": harm that goes on, not a
# negation of it: rewritten to "keeps going" (urgent, see URGENT_PHRASES) before the rules look for negators.
_PERSISTENCE = re.compile(r"\b(?:wont|won't|will\s+not|doesnt|doesn't|does\s+not|never)\s+stops?\b")


# "killing it in fortnite", "we killed it at the match": doing well, not violence
_DOING_WELL = re.compile(r"\b(?:kill|kills|killing|killed)\s+it\b(?!\s+(?:with|on)\b)")
# "scratchin me arms", "endin me life", "ma wrists": the regional "my" before the body or a life, for the rules
_REGIONAL_MY = re.compile(r"\b(?:me|ma|mi)\s+(?=(?:arms?|legs?|wrists?|thighs?|skin|face|head|hips?|stomach|body|life|"
                          r"tablets|pills|meds)\b)")
_HAIR_DYE = re.compile(r"\bdie\s+(?=(?:my|her|his|their|me|our)\s+(?:own\s+)?(?:hair|fringe|roots|eyebrows)\b)")


def _pattern_words() -> set:
    """The words the rules look for, four letters or more."""
    words = set(HARM_WORDS) | set(URGENT) | set(WEAPONS) | set(PILLS) | set(PILL_NOUNS) | set(POISONS)
    for patterns in (DANGER_PATTERNS, SELF_HARM_PATTERNS, DISCLOSURE_PATTERNS):
        for pattern in (p for group in patterns.values() for p in group):
            for token in pattern:
                value = token.get("LOWER")
                words.update([value] if isinstance(value, str) else (value or {}).get("IN", []))
    return {w for w in words if isinstance(w, str) and w.isalpha() and len(w) >= 4}


def _spelling_variants(word: str) -> set:
    """How children misspell a word: a doubled letter single or a single one doubled ("hiting", "stabing",
    "bleding", "hurrting"), a silent first letter dropped ("nife", "rists"), an "e" kept before "-ing"
    ("chokeing") or the "g" dropped ("hangin"), two inner letters swapped ("hitnig")."""
    out = set()
    for i in range(1, len(word)):
        if word[i] == word[i - 1]:
            out.add(word[:i] + word[i + 1:])
    for i, ch in enumerate(word):
        if word[i - 1:i] != ch and word[i + 1:i + 2] != ch:
            out.add(word[:i + 1] + ch + word[i + 1:])
    if word[:2] in ("kn", "wr"):
        out.add(word[1:])
    if word.endswith("ing") and len(word) > 5:
        out.add(word[:-3] + "eing")
        out.add(word[:-1])  # the dropped g: "hangin", "takin", "endin"
    if len(word) >= 6:
        out.update(word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(1, len(word) - 2))
    out.discard(word)
    return out


@functools.lru_cache(maxsize=1)
def _misspellings() -> Dict[str, str]:
    """Misspelling -> the rule word, for the rules only (the classifier reads the message as written). A variant
    that is a real word (a whole word of the MiniLM word-piece vocabulary, a text-speak form) or could be two rule
    words is left alone, so "licking" never becomes "kicking". Without the vocabulary (not installed) nothing is
    corrected."""
    from nlu_components.minilm import MODEL_DIR

    try:
        english = {w for w in (MODEL_DIR / "vocab.txt").read_text(encoding="utf-8").split() if w.isalpha()}
    except OSError:
        return {}
    rule_words = _pattern_words()
    known = english | rule_words | text_speak_words()
    found: Dict[str, set] = {}
    for word in rule_words:
        for variant in _spelling_variants(word) - known:
            found.setdefault(variant, set()).add(word)
    return {variant: words.pop() for variant, words in found.items() if len(words) == 1}


# "cuttin masel", "hurtin missen", "cutting meself": regional and misspelt forms of "myself"
REGIONAL_MYSELF = {w: "myself" for w in ("masel", "maself", "mysel", "missen", "mysen", "meself", "myslf", "mysef", "miself",
                                         "myselfe", "mysellf", "myseld", "mself", "myselff")}


def rewrite_for_rules(text: str) -> str:
    """The message with children's misspellings of the rules' words corrected, and insistence, persistence,
    "killing it" and "die my hair" rewritten into words the rules read right."""
    fixes = _misspellings()
    text = " ".join(REGIONAL_MYSELF.get(word) or fixes.get(word, word) for word in text.split(" "))
    text = _REGIONAL_MY.sub("my ", _INSISTENCE.sub("honestly", text))
    return _HAIR_DYE.sub("dye ", _DOING_WELL.sub("acing it", _PERSISTENCE.sub("keeps going", text)))


def _harm_in(words: List[str]) -> set:
    """The harm words among these; "threatening" only with someone after it ("threatening her right now"),
    not "threatening to send my pics", which is a threat to share images, not violence."""
    found = set(words) & set(HARM_WORDS)
    for i, word in enumerate(words):
        if (word in ("beat", "beats") and _beaten_at_a_game(words, i)) or (
                word == "attack" and i and words[i - 1] in ("panic", "heart", "asthma")) or (
                i > 1 and words[i - 1] in ("is", "are") and words[i - 2] in NOT_A_PERSON):
            # "my dad beat me at chess", "a panic attack in the exam hall", "tonight it is hitting me hard"
            found.discard(word)
    if "threatening" in found and all(nxt == "to" for word, nxt in zip(words, words[1:] + [""]) if word == "threatening"):
        found.discard("threatening")
    return found


def _everyday_blood(words: List[str]) -> bool:
    """Blood or bleeding beside a nosebleed, a period, a cut finger, a tattoo or a film, with no violence named:
    "my nose is bleeding loads again", "my new tattoo keeps bleeding" (not "he hit me so hard my nose is bleeding")."""
    return bool(BLOOD_NOT_HARM & set(words)) and _harm_in(words) <= {"blood", "bleeding"}


def _beaten_at_a_game(words: List[str], i: int) -> bool:
    """ "beat me at chess", "beats us at fifa": a game won, not violence."""
    return "at" in words[i + 1:i + 3]


def _only_cries_for_help(tokens: List[str]) -> bool:
    """"help help help", "sos", "pls someone help me quick": panic, read as danger; a lone "help" is not."""
    words = [t for t in tokens if any(ch.isalnum() for ch in t)]
    cries = sum(w in ("help", "sos") for w in words)
    hurried = bool({"now", "quick", "hurry"} & set(words))
    return bool(words) and set(words) <= PANIC_WORDS and (cries >= 2 or "sos" in words or (cries >= 1 and hurried))


def _negated(doc, start: int, end: int, window: int = 4, negators=NEGATORS) -> bool:
    """A negator, conditional or joke marker near the match, within its clause."""
    if negators & _clause_before(doc, start, window):
        return True
    if negators is not NEGATORS:
        return False
    after = [t.lower_ for t in doc[end:end + 3]]
    if "if" in after or {"lol", "lmao", "haha", "jk", "joking", "kidding"} & set(t.lower_ for t in doc[end:end + 6]):
        return True
    return False


def _has_phrase(tokens: List[str], phrase: List[str]) -> bool:
    n = len(phrase)
    return any(tokens[i:i + n] == phrase for i in range(len(tokens) - n + 1))


def _urgent_sentence(sentence: List[str]) -> bool:
    return bool(set(URGENT) & set(sentence)) or any(_has_phrase(sentence, p) for p in URGENT_PHRASES)


def _said_not_today(tokens: List[str]) -> bool:
    return any(_has_phrase(tokens, phrase) for phrase in NOT_TODAY)


def _long_ago(tokens: List[str]) -> bool:
    return any(_has_phrase(tokens, phrase) for phrase in LONG_AGO)


def _harm_that_can_be_now(clause: List[str], sentence: List[str]) -> bool:
    """A clause with a harm word that an urgent word elsewhere in its sentence makes danger now. Not harm to
    oneself, not "kill" over a trivial thing ("mum will kill me tonight when she sees my report"), and, unless
    the clause itself is urgent, not harm the sentence says is over or a clause about the news ("im sixteen
    now and he beat me when i was small", "he hit me again on saturday, back home now")."""
    harm = _harm_in(clause)
    if not harm or {"myself", "yourself"} & set(clause) or (harm == {"kill"} and TRIVIAL_REASONS & set(sentence)):
        return False
    if _self_inflicted(clause, harm) or _argument(clause, harm) or _exclaimed(clause, harm) or (
            harm <= {"threatening", "threatened"} and (IMAGE_WORDS | MEDIA) & set(sentence)):
        return False
    return _urgent_sentence(clause) or not (_said_not_today(sentence) or MEDIA & set(clause) or _long_ago(sentence))


def _weapon_put_away(doc, start: int, end: int) -> bool:
    """A weapon someone has or carries that is put away ("in his bag", "to school", "under his bed"), not one held,
    pointed or waved (WEAPON_KEPT_IN)."""
    if doc[start].lower_ not in ("has", "got", "carrying", "with"):
        return False
    after = [t.lower_ for t in doc[end:end + 3]]
    return (after[:1] in (["in"], ["under"], ["inside"]) and after[1:2] in (["his"], ["her"], ["their"], ["my"], ["the"])
            and after[2:3] and after[2] in WEAPON_KEPT_IN) or after[:2] == ["to", "school"]


def _self_inflicted(clause: List[str], harm: set) -> bool:
    """ "i keep hitting my head on the wall": the writer's own body, by the writer (self-harm, for its own rules)."""
    spots = [i for i, t in enumerate(clause) if t in harm]
    return bool(spots) and all(
        clause[i + 1:i + 2] == ["my"] and "i" in clause[:i] and not (NEW_SUBJECTS | PEOPLE) & set(clause[:i])
        for i in spots)


def _argument(clause: List[str], harm: set) -> bool:
    """ "we had a massive fight over a lad": a row that is over."""
    return harm <= {"fight", "fighting"} and "had" in clause[:min(map(clause.index, harm))]


def _exclaimed(clause: List[str], harm: set) -> bool:
    """ "kill me now this lesson is so boring": an exclamation, with nobody to do it."""
    for i in range(len(clause) - 2):
        if clause[i:i + 3] == ["kill", "me", "now"] and (i == 0 or clause[i - 1] in (
                "just", "please", "pls", "plz", "omg", "ugh", "someone", "somebody", "honestly", "literally", "oh")):
            return harm == {"kill"}
    return False


def _set_off_when(sentence: List[str]) -> bool:
    """ "when he is angry", "when i do something wrong" (WHEN_SET_OFF)."""
    return any(t in ("when", "whenever") and WHEN_SET_OFF & set(sentence[i + 1:i + 5]) for i, t in enumerate(sentence))


def _mask_so_far(tokens: List[str]) -> List[str]:
    """ "for years now", "three times now": that "now" makes nothing urgent (SO_FAR_BEFORE_NOW)."""
    return [SO_FAR_MASK if t == "now" and i and tokens[i - 1] in SO_FAR_BEFORE_NOW else t for i, t in enumerate(tokens)]


def _threat_not_meant_now(doc, start: int, end: int, urgent_words: set) -> bool:
    """Whether a kill threat is the writer's own hyperbole or hyperbole over a trivial thing (a habitual one,
    "he always says hes going to kill me", is ongoing abuse: see the habit check in `detect`)."""
    if start and doc[start - 1].lower_ == "am" and (start == 1 or doc[start - 2].lower_ in {"i", ".", ",", "!", "?"}):
        return True  # "im gonna kill my brother he ate my chips", Scots "am gonna kill ma wee sister"
    following = [t.lower_ for t in doc[end:end + 10]]
    # "my dad is gonna kill me for scratching his car", "teacher will kill me cos i forgot my kit"
    return bool({"kill", "murder"} & {t.lower_ for t in doc[start:end]} and TRIVIAL_REASONS & set(following)
                and not (_harm_in(following) - {"kill"}) and not urgent_words)


def _just_attacked_figuratively(doc, tokens: List[str], start: int, end: int) -> bool:
    """ "it just hit me that...", "they just kicked me out", "my dog just bit me", "he just pushed me to do my
    homework", "the ball just hit me in the face": not someone attacking the writer this minute."""
    before = {t.lower_ for t in doc[max(0, start - 2):start]}
    after = [t.lower_ for t in doc[end:end + 3]]
    if any(_beaten_at_a_game(tokens, i) for i in range(start, end) if tokens[i] in ("beat", "beats")):
        return True  # "he just beat me at chess"
    if before & (NOT_A_PERSON | ANIMALS | NOT_BY_A_PERSON):
        return True  # "the ball just hit me", "my dog just bit me"
    beaten_up = doc[end - 2].lower_ in ("beat", "beaten", "battered")  # "just beat me up" is violence
    return bool(after) and after[0] in ("that", "out", "off", "up", "into", "to", "feelings", "with") and not beaten_up


# words in -ing that name people or could: "my sibling is hitting me" is still someone
PEOPLE_IN_ING = {"sibling", "siblings", "darling", "offspring", "something", "anything", "viking"}
CLAUSE_BREAKS = {",", ".", "!", "?", ";", "but", "and", "so", "cos", "because", "honestly", "lol", "tbh"}


def _doing_something_subject(doc, start: int) -> bool:
    """Whether the clause before "is ...ing" starts with something done, not someone: "talking to you is killing
    me", "waiting for my results is killing me" (a verb in -ing, or everything / nothing)."""
    first = None
    for index in range(start - 1, max(-1, start - 7), -1):
        if doc[index].lower_ in CLAUSE_BREAKS:
            break
        first = doc[index].lower_
    return bool(first) and (first in ("everything", "nothing") or (
        first.endswith("ing") and len(first) > 5 and first not in PEOPLE_IN_ING))


def _being_done_elsewhere(doc, start: int, end: int, sentence: List[str], urgent_sentence: bool) -> bool:
    """ "being held/beaten/raped" that is not someone in danger here and now: "im being held hostage by my maths
    homework", "a pop-up with pictures of kids being raped" (a report of images), "children being held down by
    staff" (a concern about an organisation). Being chased, followed or kidnapped is always now."""
    if NOT_A_PERSON & {t.lower_ for t in doc[end:end + 4]}:
        return True
    return doc[start + 1].lower_ not in ("chased", "followed", "kidnapped") and not urgent_sentence and bool(
        MEDIA & set(sentence) or {"staff", "carers", "workers", "restrained", "restraint"} & set(sentence))


def _not_at_a_drop(doc, start: int, end: int) -> bool:
    """ "i look at the bridge on the way to college", "im on the edge of the group": not standing at a drop."""
    if start and doc[start - 1].lower_ in ("look", "looking", "looked", "stare", "staring", "past", "near"):
        return True
    return (doc[end - 1].lower_ in ("edge", "ledge") and [t.lower_ for t in doc[end:end + 1]] == ["of"]
            and not EDGE_OF_A_DROP & {t.lower_ for t in doc[end + 1:end + 5]})


def _insisted(doc, start: int) -> int:
    """Where to look for a negator before a self-harm match: before "can not" when it only says the writer cannot
    stop or wait or be bothered ("i cant stop cutting", "cant wait to be dead", "cant be arsed living")."""
    j = start - 1 if start and doc[start - 1].lower_ == "be" else start
    if j >= 2 and doc[j - 1].lower_ == "not" and doc[j - 2].lower_ in ("can", "could") and (
            doc[start].lower_ in ("stop", "quit", "wait", "arsed")):
        return j - 2
    return start


def _everyday_sense(doc, start: int, end: int, label: str, tokens: List[str]) -> bool:
    """Whether a self-harm match is meant another way: someone else's wish, an accident, "dead tired",
    scars from an operation, a waking errand, following someone to the shops."""
    following = [t.lower_ for t in doc[end:end + 1]]
    after = [t.lower_ for t in doc[end:end + 5]]
    matched = [t.lower_ for t in doc[start:end]]
    if matched[-1] == "dying" and following and following[0] in ("my", "her", "his", "their", "it", "our"):
        return True  # "thinking about dying my hair blue"
    if matched[0] in ("ways", "methods", "way") and (MEDIA_WORDS | GAMES) & set(tokens):
        return True  # "funniest ways to die in minecraft"
    if matched[-1] == "cutting" and label == "self_harm" and following and following[0] not in CUTTING_GOES_ON:
        return True  # "been cutting the grass", "started cutting my own hair" (the body part patterns read "my arms")
    if matched[-1] == "disappear" and following in (["off"], ["into"]) and (
            (ONLINE | MEDIA) & {t.lower_ for t in doc[end + 1:end + 4]}):
        return True  # "i want to disappear off social media for a bit", "... into a good book"
    if matched[0] in WISH and start and matched[1:2] == ["i"] and doc[start - 1].lower_ != "i":
        return True  # "my mum says she wishes i was dead": someone else's wish, for the disclosure rules
    if matched[-1] in ("die", "dead") and (after[:1] == ["laughing"] or after[:1] == ["of"] and after[1:2] and after[1] in (
            "embarrassment", "boredom", "cringe", "shame", "laughter", "laughing", "happiness", "excitement", "jealousy")):
        return True  # "cant wait to die of embarrassment"
    if matched[-1] == "dead" and following and following[0] in DEAD_AS_VERY:
        return True  # "i should be dead tired tomorrow", "me that should be dead jealous"
    if {"scars", "scar"} & set(matched) and SCARS_NOT_SELF_MADE & set(tokens):
        return True  # "how do i cover my scars from the operation"
    if label == "follow_the_dead" and (not DEATH_WORDS & set(tokens) or (following and following[0] in NOT_FOLLOWING_THE_DEAD)):
        return True  # "i want to go with him to the shops"; "i want to be with her family at the funeral"
    if matched[1:2] == ["my"] and SOMEONE_ELSE & {t.lower_ for t in doc[max(0, start - 3):start]}:
        return True  # "my mums boyfriend bangs my head against the wall", "my mum burned my arm with her cigarette":
        # abuse, for the disclosure rules
    if (label == "not_waking" or matched[-1] == "wake" or matched[-2:] == ["wake", "up"]) and (
            WAKING_ERRANDS & (set(after[:2]) - {"up"})) and not any(
                after[k:k + len(tail)] == tail for tail in (["in", "the", "morning"], ["at", "all"]) for k in (0, 1)):
        return True  # "i hope i dont wake up late" (not "pray i wont wake up in the morning", "rather not wake up at all")
    if matched[0] == "i" and label == "self_harm" and matched[-1] not in REFLEXIVE and (
            ACCIDENTS_OR_KITCHEN & {t.lower_ for t in doc[end - 1:end + 6]}):
        return True  # "i hurt my leg when i fell", "i burnt my arm again on the oven"
    # an accident: "my son hurt himself playing football", "she burnt herself on the oven" (not "on purpose")
    return matched[-1] in REFLEXIVE and "purpose" not in after and bool(
        ACCIDENTS & set(after) or (after[:1] == ["on"] and after[1:2] in (["the"], ["a"], ["an"], ["some"])))


def detect(text: str) -> Signals:
    nlp, danger_matcher, self_harm_matcher, disclosure_matcher = _pipeline()
    doc = nlp(rewrite_for_rules(normalise(text)[:200_000]))  # danger anywhere in a long message still counts
    tokens = [t.lower_ for t in doc]
    signals = Signals()
    safe_now = any(_has_phrase(tokens, phrase) for phrase in SAFE_NOW)
    if not INJURED_NOW & set(tokens):
        tokens = _mask_calm_clauses(tokens)
    tokens = _mask_so_far(tokens)
    urgent_words = set(URGENT) & set(tokens)
    if any(_has_phrase(tokens, phrase) for phrase in URGENT_PHRASES):
        urgent_words.add("now")
    sentence_of = _sentence_index(tokens)

    for match_id, start, end in danger_matcher(doc):
        label = nlp.vocab.strings[match_id]
        sentence = sentence_of[start]
        if _negated(doc, start, end) or _joking(sentence) or _sarcastic(doc, start, label):
            signals.danger_negated = True
            continue
        if MEDIA & {t.lower_ for t in doc[max(0, start - 8):start]}:
            continue  # "a video of a child being raped": a report of images, not danger to the writer
        if label == "kill_threat" and _threat_not_meant_now(doc, start, end, urgent_words):
            continue
        if (label == "kill_threat" and doc[start].lower_ in ("will", "would", "says", "said")
                and {"kill", "murder"} & {t.lower_ for t in doc[start:end]}
                and {"when", "if"} & {t.lower_ for t in doc[end:end + 2]}):
            signals.danger_negated = True  # "my dad will kill me when he sees the car": hyperbole
            continue
        if label == "just_harmed" and doc[start].lower_ == "will" and doc[max(0, start - 1)].lower_ == "i" and (
                {"hope", "hoping", "pray", "praying", "wish"} & {t.lower_ for t in doc[max(0, start - 4):start]}):
            continue  # "every night i pray i wont wake up": a wish, for the self-harm rules
        if label in ("just_harmed", "imminent_suicide", "overdose_now") and not _urgent_sentence(sentence) and any(
                doc[i].lower_ in THINKING_OF and doc[i + 1].lower_ in ("about", "of", "bout", "abt")
                for i in range(max(0, start - 5), start - 1)):
            if set(doc[start:end].text.split()) & SELF_INFLICTED:
                signals.self_harm = True  # "ive thought about drinking bleach": a thought of self-harm, not an act now
                signals.matches.append(("self_harm_thought", doc[start:end].text))
            continue
        if label in ("just_harmed", "imminent_suicide", "overdose_now") and any((_number(t.lower_) or 99) < PILLS_THAT_ALARM for t in doc[start:end]):
            continue  # "i took 2 paracetamol for my headache"
        if label == "missing_child_now" and not ((urgent_words or {"just", "ago"} & set(sentence)) and (
                {"child", "son", "daughter", "pupil", "pupils", "kid", "baby", "toddler", "sister", "brother", "girl",
                 "boy", "stranger"} & set(tokens))):
            continue
        if label == "just_harmed" and "floppy" in doc[start:end].text and not PEOPLE & set(sentence):
            continue  # "the sofa cushions have gone all floppy"
        if label == "sexual_abuse_now" and not (_urgent_sentence(sentence) or any(
                _has_phrase(tokens, place) for place in ABUSER_HERE)):
            continue
        if label == "just_attacked" and _just_attacked_figuratively(doc, tokens, start, end):
            continue
        if label == "threat_for_later" and (not any(_has_phrase(tokens, t) for t in THREAT_TIMES)
                                            or [t.lower_ for t in doc[end:end + 1]] in (["at"], ["up"])):
            continue  # a threat with no time today, or "hes going to beat me at fifa tonight"
        urgent_sentence = _urgent_sentence(sentence)
        past = ((PAST_TIME & set(sentence) or _said_not_today(sentence)) and not urgent_sentence) or _long_ago(sentence)
        habitual = ((HABITUAL - {"all", "when"}) & set(sentence) or _set_off_when(sentence)) and not urgent_sentence
        if label == "child_at_risk_now" and CHILD_PLAY & set(sentence) and not urgent_sentence:
            continue  # "the kids are screaming their heads off playing tag"
        if label == "just_harmed" and doc[start].lower_ == "being" and _being_done_elsewhere(doc, start, end, sentence, urgent_sentence):
            continue
        if label == "imminent_suicide" and doc[start].lower_ in ("on", "at", "standing") and _not_at_a_drop(doc, start, end):
            continue
        if label == "imminent_suicide" and doc[start].lower_ in ("on", "at") and not urgent_sentence and (
                PUT_THERE & {t.lower_ for t in doc[max(0, start - 4):start]}
                or doc[max(0, start - 1)].lower_ in ("was", "were") or (
                    doc[max(0, start - 1)].lower_ in ("stood", "sat") and start >= 2
                    and doc[start - 2].lower_ in ("i", "he", "she", "they", "we"))):
            continue  # "he locks me out on the balcony", "i stood on the edge of the bridge": not someone at a drop
            # now ("im stood on the bridge" is Northern English for standing there)
        matched = {t.lower_ for t in doc[start:end]}
        if doc[end - 1].lower_ in ("sleeping", "sleepin") and (end == len(doc) or doc[end].lower_ not in PILL_NOUNS):
            continue  # "took all the sleeping bags to camp"
        if label == "overdose_now" and doc[end - 1].lower_ in PILL_NOUNS and not (
                MANY & matched or any(_number(t.lower_) for t in doc[start:end])):
            continue  # "i took my tablets", "took some paracetamol": a dose, not an overdose
        if (label == "bleeding_now" or (label == "just_harmed" and {"blood", "bleeding"} & matched)) and (
                _everyday_blood(sentence) or (label == "bleeding_now" and {"was", "were"} & set(sentence)
                                              and not urgent_sentence)):
            continue  # "got blood all over my pillow from a nosebleed", "he hit me and there was blood everywhere"
        if past or (label in ("trapped_or_pursued", "weapon", "imminent_suicide", "kill_threat", "child_at_risk_now",
                              "overdose_now", "bleeding_now") and habitual):
            continue  # "i took an overdose last year", "gets locked out every night", "he always says hes going to
            # kill me", "they leave their kids alone every evening": not happening now
        if label == "weapon" and not urgent_sentence and _weapon_put_away(doc, start, end):
            continue  # "should i tell someone my friend has a knife in his bag": carried or kept, a worry, not an attack
        if label == "weapon" and not urgent_sentence and SELF_HARM_CONTEXT & set(sentence):
            continue  # "been doing the thing with the blade again, on my legs": self-harm, for the self-harm rules
        if label == "trapped_or_pursued" and doc[start].lower_ == "locked" and start and doc[start - 1].lower_ in (
                "get", "gets", "got", "getting", "gotten") and not urgent_sentence:
            continue  # "i get locked out in the garden when im naughty", "mum will get locked up": not a 999 call now
        if label == "trapped_or_pursued" and doc[start].lower_ == "locked" and start and doc[start - 1].lower_ in (
                "was", "were") and not urgent_sentence:
            continue  # "she was locked in her room all weekend": over
        if label == "trapped_or_pursued" and "you" in {t.lower_ for t in doc[max(0, start - 3):start]}:
            continue  # "will you call the police on my dad": a question about us
        if label == "trapped_or_pursued" and (
                (doc[start].lower_ == "trapped" and start and doc[start - 1].lower_ in ("feel", "feeling", "felt", "feels"))
                or ({"forgot", "lost", "left"} & set(tokens) and {"key", "keys"} & set(tokens))):
            continue  # "i feel trapped": a feeling; "locked out because i forgot my key": an errand
        if label == "just_harmed" and doc[start].lower_ in ("by", "hands", "hand", "arm", "rope", "belt"):
            if (HABITUAL | {"grabs", "puts", "pins", "holds", "like"}) & set(sentence) and not (urgent_words & set(sentence)):
                continue  # "he grabs me by the neck when he is angry": ongoing abuse, a disclosure
        if label == "violence_in_progress" and (NOT_A_PERSON & {t.lower_ for t in doc[max(0, start - 2):start]}
                                                or _doing_something_subject(doc, start)):
            continue  # "revision is killing me", "talking to a chatbot is killing me": not a person
        if label == "violence_in_progress" and ([t.lower_ for t in doc[end:end + 1]] and doc[end].lower_ in REFLEXIVE or (
                doc[end - 1].lower_ == "killing" and [t.lower_ for t in doc[end:end + 2]] == ["me", "with"])):
            continue  # "my girl is burning herself with lighters": self-harm; "mum is killing me with these chores"
        if label == "violence_in_progress" and ONGOING_ING & matched and not urgent_sentence and (
                SUSPECTING & {t.lower_ for t in doc[max(0, start - 6):start]}) and not {"hear", "hearing"} & set(sentence):
            continue  # "i think my friends husband is hitting their son": a worry about ongoing abuse
        if label == "violence_in_progress":
            nearby = {t.lower_ for t in doc[start:min(len(doc), end + 6)]}
            if ((HABITUAL | {"since"}) & nearby) and not urgent_words:
                continue  # "he is hitting me every day", "my mum is hitting me since my father died": ongoing abuse
            if safe_now:
                continue
        signals.danger = True
        signals.matches.append((label, doc[start:end].text))

    if _only_cries_for_help(tokens):
        signals.danger = True
        signals.matches.append(("panic", " ".join(tokens)))

    # urgency plus harm anywhere in the same sentence ("hes drunk and smashing stuff rn")
    if not signals.danger and urgent_words and not safe_now:
        for sent in _sentences(tokens):
            if not _urgent_sentence(sent) or not _harm_in(sent):
                continue
            # negation only counts in the clause of the harm word: a long sentence that starts
            # "i wasnt going to message anyone but..." can still bury danger at its end
            clauses = _clauses(sent)
            harm_clauses = [c for c in clauses if _harm_that_can_be_now(c, sent) and not _everyday_blood(c)]
            live = [c for c in harm_clauses if not (NEGATORS & set(c)) and not (
                PAST_TIME & set(c) and not any(_has_phrase(c, p) for p in URGENT_PHRASES))]
            urgent_live = [c for c in clauses if not (NEGATORS & set(c)) and _urgent_sentence(c)]
            if live and not urgent_live:
                continue
            if live and not _has_phrase(sent, ["right", "now", "i", "am", "fine"]) and not _joking(sent):
                if not ({"now"} == set(sent) & set(URGENT) and not _present_tense(sent)
                        and not any(_has_phrase(sent, p) for p in URGENT_PHRASES)):
                    signals.danger = True
                    signals.matches.append(("urgent_harm", " ".join(sent)))
                    break
            else:
                signals.danger_negated = True

    # "i just took a load of pills", "just tried to hang myself": danger now, and self-harm too,
    # so the routes after 999 include the crisis lines (actions/danger.py)
    for label, text in list(signals.matches):
        if label in ("just_harmed", "imminent_suicide", "overdose_now", "bleeding_now") and set(text.split()) & SELF_INFLICTED:
            signals.self_harm = True

    for match_id, start, end in self_harm_matcher(doc):
        label = nlp.vocab.strings[match_id]
        if _negated(doc, _insisted(doc, start), end, negators=SELF_HARM_NEGATORS):
            signals.self_harm_negated = True
            continue
        if _everyday_sense(doc, start, end, label, tokens):
            continue
        if doc[start].lower_ in ("top", "topping", "topped") and [t.lower_ for t in doc[end:end + 1]] == ["up"]:
            continue  # "top myself up" is phone credit
        signals.self_harm = True
        signals.matches.append((label, doc[start:end].text))

    for match_id, start, end in disclosure_matcher(doc):
        label = nlp.vocab.strings[match_id]
        before = {t.lower_ for t in doc[max(0, start - 4):start]}
        clause = _clause_before(doc, start)
        if label == "hurts_me" and ({"no", "never", "not", "nobody", "if", "would", "game", "film", "pretend"}
                                    & clause):
            signals.disclosure_negated = True
            continue
        after = [t.lower_ for t in doc[end:end + 2]]
        if (label == "secrets" and after == ["from", "me"]) or (label == "scared_at_home" and after[:1] == ["yet"]):
            continue  # "he keeps secrets from me about my present", "dont want to go home yet, the party is sick"
        if label == "hurts_me" and doc[start].lower_ in ("beat", "beats") and _beaten_at_a_game(tokens, start):
            continue  # "my dad beat me at chess"
        if label == "scared_at_home" and doc[start].lower_ in FEAR and after[:1] and (
                after[0].endswith("ing") or {"if", "reaction", "reactions"} & set(after)):
            continue  # "scared of my dad finding out about my grades", "afraid of my mums reaction"
        if label == "hurt_passive" and (after[:1] in (["at"], ["off"], ["out"], ["in"]) or NOT_BY_A_PERSON & {
                t.lower_ for t in doc[end:end + 6]} or not {"i", "we", "me"} & before or (start and doc[start - 1].lower_ in OTHER_PEOPLE)):
            continue  # "we got beaten at football", "got kicked off the team", "got hit by a ball in pe", "the door got kicked in";
            # and only the writer: "his friend gets beaten by his father", "if i see someone getting beaten up" are someone else's
        if label in ("hurt_passive", "scared_at_home") and {"no", "nobody", "never", "not"} & clause:
            signals.disclosure_negated = True
            continue  # "nobody gets hit or anything", "no one has locked me in anywhere"
        if label == "secrets" and doc[start].lower_ == "if" and not {"said", "says", "told", "tells", "threatened", "threatens",
                                                                       "warned", "warns"} & {t.lower_ for t in doc[:start]}:
            continue  # "if i say anything" is a threat only when someone said so, not "ill lose my job if i say anything"
        if label == "hurts_me" and doc[start].lower_ in ("touches", "touched", "touching") and (
                {"accidentally", "by", "mistake"} & {t.lower_ for t in doc[end:end + 3]}):
            continue
        if label != "hurts_me" and {"not", "never"} & clause and label != "secrets":
            signals.disclosure_negated = True
            continue
        if label == "sexual_abuse" and ({"no", "nobody", "never", "not"} & clause):
            signals.disclosure_negated = True
            continue
        if label == "sexual_abuse" and MEDIA_WORDS & set(tokens):
            continue  # "a film about a girl who was abused"
        if label == "harmed_in_other_words" and THROWN_IN_PLAY & {t.lower_ for t in doc[start:end]}:
            continue  # "my mate threw a ball at me in pe"
        if label == "sexual_abuse" and (CHORES & {t.lower_ for t in doc[end:end + 5]} or ANIMALS & before):
            continue  # "mum keeps making me do stuff around the house", "my cat rubs my legs"
        signals.disclosure = True
        span = {t.lower_ for t in doc[max(0, start - 3):end]}
        signals.disclosure_first_person |= bool({"i", "me", "my", "us", "we"} & span)
        signals.matches.append((f"disclosure_{label}", doc[start:end].text))

    signals.own_images = _own_intimate_images(tokens)
    signals.mentions_media = bool(MEDIA & set(tokens))
    _audience(doc, tokens, signals)
    return signals


IMAGE_NOUNS = {"pics", "pic", "pictures", "picture", "photos", "photo", "videos", "video", "vids", "vid", "snaps",
               "selfies", "selfie", "images", "image", "nudes"}
INTIMATE = {"nude", "nudes", "naked", "intimate", "private", "rude", "sexy", "explicit", "topless", "dirty", "sexual",
            "underwear", "bra", "undressed"}
NOT_MINE = {"not", "never", "no", "nobody", "didnt", "didn't", "havent", "haven't"}


def _own_intimate_images(tokens: List[str]) -> bool:
    """The writer's own intimate images: "my nudes", "my private pics", "nudes of me", "pics of me naked".

    Whoever has them, a young person's own nude images are Report Remove's and Childline's topic, not
    an adult's online-abuse concern; "my daughter's nudes" is not the writer's own (no match)."""
    for i, token in enumerate(tokens):
        if NOT_MINE & set(tokens[max(0, i - 3):i]):
            continue
        following = tokens[i + 1:i + 3]
        if token == "my" and following[:1] and following[0] in {"nudes", "nude"}:
            return True
        if token == "my" and len(following) == 2 and following[0] in INTIMATE and following[1] in IMAGE_NOUNS:
            return True
        if token in IMAGE_NOUNS and following == ["of", "me"]:
            if token == "nudes" or INTIMATE & set(tokens[max(0, i - 2):i + 6]):
                return True
    return False


def _sentence_index(tokens: List[str]) -> List[List[str]]:
    """For each token position, the tokens of its sentence."""
    out, current, start = [None] * len(tokens), [], 0
    for i, token in enumerate(tokens + ["."]):
        if token in SENTENCE_ENDS or i == len(tokens):
            for j in range(start, min(i + 1, len(tokens))):
                out[j] = current
            current, start = [], i + 1
        else:
            current.append(token)
    return out


CLAUSE_ENDS = CLAUSE_BREAKS | SENTENCE_ENDS


def _calm_clause(clause: List[str]) -> bool:
    """ "he is away tonight though", "i am alright for now": a clause about the calm, with no harm or negation in it."""
    if not clause or _harm_in(clause) or NEGATORS & set(clause):
        return False
    if any(_has_phrase(clause, phrase) for phrase in CALM_FOR_NOW):
        return True
    for i in range(1, len(clause)):
        if clause[i - 1] not in ("is", "are", "am"):
            continue
        for place in AWAY:
            if clause[i:i + len(place)] == place:
                return set(clause[i + len(place):]) <= CALM_TAIL
    return False


def _mask_calm_clauses(tokens: List[str]) -> List[str]:
    """The tokens with the time words of calm clauses masked, so they make nothing else in the sentence urgent."""
    out, start = list(tokens), 0
    for i, token in enumerate(tokens + ["."]):
        if token in CLAUSE_ENDS:
            clause = tokens[start:i]
            if _calm_clause(clause):
                for j in range(start, i):
                    if tokens[j] in URGENT:
                        out[j] = CALM_MASK
            start = i + 1
    return out


def _split(tokens: List[str], separators: set) -> List[List[str]]:
    parts, current = [], []
    for token in tokens:
        if token in separators:
            if current:
                parts.append(current)
            current = []
        else:
            current.append(token)
    if current:
        parts.append(current)
    return parts


def _clauses(sent: List[str]) -> List[List[str]]:
    return _split(sent, CLAUSE_BREAKS)


def _clause_before(doc, start: int, window: int = 4) -> set:
    """The words just before a match, back to the start of its clause: a negator beyond it negates something else."""
    lo = max(0, start - window)
    for j in range(start - 1, lo - 1, -1):
        if _ends_a_clause(doc, j):
            return {t.lower_ for t in doc[j + 1:start]}
        if _starts_a_clause(doc, j):  # "i cant breathe he is choking me": the negator is in the clause before
            return {t.lower_ for t in doc[j:start]}
    raised = _raised_from(doc, lo, start)
    return {t.lower_ for t in doc[raised if raised is not None else lo:start]}


def _raised_from(doc, lo: int, start: int) -> Optional[int]:
    """Where a negator moves into a prediction from: "i dont think he is going to hurt me" says he will not, though
    "dont" is five words before "hurt". Only a verb of thinking followed by its subject and a future or modal
    verb, with no other verb of thinking or telling between, reaches that far ("i dont think its normal that my
    dad hits me" and "i dont think anyone would believe me that he touches me" still tell of harm)."""
    for j in range(lo, max(0, lo - 3) - 1, -1):
        if _ends_a_clause(doc, j):
            return None
        if doc[j].lower_ in NEG_RAISING:
            between = {t.lower_ for t in doc[j + 1:start + 1]}  # the match may begin with the modal: "going to hurt"
            if (doc[j + 1].lower_ in PREDICTED_SUBJECTS and MODALS & between
                    and not (GOVERN_A_SUBJECT | VERB_CUTS) & between):
                return max(0, j - 2)
            return None
    return None


def _ends_a_clause(doc, j: int) -> bool:
    """Word j closes the clause before it: punctuation, a conjunction, or a verb of knowing or telling that no
    conditional just before governs ("if i see ..." keeps the "if")."""
    word = doc[j].lower_
    return word in CLAUSE_CUTS and not (word in VERB_CUTS and CONDITIONALS & {t.lower_ for t in doc[max(0, j - 2):j]})


def _starts_a_clause(doc, j: int) -> bool:
    """Word j is a third person starting a clause of its own: not governed by "if", "think" and the like."""
    return doc[j].lower_ in NEW_SUBJECTS and (j == 0 or doc[j - 1].lower_ not in GOVERN_A_SUBJECT)


JOKE_MARKERS = {"lol", "lmao", "lmfao", "haha", "hahaha", "jk", "joking", "kidding", "rofl", "xd"}


def _joking(sentence: List[str]) -> bool:
    return bool(JOKE_MARKERS & set(sentence or []))


def _sarcastic(doc, start: int, label: str) -> bool:
    """ "oh yeah im sooo in danger": an intensifier right before "in danger", or "oh yeah" before it."""
    if label != "trapped_or_pursued" or doc[start].lower_ not in ("in", "into"):
        return False
    before = [t.lower_ for t in doc[max(0, start - 6):start]]
    return bool(before and before[-1] in SARCASM) or _has_phrase(before, ["oh", "yeah"])


def _sentences(tokens: List[str]) -> List[List[str]]:
    return _split(tokens, SENTENCE_ENDS)


def _present_tense(sent: List[str]) -> bool:
    return bool({"is", "are", "am", "has", "keeps"} & set(sent)) or any(t.endswith("ing") for t in sent)


def _number(token: str) -> Optional[int]:
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


def _audience(doc, tokens: List[str], signals: Signals) -> None:
    n = len(tokens)
    possessive = {"my", "our", "his", "her", "their", "a", "an", "of", "the", "your", "is", "s", "she", "he",
                  "son", "daughter", "child", "kid", "brother", "sister", "friend", "cousin"}
    # stated age: "i am 12", "i am only twelve", "12 years old" at the start, or a bare number as the whole message
    for i, token in enumerate(tokens):
        value = _number(token)
        if value is None or not 3 <= value <= 99:
            continue
        if i + 1 < n and tokens[i + 1] in NUMBER_WORDS and token in NUMBER_WORDS and tokens[i + 1] != token:
            value += NUMBER_WORDS[tokens[i + 1]] if NUMBER_WORDS[tokens[i + 1]] < 10 else 0
        prev = [t for t in tokens[max(0, i - 3):i] if t not in {"only", "just", "nearly", "almost", "about", "like", "turning", "turned", "aged", "age"}]
        prev_raw = tokens[max(0, i - 3):i]
        nxt = tokens[i + 1:i + 3]
        stated = False
        if prev and prev[-1] in {"am", "im"} and (len(prev) < 2 or prev[-2] in {"i", ".", ",", "and", "but"} or prev[-1] == "im"):
            stated = not (nxt[:1] and nxt[0] in {"minutes", "mins", "hours", "days", "weeks", "miles", "pounds", "percent", "%", "foot", "ft", "stone", "times"})
        elif {"aged", "age"} & set(prev_raw[-1:]) and (i < 3 or "i" in tokens[:i]):
            stated = True
        elif nxt[:2] == ["years", "old"] or nxt[:1] == ["years"]:
            stated = i == 0 or (i <= 2 and not set(tokens[:i]) & possessive) or tokens[i - 1] in {"am", "im"}
        elif n <= 2 and i == 0:
            stated = True
        if stated:
            signals.age = value
            break
    # school year: England/Wales "year 8", Scotland "s2" / "p7" (normalised to "s 2")
    for i, token in enumerate(tokens[:-1]):
        value = _number(tokens[i + 1])
        if value is None:
            continue
        label = None
        if token in {"year", "yr", "y"} and 1 <= value <= 13:
            label = f"year {value}"
        elif token == "s" and 1 <= value <= 6:
            label = f"S{value}"
        elif token == "p" and 1 <= value <= 7:
            label = f"P{value}"
        if not label:
            continue
        context = set(tokens[max(0, i - 5):i])
        if context & (set(CHILD_RELATIONS) | {"his", "her", "their", "he", "she", "they", "our"}):
            signals.audience_cue = "adult"
            continue
        if token in {"s", "p", "y"} and not (context & {"in", "am", "i"} or n <= 3):
            continue
        signals.school_year = label
        break
    # role
    text = " ".join(tokens)
    role = None
    for i, token in enumerate(tokens):
        window = tokens[max(0, i - 3):i]
        if token in ADULT_ROLES and ({"am", "as"} & set(window[-2:]) or window[-3:] in (["i", "am", "a"], ["i", "am", "the"], ["i", "am", "an"])):
            role = token if token not in {"social", "worker", "youth", "teaching"} else " ".join(tokens[i:i + 2])
            break
        if token in CHILD_RELATIONS and window[-1:] in (["my"], ["our"]) and token not in {"boy", "girl", "baby"}:
            role = f"has a {token}" if token not in {"pupil", "pupils", "student", "students"} else "teacher"
            break
        if token in NUMBER_TOKENS and window[-1:] in (["my"], ["our"]) and tokens[i + 1:i + 2] in (["year"], ["years"], ["month"], ["months"]):
            role = "parent"
            break
        if token in CHILD_RELATIONS and i >= 2 and tokens[i - 1] in NUMBER_TOKENS and tokens[i - 2] in {"my", "our"}:
            role = "parent"
            break
    if role is None:
        for phrase, value in ((["in", "my", "class"], "teacher"), (["my", "class"], "teacher"),
                              (["years", "old", "son"], "parent"), (["years", "old", "daughter"], "parent")):
            if _has_phrase(tokens, phrase) and not (signals.age is not None and signals.age < ADULT_AGE):
                if phrase[-1] != "class":
                    role = value
                break
    if role is None and (_has_phrase(tokens, ["i", "am", "an", "adult"]) or _has_phrase(tokens, ["over", "19"])
                         or _has_phrase(tokens, ["over", "18"]) or tokens in (["adult"], ["an", "adult"], ["i", "am", "adult"])
                         or _has_phrase(tokens, ["i", "am", "a", "grown", "up"])):
        role = "adult"
    child_role = (_has_phrase(tokens, ["under", "19"]) or _has_phrase(tokens, ["under", "18"])
                  or _has_phrase(tokens, ["i", "am", "a", "kid"]) or _has_phrase(tokens, ["i", "am", "a", "child"])
                  or _has_phrase(tokens, ["i", "am", "a", "teenager"]) or _has_phrase(tokens, ["i", "am", "a", "teen"])
                  or _has_phrase(tokens, ["i", "am", "a", "young", "person"]) or tokens in (["child"], ["kid"], ["teen"], ["teenager"]))
    signals.role = role if role else ("child" if child_role else None)

    if signals.age is not None:
        signals.audience = "child" if signals.age < ADULT_AGE else "adult"
    elif signals.school_year:
        signals.audience = "child"
    elif role:
        signals.audience = "adult"
    elif child_role:
        signals.audience = "child"
    if signals.audience is None and signals.audience_cue is None:
        if any(_has_phrase(tokens, ["my", person]) for person in CHILD_CUE_PEOPLE) or "school" in tokens or "teacher" in tokens:
            signals.audience_cue = "child"
        elif _has_phrase(tokens, ["in", "my", "class"]) or "neighbour's" in text or _has_phrase(tokens, ["a", "child", "i", "know"]):
            signals.audience_cue = "adult"
