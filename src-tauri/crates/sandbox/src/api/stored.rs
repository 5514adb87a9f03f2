//! Stored sends (§4.11, legacy): `POST /stored_send/{type}` validates a send body like
//! `/send/{type}` and saves it; opening the returned `stored_send_url` performs the send.
//!
//! thanks.io doesn't document whether opening the URL needs a token; its purpose (a URL another
//! system triggers, the embed widget's "automation mode") suggests the URL is the credential, so
//! the sandbox serves it without authentication. Every opening sends again, and test mode
//! applies as to any send. The body is validated again when run, against the data of that
//! moment (a mailing list may have been deleted meanwhile).

use axum::body::Bytes;
use axum::extract::{Path, State};

use super::kind::MailKind;
use super::plan;
use super::reply::{ApiError, ApiResult, object_body, ok};
use super::sends;
use super::world::StoredSend;
use crate::random;
use crate::state::{AppState, lock};
use serde_json::json;

/// The types thanks.io's stored sends were documented for (`letter` is the windowed letter).
const KINDS: &[&str] = &[
    "postcard",
    "letter",
    "windowlessletter",
    "notecard",
    "giftcard",
];

fn kind(segment: &str) -> Result<MailKind, ApiError> {
    if !KINDS.contains(&segment) {
        return Err(ApiError::not_found());
    }
    MailKind::from_path(segment).ok_or_else(ApiError::not_found)
}

/// `POST /stored_send/{type}` → `{"stored_send_url": "…/api/v2/stored_send/{type}/{id}"}`.
pub(crate) async fn create(
    State(s): State<AppState>,
    Path(segment): Path<String>,
    body: Bytes,
) -> ApiResult {
    let mail = kind(&segment)?;
    let body = object_body(&body)?;
    let mut world = lock(&s.world);
    plan::plan(mail, &body, &world)?;
    let id = random::b64url(18);
    world.stored_sends.insert(
        id.clone(),
        StoredSend {
            kind: segment.clone(),
            body,
        },
    );
    ok(json!({
        "stored_send_url": format!("{}/api/v2/stored_send/{segment}/{id}", s.base_url),
    }))
}

/// `GET /stored_send/{type}/{id}`: performs the stored send; the answer is the send's.
pub(crate) async fn run(
    State(s): State<AppState>,
    Path((segment, id)): Path<(String, String)>,
) -> ApiResult {
    let mail = kind(&segment)?;
    let body = {
        let world = lock(&s.world);
        let stored = world
            .stored_sends
            .get(&id)
            .filter(|stored| stored.kind == segment)
            .ok_or_else(ApiError::not_found)?;
        stored.body.clone()
    };
    sends::run(&s, mail, &body)
}
