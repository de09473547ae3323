"""`manage.py seed_demo [--tickets N] [--seed S] [--if-empty]`: the demo data.

Idempotent: people are found by email, and only the tickets missing to reach
N are added, so running it twice changes nothing. Tickets are filed and
worked through the same services as real ones, then moved back in time so
they spread over the past year.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import Availability, Organisation, Role, Team, Tier, User
from knowledge_base import demo as kb_demo
from recovery import demo as recovery_demo
from sla import demo as sla_demo
from surveys import demo as surveys_demo
from tickets import services
from tickets.models import Category, Channel, Message, Priority, Status, Ticket, TicketEvent

PASSWORD = "demo"

ORGANISATIONS = [
    ("Northwind Traders", "northwind.example", False),
    ("Globex Corporation", "globex.example", True),
    ("Initech", "initech.example", False),
]

LOGINS = [
    # email, name, role, organisation index, language, tier
    ("customer@example.com", "Casey Customer", Role.CUSTOMER, 0, "en", Tier.GOLD),
    ("other@example.com", "Olivia Other", Role.CUSTOMER, 1, "en", Tier.STANDARD),
    ("agent@example.com", "Alex Agent", Role.AGENT, None, "en", Tier.STANDARD),
    ("lead@example.com", "Lee Lead", Role.LEAD, None, "en", Tier.STANDARD),
    ("manager@example.com", "Morgan Manager", Role.MANAGER, None, "en", Tier.STANDARD),
    ("admin@example.com", "Ada Admin", Role.ADMIN, None, "en", Tier.STANDARD),
]

CUSTOMERS = [
    ("Jane Doe", "en", Tier.STANDARD),
    ("Ravi Patel", "en", Tier.GOLD),
    ("María García", "es", Tier.PLATINUM),
    ("Tom Becker", "en", Tier.STANDARD),
    ("Lucía Fernández", "es", Tier.STANDARD),
    ("Chen Wei", "en", Tier.GOLD),
    ("Amara Okafor", "en", Tier.STANDARD),
    ("Diego Torres", "es", Tier.GOLD),
    ("Hannah Schmidt", "en", Tier.STANDARD),
    ("Yuki Tanaka", "en", Tier.PLATINUM),
    ("Pablo Ruiz", "es", Tier.STANDARD),
    ("Grace Kim", "en", Tier.STANDARD),
]

AGENTS = [
    ("sam@example.com", "Sam Rivera", "Support", ["account", "general"], ["en", "es"], True),
    ("priya@example.com", "Priya Shah", "Billing", ["billing", "overcharge"], ["en"], False),
    ("noah@example.com", "Noah Jensen", "Technical", ["technical_difficulty"], ["en"], True),
    (
        "lena@example.com",
        "Lena Ortiz",
        "Support",
        ["shipping", "late_delivery"],
        ["es", "en"],
        False,
    ),
]

TEAMS = ["Support", "Billing", "Technical"]

# subject, first message, category
STORIES = [
    (
        "I can't log in to my account",
        "Since this morning the login page says my password is wrong, but I haven't changed it.",
        Category.ACCOUNT,
    ),
    (
        "Charged twice for order {order}",
        "My card statement shows two charges of ${amount} for order "
        "{order}. Please refund the duplicate.",
        Category.OVERCHARGE,
    ),
    (
        "Order {order} still hasn't arrived",
        "The tracking page has said 'in transit' for {days} days. It was promised for last week.",
        Category.LATE_DELIVERY,
    ),
    (
        "Blender stopped working after a week",
        "The blender I bought (order {order}) makes a burning smell and stops after a few seconds.",
        Category.DEFECTIVE_PRODUCT,
    ),
    (
        "App crashes when I export a report",
        "Every time I press Export the app closes. I need the report for a meeting tomorrow.",
        Category.TECHNICAL_DIFFICULTY,
    ),
    (
        "How do I change my billing address?",
        "We moved offices; where do I update the address on invoices?",
        Category.BILLING,
    ),
    (
        "The last agent hung up on me",
        "I called yesterday and was transferred three times, then the call "
        "dropped. Nobody called back.",
        Category.POOR_SUPPORT,
    ),
    (
        "Feature idea: dark mode",
        "Would love a dark theme for the dashboard.",
        Category.FEATURE_REQUEST,
    ),
    (
        "Where is my invoice for March?",
        "I can't find the March invoice in my account.",
        Category.BILLING,
    ),
    (
        "No puedo restablecer mi contraseña",
        "El enlace para restablecer la contraseña dice que ha caducado.",
        Category.ACCOUNT,
    ),
    (
        "Pedido {order} llegó dañado",
        "La caja llegó abierta y el producto está roto.",
        Category.DEFECTIVE_PRODUCT,
    ),
    (
        "Question about delivery times",
        "How long does shipping to Canada usually take?",
        Category.SHIPPING,
    ),
]

REPLIES = [
    "Thanks for the details — I've looked into it and I'm on it now.",
    "I've checked your account and found the cause. Here is what I've done so far.",
    "Could you send a photo of the item and the order number on the packing slip?",
    "This is fixed on our side; could you try again and let me know?",
]

NOTES = [
    "Checked the payment gateway log: duplicate capture confirmed.",
    "Carrier says the parcel is stuck at the depot. Escalating with them.",
    "Known bug in export, engineering ticket ENG-2211.",
]

STATUS_MIX = [
    Status.NEW,
    Status.OPEN,
    Status.OPEN,
    Status.PENDING,
    Status.ON_HOLD,
    Status.SOLVED,
    Status.SOLVED,
    Status.SOLVED,
    Status.CLOSED,
    Status.CLOSED,
]


class Command(BaseCommand):
    help = (
        "Create (idempotently) the demo organisation, people, tickets, articles, cases and surveys."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--tickets", type=int, default=200, help="How many demo tickets (default 200)."
        )
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when tickets already exist."
        )

    def handle(self, *args, tickets: int, seed: int, if_empty: bool, **options):
        if if_empty and Ticket.objects.exists():
            self.stdout.write("Tickets exist already; demo data left as it is.")
            return
        rng = random.Random(seed)
        people = self._people(rng)
        policies = sla_demo.seed_policies()
        articles = kb_demo.seed_articles(author=people["agent@example.com"])
        created = self._tickets(rng, people, tickets)
        demo_tickets = list(
            Ticket.objects.filter(requester__in=people["customers"])
            .select_related("requester")
            .order_by("pk")
        )
        cases = recovery_demo.seed_cases(
            tickets=demo_tickets, agent=people["agent@example.com"], rng=rng
        )
        responses = surveys_demo.seed_responses(tickets=demo_tickets, rng=rng)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(demo_tickets)} tickets ({created} new), {policies} new SLA policies, "
                f"{articles} articles, "
                f"{cases} recovery cases, {responses} survey responses. "
                f"Log in as customer@, other@, agent@, lead@, manager@ or admin@example.com "
                f"with password '{PASSWORD}'."
            )
        )

    # --- people -------------------------------------------------------------

    def _user(self, email: str, **fields) -> User:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User.objects.create_user(email, password=PASSWORD, **fields)
        return user

    def _people(self, rng: random.Random) -> dict:
        organisations = []
        for name, domain, shares in ORGANISATIONS:
            organisation, _ = Organisation.objects.get_or_create(
                name=name, defaults={"domain": domain, "shares_tickets": shares}
            )
            organisations.append(organisation)
        teams = {name: Team.objects.get_or_create(name=name)[0] for name in TEAMS}

        people: dict = {}
        for email, name, role, org_index, language, tier in LOGINS:
            fields = {"full_name": name, "role": role, "language": language, "tier": tier}
            if org_index is not None:
                fields["organisation"] = organisations[org_index]
                fields["lifetime_value"] = Decimal("1250.00")
            if role != Role.CUSTOMER:
                fields.update(availability=Availability.ONLINE, languages=["en"])
            if role == Role.ADMIN:
                fields.update(is_staff=True, is_superuser=True)
            people[email] = self._user(email, **fields)
        support = teams["Support"]
        if support.lead_id is None:
            support.lead = people["lead@example.com"]
            support.save(update_fields=["lead"])
        for email in ("agent@example.com", "lead@example.com"):
            people[email].teams.add(support)

        agents = [people["agent@example.com"], people["lead@example.com"]]
        for email, name, team, skills, languages, senior in AGENTS:
            agent = self._user(
                email,
                full_name=name,
                role=Role.AGENT,
                skills=skills,
                languages=languages,
                is_senior=senior,
                availability=Availability.ONLINE,
            )
            agent.teams.add(teams[team])
            agents.append(agent)

        customers = [people["customer@example.com"], people["other@example.com"]]
        for index, (name, language, tier) in enumerate(CUSTOMERS):
            organisation = organisations[index % len(organisations)]
            email = f"{name.split()[0].lower().replace('í', 'i').replace('á', 'a')}@{organisation.domain}"
            customers.append(
                self._user(
                    email,
                    full_name=name,
                    role=Role.CUSTOMER,
                    organisation=organisation,
                    language=language,
                    tier=tier,
                    lifetime_value=Decimal(rng.randrange(50, 8000)),
                    time_zone=rng.choice(
                        ["Europe/Madrid", "America/New_York", "Europe/London", "UTC"]
                    ),
                )
            )
        people.update(agents=agents, customers=customers, teams=teams)
        return people

    # --- tickets --------------------------------------------------------------

    def _tickets(self, rng: random.Random, people: dict, wanted: int) -> int:
        existing = Ticket.objects.filter(requester__in=people["customers"]).count()
        missing = max(0, wanted - existing)
        now = timezone.now()
        channels = list(Channel.values)
        teams = list(people["teams"].values())
        for number in range(existing, existing + missing):
            # The two demo logins get a share of tickets each, so their portals are lively.
            if number % 5 == 0:
                requester = people["customers"][number % 2]
            else:
                requester = rng.choice(people["customers"])
            subject, body, category = STORIES[number % len(STORIES)]
            facts = {
                "order": f"A-{rng.randrange(10000, 99999)}",
                "amount": rng.randrange(15, 400),
                "days": rng.randrange(2, 15),
            }
            status = STATUS_MIX[number % len(STATUS_MIX)]
            age = (
                timedelta(days=rng.uniform(0, 365))
                if number > 8
                else timedelta(hours=rng.uniform(1, 48))
            )
            self._one_ticket(
                rng=rng,
                requester=requester,
                agents=people["agents"],
                team=rng.choice(teams),
                subject=subject.format(**facts),
                body=body.format(**facts),
                category=category,
                channel=channels[number % len(channels)],
                status=status,
                opened_at=now - age,
            )
        return missing

    @transaction.atomic
    def _one_ticket(
        self, *, rng, requester, agents, team, subject, body, category, channel, status, opened_at
    ):
        agent = rng.choice(agents)
        ticket = services.ticket_create(
            actor=requester if channel in (Channel.WEB, Channel.EMAIL, Channel.CHAT) else agent,
            requester=requester,
            subject=subject,
            body=body,
            channel=channel,
        )
        triage = {"priority": rng.choice(Priority.values), "team": team}
        if category != Category.GENERAL:
            triage["category"] = category
        if status != Status.NEW:
            triage["assignee"] = agent
        services.ticket_update(actor=agent, ticket=ticket, **triage)
        if status != Status.NEW:
            if rng.random() < 0.4:
                services.message_add(
                    actor=agent, ticket=ticket, body=rng.choice(NOTES), internal=True
                )
            services.message_add(actor=agent, ticket=ticket, body=rng.choice(REPLIES))
            if rng.random() < 0.5:
                services.message_add(actor=requester, ticket=ticket, body="Thank you, that helps.")
            if status != Status.OPEN:
                if status == Status.CLOSED:
                    services.ticket_update(actor=agent, ticket=ticket, status=Status.SOLVED)
                services.ticket_update(actor=agent, ticket=ticket, status=status)
        # Historical mail: never send it.
        Message.objects.filter(ticket=ticket).update(emailed_at=opened_at)
        self._backdate(ticket, opened_at, rng)

    def _backdate(self, ticket: Ticket, opened_at, rng) -> None:
        """Moves every row of the ticket so its story starts at `opened_at`, in the same order."""
        ticket.refresh_from_db(fields=["status"])
        rows = (
            Message.objects.filter(ticket=ticket).count()
            + TicketEvent.objects.filter(ticket=ticket).count()
        )
        # Spread the story out, but never into the future.
        step = min(
            timedelta(minutes=rng.randrange(20, 600)), (timezone.now() - opened_at) / (rows + 1)
        )
        times = []
        for model in (Message, TicketEvent):
            rows = list(model.objects.filter(ticket=ticket).order_by("created_at", "id"))
            for index, row in enumerate(rows):
                row.created_at = opened_at + step * index
            model.objects.bulk_update(rows, ["created_at"])
            times += [row.created_at for row in rows]
        first_reply = (
            Message.objects.filter(ticket=ticket, internal=False)
            .exclude(author_id=ticket.requester_id)
            .order_by("created_at")
            .values_list("created_at", flat=True)
            .first()
        )
        last = max(times)
        Ticket.objects.filter(pk=ticket.pk).update(
            created_at=opened_at,
            updated_at=last,
            first_replied_at=first_reply,
            solved_at=last if ticket.status in (Status.SOLVED, Status.CLOSED) else None,
        )
