"""factory_boy factories for the people and tickets tests need."""

import factory
from django.utils import timezone

from accounts.models import Organisation, Role, Team, User
from tickets.models import Channel, Message, Ticket

PASSWORD = "correct horse battery staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    domain = factory.Sequence(lambda n: f"org{n}.example.com")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    role = Role.CUSTOMER

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class CustomerFactory(UserFactory):
    role = Role.CUSTOMER
    organisation = factory.SubFactory(OrganisationFactory)


class AgentFactory(UserFactory):
    role = Role.AGENT
    email = factory.Sequence(lambda n: f"agent{n}@support.example.com")
    languages = factory.LazyFunction(lambda: ["en"])


class LeadFactory(AgentFactory):
    role = Role.LEAD


class ManagerFactory(AgentFactory):
    role = Role.MANAGER


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")


class TicketFactory(factory.django.DjangoModelFactory):
    """A ticket with its first customer message, made directly (not through services)."""

    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    subject = factory.Sequence(lambda n: f"Something is broken #{n}")
    requester = factory.SubFactory(CustomerFactory)
    organisation = factory.LazyAttribute(lambda t: t.requester.organisation)
    channel = Channel.WEB
    created_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def first_message(self, create, extracted, **kwargs):
        if create:
            Message.objects.create(
                ticket=self, author=self.requester, body=extracted or "Please help."
            )
