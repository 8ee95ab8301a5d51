"""Word lists that tell a person's name from the words around it.

The small spaCy model labels numbers, headings, field labels and street names as
PERSON, and misses ALL-CAPS surnames; no list here is meant to be complete, only
to cover the words that keep turning up next to names in police and HR
material. Forenames are the commonest given names in England and Wales across
generations and communities (ONS baby-name tables, 1950s to 2010s); they are used
as supporting evidence only (a column of product names has none), never as the
sole reason to report a name in prose.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in text.split() if w.strip())


FORENAMES: frozenset[str] = _words(
    """
    aaron abdul abdullah abigail adam adrian agnes ahmed aidan aiden alan albert alex alexander
    alexandra alfie alfred ali alice alicia alison amanda amber amelia amir amy andrea andrew
    angela anita ann anna anne annie anthony antonio april archie arthur arjun ashley audrey
    austin ava barbara barry beatrice ben benjamin bernard beryl beth bethany betty beverley bill
    billy bob bogdan brandon brenda brian bridget bruce bryan callum cameron carl carla carol
    caroline carolyn catherine charlie charles charlotte chelsea cheryl chloe chris christian
    christina christine christopher claire clare colin connor craig daisy dale damian daniel
    danielle danny darren david dawn dean debbie deborah declan denise dennis derek diana diane
    dominic donald donna dorothy doris douglas dylan edward eileen elaine eleanor elijah elizabeth
    ella ellie elliot elsie emily emma eric erin ethan eva evelyn ewa faith farah fatima fiona
    florence frances francesca francis frank freddie frederick freya gail gareth gary gavin gemma
    geoffrey george georgia gerald gillian glenn gordon grace graham gregory hannah harold harriet
    harrison harry harvey hassan hayley hazel heather helen henry hollie holly howard hugh hussain
    ian imran irene isaac isabel isabella isabelle isla ivy jack jackie jacob jade jake james jamie
    jan jane janet janice jasmine jason jayden jean jeffrey jemma jennifer jenny jeremy jessica
    jill joan joanna joanne joe joel john jonathan jordan joseph josephine josh joshua joyce judith
    julia julian julie justin kai karen kate katherine kathleen kathryn katie kayleigh keith kelly
    kenneth kerry kevin kieran kim kirsty krzysztof kyle laura lauren lee leah leo leon leonard
    lesley leslie lewis liam lily linda lindsay lisa logan louis louise lucas lucy luke lydia lynn
    lynne maisie malcolm mandy marcus margaret maria marie marion mark martin martyn mary mason
    matthew maureen max maya megan melanie melissa mia michael michelle mildred millie mohammed
    mohammad mohamed molly muhammad nadia naomi natalie natasha nathan neil niamh nicholas nicola
    nicole nigel noah norman oliver olivia omar oscar owen paige pamela patricia patrick paul
    paula pauline peter philip phillip phoebe piotr poppy priya rachel raj rajesh ravi raymond
    rebecca reece rhys richard rita robert robin roger ronald rose rosie ross roy ruby russell
    ruth ryan sadia sally samantha samuel sandra sara sarah scarlett scott sean shannon sharon
    shaun sheila shirley sienna simon sinead sophie stacey stanley stella stephanie stephen steven
    stuart susan suzanne sylvia tanya teresa terence terry theo theodore thomas tim timothy tina
    toby tom tommy tony tracey tracy trevor tyler valerie vanessa victor victoria vincent violet
    wayne wendy william willow yasmin yusuf zachary zara zoe
    abbie abby ada adele adeel aimee alana albie alec alfie alisha alistair alistair allan alma amelie amrit
    andy angus annabel annette anthea antony arlo arran arron aurora barney becky belinda benedict bernadette
    beverly blake bradley brendan brett bronwen bryony caitlin callie calum candice carly carmel carole
    caroline cassie cath cathy cecil cecilia ceri charlene charley chantelle cheryl ciara ciaran clara
    clifford clive colleen conor conrad corinne craig cyril damien dan dani danny darrell darryl davina
    dave debra dee deirdre delia derrick des desmond devon dexter dianne dolores dominika dona doreen
    dougie duncan dwayne eamon ed eddie edith edwin eileen eleanor elena elisabeth eliza ellen elliott
    eloise elsa elspeth emilia emma-louise ernest esther ethel eugene evan ewan fay felicity felix fern
    finley finn fraser freda gabriel gabrielle garry gemma geraldine gerard gerry gethin gillian gina
    glen glenda gloria glyn godfrey gordon graeme greg gwen gwyneth hamish harley harriet hector heidi
    herbert hilary hollie horace hugo iain ida imogen ingrid iris isobel jacqueline jacqui jaime janine
    jay jayne jeanette jenna jesse jim jimmy jo joan jocelyn jodie johnny jonathon jordan josie joy
    judy julianne june justine kamal karl kathy katrina kay kayla keeley kenny kerrie kerry-ann kevin
    kieron kirk kirsten kristian kyla lacey lance lara larry laurence lawrence leanne lena leonie lesley
    lewis lilian lindsey linzi lisa-marie lois lola lorna lorraine louisa luca lucia lyndsey lynsey kimberley kimberly
    mabel mack madeleine maggie mandeep marc marcia marian marianne marilyn marjorie marlene martha
    mathew matt maxine melvin meredith mervyn michele mick mike miles millicent miriam moira monica
    morag morgan muriel myles nancy nathaniel neal ned nell nia nick nicky nina nora noel norma olive
    ollie oskar pam pat patsy pete petra phil philippa phyllis polly preston rachael ralph ramona
    raymond reginald rene rhiannon ricky rob robbie roberta rodney rohan roisin ron rory rosalind
    rosemary rowan roxanne rupert sabrina sadie sally sam sammy sandy sara sarah-jane scarlet seamus
    selina shane shelley sherry shona sidney sonia sophia spencer stacy stan stewart sue susanne sybil
    tara ted teresa terri thelma tilly tobias toni tracie trudy ursula val vera vernon vicky vivian
    vivienne wade walter warren wilfred winifred wyn yvette yvonne zachary zak zoey
    aisha amina anjali arun asif ayesha bilal deepak faisal farhan gurpreet harpreet hamza imran jaspreet
    kamran kiran manpreet mohamed naveed nazia rahul rizwan sajid salma sanjay shabana shahid sunil tariq
    usman waqar zainab zeeshan adebayo chidi chinedu femi kwame kofi olu oluwaseun tunde yaw
    agnieszka aleksandra andrzej anna-maria bartosz katarzyna magdalena marek marta mateusz pawel tomasz
    wojciech adriana alina andrei elena ionut mihai vasile ioana cristina jakub kacper szymon
    siobhan ashleigh ashley elliot amara chidinma ngozi adaeze emeka wei mei li jun hui xin
    """
)

# Given names that are also everyday words ("Mark the date", "Grace period"): never enough on their own.
AMBIGUOUS_FORENAMES: frozenset[str] = _words(
    """
    mark will may june april grace rose amber max bill faith hazel holly ivy victoria jordan chelsea
    florence austin ruby violet dawn joy hope summer page chase frank lee dean
    """
)

# Words that put a place, not a person, after them ("travelled to Malaga", "a location in Dorchester").
LOCATIVES: frozenset[str] = _words("in to at from near via towards toward into outside around across through")

# Honorifics and police/staff ranks that introduce a surname ("Mr Patel", "DS Kowalski").
TITLES: frozenset[str] = _words(
    """
    mr mrs ms miss mx dr sir dame lady lord rev revd prof cllr master
    pc wpc dc ps ds sgt di dci dsi dsupt supt ch insp inspector sergeant constable detective
    acc dcc cc pcso ppc tdc tdc sc
    """
)

# Field labels, police jargon and document words the model mistakes for names.
LABEL_WORDS: frozenset[str] = _words(
    """
    dob d.o.b ni nino nhs pnc cro asn urn vrm oic ic1 ic2 ic3 ic4 ic5 ic6 ic9 id ref no tel mob
    subject suspect victim witness officer informant nominal offender defendant complainant
    address postcode surname forename forenames name names alias aliases dear regards thanks
    kind best sincerely yours attn re fw fwd cc bcc from to subject date time report
    intelligence sanitised source handling grading official sensitive secret restricted
    confidential protect personal notes note summary details description outcome status
    custody station police constabulary force service department unit team command court crown
    magistrates prison probation council hospital hmp hmyoi nfa rui bail charged caution
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december today tomorrow yesterday
    mental health drugs weapons violent self harm class operation uk usa gb eu madam colleague colleagues
    team all staff everyone fraud theft burglary robbery assault murder drugs harassment stalking
    domestic abuse exploitation trafficking terrorism cyber crime crimes disorder sir all colleague
    everyone folks email e-mail tel mob mobile fax phone prisoner detainee
    sikh sikhs muslim muslims hindu hindus jewish jew jews jehovah catholic protestant buddhist anglican
    methodist baptist pagan rastafarian atheist islam islamic allah god jesus christ
    schedule policy procedure guidance plan version appendix annex section purpose scope contents
    introduction background minutes agenda item items
    unknown unidentified unnamed anonymous withheld tbc tba none nil male female
    training safety awareness induction workshop course session sessions seminar conference
    refresher assessment module cohort learning development
    """
)

# Job titles and roles: the model tags "Analyst", "Duty Inspector" as PERSON.
JOB_WORDS: frozenset[str] = _words(
    """
    analyst manager director head chief assistant deputy superintendent inspector sergeant
    constable detective officer clerk administrator adviser advisor coordinator co-ordinator
    supervisor lead specialist technician engineer consultant solicitor barrister clerk
    controller dispatcher handler investigator caseworker secretary commissioner president
    chair chairman chairperson governor warden nurse doctor paramedic practitioner
    """
)

# Forces, organisations, places and events: a span containing one is not a person.
ORG_WORDS: frozenset[str] = _words(
    """
    police constabulary force service services authority council ltd limited plc llp trust nhs
    university college school academy hospital bank group partnership agency office ministry department
    unit team command centre center court prison church mosque temple synagogue gurdwara cathedral
    abbey chapel castle palace museum gallery library theatre stadium arena hotel inn pub airport station
    bridge barracks market club society association federation union institute foundation charity fund
    company corporation commission committee board panel inquiry review report act bill strategy
    programme program project scheme network alliance forum campaign ambulance fire rescue brigade hospice
    surgery practice pharmacy clinic store stores shop supermarket
    suite venue lounge pavilion auditorium
    """
)

# Vehicle and device models the small model reads as "Forename Surname" ("Ford Focus").
PRODUCT_WORDS: frozenset[str] = _words(
    """
    focus fiesta mondeo transit kuga astra corsa insignia golf polo passat tiguan civic jazz corolla
    yaris qashqai juke micra clio megane octavia fabia leon ibiza discovery defender evoque iphone ipad
    galaxy pixel surface thinkpad macbook windows teams outlook excel word sharepoint
    """
)

FORCE_PLACES: frozenset[str] = _words(
    """
    avon somerset bedfordshire cambridgeshire cheshire cleveland cumbria derbyshire devon cornwall
    dorset durham dyfed powys essex gloucestershire gwent hampshire hertfordshire humberside kent
    lancashire leicestershire lincolnshire merseyside metropolitan met norfolk northamptonshire
    northumbria yorkshire nottinghamshire staffordshire suffolk surrey sussex thames valley
    warwickshire mercia midlands wiltshire wessex scotland psni transport
    """
)

# The last word of a street name; a span ending in one is an address, not a person.
STREET_SUFFIXES: frozenset[str] = _words(
    """
    street st road rd lane ln avenue ave close drive dr way crescent cres place pl grove gardens
    gdns terrace court ct square sq hill park walk mews row rise vale view green parade
    boulevard mount
    """
)
# Of those, the ones that are never a surname: "Victoria Street" is a street even after a given name.
STREET_ONLY_SUFFIXES: frozenset[str] = _words(
    "street st road rd lane ln avenue ave close drive crescent cres terrace gardens gdns mews boulevard"
)


def is_forename(word: str) -> bool:
    """Whether ``word`` is a common given name (case-insensitive)."""
    return word.lower() in FORENAMES


def is_title(word: str) -> bool:
    """Whether ``word`` (with or without a trailing full stop) is an honorific or rank."""
    return word.rstrip(".").lower() in TITLES


def is_non_name_word(word: str) -> bool:
    """Whether ``word`` is a label, role, organisation or calendar word rather than a name."""
    w = word.strip(".,:;()'\"").lower()
    return w in LABEL_WORDS or w in JOB_WORDS or w in ORG_WORDS or w in PRODUCT_WORDS


def is_org_word(word: str) -> bool:
    """Whether ``word`` makes a span an organisation, place, event or product."""
    w = word.strip(".,:;()'\"").lower()
    return w in ORG_WORDS or w in PRODUCT_WORDS or w in FORCE_PLACES


def is_street_suffix(word: str, strict: bool = False) -> bool:
    """Whether ``word`` ends a street name ("Lane", "Rd"); ``strict``: one that is never a surname."""
    return word.strip(".,").lower() in (STREET_ONLY_SUFFIXES if strict else STREET_SUFFIXES)
