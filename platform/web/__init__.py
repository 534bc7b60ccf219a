"""HTML pages: controllers render frontend/templates and call the domain services."""

from litestar import Router

from fachaustausch.web.account import AccountPages
from fachaustausch.web.auth import AuthPages
from fachaustausch.web.consultations import ConsultationPages
from fachaustausch.web.credentials import CredentialPages, RecoveryPages
from fachaustausch.web.events import EventPages
from fachaustausch.web.flags import FlagPages
from fachaustausch.web.invitations import InvitationPages
from fachaustausch.web.moderation import ModerationPages
from fachaustausch.web.my_data import MyDataPages
from fachaustausch.web.notifications import (
    NotificationPages,
    NotificationSettingsPages,
    remember_viewer,
    unread_count_into_page,
)
from fachaustausch.web.pages import HomePage, InfoPages
from fachaustausch.web.people import PeoplePages
from fachaustausch.web.people_admin import PersonAdminPages
from fachaustausch.web.questions import AnswerPages, QuestionPages
from fachaustausch.web.review import ReviewPages
from fachaustausch.web.search import SearchPages
from fachaustausch.web.self_assessment import SelfAssessmentPages
from fachaustausch.web.self_assessment_admin import SelfAssessmentAdminPages
from fachaustausch.web.toolbox import ToolboxPages
from fachaustausch.web.toolbox_admin import ToolboxUpkeepPages

web_router = Router(
    path="/",
    route_handlers=[
        AuthPages,
        RecoveryPages,
        CredentialPages,
        AccountPages,
        ToolboxUpkeepPages,
        ToolboxPages,
        ModerationPages,
        FlagPages,
        HomePage,
        InfoPages,
        QuestionPages,
        AnswerPages,
        SearchPages,
        ConsultationPages,
        PeoplePages,
        PersonAdminPages,
        MyDataPages,
        InvitationPages,
        SelfAssessmentPages,
        SelfAssessmentAdminPages,
        NotificationPages,
        NotificationSettingsPages,
        EventPages,
        ReviewPages,
    ],
    # The header of every page shows the unread notifications.
    middleware=[remember_viewer],
    after_request=unread_count_into_page,
    include_in_schema=False,
)

__all__ = ["web_router"]
