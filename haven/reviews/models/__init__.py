"""Reviews, the ASB Case Review, the closure survey and complaints (issue 7). ``reviews``: case
reviews (WWH 5.0), casework quality reviews (whg 3.5) and persistent report decisions (emh 7.8);
``case_review``: the ASB Case Review (Community Trigger, 2014 Act s104); ``feedback``: the
satisfaction survey at closure (whg 3.3) and complaints (whg 3.6-3.7)."""

from haven.reviews.models.case_review import (
    AgencyComplaint,
    ApplicationRoute,
    CaseReviewApplication,
    CaseReviewRecommendation,
    RightToReviewNotice,
    ThresholdDecision,
)
from haven.reviews.models.feedback import (
    Complaint,
    ComplaintAbout,
    ComplaintStatus,
    SurveyChannel,
    SurveyInvitation,
    SurveyResponse,
    SurveyVia,
)
from haven.reviews.models.reviews import (
    Conclusion,
    PersistentDecision,
    PersistentReportDecision,
    QualityAnswer,
    QualityReview,
    Review,
)

__all__ = [
    "AgencyComplaint", "ApplicationRoute", "CaseReviewApplication", "CaseReviewRecommendation", "Complaint",
    "ComplaintAbout", "ComplaintStatus", "Conclusion", "PersistentDecision", "PersistentReportDecision",
    "QualityAnswer", "QualityReview", "Review", "RightToReviewNotice", "SurveyChannel", "SurveyInvitation",
    "SurveyResponse", "SurveyVia", "ThresholdDecision",
]  # fmt: skip
