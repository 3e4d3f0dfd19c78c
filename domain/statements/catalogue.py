"""The statement types of procedures §2.1–§2.8 in catalogue order, without ``HistoricalRecordEntered``
(which wraps them) and without the kernel's ``KeyEnrolled`` / ``KeyRevoked``."""

from __future__ import annotations

from domain.statements.approvals import Announced, Approved, Filed, MemberNotified, PathWithdrawn, Rejected
from domain.statements.base import Body
from domain.statements.investigation import (
    ConductInvestigated,
    DisciplineRecorded,
    TalkHeld,
    ViolationReferred,
)
from domain.statements.kernel_org import (
    ActorRegistered,
    Attested,
    Corrected,
    ReviewCampaignOpened,
    UnitDissolved,
    UnitRegistered,
)
from domain.statements.member import (
    AbsenceRecorded,
    FullMembershipRecorded,
    MemberDataCorrected,
    ParticipationRecorded,
)
from domain.statements.path_acts import (
    CorrectionPeriodEnded,
    CorrectionPeriodSet,
    EducationSupportRecorded,
    OrganisationalLifeResumed,
    RestorationApplied,
    WithdrawalAdviceAnswered,
    WithdrawalAdvised,
    WithdrawalApplied,
)
from domain.statements.registration import MemberRegistered
from domain.statements.review import (
    AppealAnswered,
    AppealLodged,
    AppealReviewed,
    DispositionRevoked,
    LookBackRectified,
    LookBackReviewed,
    MaterialAttached,
)
from domain.statements.search import (
    ContactRestored,
    DeathConfirmed,
    LostContactConfirmed,
    OutOfControlListed,
    PocketMemberFlagged,
    SearchAttemptRecorded,
    UncontactableConfirmed,
)
from domain.statements.steps import (
    CommitteeOpinionGiven,
    GeneralMeetingResolved,
    GuidanceAttended,
    MemberSigned,
    PreReviewed,
    Reviewed,
    SignatureRefusalNoted,
)
from domain.statements.transfers import (
    MobileCertificateIssued,
    RelationReceived,
    RelationTransferred,
    TransferReissued,
)

#: §2.1: organisation, actors, corrections and co-signatures.
KERNEL_ORG: tuple[type[Body], ...] = (UnitRegistered, UnitDissolved, ActorRegistered, Corrected, Attested)

#: §2.2–§2.8 without ``HistoricalRecordEntered``, in catalogue order.
MEMBER_STREAM: tuple[type[Body], ...] = (
    ReviewCampaignOpened,
    MemberRegistered,
    MemberDataCorrected,
    FullMembershipRecorded,
    ParticipationRecorded,
    AbsenceRecorded,
    OutOfControlListed,
    LostContactConfirmed,
    PocketMemberFlagged,
    SearchAttemptRecorded,
    ContactRestored,
    UncontactableConfirmed,
    DeathConfirmed,
    ConductInvestigated,
    TalkHeld,
    ViolationReferred,
    DisciplineRecorded,
    CommitteeOpinionGiven,
    PreReviewed,
    GuidanceAttended,
    GeneralMeetingResolved,
    MemberSigned,
    SignatureRefusalNoted,
    Reviewed,
    Approved,
    Rejected,
    Filed,
    MemberNotified,
    Announced,
    PathWithdrawn,
    EducationSupportRecorded,
    CorrectionPeriodSet,
    CorrectionPeriodEnded,
    WithdrawalAdvised,
    WithdrawalAdviceAnswered,
    WithdrawalApplied,
    RestorationApplied,
    OrganisationalLifeResumed,
    RelationTransferred,
    TransferReissued,
    RelationReceived,
    MobileCertificateIssued,
    AppealLodged,
    AppealReviewed,
    AppealAnswered,
    DispositionRevoked,
    LookBackReviewed,
    LookBackRectified,
    MaterialAttached,
)
