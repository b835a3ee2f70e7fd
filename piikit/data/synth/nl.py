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
            'Het overleg over {topic} is verplaatst naar {weekday}.',
            'Er kwamen maar {count} mensen naar de workshop over {topic}.',
            'Kan iemand de {thing} voor {weekday} repareren?',
            'De {thing} in zaal {count} is weer kapot.',
            'De verkoop groeide dit kwartaal met {count} stuks.',
            "Het was het hele weekend prachtig weer.",
            "Denk je eraan de planten water te geven?",
            "Het rapport is bijna af.",
            "We moeten volgende maand het budget bekijken.",
            "De trein had weer twintig minuten vertraging.",
            "Het concert van gisteren was geweldig.",
            "Kunnen we de teamlunch naar vrijdag verplaatsen?",
            "De printer op de tweede verdieping is kapot.",
            "Bedankt voor het snelle antwoord!",
            "De nieuwe versie lost meerdere fouten op.",
            "De koffie staat in de keuken.",
        ],
        "tail": [],
    },
}
