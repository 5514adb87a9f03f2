//! `/api/v2`: thanks.io's REST API over the in-memory [`World`] (§4 of THANKSIO_API.md).
//!
//! Collection paths answer with and without a trailing slash; the pre-2026 paths and parameter
//! names of §5 are accepted next to the current ones, and the endpoints only older docs list are
//! served too (`legacy`, `stored`), so every entry of the shared endpoint catalog exists. Unknown
//! paths get thanks.io's JSON 404 and known paths with the wrong method a JSON 405, both before
//! authentication as in Laravel.

mod accounts;
mod address;
mod catalog;
mod gate;
mod kind;
mod legacy;
mod lists;
mod order;
mod orders;
mod paginate;
mod people;
mod plan;
mod pricing;
mod recipients;
mod reply;
pub(crate) mod seed;
mod sends;
mod stored;
mod templates;
mod validate;
mod webhooks;
mod world;

use axum::http::StatusCode;
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post, put};
use axum::{Json, Router};
use serde_json::json;

use crate::state::AppState;

pub(crate) use world::World;

pub(crate) fn routes(state: AppState) -> Router<AppState> {
    let public = Router::new()
        .route("/handwriting-styles", get(catalog::handwriting_styles))
        .route("/handwriting-styles/", get(catalog::handwriting_styles))
        .route("/giftcard-brands", get(catalog::giftcard_brands))
        .route("/giftcard-brands-list", get(catalog::giftcard_brands_list))
        // The stored send's URL is its own credential (see `stored`).
        .route("/stored_send/{kind}/{id}", get(stored::run));

    let mut private = Router::new()
        .route("/ping", get(ping))
        .route("/send/{kind}", post(sends::send))
        .route("/estimate/{kind}", post(sends::estimate))
        .route("/orders/list", get(orders::list))
        .route("/orders/stats", get(legacy::order_stats))
        .route("/orders/search", get(legacy::order_search))
        .route("/orders/{id}/track", get(orders::track))
        .route("/orders/{id}/items", get(orders::items))
        .route("/orders/{id}/cancel", put(orders::cancel))
        .route("/order/{id}/cancel", put(orders::cancel))
        .route("/orders/{id}/replay", post(orders::replay))
        .route(
            "/order-items/{id}/invalidate-giftcard",
            put(orders::invalidate_giftcard).patch(orders::invalidate_giftcard),
        )
        .route(
            "/recipients",
            post(recipients::create).get(legacy::recipient_search),
        )
        .route("/recipients/lookup", post(legacy::recipient_lookup))
        .route(
            "/recipients/{id}",
            get(recipients::show)
                .put(recipients::update)
                .delete(recipients::delete),
        )
        .route(
            "/recipients-utils/create-multiple",
            post(recipients::create_multiple),
        )
        .route("/recipients_multi", post(recipients::create_multiple))
        .route(
            "/recipients-utils/delete-by-address",
            post(recipients::delete_by_address),
        )
        .route(
            "/recipients/delete-by-address",
            post(recipients::delete_by_address),
        )
        .route(
            "/mailing-lists/{id}",
            get(lists::show).delete(lists::delete),
        )
        .route(
            "/mailing-lists-utils/recipients/{id}",
            get(lists::recipients),
        )
        .route("/mailing-lists/{id}/recipients", get(lists::recipients))
        .route(
            "/mailing-lists-utils/buy-radius-search",
            post(lists::buy_radius_search),
        )
        .route(
            "/mailing-lists/buy-radius-search",
            post(lists::buy_radius_search),
        )
        .route(
            "/mailing-lists-utils/count-radius-search",
            post(lists::count_radius_search),
        )
        .route(
            "/message-templates/{id}",
            get(templates::show)
                .patch(templates::update)
                .delete(templates::delete),
        )
        .route(
            "/sub-accounts/{id}",
            get(accounts::show)
                .put(accounts::update)
                .delete(accounts::delete),
        )
        .route(
            "/webhooks/{id}",
            put(webhooks::update).delete(webhooks::delete),
        )
        .route("/build/image-template", get(templates::build_image))
        .route("/stored_send/{kind}", post(stored::create))
        .route("/proof/postcard", post(legacy::proof_postcard))
        .route("/preview", post(legacy::handwriting_preview))
        .route("/letters/envelopes", get(legacy::envelopes))
        .route("/letters/envelopes/{id}", get(legacy::envelope));
    let collections: [(&str, MethodRouter<AppState>); 5] = [
        ("/mailing-lists", get(lists::index).post(lists::create)),
        ("/image-templates", get(templates::images)),
        (
            "/message-templates",
            get(templates::index).post(templates::create),
        ),
        ("/sub-accounts", get(accounts::index).post(accounts::create)),
        ("/webhooks", get(webhooks::index).post(webhooks::create)),
    ];
    for (path, methods) in collections {
        private = private
            .route(path, methods.clone())
            .route(&format!("{path}/"), methods);
    }

    private
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            gate::authenticate,
        ))
        .merge(public)
        // After route_layer, so a wrong method is answered before authentication.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(state, gate::envelope))
}

/// Token check used by thanks.io's own n8n node; its real body is undocumented.
async fn ping() -> Response {
    Json(json!({"message": "pong"})).into_response()
}

async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, Json(json!({"message": "Not Found"}))).into_response()
}

async fn method_not_allowed() -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(json!({"message": "The requested method is not supported for this route."})),
    )
        .into_response()
}
