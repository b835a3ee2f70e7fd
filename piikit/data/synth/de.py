"""German tables for the synthetic generator (see ``piikit/data/synth/__init__.py``)."""

LOCALE = "de_DE"
FAKER: dict[str, str] = {}

WORDS = {
    "PREFIX": ["Herr", "Frau", "Dr.", "Prof.", "Prof. Dr.", "Dipl.-Ing."],
    "SEX": ["männlich", "weiblich", "divers"],
    "GENDER": ["weiblich", "männlich", "nicht-binär", "Transfrau", "Transmann", "genderqueer", "agender"],
    "EYECOLOR": ["blau", "braun", "grün", "grau", "haselnussbraun", "dunkelbraun", "hellblau"],
    "JOBAREA": ["Vertrieb", "Buchhaltung", "Einkauf", "Logistik", "Forschung", "Personal", "Controlling", "Marketing", "IT-Sicherheit", "Kundenservice"],
    "JOBTYPE": ["Berater", "Koordinatorin", "Leiter", "Sachbearbeiterin", "Analyst", "Ingenieurin", "Assistent", "Referentin", "Teamleiter"],
    "ACCOUNTNAME": ["Girokonto", "Sparkonto", "Tagesgeldkonto", "Kreditkartenkonto", "Depotkonto", "Geschäftskonto", "Festgeldkonto"],
    "ORDINALDIRECTION": ["Nord", "Süd", "Ost", "West", "Nordost", "Nordwest", "Südost", "Südwest"],
    "COUNTY": ["Landkreis Harburg", "Rhein-Sieg-Kreis", "Landkreis München", "Kreis Pinneberg", "Ortenaukreis", "Landkreis Göttingen", "Enzkreis", "Hochtaunuskreis", "Landkreis Rostock"],
}

FILLERS = {  # Wörter ohne Personenbezug für {klein}-Platzhalter: eingesetzt, nie markiert
    "weekday": ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"],
    "thing": ["Beamer", "Laptop", "Drucker", "Fahrradständer", "Kühlschrank", "Bildschirm", "Router", "Scanner", "Ventilator", "Lautsprecher"],  # one grammatical gender: the snippets use its article
    "topic": ["Budget", "Onboarding", "Design", "Sicherheit", "Vertrieb", "Planung", "Recruiting", "Schulung", "Qualität", "Release", "Marketing"],
}

MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]
DATE_FORMATS = ["{d:02d}.{m:02d}.{y}", "{d}. {month} {y}", "{y}-{m:02d}-{d:02d}", "{d}.{m}.{yy:02d}"]
TIME_FORMATS = ["{H:02d}:{M:02d}", "{H}:{M:02d} Uhr", "{H} Uhr", "{H:02d}:{M:02d}:{S:02d}"]
AMPM = ("", "")
AGE_WORDS = [  # ages written out (2–20 and the tens) for a share of AGE values
    "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf", "dreizehn",
    "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn", "zwanzig", "dreißig", "vierzig",
    "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig",
]
HEIGHT_FORMATS = ["{cm} cm", "{m} m", "{m}m"]
SECONDARY_FORMATS = ["Wohnung {n}", "{f}. OG", "Hinterhaus", "Zimmer {n}", "App. {n}"]
DECIMAL, THOUSANDS = ",", "."

FIELDS = {
    "PREFIX": "Anrede", "FIRSTNAME": "Vorname", "MIDDLENAME": "Zweiter Vorname", "LASTNAME": "Nachname",
    "DOB": "Geburtsdatum", "AGE": "Alter", "SEX": "Geschlecht", "GENDER": "Geschlechtsidentität",
    "HEIGHT": "Größe", "EYECOLOR": "Augenfarbe", "EMAIL": "E-Mail", "PHONENUMBER": "Telefon",
    "PHONEIMEI": "IMEI", "STREET": "Straße", "BUILDINGNUMBER": "Hausnummer", "SECONDARYADDRESS": "Adresszusatz",
    "CITY": "Ort", "STATE": "Bundesland", "COUNTY": "Kreis", "ZIPCODE": "PLZ", "NEARBYGPSCOORDINATE": "Standort",
    "SSN": "Sozialversicherungsnummer", "JOBTITLE": "Beruf", "JOBAREA": "Abteilung", "JOBTYPE": "Funktion",
    "COMPANYNAME": "Arbeitgeber", "USERNAME": "Benutzername", "PASSWORD": "Kennwort", "IPV4": "IP-Adresse",
    "IPV6": "IPv6-Adresse", "MAC": "MAC-Adresse", "URL": "Webseite", "USERAGENT": "Browser", "IBAN": "IBAN",
    "BIC": "BIC", "ACCOUNTNUMBER": "Kontonummer", "ACCOUNTNAME": "Kontoart", "CREDITCARDNUMBER": "Kartennummer",
    "CREDITCARDCVV": "Prüfziffer", "CREDITCARDISSUER": "Kartenanbieter", "PIN": "PIN", "AMOUNT": "Betrag",
    "CURRENCYCODE": "Währung", "VEHICLEVIN": "Fahrgestellnummer", "VEHICLEVRM": "Kennzeichen", "DATE": "Datum",
    "TIME": "Uhrzeit", "BITCOINADDRESS": "Bitcoin-Adresse", "ETHEREUMADDRESS": "Ethereum-Adresse",
}

DOCS = {
    "email": {
        "head": ["Hallo {FIRSTNAME},", "Sehr geehrte/r {PREFIX} {LASTNAME},", "Liebe Kolleginnen und Kollegen,", "Guten Tag,", "Moin {FIRSTNAME},"],
        "body": [
            "anbei der unterschriebene Vertrag mit der {COMPANYNAME}.",
            "ich habe versucht, Sie unter {PHONENUMBER} zu erreichen.",
            "Bitte schicken Sie die Rechnung künftig an {EMAIL}.",
            "Unser Termin wird auf den {DATE} um {TIME} in {CITY} verschoben.",
            "Die Lieferadresse lautet {STREET} {BUILDINGNUMBER}, {SECONDARYADDRESS}, {ZIPCODE} {CITY}.",
            "Die Erstattung von {AMOUNT} € wird auf das Konto {IBAN} überwiesen.",
            "Meine neuen Kontaktdaten: Telefon {PHONENUMBER}, E-Mail {EMAIL}.",
            "Der Zugang zum Laufwerk ist {USERNAME}, das Passwort lautet {PASSWORD}.",
            "Vielen Dank noch einmal für die schnelle Hilfe.",
            "{FIRSTNAME} {LASTNAME} übernimmt ab {DATE} die Stelle als {JOBTITLE}.",
            "Den Sendungsstatus finden Sie unter {URL}.",
            "Während meines Urlaubs vertritt mich {FIRSTNAME} {MIDDLENAME} {LASTNAME}.",
            "Das Hotel liegt am {ORDINALDIRECTION}eingang des Messegeländes in {STATE}.",
        ],
        "tail": ["Mit freundlichen Grüßen\n{FIRSTNAME} {LASTNAME}", "Viele Grüße\n{FIRSTNAME}", "Beste Grüße\n{PREFIX} {LASTNAME}\n{JOBTITLE}, {COMPANYNAME}", "Gruß"],
    },
    "chat": {
        "head": ["hey", "hi :)", "kurze frage:", "na?"],
        "body": [
            "meine neue nummer ist {PHONENUMBER}",
            "kannst du mir {AMOUNT} € für die karten schicken?",
            "bin in der {STREET} {BUILDINGNUMBER}, klingel einfach",
            "das wlan-passwort ist {PASSWORD}",
            "hat {FIRSTNAME} dir von der feier am {DATE} erzählt?",
            "treffen wir uns um {TIME} am bahnhof?",
            "mein name dort ist {USERNAME}",
            "bin heute {AGE} geworden!!",
            "schick es an {EMAIL} bitte",
            "bin gleich da",
            "der türcode ist {PIN}",
            "{FIRSTNAME} ist nach {CITY} gezogen",
            "standort: {NEARBYGPSCOORDINATE}",
        ],
        "tail": ["danke!", "bis später", "lg"],
    },
    "form": {
        "head": ["Anmeldeformular", "Antrag auf Kontoeröffnung", "Patientenaufnahme", "Kontaktdaten"],
        "body": [],
        "tail": ["Unterschrift: __________", "Ich bestätige die Richtigkeit der Angaben."],
    },
    "medical": {
        "head": ["Arztbrief.", "Entlassungsbericht:", "Überweisung."],
        "body": [
            "Patient {FIRSTNAME} {LASTNAME}, {AGE} Jahre, {SEX}, wurde am {DATE} untersucht.",
            "Geb. {DOB}; Größe {HEIGHT}; Augenfarbe {EYECOLOR}.",
            "Wohnhaft {STREET} {BUILDINGNUMBER}, {ZIPCODE} {CITY}, erreichbar unter {PHONENUMBER}.",
            "Der Blutdruck war unauffällig, weitere Untersuchungen sind nicht nötig.",
            "Versichertennummer: {SSN}.",
            "Kontrolltermin am {DATE} um {TIME}.",
            "{PREFIX} {LASTNAME} klagt seit einer Woche über Kopfschmerzen.",
            "Angehörige: {FIRSTNAME} {LASTNAME}, Tel. {PHONENUMBER}.",
        ],
        "tail": ["Gez. {PREFIX} {LASTNAME}", "Ende des Berichts."],
    },
    "hr": {
        "head": ["Personalakte.", "Arbeitsvertrag.", "Interne Mitteilung:"],
        "body": [
            "{FIRSTNAME} {LASTNAME} beginnt am {DATE} bei der {COMPANYNAME} als {JOBTITLE} in der Abteilung {JOBAREA}.",
            "Sozialversicherungsnummer: {SSN}, geboren am {DOB}.",
            "Das Jahresgehalt von {AMOUNT} € wird monatlich auf {IBAN} gezahlt.",
            "Funktion: {JOBTYPE}, berichtet an die Leitung {JOBAREA}.",
            "Anschrift: {STREET} {BUILDINGNUMBER}, {ZIPCODE} {CITY}, {COUNTY}.",
            "Die Probezeit beträgt sechs Monate.",
            "Dienstwagen {VEHICLEVRM} (FIN {VEHICLEVIN}) ist {FIRSTNAME} zugeordnet.",
            "Notfallkontakt: {FIRSTNAME}, {PHONENUMBER}.",
        ],
        "tail": ["Personalabteilung, {COMPANYNAME}", "Bitte vertraulich behandeln."],
    },
    "finance": {
        "head": ["Zahlungsbestätigung.", "Kontoauszug.", "Betrugswarnung:"],
        "body": [
            "Am {DATE} wurden {AMOUNT} {CURRENCYCODE} von Ihrem {ACCOUNTNAME} ({ACCOUNTNUMBER}) überwiesen.",
            "Die Karte {MASKEDNUMBER} von {CREDITCARDISSUER} wurde mit {AMOUNT} {CURRENCYSYMBOL} belastet.",
            "Bitte bestätigen Sie: IBAN {IBAN}, BIC {BIC}.",
            "Mit der Kartennummer {CREDITCARDNUMBER} und Prüfziffer {CREDITCARDCVV} wurde ein Einkauf getätigt.",
            "Ihre neue PIN lautet {PIN}.",
            "Die Wallet {BITCOINADDRESS} hat 0,5 BTC erhalten.",
            "Bitte überweisen Sie die {CURRENCYNAME} an {ETHEREUMADDRESS}.",
            "Litecoin-Einzahlungen an {LITECOINADDRESS}.",
            "Die Zinsen bleiben in diesem Quartal unverändert.",
            "Der Betrag von {AMOUNT} {CURRENCY} wird am {DATE} abgebucht.",
            "Kontoinhaber: {FIRSTNAME} {LASTNAME}, {ACCOUNTNAME} {ACCOUNTNUMBER}.",
        ],
        "tail": ["Ihre Bank", "Dies ist eine automatische Nachricht."],
    },
    "support": {
        "head": ["Ticket #{PIN}:", "Supportanfrage.", "Sicherheitshinweis:"],
        "body": [
            "Benutzer {USERNAME} hat sich von {IPV4} mit {USERAGENT} angemeldet.",
            "Neues Gerät mit MAC {MAC} und IMEI {PHONEIMEI} registriert.",
            "Verdächtige Anfragen kamen von {IPV6} und {IP}.",
            "Bitte das Passwort für {EMAIL} zurücksetzen, das alte war {PASSWORD}.",
            "Die Seite {URL} meldete um {TIME} einen Fehler.",
            "Ein Neustart des Routers hat das Problem behoben.",
            "Das Konto {USERNAME} wurde am {DATE} gesperrt.",
        ],
        "tail": ["IT-Service", "Antworten Sie auf diese Mail, um das Ticket erneut zu öffnen."],
    },
    "none": {
        "head": [],
        "body": [
            'Wir haben {count} neue Stühle für das Büro bestellt.',
            'Das {topic}-Meeting wird auf {weekday} verschoben.',
            'Nur {count} Leute kamen zum Workshop über {topic}.',
            'Kann jemand bis {weekday} den {thing} reparieren?',
            'Der {thing} in Raum {count} ist schon wieder kaputt.',
            'Der Absatz stieg in diesem Quartal um {count} Stück.',
            "Das Wetter war am Wochenende herrlich.",
            "Bitte denk daran, die Pflanzen zu gießen.",
            "Der Bericht ist fast fertig.",
            "Wir sollten nächsten Monat das Budget prüfen.",
            "Der Zug hatte wieder zwanzig Minuten Verspätung.",
            "Das Konzert gestern war großartig.",
            "Können wir das Teamessen auf Freitag verschieben?",
            "Der Drucker im zweiten Stock ist kaputt.",
            "Danke für die schnelle Antwort!",
            "Die neue Version behebt mehrere Fehler.",
            "Kaffee steht in der Küche.",
        ],
        "tail": [],
    },
}
