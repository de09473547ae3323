"""The composer's sentence banks, English and Spanish.

Templates are filled with `str.format_map` and a plain dict: customer and
agent text is only ever a value, never a template. Each slot has several
variants; the composer picks one from a hash of the case, so two cases read
differently while one case always drafts the same way.

A fact template lists the facts it needs; the first variants that can be
filled win over the generic ones at the end of each list.
"""

# Stock phrases that make an apology read like a form letter. No draft may
# contain one (case-insensitive); tests hold every scenario to it.
CANNED_PHRASES = (
    "we apologise for any inconvenience",
    "we apologize for any inconvenience",
    "valued customer",
    "please be advised",
    "sorry for the inconvenience",
    "sorry for any inconvenience",
    "we regret any",
    "at this time",
    "thank you for your patience",
    "your call is important",
    "as per our policy",
    "we value your business",
    "disculpe las molestias",
    "disculpen las molestias",
    "sentimos las molestias",
    "lamentamos las molestias",
    "cliente valioso",
    "estimado cliente",
    "le informamos que",
    "en este momento",
    "gracias por su paciencia",
    "gracias por tu paciencia",
)

# (facts needed, template). {order}, {days}, {waited}, {promised}, {amount},
# {product}, {colleague}, {ticket}, {what} are filled by the composer.
FACTS = {
    "en": {
        "late_delivery": [
            (
                ("order", "days"),
                "Your order {order} reached you {days} days after the date we gave you.",
            ),
            (
                ("order", "days"),
                "We promised order {order} for a date we then missed by {days} days.",
            ),
            (
                ("order", "days"),
                "Order {order} turned up {days} days late, after we had given you our word on the date.",
            ),
            (("order",), "Your order {order} did not arrive on the day we promised."),
            ((), "Your delivery did not arrive on the day we promised."),
        ],
        "long_wait": [
            (
                ("waited", "promised"),
                "You waited {waited} hours for an answer from us, when we promise one within {promised}.",
            ),
            (
                ("waited", "promised"),
                "We promise a reply within {promised} hours; you waited {waited}.",
            ),
            (
                ("waited", "promised"),
                "It took us {waited} hours to answer you, against the {promised} hours we commit to.",
            ),
            (("waited",), "You waited {waited} hours for an answer from us."),
            ((), "You waited far longer for an answer than we promise."),
        ],
        "overcharge": [
            (
                ("amount", "order"),
                "We charged you {amount} more than we should have on order {order}.",
            ),
            (("amount",), "Your bill was {amount} higher than it should have been."),
            (("amount",), "We took {amount} from you that we had no right to charge."),
            ((), "We charged you more than we should have."),
        ],
        "defective_product": [
            (
                ("product",),
                "The {product} you bought from us failed when it should simply have worked.",
            ),
            (
                ("product",),
                "Your {product} stopped working, and a product of ours should not do that.",
            ),
            (
                ("product",),
                "You paid for a {product} that works, and the one we sent you does not.",
            ),
            ((), "The product we sent you failed when it should simply have worked."),
        ],
        "technical_difficulty": [
            (("product",), "{product} did not work for you when you needed it."),
            (("product",), "You could not rely on {product}, and that is exactly what it is for."),
            ((), "Our service did not work for you when you needed it."),
        ],
        "poor_support": [
            (
                ("colleague",),
                "The help you got on {ticket}, including from my colleague {colleague}, was not good enough.",
            ),
            (
                ("colleague",),
                "When you wrote to us about {ticket}, our team, {colleague} included, did not give you the help you needed.",
            ),
            ((), "The help you got from our team on {ticket} was not good enough."),
        ],
        "sla_breach": [
            (
                ("waited", "promised"),
                "We committed to act on {ticket} within {promised} hours, and it took {waited}.",
            ),
            (
                ("waited", "promised"),
                "{ticket} waited {waited} hours with us, past the {promised} hours we promise.",
            ),
            ((), "We missed the time we promised you for {ticket}."),
        ],
        "handoffs": [
            (
                (),
                "You were passed from one person to another on {ticket} instead of getting an answer.",
            ),
            (
                (),
                "On {ticket} you had to explain yourself again each time we moved you to someone new.",
            ),
        ],
        "reopened": [
            ((), "We told you {ticket} was solved, and it was not."),
            ((), "We closed {ticket} before the problem was actually fixed."),
        ],
        "repeat_contact": [
            (
                (),
                "You had to come back to us about the same problem because we did not fix it the first time ({ticket}).",
            ),
            ((), "We did not solve it the first time, so you had to write to us again ({ticket})."),
        ],
        "generic": [
            (("what",), "You told us what happened on {ticket}: {what}"),
            ((), "We let you down on {ticket}."),
            ((), "What happened on {ticket} is not the service you should get from us."),
        ],
    },
    "es": {
        "late_delivery": [
            (
                ("order", "days"),
                "Su pedido {order} le llegó {days} días después de la fecha que le dimos.",
            ),
            (
                ("order", "days"),
                "Le prometimos el pedido {order} para una fecha que luego incumplimos por {days} días.",
            ),
            (
                ("order", "days"),
                "El pedido {order} llegó con {days} días de retraso, después de haberle dado nuestra palabra.",
            ),
            (("order",), "Su pedido {order} no llegó el día que le prometimos."),
            ((), "Su entrega no llegó el día que le prometimos."),
        ],
        "long_wait": [
            (
                ("waited", "promised"),
                "Esperó {waited} horas una respuesta nuestra, cuando prometemos responder en {promised}.",
            ),
            (
                ("waited", "promised"),
                "Prometemos responder en {promised} horas; usted esperó {waited}.",
            ),
            (
                ("waited", "promised"),
                "Tardamos {waited} horas en contestarle, frente a las {promised} horas a las que nos comprometemos.",
            ),
            (("waited",), "Esperó {waited} horas una respuesta nuestra."),
            ((), "Esperó mucho más de lo que prometemos para recibir una respuesta."),
        ],
        "overcharge": [
            (("amount", "order"), "Le cobramos {amount} de más en el pedido {order}."),
            (("amount",), "Su factura fue {amount} más alta de lo que debía."),
            (("amount",), "Le cobramos {amount} que no teníamos derecho a cobrar."),
            ((), "Le cobramos más de lo que debíamos."),
        ],
        "defective_product": [
            (
                ("product",),
                "El producto {product} que nos compró falló cuando simplemente debía funcionar.",
            ),
            (
                ("product",),
                "Su {product} dejó de funcionar, y un producto nuestro no debería hacer eso.",
            ),
            (("product",), "Pagó por un {product} que funcione, y el que le enviamos no funciona."),
            ((), "El producto que le enviamos falló cuando simplemente debía funcionar."),
        ],
        "technical_difficulty": [
            (("product",), "{product} no le funcionó cuando lo necesitaba."),
            (("product",), "No pudo confiar en {product}, y para eso existe."),
            ((), "Nuestro servicio no le funcionó cuando lo necesitaba."),
        ],
        "poor_support": [
            (
                ("colleague",),
                "La ayuda que recibió en {ticket}, también la de mi compañero {colleague}, no estuvo a la altura.",
            ),
            (
                ("colleague",),
                "Cuando nos escribió por {ticket}, nuestro equipo, {colleague} incluido, no le dio la ayuda que necesitaba.",
            ),
            ((), "La ayuda que recibió de nuestro equipo en {ticket} no estuvo a la altura."),
        ],
        "sla_breach": [
            (
                ("waited", "promised"),
                "Nos comprometimos a atender {ticket} en {promised} horas, y tardamos {waited}.",
            ),
            (
                ("waited", "promised"),
                "{ticket} esperó {waited} horas con nosotros, más allá de las {promised} que prometemos.",
            ),
            ((), "No cumplimos el plazo que le prometimos para {ticket}."),
        ],
        "handoffs": [
            ((), "Le pasamos de una persona a otra en {ticket} en lugar de darle una respuesta."),
            (
                (),
                "En {ticket} tuvo que explicarse de nuevo cada vez que le pasamos a alguien distinto.",
            ),
        ],
        "reopened": [
            ((), "Le dijimos que {ticket} estaba resuelto, y no lo estaba."),
            ((), "Cerramos {ticket} antes de que el problema estuviera resuelto de verdad."),
        ],
        "repeat_contact": [
            (
                (),
                "Tuvo que volver a escribirnos por el mismo problema porque no lo resolvimos la primera vez ({ticket}).",
            ),
            (
                (),
                "No lo resolvimos a la primera, así que tuvo que escribirnos otra vez ({ticket}).",
            ),
        ],
        "generic": [
            (("what",), "Nos contó lo que pasó en {ticket}: {what}"),
            ((), "Le fallamos en {ticket}."),
            ((), "Lo que pasó en {ticket} no es el servicio que debe recibir de nosotros."),
        ],
    },
}

GREETINGS = {
    "en": ["Dear {name},", "Hello {name},", "Hi {name},"],
    "es": ["Hola, {name}:", "Buenos días, {name}:", "{name}, buenos días:"],
}

SUBJECTS = {
    "en": [
        "{name}, I am sorry about {topic}",
        "Putting {topic} right, {name}",
        "{name}: what went wrong with {topic}, and what we are doing",
        "{name}, our apology for {topic}",
    ],
    "es": [
        "{name}, lamento lo ocurrido con {topic}",
        "Vamos a arreglar {topic}, {name}",
        "{name}: qué falló con {topic} y qué estamos haciendo",
        "{name}, le pedimos disculpas por {topic}",
    ],
}

TOPICS = {
    "en": {"order": "order {order}", "product": "your {product}", "ticket": "{ticket}"},
    "es": {"order": "el pedido {order}", "product": "su {product}", "ticket": "{ticket}"},
}

# Ownership names the thing that failed, so it reads as this case's, not a form's.
OWNERSHIP = {
    "en": [
        "That is our mistake on {topic}, and I am not going to dress it up.",
        "This one is on us: nobody else caused what happened with {topic}.",
        "We got {topic} wrong, and I take responsibility for it on behalf of the team.",
        "I am sorry about {topic}; it was our failure, plainly.",
        "There is no excuse for how we handled {topic}, and I will not offer one.",
    ],
    "es": [
        "Es un error nuestro con {topic}, y no voy a disfrazarlo.",
        "Esto es responsabilidad nuestra: nadie más causó lo ocurrido con {topic}.",
        "Nos equivocamos con {topic}, y asumo la responsabilidad en nombre del equipo.",
        "Lamento lo ocurrido con {topic}; fue un fallo nuestro, sin más.",
        "No hay excusa para cómo gestionamos {topic}, y no voy a buscar ninguna.",
    ],
}

# Empathy by tone: "angry" (the customer's words were very negative), "serious"
# (a severe case, or a negative tone), "calm" (the rest).
EMPATHY = {
    "en": {
        "angry": [
            "You had every reason to be angry, and you were right to tell us so directly.",
            "Reading your message, I understand why you are upset; I would be too.",
            "Your anger is fair, and it told us clearly how badly this went.",
            "I would have been just as annoyed in your place.",
        ],
        "serious": [
            "I know this cost you time and trouble you should never have had to spend.",
            "This was a serious let-down, and I understand the disruption it caused you.",
            "I can see how much this got in the way for you.",
            "Something like this shakes the trust you put in us, and I understand that.",
        ],
        "calm": [
            "I appreciate how clearly you explained it to us.",
            "I understand this was not what you expected from us.",
            "Even a small slip like this is one too many, and I get why it matters.",
            "I realise this took up time you had planned for other things.",
        ],
    },
    "es": {
        "angry": [
            "Tenía todos los motivos para enfadarse, e hizo bien en decírnoslo sin rodeos.",
            "Al leer su mensaje entiendo su enfado; yo también lo estaría.",
            "Su enfado es justo, y nos dejó claro lo mal que salió esto.",
            "En su lugar, yo me habría molestado igual.",
        ],
        "serious": [
            "Sé que esto le costó tiempo y molestias que nunca debió tener.",
            "Fue una decepción seria, y entiendo el trastorno que le causó.",
            "Veo cuánto le complicó esto las cosas.",
            "Algo así hace dudar de la confianza que puso en nosotros, y lo entiendo.",
        ],
        "calm": [
            "Le agradezco que nos lo explicara con tanta claridad.",
            "Entiendo que no es lo que esperaba de nosotros.",
            "Incluso un fallo pequeño como este es uno de más, y entiendo que importe.",
            "Me doy cuenta de que le quitó un tiempo que tenía para otras cosas.",
        ],
    },
}

FIXES = {
    "en": {
        "late_delivery": [
            "I have checked with the carrier where {topic} went wrong and flagged your account so your next orders are watched until they reach you.",
            "I have raised the delay on {topic} with our shipping team so the cause is found, not just this parcel.",
        ],
        "long_wait": [
            "I have taken {ticket} myself so it no longer sits in a queue.",
            "{ticket} is now with me personally, and it will not wait again.",
        ],
        "overcharge": [
            "I have corrected the charge behind {ticket} so it cannot repeat on your next bill.",
            "Our billing team has fixed the error that caused the extra charge on {topic}.",
        ],
        "defective_product": [
            "I have reported the fault in {topic} to our product team, so they can trace it.",
            "I have logged the fault in {topic} so the batch it came from is checked.",
        ],
        "technical_difficulty": [
            "Our engineers have looked into the fault behind {ticket} and I am following it until it is closed.",
            "I have passed the details of {ticket} to our technical team and I am watching the fix myself.",
        ],
        "poor_support": [
            "I have read the whole conversation on {ticket} and taken it over myself.",
            "I have gone through {ticket} with the team, and it is now with me.",
        ],
        "generic": [
            "I have read through everything on {ticket} and taken it over myself.",
            "I have gone through what happened on {ticket}, and it is now in my hands.",
        ],
    },
    "es": {
        "late_delivery": [
            "He revisado con el transportista dónde falló {topic} y he marcado su cuenta para vigilar sus próximos pedidos hasta que le lleguen.",
            "He comunicado el retraso de {topic} a nuestro equipo de envíos para que encuentren la causa, no solo este paquete.",
        ],
        "long_wait": [
            "Me he hecho cargo de {ticket} personalmente para que no siga esperando en una cola.",
            "{ticket} está ahora conmigo, y no volverá a esperar.",
        ],
        "overcharge": [
            "He corregido el cargo de {ticket} para que no se repita en su próxima factura.",
            "Nuestro equipo de facturación ha corregido el error que causó el cargo de más en {topic}.",
        ],
        "defective_product": [
            "He informado del fallo de {topic} a nuestro equipo de producto, para que puedan rastrearlo.",
            "He registrado el fallo de {topic} para que revisen el lote del que salió.",
        ],
        "technical_difficulty": [
            "Nuestros ingenieros han revisado el fallo de {ticket} y yo lo sigo hasta que quede cerrado.",
            "He pasado los detalles de {ticket} a nuestro equipo técnico y sigo el arreglo personalmente.",
        ],
        "poor_support": [
            "He leído toda la conversación de {ticket} y me he hecho cargo.",
            "He revisado {ticket} con el equipo, y ahora está conmigo.",
        ],
        "generic": [
            "He leído todo lo que hay en {ticket} y me he hecho cargo personalmente.",
            "He revisado lo ocurrido en {ticket}, y ahora está en mis manos.",
        ],
    },
}

OFFERS = {
    "en": [
        "To make up for it, I would like to offer you {offer}.",
        "I would also like to put something right beyond the fix: {offer}.",
        "As a way of making amends, we are offering you {offer}.",
    ],
    "es": [
        "Para compensarlo, me gustaría ofrecerle {offer}.",
        "Además del arreglo, quiero compensarle con {offer}.",
        "Como reparación, le ofrecemos {offer}.",
    ],
}

# No compensation: still an offer of something concrete.
OFFERS_NONE = {
    "en": [
        "If this cost you anything else, reply to this message and I will look at it personally.",
        "If any of this left you out of pocket, tell me and I will see to it myself.",
    ],
    "es": [
        "Si esto le supuso algún otro gasto, responda a este mensaje y lo revisaré personalmente.",
        "Si algo de esto le costó dinero, dígamelo y me ocuparé yo mismo.",
    ],
}

# {offer} wording per compensation kind; {amount} already formatted.
OFFER_KINDS = {
    "en": {
        "refund": "a full refund of {amount}",
        "partial_refund": "a refund of {amount}",
        "credit": "a credit of {amount} on your account",
        "account_credit": "a credit of {amount} on your account",
        "voucher": "a voucher worth {amount}",
        "discount": "a discount of {amount} on your next order",
        "free_month": "a free month of your plan",
        "replacement": "a replacement, sent at our cost",
        "upgrade": "a free upgrade",
        "gesture": "a goodwill gesture of {amount}",
    },
    "es": {
        "refund": "el reembolso completo de {amount}",
        "partial_refund": "un reembolso de {amount}",
        "credit": "un crédito de {amount} en su cuenta",
        "account_credit": "un crédito de {amount} en su cuenta",
        "voucher": "un vale de {amount}",
        "discount": "un descuento de {amount} en su próximo pedido",
        "free_month": "un mes gratis de su plan",
        "replacement": "una sustitución, enviada a nuestro cargo",
        "upgrade": "una mejora gratuita",
        "gesture": "un detalle de {amount}",
    },
}

NEXT_STEPS = {
    "en": [
        "I will write to you again by {when} to confirm {topic} is all settled.",
        "You will hear from me about {topic} by {when}, with everything confirmed.",
        "By {when} I will check back with you to make sure {topic} is fully resolved.",
    ],
    "es": [
        "Le volveré a escribir antes del {when} para confirmarle que {topic} está resuelto.",
        "Tendrá noticias mías sobre {topic} antes del {when}, con todo confirmado.",
        "Antes del {when} me pondré en contacto con usted para asegurarme de que {topic} está resuelto.",
    ],
}

THANKS = {
    "en": [
        "Thank you, {name}, for giving us the chance to put this right.",
        "Thank you for telling us, {name}; it helps us fix this for others too.",
        "I am grateful you took the time to write to us, {name}.",
    ],
    "es": [
        "Gracias, {name}, por darnos la oportunidad de arreglarlo.",
        "Gracias por contárnoslo, {name}; nos ayuda a evitar que le pase a otros.",
        "Le agradezco que se tomara el tiempo de escribirnos, {name}.",
    ],
}

SIGNATURES = {
    "en": "{agent}, customer care",
    "es": "{agent}, atención al cliente",
}

TEAM = {"en": "Customer care", "es": "Atención al cliente"}

WEEKDAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "es": ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"],
}
MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    "es": [
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ],
}
WHEN = {
    "en": "{weekday} {day} {month} at {time} ({zone})",
    "es": "{weekday} {day} de {month} a las {time} ({zone})",
}
