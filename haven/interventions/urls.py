"""The pages of interventions, legal action and partnership: each views module holds its own
``urlpatterns`` (toolkit: interventions and agreements; legal: legal actions; partnership:
referrals and partnership meetings; sharing: the information sharing log, sharing agreements and
cases opened from partner intelligence)."""

from haven.interventions.views import legal, partnership, sharing, toolkit

app_name = "interventions"

urlpatterns = [*toolkit.urlpatterns, *legal.urlpatterns, *partnership.urlpatterns, *sharing.urlpatterns]
