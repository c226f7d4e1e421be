//! The operation under test, `POST .../organization/mailboxes/{id}/restore`: the counts of a
//! restore computed from the mailbox's state, or the status and message of a refusal, and the
//! answers as a fault or variation shapes them.

use serde_json::{Value, json};

use super::State;
use super::answer::{Answer, JSON, message_body};
use super::faults::{Fault, Variation};
use super::refusal::{Refusal, Refused};
use crate::contract::counts::Counts;
use crate::contract::credentials::Variant;
use crate::contract::schema::{Document, Violation};

/// The page's four counts, the properties a counts-only answer keeps.
use crate::contract::counts::COUNT_PROPERTIES;

/// A restore request's body, parsed and checked against the request schema before the double's
/// state is locked.
pub(super) enum Body {
    NotJson,
    Json { value: Value, violations: Vec<Violation> },
}

impl Body {
    pub fn parse(bytes: &[u8]) -> Body {
        match serde_json::from_slice::<Value>(bytes) {
            Err(_) => Body::NotJson,
            Ok(mut value) => {
                let violations = Document::Request.violations(&value);
                // A null applicationId is no application, as if absent (docs/requirements.md).
                if let Some(map) = value.as_object_mut().filter(|map| map.get("applicationId") == Some(&Value::Null)) {
                    map.remove("applicationId");
                }
                Body::Json { value, violations }
            }
        }
    }
}

/// A restore the double carried out.
pub(super) struct Made {
    pub counts: Counts,
    pub mailbox_email: String,
    pub mailbox_id: String,
    /// Whether the application certificate authenticated it.
    pub certificate: bool,
}

/// The counts of a restore, or its refusal.
pub(super) fn restore(state: &mut State, body: &Body, session_id: &str, mailbox_id: &str) -> Result<Made, Refused> {
    let fault = state.fault;
    let refuse = |status: u16, reason: Refusal| Err(Refused { status, reason });
    let first_mailbox = state.mailboxes.first().map(|m| m.id.to_ascii_lowercase()).unwrap_or_default();
    let mut target = mailbox_id.to_ascii_lowercase();
    if [session_id, mailbox_id].iter().any(|id| uuid::Uuid::parse_str(id).is_err()) {
        match fault {
            Some(Fault::NonUuidIdAccepted) => {}
            Some(Fault::NonUuidIdAnswered200) => return refuse(200, Refusal::IdsNotUuids),
            _ => return refuse(400, Refusal::IdsNotUuids),
        }
        target = first_mailbox;
    } else {
        let unknown_status = if fault == Some(Fault::UnknownId500) { 500 } else { 404 };
        match state.sessions.get(&session_id.to_ascii_lowercase()) {
            None if fault == Some(Fault::UnknownSessionAccepted) => {}
            None => return refuse(unknown_status, Refusal::SessionNotFound),
            Some(session) if session.stopped => match fault {
                Some(Fault::StoppedSessionRestores) => {}
                Some(Fault::StoppedSessionAnswered200) => return refuse(200, Refusal::SessionStopped),
                _ => return refuse(500, Refusal::SessionStopped),
            },
            Some(session) if !session.mailbox_ids.contains(&target) => {
                if fault != Some(Fault::UnknownMailboxAccepted) {
                    return refuse(unknown_status, Refusal::MailboxNotInSession);
                }
                target = first_mailbox;
            }
            Some(_) => {}
        }
    }
    if let Body::Json { value, .. } = body {
        state.wrong_passwords += usize::from(wrong_password(state, value));
    }
    let refused_credentials = match body {
        Body::NotJson if fault == Some(Fault::NotJsonAccepted) => false,
        Body::NotJson => return refuse(400, Refusal::BodyNotJson),
        Body::Json { value, violations } => {
            if violations.is_empty() {
                !credentials_accepted(state, value)
            } else if fault.is_some_and(|fault| tolerates(fault, value)) {
                false
            } else {
                return refuse(400, Refusal::InvalidRestoreOptions { violations: violations.clone() });
            }
        }
    };
    if refused_credentials {
        return match fault {
            Some(Fault::ExchangeRefusal400) => refuse(400, Refusal::ExchangeCredentialsRefused),
            Some(Fault::RefusedCredentialsAnswered200) => refuse(200, Refusal::ExchangeConnectionRefused),
            _ => refuse(500, Refusal::ExchangeConnectionRefused),
        };
    }
    if fault == Some(Fault::RestoreAlways500) {
        return refuse(500, Refusal::RestoreFailed);
    }
    if let (Some(fault), Body::Json { value, .. }) = (fault, body) {
        if variant_of(value).is_some_and(|variant| fault.refuses_configured() == [variant]) {
            return refuse(500, Refusal::ExchangeConnectionRefused);
        }
    }
    let certificate = matches!(body, Body::Json { value, .. } if value.get("applicationCertificate").is_some());
    carry_out(state, &target, certificate).ok_or(Refused { status: 404, reason: Refusal::MailboxNotFound })
}

/// Restores the mailbox `target` (a lower-case id), `None` when the double holds no such mailbox.
pub(super) fn carry_out(state: &mut State, target: &str, certificate: bool) -> Option<Made> {
    let fault = state.fault;
    let mailbox = state.mailbox_mut(target)?;
    let counts = match fault {
        Some(Fault::RestoreWritesNothing) => mailbox.clone().restore(),
        // It cannot reach Exchange: nothing is written, nothing counted.
        Some(Fault::RestoreDidNothingAnswered200) => Counts::default(),
        _ => mailbox.restore(),
    };
    let (mailbox_email, mailbox_id) = (mailbox.email.clone(), mailbox.id.clone());
    let repeat = !state.restored_mailboxes.insert(target.to_owned());
    state.restores += 1;
    let counts = if repeat && fault == Some(Fault::SecondRestoreCountsZero) {
        Counts::default()
    } else {
        miscount(fault, counts)
    };
    Some(Made { counts, mailbox_email, mailbox_id, certificate })
}

/// Whether a fault makes the double accept a body the request schema refuses.
fn tolerates(fault: Fault, body: &Value) -> bool {
    const PASSWORD: &[&str] = &["userName", "userPassword"];
    const DEVICE_CODE: &[&str] = &["userCode"];
    const CERTIFICATE: &[&str] = &["applicationId", "applicationCertificate", "applicationCertificatePassword"];
    let Some(map) = body.as_object() else { return fault == Fault::WrongTypesAccepted };
    let has = |keys: &[&str]| keys.iter().filter(|key| map.contains_key(**key)).count();
    let variants = [PASSWORD, DEVICE_CODE, CERTIFICATE].iter().filter(|keys| has(keys) > 0).count();
    let impersonation = map.contains_key("impersonationAccountName");
    match fault {
        Fault::MixedVariantsAccepted => variants >= 2,
        Fault::IncompleteVariantAccepted => {
            variants == 0 || (variants == 1 && (has(PASSWORD) == 1 || (has(CERTIFICATE) > 0 && has(CERTIFICATE) < 3)))
        }
        Fault::CertificateWithoutImpersonationAccepted => has(CERTIFICATE) == 3 && !impersonation && variants == 1,
        Fault::ImpersonationWithoutCertificateAccepted => impersonation && has(CERTIFICATE) == 0,
        Fault::WrongTypesAccepted => map.values().any(|value| !value.is_string()),
        _ => accepts_empty(fault).is_some_and(|property| map.get(property) == Some(&json!(""))),
    }
}

/// The counting faults.
fn miscount(fault: Option<Fault>, counts: Counts) -> Counts {
    match fault {
        Some(Fault::CountsSwapped) => Counts { created: counts.merged, merged: counts.created, ..counts },
        Some(Fault::UnchangedCountedAsMerged) => {
            Counts { merged: counts.merged + counts.skipped, skipped: 0, ..counts }
        }
        Some(Fault::FailedCountedAsSkipped) => Counts { skipped: counts.skipped + counts.failed, failed: 0, ..counts },
        Some(Fault::CannedCounts) => Counts { created: 0, merged: 0, failed: 0, skipped: 1 },
        _ => counts,
    }
}

/// The 200 answer of a restore (v6, v7: RESTFoldersRestoreStatistics), as the fault or
/// variation shapes it. `cannotContinueError` is left out when there is none: the OpenAPI
/// types it as a string, not nullable.
pub(super) fn answer(state: &State, made: Made) -> Answer {
    let counts = made.counts;
    let (fault, variation) = (state.fault, state.variation);
    let exceptions: Vec<String> =
        (0..counts.failed).map(|n| format!("Item {n} could not be written to the mailbox.")).collect();
    let mut body = json!({
        "failedFoldersCount": 0,
        "exceptions": exceptions,
        "createdItemsCount": counts.created,
        "mergedItemsCount": counts.merged,
        "failedItemsCount": counts.failed,
        "skippedItemsCount": counts.skipped,
        "warnings": [],
    });
    match fault {
        Some(Fault::CountAsString) => body["createdItemsCount"] = json!(counts.created.to_string()),
        Some(Fault::CountAsFloat) => body["mergedItemsCount"] = json!(counts.merged as f64 + 0.5),
        Some(Fault::CountNegative) => body["failedItemsCount"] = json!(-1),
        Some(Fault::CountBeyondInt64) => body["createdItemsCount"] = json!(1u64 << 63),
        Some(Fault::CountNull) => body["skippedItemsCount"] = Value::Null,
        Some(Fault::CountMissing) => {
            body.as_object_mut().map(|map| map.remove("skippedItemsCount"));
        }
        Some(Fault::BodyArray) => body = json!([body]),
        Some(Fault::VendorPropertyWrongType) => body["exceptions"] = json!("boom"),
        Some(Fault::RestoreDidNothingAnswered200) => {
            body["cannotContinueError"] = json!(
                "Failed to connect to the Exchange organization: the remote server returned an error: (503) Server Unavailable."
            );
        }
        _ => {}
    }
    match variation {
        Some(Variation::ExtraProperties) => {
            body["restoredFolders"] = json!([{"name": "Inbox", "itemsCount": 1}]);
            body["_links"] = json!({"self": {"href": "/v6/restoresessions"}});
        }
        Some(Variation::NullOptionals) => {
            for key in ["failedFoldersCount", "exceptions", "warnings", "cannotContinueError"] {
                body[key] = Value::Null;
            }
        }
        Some(Variation::CountsOnly) => {
            if let Some(map) = body.as_object_mut() {
                map.retain(|key, _| COUNT_PROPERTIES.contains(&key.as_str()));
            }
        }
        _ => {}
    }
    let text = match (fault, variation) {
        (Some(Fault::BodyEmpty), _) => String::new(),
        (Some(Fault::BodyNotJson), _) => "Restore completed.".into(),
        (_, Some(Variation::OrderAndWhitespace)) => reordered_pretty(&body),
        _ => body.to_string(),
    };
    let text =
        if variation == Some(Variation::CountNegativeZero) { super::answer::negative_zero_counts(&text) } else { text };
    success(state, made.certificate, text)
}

/// A successful restore's answer with `text` as its body, as the faults and variations of its
/// status, media type and timing shape it, in every version (v8's body is its sessionId).
pub(super) fn success(state: &State, certificate: bool, text: String) -> Answer {
    let (fault, variation) = (state.fault, state.variation);
    let text = if fault == Some(Fault::NoContent204) { String::new() } else { text };
    let status = match fault {
        Some(Fault::Created201) => 201,
        Some(Fault::Accepted202) => 202,
        Some(Fault::NoContent204) => 204,
        _ => 200,
    };
    let mime = match (fault, variation) {
        (Some(Fault::ContentTypeOctetStream), _) => "application/octet-stream",
        (Some(Fault::CertificateContentTypeOctetStream), _) if certificate => "application/octet-stream",
        (Some(Fault::ContentTypeTextPlain), _) => "text/plain; charset=utf-8",
        (Some(Fault::ContentTypeMissing | Fault::NoContent204), _) => "",
        (_, Some(Variation::JsonWithoutCharset)) => "application/json",
        _ => JSON,
    };
    let answer = Answer::raw(status, text, mime);
    match (fault, variation) {
        (Some(Fault::SlowAnswer), _) => answer.delayed(state.slow_answer_delay),
        (_, Some(Variation::ShortTokenLifetime)) => answer.delayed(super::progress::SLOW_RESTORE),
        _ => answer,
    }
}

/// The same JSON value written otherwise: properties in reverse order, pretty-printed.
fn reordered_pretty(body: &Value) -> String {
    let Some(map) = body.as_object() else { return body.to_string() };
    let members: Vec<String> =
        map.iter().rev().map(|(key, value)| format!("  {} :  {}", Value::String(key.clone()), value)).collect();
    format!("{{\n{}\n}}\n", members.join(" ,\n"))
}

/// An error answer of the restore operation, as the fault or variation shapes it.
pub(super) fn refusal(state: &State, request_body: &[u8], Refused { status, reason }: Refused) -> Answer {
    let reason = reason.to_string();
    let message = if state.variation == Some(Variation::ErrorEchoesRequest) {
        // As .NET writes text: every non-ASCII character as \uXXXX.
        let body: String = String::from_utf8_lossy(request_body)
            .encode_utf16()
            .map(|unit| if unit < 0x80 { char::from(unit as u8).to_string() } else { format!("\\u{unit:04x}") })
            .collect();
        format!("{reason} Request body: {body}")
    } else {
        reason
    };
    let answer = match (state.fault, state.variation) {
        (Some(Fault::ErrorWithoutMessage), _) => Answer::json(status, &json!({})),
        (Some(Fault::ErrorNotJson), _) => Answer::raw(status, message.as_bytes(), "text/plain; charset=utf-8"),
        (Some(Fault::ErrorMessageNotString), _) => Answer::json(status, &json!({"message": 42})),
        (_, Some(Variation::ErrorMessagePascalCase)) => Answer::json(status, &json!({ "Message": message })),
        (_, Some(Variation::ErrorDetails)) => {
            Answer::json(status, &json!({"message": message, "errorCode": null, "stackTrace": null}))
        }
        _ => message_body(state, status, &message),
    };
    if state.fault == Some(Fault::ErrorContentTypeTextHtml) {
        return Answer { mime: Some("text/html; charset=utf-8"), ..answer };
    }
    answer
}

/// Whether `body` names the organization's Exchange user with a password (a string: a body of
/// the wrong types is refused before any sign-in) other than its own.
fn wrong_password(state: &State, body: &Value) -> bool {
    state.accepted_bodies.iter().any(|accepted| {
        let (user, password) = (accepted.get("userName"), accepted.get("userPassword"));
        let sent = body.get("userPassword").filter(|sent| sent.is_string());
        user.is_some() && body.get("userName") == user && sent.is_some_and(|sent| Some(sent) != password)
    })
}

/// The property whose empty value a fault takes for the right one.
fn accepts_empty(fault: Fault) -> Option<&'static str> {
    match fault {
        Fault::EmptyPasswordAccepted => Some("userPassword"),
        Fault::EmptyUserCodeAccepted => Some("userCode"),
        Fault::EmptyImpersonationAccepted => Some("impersonationAccountName"),
        _ => None,
    }
}

/// Whether a fault that checks no certificate but whether it opens takes `sent`'s.
fn any_certificate_that_opens(sent: &serde_json::Map<String, Value>) -> bool {
    use base64::Engine as _;
    let text = |key: &str| sent.get(key).and_then(Value::as_str).unwrap_or_default();
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(text("applicationCertificate")) else {
        return false;
    };
    let password = secrecy::SecretString::from(text("applicationCertificatePassword"));
    crate::contract::credentials::check_pfx(&bytes, &password, std::path::Path::new("applicationCertificate")).is_ok()
}

/// The body names one variant (the schema checked that); its values must be the organization's,
/// but for those a fault leaves unchecked.
fn credentials_accepted(state: &State, body: &Value) -> bool {
    let Some(sent) = body.as_object() else { return false };
    // The property a fault takes for the right one when it is empty, if it is.
    let empty_taken = state.fault.and_then(accepts_empty).filter(|property| sent.get(*property) == Some(&json!("")));
    let unchecked: &[&str] = match state.fault {
        Some(Fault::CertificateNotChecked) if any_certificate_that_opens(sent) => {
            &["applicationCertificate", "applicationCertificatePassword"]
        }
        Some(Fault::UserNameNotChecked) => &["userName"],
        Some(Fault::UserPasswordNotChecked) => &["userPassword"],
        Some(Fault::ExchangeCredentialsNotChecked) => &["userName", "userPassword"],
        Some(Fault::DeviceCodeNotChecked) => &["userCode"],
        Some(Fault::CertificatePasswordNotChecked) => &["applicationCertificatePassword"],
        Some(Fault::ApplicationIdNotChecked) => &["applicationId"],
        Some(Fault::ImpersonationAccountNotChecked) => &["impersonationAccountName"],
        _ => &[],
    };
    // Once a restore connected to Exchange, the connection is reused whatever the body says.
    let cached = state.fault == Some(Fault::CredentialsCachedAfterRestore) && state.restores > 0;
    state.accepted_bodies.iter().any(|expected| {
        expected.as_object().is_some_and(|expected| {
            expected.len() == sent.len()
                && expected.iter().all(|(key, value)| {
                    sent.get(key).is_some_and(|given| {
                        given == value
                            || cached
                            || unchecked.contains(&key.as_str())
                            || empty_taken == Some(key.as_str())
                    })
                })
        })
    })
}

/// The bodies of the variants the organization accepts, built once.
pub(super) fn accepted_bodies(exchange: &crate::contract::credentials::ExchangeCredentials) -> Vec<Value> {
    Variant::ALL.iter().filter_map(|&variant| exchange.body(variant).ok()).collect()
}

/// The credential variant a conforming body carries.
fn variant_of(body: &Value) -> Option<Variant> {
    let has = |name: &str| body.get(name).is_some();
    match (has("userName"), has("userCode"), has("applicationCertificate")) {
        (true, false, false) => Some(Variant::Password),
        (false, true, false) => Some(Variant::DeviceCode),
        (false, false, true) => Some(Variant::Certificate),
        _ => None,
    }
}
