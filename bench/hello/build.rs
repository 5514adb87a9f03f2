// Declares the one command the page may call, as the app declares its own (least privilege).
fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(&["painted"])),
    )
    .expect("tauri build script");
}
