app_name = "kb"
urlpatterns: list = []
