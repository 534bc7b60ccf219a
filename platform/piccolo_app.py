"""The one Piccolo app: every table, and the migrations folder outside the package.

Importing it routes every table, and Piccolo's own migration table, to the current
database (fachaustausch.database.context): the app and the CLI import it before their
first query."""

from piccolo.apps.migrations.tables import Migration
from piccolo.conf.apps import AppConfig

from fachaustausch.accounts.tables import (
    AccessToken,
    AccountSession,
    Authority,
    ConfirmationLink,
    User,
    UserInstrument,
)
from fachaustausch.assessment.tables import (
    AssessmentRound,
    Criterion,
    CriterionInstrument,
    CriterionVersion,
    DraftRating,
    RoundRating,
)
from fachaustausch.consultations.tables import (
    Consultation,
    ConsultationInstrument,
    ConsultationPost,
    Participant,
    PhaseTransition,
)
from fachaustausch.core.audit import AuditLog
from fachaustausch.core.events import DomainEvent
from fachaustausch.core.outbox import SearchOutbox
from fachaustausch.database.context import current_engine
from fachaustausch.database.piccolo_internals import route_tables
from fachaustausch.events.tables import (
    Event,
    EventInstrument,
    EventReminder,
    FeedToken,
    ProgrammeItem,
    Registration,
)
from fachaustausch.moderation.tables import Flag
from fachaustausch.notifications.tables import (
    DigestRun,
    MailOutbox,
    Notification,
    NotificationSetting,
    TopicFollow,
)
from fachaustausch.questions.tables import (
    Answer,
    Comment,
    Follow,
    Question,
    QuestionInstrument,
    Revision,
    Vote,
)
from fachaustausch.review.tables import (
    ContentReview,
    LegalChange,
    LegalChangeProvision,
    PostCitation,
    ReviewTask,
)
from fachaustausch.search.leases import SearchLease
from fachaustausch.settings import PROJECT_ROOT
from fachaustausch.toolbox.tables import (
    Cornerstone,
    Instrument,
    InstrumentOrigin,
    InstrumentRedirect,
)

APP_CONFIG = AppConfig(
    app_name="fachaustausch",
    migrations_folder_path=str(PROJECT_ROOT / "migrations" / "fachaustausch"),
    table_classes=[
        Authority,
        User,
        UserInstrument,
        AccessToken,
        AccountSession,
        ConfirmationLink,
        Cornerstone,
        Instrument,
        InstrumentOrigin,
        InstrumentRedirect,
        SearchOutbox,
        SearchLease,
        Question,
        QuestionInstrument,
        Answer,
        Comment,
        Vote,
        Revision,
        Follow,
        Consultation,
        ConsultationInstrument,
        Participant,
        ConsultationPost,
        PhaseTransition,
        Flag,
        AuditLog,
        Criterion,
        CriterionVersion,
        CriterionInstrument,
        DraftRating,
        AssessmentRound,
        RoundRating,
        DomainEvent,
        Notification,
        NotificationSetting,
        TopicFollow,
        MailOutbox,
        DigestRun,
        Event,
        EventInstrument,
        EventReminder,
        ProgrammeItem,
        Registration,
        FeedToken,
        PostCitation,
        LegalChange,
        LegalChangeProvision,
        ReviewTask,
        ContentReview,
    ],
)

route_tables([*APP_CONFIG.table_classes, Migration], current_engine)
