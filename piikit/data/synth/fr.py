"""French tables for the synthetic generator (see ``piikit/data/synth/__init__.py``)."""

LOCALE = "fr_FR"
FAKER = {"STATE": "region"}

WORDS = {
    "PREFIX": ["M.", "Mme", "Mlle", "Dr", "Pr", "Me"],
    "SEX": ["masculin", "féminin", "intersexe"],
    "GENDER": ["femme", "homme", "non-binaire", "femme transgenre", "homme transgenre", "genderqueer", "agenre"],
    "EYECOLOR": ["bleus", "marron", "verts", "gris", "noisette", "noirs", "bleu clair"],
    "JOBAREA": ["Ventes", "Comptabilité", "Achats", "Logistique", "Recherche", "Ressources humaines", "Marketing", "Sécurité", "Service client"],
    "JOBTYPE": ["Consultant", "Coordinatrice", "Responsable", "Chargée de mission", "Analyste", "Ingénieur", "Assistante", "Technicien"],
    "ACCOUNTNAME": ["Compte courant", "Livret A", "Compte épargne", "Compte titres", "Compte joint", "Compte professionnel", "Plan d'épargne logement"],
    "ORDINALDIRECTION": ["Nord", "Sud", "Est", "Ouest", "Nord-Est", "Nord-Ouest", "Sud-Est", "Sud-Ouest"],
    "COUNTY": ["Gironde", "Bouches-du-Rhône", "Finistère", "Haute-Savoie", "Loire-Atlantique", "Nord", "Hérault", "Bas-Rhin", "Calvados"],
}

FILLERS = {  # mots sans données personnelles pour les marqueurs {minuscules} : jamais étiquetés
    "weekday": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "thing": ["vidéoprojecteur", "téléphone fixe", "tableau blanc", "frigo", "micro-ondes", "radiateur", "casque", "clavier", "scanner", "routeur"],  # one grammatical gender: the snippets use its article
    "topic": ["budget", "intégration", "design", "sécurité", "ventes", "feuille de route", "recrutement", "formation", "qualité", "marketing"],
}

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"]
DATE_FORMATS = ["{d:02d}/{m:02d}/{y}", "{d} {month} {y}", "{y}-{m:02d}-{d:02d}", "le {d} {month}"]
TIME_FORMATS = ["{H:02d}:{M:02d}", "{H}h{M:02d}", "{H}h", "{H:02d}:{M:02d}:{S:02d}"]
AMPM = ("", "")
AGE_WORDS = [  # ages written out (2–20 and the tens) for a share of AGE values
    "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze", "treize",
    "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf", "vingt", "trente", "quarante",
    "cinquante", "soixante", "soixante-dix", "quatre-vingts", "quatre-vingt-dix",
]
HEIGHT_FORMATS = ["{cm} cm", "{m} m", "{m}m"]
SECONDARY_FORMATS = ["Appartement {n}", "Bâtiment {b}", "{f}e étage", "Porte {n}", "Apt {n}"]
DECIMAL, THOUSANDS = ",", "\u202f"

FIELDS = {
    "PREFIX": "Civilité", "FIRSTNAME": "Prénom", "MIDDLENAME": "Deuxième prénom", "LASTNAME": "Nom",
    "DOB": "Date de naissance", "AGE": "Âge", "SEX": "Sexe", "GENDER": "Genre", "HEIGHT": "Taille",
    "EYECOLOR": "Couleur des yeux", "EMAIL": "Courriel", "PHONENUMBER": "Téléphone", "PHONEIMEI": "IMEI",
    "STREET": "Voie", "BUILDINGNUMBER": "Numéro", "SECONDARYADDRESS": "Complément d'adresse", "CITY": "Ville",
    "STATE": "Région", "COUNTY": "Département", "ZIPCODE": "Code postal", "NEARBYGPSCOORDINATE": "Coordonnées GPS",
    "SSN": "Numéro de sécurité sociale", "JOBTITLE": "Profession", "JOBAREA": "Service", "JOBTYPE": "Fonction",
    "COMPANYNAME": "Employeur", "USERNAME": "Identifiant", "PASSWORD": "Mot de passe", "IPV4": "Adresse IP",
    "IPV6": "Adresse IPv6", "MAC": "Adresse MAC", "URL": "Site web", "USERAGENT": "Navigateur", "IBAN": "IBAN",
    "BIC": "BIC", "ACCOUNTNUMBER": "Numéro de compte", "ACCOUNTNAME": "Type de compte",
    "CREDITCARDNUMBER": "Numéro de carte", "CREDITCARDCVV": "Cryptogramme", "CREDITCARDISSUER": "Réseau",
    "PIN": "Code PIN", "AMOUNT": "Montant", "CURRENCYCODE": "Devise", "VEHICLEVIN": "Numéro VIN",
    "VEHICLEVRM": "Immatriculation", "DATE": "Date", "TIME": "Heure", "BITCOINADDRESS": "Adresse Bitcoin",
    "ETHEREUMADDRESS": "Adresse Ethereum",
}

DOCS = {
    "email": {
        "head": ["Bonjour {FIRSTNAME},", "{PREFIX} {LASTNAME},", "Chère équipe,", "Bonjour,", "Salut {FIRSTNAME} !"],
        "body": [
            "Veuillez trouver ci-joint le contrat signé avec {COMPANYNAME}.",
            "J'ai essayé de vous joindre au {PHONENUMBER}, sans succès.",
            "Merci d'envoyer la facture à {EMAIL} désormais.",
            "Notre réunion est déplacée au {DATE} à {TIME} à {CITY}.",
            "Le colis doit être livré au {BUILDINGNUMBER} {STREET}, {SECONDARYADDRESS}, {ZIPCODE} {CITY}.",
            "Le remboursement de {AMOUNT} € sera versé sur le compte {IBAN}.",
            "Mes nouvelles coordonnées : téléphone {PHONENUMBER}, courriel {EMAIL}.",
            "L'identifiant du partage est {USERNAME} et le mot de passe {PASSWORD}.",
            "Merci encore pour votre aide sur le rapport trimestriel.",
            "{FIRSTNAME} {LASTNAME} rejoint le service {JOBAREA} comme {JOBTITLE}.",
            "Vous pouvez suivre la livraison sur {URL}.",
            "Pendant mon absence, {FIRSTNAME} {MIDDLENAME} {LASTNAME} me remplace.",
            "L'hôtel se trouve près de l'entrée {ORDINALDIRECTION} du parc, en {STATE}.",
        ],
        "tail": ["Cordialement,\n{FIRSTNAME} {LASTNAME}", "Merci,\n{FIRSTNAME}", "Bien à vous,\n{PREFIX} {LASTNAME}\n{JOBTITLE}, {COMPANYNAME}", "Bonne journée"],
    },
    "chat": {
        "head": ["coucou", "salut !", "petite question :"],
        "body": [
            "mon nouveau numéro c'est le {PHONENUMBER}",
            "tu peux me virer {AMOUNT} € pour les billets ?",
            "je suis au {BUILDINGNUMBER} {STREET}, monte",
            "le code wifi c'est {PASSWORD} mdr",
            "{FIRSTNAME} t'a parlé de la fête du {DATE} ?",
            "rdv à {TIME} devant la gare",
            "mon pseudo c'est {USERNAME}",
            "j'ai eu {AGE} ans aujourd'hui !!",
            "envoie-le à {EMAIL} stp",
            "j'arrive dans cinq minutes",
            "le digicode est {PIN}",
            "{FIRSTNAME} a déménagé à {CITY}",
            "je suis ici : {NEARBYGPSCOORDINATE}",
        ],
        "tail": ["merci !", "à plus", "bisous"],
    },
    "form": {
        "head": ["Formulaire d'inscription", "Demande d'ouverture de compte", "Fiche patient", "Coordonnées"],
        "body": [],
        "tail": ["Signature : __________", "Je certifie l'exactitude des informations ci-dessus."],
    },
    "medical": {
        "head": ["Compte rendu de consultation.", "Lettre de sortie :", "Courrier d'adressage."],
        "body": [
            "Patient {FIRSTNAME} {LASTNAME}, {AGE} ans, sexe {SEX}, vu le {DATE}.",
            "Né le {DOB} ; taille {HEIGHT} ; yeux {EYECOLOR}.",
            "Domicile : {BUILDINGNUMBER} {STREET}, {ZIPCODE} {CITY}, joignable au {PHONENUMBER}.",
            "La tension artérielle est normale, pas d'examen complémentaire.",
            "Numéro de sécurité sociale : {SSN}.",
            "Prochain rendez-vous le {DATE} à {TIME}.",
            "{PREFIX} {LASTNAME} se plaint de céphalées depuis une semaine.",
            "Personne à prévenir : {FIRSTNAME} {LASTNAME}, tél. {PHONENUMBER}.",
        ],
        "tail": ["{PREFIX} {LASTNAME}", "Fin du compte rendu."],
    },
    "hr": {
        "head": ["Dossier du personnel.", "Promesse d'embauche.", "Note interne :"],
        "body": [
            "{FIRSTNAME} {LASTNAME} rejoint {COMPANYNAME} le {DATE} en tant que {JOBTITLE}, service {JOBAREA}.",
            "Numéro de sécurité sociale : {SSN}, né le {DOB}.",
            "Le salaire annuel de {AMOUNT} € est versé mensuellement sur {IBAN}.",
            "Fonction : {JOBTYPE}, rattaché au responsable {JOBAREA}.",
            "Adresse : {BUILDINGNUMBER} {STREET}, {ZIPCODE} {CITY} ({COUNTY}).",
            "La période d'essai est de trois mois.",
            "Le véhicule de service {VEHICLEVRM} (VIN {VEHICLEVIN}) est attribué à {FIRSTNAME}.",
            "Contact d'urgence : {FIRSTNAME}, {PHONENUMBER}.",
        ],
        "tail": ["Service RH, {COMPANYNAME}", "Document confidentiel."],
    },
    "finance": {
        "head": ["Confirmation de paiement.", "Relevé de compte.", "Alerte fraude :"],
        "body": [
            "Un virement de {AMOUNT} {CURRENCYCODE} depuis votre {ACCOUNTNAME} ({ACCOUNTNUMBER}) a été effectué le {DATE}.",
            "La carte {MASKEDNUMBER} ({CREDITCARDISSUER}) a été débitée de {AMOUNT} {CURRENCYSYMBOL}.",
            "Merci de confirmer : IBAN {IBAN}, BIC {BIC}.",
            "Un achat a été réalisé avec la carte {CREDITCARDNUMBER}, cryptogramme {CREDITCARDCVV}.",
            "Votre nouveau code PIN est {PIN}.",
            "Le portefeuille {BITCOINADDRESS} a reçu 0,5 BTC.",
            "Envoyez le paiement en {CURRENCYNAME} à {ETHEREUMADDRESS}.",
            "Les dépôts Litecoin vont à {LITECOINADDRESS}.",
            "Les taux restent inchangés ce trimestre.",
            "Le montant de {AMOUNT} {CURRENCY} sera prélevé le {DATE}.",
            "Titulaire : {FIRSTNAME} {LASTNAME}, {ACCOUNTNAME} {ACCOUNTNUMBER}.",
        ],
        "tail": ["Votre banque", "Ceci est un message automatique."],
    },
    "support": {
        "head": ["Ticket n°{PIN} :", "Demande d'assistance.", "Avis de sécurité :"],
        "body": [
            "L'utilisateur {USERNAME} s'est connecté depuis {IPV4} avec {USERAGENT}.",
            "Nouvel appareil enregistré : MAC {MAC}, IMEI {PHONEIMEI}.",
            "Des requêtes suspectes proviennent de {IPV6} et {IP}.",
            "Merci de réinitialiser le mot de passe de {EMAIL} ; l'ancien était {PASSWORD}.",
            "Le site {URL} a renvoyé une erreur à {TIME}.",
            "Le redémarrage de la box a résolu le problème.",
            "Le compte {USERNAME} a été bloqué le {DATE}.",
        ],
        "tail": ["Support informatique", "Répondez à ce message pour rouvrir le ticket."],
    },
    "none": {
        "head": [],
        "body": [
            'Nous avons commandé {count} nouvelles chaises pour le bureau.',
            'La réunion {topic} est déplacée à {weekday}.',
            "Seulement {count} personnes sont venues à l'atelier {topic}.",
            "Quelqu'un peut réparer le {thing} avant {weekday} ?",
            'Le {thing} de la salle {count} est encore en panne.',
            'Les ventes ont augmenté de {count} unités ce trimestre.',
            "Il a fait très beau tout le week-end.",
            "Pense à arroser les plantes.",
            "Le rapport est presque terminé.",
            "Nous devrions revoir le budget le mois prochain.",
            "Le train avait encore vingt minutes de retard.",
            "Le concert d'hier était formidable.",
            "Peut-on décaler le déjeuner d'équipe à vendredi ?",
            "L'imprimante du deuxième étage est en panne.",
            "Merci pour la réponse rapide !",
            "La nouvelle version corrige plusieurs bogues.",
            "Le café est dans la cuisine.",
        ],
        "tail": [],
    },
}
