"""UK recognisers for Presidio: regular expressions with a capture group and a validator.

Each recogniser reports only the identifying part of a match (for "my name is Jess" only
"Jess"), so the words around it stay readable for moderators. Ages ("im 12") and school years
("year 8") are never matched: they drive routing and identify nobody on their own.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

from presidio_analyzer import LocalRecognizer, RecognizerResult

from redaction.domain_names import domain_words

Validator = Callable[[str, "re.Match[str]", str], bool]

# Words that are never a name, a school's name or a street's name by themselves.
STOP = frozenset("""
a about above after again against all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each few for from further had has have having
he her here hers herself him himself his how i if in into is it its itself just me more most my myself no
nor not now of off on once only or other our ours out over own same she should so some such than that the
their theirs them then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours yourself im i'm ive i've id i'd dont don't
cant can't wont won't u ur ure youre pls please plz lol ok okay okey yeah yes yh ya nah no btw tho though
like really just also still even x xx xxx hi hey hello thanks thank ty sorry help scared worried sad
upset angry afraid frightened alone lonely here there today tonight tomorrow yesterday now later soon
back home school mum mom dad mam nan gran brother sister friend friends teacher parent carer someone
anyone everyone nobody nothing something everything always never sometimes again anymore gonna wanna
gotta kinda sorta bit lot lots much many one two three four five six seven eight nine ten year years
old age aged going go get got make made say said tell told know want need feel feeling think thought
""".split())

# What bullies "call me": never taken as a name after "call me".
NOT_A_NAME = STOP | frozenset("""
names name fat ugly stupid thick dumb gay weird freak loser slag slut whore bitch retard nerd geek
idiot useless worthless horrible nasty mean rude disgusting gross skinny short tall poor emo goth
loads things stuff bad words every day everyday all the time constantly anytime whenever maybe if
unknown anonymous private secret nobody none later asap mate bro babe hun love sweetheart darling
tonight morning evening afternoon crying hurting hurt bullied bullying speaking calling
""".split())

SCHOOL_WORDS = r"(?:academy|primary|secondary|high|school|college|grammar|comprehensive|juniors?|infants?|prep|sixth form)"
GENERIC_SCHOOL_NAME = STOP | frozenset("""
primary secondary high school college academy grammar comprehensive junior juniors infant infants prep
sixth form new big small local special boarding private state catholic church faith free middle upper
lower senior community girls boys mixed secondary's different other old previous last current same
""".split())

STREET_TYPES = (r"(?:street|st|road|rd|avenue|ave|lane|ln|close|cl|drive|dr|way|crescent|cres|court|ct|place|"
                r"pl|grove|gdns|gardens|terrace|tce|hill|square|sq|row|walk|mews|rise|green|parade|"
                r"boulevard|estate|view|park|meadows?|fields?|vale|wharf|quay)")

MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
BIRTH_CONTEXT = r"(?:born(?:\s+on|\s+in)?|birthday(?:\s+is|'s|s)?(?:\s+on)?|b-?day(?:\s+is|'s|s)?(?:\s+on)?|dob(?:\s+is)?|d\.o\.b\.?|date\s+of\s+birth(?:\s+is)?|birth\s*date(?:\s+is)?)[\s:=\-]*"


class GroupRecognizer(LocalRecognizer):
    """A Presidio recogniser from (regex, group, score) triples and an optional validator."""

    def __init__(self, entity: str, patterns: Sequence[Tuple[str, int, float]],
                 validator: Optional[Validator] = None, flags: int = re.IGNORECASE, name: Optional[str] = None):
        self.patterns = [(re.compile(p, flags), g, s) for p, g, s in patterns]
        self.validator = validator
        super().__init__(supported_entities=[entity], name=name or f"Uk{entity.title().replace('_', '')}Recognizer",
                         supported_language="en")

    def load(self) -> None:  # patterns are compiled in __init__
        pass

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        results: List[RecognizerResult] = []
        for regex, group, score in self.patterns:
            for match in regex.finditer(text):
                start, end = match.span(group)
                if start < 0 or end <= start:
                    continue
                value = text[start:end]
                trimmed = value.rstrip(".,;:!?)'\"")
                end -= len(value) - len(trimmed)
                if not trimmed or (self.validator and not self.validator(trimmed, match, text)):
                    continue
                results.append(RecognizerResult(
                    self.supported_entities[0], start, end, score,
                    recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                          RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id}))
        return results


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def national_digits(text: str) -> str:
    """'+44 (0)7700 900123' -> '07700900123'; '0044 ...' likewise."""
    d = digits(text)
    if text.strip().startswith("+44") or d.startswith("0044"):
        d = d[4:] if d.startswith("0044") else d[2:]
        d = d[1:] if d.startswith("0") else d
        d = "0" + d
    return d


def _words(value: str) -> List[str]:
    return re.findall(r"[a-z][a-z'\-]*", value.lower())


# ----- phone numbers -----------------------------------------------------------------
def phone_recognizer(protected: Iterable[str]) -> GroupRecognizer:
    protected_numbers = {digits(p) for p in protected}

    def valid(value: str, match, text: str) -> bool:
        national = national_digits(value)
        return national not in protected_numbers and digits(value) not in protected_numbers and 10 <= len(national) <= 11

    sep = r"[\s\-.()]{0,2}"
    return GroupRecognizer("PHONE", [
        # +44 / 0044 international, optional (0)
        (rf"(?<![A-Za-z0-9+])((?:\+|00)\s?44\s?(?:\(0\)\s?)?\d(?:{sep}\d){{8,9}})(?!\d)", 1, 0.85),
        # national: 0 + 9 or 10 digits, spaces, hyphens, dots or brackets between
        (rf"(?<![A-Za-z0-9+])(\(?0\d(?:{sep}\d){{8,9}})(?!\d)", 1, 0.8),
    ], valid)


def long_number_recognizer(protected: Iterable[str]) -> GroupRecognizer:
    """Any other run of 8+ digits (account, card, unusual phone formats): identifying enough."""
    protected_numbers = {digits(p) for p in protected}

    def valid(value: str, match, text: str) -> bool:
        return digits(value) not in protected_numbers and national_digits(value) not in protected_numbers

    return GroupRecognizer("PHONE", [(r"(?<![A-Za-z0-9/])(\+?\d(?:[\s\-]?\d){7,})(?![A-Za-z0-9/])", 1, 0.3)], valid,
                           name="UkLongNumberRecognizer")


# ----- e-mail ----------------------------------------------------------------------------
def email_recognizer(protected: Iterable[str]) -> GroupRecognizer:
    protected_emails = {p.lower() for p in protected}
    providers = r"(?:gmail|googlemail|hotmail|yahoo|outlook|icloud|live|btinternet|aol|sky|me|mail|protonmail|proton)"
    return GroupRecognizer("EMAIL", [
        (r"(?<![\w.+-])([a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,})", 1, 0.95),
        # "jess dot smith at gmail dot com", "jess(at)hotmail.co.uk"
        (rf"\b([a-z0-9._\-]+(?:\s+dot\s+[a-z0-9_\-]+)*\s*(?:\(at\)|\[at\]|\s+at\s+){providers}"
         rf"(?:\s*(?:\.|dot)\s*(?:com|co\s*(?:\.|dot)\s*uk|net|org|uk))?)\b", 1, 0.85),
    ], lambda v, m, t: v.lower() not in protected_emails)


# ----- postcodes, NHS and National Insurance numbers ------------------------------------------
def postcode_recognizer() -> GroupRecognizer:
    def valid(value: str, match, text: str) -> bool:
        # "y8 2nd" written in lower case is more likely a year group and an ordinal
        return not (value == value.lower() and re.search(r"\d(?:st|nd|rd|th)$", value, re.I))

    return GroupRecognizer("POSTCODE", [
        (r"\b((?:[a-pr-uwyz][a-hk-y]?\d[a-z\d]?\s*\d[abd-hjlnp-uw-z]{2}|gir\s?0aa))\b", 1, 0.85),
        # "postcode is LS6" (outward code only, said as a postcode)
        (r"\bpost\s?code\s*(?:is|:|=|-)?\s*([a-pr-uwyz][a-hk-y]?\d[a-z\d]?)\b", 1, 0.85),
    ], valid)


def nhs_checksum_ok(number: str) -> bool:
    d = digits(number)
    if len(d) != 10:
        return False
    total = sum(int(c) * w for c, w in zip(d[:9], range(10, 1, -1)))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(d[9])


def nhs_recognizer() -> GroupRecognizer:
    def valid(value: str, match, text: str) -> bool:
        before = text[max(0, match.start() - 40):match.start()].lower()
        return nhs_checksum_ok(value) or "nhs" in before

    return GroupRecognizer("NHS_NUMBER", [(r"(?<![A-Za-z0-9+])(\d{3}[\s\-]?\d{3}[\s\-]?\d{4})(?!\d)", 1, 0.9)], valid)


def ni_recognizer() -> GroupRecognizer:
    def valid(value: str, match, text: str) -> bool:
        compact = re.sub(r"\s", "", value).upper()
        if compact[:2] in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"} and len(compact) == 9:
            return "insurance" in text.lower() or re.search(r"\bni\b", text, re.I) is not None
        return len(compact) == 9 or "insurance" in text.lower() or re.search(r"\bni\b", text, re.I) is not None

    return GroupRecognizer("NI_NUMBER", [
        (r"\b([a-z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[a-d]?)\b", 1, 0.9),
    ], valid)


# ----- addresses ---------------------------------------------------------------------------
def address_recognizer() -> GroupRecognizer:
    def valid(value: str, match, text: str) -> bool:
        words = _words(re.sub(rf"\b{STREET_TYPES}\b\.?$", "", value, flags=re.I))
        words = [w for w in words if w not in {"flat", "apt", "apartment", "unit", "house", "number", "no"}]
        return bool(words) and not any(w in STOP for w in words)

    name = r"(?:[a-z][a-z'\-]+\s+){1,3}"
    return GroupRecognizer("ADDRESS", [
        (rf"\b((?:(?:flat|apt|apartment|unit)\s*\d+[a-z]?,?\s+)?\d{{1,4}}[a-z]?,?\s+{name}{STREET_TYPES})\b\.?", 1, 0.8),
        (rf"\b(?:live|living|lives|stay|staying|moved|address(?:\s+is)?)\s+(?:on|at|in|to)?\s*(?:the\s+)?({name}{STREET_TYPES})\b", 1, 0.75),
        (r"\b(?:at|to|on|near|in|off)\s+((?-i:(?:[A-Z][a-z'\-]+\s+){1,3}(?:Street|Road|Avenue|Lane|Close|Drive|Crescent|"
         r"Court|Place|Grove|Gardens|Terrace|Square|Walk|Mews|Rise|Parade|Way)))\b", 1, 0.7),
        (r"\bmy\s+address\s*(?:is|:|=)\s*([^.!?\n]{4,80}?)(?=[.!?\n]|\s+and\s|$)", 1, 0.8),
    ], valid)


# ----- dates of birth ------------------------------------------------------------------------
def dob_recognizer() -> GroupRecognizer:
    numeric = r"(?:\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)?\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})"
    wordy_year = rf"(?:{DAY}\s+(?:of\s+)?{MONTHS}\.?,?\s+(?:19|20)\d{{2}}|{MONTHS}\.?\s+{DAY},?\s+(?:19|20)\d{{2}})"
    wordy = rf"(?:{DAY}\s+(?:of\s+)?{MONTHS}\b\.?|{MONTHS}\.?\s+{DAY}\b|{MONTHS}\s+(?:19|20)\d{{2}}|(?:19|20)\d{{2}})"

    def valid(value: str, match, text: str) -> bool:
        return not re.fullmatch(r"\d{1,2}[/.\-]\d{1,2}", value)

    return GroupRecognizer("DATE_OF_BIRTH", [
        (rf"(?<![\w/])({numeric})(?![\w/])", 1, 0.7),
        (rf"\b({wordy_year})\b", 1, 0.7),
        (rf"\b{BIRTH_CONTEXT}({wordy})", 1, 0.8),
    ], valid)


# ----- social-media handles --------------------------------------------------------------------
def handle_recognizer() -> GroupRecognizer:
    platforms = (r"(?:snap(?:chat)?|sc|insta(?:gram)?|ig|tik\s?tok|tt|twitter|discord|roblox|fortnite|psn|xbox|"
                 r"gamertag|kik|telegram|whats\s?app|youtube|yt|twitch|steam|fb|facebook|reddit|threads|"
                 r"bereal|minecraft|epic|user\s?name|handle)")

    def valid(value: str, match, text: str) -> bool:
        lowered = value.lower().lstrip("@")
        if lowered in domain_words():  # intent, action, response and slot names: ours, not a person's
            return False
        if lowered in NOT_A_NAME or lowered in {"me", "it", "account", "acc", "profile", "page", "and", "on", "too"}:
            return False
        return (bool(re.search(r"[\d_.#@]", value)) or bool(re.search(r"(?:is|:|=)\s*@?\S+$", match.group(0)))
                or bool(re.search(r"\s+on\s+\S+$", match.group(0))))

    return GroupRecognizer("HANDLE", [
        (r"(?<![\w.@/])(@[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?)(?![\w@])", 1, 0.85),
        (rf"\b{platforms}\s*(?:name|id|tag|username|handle|acc(?:ount)?)?\s*(?:is|:|=|-|its|it's)?\s*"
         rf"(@?[a-z0-9_.#\-]{{3,32}})", 1, 0.75),
        (rf"\b(?:from|as|called|named|on)\s+(@?[a-z0-9_.#]{{3,32}})\s+on\s+{platforms}\b", 1, 0.7),
        # handle-shaped words anywhere: letters and digits joined by underscores (finn_o_09, skye_xo)
        (r"(?<![\w.@/])([a-z0-9]+(?:_+[a-z0-9]+)+_*)(?![\w@])", 1, 0.6),
        (r"\b(?:add|follow|message|dm|msg)\s+me\s+(?:on\s+\w+\s*)?(?:at|:)?\s*(@?[a-z0-9_.#]*[\d_.#][a-z0-9_.#]*)", 1, 0.75),
    ], valid)


# ----- names introduced in the text -----------------------------------------------------------
def name_recognizer() -> GroupRecognizer:
    token = r"[a-z][a-z'\-]{1,30}"
    name = rf"({token}(?:\s+{token}){{0,2}})"

    def valid(value: str, match, text: str) -> bool:
        first = value.split()[0].lower()
        return first not in NOT_A_NAME

    return NameRecognizer("NAME", [
        (rf"\b(?:my\s+(?:real\s+|full\s+|first\s+)?name(?:'s|s|\s+is)|name\s*(?:is|:)|i\s*['’]?\s*a?m\s+called|"
         rf"i\s+am\s+called|im\s+called|i'?m\s+named|call\s+me|they\s+call\s+me|known\s+as|it'?s\s+me|"
         rf"this\s+is)\s+{name}", 1, 0.85),
        (rf"\b{name}\s+(?:speaking|here\s+speaking)\b", 1, 0.8),
        (rf"\b(?:it'?s|its|i'?m|i\s+am)\s+([A-Z][a-z'\-]+(?:\s+[A-Z][a-z'\-]+)?)\s+(?:here|speaking)\b", 1, 0.8),
    ], valid)


class NameRecognizer(GroupRecognizer):
    """Names run on past the first word only while the words look like names (not stop words)."""

    def analyze(self, text: str, entities: List[str], nlp_artifacts=None) -> List[RecognizerResult]:
        results = []
        for result in super().analyze(text, entities, nlp_artifacts):
            value = text[result.start:result.end]
            kept: List[str] = []
            for word in value.split():
                if kept and word.lower().strip(".,!?") in NOT_A_NAME:
                    break
                kept.append(word)
            if not kept:
                continue
            kept_text = value[:value.find(kept[-1]) + len(kept[-1])]
            # "this is" only introduces a name when the word is capitalised or followed by "speaking"
            trigger = text[max(0, result.start - 9):result.start].lower()
            if trigger.strip().endswith("this is") and not (
                    kept[0][:1].isupper() or re.match(r"\s*(?:here\s+)?speaking", text[result.start + len(kept_text):])):
                continue
            result.end = result.start + len(kept_text)
            results.append(result)
        return results


# ----- schools ----------------------------------------------------------------------------------------
SCHOOL_SUFFIX = (r"(?:\s+(?:c\s?of\s?e|ce|rc|catholic|church\s+of\s+england|primary|secondary|high|junior|infants?|"
                 r"academy|college|school|grammar|comprehensive|community|free|prep))*")


def _school_valid(value: str, match, text: str) -> bool:
    words = _words(re.sub(rf"\b{SCHOOL_WORDS}\b", " ", value, flags=re.I))
    words = [w for w in words if w not in {"st", "st.", "saint", "of", "the", "and", "c", "e", "ce", "rc"}]
    return bool(words) and not any(w in STOP for w in words) and not all(w in GENERIC_SCHOOL_NAME for w in words)


def _capitalised_school_valid(value: str, match, text: str) -> bool:
    words = _words(re.sub(rf"\b{SCHOOL_WORDS}\b", " ", value, flags=re.I))
    words = [w for w in words if w not in {"st", "saint", "of", "the", "and"}]
    return bool(words) and words[0] not in STOP and not all(w in GENERIC_SCHOOL_NAME for w in words)


def school_recognizers() -> List[GroupRecognizer]:
    saint = rf"(?:st\.?|saint)\s+[a-z]+"
    contextual = GroupRecognizer("SCHOOL", [
        # St Mary's, st marys primary, Saint Bede's RC High
        (rf"(?<![\w])({saint}(?:['’]s\b|s\b){SCHOOL_SUFFIX})", 1, 0.7),
        (rf"(?<![\w])({saint}(?:\s+{SCHOOL_WORDS})+)\b", 1, 0.75),
        (rf"\b(?:go(?:es)?\s+to|went\s+to|attend(?:s)?|at|pupil\s+at|student\s+at)\s+({saint}{SCHOOL_SUFFIX})", 1, 0.8),
        # lower case after "go to" / "at": "i go to oakwood academy"
        (rf"\b(?:go(?:es)?\s+to|went\s+to|attend(?:s)?|at|from|school\s+is(?:\s+called)?|school's\s+called|called)\s+"
         rf"((?:[a-z'’\-]+\s+){{1,3}}{SCHOOL_WORDS}(?:\s+school)?)\b", 1, 0.75),
        (r"\b(?:my\s+)?school\s*(?:is|'s)\s+called\s+([a-z][a-z'’\-]+(?:\s+[a-z'’\-]+){0,2})", 1, 0.7),
    ], _school_valid, name="UkSchoolContextRecognizer")
    capitalised = GroupRecognizer("SCHOOL", [
        # Oakwood Academy, Hillside High School, Kingsbury Primary
        (r"\b((?:[A-Z][a-z'’\-]+\s+){1,4}(?:Academy|Primary|Secondary|High|School|College|Grammar|Comprehensive|"
         r"Juniors?|Infants?|Prep)(?:\s+[Ss]chool)?)\b", 1, 0.8),
    ], _capitalised_school_valid, flags=0, name="UkSchoolNameRecognizer")
    return [contextual, capitalised]


# ----- links with personal paths -------------------------------------------------------------------------
def url_recognizer(protected_hosts: Iterable[str]) -> GroupRecognizer:
    hosts = {h.lower().removeprefix("www.") for h in protected_hosts}

    def valid(value: str, match, text: str) -> bool:
        bare = re.sub(r"^(?:https?://)?(?:www\.)?", "", value, flags=re.I)
        host, _, rest = bare.partition("/")
        host = host.split("?")[0].split("#")[0].lower()
        if host in hosts:
            return False
        return bool(rest.strip("/")) or "?" in bare or "#" in bare

    tlds = r"(?:com|co\.uk|org\.uk|uk|org|net|io|me|tv|gg|ly|app|be|us|info|xyz|link)"
    return GroupRecognizer("URL", [
        (r"\b((?:https?://|www\.)[^\s<>\"']+)", 1, 0.9),
        (rf"(?<![@\w.])((?:[a-z0-9\-]+\.)+{tlds}/[^\s<>\"']+)", 1, 0.85),
    ], valid)
