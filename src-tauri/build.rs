// Declares the app's own commands so capabilities can list each one (least privilege: a command
// not granted in capabilities/ can't be called from the web view).
fn main() {
    let commands = &[
        "app_info",
        "app_painted",
        "ui_prefs_set",
        "profile_list",
        "profile_get",
        "profile_save",
        "profile_remove",
        "profile_copy_redirect",
        "auth_start",
        "auth_cancel",
        "auth_copy_url",
        "auth_paste",
        "auth_with_token",
        "auth_logout",
        "token_status",
        "token_refresh",
        "token_validate",
        "token_copy",
        "console_send",
        "console_cancel",
        "endpoints_list",
        "sandbox_start",
        "mailers_list",
        "console_inspect",
        "cost_check",
        "curl_copy",
        "curl_import",
        "response_copy",
        "response_save",
        "history_list",
        "history_get",
        "history_delete",
        "history_clear",
        "history_rerun",
        "setup_pending",
        "setup_pick",
        "setup_import",
        "setup_dismiss",
        "setup_export",
        "setup_link_copy",
        "doctor_run",
        "doctor_fix",
    ];
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(commands)),
    )
    .expect("tauri build script");
}
