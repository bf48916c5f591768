"""Normalise how people really type before rules look at it.

Lower case, text-speak and contractions expanded ("im" -> "i am", "hes" -> "he is",
"rn" -> "right now", "sum1" -> "someone"), numbers split from letters ("13yo" -> "13 yo").
The rules then only need to know one spelling of each phrase.
"""
from __future__ import annotations

import re
import unicodedata

_WORDS = {
    "im": "i am", "i'm": "i am", "iam": "i am", "ima": "i am", "imma": "i am going to",
    "ive": "i have", "i've": "i have", "id": "i would", "i'd": "i would", "ill": "i will", "i'll": "i will",
    "hes": "he is", "he's": "he is", "shes": "she is", "she's": "she is", "theyre": "they are",
    "they're": "they are", "were": "were", "whos": "who is", "who's": "who is", "thats": "that is",
    "that's": "that is", "theres": "there is", "there's": "there is", "its": "it is", "it's": "it is",
    "u": "you", "ur": "your", "youre": "you are", "you're": "you are", "r": "are",
    "rn": "right now", "atm": "at the moment", "asap": "right now", "tn": "tonight", "2nite": "tonight",
    "tonite": "tonight", "2day": "today", "nw": "now",
    "gonna": "going to", "gna": "going to", "gunna": "going to", "finna": "going to", "wanna": "want to",
    "wana": "want to", "gotta": "got to", "lemme": "let me",
    "cant": "can not", "can't": "can not", "cannot": "can not", "dont": "do not", "don't": "do not",
    "doesnt": "does not", "doesn't": "does not", "isnt": "is not", "isn't": "is not", "wont": "will not",
    "won't": "will not", "aint": "is not", "ain't": "is not", "wasnt": "was not", "wasn't": "was not",
    "didnt": "did not", "didn't": "did not", "havent": "have not", "haven't": "have not",
    "arent": "are not", "aren't": "are not", "wouldnt": "would not", "wouldn't": "would not",
    "shouldnt": "should not", "couldnt": "could not", "hasnt": "has not", "hadnt": "had not",
    "noone": "no one", "no1": "no one", "nobody": "no one", "nobodys": "no one is", "nobody's": "no one is",
    "noones": "no one is", "noone's": "no one is", "no1s": "no one is", "sum1": "someone", "some1": "someone",
    "somebody": "someone", "sumone": "someone", "any1": "anyone", "every1": "everyone",
    "mam": "mum", "mom": "mum", "mammy": "mum", "mummy": "mum", "mommy": "mum", "ma": "mum", "mums": "mum's",
    "moms": "mum's", "mams": "mum's", "dads": "dad's", "daddy": "dad", "step-dad": "stepdad",
    "step-mum": "stepmum", "fella": "boyfriend", "bf": "boyfriend", "gf": "girlfriend",
    "skl": "school", "skool": "school", "scl": "school", "coz": "because", "cuz": "because", "cos": "because",
    "bc": "because", "wiv": "with", "wit": "with", "w/": "with", "n": "and", "nd": "and", "pls": "please",
    "plz": "please", "ppl": "people", "yrs": "years", "yr": "year", "yo": "years old", "y/o": "years old",
    "kms": "kill myself", "kys": "kill yourself", "tho": "though", "bc": "because", "tryna": "trying to",
    "hitin": "hitting", "hittin": "hitting", "beatin": "beating", "kickin": "kicking", "hurtin": "hurting",
    "touchin": "touching", "comin": "coming", "chokin": "choking", "batterin": "battering",
    "killin": "killing", "bleedin": "bleeding", "followin": "following", "screamin": "screaming",
    "selfharm": "self harm", "self-harm": "self harm", "selfharming": "self harming",
    "self-harming": "self harming", "overdosed": "took an overdose", "od'd": "took an overdose",
    "oded": "took an overdose",
    # regional and text-speak spellings (Scots, Geordie, Scouse, MLE)
    "wi": "with", "wiv": "with", "gonnae": "going to", "gonna'": "going to", "tae": "to", "dinnae": "do not",
    "didnae": "did not", "cannae": "can not", "canny": "can not", "wisnae": "was not", "isnae": "is not",
    "wouldnae": "would not", "divn't": "do not", "divvent": "do not", "dnt": "do not", "dont'": "do not",
    "nt": "not", "naebody": "no one", "nae": "no", "naw": "no", "aye": "yes", "ye": "you", "yous": "you",
    "maw": "mum", "da": "dad", "fam": "family", "ppl": "people",
    "nuffin": "nothing", "nothin": "nothing", "nuthin": "nothing", "somethin": "something", "sumthin": "something",
    "sumfin": "something", "fink": "think", "dunno": "do not know", "innit": "is it not", "wat": "what",
    "wot": "what", "b4": "before", "l8r": "later", "gr8": "great", "m8": "mate",
    "jumpin": "jumping", "cuttin": "cutting", "thinkin": "thinking", "goin": "going", "doin": "doing",
    "sayin": "saying", "tellin": "telling", "makin": "making", "takin": "taking", "lookin": "looking",
    "feelin": "feeling", "startin": "starting", "scratchin": "scratching", "scrachin": "scratching",
    "burnin": "burning", "punchin": "punching", "slappin": "slapping", "stabbin": "stabbing",
    "shoutin": "shouting", "cryin": "crying", "dyin": "dying", "livin": "living", "keepin": "keeping",
    "sendin": "sending", "harmin": "harming", "throwin": "throwing", "smashin": "smashing",
    "bangin": "banging", "tryin": "trying", "chasin": "chasing", "stranglin": "strangling",
    "skelpin": "skelping", "leatherin": "leathering", "belting": "belting", "kickin'": "kicking",
    "brake": "break", "scard": "scared", "scred": "scared", "hurtn": "hurting", "alot": "a lot", "rite": "right",
}

_WORD_RE = re.compile(r"[a-z0-9'/+-]+|[^\sa-z0-9]")


def text_speak_words() -> set:
    """Every text-speak form normalise() knows and every word it expands one to ("im", "i", "am", ...)."""
    return set(_WORDS) | {word for expansion in _WORDS.values() for word in expansion.split()}


def normalise(text: str) -> str:
    """Return a normalised, space-separated, lower-case version of ``text``."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").lower()
    # words that contain digits are text-speak, not numbers: map them before splitting
    text = re.sub(r"[a-z0-9']+", lambda m: _WORDS.get(m.group(0), m.group(0)) if re.search(r"\d", m.group(0)) else m.group(0), text)
    # split digits from letters: 13yo -> 13 yo, year8 -> year 8, im12 -> im 12 (but keep y/o)
    text = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", text)
    # letters repeated for emphasis: "pleaseee" -> "please", "noooo" -> "no"
    text = re.sub(r"([a-z])\1{2,}", r"\1", text)
    out = []
    for token in _WORD_RE.findall(text):
        stripped = token.strip("'-")
        out.append(_WORDS.get(token, _WORDS.get(stripped, stripped if stripped else token)))
    return " ".join(piece for piece in out if piece)
