from portal.models.account_mapping import YukiAccountMapping
from portal.models.audit import AuditLogEntry
from portal.models.completeness import CompletenessReadBack
from portal.models.domains import Administration, Domain
from portal.models.employers import AssignedEmployer
from portal.models.heartbeat import ServiceHeartbeat
from portal.models.imports import ImportRun, RunStatus, RunTrigger
from portal.models.ledger import EntryState, EventKind, LedgerEntry, LedgerEvent
from portal.models.login_failures import LoginFailure
from portal.models.notices import Notice, NoticeLevel
from portal.models.profiles import Language, UserProfile
from portal.models.roles import DomainMembership, PortalMembership, PortalRole
from portal.models.settings import ImportSettings, PortalSettings
from portal.models.yuki import YukiCallCount, YukiSession

__all__ = [
    "Administration",
    "AssignedEmployer",
    "AuditLogEntry",
    "CompletenessReadBack",
    "Domain",
    "EntryState",
    "EventKind",
    "ImportRun",
    "LedgerEntry",
    "LedgerEvent",
    "LoginFailure",
    "Notice",
    "NoticeLevel",
    "RunStatus",
    "RunTrigger",
    "DomainMembership",
    "ImportSettings",
    "Language",
    "PortalMembership",
    "PortalRole",
    "PortalSettings",
    "ServiceHeartbeat",
    "UserProfile",
    "YukiAccountMapping",
    "YukiCallCount",
    "YukiSession",
]
