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
    # títulos inventados de libros, películas y discos (castellano)
    "obra": [
        "La casa de los espejos", "Noches de agosto", "El último faro", "Cartas desde el sur", "La memoria del agua",
        "Camino de sal", "Los años ligeros", "Viento del norte", "El jardín de invierno", "Canciones para un tren",
        "La ciudad dormida", "Mar de fondo", "El silencio de las horas", "Papel mojado", "Luna de septiembre",
        "Las llaves del desván", "Hijos de la niebla", "El mapa equivocado", "Tres veranos", "La orilla de enfrente",
    ],
    # actos y eventos genéricos, todos femeninos: los fragmentos escriben "la {evento}"
    "evento": [
        "Jornada de Puertas Abiertas", "Semana de la Ciencia", "Feria del Libro", "Carrera Solidaria",
        "Noche de los Museos", "Feria de Empleo", "Semana Cultural", "Fiesta de Fin de Curso", "Gala Benéfica",
        "Muestra de Cine Joven", "Jornada de Voluntariado", "Feria de Artesanía", "Cena de Navidad", "Verbena del barrio",
    ],
    # fiestas del calendario, sin artículo: "en {fiesta}", "después de {fiesta}"
    "fiesta": ["Navidad", "Nochebuena", "Nochevieja", "Semana Santa", "Reyes", "Carnaval", "Año Nuevo", "Todos los Santos", "Pascua"],
    "plato": [
        "paella", "tortilla de patatas", "gazpacho", "cocido", "fabada", "salmorejo", "pulpo a la gallega", "migas",
        "lentejas", "croquetas", "arroz negro", "pisto",
    ],
    # asignaturas escolares, con mayúscula como en los boletines de notas
    "asignatura": [
        "Matemáticas", "Historia", "Lengua", "Física", "Química", "Biología", "Filosofía", "Educación Física",
        "Dibujo Técnico", "Economía", "Inglés", "Geografía", "Música", "Latín",
    ],
}

MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]
DATE_FORMATS = ["{d:02d}/{m:02d}/{y}", "{d} de {month} de {y}", "{y}-{m:02d}-{d:02d}", "{d}-{m}-{yy:02d}"]
TIME_FORMATS = ["{H:02d}:{M:02d}", "{H}:{M:02d} h", "{h}:{M:02d} {ampm}", "{H:02d}:{M:02d}:{S:02d}"]
AMPM = ("a. m.", "p. m.")
HOME_COUNTRIES = ["España", "México", "Argentina", "Colombia", "Chile", "Perú", "Venezuela", "Cuba", "Ecuador", "Estados Unidos"]  # countries this language's text names most (a share of COUNTRY values)
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
            # el sexo y la edad de quien trata el informe (sex_*: synthetic.LABELLED_FILLERS)
            "{sex_noun} de {AGE} años que consulta por dolor abdominal de dos días de evolución.",
            "Se trata de una {sex_f} de {AGE} años, sin antecedentes de interés.",
            "Paciente {sex_adj} de {AGE} años de edad, remitido desde su centro de salud.",
            "{sex_noun} de {AGE} meses de edad, traído por fiebre desde hace tres días.",
            "A los {AGE} meses de edad presentó una crisis febril.",
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
            'La reunión de {topic} se aplaza.',
            'Solo vinieron {count} personas al taller de {topic}.',
            '¿Alguien puede arreglar el {thing} pronto?',
            'El {thing} de la sala {count} vuelve a estar roto.',
            'Las ventas crecieron {count} unidades este trimestre.',
            "Hizo muy buen tiempo todo el fin de semana.",
            "Acuérdate de regar las plantas.",
            "El informe está casi terminado.",
            "Deberíamos revisar el presupuesto el mes que viene.",
            "El tren llegó otra vez con veinte minutos de retraso.",
            "El concierto de ayer fue estupendo.",
            "¿Podemos pasar la comida de equipo a la semana que viene?",
            "La impresora de la segunda planta no funciona.",
            "¡Gracias por la respuesta tan rápida!",
            "La nueva versión corrige varios errores.",
            "El café está en la cocina.",
        ],
        "tail": [],
    },
}


DOCS["narrative"] = {
    "head": ["Noticias de la semana:", "Del boletín interno:", "Crónica local.", "Para ponerse al día:"],
    "body": [
        # empiezan con un solo nombre o apellido
        "{FIRSTNAME} se ha ido a vivir a {CITY} con su pareja y ya no viene a las cenas de los {weekday}.",
        "{LASTNAME} marcó dos goles en la segunda parte y dio la victoria al equipo local.",
        "{FIRSTNAME} cumple {AGE} años el {weekday} y le estamos preparando una fiesta sorpresa.",
        "{LASTNAME} anunció ayer que deja la presidencia del club tras nueve temporadas.",
        "{FIRSTNAME}, ¿te acuerdas de cuando fuimos a {CITY} en {fiesta}?",
        "{FIRSTNAME} ha aprobado por fin {asignatura} y lo celebramos el {weekday} comiendo {plato} en casa de los abuelos.",
        "{LASTNAME} no quiso hacer declaraciones a la salida del juzgado.",
        "{FIRSTNAME} lleva {count} días sin contestar en el grupo de la familia.",
        "{LASTNAME} coordinará este año la {evento}, que vuelve al Ayuntamiento de {CITY}.",
        "{FIRSTNAME} me ha dicho que el {product} que le regalaron en {fiesta} ya no enciende.",
        "{LASTNAME} ganó la etapa reina con más de un minuto de ventaja sobre {LASTNAME}.",
        "{FIRSTNAME} y yo nos conocimos en la {evento} de {CITY} hace ya muchos años.",
        "{FIRSTNAME}, no te olvides de traer el {thing} a la reunión del {weekday}.",
        "{LASTNAME} sustituirá a {FIRSTNAME} {LASTNAME} al frente del departamento a partir del {DATE}.",
        "{FIRSTNAME} trabaja en {COMPANYNAME} desde el verano pasado y dice que no lo cambia por nada.",
        "{LASTNAME} reconoció en rueda de prensa que el equipo no había estado a la altura.",
        "{FIRSTNAME} ha vuelto de {COUNTRY} con cientos de fotos y muchas ganas de contarlo todo.",
        "{LASTNAME} nació el {DOB} en {COUNTRY}, aunque se crio en {CITY}.",
        "{FIRSTNAME} dice que donde mejor preparan {plato} es en un bar de {STREET}.",
        # empiezan con otros datos personales
        "{FIRSTNAME} {LASTNAME}, de {AGE} años y natural de {CITY}, recogió el premio en nombre de todo el grupo.",
        "{FIRSTNAME} {LASTNAME} creció en {CITY} y se marchó a {COUNTRY} al terminar la carrera.",
        "{PREFIX} {LASTNAME} presentó ayer en la biblioteca municipal su nuevo libro, «{obra}».",
        "{COMPANYNAME} abrirá una nueva sede en {CITY} que dará trabajo a {count} personas.",
        "{COMPANYNAME} y {COMPANYNAME} han cerrado la fusión tras meses de negociaciones.",
        "{CITY} se llenó de gente para la {evento}, que este año celebraba su décima edición.",
        "{COUNTRY} fue, sin duda, lo mejor de todo el viaje.",
        "{FIRSTNAME} {LASTNAME} y {FIRSTNAME} {LASTNAME} fueron los primeros en cruzar la meta.",
        "{PREFIX} {FIRSTNAME} {LASTNAME} inaugurará las jornadas el {DATE} a las {TIME}.",
        "{COMPANYNAME} busca {JOBTITLE} para su oficina de {CITY}.",
        "{FIRSTNAME} {LASTNAME} lleva las inscripciones: {PHONENUMBER} o {EMAIL}.",
        "{COUNTRY} y {COUNTRY} firmaron el acuerdo en {CITY} el {DATE}.",
        "{FIRSTNAME} {LASTNAME}, {JOBTITLE} en {COMPANYNAME}, dará una charla sobre {topic} el {weekday}.",
        "{CITY} vuelve a quedarse sin cine: el último cerró sus puertas en {fiesta}.",
        # nombres en otras posiciones
        "Según {COMPANYNAME}, las ventas del {product} se duplicaron en el último trimestre.",
        "Mi colega {FIRSTNAME} dice que el {product} es lo mejor que ha comprado este año.",
        "Ayer comimos con {FIRSTNAME} y {FIRSTNAME} en un bar de {STREET}.",
        "«Estamos muy satisfechos con el resultado», explicó {LASTNAME} tras el pleno del Ayuntamiento.",
        "«No pienso dimitir», aseguró {FIRSTNAME} {LASTNAME} ante los periodistas.",
        "La familia {LASTNAME} se mudó a {CITY} la primavera pasada.",
        "Durante más de diez años trabajó para {COMPANYNAME}, hasta que montó su propio negocio con {FIRSTNAME}.",
        "El paquete para {FIRSTNAME} {LASTNAME} se dejó en {ADDRESS}.",
        "Envíe la documentación a {ADDRESS} antes del {DATE}.",
        "La delegación {NATIONALITY}, encabezada por {FIRSTNAME} {LASTNAME}, llegó a {CITY} el {DATE}.",
        "Es de nacionalidad {NATIONALITY}, habla cuatro idiomas y trabaja como {JOBTITLE} en {COMPANYNAME}.",
        "La selección {NATIONALITY} se llevó el bronce en el último campeonato.",
        "La comunidad {NATIONALITY} de {CITY} organiza una comida popular por {fiesta}.",
        "La película «{obra}» se rodó en {COUNTRY} con actores de nacionalidad {NATIONALITY}.",
        "La encuesta se envió a estudiantes de nacionalidad {NATIONALITY} y {NATIONALITY} residentes en {COUNTRY}.",
        "Gracias a {FIRSTNAME}, {FIRSTNAME} y {FIRSTNAME} por organizar la {evento}.",
        "{PREFIX} {LASTNAME}, de {COMPANYNAME}, nos recibirá el {DATE} a las {TIME}.",
        "Tenía {AGE} años cuando nos fuimos de {CITY}.",
        "El informe lo redactó {LASTNAME} y lo revisó {FIRSTNAME} {LASTNAME}.",
        "Pregúntale a {FIRSTNAME} por el {product}, que lo configuró la semana pasada.",
        "Se mudó de {COUNTRY} a {COUNTRY} a los {AGE} años.",
        "La fundación, creada por {FIRSTNAME} {LASTNAME} en {CITY}, tiene nueva sede en {ADDRESS}.",
        "Creo que {LASTNAME} tenía razón con lo del presupuesto.",
        "¿Has leído la entrevista a {LASTNAME} en el periódico del {weekday}?",
        "Dirigida por {FIRSTNAME} {LASTNAME} y protagonizada por {FIRSTNAME} {LASTNAME}, «{obra}» se estrena el {DATE}.",
        "Tanto {FIRSTNAME} como {LASTNAME} intervinieron en la {evento}.",
        "Un portavoz de {COMPANYNAME} confirmó que la planta de {CITY} cerrará después de {fiesta}.",
        "El libro de {FIRSTNAME} {LASTNAME} sale a la venta el {DATE}.",
        "Quedamos el {weekday} a las {TIME} en el cruce de {STREET} con {STREET}.",
        "El vuelo de {FIRSTNAME} a {CITY} sale el {weekday} por la mañana.",
        "Mi dentista de toda la vida, {FIRSTNAME} {LASTNAME}, se jubila después de {fiesta}.",
        "Hablé con {FIRSTNAME} {LASTNAME}, de {COMPANYNAME}, y me confirmó el pedido.",
        "Para más información, escriba a {EMAIL} o llame al {PHONENUMBER}.",
        # sin datos personales, con mayúsculas
        "El Ayuntamiento aprobó ayer los presupuestos del año que viene.",
        "La {evento} se celebrará en el polideportivo municipal el próximo {weekday}.",
        "En {fiesta} la Biblioteca Municipal solo abrirá por las mañanas.",
        "La novela «{obra}» lleva semanas en lo más alto de la lista de ventas.",
        "Este trimestre el examen de {asignatura} coincide con el de {asignatura}.",
        "La actualización del {product} salió en marzo con bastantes errores.",
        "La Consejería de Educación ha publicado por fin el calendario escolar.",
    ],
    "tail": ["Más noticias la semana que viene.", "Foto: {FIRSTNAME} {LASTNAME}", "Publicado por {USERNAME}"],
}
DOCS["dialogue"] = {
    "head": ["Transcripción de la llamada", "Registro del chat", "Notas de la entrevista"],
    "body": [
        "Agente: ¿Me puede decir su nombre completo, por favor?\nCliente: Sí, {FIRSTNAME} {LASTNAME}.",
        "Agente: ¿Y su fecha de nacimiento?\nCliente: El {DOB}.",
        "Agente: ¿A qué dirección se lo enviamos?\nCliente: A {ADDRESS}.",
        "Agente: ¿Me confirma el código postal?\nCliente: {ZIPCODE}.",
        "Cliente: mi teléfono es el {PHONENUMBER}\nAgente: perfecto, gracias",
        "Agente: Veo un cargo de {AMOUNT} {CURRENCYSYMBOL} del {DATE}, ¿es correcto?\nCliente: Sí, es ese.",
        "Agente: ¿Dónde trabaja actualmente?\nCliente: En {COMPANYNAME}, de {JOBTITLE}.",
        "Cliente: mándemelo a {EMAIL}, por favor",
        "Agente: Buenas tardes, le atiende {FIRSTNAME}. ¿En qué puedo ayudarle?\nCliente: Hola, llamo por una factura.",
        "Agente: ¿Puedo ayudarle en algo más?\nCliente: No, eso es todo, muchas gracias.",
        "P: ¿De dónde es usted?\nR: Soy de {CITY}, aunque llevo años viviendo en {COUNTRY}.",
        "P: ¿Cuántos años tiene?\nR: {AGE}.",
        "P: ¿Qué nacionalidad tiene?\nR: Tengo la nacionalidad {NATIONALITY}, pero vivo en {CITY} desde niña.",
        "P: ¿Cómo empezó en {COMPANYNAME}?\nR: Me llamó {FIRSTNAME} {LASTNAME} después de {fiesta} y al mes ya estaba en {CITY}.",
        "P: {FIRSTNAME}, ¿qué recuerda de aquellos años en {CITY}?\nR: Sobre todo el frío y las clases de {asignatura}.",
        "{FIRSTNAME}: ¿te llegó el {product}?\n{FIRSTNAME}: sí, el {weekday} por la tarde",
        "{FIRSTNAME}: ¿Quién llama?\n{FIRSTNAME}: Soy {LASTNAME}, de {COMPANYNAME}.",
        "{LASTNAME}: Lo mandé el {weekday}.\n{FIRSTNAME}: Gracias, ya lo tengo.",
        "{FIRSTNAME}: ¿Vienes a la {evento} el {weekday}?\n{FIRSTNAME}: No sé, depende de {FIRSTNAME}.",
        "{FIRSTNAME}: {FIRSTNAME}, ¿has visto el {thing} de la sala de reuniones?\n{FIRSTNAME}: Se lo llevó {LASTNAME} esta mañana.",
        "{LASTNAME}: ¿Cerramos el acta?\n{LASTNAME}: Sí, pero antes hay que enviársela a {FIRSTNAME} {LASTNAME}.",
        "{FIRSTNAME}: llego tarde, el tren de {CITY} va con retraso\n{FIRSTNAME}: no pasa nada, te guardamos sitio",
        "{FIRSTNAME}: ¿alguien sabe a qué hora es la reunión?\n{LASTNAME}: a las {TIME}, en la sala grande",
        "{FIRSTNAME}: {FIRSTNAME}, ¿has hablado ya con {LASTNAME}?\n{FIRSTNAME}: Todavía no, le llamo mañana.",
    ],
    "tail": ["Fin de la transcripción.", "Llamada atendida por {FIRSTNAME}."],
}
