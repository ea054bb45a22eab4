"""The pages of reviews, the ASB Case Review, closure and complaints, and the survey: each views
module holds its own ``urlpatterns``."""

from haven.reviews.views import case_review, closure, quality, reviews, survey

app_name = "reviews"

urlpatterns = [
    *reviews.urlpatterns,
    *case_review.urlpatterns,
    *closure.urlpatterns,
    *survey.urlpatterns,
    *quality.urlpatterns,
]
