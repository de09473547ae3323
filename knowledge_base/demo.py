"""Demo knowledge-base content for `seed_demo`. Idempotent: categories and
articles are looked up by slug and only the missing ones are created."""

from typing import Any

from knowledge_base import services
from knowledge_base.models import Article, ArticleStatus

CATEGORIES = [
    ("account", "Account and access", "Signing in, passwords and your profile.", 10),
    ("billing", "Billing and payments", "Invoices, refunds and ways to pay.", 20),
    ("shipping", "Orders and shipping", "Tracking, delivery times and damaged parcels.", 30),
    ("troubleshooting", "Troubleshooting", "When something does not work as it should.", 40),
]

# (category, slug, name, position)
SECTIONS = [
    ("account", "sign-in", "Signing in", 10),
    ("account", "profile", "Your profile", 20),
    ("billing", "invoices-payments", "Invoices and payments", 10),
    ("billing", "refunds", "Refunds", 20),
    ("shipping", "delivery", "Delivery", 10),
    ("shipping", "problems", "Problems with an order", 20),
]
# article slug -> section slug (within the article's category)
ARTICLE_SECTIONS = {
    "reset-your-password": "sign-in",
    "restablecer-contrasena": "sign-in",
    "two-factor-authentication": "sign-in",
    "change-account-email": "profile",
    "understanding-your-invoice": "invoices-payments",
    "metodos-de-pago": "invoices-payments",
    "request-a-refund": "refunds",
    "refund-approval-limits": "refunds",
    "track-your-order": "delivery",
    "plazos-de-entrega-internacionales": "delivery",
    "damaged-order": "problems",
    "returns-policy-changes": "problems",
}
# translation slug -> original slug
TRANSLATIONS = {"restablecer-contrasena": "reset-your-password"}
# pairs of hand-picked related articles
RELATED = [
    ("reset-your-password", "two-factor-authentication"),
    ("damaged-order", "request-a-refund"),
]

# (slug, category, language, title, status, internal, tags, body)
ARTICLES: list[tuple[str, str, str, str, str, bool, list[str], str]] = [
    (
        "reset-your-password",
        "account",
        "en",
        "How to reset your password",
        ArticleStatus.PUBLISHED,
        False,
        ["password", "login"],
        """Forgot your password? You can set a new one in a couple of minutes.

1. Go to the **Log in** page and choose **Forgot your password?**
2. Enter the email address you use for your account.
3. Open the email we send you and follow the link. The link works for three hours.
4. Choose a new password of at least eight characters and confirm it.

## The email did not arrive

- Check your spam or junk folder for a message from *support@example.com*.
- Make sure you typed the address you signed up with.
- Wait five minutes and try again; each new request cancels the previous link.

If you still cannot reset your password, [contact us](/portal/) and we will help
you get back into your account.
""",
    ),
    (
        "restablecer-contrasena",
        "account",
        "es",
        "Cómo restablecer tu contraseña",
        ArticleStatus.PUBLISHED,
        False,
        ["contraseña", "acceso"],
        """¿Olvidaste tu contraseña? Puedes crear una nueva en un par de minutos.

1. Ve a la página de **Iniciar sesión** y elige **¿Olvidaste tu contraseña?**
2. Escribe la dirección de correo electrónico de tu cuenta.
3. Abre el correo que te enviamos y sigue el enlace. El enlace caduca a las tres horas.
4. Elige una contraseña nueva de al menos ocho caracteres y confírmala.

## No me llega el correo

- Revisa la carpeta de correo no deseado.
- Comprueba que escribiste la dirección con la que te registraste.
- Espera cinco minutos y vuelve a intentarlo.
""",
    ),
    (
        "two-factor-authentication",
        "account",
        "en",
        "Turning on two-factor authentication",
        ArticleStatus.PUBLISHED,
        False,
        ["security", "login"],
        """Two-factor authentication (2FA) protects your account even if someone learns
your password.

1. Open **Profile → Security**.
2. Choose **Turn on two-factor authentication**.
3. Scan the QR code with an authenticator app such as Aegis, 1Password or Google Authenticator.
4. Type the six-digit code the app shows, then save your recovery codes somewhere safe.

Lost your phone? Use one of your recovery codes to log in, then set up 2FA again.
""",
    ),
    (
        "change-account-email",
        "account",
        "en",
        "Changing the email address on your account",
        ArticleStatus.PUBLISHED,
        False,
        ["profile", "email"],
        """You can change the address you log in with at any time.

1. Open **Profile → Account details**.
2. Enter the new address and your current password.
3. Confirm the change from the email we send to the **new** address.

Until you confirm, you keep logging in with the old address. Receipts and ticket
updates go to the new address once it is confirmed.
""",
    ),
    (
        "understanding-your-invoice",
        "billing",
        "en",
        "Understanding your invoice",
        ArticleStatus.PUBLISHED,
        False,
        ["invoice", "billing"],
        """Every invoice lists:

| Line | What it means |
| --- | --- |
| Subtotal | The price of the items before tax |
| Shipping | Delivery cost for the order |
| Tax | VAT or sales tax for your region |
| Total | What we charged to your payment method |

Invoices are in **Profile → Orders**. Each one can be downloaded as a PDF. If a charge
looks wrong, open a ticket with the invoice number and we will check it the same day.
""",
    ),
    (
        "request-a-refund",
        "billing",
        "en",
        "Requesting a refund",
        ArticleStatus.PUBLISHED,
        False,
        ["refund", "billing", "returns"],
        """You can ask for a refund within 30 days of delivery.

1. Open the order in **Profile → Orders**.
2. Choose **Request a refund** and tell us why.
3. If we need the item back, we email you a prepaid return label.

Refunds go back to the original payment method. Card refunds take **3 to 5 business days**
to appear on your statement after we approve them.
""",
    ),
    (
        "metodos-de-pago",
        "billing",
        "es",
        "Métodos de pago aceptados",
        ArticleStatus.PUBLISHED,
        False,
        ["pagos", "facturación"],
        """Aceptamos las siguientes formas de pago:

- Tarjetas de crédito y débito Visa, Mastercard y American Express
- PayPal
- Transferencia bancaria para pedidos de empresa

El cobro se realiza cuando enviamos el pedido. Si un pago aparece dos veces en tu
extracto, normalmente es una retención temporal que tu banco libera en pocos días.
""",
    ),
    (
        "track-your-order",
        "shipping",
        "en",
        "Tracking your order",
        ArticleStatus.PUBLISHED,
        False,
        ["order", "delivery", "tracking"],
        """As soon as your order leaves our warehouse we email you a tracking number.

- Follow the link in the email, or open **Profile → Orders** and choose **Track**.
- Tracking can take up to 24 hours to show the first scan.
- Most orders arrive within **2 to 4 business days** in the mainland.

If the tracking has not changed for five days, open a ticket with your order number and
we will chase the carrier for you.
""",
    ),
    (
        "damaged-order",
        "shipping",
        "en",
        "What to do if your order arrives damaged",
        ArticleStatus.PUBLISHED,
        False,
        ["damaged", "returns", "order"],
        """We are sorry! Here is how we put it right quickly:

1. Take a photo of the damaged item and of the box it came in.
2. Open a ticket within 14 days of delivery and attach the photos.
3. Tell us whether you prefer a replacement or a refund.

You do not need to send the item back unless we ask. Replacements ship within one business day.
""",
    ),
    (
        "plazos-de-entrega-internacionales",
        "shipping",
        "es",
        "Plazos de entrega internacionales",
        ArticleStatus.PUBLISHED,
        False,
        ["envío", "internacional"],
        """Los pedidos internacionales suelen tardar entre **5 y 10 días hábiles**.

- Los gastos de aduana e impuestos de importación corren a cargo del destinatario.
- Recibirás un número de seguimiento cuando el pedido salga del almacén.
- Si el paquete queda retenido en aduanas, abre un ticket y te ayudaremos con la documentación.
""",
    ),
    (
        "app-will-not-load",
        "troubleshooting",
        "en",
        "The website or app will not load",
        ArticleStatus.PUBLISHED,
        False,
        ["troubleshooting", "browser"],
        """Most loading problems are fixed by one of these steps:

1. Reload the page, or close and reopen the app.
2. Clear your browser's cache and cookies for our site.
3. Try another browser or a private window to rule out an extension.
4. Check our status page for a known outage.

Still stuck? Open a ticket and include your browser or app version and a screenshot
of any error message.
""",
    ),
    (
        "refund-approval-limits",
        "billing",
        "en",
        "Refund and goodwill approval limits (agents)",
        ArticleStatus.PUBLISHED,
        True,
        ["refund", "compensation", "internal"],
        """Internal guidance for agents.

| Role | May approve without a manager |
| --- | --- |
| Agent | Refunds up to 100 EUR, goodwill credit up to 20 EUR |
| Team lead | Refunds up to 500 EUR, goodwill credit up to 75 EUR |
| Manager | Any amount |

Always note the reason in an internal note on the ticket before you approve.
""",
    ),
    (
        "escalating-an-outage",
        "troubleshooting",
        "en",
        "Escalating a suspected outage (agents)",
        ArticleStatus.PUBLISHED,
        True,
        ["outage", "escalation", "internal"],
        """When three or more customers report the same failure within an hour:

1. Tag the tickets `outage` and link them in an internal note.
2. Page the on-call engineer through the incident channel.
3. Post a holding reply: acknowledge the problem, do not promise a time.

Managers decide on proactive compensation once the incident is closed.
""",
    ),
    (
        "returns-policy-changes",
        "shipping",
        "en",
        "Upcoming changes to our returns policy",
        ArticleStatus.DRAFT,
        False,
        ["returns"],
        """Draft: from next quarter the returns window grows from 30 to 45 days.""",
    ),
]


def seed_articles(*, author: Any) -> int:
    """Creates the demo categories, sections and articles that do not exist yet;
    returns how many articles it created."""
    categories = {
        slug: services.category_get_or_create(
            slug=slug, name=name, description=description, position=position
        )
        for slug, name, description, position in CATEGORIES
    }
    sections = {
        (category, slug): services.section_get_or_create(
            category=categories[category], slug=slug, name=name, position=position
        )
        for category, slug, name, position in SECTIONS
    }
    existing = set(
        Article.objects.filter(slug__in=[row[0] for row in ARTICLES]).values_list("slug", flat=True)
    )
    created: dict[str, Article] = {}
    # Originals first, so translations have something to point at.
    rows = sorted(ARTICLES, key=lambda row: row[0] in TRANSLATIONS)
    for slug, category, language, title, status, internal, tags, body in rows:
        if slug in existing:
            continue
        original_slug = TRANSLATIONS.get(slug)
        original = (
            created.get(original_slug) or Article.objects.filter(slug=original_slug).first()
            if original_slug
            else None
        )
        section_slug = ARTICLE_SECTIONS.get(slug)
        created[slug] = services.article_create(
            actor=author,
            category=categories[category],
            section=sections.get((category, section_slug)) if section_slug else None,
            slug=slug,
            title=title,
            body=body,
            language=language,
            status=status,
            internal=internal,
            tags=tags,
            translation_of=original,
        )
    for one, other in RELATED:
        if one in created or other in created:
            pair = Article.objects.filter(slug__in=[one, other])
            if len(pair) == 2:
                first, second = pair
                services.article_set_related(
                    actor=author, article=first, related=[*first.related.all(), second]
                )
    return len(created)
