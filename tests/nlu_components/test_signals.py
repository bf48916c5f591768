"""The rule-based safety and audience signals, on messages written the way people write."""
from __future__ import annotations

import pytest

from nlu_components.signals import _misspellings, detect
from nlu_components.textnorm import normalise

DANGER = [
    "hes hitting me rn",
    "he's hitting my mum right now please help",
    "someone is outside my door with a knife",
    "i just took a whole box of paracetamol",
    "ive just taken 20 of my mums sleeping tablets",
    "he is going to kill me tonight",
    "dad is drunk and smashing stuff right now",
    "i'm locked in my room and he's shouting",
    "my mum's boyfriend has his hands round her neck",
    "my little sister is home alone and she fell down the stairs and isnt moving",
    "im being chased by a gang",
    "i just tried to hang myself and the cord snapped",
    "im on the bridge and im going to jump",
    "the baby has been alone all night and is screaming",
    # buried at the end of a long message
    "hi so basically school has been rubbish and my mates fell out with me and i failed my maths test "
    "and my mum says im grounded which is so unfair and anyway hes back and hes kicking the door in",
]
NOT_DANGER = [
    "im not in danger lol",
    "my mum would kill me if i failed lol",
    "my dad used to hit me but im safe now",
    "i think my ex partner is hurting our son",
    "im 20 mins away",
    "exams are killing me",
    "hi im 15 and my dad hits me every day",
    "no one is hurting me right now i just feel rubbish",
    "i watched a film where a man was stabbing people",
]
SELF_HARM = [
    "i want to kill myself", "i keep cutting myself", "dont see the point in living", "my son is self harming",
    "i dont want to be alive anymore", "been thinking of jumping off the bridge near my house", "im suicidal",
    "i wish i was dead", "everyone would be better off without me",
    "i think my 14 year old is cutting her arms", "she burns herself with a lighter", "she cuts her wrists",
    "she scratches herself with scissors",
]
NOT_SELF_HARM = ["i would never kill myself", "i'm attracted to children and i dont want to be", "im not suicidal",
                 "my grandma died last month and im struggling", "is my arm broken", "she is cutting her hair",
                 "he cuts his nails", "my arm is cut from falling off my bike"]


# Indirect suicidal feelings (perceived burden, not waking up, not being missed, slang, method questions)
SELF_HARM_INDIRECT = [
    "i wish i could go to sleep and never wake up", "everyone would be better off if i wasnt here",
    "the world would be better without me", "nobody would even miss me", "i feel like such a burden on my family",
    "im just a burden to everyone", "i just want it all to stop", "i want to unalive myself",
    "i looked up how many paracetamol it takes", "im gonna take all my mums pills", "i wish i was never born",
    "sometimes i think about not being here", "im so tired of being alive", "i want to stop existing",
    "i keep thinking about jumping in front of a train",
]
NOT_SELF_HARM_INDIRECT = [
    "im sick of being bullied", "my mum says im a burden", "my nan wont be here much longer",
    "he said he will unalive me", "how many paracetamol can i give my 5 year old", "i dont want it all to stop",
    "the bus stop is in front of the train station", "im not a burden", "i want to disappear off social media for a bit",
]


@pytest.mark.parametrize("text", DANGER)
def test_danger_is_found(text):
    assert detect(text).danger, text


# real jokes and negations still negate next to the insistence phrases that do not (INSISTED_DANGER)
STILL_NEGATED = ["he's got a knife jk", "he is not hitting me right now", "im not in danger lol"]


@pytest.mark.parametrize("text", NOT_DANGER + STILL_NEGATED)
def test_no_false_danger_from_negation_jokes_or_habit(text):
    assert not detect(text).danger, detect(text).matches


@pytest.mark.parametrize("text", SELF_HARM + SELF_HARM_INDIRECT)
def test_self_harm_is_found(text):
    assert detect(text).self_harm, text


@pytest.mark.parametrize("text", NOT_SELF_HARM + NOT_SELF_HARM_INDIRECT)
def test_no_false_self_harm(text):
    assert not detect(text).self_harm, detect(text).matches


@pytest.mark.parametrize("text,age,audience", [
    ("im 12", 12, "child"), ("I'm twelve", 12, "child"), ("13yo here and scared", 13, "child"),
    ("14", 14, "child"), ("fourteen", 14, "child"), ("i am 18", 18, "child"), ("im 19", 19, "adult"),
    ("im 35 and worried about my niece", 35, "adult"), ("im only 12 years old", 12, "child"),
])
def test_stated_age_decides(text, age, audience):
    signals = detect(text)
    assert (signals.age, signals.audience) == (age, audience)


@pytest.mark.parametrize("text", ["my 11 year old is on snapchat", "im 20 mins away", "my son is 12",
                                  "she was 14 when it started"])
def test_an_age_that_is_not_the_writers_does_not_make_them_a_child(text):
    assert detect(text).audience != "child"


@pytest.mark.parametrize("text,year", [("im in year 8", "year 8"), ("yr 10", "year 10"), ("s2", "S2"),
                                       ("im in s3", "S3"), ("p7", "P7"), ("in year8", "year 8")])
def test_school_year_decides_child(text, year):
    signals = detect(text)
    assert signals.school_year == year and signals.audience == "child"


@pytest.mark.parametrize("text", ["I'm a teacher", "as a parent im worried", "my daughter told me her uncle touched her",
                                  "actually im the parent", "im an adult", "my son is in year 8", "my pupil has bruises",
                                  "im a foster carer"])
def test_role_decides_adult(text):
    assert detect(text).audience == "adult", text


@pytest.mark.parametrize("text,cue", [("my stepdad hits me", "child"), ("sum1 at skl keeps touchin me", "child"),
                                      ("a child in my class has bruises", "adult")])
def test_cues_alone_do_not_decide(text, cue):
    signals = detect(text)
    assert signals.audience is None and signals.audience_cue == cue


@pytest.mark.parametrize("raw,expected", [
    ("sum1 at skl keeps touchin me", "someone at school keeps touching me"),
    ("hes hittin me rn", "he is hitting me right now"),
    ("13yo", "13 years old"),
])
def test_text_speak_is_normalised(raw, expected):
    assert normalise(raw) == expected


@pytest.mark.parametrize("text", ["", "   ", "\x00\x01\x02", "😀😀😀", "ЯЯЯ привет", "x" * 50_000, "{\"a\": [1, 2]}"])
def test_odd_input_never_raises(text):
    detect(text)


# Written for issue 8 (fresh; not taken from tests/nlu or tests/evaluation): negation, burying,
# regional spellings, media and hyperbole.
DANGER_ISSUE8 = [
    "me da's leatherin me mam in the kitchen the now",
    "he's got a blade wi him and he's sayin he'll do her in",
    "so my week has been fine, i went swimming on tuesday and had pizza with my cousins, but honestly "
    "i only messaged because my stepdad is banging on my bedroom door right now shouting that he'll hurt me",
    "i wasnt going to say anything but a few minutes ago he was throwing my brother down the stairs",
    "my little boy has vanished from the park, a man was talking to him ten minutes ago",
]
NOT_DANGER_ISSUE8 = [
    "oh yeah im sooo in danger, my brother ate my crisps",
    "my mam will kill me when she sees my hair lol",
    "i saw a clip online of a kid being beaten and i want to report it",
    "he battered me last week but hes gone to his brothers now",
    "i took an overdose two years ago and im doing better now",
    "will you ring the police on my dad if i tell you",
    "she gets locked out every weekend when he's in a mood",
    # idioms and the writer's own hyperbole
    "killing it in fortnite tonight", "this gym routine is killing me", "im gonna kill my brother he ate my chips",
    "got locked out this afternoon cos i forgot my key", "my parents are really strict and i feel trapped",
    # a blade used for self-harm, not happening now: self-harm (below), not danger
    "been doing the thing with the blade again, on my legs this time", "she scratches herself with scissors",
]
SELF_HARM_ISSUE8 = [
    "im done wiv life tbh",
    "been stockpiling my mums painkillers in my drawer",
    "i dnt wanna be here no more",
    "i keep scratchin my arms till they bleed",
    "they wont have to put up with me much longer, i wont be around for anyone much longer",
]
DISCLOSURE_ISSUE8 = [
    "me step da batters me when me mam's at work",
    "he says its our little secret",
    "i dont want to go back to my dads house",
    "i put a chair in front of my door every night",
    "there's never food in the house",
    "my uncle keeps taking pictures of me when im getting changed",
    "he makes me keep secrets", "i dont want to go home", "i dont want to go home tonight hes drunk",
]
# fifth session: self-harm turned on the writer's own body, hidden, named in slang, or a plan or wish
SELF_HARM_OWN_BODY = [
    "when it gets too much i take it out on my own body", "i keep punching my own head when im angry",
    "i deliberately burn my hand with a lighter", "i scratch my skin on purpose till it bleeds",
    "i wear long sleeves to hide what i did to my arms", "whats the best way to cover cuts for pe",
    "how do i hide new scars from my mum", "i cover the marks on my thighs with plasters",
    "i cut whenever they start shouting", "me and my girlfriend both sh", "i really want to stop cutting",
    "she keeps making ligatures in her room", "ive planned the songs for my funeral",
    "i think about not existing all the time", "i dont plan on being around for results day",
    "im hoping a bus hits me on the way home", "i pray i wont wake up tomorrow", "just burnt myself again",
    # sixth session: reflexive forms, and an injury that is not an accident
    "a boy in my class told me he hurts himself at night", "i bite myself when i get angry",
    "he hurt himself on purpose playing football", "i burn myself with the straighteners", "i cut myself on my arm",
    # sixth session, from the cross-validation misses: wishes, following someone who died, hidden scars, attempts
    "my little brother keeps saying he wishes he was dead", "its just me that should be dead", "she wishes she was never born",
    "how can i hide scars for the school photo", "whats the best way to cover scars for swimming lessons",
    "ive attempted before and im scared ill try again", "my daughter has attempted twice this year",
    "since my nan passed i just want to join her",
    "when my dog died i wanted to go with him", "my best friend died and i keep thinking i should go too",
    # eighteenth session, from self-harm training lines the rules did not read: the habit without its object,
    # regional "myself", sharpener blades, blades hidden, words carved into skin, not deserving to live
    "im in s3 and av been cuttin masel since the summer", "ah've been hurtin missen again",
    "my cousin who is 13 has been cutting and her parents dont know", "i cut last night and i dont know why",
    "took the blade out my pencil sharpener", "ive got blades hidden in my makeup bag",
    "my son has been carving letters into his leg with a compass", "i scratched the word hate into my arm with a pin",
    "id rather not wake up tomorrow", "i dont deserve to live", "i made a list of reasons to stay alive",
    "i want to be dead",
    # second pass: thinking about dying, ways to die, better dead, not being noticed, giving things away, harm till it
    # shows, and children's spelling ("hangin", "bein", "suiside", "slef harm", "me arms", "endin me life")
    "is it weird that i think about dying every single day", "ive been googling ways to die",
    "i think every night it is better if i am dead", "no one would even notice if i was gone tbh", "does anyone even care if i die",
    "ive been giving my stuff away to my mates", "here i want to not live", "i scratch my skin till it bleeds every night",
    "i bite my arms till they bruise when im upset", "i burn my skin with a lighter when im stressed",
    "i am hurting my arm with knife when i feel sad", "i think about hangin myself", "im so tired of bein alive",
    "ive bin thinkin of suiside alot", "i slef harm sinse yr 7", "been havin dark thoughts bout endin me life",
    "been scratchin me arms wi a compass again",
]
# the same words in an everyday sense
NOT_SELF_HARM_EVERYDAY = [
    "i cut my hair", "i cut to the chase and asked him", "my nans funeral is on friday", "you dont exist lol",
    "i hope i dont wake up late for the trip", "i hope i wont wake up the baby", "hope the bus comes soon",
    "banged my head on the cupboard door", "how do i cover a burn from the oven", "concealer that covers acne scars",
    "i hit my brother on purpose and got grounded", "i did my homework on purpose", "i want to die my hair pink",
    "i want to disappear into a good book", "he scratches my arms when hes angry", "i wont be here for the party",
    # sixth session: accidents ("my son hurt himself playing football" had been read as self-harm)
    "my son hurt himself playing football", "she hurt herself falling off the trampoline",
    "she burnt herself on the oven", "he cut himself on a tin by accident",
    "i should be dead tired tomorrow", "i wish he was never my teacher lol", "how do i cover my scars from the operation",
    "concealer that covers acne scars", "i want to go with him to the shops", "i should go too, the party sounds fun",
    "my nan died and i want to be with her family at the funeral", "i attempted the test twice",
    "my mum says she wishes i was dead",
    # eighteenth session: "cutting" with an everyday object, an everyday wake-up
    "been cutting the grass all day", "ive started cutting my own hair", "i have been cutting back on sugar",
    "started cutting onions and cried lol", "id rather not wake up early tomorrow", "i dont want to be dead",
    "i was thinking about dying my hair blue", "would anyone notice if i was late", "funniest ways to die in minecraft",
    "i cut my finger with a knife when i was cooking", "giving my old toys away to charity", "i want to not be late",
    "my nan is dying and i keep thinking about it", "nobody would notice if i stopped going to drama club",
    "my mum burned my arm with her cigarette", "he scratches my arms till they bleed",
]
NOT_DISCLOSURE_ISSUE8 = ["no one hurts me i just feel low", "my dad would never hit me", "nah nobodys hurting me, no thanks",
                         "noones abusing me im just bored"]
# the same words in an everyday sense ("he makes me keep secrets" and "i dont want to go home" stay disclosures above)
NOT_DISCLOSURE_EVERYDAY = ["he keeps secrets from me about my birthday present", "i dont want to go home yet the party is sick"]


@pytest.mark.parametrize("text", NOT_DISCLOSURE_ISSUE8)
def test_disclosure_negated(text):
    signals = detect(text)
    assert not signals.disclosure and signals.disclosure_negated, signals.matches


# A negator before a verb that takes a clause negates the knowing, telling or stopping, not the harm; "one" on its
# own negates nothing (seventeenth session: each of these was read as a negated disclosure, and a classifier's
# disclosure then fell to an intent it gave almost nothing)
DISCLOSURE_PAST_A_NEGATED_VERB = [
    "no one knows my uncle makes me do stuff", "noone knows my dad hits me", "i never told anyone he hits me",
    "no one cares that he beats me", "no one stops him hitting me", "nobody believes me that he touches me",
    "my mums boyfriend is the one who hurts me", "one of his mates touches me",
    "i cant sleep cos he comes in my room at night", "i dont get why he hits me",
]


@pytest.mark.parametrize("text", DISCLOSURE_PAST_A_NEGATED_VERB)
def test_negation_of_knowing_or_telling_leaves_the_disclosure(text):
    signals = detect(text)
    assert signals.disclosure and not signals.disclosure_negated, signals.matches


def test_negation_of_knowing_leaves_danger_and_self_harm():
    assert detect("nobody knows hes going to kill me tonight").danger
    assert detect("no one knows i cut myself").self_harm
    # "cant stop" insists: the harm goes on (these self-harm training lines had been read as negated)
    assert detect("i cant stop thinking about hurting myself").self_harm
    assert detect("i need help i cant stop self harming").self_harm


def test_a_third_person_subject_starts_a_new_clause_in_run_on_writing():
    # the negator belongs to the writer's clause, not to what he is doing
    assert detect("i cant breathe hes choking me").danger
    assert detect("no he is hitting me now").danger
    assert detect("its fine honestly he only touches me when mums out").disclosure
    # unless the word before governs that clause: a conditional, or "think"
    assert not detect("if he hits me again im leaving").disclosure
    assert not detect("i dont think hes going to hit me").danger
    # a conditional before a verb of seeing or knowing still reaches past it
    assert not detect("what should i do if i see someone with a knife at school").danger


@pytest.mark.parametrize("text", ["i dont think he hits me", "i dont want to die", "i dont believe he touches me"])
def test_a_negator_before_think_or_want_still_negates(text):
    signals = detect(text)
    assert not (signals.disclosure or signals.self_harm or signals.danger), signals.matches


# A negator before a verb of thinking reaches into a prediction past the usual four words (eighteenth session:
# "i dont think hes going to hurt me" had been read as a disclosure) ...
PREDICTION_DENIED = ["i dont think hes going to hurt me", "i dont think he will hurt me",
                     "i do not believe he is going to hurt me tonight", "i dont reckon shes gonna hit me",
                     "i dont think my dad is going to hurt me"]


@pytest.mark.parametrize("text", PREDICTION_DENIED)
def test_a_negated_verb_of_thinking_reaches_into_a_prediction(text):
    signals = detect(text)
    assert not (signals.disclosure or signals.danger) and (signals.disclosure_negated or signals.danger_negated), \
        signals.matches


# ... but not into a clause of its own, nor past another verb of thinking or telling
@pytest.mark.parametrize("text", ["i dont think its normal that my dad hits me",
                                  "i dont think anyone would believe me that he touches me",
                                  "i dont think he means to hurt me but he does"])
def test_a_negated_verb_of_thinking_leaves_harm_it_does_not_predict(text):
    assert detect(text).disclosure


def test_a_prediction_said_without_negation_is_still_danger():
    assert detect("i think hes going to hit me tonight").danger


# eighteenth session: harm, neglect and exploitation said without the words the rules knew (from disclosure
# training lines the rules did not read), and the same words in an everyday sense
DISCLOSURE_IN_OTHER_WORDS = [
    "me mom's fella gets his belt out every time I mess up", "he held my hand on the hob to teach me a lesson",
    "he just grabs my neck when hes angry", "mum drags me up the stairs", "my mum leaves me and my little brother on our own for days",
    "me and my little sister got left on our own all weekend", "the only proper meal i get is school dinner",
    "they put me in a trap house for two weeks", "someone at church keeps trying to get me on my own",
    "my coach gives me lifts home but then he wants to touch me", "me da's mate came into me room in the night",
]
NOT_DISCLOSURE_IN_OTHER_WORDS = [
    "i got my belt out of the wardrobe for the wedding", "my little sister pulls my hair when we fight lol",
    "the dog dragged me round the park", "mum left me on my own for an hour while she went shopping",
    "i put my hand on the radiator to warm it up", "the only food i eat is pasta lol",
    "my teacher wants to touch base with me about my coursework",
]


# "not joking" insists; it does not negate ("im not even kidding hes got a knife" is danger)
INSISTED_DANGER = ["im not joking hes got a knife", "im not even kidding hes hitting my mum rn",
                   "no joke he is hitting her right now", "he is outside with a knife im not joking",
                   "i swear im not messing hes kicking the door in", "this isnt a joke hes strangling her",
                   # harm that will not stop goes on: "wont" there negates nothing
                   "he wont stop hitting me", "mam's on the floor and he won't stop kicking her rn",
                   "it wont stop bleeding", "she never stops hitting him"]


@pytest.mark.parametrize("text", INSISTED_DANGER)
def test_insisting_or_persisting_keeps_the_danger(text):
    signals = detect(text)
    assert signals.danger and not signals.danger_negated, signals.matches


def test_a_wish_not_to_wake_up_is_self_harm_not_someone_unresponsive():
    signals = detect("every night i pray i wont wake up")
    assert signals.self_harm and not signals.danger, signals.matches
    assert detect("my mum is on the floor and wont wake up").danger


# danger said as fear for a life, someone going blue, someone at the window, or nothing but cries for help
DANGER_WITHOUT_HARM_WORDS = ["honestly scared for my life tonight", "my little brother has gone blue",
                             "theres a man at my bedroom window", "someone is banging on my window",
                             "help help help", "sos", "pls someone help me quick"]
NOT_DANGER_LOOKALIKES = ["i was scared for my life last year but im ok now", "my hair is turning blue from the dye",
                         "someone smashed my window last week", "help", "can you help me", "i need help with my homework"]


# disclosures said as daily life: unsafe at home, someone in the bed, no food, forced marriage, the belt
DISCLOSURE_DAILY_LIFE = ["honestly i dont feel safe at home", "i feel unsafe at home", "so unsafe in my own home", "im not safe in my own house",
                         "its not safe at mine", "he keeps climbing into my bed when mum is at work",
                         "never any food in ours", "theres never any food in the house", "no electric or food since monday",
                         "they are making me get married in the summer holidays",
                         "im being forced to marry my cousin", "we get the belt if we talk back",
                         "the coach takes videos of us getting changed"]
NOT_DISCLOSURE_DAILY_LIFE = ["i do feel safe at home now", "the house is unsafe in high winds", "im not unsafe at home",
                             "is it not safe in the house during a storm", "the cat keeps getting in my bed",
                             "no food in the fridge so were getting a takeaway", "my sister is getting married next year",
                             "i got the belt i wanted for my birthday", "our teacher takes photos of us at sports day",
                             "my parents are making me go to my cousins wedding"]


# from the cross-validation misses: danger described rather than named, and self-harm as urges,
# method questions, farewells, the kit and the cover story
DANGER_DESCRIBED = ["i think i hit something, its spurting", "blood is gushing from my arm", "my cuts are gaping open",
                    "the noose is ready", "ive taken like 30 paracetamol", "i think someone spiked me",
                    "a man slipped something into my drink", "some guy has been behind me since the station",
                    "the car speeds up every time i do", "hes barricaded the door with us inside",
                    "dad smashed the telly as we speak"]
NOT_DANGER_DESCRIBED = ["the tap is gushing everywhere", "the rope is up on the climbing wall",
                        "i took 2 paracetamol for my headache", "i had three tablets of ibuprofen as prescribed",
                        "someone is behind me in the queue", "my drink got spiked at a party last year"]
# sixth session, from the cross-validation misses: harm promised for later today, someone collapsed,
# shaking a baby, hiding as they type, a child grabbed, a plea to send someone, threatening right now
DANGER_LATER_TODAY_OR_COLLAPSED = [
    "stepdad said once mum leaves for her night shift hes going to make me pay",
    "he said hell come in my room tonight once mum falls asleep", "hes going to break my arm when he gets in",
    "he said hell batter me the second he walks in", "tonight when the lights go off im getting whats coming to me",
    "wait till everyones asleep and then hell deal with me", "when mum goes to sleep hes coming for me",
    "my partner is shaking our baby", "my nephew had a fit and hes gone all floppy", "a girl at this party is out cold",
    "my little sister is having a seizure", "im hiding in the wardrobe", "hiding under my bed and hes shouting",
    "one of my pupils has been grabbed by a man near the coach", "pls send someone now",
    "my daughters ex is at our door threatening her right now"]
NOT_DANGER_LATER_TODAY_OR_COLLAPSED = [
    "hes going to hit me up later about the party", "he said hes going to break my heart", "hes going to batter me",
    "mum said shes going to hurt me last night when she got in", "the dog had a seizure last year",
    "my hands are shaking so much", "the sofa cushions have gone all floppy", "i was out cold after the party lol",
    "i used to hide under my bed when they argued", "can you send someone to talk to me at school",
    "i got grabbed by a man at the bus stop last year", "she keeps threatening to tell my mum about my vape",
    "my brother is going to beat me at chess later", "hes threatening to send my pics right now",
    # missing, but no child (keys) or no sign it is happening now (a brother who went away)
    "my keys have gone missing just now", "my brother disappeared for a while after dad left"]
SELF_HARM_DESCRIBED = ["the urges are really bad tonight", "having the urge to cut again", "i look forward to dying",
                       "death sounds peaceful", "cant wait for the sweet release of death", "i want to leave this world",
                       "sewer slide sounds good", "gave my hoodie to my best mate so she has something to remember me by",
                       "what is the least painful way to die", "does it hurt to drown", "mum found my blades",
                       "i wear plasters on my thighs"]
NOT_SELF_HARM_DESCRIBED = ["i have the urge to eat chocolate", "looking forward to the death star lego",
                           "my skate blades need sharpening", "i put plasters on my blisters",
                           "remember me to your mum", "i want to leave this school"]


# sexual abuse in a child's words
DISCLOSURE_CHILDS_WORDS = ["my uncle keeps making me do stuff i dont like", "he does things to me when mum is out",
                           "grandad tuchs my privits", "he feels my private parts", "my tutor strokes my thigh"]
NOT_DISCLOSURE_CHILDS_WORDS = ["my mum keeps making me do stuff around the house", "my dog rubs my legs for food",
                               "my mum rubs my back when im sad", "i did stuff to my room, painted it blue",
                               "my brother touches my stuff"]


# Nineteenth session: time words that say "so far" or "whenever", someone else putting the writer somewhere, a
# suspicion, a row, an exclamation and a threat to share images are not danger now; the same words said of this
# minute still are.
ONGOING_NOT_NOW = [
    "hes been hitting me for years now", "he has hit me three times now",
    "my mums boyfriend has a knife he waves around when hes angry", "he locks me out on the balcony when im naughty",
    "i think my neighbour is hitting his kids", "she was locked in her room all weekend",
    "the other night i stood on the edge of the bridge", "had a fight with my sister over the telly and now im grounded",
    "kill me now this lesson is so boring", "sent nudes to someone and now hes threatening me",
    "i keep hitting my head on the wall and now theres a lump",
    "should i tell someone my friend has a knife in his bag", "my mate has got a knife in his bag at school",
]
NOW_KEPT = [
    "hes been hitting me for an hour now", "hes been banging on the door for ages now", "hes got a knife and hes angry",
    "i think my neighbour is hitting his kids right now", "im stood on the bridge", "sat on the ledge of the car park roof",
    "im locked in my room and cant get out", "theres a massive fight outside my house now", "hes going to kill me now",
    "now hes threatening to kill me", "he keeps hitting my head on the wall now",
    "theres a boy in my class with a knife in his bag right now", "my dad has a knife in his hand",
    "he has a knife in his pocket and hes outside my house",
]

# Nineteenth session: self-harm and disclosures in words the rules did not read, each beside the everyday sense
# of the same words.
SELF_HARM_NINETEENTH = [
    "i cut my arms when it gets too much", "i hurt my legs so nobody sees", "been using a lighter on my wrist",
    "i keep punching walls until my knuckles bleed", "pleaseeee i need help i cant stop cutting",
    "i wish i could just not wake up tomorrow", "some nights i pray i wont wake up in the morning", "id rather not wake up at all",
    "everything would be easier if i just wasnt here", "cant wait to be dead honestly", "honestly cant be arsed being alive",
    "idk why i even bother being alive", "am gonna top meself one day", "been thinking of doing myself in",
    "would anyone even notice if i just stopped existing",
    "ive thought about drinking bleach"]
NOT_SELF_HARM_NINETEENTH = [
    "i hurt my leg when i fell", "i burnt my arm again on the oven", "i cut my leg at football", "i need to top myself up",
    "i cant wait to die of embarrassment", "i wish i could not wake up at 6 for school", "i cant stop cutting my hair",
    "i cut my hair when i was bored",
]
DISCLOSURE_NINETEENTH = [
    "dad threw the telly at me", "my da takes his belt to me when he's had a drink", "stepdad lays into me with his belt",
    "mum puts her fag out on my arm", "she pulled a chunk of my hair out yesterday", "he shoved me down the stairs",
    "they lock the fridge so i cant eat", "he puts his hand down my trousers when we watch films",
    "the man next door shows me rude videos on his phone", "he made me take my clothes off",
    "my brother keeps asking to see me naked", "me mam's fella clouts us round the heed for nowt",
]
NOT_DISCLOSURE_NINETEENTH = [
    "my mate threw a ball at me in pe", "my brother threw a strop at me", "the teacher threw a question at me",
    "i put my hand in my pants", "he never throws stuff at me",
]


@pytest.mark.parametrize("text", NOT_SELF_HARM_EVERYDAY + NOT_SELF_HARM_DESCRIBED + NOT_SELF_HARM_NINETEENTH)
def test_no_self_harm_or_danger_for_the_same_words_in_an_everyday_sense(text):
    signals = detect(text)
    assert not signals.self_harm and not signals.danger, signals.matches


# issue 8 (fourth and fifth sessions): each case list above with its look-alikes
@pytest.mark.parametrize("text", DANGER_ISSUE8 + DANGER_WITHOUT_HARM_WORDS + DANGER_DESCRIBED + DANGER_LATER_TODAY_OR_COLLAPSED)
def test_danger_regional_buried_or_described_without_a_harm_word(text):
    assert detect(text).danger, text


@pytest.mark.parametrize("text", NOT_DANGER_ISSUE8 + NOT_DANGER_LOOKALIKES + NOT_DANGER_DESCRIBED
                         + NOT_DANGER_LATER_TODAY_OR_COLLAPSED)
def test_no_danger_for_sarcasm_media_past_questions_or_look_alikes(text):
    assert not detect(text).danger, detect(text).matches


@pytest.mark.parametrize("text", SELF_HARM_ISSUE8 + SELF_HARM_OWN_BODY + SELF_HARM_DESCRIBED + SELF_HARM_NINETEENTH)
def test_self_harm_indirect_on_the_own_body_hidden_or_planned(text):
    assert detect(text).self_harm, text


@pytest.mark.parametrize("text", DISCLOSURE_ISSUE8 + DISCLOSURE_DAILY_LIFE + DISCLOSURE_CHILDS_WORDS + DISCLOSURE_IN_OTHER_WORDS
                         + DISCLOSURE_NINETEENTH)
def test_disclosure_indirect_regional_daily_life_or_in_a_childs_words(text):
    assert detect(text).disclosure, text


@pytest.mark.parametrize("text", NOT_DISCLOSURE_EVERYDAY + NOT_DISCLOSURE_DAILY_LIFE + NOT_DISCLOSURE_CHILDS_WORDS
                         + NOT_DISCLOSURE_IN_OTHER_WORDS + NOT_DISCLOSURE_NINETEENTH)
def test_no_disclosure_for_the_same_words_in_an_everyday_sense(text):
    assert not detect(text).disclosure, detect(text).matches


# eighth session: the older rules narrowed where they raised false alarms on the training lines (readable),
# each look-alike with the danger next to it that must still be found
NOT_DANGER_OVER_OR_NOT_TODAY = [
    "my stepdad grabbed me by the throat on tuesday and said not to tell anyone",
    "he battered me at the weekend, hes at work now", "im twenty now but my dad beat me black and blue when i was little",
    "got kicked out on saturday and slept in the park, back home now but its awful",
    "my dad says hes going to kill me one day", "he always says hes going to kill me but he never does anything",
    "i saw someone get hurt on the news and now i cant sleep"]
NOT_DANGER_HYPERBOLE_OR_PLAY = [
    "my mum is gonna kill me for losing my new trainers", "mum will kill me tonight when she sees my report",
    "hes going to beat me at fifa tonight", "my dad is going to kill me when he gets home, i crashed his car", "my teacher will kill me cos i forgot my homework again",
    "am gonna murder ma wee brother, he scoffed ma chips", "am gonna kill ma wee sister shes that annoying", "my dad beat me at chess again and now he wont stop going on about it",
    "had a panic attack in the exam hall and now im scared to go back", "my mum is killing me with these chores",
    "the kids are screaming their heads off playing tag in the garden",
    "im being held hostage by my maths homework send help", "nappy explosion on the motorway, send reinforcements",
    "how do i get past the boss on the level where he has a machete",
    "had a nightmare that someone broke in and now i cant get back to sleep",
    # something done, not someone, is the subject (twentieth session)
    "no offence but talking to a chatbot is killing me, get me someone real", "waiting for my results is killing me"]
NOT_DANGER_HABIT_REPORT_OR_SELF_HARM = [
    "i get locked out in the garden when im naughty", "my mum will get locked up if i tell and itll be my fault",
    "the neighbours leave their kids alone every evening to go to the pub",
    "someone on roblox is trying to get my son onto another app", "the coach is trying to get my son to join the under 12s",
    "i saw kids being raped in a video someone sent round our group chat", "i sit on the roof every night and think about it",
    "i watched a lad get hit by a car on the news and now im scared to cross the road", "my girl is burning herself with a lighter",
    "i scratch my tummy with the scissors from my pencil case", "i feel like im on the edge of the friendship group",
    "i look at the bridge on the way to college and think about it",
    "a pop up came up with pictures of kids being raped, i didnt go looking for it",
    "as a carer ive seen children being held down by staff and nobody does anything",
    # a thought of an act, and a habit said with "regularly" (twentieth session)
    "ive thought about drinking bleach", "been thinking of taking all my tablets",
    "the kid next door is regularly locked out in the cold in just his pants"]
STILL_DANGER_EIGHTH = [
    "he hit me on sunday and now hes hitting me again", "two men are trying to get my friend into their car",
    "hes trying to get in through the back door", "hes back and he said hes gonna kill me when he finds me",
    "my dad is going to kill me tonight for telling", "my dad is gonna kill me for telling, hes got a knife",
    "a baby has been left alone in a car in the car park and its boiling",
    "im on the edge of the platform and the train is coming", "my daughter is out on the roof threatening to jump",
    "im standing on the edge of the bridge", "the kids next door are screaming and he is hitting them right now",
    "our kid's got blood pourin out his head and me dad's still goin at him",
    "babysitting and the youngest fell and hit his head, now hes sleepy and being sick",
    "my friend is being held down in the bathroom at this party",
    "there is a child screaming next door and it sounds like she is being beaten right now",
    "he hit me this morning and said thered be more when he gets back tonight", "my sibling is hitting me right now",
    "the man living next door is hitting his kids right now"]


@pytest.mark.parametrize("text", NOT_DANGER_OVER_OR_NOT_TODAY + NOT_DANGER_HYPERBOLE_OR_PLAY + NOT_DANGER_HABIT_REPORT_OR_SELF_HARM)
def test_no_danger_for_what_is_over_hyperbole_play_habit_or_a_report(text):
    assert not detect(text).danger, detect(text).matches


@pytest.mark.parametrize("text", STILL_DANGER_EIGHTH)
def test_the_narrowed_rules_still_find_danger_now(text):
    assert detect(text).danger, text


def test_self_harm_turned_on_oneself_is_self_harm_not_danger():
    signals = detect("my girl is burning herself with a lighter")
    assert signals.self_harm and not signals.danger


# eighth session, from the cross-validation misses (training lines, readable): each rule with its look-alikes
SELF_HARM_EIGHTH = ["my friend has pills saved up", "got my tablets stashed away", "how many paracetamol would actually do it",
                    "i wrote a goodbye note last night", "its been three days since i last cut", "i smack my head off the wall when the thoughts get loud",
                    "i make the bruises myself"]
NOT_SELF_HARM_EIGHTH = ["my mums boyfriend bangs my head against the wall", "he smacks my head off the door",
                        "i saved up my pocket money for a new game", "how many paracetamol can i take for a headache"]
DISCLOSURE_EIGHTH = ["i get smacked round the head for stammering", "i always get battered when i go downstairs",
                     "im scared of my dad", "terrified of my stepdad when hes drunk", "he locks me in the cupboard under the stairs",
                     "she keeps locking me out all night",
                     "how old do you have to be before your dad stops watching you in the shower",
                     "i was told if i talk my little sister gets it", "he said hed tell everyone i wanted it if i said anything"]
NOT_DISCLOSURE_EIGHTH = ["we got beaten at football", "we got battered five nil on saturday", "i got kicked off the team",
                         "i got hit by a ball in pe", "the front door just got kicked in", "my son said his friend gets beaten by his dad",
                         "the twins next door get smacked all the time",
                         "what should i do if i ever see someone getting beaten up", "nobody gets hit or anything, they just shout",
                         "lmao no one has locked me in anywhere", "im scared of my dad finding out about my grades",
                         "im afraid of my mums reaction", "scared ill lose my job if i say anything"]


CROSS_VALIDATION_RULES = ([(text, "self_harm", True) for text in SELF_HARM_EIGHTH]
                          + [(text, "self_harm", False) for text in NOT_SELF_HARM_EIGHTH]
                          + [(text, "disclosure", True) for text in DISCLOSURE_EIGHTH]
                          + [(text, "disclosure", False) for text in NOT_DISCLOSURE_EIGHTH])


@pytest.mark.parametrize("text,signal,expected", CROSS_VALIDATION_RULES)
def test_rules_from_the_cross_validation_misses_and_their_look_alikes(text, signal, expected):
    """Self-harm through saved pills, notes and marks made on purpose; disclosure said passively, as fear or as
    a threat for telling; not for sport, accidents, someone else, negation or a work worry."""
    assert getattr(detect(text), signal) is expected, detect(text).matches


# thirteenth session: violence only just done, sexual abuse going on this minute, and the calm of the moment
JUST_DONE_OR_NOW = ["he just stabbed my mum", "my stepdad just beat me up", "my dad just punched my mum and shes on the floor",
                    "hes just slapped me so hard my ear is ringing", "hes touching me right now",
                    "my uncle is in my room touching me", "im at my nans now, he just kicked my sister in the stomach",
                    # an injury now keeps the time words of a calm clause
                    "dad is asleep now, he hit me so hard my nose is bleeding",
                    "mum is ok now but he is still hitting my brother",
                    "im fine now but he said hes coming back tonight with a knife",
                    "hes making me take my top off right now", "my brother is holding me down and punching me",
                    "his friends are here and they keep touching me"]
NOT_DONE_NOW = ["it just hit me that my gran is really gone", "they just kicked me out of the group chat",
                "my dog just bit me lol", "he just beat me at chess again", "he didnt just hit me, he hits me every week",
                "my uncle is touching me and i dont know who to tell", "my brother is touching my stuff now",
                # the calm of the moment: the person who hurts them is away, or the writer is safe for now
                "my dad hits me most weekends when hes drunk, hes away tonight though",
                "my stepdad grabbed me by the neck on saturday again, he is at work now",
                "my granddaughter told me her stepdad hit her, she is staying with us now",
                "my brother hits me when our parents go out, im alright for now",
                "i took an overdose in february and i still feel the same",
                "my grandad died in the summer and tonight its hitting me hard",
                "hes making me take my medicine now", "he used to hold me down when i was little",
                "my uncle keeps touching me when he stays over", "my mum is hitting me since my father died"]


@pytest.mark.parametrize("text", JUST_DONE_OR_NOW + NOW_KEPT)
def test_violence_just_done_or_abuse_going_on_now_is_danger(text):
    assert detect(text).danger, text


@pytest.mark.parametrize("text", NOT_DONE_NOW + ONGOING_NOT_NOW)
def test_figurative_ongoing_or_calm_for_now_is_not_danger(text):
    assert not detect(text).danger, detect(text).matches


# sixteenth session: self-inflicted danger said plainly, which the rules missed although the guide calls a dose
# just taken or bleeding that will not stop danger now (docs/intents.md); a routine dose, a past one, a cut
# finger or a film is not
SELF_INFLICTED_NOW = ["i swallowed a whole bottle of pills", "necked a load of me mams tablets", "took every sleeping pill",
                      "i took all my dads antidepressants", "ive swallowed 20 paracetamol", "ive taken an od",
                      "drank a cup of bleach", "i have the pills in my hand", "my pills are all lined up",
                      "ive slit my wrists", "i think im bleeding out", "theres so much blood from my arm",
                      "the towel is soaked with blood", "ive lost loads of blood", "he's bleeding from his head",
                      "rope round the beam in the garage, doing it now", "my friend just jumped off the bridge",
                      "took all my tablets a minute ago"]
NOT_SELF_INFLICTED_NOW = ["i took my tablets this morning", "took some paracetamol for period pain",
                          "took all the sleeping bags to camp", "i want to drink bleach", "i slit my wrists when i was 14",
                          "i swallowed a whole bottle of pills last year", "the dog ate a whole packet of biscuits",
                          "cut my finger chopping onions and theres blood everywhere lol",
                          "my new tattoo wont stop bleeding", "there was blood everywhere in that horror film",
                          "every time he hits me theres blood all over the floor",
                          "he hit me and there was blood everywhere", "my nose is bleeding loads again",
                          "just jumped off the diving board lol"]


@pytest.mark.parametrize("text", SELF_INFLICTED_NOW[:10])
def test_a_dose_or_cut_of_ones_own_is_self_harm_too(text):
    # so the routes after 999 include the crisis lines (actions/danger.py)
    assert detect(text).self_harm, text


# sixteenth session: children's spellings of the rules' words (a doubled letter single, a silent letter dropped, an
# "e" kept before "-ing"), corrected for the rules only; a real word never is
MISSPELT_DANGER = ["my dad is hiting my mum", "he has got a nife", "hes stabing her", "he is chokeing my mum",
                   "im bleding so much", "he is kiling her"]
NOT_MISSPELT = ["the dog is licking my face", "stop munching so loud", "he is sitting on my bed", "my pen is leaking"]


@pytest.mark.parametrize("text", SELF_INFLICTED_NOW + MISSPELT_DANGER)
def test_a_dose_just_taken_bleeding_now_or_danger_misspelt_is_danger(text):
    assert detect(text).danger, text


@pytest.mark.parametrize("text", NOT_SELF_INFLICTED_NOW + NOT_MISSPELT)
def test_a_routine_dose_everyday_blood_or_a_real_word_near_a_harm_word_is_not_danger(text):
    assert not detect(text).danger, detect(text).matches


def test_misspellings_map_to_one_rule_word_and_never_from_a_real_word():
    fixes = _misspellings()
    assert fixes["hiting"] == "hitting" and fixes["nife"] == "knife" and fixes["chokeing"] == "choking"
    assert not {"licking", "sitting", "leaking", "kicking", "hitting", "touching"} & set(fixes)
    assert "suciide" not in fixes  # a variant of two rule words ("suicide", "sucide") is left alone

