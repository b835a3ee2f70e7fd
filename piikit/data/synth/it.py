"""Italian tables for the synthetic generator (see ``piikit/data/synth/__init__.py``)."""

LOCALE = "it_IT"
FAKER = {"STATE": "state"}
# Faker builds it_IT ``cities`` from a set (order depends on PYTHONHASHSEED): sort it for determinism
FAKER_SORT = ("cities",)

WORDS = {
    "PREFIX": ["Sig.", "Sig.ra", "Dott.", "Dott.ssa", "Prof.", "Avv.", "Ing."],
    "SEX": ["maschile", "femminile", "intersessuale"],
    "GENDER": ["donna", "uomo", "non binario", "donna transgender", "uomo transgender", "genderfluid", "agender"],
    "EYECOLOR": ["azzurri", "marroni", "verdi", "grigi", "nocciola", "neri", "castani"],
    "JOBAREA": ["Vendite", "Contabilità", "Acquisti", "Logistica", "Ricerca", "Risorse umane", "Marketing", "Sicurezza", "Assistenza clienti"],
    "JOBTYPE": ["Consulente", "Coordinatrice", "Responsabile", "Specialista", "Analista", "Ingegnere", "Assistente", "Tecnico"],
    "ACCOUNTNAME": ["Conto corrente", "Conto deposito", "Libretto di risparmio", "Conto titoli", "Conto cointestato", "Conto business"],
    "ORDINALDIRECTION": ["Nord", "Sud", "Est", "Ovest", "Nord-Est", "Nord-Ovest", "Sud-Est", "Sud-Ovest"],
    "COUNTY": ["Provincia di Bergamo", "Città metropolitana di Torino", "Provincia di Lecce", "Provincia di Trento", "Provincia di Siena", "Provincia di Udine", "Provincia di Ragusa"],
}

FILLERS = {  # parole senza dati personali per i segnaposto {minuscoli}: mai etichettate
    "weekday": ["lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"],
    "thing": ["proiettore", "portatile", "frigorifero", "monitor", "telefono", "router", "videoproiettore", "ventilatore", "distruggidocumenti", "condizionatore"],  # one grammatical gender: the snippets use its article
    "topic": ["budget", "inserimento", "design", "sicurezza", "vendite", "pianificazione", "selezione", "formazione", "qualità", "marketing"],
}

MONTHS = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"]
DATE_FORMATS = ["{d:02d}/{m:02d}/{y}", "{d} {month} {y}", "{y}-{m:02d}-{d:02d}", "{d}.{m}.{yy:02d}"]
TIME_FORMATS = ["{H:02d}:{M:02d}", "{H}.{M:02d}", "ore {H}", "{H:02d}:{M:02d}:{S:02d}"]
AMPM = ("", "")
AGE_WORDS = [  # ages written out (2–20 and the tens) for a share of AGE values
    "due", "tre", "quattro", "cinque", "sei", "sette", "otto", "nove", "dieci", "undici", "dodici", "tredici",
    "quattordici", "quindici", "sedici", "diciassette", "diciotto", "diciannove", "venti", "trenta",
    "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta",
]
HEIGHT_FORMATS = ["{cm} cm", "{m} m", "{m}m"]
SECONDARY_FORMATS = ["Interno {n}", "Scala {b}", "Piano {f}", "Int. {n}", "Appartamento {n}"]
DECIMAL, THOUSANDS = ",", "."

FIELDS = {
    "PREFIX": "Titolo", "FIRSTNAME": "Nome", "MIDDLENAME": "Secondo nome", "LASTNAME": "Cognome",
    "DOB": "Data di nascita", "AGE": "Età", "SEX": "Sesso", "GENDER": "Genere", "HEIGHT": "Altezza",
    "EYECOLOR": "Colore degli occhi", "EMAIL": "Email", "PHONENUMBER": "Telefono", "PHONEIMEI": "IMEI",
    "STREET": "Via", "BUILDINGNUMBER": "Civico", "SECONDARYADDRESS": "Interno", "CITY": "Città",
    "STATE": "Regione", "COUNTY": "Provincia", "ZIPCODE": "CAP", "NEARBYGPSCOORDINATE": "Posizione",
    "SSN": "Codice fiscale", "JOBTITLE": "Professione", "JOBAREA": "Reparto", "JOBTYPE": "Ruolo",
    "COMPANYNAME": "Datore di lavoro", "USERNAME": "Nome utente", "PASSWORD": "Password", "IPV4": "Indirizzo IP",
    "IPV6": "Indirizzo IPv6", "MAC": "Indirizzo MAC", "URL": "Sito web", "USERAGENT": "Browser", "IBAN": "IBAN",
    "BIC": "BIC", "ACCOUNTNUMBER": "Numero di conto", "ACCOUNTNAME": "Tipo di conto",
    "CREDITCARDNUMBER": "Numero carta", "CREDITCARDCVV": "CVV", "CREDITCARDISSUER": "Circuito", "PIN": "PIN",
    "AMOUNT": "Importo", "CURRENCYCODE": "Valuta", "VEHICLEVIN": "Numero di telaio", "VEHICLEVRM": "Targa",
    "DATE": "Data", "TIME": "Ora", "BITCOINADDRESS": "Indirizzo Bitcoin", "ETHEREUMADDRESS": "Indirizzo Ethereum",
}

DOCS = {
    "email": {
        "head": ["Ciao {FIRSTNAME},", "Gentile {PREFIX} {LASTNAME},", "Cari colleghi,", "Buongiorno,", "Ciao {FIRSTNAME}!"],
        "body": [
            "in allegato il contratto firmato con {COMPANYNAME}.",
            "ho provato a chiamarla al {PHONENUMBER} senza risposta.",
            "D'ora in poi invii la fattura a {EMAIL}.",
            "La riunione è spostata al {DATE} alle {TIME} a {CITY}.",
            "Il pacco va consegnato in {STREET} {BUILDINGNUMBER}, {SECONDARYADDRESS}, {ZIPCODE} {CITY}.",
            "Il rimborso di {AMOUNT} € sarà accreditato sul conto {IBAN}.",
            "I miei nuovi recapiti: telefono {PHONENUMBER}, email {EMAIL}.",
            "L'utente della cartella condivisa è {USERNAME} e la password {PASSWORD}.",
            "Grazie ancora per l'aiuto con il report trimestrale.",
            "{FIRSTNAME} {LASTNAME} entra nel reparto {JOBAREA} come {JOBTITLE}.",
            "Può seguire la spedizione su {URL}.",
            "Durante la mia assenza mi sostituisce {FIRSTNAME} {MIDDLENAME} {LASTNAME}.",
            "L'albergo è vicino all'ingresso {ORDINALDIRECTION} della fiera, in {STATE}.",
        ],
        "tail": ["Cordiali saluti,\n{FIRSTNAME} {LASTNAME}", "Grazie,\n{FIRSTNAME}", "Distinti saluti,\n{PREFIX} {LASTNAME}\n{JOBTITLE}, {COMPANYNAME}", "A presto"],
    },
    "chat": {
        "head": ["ehi", "ciao!", "domanda veloce:"],
        "body": [
            "il mio nuovo numero è {PHONENUMBER}",
            "mi mandi {AMOUNT} € per i biglietti?",
            "sono in {STREET} {BUILDINGNUMBER}, sali pure",
            "la password del wifi è {PASSWORD} ahah",
            "{FIRSTNAME} ti ha detto della festa del {DATE}?",
            "ci vediamo alle {TIME} in stazione",
            "il mio nome utente è {USERNAME}",
            "oggi compio {AGE} anni!!",
            "mandalo a {EMAIL} per favore",
            "arrivo tra cinque minuti",
            "il codice del portone è {PIN}",
            "{FIRSTNAME} si è trasferito a {CITY}",
            "sono qui: {NEARBYGPSCOORDINATE}",
        ],
        "tail": ["grazie!", "a dopo", "un abbraccio"],
    },
    "form": {
        "head": ["Modulo di registrazione", "Richiesta di apertura conto", "Scheda paziente", "Recapiti"],
        "body": [],
        "tail": ["Firma: __________", "Dichiaro che i dati sopra riportati sono corretti."],
    },
    "medical": {
        "head": ["Referto di visita.", "Lettera di dimissione:", "Impegnativa."],
        "body": [
            "Paziente {FIRSTNAME} {LASTNAME}, {AGE} anni, sesso {SEX}, visitato il {DATE}.",
            "Nato il {DOB}; altezza {HEIGHT}; occhi {EYECOLOR}.",
            "Residente in {STREET} {BUILDINGNUMBER}, {ZIPCODE} {CITY}; telefono {PHONENUMBER}.",
            "La pressione arteriosa è nella norma, non servono altri esami.",
            "Codice fiscale: {SSN}.",
            "Controllo fissato per il {DATE} alle {TIME}.",
            "{PREFIX} {LASTNAME} riferisce mal di testa da una settimana.",
            "Familiare di riferimento: {FIRSTNAME} {LASTNAME}, tel. {PHONENUMBER}.",
        ],
        "tail": ["Firmato, {PREFIX} {LASTNAME}", "Fine del referto."],
    },
    "hr": {
        "head": ["Fascicolo del personale.", "Lettera di assunzione.", "Comunicazione interna:"],
        "body": [
            "{FIRSTNAME} {LASTNAME} entra in {COMPANYNAME} il {DATE} come {JOBTITLE} nel reparto {JOBAREA}.",
            "Codice fiscale: {SSN}; data di nascita: {DOB}.",
            "La retribuzione annua di {AMOUNT} € è pagata mensilmente su {IBAN}.",
            "Ruolo: {JOBTYPE}, riporta al responsabile {JOBAREA}.",
            "Indirizzo: {STREET} {BUILDINGNUMBER}, {ZIPCODE} {CITY} ({COUNTY}).",
            "Il periodo di prova dura sei mesi.",
            "L'auto aziendale {VEHICLEVRM} (telaio {VEHICLEVIN}) è assegnata a {FIRSTNAME}.",
            "Contatto di emergenza: {FIRSTNAME}, {PHONENUMBER}.",
        ],
        "tail": ["Ufficio del personale, {COMPANYNAME}", "Documento riservato."],
    },
    "finance": {
        "head": ["Conferma di pagamento.", "Estratto conto.", "Avviso di frode:"],
        "body": [
            "Il {DATE} sono stati trasferiti {AMOUNT} {CURRENCYCODE} dal suo {ACCOUNTNAME} ({ACCOUNTNUMBER}).",
            "Sulla carta {MASKEDNUMBER} ({CREDITCARDISSUER}) è stato addebitato {AMOUNT} {CURRENCYSYMBOL}.",
            "Confermi i dati: IBAN {IBAN}, BIC {BIC}.",
            "È stato fatto un acquisto con la carta {CREDITCARDNUMBER}, CVV {CREDITCARDCVV}.",
            "Il suo nuovo PIN è {PIN}.",
            "Il portafoglio {BITCOINADDRESS} ha ricevuto 0,5 BTC.",
            "Invii il pagamento in {CURRENCYNAME} a {ETHEREUMADDRESS}.",
            "I depositi Litecoin vanno a {LITECOINADDRESS}.",
            "I tassi restano invariati in questo trimestre.",
            "L'importo di {AMOUNT} {CURRENCY} sarà addebitato il {DATE}.",
            "Intestatario: {FIRSTNAME} {LASTNAME}, {ACCOUNTNAME} {ACCOUNTNUMBER}.",
        ],
        "tail": ["La sua banca", "Messaggio automatico, non rispondere."],
    },
    "support": {
        "head": ["Ticket n. {PIN}:", "Richiesta di assistenza.", "Avviso di sicurezza:"],
        "body": [
            "L'utente {USERNAME} ha effettuato l'accesso da {IPV4} con {USERAGENT}.",
            "Nuovo dispositivo registrato: MAC {MAC}, IMEI {PHONEIMEI}.",
            "Richieste sospette da {IPV6} e {IP}.",
            "Reimpostare la password di {EMAIL}; la vecchia era {PASSWORD}.",
            "Il sito {URL} ha dato un errore alle {TIME}.",
            "Il riavvio del router ha risolto il problema.",
            "L'account {USERNAME} è stato bloccato il {DATE}.",
        ],
        "tail": ["Assistenza informatica", "Rispondi a questa email per riaprire il ticket."],
    },
    "none": {
        "head": [],
        "body": [
            "Abbiamo ordinato {count} sedie nuove per l'ufficio.",
            'La riunione su {topic} è spostata a {weekday}.',
            'Solo {count} persone sono venute al workshop su {topic}.',
            'Qualcuno può riparare il {thing} entro {weekday}?',
            'Il {thing} della sala {count} è di nuovo guasto.',
            'Le vendite sono cresciute di {count} unità in questo trimestre.',
            "Il tempo è stato splendido per tutto il fine settimana.",
            "Ricordati di annaffiare le piante.",
            "Il rapporto è quasi pronto.",
            "Dovremmo rivedere il budget il mese prossimo.",
            "Il treno aveva di nuovo venti minuti di ritardo.",
            "Il concerto di ieri è stato bellissimo.",
            "Possiamo spostare il pranzo di squadra a venerdì?",
            "La stampante al secondo piano è guasta.",
            "Grazie per la risposta veloce!",
            "La nuova versione corregge diversi errori.",
            "Il caffè è in cucina.",
        ],
        "tail": [],
    },
}
