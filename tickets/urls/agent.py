app_name = "agent"
urlpatterns: list = []
