"""The JSON API under /api/v1: controllers translate HTTP to service calls and back."""

from litestar import Router

from fachaustausch.api.auth import AuthController
from fachaustausch.api.consultations import ConsultationController
from fachaustausch.api.directory import DirectoryController
from fachaustausch.api.events import CalendarFeedController, EventController
from fachaustausch.api.health import health
from fachaustausch.api.me import MeController, TokenController
from fachaustausch.api.moderation import (
    FlagController,
    ModerationController,
    ToolboxUpkeepController,
)
from fachaustausch.api.notifications import NotificationController
from fachaustausch.api.parameters import refuse_repeated_parameters
from fachaustausch.api.people import PeopleController
from fachaustausch.api.privacy import check_personal_data
from fachaustausch.api.questions import AnswerController, QuestionController
from fachaustausch.api.review import ContentReviewController, LegalChangeController
from fachaustausch.api.search import SearchController
from fachaustausch.api.self_assessment import SelfAssessmentController

api_router = Router(
    path="/api/v1",
    route_handlers=[
        AuthController,
        MeController,
        TokenController,
        DirectoryController,
        PeopleController,
        ModerationController,
        QuestionController,
        AnswerController,
        SearchController,
        ConsultationController,
        check_personal_data,
        FlagController,
        ToolboxUpkeepController,
        SelfAssessmentController,
        NotificationController,
        EventController,
        CalendarFeedController,
        LegalChangeController,
        ContentReviewController,
    ],
    middleware=[refuse_repeated_parameters],
)

__all__ = ["api_router", "health"]
