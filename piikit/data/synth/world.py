"""Language-independent tables: where names, places and organisations from many cultures come from.

A model that only saw ``en_US`` names leaks ``Krisztián`` or ``Oyelaran``; every language's
pools of person names, company names, cities and full addresses are therefore mixed with
values drawn from these Faker locales (``WORLD_SHARE`` of each pool). Distractor words
(capitalised non-PII: titles of works, products, medical terms, codes) teach what *not* to mask.
"""

# Faker locales whose names/companies/addresses are mixed into every language's pools
# (Latin-script ones dominate, as in the text piikit masks; a few others for variety)
LOCALES = (
    "en_US", "en_GB", "en_IN", "en_AU", "en_NZ", "en_IE", "de_DE", "de_AT", "fr_FR", "fr_CA", "es_ES", "es_MX",
    "es_AR", "it_IT", "nl_NL", "nl_BE", "pt_BR", "pt_PT", "pl_PL", "hu_HU", "cs_CZ", "sk_SK", "tr_TR", "fi_FI",
    "sv_SE", "no_NO", "da_DK", "ro_RO", "hr_HR", "sl_SI", "vi_VN", "id_ID", "fil_PH", "ga_IE", "zu_ZA",
    "yo_NG", "lt_LT", "lv_LV", "et_EE", "el_GR", "uk_UA", "ru_RU", "ja_JP", "zh_CN",
)
FAKER_SORT = ("cities",)  # provider lists Faker builds from sets in some locales (it_IT): sorted first
WORLD_SHARE = 0.5  # share of a person/company/place pool drawn from LOCALES
WORLD_LABELS = {  # label -> Faker method drawn across LOCALES
    "FIRSTNAME": "first_name", "MIDDLENAME": "first_name", "LASTNAME": "last_name",
    "COMPANYNAME": "company", "CITY": "city", "ADDRESS": "address",
}

# demonyms, in English (other languages use their own WORDS["NATIONALITY"] when they have one)
NATIONALITIES = [
    "American", "Argentinian", "Australian", "Austrian", "Bangladeshi", "Belgian", "Bolivian", "Brazilian",
    "British", "Bulgarian", "Cameroonian", "Canadian", "Chilean", "Chinese", "Colombian", "Croatian", "Cuban",
    "Czech", "Danish", "Dutch", "Ecuadorian", "Egyptian", "Eritrean", "Estonian", "Ethiopian", "Filipino",
    "Finnish", "French", "Georgian", "German", "Ghanaian", "Greek", "Guatemalan", "Haitian", "Hungarian",
    "Icelandic", "Indian", "Indonesian", "Iranian", "Iraqi", "Irish", "Israeli", "Italian", "Jamaican",
    "Japanese", "Jordanian", "Kenyan", "Korean", "Latvian", "Lebanese", "Lithuanian", "Malaysian", "Mexican",
    "Moroccan", "Nepalese", "Nigerian", "Norwegian", "Pakistani", "Palestinian", "Peruvian", "Polish",
    "Portuguese", "Romanian", "Russian", "Saudi", "Scottish", "Senegalese", "Serbian", "Slovak", "Somali",
    "South African", "Spanish", "Sri Lankan", "Sudanese", "Swedish", "Swiss", "Syrian", "Taiwanese",
    "Thai", "Tunisian", "Turkish", "Ugandan", "Ukrainian", "Uruguayan", "Venezuelan", "Vietnamese", "Welsh",
    "Zambian", "Zimbabwean", "Greenlandic", "Kurdish", "Catholic", "Muslim", "Jewish", "Hindu", "Buddhist",
    "Protestant", "Sikh", "Democrat", "Republican", "Latino", "Hispanic", "Asian", "African-American",
]

# capitalised or code-like words that are NOT personal data ({work}, {product}, {code}, ...)
DISTRACTORS = {
    "work": [
        "The Silent Orchard", "Blue Highways", "Midnight Harbour", "A Short History of Rain", "Paper Lanterns",
        "The Glass Engine", "Northern Lights Suite", "Winter Variations", "The Last Cartographer", "Copper Sky",
        "Songs for a Small Planet", "The Clockmaker's Garden", "Iron and Velvet", "Letters from Nowhere",
        "The Quiet Machine", "Hollow Hills", "Saltwater Sonata", "Electric Meadow", "The Tin Crown", "Red Lantern Blues",
    ],
    "product": [
        "Galaxy Tab", "PowerEdge R740", "ThinkPad X1", "Model S", "Office 365", "AirPods Pro", "Kindle Paperwhite",
        "PlayStation 5", "Xbox Series X", "iPhone 14", "Surface Pro", "Nespresso Vertuo", "Roomba i7", "Fitbit Charge",
        "Windows Server 2019", "Ubuntu 22.04", "Excel", "Slack", "Jira", "Salesforce",
    ],
    "term": [
        "Annual Report", "Board of Directors", "Terms and Conditions", "Privacy Policy", "Quarterly Review",
        "Customer Service", "Human Resources", "Accounts Payable", "Help Desk", "Steering Committee",
        "Emergency Room", "Intensive Care Unit", "Internal Medicine", "Project Phoenix", "Phase II", "Release Notes",
        "User Guide", "Working Group", "Open Day", "Town Hall",
    ],
    "drug": [
        "ibuprofen", "paracetamol", "amoxicillin", "metformin", "lisinopril", "atorvastatin", "omeprazole",
        "Amoxicillin", "Ibuprofen", "Metformin", "insulin", "prednisone", "warfarin", "salbutamol",
    ],
    "condition": [
        "type 2 diabetes", "hypertension", "asthma", "migraine", "pneumonia", "Crohn's disease",
        "Parkinson's disease", "Alzheimer's disease", "atrial fibrillation", "chronic kidney disease",
        "Hodgkin lymphoma", "COVID-19", "influenza", "anaemia", "bronchitis",
    ],
    "code": [
        "SKU-4471", "ERR_CONN_RESET", "HTTP 503", "v2.14.3", "ISO 9001", "RFC 5322", "PR-2291", "JIRA-1183",
        "A4", "B12", "COVID-19", "Q3", "H1", "UTF-8", "x86_64", "IPv6", "USB-C", "4K", "5G", "HTTP 404",
    ],
    "measure": [
        "120/80 mmHg", "38.5 °C", "5 mg", "250 ml", "12 kg", "3 km", "75 kg", "2.5 GB", "45 minutes", "10 %",
        "0.5 mg/kg", "98 %", "1,200 units", "3 tablets", "24 hours",
    ],
    # language-independent technical strings for long documents (a language's own TERMS override them)
    "error": [
        "0x80070005", "ERR_CONNECTION_TIMED_OUT", "HTTP 502 Bad Gateway", "HTTP 403 Forbidden", "E-1042",
        "SSL_ERROR_BAD_CERT_DOMAIN", "ORA-12541", "NullPointerException", "0xc000021a",
        "DNS_PROBE_FINISHED_NXDOMAIN", "AADSTS50076", "HTTP 500", "ECONNREFUSED", "504 Gateway Timeout",
        "0x800CCC0E", "1603", "0x0000007E", "550 5.7.1", "ERR_CERT_DATE_INVALID", "OutOfMemoryError",
    ],
    "version": [
        "4.2.1", "23H2", "2.14.3", "11.0.22631", "16.0.17328", "5.7", "3.1.0-beta", "1.28", "7.4.2", "2024.1",
        "10.3.12", "6.2", "125.0.6422", "0.9.8", "8.1.4", "3.12", "22.04 LTS", "15.4", "2.0.11", "9.6.3",
    ],
    "ticketno": [
        "INC0041873", "REQ-20931", "CHG0012245", "PRB-3321", "INC0052210", "REQ-21877", "TCK-88412", "INC0039904",
        "CHG0013002", "SR-77120", "TCK-90125", "INC0061187", "REQ-23450", "PRB-3409", "SR-80233", "INC0064518",
        "TCK-91876", "CHG0014419", "REQ-24016", "SR-81590",
    ],
}
