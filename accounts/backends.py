from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    """Email + password, case-insensitive on the email.

    ModelBackend already runs the hasher on unknown users, so response time
    does not reveal whether an account exists.
    """

    def authenticate(self, request, username=None, password=None, email=None, **kwargs):
        return super().authenticate(
            request, username=email or username, password=password, **kwargs
        )
