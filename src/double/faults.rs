//! Named departures from the contract the double can be started with, and benign variations a
//! conforming server may show. The suite's own tests run the whole suite against each: every
//! fault must be caught by a scenario of a requirement it violates, and no variation may fail
//! or warn. Client developers can use them too (`VB365_DOUBLE_FAULT`, `VB365_DOUBLE_VARIATION`).

use std::fmt;
use std::str::FromStr;

use crate::contract::credentials::Variant;
use crate::contract::version::ApiVersion;

/// A fault's name, what it departs from, and the requirements that must catch it.
pub struct FaultInfo {
    pub fault: Fault,
    pub name: &'static str,
    pub departure: &'static str,
    pub violates: &'static [&'static str],
}

/// The faults' one table: the enum and [`FAULTS`] are both made from it, so neither can leave a
/// fault out.
macro_rules! faults {
    ($($fault:ident, $name:literal, $departure:literal, [$($req:literal),+];)+) => {
        /// A way a server could break the contract of the restore operation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Fault { $($fault),+ }

        /// Every fault, in the order docs/proof.md lists them.
        pub const FAULTS: &[FaultInfo] = &[$(FaultInfo { fault: Fault::$fault, name: $name, departure: $departure, violates: &[$($req),+] }),+];
    };
}

faults! {
    Created201, "status-201", "a successful restore answers 201 Created", ["RESP-200"];
    Accepted202, "status-202", "a successful restore answers 202 Accepted", ["RESP-200"];
    NoContent204, "status-204", "a successful restore answers 204 No Content without a body", ["RESP-200", "BODY-COUNTS"];
    ContentTypeOctetStream, "content-type-octet-stream", "the restore answer is labelled application/octet-stream", ["HDR-CONTENT-TYPE"];
    ContentTypeTextPlain, "content-type-text-plain", "the restore answer is labelled text/plain", ["HDR-CONTENT-TYPE-JSON"];
    ContentTypeMissing, "content-type-missing", "the restore answer has no Content-Type", ["HDR-CONTENT-TYPE"];
    ContentLengthMissing, "content-length-missing", "the restore answer is chunked, without Content-Length", ["HDR-CONTENT-LENGTH"];
    ContentLengthWrong, "content-length-wrong", "the restore answer's Content-Length is one byte more than its body", ["HDR-CONTENT-LENGTH"];
    CountAsString, "count-as-string", "createdItemsCount is a string", ["BODY-COUNTS"];
    CountAsFloat, "count-as-float", "mergedItemsCount is a number with a fraction", ["BODY-COUNTS"];
    CountNegative, "count-negative", "failedItemsCount is negative", ["BODY-COUNTS"];
    CountNull, "count-null", "skippedItemsCount is null", ["BODY-COUNTS"];
    CountMissing, "count-missing", "skippedItemsCount is missing", ["BODY-COUNTS"];
    BodyEmpty, "body-empty", "a successful restore answers an empty body", ["BODY-COUNTS"];
    BodyNotJson, "body-not-json", "a successful restore answers a body that is not JSON", ["BODY-COUNTS"];
    BodyArray, "body-array", "a successful restore answers a JSON array", ["BODY-COUNTS"];
    VendorPropertyWrongType, "vendor-property-wrong-type", "exceptions is a string, not an array of strings", ["BODY-VENDOR-PROPERTIES"];
    AuthorizationNotEnforced, "authorization-not-enforced", "a restore without any token is carried out", ["AUTH-TOKEN"];
    UnknownTokenAccepted, "unknown-token-accepted", "a bearer token the server never issued is accepted", ["AUTH-TOKEN"];
    AuthorizationRefused403, "authorization-refused-403", "a request without a valid token is refused with 403", ["AUTH-401"];
    CertificateWithoutImpersonationAccepted, "certificate-without-impersonation-accepted", "a certificate without impersonationAccountName is accepted", ["BODY-IMPERSONATION-REQUIRED"];
    ImpersonationWithoutCertificateAccepted, "impersonation-without-certificate-accepted", "impersonationAccountName is accepted with another variant", ["BODY-IMPERSONATION-ONLY"];
    MixedVariantsAccepted, "mixed-variants-accepted", "a body mixing two credential variants is accepted", ["BODY-ONE-VARIANT"];
    IncompleteVariantAccepted, "incomplete-variant-accepted", "a credential variant with a property missing is accepted", ["BODY-ONE-VARIANT"];
    WrongTypesAccepted, "wrong-types-accepted", "properties of the wrong JSON type are accepted", ["BODY-MALFORMED"];
    NotJsonAccepted, "not-json-accepted", "a body that is not JSON is accepted", ["BODY-MALFORMED"];
    NonUuidIdAccepted, "non-uuid-id-accepted", "a path id that is not a UUID restores the session's first mailbox", ["PATH-UUID", "NO-FALSE-SUCCESS"];
    UnknownSessionAccepted, "unknown-session-accepted", "an unknown restore session id restores anyway", ["PATH-SESSION", "NO-FALSE-SUCCESS"];
    UnknownMailboxAccepted, "unknown-mailbox-accepted", "an unknown mailbox id restores the session's first mailbox", ["PATH-MAILBOX", "NO-FALSE-SUCCESS"];
    UnknownId500, "unknown-id-500", "an unknown restore session or mailbox is answered 500", ["PATH-NOT-FOUND"];
    ErrorWithoutMessage, "error-without-message", "error answers of the restore are {} without a message", ["EXCHANGE-CREDENTIALS", "EXCHANGE-REFUSED", "BODY-MALFORMED", "BODY-ONE-VARIANT", "BODY-IMPERSONATION-REQUIRED", "BODY-IMPERSONATION-ONLY", "PATH-UUID", "PATH-NOT-FOUND", "SESSION-STOPPED"];
    ErrorNotJson, "error-not-json", "error answers of the restore are plain text", ["EXCHANGE-CREDENTIALS", "EXCHANGE-REFUSED", "BODY-MALFORMED", "BODY-ONE-VARIANT", "BODY-IMPERSONATION-REQUIRED", "BODY-IMPERSONATION-ONLY", "PATH-UUID", "PATH-NOT-FOUND", "SESSION-STOPPED"];
    ErrorMessageNotString, "error-message-not-string", "error answers of the restore carry a number as message", ["EXCHANGE-CREDENTIALS", "EXCHANGE-REFUSED", "BODY-MALFORMED", "BODY-ONE-VARIANT", "BODY-IMPERSONATION-REQUIRED", "BODY-IMPERSONATION-ONLY", "PATH-UUID", "PATH-NOT-FOUND", "SESSION-STOPPED"];
    ExchangeCredentialsNotChecked, "exchange-credentials-not-checked", "a user name and password the organization does not know restore anyway", ["EXCHANGE-CREDENTIALS", "EXCHANGE-REFUSED"];
    ExchangeRefusal400, "exchange-refusal-400", "refused Exchange credentials are answered 400", ["EXCHANGE-REFUSED"];
    CountsSwapped, "counts-swapped", "createdItemsCount and mergedItemsCount are swapped", ["COUNT-CREATED"];
    UnchangedCountedAsMerged, "unchanged-counted-as-merged", "unchanged items are counted as merged", ["COUNT-SKIPPED"];
    FailedCountedAsSkipped, "failed-counted-as-skipped", "items that could not be written are counted as skipped", ["COUNT-FAILED"];
    RestoreWritesNothing, "restore-writes-nothing", "the restore reports items as created but writes nothing, so a second restore creates them again", ["COUNT-REPEAT"];
    CannedCounts, "canned-counts", "every restore answers the page's example counts, 0 created, 0 merged, 0 failed, 1 skipped", ["COUNT-CREATED"];
    SlowAnswer, "slow-answer", "the restore answers only after the suite's timeout", ["RESP-200"];
    ConnectionDropped, "connection-dropped", "the connection is closed half-way through the restore answer, short of its Content-Length", ["RESP-200", "HDR-CONTENT-LENGTH"];
    V8SessionIdMissing, "v8-session-id-missing", "v8: the restore answers 200 without the sessionId of its restore session", ["V8-SESSION-ID"];
    V8RestoreNeverFinishes, "v8-restore-never-finishes", "v8: the restore's statistics stop half-way and never account for every item", ["V8-FINISHES"];
    V8RestoredCountWrong, "v8-restored-count-wrong", "v8: restoredItemsCount leaves out the merged items", ["V8-RESTORED-COUNT"];
    DeviceCodeNotChecked, "device-code-not-checked", "any well-formed userCode restores, issued or not", ["EXCHANGE-CREDENTIALS"];
    CertificatePasswordNotChecked, "certificate-password-not-checked", "the application certificate restores with a wrong applicationCertificatePassword", ["EXCHANGE-CREDENTIALS"];
    ApplicationIdNotChecked, "application-id-not-checked", "the application certificate restores with an applicationId the organization does not know", ["EXCHANGE-CREDENTIALS"];
    ImpersonationAccountNotChecked, "impersonation-account-not-checked", "the application certificate restores with an impersonation account that does not exist", ["EXCHANGE-CREDENTIALS"];
    RefusedCredentialsAnswered200, "refused-credentials-answered-200", "Exchange credentials the organization refuses are answered 200 with a message body, and nothing is restored", ["EXCHANGE-CREDENTIALS"];
    NonUuidIdAnswered200, "non-uuid-id-answered-200", "a path id that is not a UUID is answered 200 with a message body, and nothing is restored", ["NO-FALSE-SUCCESS"];
    CertificateContentTypeOctetStream, "certificate-content-type-octet-stream", "only a restore with the application certificate is answered with Content-Type application/octet-stream", ["HDR-CONTENT-TYPE"];
    SecondRestoreCountsZero, "second-restore-counts-zero", "a restore after the mailbox's first answers all four counts 0: its items vanish from the accounting", ["COUNT-TOTAL"];
    V8TotalWithoutSkipped, "v8-total-without-skipped", "v8: totalItemsCount leaves the skipped items out", ["V8-TOTAL"];
    RestoreAlways500, "restore-always-500", "every restore with the organization's credentials is answered 500 with a message that says nothing of them", ["OP-RESTORE", "RESP-200"];
    ContentTypeTwice, "content-type-twice", "the restore answer carries two Content-Type fields, application/json and text/plain", ["HDR-CONTENT-TYPE", "HDR-CONTENT-TYPE-JSON"];
    ContentTypeRepeated, "content-type-repeated", "the restore answer carries its Content-Type field twice, with the same value", ["HDR-CONTENT-TYPE", "HDR-CONTENT-TYPE-JSON"];
    ContentLengthRepeated, "content-length-repeated", "the restore answer carries its Content-Length field twice, with the same value", ["HDR-CONTENT-LENGTH"];
    ChunkedWithContentLength, "chunked-with-content-length", "the restore answer is chunked and carries a Content-Length as well (RFC 9112 §6.2)", ["HDR-CONTENT-LENGTH"];
    CharsetUtf16, "charset-utf-16", "the restore answer's Content-Type says charset=utf-16 of a UTF-8 body", ["HDR-CONTENT-TYPE-JSON"];
    CharsetLatin1, "charset-iso-8859-1", "the restore answer's Content-Type says charset=iso-8859-1", ["HDR-CONTENT-TYPE-JSON"];
    BodyByteOrderMark, "body-byte-order-mark", "the restore answer's JSON starts with a byte order mark", ["BODY-COUNTS", "V8-SESSION-ID"];
    BodyTrailingValue, "body-trailing-value", "the restore answer's JSON is followed by a second JSON value", ["BODY-COUNTS", "V8-SESSION-ID"];
    BodyDuplicateName, "body-duplicate-name", "the restore answer names createdItemsCount (v8: sessionId) twice, first with another value", ["BODY-COUNTS", "V8-SESSION-ID"];
    UserNameNotChecked, "user-name-not-checked", "any userName restores with the configured user's password", ["EXCHANGE-CREDENTIALS"];
    UserPasswordNotChecked, "user-password-not-checked", "the configured user restores with any userPassword", ["EXCHANGE-CREDENTIALS"];
    CertificateNotChecked, "certificate-not-checked", "any .pfx that opens with the password sent restores, another application's too", ["EXCHANGE-CREDENTIALS"];
    EmptyPasswordAccepted, "empty-password-accepted", "an empty userPassword restores, as if the configured user's stored password were meant", ["EXCHANGE-CREDENTIALS"];
    EmptyUserCodeAccepted, "empty-user-code-accepted", "an empty userCode restores with the last device code issued", ["EXCHANGE-CREDENTIALS"];
    EmptyImpersonationAccepted, "empty-impersonation-accepted", "an empty impersonationAccountName restores as the application itself", ["EXCHANGE-CREDENTIALS"];
    StoppedSessionRestores, "stopped-session-restores", "a restore session that has been stopped still restores", ["SESSION-STOPPED"];
    StoppedSessionAnswered200, "stopped-session-answered-200", "a restore in a stopped restore session is answered 200 with a message body, and nothing is restored", ["SESSION-STOPPED"];
    CountBeyondInt64, "count-beyond-int64", "createdItemsCount is 9223372036854775808, beyond the OpenAPI's int64", ["BODY-COUNTS"];
    V8SessionOfAnotherMailbox, "v8-session-of-another-mailbox", "v8: the restore answers the sessionId of another mailbox's restore (a colleague's, run with it)", ["V8-SESSION-ID", "V8-MAILBOX-STATISTICS"];
    V8StatisticsNameAnotherMailbox, "v8-statistics-name-another-mailbox", "v8: the restore's statistics give its counts under another mailbox's id and address", ["V8-STATISTICS", "V8-MAILBOX-STATISTICS"];
    V8StatisticsOfArchiveMailbox, "v8-statistics-of-archive-mailbox", "v8: the restore's statistics give its counts as the mailbox's In-Place Archive's (the same address, mailboxIsArchive true, an id of its own)", ["V8-STATISTICS", "V8-MAILBOX-STATISTICS"];
    V8EventNeverEnds, "v8-event-never-ends", "v8: the restore's event stays Running after its session Stopped with complete statistics", ["V8-FINISHES"];
    V8EventEndsEarly, "v8-event-ends-early", "v8: the restore's event reads Success at once, while its statistics still progress (for 20 s) and its session is Working", ["V8-FINISHES", "V8-TOTAL"];
    ConnectionDroppedOnRefusals, "connection-dropped-on-refusals", "the connection is closed half-way through every error answer of the restore, short of its Content-Length", ["HDR-CONTENT-LENGTH", "AUTH-TOKEN", "AUTH-401", "PATH-SESSION", "PATH-MAILBOX", "PATH-NOT-FOUND", "PATH-UUID", "BODY-IMPERSONATION-REQUIRED", "BODY-IMPERSONATION-ONLY", "BODY-ONE-VARIANT", "BODY-MALFORMED", "EXCHANGE-REFUSED", "EXCHANGE-CREDENTIALS"];
    RestoreAnswerLost, "restore-answer-lost", "the restore is carried out, and its connection closed without an answer", ["RESP-200"];
    PasswordRefused, "valid-password-refused", "the restore with the organization's valid user name and password is answered 500, the credentials were refused; the other variants restore", ["OP-RESTORE", "BODY-PASSWORD"];
    DeviceCodeRefused, "valid-device-code-refused", "the restore with a device code the server issued is answered 500, the credentials were refused; the other variants restore", ["OP-RESTORE", "BODY-DEVICE-CODE"];
    CertificateRefused, "valid-certificate-refused", "the restore with the organization's valid application certificate is answered 500, the credentials were refused; the other variants restore", ["OP-RESTORE", "BODY-CERTIFICATE"];
    V8FailedCountedAsSkipped, "v8-failed-counted-as-skipped", "v8: the mailbox refuses one item on every restore; the statistics' failedItemsCount is 0 and that item is counted in skippedItemsCount (the mailbox entries are right)", ["V8-FAILED-COUNT", "V8-SKIPPED-COUNT"];
    V8FailedCountWrong, "v8-failed-count-wrong", "v8: the statistics' failedItemsCount is one more than their mailbox entries' failed items (totalItemsCount too, so that it is still restored + failed + skipped)", ["V8-FAILED-COUNT", "V8-SESSION-RESULT"];
    V8SkippedCountWrong, "v8-skipped-count-wrong", "v8: the statistics' skippedItemsCount is one more than their mailbox entries' skipped items (totalItemsCount too, so that it is still restored + failed + skipped)", ["V8-SKIPPED-COUNT"];
    V8StatisticsListAnotherMailbox, "v8-statistics-list-another-mailbox", "v8: the statistics of the restore's own session list, beside the mailbox's entry, an entry of a colleague's mailbox, whose counts the session's add up too", ["V8-MAILBOX-STATISTICS"];
    V8SessionResultFailed, "v8-session-result-failed", "v8: the restore's own session ends Stopped with result Failed, though nothing failed", ["V8-SESSION-RESULT"];
    V8SessionResultSuccessWithFailedItems, "v8-session-result-success-with-failed-items", "v8: the mailbox refuses one item on every restore, as the statistics and the restore's event (Warning) say, and the restore's own session ends with result Success", ["V8-SESSION-RESULT"];
    RefreshTokenAcceptedAsBearer, "refresh-token-accepted-as-bearer", "the refresh token of a sign-in is accepted as a bearer access token", ["AUTH-TOKEN"];
    SchemeNotChecked, "scheme-not-checked", "the access token is accepted under any authorization scheme, or none (Authorization: Basic <token>, Authorization: <token>)", ["AUTH-TOKEN"];
    ExpiredTokenAccepted, "expired-token-accepted", "tokens say expires_in: 1, and are accepted after they expired", ["AUTH-TOKEN"];
    UnauthorizedWithoutChallenge, "401-without-www-authenticate", "a request refused for its token is answered 401 without WWW-Authenticate (RFC 9110 §11.6.1)", ["AUTH-401"];
    ErrorContentTypeTextHtml, "error-content-type-text-html", "error answers of the restore carry their RESTExceptionInfo JSON labelled text/html", ["HDR-CONTENT-TYPE-JSON"];
    UnauthorizedRestoreCarriedOut, "unauthorized-restore-carried-out", "a restore without a valid token is answered 401, yet carried out (v8: it starts in a session of its own)", ["AUTH-TOKEN", "AUTH-401"];
    RefusedCredentialsStillRestore, "refused-credentials-still-restore", "Exchange credentials the organization refuses are answered 500, yet the mailbox is restored", ["EXCHANGE-CREDENTIALS", "EXCHANGE-REFUSED"];
    RefusedBodyStillRestores, "refused-body-still-restores", "a body that is not JSON or not one complete credential variant is answered 400, yet the mailbox is restored", ["BODY-MALFORMED", "BODY-ONE-VARIANT", "BODY-IMPERSONATION-REQUIRED", "BODY-IMPERSONATION-ONLY"];
    UnknownIdRefusalStillRestores, "unknown-id-refusal-still-restores", "an unknown restore session or mailbox, or a path id that is not a UUID, is answered 404 (400), yet the mailbox under test is restored", ["PATH-SESSION", "PATH-MAILBOX", "PATH-NOT-FOUND", "PATH-UUID"];
    StoppedSessionRefusalStillRestores, "stopped-session-refusal-still-restores", "a restore in a stopped restore session is answered 500, yet the mailbox is restored", ["SESSION-STOPPED"];
    CredentialsCachedAfterRestore, "credentials-cached-after-restore", "once a variant restored, any value of that variant's properties restores (the Exchange connection is cached)", ["EXCHANGE-CREDENTIALS", "EXCHANGE-REFUSED"];
    RestoreDidNothingAnswered200, "restore-did-nothing-answered-200", "the restore writes nothing and answers 200, saying itself it failed: v6/v7 every count 0 and a cannotContinueError; v8 statistics 0, its event Failed and its session's result Failed", ["OP-RESTORE"];
}

pub struct VariationInfo {
    pub variation: Variation,
    pub name: &'static str,
    pub description: &'static str,
}

/// The variations' one table: the enum and [`VARIATIONS`] are both made from it.
macro_rules! variations {
    ($(variation!($variation:ident, $name:literal, $description:literal),)+) => {
        /// A way a conforming server may differ from the double's defaults without breaking the
        /// contract.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Variation { $($variation),+ }

        /// Every benign variation.
        pub const VARIATIONS: &[VariationInfo] =
            &[$(VariationInfo { variation: Variation::$variation, name: $name, description: $description }),+];
    };
}

#[rustfmt::skip]
variations! {
    variation!(ExtraProperties, "extra-properties", "the restore answer carries properties the OpenAPI does not know"),
    variation!(NullOptionals, "null-optionals", "failedFoldersCount, exceptions, warnings and cannotContinueError are null"),
    variation!(CountsOnly, "counts-only", "the restore answer holds the four counts and nothing else"),
    variation!(JsonWithoutCharset, "json-without-charset", "Content-Type is application/json without a charset"),
    variation!(HeaderNameCase, "header-name-case", "response header names are upper-case (CONTENT-TYPE, CONTENT-LENGTH)"),
    variation!(OrderAndWhitespace, "order-and-whitespace", "the restore answer is pretty-printed, its properties in another order"),
    variation!(LinkPathCase, "link-path-case", "links in session and mailbox answers use other path case"),
    variation!(ErrorDetails, "error-details", "error answers add errorCode and stackTrace (null), as later versions do"),
    variation!(ErrorEchoesRequest, "error-echoes-request", "error messages quote the request body, credentials included, as servers that pass exception texts through do"),
    variation!(ErrorMessagePascalCase, "error-message-pascal-case", "error answers write Message, as ASP.NET's own errors do"),
    variation!(V8StatisticsWithoutItems, "v8-statistics-without-items", "v8: the statistics carry no per-mailbox details (the OpenAPI says \"[If available]\")"),
    variation!(V8SessionIsPathSession, "v8-session-is-path-session", "v8: the restore answers the path's restore session as its sessionId, whose statistics and events add up every restore of that session"),
    variation!(V8SessionPerMailbox, "v8-session-per-mailbox", "v8: every restore of a mailbox runs in one restore session of that mailbox (not the path's), which reads Stopped after the first and whose statistics and events add up its restores"),
    variation!(V8StatisticsOfLatestRestore, "v8-statistics-of-latest-restore", "v8: the restore runs in the path's restore session, whose statistics hold its latest restore only (its events list every restore)"),
    variation!(IdsUpperCase, "ids-upper-case", "restore session, mailbox and v8 sessionId ids are listed in upper case (UUIDs are case-insensitive)"),
    variation!(V8SessionHoldsOtherRestores, "v8-session-holds-other-restores", "v8: the restore runs in the path's restore session, where another operator restores a colleague's mailbox right before each restore (its statistics list both mailboxes, its events both restores)"),
    variation!(V8EventsNewestFirst, "v8-events-newest-first", "v8: the restore runs in the path's restore session, whose events are listed newest first"),
    variation!(V8EventsPaged, "v8-events-paged", "v8: the restore runs in the path's restore session, whose events come two a page whatever limit asks (the page's limit says 2)"),
    variation!(V8SessionStaysWorking, "v8-session-stays-working", "v8: the restore's own session stays Working after the restore ended; its event says the restore ended"),
    variation!(V8StateAheadOfEvents, "v8-state-ahead-of-events", "v8: the restore's session reads Stopped 0.1 s before the restore's event leaves Running (written one after the other)"),
    variation!(ConnectionCloseAfterAnswer, "connection-close-after-answer", "every answer says Connection: close, and the connection is closed after it"),
    variation!(ConnectionClosedWhenIdle, "connection-closed-when-idle", "answers keep the connection open (no Connection: close), and a request sent on a connection already used is met with its close, unanswered (a load balancer's idle timeout)"),
    variation!(ShortTokenLifetime, "short-token-lifetime", "tokens live 1 s (expires_in: 1) and every restore takes 0.3 s, so a run outlives many tokens"),
    variation!(TokensForgottenAtTimes, "tokens-forgotten-at-times", "the server forgets every token it issued twice, as restarts do: at the 4th and the 12th request that carries a valid one, which it answers 401"),
    variation!(ContentLengthLeadingZeros, "content-length-leading-zeros", "the restore answer's Content-Length is written with leading zeros (000140: 1*DIGIT, RFC 9110 §8.6)"),
    variation!(CountNegativeZero, "count-negative-zero", "every count that is 0 is written -0 (v8: in the statistics), an integer literal of value 0 (RFC 8259 §6)"),
    variation!(V8SessionResultWarning, "v8-session-result-warning", "v8: the restore's own session ends with result Warning, though nothing failed (it skipped items)"),
    variation!(V8FailedItemsSessionFailed, "v8-failed-items-session-failed", "v8: the mailbox refuses one item on every restore (counted as failed), and the restore's own session ends with result Failed"),
    variation!(UnauthorizedChallenges, "401-challenges", "a 401 carries two WWW-Authenticate fields, Bearer with RFC 6750's error parameters and Negotiate, as IIS adds it"),
}

const ALL_VERSIONS: &[ApiVersion] = &ApiVersion::ALL;
const SYNCHRONOUS: &[ApiVersion] = &[ApiVersion::V6, ApiVersion::V7];
const BACKGROUND: &[ApiVersion] = &[ApiVersion::V8];

impl Fault {
    /// The credential variants whose restore with the configured (valid) credentials the fault
    /// refuses. No run can tell that from credentials the operator mistyped: a run against it
    /// ends STOPPED, exit status 2, naming each refused variant's settings, never ACCEPTED
    /// (docs/live-runs.md); that is how it is caught.
    pub fn refuses_configured(self) -> &'static [Variant] {
        match self {
            Fault::RestoreAlways500 => &Variant::ALL,
            Fault::PasswordRefused => &[Variant::Password],
            Fault::DeviceCodeRefused => &[Variant::DeviceCode],
            Fault::CertificateRefused => &[Variant::Certificate],
            _ => &[],
        }
    }

    /// The API versions in which the double can show the fault: those that shape the 200 body
    /// with its counts exist in v6 and v7 only, v8's own in v8 only.
    pub fn versions(self) -> &'static [ApiVersion] {
        use Fault::*;
        match self {
            CountAsString
            | CountAsFloat
            | CountNegative
            | CountNull
            | CountMissing
            | BodyEmpty
            | BodyNotJson
            | BodyArray
            | VendorPropertyWrongType
            | CountBeyondInt64 => SYNCHRONOUS,
            V8SessionIdMissing
            | V8RestoreNeverFinishes
            | V8RestoredCountWrong
            | V8TotalWithoutSkipped
            | V8SessionOfAnotherMailbox
            | V8StatisticsNameAnotherMailbox
            | V8StatisticsOfArchiveMailbox
            | V8EventNeverEnds
            | V8EventEndsEarly
            | V8FailedCountedAsSkipped
            | V8FailedCountWrong
            | V8SkippedCountWrong
            | V8StatisticsListAnotherMailbox
            | V8SessionResultFailed
            | V8SessionResultSuccessWithFailedItems => BACKGROUND,
            _ => ALL_VERSIONS,
        }
    }
}

impl Fault {
    /// The API versions in which no live run can see the fault, whose departure only the
    /// double's state shows: a refused request that restores anyway leaves in v6 and v7 no
    /// trace the API shows (its restore's counts, read by no one, equal the last one's); in v8 it
    /// starts a restore session or event, which a live run reads (docs/live-runs.md).
    pub fn unseen_live(self) -> &'static [ApiVersion] {
        use Fault::*;
        match self {
            UnauthorizedRestoreCarriedOut
            | RefusedCredentialsStillRestore
            | RefusedBodyStillRestores
            | UnknownIdRefusalStillRestores
            | StoppedSessionRefusalStillRestores => SYNCHRONOUS,
            _ => &[],
        }
    }
}

impl Variation {
    /// The API versions in which the double can show the variation.
    pub fn versions(self) -> &'static [ApiVersion] {
        use Variation::*;
        match self {
            ExtraProperties | NullOptionals | CountsOnly | OrderAndWhitespace => SYNCHRONOUS,
            V8StatisticsWithoutItems
            | V8SessionIsPathSession
            | V8SessionPerMailbox
            | V8StatisticsOfLatestRestore
            | V8SessionHoldsOtherRestores
            | V8EventsNewestFirst
            | V8EventsPaged
            | V8SessionStaysWorking
            | V8StateAheadOfEvents
            | V8SessionResultWarning
            | V8FailedItemsSessionFailed => BACKGROUND,
            _ => ALL_VERSIONS,
        }
    }
}

/// Whether a fault or variation needs restores that fail an item: the double's mailbox then
/// refuses one of its missing items, on every restore (a conforming server may fail items).
pub fn fails_an_item(fault: Option<Fault>, variation: Option<Variation>) -> bool {
    matches!(fault, Some(Fault::V8FailedCountedAsSkipped | Fault::V8SessionResultSuccessWithFailedItems))
        || variation == Some(Variation::V8FailedItemsSessionFailed)
}

impl Fault {
    pub fn info(self) -> &'static FaultInfo {
        FAULTS.iter().find(|info| info.fault == self).expect("every fault is in FAULTS")
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().name)
    }
}

impl FromStr for Fault {
    type Err = UnknownName;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        by_name(FAULTS.iter().map(|info| (info.name, info.fault)), name, "VB365_DOUBLE_FAULT", "a fault")
    }
}

impl Variation {
    pub fn info(self) -> &'static VariationInfo {
        VARIATIONS.iter().find(|info| info.variation == self).expect("every variation is in VARIATIONS")
    }
}

impl fmt::Display for Variation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.info().name)
    }
}

impl FromStr for Variation {
    type Err = UnknownName;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        by_name(
            VARIATIONS.iter().map(|info| (info.name, info.variation)),
            name,
            "VB365_DOUBLE_VARIATION",
            "a variation",
        )
    }
}

/// The entry of `table` called `name`, or the setting error that lists the known names.
fn by_name<T>(
    table: impl Iterator<Item = (&'static str, T)>,
    name: &str,
    variable: &'static str,
    what: &'static str,
) -> Result<T, UnknownName> {
    let mut known = Vec::new();
    for (entry, value) in table {
        if entry == name {
            return Ok(value);
        }
        known.push(entry);
    }
    Err(UnknownName { variable, name: name.to_owned(), what, known })
}

/// A name that is none of the double's faults (or variations): the setting that gave it, what it
/// should have named ("a fault") and the names the double knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownName {
    pub variable: &'static str,
    pub name: String,
    pub what: &'static str,
    pub known: Vec<&'static str>,
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let UnknownName { variable, name, what, known } = self;
        write!(f, "{variable}={name} is not {what} of the double; known: {}", known.join(", "))
    }
}

impl std::error::Error for UnknownName {}
