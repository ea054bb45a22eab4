"""The pages of reviews, the ASB Case Review, the closure survey and complaints: each views module
holds its own ``urlpatterns``."""

app_name = "reviews"

urlpatterns: list = []
