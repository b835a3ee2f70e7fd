"""English tables for the synthetic generator (see ``piikit/data/synth/__init__.py``)."""

LOCALE = "en_US"
FAKER: dict[str, str] = {}

WORDS = {
    "PREFIX": ["Mr.", "Mrs.", "Ms.", "Miss", "Dr.", "Prof.", "Mx."],
    "SEX": ["male", "female", "intersex"],
    "GENDER": ["female", "male", "non-binary", "transgender woman", "transgender man", "genderqueer", "agender", "cisgender woman", "cisgender man"],
    "EYECOLOR": ["blue", "brown", "green", "hazel", "grey", "amber", "dark brown", "light blue"],
    "JOBAREA": ["Marketing", "Accounts", "Operations", "Logistics", "Research", "Security", "Infrastructure", "Quality", "Tactics", "Branding", "Data", "Payroll", "Compliance", "Communications"],
    "JOBTYPE": ["Consultant", "Coordinator", "Manager", "Specialist", "Analyst", "Engineer", "Designer", "Administrator", "Assistant", "Supervisor", "Planner", "Officer"],
    "ACCOUNTNAME": ["Savings Account", "Checking Account", "Personal Loan Account", "Credit Card Account", "Investment Account", "Home Loan Account", "Money Market Account", "Business Account"],
    "ORDINALDIRECTION": ["North", "South", "East", "West", "Northeast", "Northwest", "Southeast", "Southwest"],
    "COUNTY": ["Orange County", "Cook County", "King County", "Kent", "Surrey", "Essex", "Devon", "Yorkshire", "Cornwall", "Dallas County", "Marin County", "Lancashire", "Norfolk", "Harris County"],
}

FILLERS = {  # non-PII words for {lowercase} placeholders: filled in, never labelled
    "weekday": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "thing": ["projector", "coffee machine", "laptop", "whiteboard", "printer", "bike rack", "fridge", "microwave", "monitor", "headset", "keyboard", "plant"],
    "topic": ["budget", "onboarding", "design", "security", "sales", "roadmap", "hiring", "training", "quality", "release", "marketing", "logistics"],
}

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
DATE_FORMATS = ["{m:02d}/{d:02d}/{y}", "{month} {d}, {y}", "{y}-{m:02d}-{d:02d}", "{d} {month} {y}", "{m}/{d}/{yy:02d}"]
TIME_FORMATS = ["{H:02d}:{M:02d}", "{h}:{M:02d} {ampm}", "{h} {ampm}", "{H:02d}:{M:02d}:{S:02d}"]
AMPM = ("AM", "PM")
HEIGHT_FORMATS = ["{cm} cm", "{ft}'{inch}\"", "{ft} ft {inch} in", "{m} m"]
SECONDARY_FORMATS = ["Apt. {n}", "Suite {n}", "Unit {n}", "Floor {f}", "Apartment {n}"]
DECIMAL, THOUSANDS = ".", ","

FIELDS = {
    "PREFIX": "Title", "FIRSTNAME": "First name", "MIDDLENAME": "Middle name", "LASTNAME": "Last name",
    "DOB": "Date of birth", "AGE": "Age", "SEX": "Sex", "GENDER": "Gender", "HEIGHT": "Height",
    "EYECOLOR": "Eye colour", "EMAIL": "Email", "PHONENUMBER": "Phone", "PHONEIMEI": "Device IMEI",
    "STREET": "Street", "BUILDINGNUMBER": "House number", "SECONDARYADDRESS": "Address line 2",
    "CITY": "City", "STATE": "State", "COUNTY": "County", "ZIPCODE": "ZIP code",
    "NEARBYGPSCOORDINATE": "GPS", "SSN": "Social Security Number", "JOBTITLE": "Job title",
    "JOBAREA": "Department", "JOBTYPE": "Role type", "COMPANYNAME": "Employer",
    "USERNAME": "Username", "PASSWORD": "Temporary password", "IPV4": "IP address", "IPV6": "IPv6",
    "MAC": "MAC address", "URL": "Website", "USERAGENT": "Browser", "IBAN": "IBAN", "BIC": "BIC",
    "ACCOUNTNUMBER": "Account number", "ACCOUNTNAME": "Account", "CREDITCARDNUMBER": "Card number",
    "CREDITCARDCVV": "CVV", "CREDITCARDISSUER": "Card issuer", "PIN": "PIN", "AMOUNT": "Amount",
    "CURRENCYCODE": "Currency", "VEHICLEVIN": "VIN", "VEHICLEVRM": "Licence plate", "DATE": "Date",
    "TIME": "Time", "BITCOINADDRESS": "BTC wallet", "ETHEREUMADDRESS": "ETH wallet",
}

DOCS = {
    "email": {
        "head": ["Hi {FIRSTNAME},", "Dear {PREFIX} {LASTNAME},", "Hello {FIRSTNAME} {LASTNAME},", "Good morning,", "Dear team,", "Hey {FIRSTNAME}!"],
        "body": [
            "Please find attached the signed contract for {COMPANYNAME}.",
            "I tried to reach you at {PHONENUMBER} but nobody answered.",
            "Could you send the invoice to {EMAIL} instead of my old address?",
            "Our meeting is moved to {DATE} at {TIME} in {CITY}.",
            "The parcel should be delivered to {BUILDINGNUMBER} {STREET}, {SECONDARYADDRESS}, {CITY}, {STATE} {ZIPCODE}.",
            "As discussed, the refund of {CURRENCYSYMBOL}{AMOUNT} will be paid into account {IBAN}.",
            "I have updated my details: new number {PHONENUMBER}, new email {EMAIL}.",
            "The login for the shared drive is {USERNAME} and the password is {PASSWORD}.",
            "Let me know if {DATE} still works for you.",
            "Thanks again for your help with the quarterly report.",
            "{FIRSTNAME} from {JOBAREA} will join us as the new {JOBTITLE}.",
            "You can check the tracking page at {URL} for updates.",
            "My colleague {FIRSTNAME} {MIDDLENAME} {LASTNAME} will take over while I am away.",
            "The conference hotel is near the {ORDINALDIRECTION} entrance of the park.",
        ],
        "tail": ["Best regards,\n{FIRSTNAME} {LASTNAME}", "Thanks,\n{FIRSTNAME}", "Kind regards,\n{PREFIX} {LASTNAME}\n{JOBTITLE}, {COMPANYNAME}", "Cheers", "Sent from my phone"],
    },
    "chat": {
        "head": ["hey", "hi!", "ok so", "quick question:"],
        "body": [
            "my new number is {PHONENUMBER}, save it",
            "can you venmo me {CURRENCYSYMBOL}{AMOUNT} for the tickets?",
            "i'm at {BUILDINGNUMBER} {STREET}, come up when you're here",
            "wifi password is {PASSWORD} lol",
            "did {FIRSTNAME} tell you about the party on {DATE}?",
            "meet at {TIME} by the station",
            "my username there is {USERNAME} if you want to add me",
            "just turned {AGE} today!!",
            "send it to {EMAIL} pls",
            "running late, see you soon",
            "haha same",
            "the code for the door is {PIN}",
            "my location: {NEARBYGPSCOORDINATE}",
            "{FIRSTNAME} {LASTNAME} just moved to {CITY}",
        ],
        "tail": ["thx", "ttyl", ":)", "bye"],
    },
    "form": {
        "head": ["Customer registration", "Application form", "New account request", "Patient intake form", "Contact details"],
        "body": [],  # built from FIELDS: "<caption>: {LABEL}"
        "tail": ["Signature: __________", "I confirm the information above is correct."],
    },
    "medical": {
        "head": ["Clinical note.", "Discharge summary:", "Referral letter."],
        "body": [
            "Patient {FIRSTNAME} {LASTNAME}, {AGE} years old, {SEX}, was seen on {DATE}.",
            "DOB {DOB}; height {HEIGHT}; eye colour {EYECOLOR}.",
            "The patient lives at {STREET} {BUILDINGNUMBER}, {ZIPCODE} {CITY} and can be reached on {PHONENUMBER}.",
            "Blood pressure was normal and no further tests are needed.",
            "Insurance number on file: {SSN}.",
            "Follow-up appointment booked for {DATE} at {TIME}.",
            "{PREFIX} {LASTNAME} reported mild headaches over the past week.",
            "Next of kin: {FIRSTNAME} {LASTNAME}, phone {PHONENUMBER}.",
            "The patient identifies as {GENDER} and prefers to be addressed by first name.",
        ],
        "tail": ["Signed, {PREFIX} {LASTNAME}", "End of note."],
    },
    "hr": {
        "head": ["HR record update.", "Offer letter.", "Internal memo:"],
        "body": [
            "{FIRSTNAME} {LASTNAME} joins {COMPANYNAME} as {JOBTITLE} in the {JOBAREA} department on {DATE}.",
            "Employee SSN: {SSN}. Date of birth: {DOB}.",
            "The annual salary of {CURRENCYSYMBOL}{AMOUNT} is paid monthly to {IBAN}.",
            "Reporting line: {JOBTYPE} to the head of {JOBAREA}.",
            "Badge access is granted from {TIME} to {TIME} on working days.",
            "Home address: {BUILDINGNUMBER} {STREET}, {CITY}, {COUNTY}.",
            "The probation period lasts six months.",
            "Company car {VEHICLEVRM} (VIN {VEHICLEVIN}) is assigned to {FIRSTNAME}.",
            "Emergency contact: {FIRSTNAME} at {PHONENUMBER}.",
        ],
        "tail": ["HR department, {COMPANYNAME}", "Please keep this document confidential."],
    },
    "finance": {
        "head": ["Payment confirmation.", "Account statement.", "Fraud alert:"],
        "body": [
            "A transfer of {AMOUNT} {CURRENCYCODE} from your {ACCOUNTNAME} ({ACCOUNTNUMBER}) was made on {DATE}.",
            "Card {MASKEDNUMBER} issued by {CREDITCARDISSUER} was charged {CURRENCYSYMBOL}{AMOUNT}.",
            "Please confirm the payment details: IBAN {IBAN}, BIC {BIC}.",
            "We noticed a purchase with card number {CREDITCARDNUMBER}, CVV {CREDITCARDCVV}, that you may not recognise.",
            "Your new card PIN is {PIN}; never share it with anyone.",
            "The wallet {BITCOINADDRESS} received 0.5 BTC from your account.",
            "Send the {CURRENCYNAME} payment to {ETHEREUMADDRESS} before {DATE}.",
            "Litecoin deposits go to {LITECOINADDRESS}.",
            "Interest rates stay unchanged this quarter.",
            "The amount of {AMOUNT} {CURRENCY} will be debited on {DATE}.",
            "Account holder: {FIRSTNAME} {LASTNAME}, {ACCOUNTNAME} {ACCOUNTNUMBER}.",
        ],
        "tail": ["Your bank", "This is an automated message, please do not reply."],
    },
    "support": {
        "head": ["Ticket #{PIN}:", "Support request.", "Security notice:"],
        "body": [
            "User {USERNAME} logged in from {IPV4} using {USERAGENT}.",
            "A new device with MAC {MAC} and IMEI {PHONEIMEI} was registered.",
            "Suspicious requests came from {IPV6} and {IP}.",
            "Please reset the password for {EMAIL}; the old one was {PASSWORD}.",
            "The site {URL} returned an error at {TIME}.",
            "Restarting the router fixed the issue.",
            "The account {USERNAME} was locked after five failed attempts on {DATE}.",
            "Your vehicle {VEHICLEVIN} is due for a software update.",
        ],
        "tail": ["IT service desk", "Reply to this email to reopen the ticket."],
    },
    "none": {
        "head": [],
        "body": [
            'We ordered {count} new chairs for the office.',
            'The {topic} meeting moves to {weekday}.',
            'Only {count} people came to the {topic} workshop.',
            'Can someone fix the {thing} before {weekday}?',
            'The {thing} in room {count} is broken again.',
            'Sales grew by {count} units this quarter.',
            "The weather was lovely all weekend.",
            "Please remember to water the plants.",
            "The report is almost finished.",
            "We should review the budget next month.",
            "The train was twenty minutes late again.",
            "I really enjoyed the concert yesterday.",
            "Can we move the team lunch to Friday?",
            "The printer on the second floor is broken.",
            "Thanks for the quick reply!",
            "The new software release fixes several bugs.",
            "Let's keep the presentation short.",
            "Coffee is in the kitchen.",
        ],
        "tail": [],
    },
}
