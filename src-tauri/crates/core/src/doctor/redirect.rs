//! Is the profile's redirect URI a form thanks.io's client registration accepts? The verdict
//! and the advice are `oauth::redirect_form`'s; this only maps them onto a check.

use url::Url;

use super::{Outcome, fail, ok, warn};
use crate::oauth::redirect_form::{RedirectForm, classify};

pub(super) fn assess(uri: &Url) -> Outcome {
    let form = classify(uri.as_str());
    match form {
        RedirectForm::PrivateUse | RedirectForm::LoopbackIp => {
            ok(format!("{uri}: {}", form.advice()))
        }
        RedirectForm::Localhost | RedirectForm::Https => warn(
            format!("{uri} works with thanks.io, with a catch."),
            form.advice(),
        ),
        RedirectForm::PrivateUseSingleSlash { .. } | RedirectForm::Unusable => fail(
            format!(
                "{uri} is a form thanks.io's client registration refuses or this app can't receive."
            ),
            form.advice(),
            None,
        ),
    }
}
