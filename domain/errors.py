"""Every refusal the ledger can give, as a small hierarchy of `DomainError` subclasses.

Each error carries a stable `code` (for API bodies and CLI messages), the `field` it concerns when there
is one, and a message that names the field and the rule. The four branches say who must change what:

    DomainError
    ├── InvalidInput                the command itself is malformed          (API: 422)
    │   ├── InvalidAmount           zero, negative, fractional fen, float
    │   ├── InvalidUSCC             length, alphabet or GB 32100-2015 check character
    │   ├── UnknownDistrict         not one of Shanghai's 16 districts
    │   ├── UnknownSubdistrict      not a 街道/镇/乡 of the district (the shipped list, or added)
    │   ├── InvalidChoice           a value outside its closed list (type, tier, role, kind, grade...)
    │   ├── InvalidText             a text check_text refuses (control, bidi, surrogate, invisible, too long)
    │   │   └── PersonalDataInPublicText  a public text holding an ID number, mobile number or e-mail
    │   ├── InvalidDate             not a calendar date (YYYY-MM-DD), out of order, after today,
    │   │                           before the floor or before what it happens to began
    │   ├── InvalidId               not a UUID
    │   ├── SameFundTransfer        a transfer whose source and destination are one fund
    │   ├── SelfPairing             an organisation paired with (or mentoring) itself
    │   └── InvalidCursor           a page cursor the list did not give (code `invalid_input`)
    ├── NotFound                    the command refers to something the ledger does not have (404)
    │   ├── UnknownOrganization
    │   ├── UnknownFund
    │   ├── UnknownEntry            a reservation, donation, transfer, instalment or disbursement
    │   │                           that is not on the fund, grant or case it is asked of
    │   ├── UnknownGrant, UnknownReliefCase, UnknownPairing, UnknownMentorLink, UnknownDesignation
    │   └── UnknownSubject          a person (vault subject) or reference the vault does not hold
    ├── Conflict                    well-formed, but the ledger's state refuses it (409)
    │   ├── DuplicateCommandError   a command id reused with different content
    │   ├── InsufficientFunds       available balance (balance − reserved) would go below zero
    │   ├── FundClosed              any change to a closed fund
    │   ├── FundNotEmpty            closing a fund that still holds money
    │   ├── OrganizationDeregistered
    │   ├── RoleMismatch            e.g. a fund opened by an organisation that is not a foundation
    │   ├── ReservationSettled      paying or releasing a reservation that has nothing left
    │   ├── AlreadyReversed         reversing the same entry twice
    │   ├── GrantNotActive          paying, amending or closing a cancelled or closed grant
    │   ├── CaseStateConflict       e.g. disbursing a rejected case, or before approval
    │   ├── SubjectErased           the person's data was erased; nothing of it can be read
    │   ├── DamagedRecord           a vault record that no longer decrypts (restore it from a backup)
    │   ├── WrongFundKind           e.g. a relief case on a fund that is not `emergency_relief`
    │   ├── AmountBelowPaid         amending an award below what was already paid
    │   ├── DuplicatePairing        a second open pairing of one kind between the same two organisations
    │   ├── DuplicateUSCC           a USCC already registered to another organisation
    │   ├── StateConflict           a lifecycle step out of order (an activity on a pairing not yet active)
    │   ├── LinkEnded               a session on a mentor link that has ended
    │   ├── YearlyMaximumReached    selecting more designations than the year allows
    │   └── PreconditionFailed      the record is no longer at the version the caller expected (412)
    └── Unavailable                 nothing is wrong with the command: try it again shortly (503)
        └── ConcurrentModification  another writer kept winning; the command was not applied
"""

from __future__ import annotations


class DomainError(Exception):
    """A command the ledger refuses. No event is recorded when one is raised."""

    code = "domain_error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(DomainError):
    code = "invalid_input"


class InvalidAmount(InvalidInput):
    code = "invalid_amount"


class InvalidUSCC(InvalidInput):
    code = "invalid_uscc"


class UnknownDistrict(InvalidInput):
    code = "unknown_district"


class UnknownSubdistrict(InvalidInput):
    code = "unknown_subdistrict"


class InvalidChoice(InvalidInput):
    code = "invalid_choice"


class InvalidText(InvalidInput):
    code = "invalid_text"


class PersonalDataInPublicText(InvalidText):
    code = "personal_data_in_public_text"


class InvalidDate(InvalidInput):
    code = "invalid_date"


class InvalidId(InvalidInput):
    code = "invalid_id"


class SameFundTransfer(InvalidInput):
    code = "same_fund_transfer"


class SelfPairing(InvalidInput):
    code = "self_pairing"


class InvalidCursor(InvalidInput):
    """A read's page cursor that the list did not give. It keeps the code `invalid_input` that
    clients have always received for it; the class lets a reader's caller tell it apart."""


class NotFound(DomainError):
    code = "not_found"


class UnknownOrganization(NotFound):
    code = "unknown_organization"


class UnknownFund(NotFound):
    code = "unknown_fund"


class UnknownEntry(NotFound):
    code = "unknown_entry"


class UnknownGrant(NotFound):
    code = "unknown_grant"


class UnknownReliefCase(NotFound):
    code = "unknown_relief_case"


class UnknownPairing(NotFound):
    code = "unknown_pairing"


class UnknownMentorLink(NotFound):
    code = "unknown_mentor_link"


class UnknownDesignation(NotFound):
    code = "unknown_designation"


class UnknownSubject(NotFound):
    code = "unknown_subject"


class Conflict(DomainError):
    code = "conflict"


class DuplicateCommandError(Conflict):
    code = "duplicate_command"


class InsufficientFunds(Conflict):
    code = "insufficient_funds"


class FundClosed(Conflict):
    code = "fund_closed"


class FundNotEmpty(Conflict):
    code = "fund_not_empty"


class OrganizationDeregistered(Conflict):
    code = "organization_deregistered"


class RoleMismatch(Conflict):
    code = "role_mismatch"


class ReservationSettled(Conflict):
    code = "reservation_settled"


class AlreadyReversed(Conflict):
    code = "already_reversed"


class GrantNotActive(Conflict):
    code = "grant_not_active"


class CaseStateConflict(Conflict):
    code = "case_state_conflict"


class WrongFundKind(Conflict):
    code = "wrong_fund_kind"


class AmountBelowPaid(Conflict):
    code = "amount_below_paid"


class DuplicatePairing(Conflict):
    code = "duplicate_pairing"


class DuplicateUSCC(Conflict):
    code = "duplicate_uscc"


class StateConflict(Conflict):
    code = "state_conflict"


class LinkEnded(Conflict):
    code = "link_ended"


class YearlyMaximumReached(Conflict):
    code = "yearly_maximum_reached"


class SubjectErased(Conflict):
    code = "subject_erased"


class DamagedRecord(Conflict):
    """A vault record whose ciphertext does not open (a flipped byte, a lost key): it is refused, and
    a public page simply leaves the name out."""

    code = "damaged_record"


class Unavailable(DomainError):
    """The command may well be right; the ledger could not carry it out just now."""

    code = "unavailable"


class ConcurrentModification(Unavailable):
    code = "concurrent_modification"


class PreconditionFailed(Conflict):
    """The caller expected the record at another version (an HTTP If-Match that no longer holds)."""

    code = "precondition_failed"
