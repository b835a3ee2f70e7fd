"""Spanish tables for the synthetic generator (see ``piikit/data/synth/__init__.py``)."""

LOCALE = "es_ES"
FAKER = {"STATE": "autonomous_community"}

WORDS = {
    "PREFIX": ["Sr.", "Sra.", "Srta.", "Dr.", "Dra.", "D.", "Dña."],
    "SEX": ["masculino", "femenino", "intersexual", "varón", "varón", "Varón", "mujer", "Mujer", "hombre", "Hombre", "H", "M"],
    "GENDER": ["mujer", "hombre", "no binario", "mujer trans", "hombre trans", "género fluido", "agénero"],
    "EYECOLOR": ["azules", "marrones", "verdes", "grises", "color avellana", "negros", "miel"],
    "JOBAREA": ["Ventas", "Contabilidad", "Compras", "Logística", "Investigación", "Recursos Humanos", "Marketing", "Seguridad", "Atención al cliente"],
    "JOBTYPE": ["Consultor", "Coordinadora", "Jefe", "Especialista", "Analista", "Ingeniera", "Asistente", "Técnico"],
    "ACCOUNTNAME": ["Cuenta corriente", "Cuenta de ahorro", "Cuenta nómina", "Cuenta de valores", "Cuenta conjunta", "Cuenta empresa", "Depósito a plazo"],
    "ORDINALDIRECTION": ["Norte", "Sur", "Este", "Oeste", "Noreste", "Noroeste", "Sureste", "Suroeste"],
    "COUNTY": ["Comarca de la Vera", "Baix Llobregat", "Comarca de Guadix", "El Bierzo", "La Rioja Alta", "Tierra de Campos", "Vallès Occidental", "Campo de Cartagena"],
}

FILLERS = {  # palabras sin datos personales para marcadores {minúsculas}: nunca se etiquetan
    "weekday": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
    "thing": ["proyector", "portátil", "monitor", "auricular", "teclado", "microondas", "router", "escáner", "ventilador", "altavoz"],  # one grammatical gender: the snippets use its article
    "topic": ["presupuesto", "incorporación", "diseño", "seguridad", "ventas", "hoja de ruta", "selección", "formación", "calidad", "marketing"],
}

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
DATE_FORMATS = ["{d:02d}/{m:02d}/{y}", "{d} de {month} de {y}", "{y}-{m:02d}-{d:02d}", "{d}-{m}-{yy:02d}"]
TIME_FORMATS = ["{H:02d}:{M:02d}", "{H}:{M:02d} h", "{h}:{M:02d} {ampm}", "{H:02d}:{M:02d}:{S:02d}"]
AMPM = ("a. m.", "p. m.")
AGE_WORDS = [  # ages written out (2–20 and the tens) for a share of AGE values
    "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce", "trece",
    "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve", "veinte", "treinta",
    "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa",
]
HEIGHT_FORMATS = ["{cm} cm", "{m} m", "{m}m"]
SECONDARY_FORMATS = ["Piso {f}º", "Puerta {n}", "{f}º {letter}", "Escalera {b}", "Bajo {letter}"]
DECIMAL, THOUSANDS = ",", "."

FIELDS = {
    "PREFIX": "Tratamiento", "FIRSTNAME": "Nombre", "MIDDLENAME": "Segundo nombre", "LASTNAME": "Apellidos",
    "DOB": "Fecha de nacimiento", "AGE": "Edad", "SEX": "Sexo", "GENDER": "Género", "HEIGHT": "Altura",
    "EYECOLOR": "Color de ojos", "EMAIL": "Correo electrónico", "PHONENUMBER": "Teléfono", "PHONEIMEI": "IMEI",
    "STREET": "Calle", "BUILDINGNUMBER": "Número", "SECONDARYADDRESS": "Piso/puerta", "CITY": "Localidad",
    "STATE": "Comunidad autónoma", "COUNTY": "Comarca", "ZIPCODE": "Código postal", "NEARBYGPSCOORDINATE": "Ubicación",
    "SSN": "Número de la Seguridad Social", "JOBTITLE": "Profesión", "JOBAREA": "Departamento", "JOBTYPE": "Puesto",
    "COMPANYNAME": "Empresa", "USERNAME": "Usuario", "PASSWORD": "Contraseña", "IPV4": "Dirección IP",
    "IPV6": "Dirección IPv6", "MAC": "Dirección MAC", "URL": "Web", "USERAGENT": "Navegador", "IBAN": "IBAN",
    "BIC": "BIC", "ACCOUNTNUMBER": "Número de cuenta", "ACCOUNTNAME": "Tipo de cuenta",
    "CREDITCARDNUMBER": "Número de tarjeta", "CREDITCARDCVV": "CVV", "CREDITCARDISSUER": "Emisor", "PIN": "PIN",
    "AMOUNT": "Importe", "CURRENCYCODE": "Moneda", "VEHICLEVIN": "Número de bastidor", "VEHICLEVRM": "Matrícula",
    "DATE": "Fecha", "TIME": "Hora", "BITCOINADDRESS": "Dirección Bitcoin", "ETHEREUMADDRESS": "Dirección Ethereum",
}

DOCS = {
    "email": {
        "head": ["Hola {FIRSTNAME}:", "Estimado/a {PREFIX} {LASTNAME}:", "Querido equipo:", "Buenos días:", "¡Hola {FIRSTNAME}!"],
        "body": [
            "Adjunto el contrato firmado con {COMPANYNAME}.",
            "He intentado llamarle al {PHONENUMBER}, pero no contestaba.",
            "Por favor, envíe la factura a {EMAIL} a partir de ahora.",
            "La reunión se traslada al {DATE} a las {TIME} en {CITY}.",
            "El paquete debe entregarse en {STREET} {BUILDINGNUMBER}, {SECONDARYADDRESS}, {ZIPCODE} {CITY}.",
            "El reembolso de {AMOUNT} € se ingresará en la cuenta {IBAN}.",
            "Mis nuevos datos: teléfono {PHONENUMBER}, correo {EMAIL}.",
            "El usuario de la unidad compartida es {USERNAME} y la contraseña {PASSWORD}.",
            "Gracias de nuevo por la ayuda con el informe trimestral.",
            "{FIRSTNAME} {LASTNAME} se incorpora a {JOBAREA} como {JOBTITLE}.",
            "Puede seguir el envío en {URL}.",
            "Durante mi ausencia me sustituye {FIRSTNAME} {MIDDLENAME} {LASTNAME}.",
            "El hotel está junto a la entrada {ORDINALDIRECTION} del recinto, en {STATE}.",
        ],
        "tail": ["Un saludo,\n{FIRSTNAME} {LASTNAME}", "Gracias,\n{FIRSTNAME}", "Atentamente,\n{PREFIX} {LASTNAME}\n{JOBTITLE}, {COMPANYNAME}", "Saludos"],
    },
    "chat": {
        "head": ["ey", "hola!", "una pregunta:"],
        "body": [
            "mi número nuevo es {PHONENUMBER}",
            "me pasas {AMOUNT} € por bizum para las entradas?",
            "estoy en {STREET} {BUILDINGNUMBER}, sube",
            "la contraseña del wifi es {PASSWORD} jaja",
            "te contó {FIRSTNAME} lo de la fiesta del {DATE}?",
            "quedamos a las {TIME} en la estación",
            "mi usuario es {USERNAME}",
            "hoy cumplo {AGE}!!",
            "mándalo a {EMAIL} porfa",
            "llego en cinco minutos",
            "el código del portal es {PIN}",
            "{FIRSTNAME} se ha mudado a {CITY}",
            "estoy aquí: {NEARBYGPSCOORDINATE}",
        ],
        "tail": ["gracias!", "luego hablamos", "besos"],
    },
    "form": {
        "head": ["Formulario de registro", "Solicitud de apertura de cuenta", "Ficha del paciente", "Datos de contacto"],
        "body": [],
        "tail": ["Firma: __________", "Declaro que los datos anteriores son correctos."],
    },
    "medical": {
        "head": ["Informe de consulta.", "Informe de alta:", "Hoja de derivación."],
        "body": [
            "Paciente {FIRSTNAME} {LASTNAME}, {AGE} años, sexo {SEX}, atendido el {DATE}.",
            "Fecha de nacimiento {DOB}; altura {HEIGHT}; ojos {EYECOLOR}.",
            "Domicilio: {STREET} {BUILDINGNUMBER}, {ZIPCODE} {CITY}; teléfono {PHONENUMBER}.",
            "La tensión arterial es normal y no se requieren más pruebas.",
            "Número de la Seguridad Social: {SSN}.",
            "Revisión el {DATE} a las {TIME}.",
            "{PREFIX} {LASTNAME} refiere dolor de cabeza desde hace una semana.",
            "Contacto: {FIRSTNAME} {LASTNAME}, tel. {PHONENUMBER}.",
        ],
        "tail": ["Firmado, {PREFIX} {LASTNAME}", "Fin del informe."],
    },
    "hr": {
        "head": ["Expediente de personal.", "Carta de oferta.", "Nota interna:"],
        "body": [
            "{FIRSTNAME} {LASTNAME} se incorpora a {COMPANYNAME} el {DATE} como {JOBTITLE} en {JOBAREA}.",
            "Número de la Seguridad Social: {SSN}; nacimiento: {DOB}.",
            "El salario anual de {AMOUNT} € se abona mensualmente en {IBAN}.",
            "Puesto: {JOBTYPE}, depende del responsable de {JOBAREA}.",
            "Dirección: {STREET} {BUILDINGNUMBER}, {ZIPCODE} {CITY} ({COUNTY}).",
            "El periodo de prueba es de seis meses.",
            "El coche de empresa {VEHICLEVRM} (bastidor {VEHICLEVIN}) se asigna a {FIRSTNAME}.",
            "Contacto de emergencia: {FIRSTNAME}, {PHONENUMBER}.",
        ],
        "tail": ["Recursos Humanos, {COMPANYNAME}", "Documento confidencial."],
    },
    "finance": {
        "head": ["Confirmación de pago.", "Extracto de cuenta.", "Alerta de fraude:"],
        "body": [
            "El {DATE} se transfirieron {AMOUNT} {CURRENCYCODE} desde su {ACCOUNTNAME} ({ACCOUNTNUMBER}).",
            "La tarjeta {MASKEDNUMBER} de {CREDITCARDISSUER} tiene un cargo de {AMOUNT} {CURRENCYSYMBOL}.",
            "Confirme los datos: IBAN {IBAN}, BIC {BIC}.",
            "Se realizó una compra con la tarjeta {CREDITCARDNUMBER}, CVV {CREDITCARDCVV}.",
            "Su nuevo PIN es {PIN}.",
            "El monedero {BITCOINADDRESS} recibió 0,5 BTC.",
            "Envíe el pago en {CURRENCYNAME} a {ETHEREUMADDRESS}.",
            "Los depósitos de Litecoin van a {LITECOINADDRESS}.",
            "Los tipos de interés no cambian este trimestre.",
            "El importe de {AMOUNT} {CURRENCY} se cargará el {DATE}.",
            "Titular: {FIRSTNAME} {LASTNAME}, {ACCOUNTNAME} {ACCOUNTNUMBER}.",
        ],
        "tail": ["Su banco", "Mensaje automático, no responda."],
    },
    "support": {
        "head": ["Incidencia n.º {PIN}:", "Solicitud de soporte.", "Aviso de seguridad:"],
        "body": [
            "El usuario {USERNAME} inició sesión desde {IPV4} con {USERAGENT}.",
            "Nuevo dispositivo registrado: MAC {MAC}, IMEI {PHONEIMEI}.",
            "Hubo peticiones sospechosas desde {IPV6} y {IP}.",
            "Restablezca la contraseña de {EMAIL}; la anterior era {PASSWORD}.",
            "La web {URL} dio un error a las {TIME}.",
            "Reiniciar el router solucionó el problema.",
            "La cuenta {USERNAME} se bloqueó el {DATE}.",
        ],
        "tail": ["Soporte informático", "Responda a este correo para reabrir la incidencia."],
    },
    "none": {
        "head": [],
        "body": [
            'Hemos pedido {count} sillas nuevas para la oficina.',
            'La reunión de {topic} pasa al {weekday}.',
            'Solo vinieron {count} personas al taller de {topic}.',
            '¿Alguien puede arreglar el {thing} antes del {weekday}?',
            'El {thing} de la sala {count} vuelve a estar roto.',
            'Las ventas crecieron {count} unidades este trimestre.',
            "Hizo muy buen tiempo todo el fin de semana.",
            "Acuérdate de regar las plantas.",
            "El informe está casi terminado.",
            "Deberíamos revisar el presupuesto el mes que viene.",
            "El tren llegó otra vez con veinte minutos de retraso.",
            "El concierto de ayer fue estupendo.",
            "¿Podemos pasar la comida de equipo al viernes?",
            "La impresora de la segunda planta no funciona.",
            "¡Gracias por la respuesta tan rápida!",
            "La nueva versión corrige varios errores.",
            "El café está en la cocina.",
        ],
        "tail": [],
    },
}
