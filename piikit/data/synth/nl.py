"""Dutch tables for the synthetic generator (see ``piikit/data/synth/__init__.py``)."""

LOCALE = "nl_NL"
FAKER = {"STATE": "province"}

WORDS = {
    "PREFIX": ["Dhr.", "Mevr.", "Mw.", "Dr.", "Prof.", "Ir.", "Mr."],
    "SEX": ["man", "vrouw", "intersekse"],
    "GENDER": ["vrouw", "man", "non-binair", "transvrouw", "transman", "genderfluïde", "agender"],
    "EYECOLOR": ["blauw", "bruin", "groen", "grijs", "hazelnootbruin", "donkerbruin", "lichtblauw"],
    "JOBAREA": ["Verkoop", "Boekhouding", "Inkoop", "Logistiek", "Onderzoek", "Personeelszaken", "Marketing", "Beveiliging", "Klantenservice"],
    "JOBTYPE": ["Adviseur", "Coördinator", "Manager", "Specialist", "Analist", "Ingenieur", "Assistent", "Medewerker"],
    "ACCOUNTNAME": ["Betaalrekening", "Spaarrekening", "Beleggingsrekening", "Zakelijke rekening", "Gezamenlijke rekening", "Creditcardrekening"],
    "ORDINALDIRECTION": ["Noord", "Zuid", "Oost", "West", "Noordoost", "Noordwest", "Zuidoost", "Zuidwest"],
    "COUNTY": ["Gemeente Utrecht", "Gemeente Haarlemmermeer", "Gemeente Westland", "Gemeente Súdwest-Fryslân", "Gemeente Eindhoven", "Gemeente Zwolle", "Gemeente Maastricht"],
}

FILLERS = {  # woorden zonder persoonsgegevens voor {kleine} placeholders: nooit gelabeld
    "weekday": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
    "thing": ["beamer", "laptop", "printer", "koelkast", "magnetron", "headset", "router", "scanner", "ventilator", "luidspreker"],  # one grammatical gender: the snippets use its article
    "topic": ["budget", "onboarding", "ontwerp", "beveiliging", "verkoop", "planning", "werving", "training", "kwaliteit", "marketing"],
}

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]
DATE_FORMATS = ["{d:02d}-{m:02d}-{y}", "{d} {month} {y}", "{y}-{m:02d}-{d:02d}", "{d}/{m}/{yy:02d}"]
TIME_FORMATS = ["{H:02d}:{M:02d}", "{H}.{M:02d} uur", "{H} uur", "{H:02d}:{M:02d}:{S:02d}"]
AMPM = ("", "")
HOME_COUNTRIES = ["Nederland", "België", "Suriname", "Duitsland", "Marokko", "Turkije", "Indonesië"]  # countries this language's text names most (a share of COUNTRY values)
AGE_WORDS = [  # ages written out (2–20 and the tens) for a share of AGE values
    "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf", "dertien",
    "veertien", "vijftien", "zestien", "zeventien", "achttien", "negentien", "twintig", "dertig", "veertig",
    "vijftig", "zestig", "zeventig", "tachtig", "negentig",
]
HEIGHT_FORMATS = ["{cm} cm", "{m} m", "{m}m"]
SECONDARY_FORMATS = ["{n}-{letter}", "bus {n}", "{f}e verdieping", "huisnr. toevoeging {letter}", "app. {n}"]
DECIMAL, THOUSANDS = ",", "."

FIELDS = {
    "PREFIX": "Aanhef", "FIRSTNAME": "Voornaam", "MIDDLENAME": "Tweede voornaam", "LASTNAME": "Achternaam",
    "DOB": "Geboortedatum", "AGE": "Leeftijd", "SEX": "Geslacht", "GENDER": "Genderidentiteit", "HEIGHT": "Lengte",
    "EYECOLOR": "Oogkleur", "EMAIL": "E-mail", "PHONENUMBER": "Telefoon", "PHONEIMEI": "IMEI",
    "STREET": "Straat", "BUILDINGNUMBER": "Huisnummer", "SECONDARYADDRESS": "Toevoeging", "CITY": "Woonplaats",
    "STATE": "Provincie", "COUNTY": "Gemeente", "ZIPCODE": "Postcode", "NEARBYGPSCOORDINATE": "Locatie",
    "SSN": "BSN", "JOBTITLE": "Beroep", "JOBAREA": "Afdeling", "JOBTYPE": "Functie", "COMPANYNAME": "Werkgever",
    "USERNAME": "Gebruikersnaam", "PASSWORD": "Wachtwoord", "IPV4": "IP-adres", "IPV6": "IPv6-adres",
    "MAC": "MAC-adres", "URL": "Website", "USERAGENT": "Browser", "IBAN": "IBAN", "BIC": "BIC",
    "ACCOUNTNUMBER": "Rekeningnummer", "ACCOUNTNAME": "Soort rekening", "CREDITCARDNUMBER": "Kaartnummer",
    "CREDITCARDCVV": "CVC", "CREDITCARDISSUER": "Kaartuitgever", "PIN": "Pincode", "AMOUNT": "Bedrag",
    "CURRENCYCODE": "Valuta", "VEHICLEVIN": "Chassisnummer", "VEHICLEVRM": "Kenteken", "DATE": "Datum",
    "TIME": "Tijd", "BITCOINADDRESS": "Bitcoinadres", "ETHEREUMADDRESS": "Ethereumadres",
}

DOCS = {
    "email": {
        "head": ["Hoi {FIRSTNAME},", "Geachte {PREFIX} {LASTNAME},", "Beste collega's,", "Goedemorgen,", "Hallo {FIRSTNAME}!"],
        "body": [
            "In de bijlage vind je het getekende contract met {COMPANYNAME}.",
            "Ik heb geprobeerd je te bellen op {PHONENUMBER}.",
            "Stuur de factuur voortaan naar {EMAIL}.",
            "Ons overleg is verplaatst naar {DATE} om {TIME} in {CITY}.",
            "Het pakket moet bezorgd worden op {STREET} {BUILDINGNUMBER}, {SECONDARYADDRESS}, {ZIPCODE} {CITY}.",
            "De terugbetaling van € {AMOUNT} wordt overgemaakt naar {IBAN}.",
            "Mijn nieuwe gegevens: telefoon {PHONENUMBER}, e-mail {EMAIL}.",
            "De gebruikersnaam voor de gedeelde map is {USERNAME}, het wachtwoord {PASSWORD}.",
            "Nogmaals bedankt voor je hulp met het kwartaalrapport.",
            "{FIRSTNAME} {LASTNAME} begint bij {JOBAREA} als {JOBTITLE}.",
            "Je kunt de zending volgen via {URL}.",
            "Tijdens mijn afwezigheid neemt {FIRSTNAME} {MIDDLENAME} {LASTNAME} het over.",
            "Het hotel ligt bij de ingang {ORDINALDIRECTION} van het park in {STATE}.",
        ],
        "tail": ["Met vriendelijke groet,\n{FIRSTNAME} {LASTNAME}", "Bedankt,\n{FIRSTNAME}", "Hoogachtend,\n{PREFIX} {LASTNAME}\n{JOBTITLE}, {COMPANYNAME}", "Groetjes"],
    },
    "chat": {
        "head": ["hoi", "hey!", "snelle vraag:"],
        "body": [
            "mijn nieuwe nummer is {PHONENUMBER}",
            "kun je me € {AMOUNT} tikkie'en voor de kaartjes?",
            "ik zit op {STREET} {BUILDINGNUMBER}, kom maar boven",
            "het wifi-wachtwoord is {PASSWORD} haha",
            "heeft {FIRSTNAME} je verteld over het feest op {DATE}?",
            "zien we elkaar om {TIME} op het station?",
            "mijn gebruikersnaam is {USERNAME}",
            "ben vandaag {AGE} geworden!!",
            "stuur het naar {EMAIL} aub",
            "ben er over vijf minuten",
            "de code van de deur is {PIN}",
            "{FIRSTNAME} is naar {CITY} verhuisd",
            "locatie: {NEARBYGPSCOORDINATE}",
        ],
        "tail": ["dankje!", "tot straks", "doei"],
    },
    "form": {
        "head": ["Inschrijfformulier", "Aanvraag nieuwe rekening", "Intakeformulier patiënt", "Contactgegevens"],
        "body": [],
        "tail": ["Handtekening: __________", "Ik verklaar dat bovenstaande gegevens juist zijn."],
    },
    "medical": {
        "head": ["Consultverslag.", "Ontslagbrief:", "Verwijsbrief."],
        "body": [
            "Patiënt {FIRSTNAME} {LASTNAME}, {AGE} jaar, {SEX}, gezien op {DATE}.",
            "Geboren {DOB}; lengte {HEIGHT}; oogkleur {EYECOLOR}.",
            "Woont op {STREET} {BUILDINGNUMBER}, {ZIPCODE} {CITY}, bereikbaar op {PHONENUMBER}.",
            "De bloeddruk was normaal, verder onderzoek is niet nodig.",
            "BSN: {SSN}.",
            "Controle-afspraak op {DATE} om {TIME}.",
            "{PREFIX} {LASTNAME} heeft sinds een week hoofdpijn.",
            "Contactpersoon: {FIRSTNAME} {LASTNAME}, tel. {PHONENUMBER}.",
        ],
        "tail": ["Getekend, {PREFIX} {LASTNAME}", "Einde verslag."],
    },
    "hr": {
        "head": ["Personeelsdossier.", "Aanbiedingsbrief.", "Interne mededeling:"],
        "body": [
            "{FIRSTNAME} {LASTNAME} start op {DATE} bij {COMPANYNAME} als {JOBTITLE} op de afdeling {JOBAREA}.",
            "BSN: {SSN}; geboortedatum: {DOB}.",
            "Het jaarsalaris van € {AMOUNT} wordt maandelijks op {IBAN} gestort.",
            "Functie: {JOBTYPE}, rapporteert aan het hoofd {JOBAREA}.",
            "Adres: {STREET} {BUILDINGNUMBER}, {ZIPCODE} {CITY} ({COUNTY}).",
            "De proeftijd duurt twee maanden.",
            "Leaseauto {VEHICLEVRM} (chassisnummer {VEHICLEVIN}) is toegewezen aan {FIRSTNAME}.",
            "Noodcontact: {FIRSTNAME}, {PHONENUMBER}.",
        ],
        "tail": ["Afdeling HR, {COMPANYNAME}", "Vertrouwelijk document."],
    },
    "finance": {
        "head": ["Betalingsbevestiging.", "Rekeningoverzicht.", "Fraudemelding:"],
        "body": [
            "Op {DATE} is {AMOUNT} {CURRENCYCODE} overgemaakt vanaf uw {ACCOUNTNAME} ({ACCOUNTNUMBER}).",
            "Kaart {MASKEDNUMBER} van {CREDITCARDISSUER} is belast met {CURRENCYSYMBOL} {AMOUNT}.",
            "Bevestig de gegevens: IBAN {IBAN}, BIC {BIC}.",
            "Er is een aankoop gedaan met kaartnummer {CREDITCARDNUMBER}, CVC {CREDITCARDCVV}.",
            "Uw nieuwe pincode is {PIN}.",
            "De wallet {BITCOINADDRESS} heeft 0,5 BTC ontvangen.",
            "Stuur de betaling in {CURRENCYNAME} naar {ETHEREUMADDRESS}.",
            "Litecoin-stortingen gaan naar {LITECOINADDRESS}.",
            "De rente blijft dit kwartaal gelijk.",
            "Het bedrag van {AMOUNT} {CURRENCY} wordt op {DATE} afgeschreven.",
            "Rekeninghouder: {FIRSTNAME} {LASTNAME}, {ACCOUNTNAME} {ACCOUNTNUMBER}.",
        ],
        "tail": ["Uw bank", "Dit is een automatisch bericht."],
    },
    "support": {
        "head": ["Ticket #{PIN}:", "Supportverzoek.", "Beveiligingsmelding:"],
        "body": [
            "Gebruiker {USERNAME} heeft ingelogd vanaf {IPV4} met {USERAGENT}.",
            "Nieuw apparaat geregistreerd: MAC {MAC}, IMEI {PHONEIMEI}.",
            "Verdachte verzoeken kwamen van {IPV6} en {IP}.",
            "Reset het wachtwoord van {EMAIL}; het oude was {PASSWORD}.",
            "De site {URL} gaf om {TIME} een foutmelding.",
            "Het herstarten van de router loste het probleem op.",
            "Het account {USERNAME} is op {DATE} geblokkeerd.",
        ],
        "tail": ["IT-servicedesk", "Beantwoord deze mail om het ticket te heropenen."],
    },
    "none": {
        "head": [],
        "body": [
            'We hebben {count} nieuwe stoelen voor het kantoor besteld.',
            'Het overleg over {topic} is uitgesteld.',
            'Er kwamen maar {count} mensen naar de workshop over {topic}.',
            'Kan iemand de {thing} snel repareren?',
            'De {thing} in zaal {count} is weer kapot.',
            'De verkoop groeide dit kwartaal met {count} stuks.',
            "Het was het hele weekend prachtig weer.",
            "Denk je eraan de planten water te geven?",
            "Het rapport is bijna af.",
            "We moeten volgende maand het budget bekijken.",
            "De trein had weer twintig minuten vertraging.",
            "Het concert van gisteren was geweldig.",
            "Kunnen we de teamlunch naar volgende week verplaatsen?",
            "De printer op de tweede verdieping is kapot.",
            "Bedankt voor het snelle antwoord!",
            "De nieuwe versie lost meerdere fouten op.",
            "De koffie staat in de keuken.",
        ],
        "tail": [],
    },
}

# nationaliteiten als bijvoeglijk naamwoord met -e: de snippets gebruiken ze alleen attributief
# ("de Poolse ingenieur", "het Belgische team", "veel Turkse gezinnen")
WORDS["NATIONALITY"] = [
    "Nederlandse", "Belgische", "Vlaamse", "Friese", "Duitse", "Franse", "Britse", "Schotse", "Ierse", "Spaanse",
    "Portugese", "Italiaanse", "Poolse", "Tsjechische", "Slowaakse", "Hongaarse", "Roemeense", "Bulgaarse",
    "Kroatische", "Servische", "Griekse", "Turkse", "Koerdische", "Marokkaanse", "Egyptische", "Surinaamse",
    "Antilliaanse", "Kaapverdische", "Indonesische", "Chinese", "Japanse", "Vietnamese", "Thaise", "Filipijnse",
    "Indiase", "Pakistaanse", "Afghaanse", "Iraanse", "Syrische", "Eritrese", "Ethiopische", "Somalische",
    "Ghanese", "Nigeriaanse", "Keniaanse", "Zuid-Afrikaanse", "Amerikaanse", "Canadese", "Mexicaanse",
    "Braziliaanse", "Argentijnse", "Colombiaanse", "Australische", "Zweedse", "Noorse", "Deense", "Finse",
    "Oostenrijkse", "Zwitserse", "Oekraïense", "Russische", "Litouwse",
]

# extra woorden zonder persoonsgegevens, vaak met hoofdletter (feestdagen, evenementen, vakken, titels)
FILLERS["holiday"] = [  # zonder lidwoord: "rond {holiday}", "na {holiday}"
    "Koningsdag", "Bevrijdingsdag", "Pasen", "Pinksteren", "Hemelvaartsdag", "Kerstmis", "Oud en Nieuw",
    "Sinterklaas", "Carnaval", "Moederdag", "Vaderdag", "Prinsjesdag", "Dodenherdenking", "Tweede Paasdag",
]
FILLERS["event"] = [  # met lidwoord: "tijdens {event}"
    "de Elfstedentocht", "de Vierdaagse", "de Avondvierdaagse", "de Kinderboekenweek", "de Boekenweek",
    "de Museumnacht", "de Uitmarkt", "de Open Monumentendag", "de Dam tot Damloop", "het Bevrijdingsfestival",
    "de Week van het Geld", "de Nationale Voorleesdagen", "de Open Dag", "de Landelijke Opschoondag",
    "het Zomercarnaval", "de Nationale Tuinvogeltelling",
]
FILLERS["dish"] = [  # zonder lidwoord: "trakteerde op {dish}"
    "stamppot", "erwtensoep", "bitterballen", "poffertjes", "appeltaart", "Bossche bollen", "Limburgse vlaai",
    "oliebollen", "kibbeling", "hutspot", "Hollandse nieuwe", "Zeeuwse bolussen", "pannenkoeken", "tompoezen",
]
FILLERS["subject"] = [  # schoolvakken: talen met hoofdletter, de rest zonder
    "Nederlands", "Engels", "Frans", "Duits", "Spaans", "Latijn", "Grieks", "wiskunde", "geschiedenis",
    "aardrijkskunde", "biologie", "scheikunde", "natuurkunde", "economie", "muziek", "gym",
]
FILLERS["title"] = [  # verzonnen titels van boeken, films en voorstellingen
    "De Stille Haven", "Het Verloren Huis", "Zomer aan Zee", "De Laatste Veerboot", "Brieven uit het Noorden",
    "Het Glazen Paleis", "Wind over de Polder", "De Klokkenmaker", "Nachtvlucht", "Het Gouden Uur",
    "Tussen Dijk en Duin", "De Zevende Winter", "Lange Schaduwen", "Het Huis aan de Gracht",
]

# prozasoorten: personen, plaatsen en organisaties tussen gewone (vaak hoofdletter)woorden
DOCS["narrative"] = {
    "head": ["Update:", "Uit de nieuwsbrief:", "Verhaal van de week.", "Achtergrond"],
    "body": [
        # begint met één voornaam of één achternaam
        "{FIRSTNAME} heeft gisteren in één keer het rijexamen gehaald.",
        "{FIRSTNAME} werkt al {count} maanden bij {COMPANYNAME} en heeft het er prima naar de zin.",
        "{LASTNAME} won {weekday} de halve marathon van {CITY} in een persoonlijk record.",
        "{FIRSTNAME} vloog {weekday} met de eerste vlucht naar {CITY}.",
        "{LASTNAME} zei na afloop dat het overleg over {topic} goed was verlopen.",
        "{FIRSTNAME} is {AGE} en fietst nog elke dag naar het werk.",
        "{LASTNAME} verwacht dat de nieuwe vestiging in {CITY} voor de zomer opengaat.",
        "{FIRSTNAME} en {FIRSTNAME} leerden elkaar kennen op een congres in {COUNTRY} en runnen nu samen {COMPANYNAME}.",
        "{FIRSTNAME} haalde een negen voor {subject}, dus vanmiddag is er taart.",
        "{LASTNAME} is sinds {DATE} de nieuwe {JOBTITLE} van {COMPANYNAME}.",
        "{FIRSTNAME} werd {AGE} en trakteerde de hele afdeling op {dish}.",
        "{LASTNAME} scoorde twee keer in de tweede helft, waardoor de thuisploeg alsnog won.",
        "{FIRSTNAME} heeft de sleutel van de {thing} nog, vraag het gerust even na.",
        "{LASTNAME} kreeg de prijs uit handen van de burgemeester van {CITY}.",
        "{FIRSTNAME} verhuist na de zomer met het hele gezin naar {COUNTRY}.",
        "{LASTNAME} noemt het rapport \"ronduit teleurstellend\" en wil opheldering van {COMPANYNAME}.",
        "{FIRSTNAME}, kun jij {weekday} de presentatie over {topic} overnemen?",
        "{FIRSTNAME} speelt de hoofdrol in \"{title}\", dat in oktober in première gaat.",
        "{LASTNAME} gaf jarenlang {subject} in {CITY} en stapte daarna over naar {COMPANYNAME}.",
        # begint met een volledige naam, bedrijf of plaats
        "{FIRSTNAME} {LASTNAME} groeide op in {CITY} en verhuisde op {AGE}-jarige leeftijd naar {COUNTRY}.",
        "{FIRSTNAME} {LASTNAME} begint op {DATE} als {JOBTITLE} bij {COMPANYNAME}.",
        "{PREFIX} {LASTNAME} en {PREFIX} {LASTNAME} tekenden de overeenkomst in het stadhuis van {CITY}.",
        "{COMPANYNAME} opent in {CITY} een nieuwe vestiging met {count} arbeidsplaatsen.",
        "{COMPANYNAME} en {COMPANYNAME} maakten {weekday} bekend dat ze gaan fuseren.",
        "{COMPANYNAME} zoekt per direct een {JOBTITLE} voor het kantoor in {CITY}.",
        "{CITY} was voor ons het hoogtepunt van de hele reis.",
        "{COUNTRY} staat al jaren bovenaan ons verlanglijstje.",
        "{CITY} krijgt na {holiday} een nieuw fietspad langs het kanaal.",
        "{FIRSTNAME} {LASTNAME} is bereikbaar op {PHONENUMBER} of via {EMAIL}.",
        "{FIRSTNAME} {LASTNAME} en {FIRSTNAME} {LASTNAME} waren als eersten binnen.",
        "{PREFIX} {LASTNAME} opende {weekday} de tentoonstelling in het gemeentehuis.",
        "{COUNTRY} won de finale pas na strafschoppen.",
        # namen elders in de zin
        "Onze collega {FIRSTNAME} gaat na {count} maanden op wereldreis; de afscheidsborrel is op {DATE}.",
        "Volgens {FIRSTNAME} {MIDDLENAME} {LASTNAME} was de {product} binnen een week uitverkocht.",
        "Mijn buur {FIRSTNAME} is {AGE} en loopt nog elk jaar mee met {event}.",
        "De {NATIONALITY} ingenieur {FIRSTNAME} {LASTNAME} presenteerde het nieuwe ontwerp op {DATE}.",
        "Ze heeft de {NATIONALITY} nationaliteit, spreekt vier talen en werkt als {JOBTITLE} bij {COMPANYNAME}.",
        "Stuur de documenten vóór {DATE} naar {ADDRESS}.",
        "Het nieuwe kantoor is gevestigd op {ADDRESS}.",
        "Vorig jaar stapte {FIRSTNAME} {LASTNAME} over van {COMPANYNAME} naar {COMPANYNAME}.",
        "Het boek \"{title}\" kreeg ik van {FIRSTNAME} {LASTNAME}.",
        "Terwijl ik op het vliegveld op {FIRSTNAME} wachtte, luisterde ik weer naar \"{work}\".",
        "Het {NATIONALITY} team won dit seizoen {count} medailles.",
        "Veel {NATIONALITY} gezinnen vestigden zich na de oorlog in {CITY}.",
        "De film \"{title}\" is opgenomen in {COUNTRY}, met een {NATIONALITY} cast.",
        "Dank aan {FIRSTNAME}, {FIRSTNAME} en {FIRSTNAME} voor het organiseren van {event}.",
        "Het verslag is geschreven door {LASTNAME}, {FIRSTNAME} en nagelezen door {PREFIX} {LASTNAME}.",
        "De winkel op de hoek van de {STREET} en de {STREET} sluit om {TIME}.",
        "Een vriend van me, {FIRSTNAME} {LASTNAME}, woont sinds kort samen met {FIRSTNAME} in {CITY}.",
        "Ik denk dat {LASTNAME} gelijk had over de planning.",
        "De familie {LASTNAME} is afgelopen voorjaar naar {CITY} verhuisd.",
        "Heb je het interview met {LASTNAME} in de krant van {weekday} gelezen?",
        "\"We zijn trots op wat we samen bereikt hebben\", zegt {LASTNAME}.",
        "Het kantoor van {COMPANYNAME} is rond {holiday} gesloten.",
        "De lezing van {FIRSTNAME} {LASTNAME} over {topic} is opgenomen en staat online.",
        "Volgens {COMPANYNAME} lag de oorzaak van de storing bij een leverancier.",
        "Ik was {AGE} toen we uit {CITY} vertrokken.",
        "Het pakket voor {FIRSTNAME} {LASTNAME} is afgegeven op {ADDRESS}.",
        "Volgens wethouder {LASTNAME} komen er in {CITY} nog {count} huurwoningen bij.",
        "Gisteren at ik {dish} met {FIRSTNAME} bij een tentje aan de haven in {CITY}.",
        "De stichting, ooit opgericht door {FIRSTNAME} {LASTNAME} in {CITY}, heeft een nieuw kantoor aan de {STREET}.",
        # geen persoonsgegevens, wel hoofdletters
        "Rond {holiday} is het kantoor gesloten; de helpdesk blijft gewoon bereikbaar.",
        "Versie {code} van de {product} verschijnt in maart.",
        "Na {holiday} begint er een avondcursus {subject} voor beginners.",
        "\"{title}\" staat al {count} weken bovenaan de bestsellerlijst.",
        "Tijdens {event} was het overal in het centrum erg druk.",
        "Op {weekday} staat er {dish} op het menu in de kantine.",
        "Er gebeurde niets bijzonders tijdens het overleg van {weekday}.",
    ],
    "tail": ["Volgende week meer nieuws.", "Foto: {FIRSTNAME} {LASTNAME}", "Geplaatst door {USERNAME}"],
}
DOCS["dialogue"] = {
    "head": ["Gespreksverslag", "Chatgeschiedenis", "Aantekeningen interview"],
    "body": [
        "Medewerker: Mag ik uw volledige naam?\nKlant: Dat is {FIRSTNAME} {LASTNAME}.",
        "Medewerker: En wat is uw geboortedatum?\nKlant: {DOB}.",
        "Medewerker: Naar welk adres mogen we het sturen?\nKlant: {ADDRESS}.",
        "Medewerker: Wat is uw postcode en huisnummer?\nKlant: {ZIPCODE}, nummer {BUILDINGNUMBER}.",
        "V: Waar kom je vandaan?\nA: Ik ben geboren in {COUNTRY}, maar ik woon nu in {CITY}.",
        "V: Hoe oud ben je?\nA: {AGE}.",
        "V: Wat doe je voor werk?\nA: Ik ben {JOBTITLE} bij {COMPANYNAME} in {CITY}.",
        "Klant: mijn nummer is {PHONENUMBER}\nMedewerker: dank u wel",
        "Medewerker: Ik zie een betaling van {CURRENCYSYMBOL} {AMOUNT} op {DATE}, klopt dat?\nKlant: Ja, dat klopt.",
        "Medewerker: Wie is uw werkgever?\nKlant: {COMPANYNAME}, ik werk daar als {JOBTITLE}.",
        "Klant: kunt u het naar {EMAIL} mailen?",
        "Medewerker: Kan ik verder nog iets voor u doen?\nKlant: Nee, dat was het, bedankt.",
        "Medewerker: Dank u, mevrouw {LASTNAME}, ik zet u even in de wacht.\nKlant: Prima.",
        "{FIRSTNAME}: heb je de {product} al binnen?\n{FIRSTNAME}: ja, {weekday} bezorgd",
        "{FIRSTNAME}: Met wie spreek ik?\n{FIRSTNAME}: Met {LASTNAME}, van {COMPANYNAME}.",
        "{LASTNAME}: Ik heb het {weekday} al opgestuurd.\n{FIRSTNAME}: Top, dank je.",
        "{FIRSTNAME}: zijn jullie er al?\n{FIRSTNAME}: bijna, we staan vast bij {CITY}\n{FIRSTNAME}: oké, wij bestellen vast",
        "{FIRSTNAME}: {FIRSTNAME}, heb jij de sleutel van de {thing}?\n{FIRSTNAME}: nee, vraag maar aan {FIRSTNAME}",
        "{LASTNAME}: Wie neemt vandaag de notulen?\n{LASTNAME}: Dat doe ik wel.\n{FIRSTNAME}: Fijn, dank je.",
        "{FIRSTNAME}: gefeliciteerd!! hoe oud ben je nu?\n{FIRSTNAME}: {AGE} alweer",
        "{FIRSTNAME}: Komen jullie met {holiday} ook naar {CITY}?\n{LASTNAME}: Als het lukt wel, anders zien we elkaar op {DATE}.",
        "{FIRSTNAME}, heb je het contract van {COMPANYNAME} al gelezen?\nJa, ik stuur je vanavond mijn opmerkingen.",
        "{FIRSTNAME}, kun je me even terugbellen op {PHONENUMBER}?\nDoe ik zo, ik zit nog in een overleg.",
    ],
    "tail": ["Einde gesprek.", "Gesprek afgesloten door medewerker {FIRSTNAME}."],
}
