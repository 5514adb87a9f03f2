//! `thanksctl endpoints [--json]`: the shared endpoint catalog, as a table for people or as the
//! catalog's own JSON for scripts. Needs no profile, keyring or network.

use std::io::Write;
use std::process::ExitCode;

use thanks_core::catalog::{self, Endpoint};

pub fn run(json: bool) -> ExitCode {
    let all = catalog::endpoints();
    let text = if json {
        let mut t = serde_json::to_string_pretty(all).expect("the catalog serializes");
        t.push('\n');
        t
    } else {
        table(all)
    };
    // A reader that stops early (`| head`) is not an error.
    let _ = std::io::stdout().lock().write_all(text.as_bytes());
    ExitCode::SUCCESS
}

fn markers(e: &Endpoint) -> String {
    let mut m = Vec::new();
    if e.costs_money {
        m.push("$");
    }
    if e.is_legacy() {
        m.push("legacy");
    } else if e.status == "undocumented" {
        m.push("undocumented");
    }
    if !e.needs_auth {
        m.push("no auth");
    }
    if m.is_empty() {
        String::new()
    } else {
        format!("  [{}]", m.join(", "))
    }
}

fn table(all: &[Endpoint]) -> String {
    let method_w = all.iter().map(|e| e.method.len()).max().unwrap_or(0).max(6);
    let path_w = all.iter().map(|e| e.path.len()).max().unwrap_or(0);
    let mut out = format!("{:method_w$}  {:path_w$}  PURPOSE\n", "METHOD", "PATH");
    for e in all {
        out.push_str(&format!(
            "{:method_w$}  {:path_w$}  {}{}\n",
            e.method,
            e.path,
            e.purpose,
            markers(e)
        ));
    }
    out.push_str(
        "\n$ costs money (prints, mails or charges; `call` asks first) · legacy: an older name or \
         endpoint, may no longer work · no auth: works without a token\n",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_a_row_per_endpoint_with_markers() {
        let text = table(catalog::endpoints());
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("METHOD  PATH"));
        assert_eq!(lines.len(), catalog::endpoints().len() + 3);
        let row = |start: &str| {
            *lines
                .iter()
                .find(|l| l.starts_with(start))
                .unwrap_or_else(|| panic!("{start}"))
        };
        assert!(row("POST    /send/postcard ").ends_with("[$]"));
        assert!(row("POST    /send/letter ").ends_with("[$, legacy]"));
        assert!(row("GET     /handwriting-styles ").ends_with("[no auth]"));
        assert!(row("GET     /ping ").ends_with("[undocumented]"));
        assert!(!row("GET     /orders/list ").contains('['));
    }
}
