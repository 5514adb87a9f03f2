//! Command-line syntax. The commands and flags are a contract (README, scripts, support
//! runbooks): add, don't rename.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "thanksctl",
    version,
    about = "Connect to thanks.io, inspect tokens and call the API."
)]
pub struct Cli {
    /// Profile to use [default: "default", or a company build's own profile]. `events` without
    /// it shows every profile.
    #[arg(long, global = true, env = "THANKS_CONNECT_PROFILE")]
    pub profile: Option<String>,
    /// More logging on stderr (-v info, -vv debug). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, change or show profiles.
    #[command(subcommand)]
    Profile(ProfileCmd),
    /// Connect the profile to a thanks.io account through the browser (or --with-token).
    Login(LoginArgs),
    /// Finish a pending login with the address the browser landed on.
    Complete {
        /// The callback URL, e.g. dev.thanksconnect.app://oauth/callback?code=…&state=…
        callback_url: String,
    },
    /// Show the profile's token state (never a token).
    Status {
        #[arg(long)]
        json: bool,
        /// Every profile at once, one row each (keyring checked once).
        #[arg(long)]
        all: bool,
    },
    /// Show the token timeline: logins, refreshes (and why), failures, disconnects.
    Events {
        #[arg(long)]
        json: bool,
        /// Only the newest N events.
        #[arg(long, value_name = "N")]
        last: Option<usize>,
    },
    /// Ask thanks.io whether it accepts the profile's token (GET /ping).
    Validate,
    /// Print a diagnostic report for a support ticket (no token or secret in it).
    Report {
        /// Write it to FILE instead of stdout.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Refresh the access token now.
    Refresh,
    /// Call the thanks.io API with the profile's token. Requests that print, mail or charge are
    /// priced first and, unless test mode covers them, confirmed.
    Call(CallArgs),
    /// List the thanks.io endpoints this tool knows ($ costs money, legacy, no auth).
    Endpoints {
        /// Print the whole catalog (parameters, body templates…) as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Print the access token (refreshed first if needed).
    Token,
    /// Remove the profile's tokens from the keyring.
    Logout,
    /// Check this computer: keyring, link handler, browser, loopback port, clock, redirect URI.
    /// Exits 2 when a check failed.
    Doctor {
        #[arg(long)]
        json: bool,
        /// The app's link scheme to check [default: the profile's redirect scheme, or the
        /// release app's].
        #[arg(long, value_name = "SCHEME")]
        scheme: Option<String>,
    },
    /// Run a local thanks.io stand-in, or play the user on its consent page.
    Sandbox(SandboxArgs),
}

#[derive(Debug, Subcommand)]
pub enum ProfileCmd {
    /// Create the profile or change some of its settings.
    Set(ProfileSetArgs),
    /// Show the profile's settings (the client secret only as set / not set).
    Show {
        #[arg(long)]
        json: bool,
    },
    /// List the profiles.
    List,
    /// Disconnect and delete the profile, including its client secret.
    Remove,
    /// Write the profile as a setup file for the team (never tokens), or print a setup link.
    Export(ProfileExportArgs),
    /// Create a profile from a setup file or a setup link.
    Import(ProfileImportArgs),
}

#[derive(Debug, Args)]
pub struct ProfileExportArgs {
    /// Include the client secret, encrypted with a passphrase (--passphrase-stdin).
    #[arg(long, requires = "passphrase_stdin")]
    pub with_secret: bool,
    /// Read the passphrase from the first line of stdin.
    #[arg(long, requires = "with_secret")]
    pub passphrase_stdin: bool,
    /// Write the setup file here.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        required_unless_present = "link"
    )]
    pub output: Option<PathBuf>,
    /// Print a setup link instead of writing a file (a link never carries the secret).
    #[arg(long, conflicts_with_all = ["with_secret", "output"])]
    pub link: bool,
    /// The deep-link scheme of the app the link is for (debug builds use their own).
    #[arg(long, value_name = "SCHEME", default_value = thanks_core::setup::link::APP_SCHEME)]
    pub scheme: String,
}

#[derive(Debug, Args)]
pub struct ProfileImportArgs {
    /// A setup file (.thanksconnect) or a setup link (<scheme>://setup?…).
    #[arg(value_name = "FILE|LINK")]
    pub source: String,
    /// Read the passphrase of the setup's encrypted client secret from stdin.
    #[arg(long)]
    pub passphrase_stdin: bool,
    /// Read the client secret from stdin, for a setup that needs one but doesn't carry it.
    #[arg(long, conflicts_with = "passphrase_stdin")]
    pub client_secret_stdin: bool,
    /// Replace a profile of the same name.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ProfileSetArgs {
    #[arg(long, value_name = "URL")]
    pub authorize_url: Option<String>,
    #[arg(long, value_name = "URL")]
    pub token_url: Option<String>,
    #[arg(long, value_name = "URL")]
    pub api_base: Option<String>,
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Read the OAuth client secret from the first line of stdin (it goes to the keyring).
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// The redirect URI registered in thanks.io; an empty string goes back to the default
    /// (dev.thanksconnect.app://oauth/callback).
    #[arg(long, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// OAuth scope; an empty string clears it.
    #[arg(long, value_name = "SCOPE")]
    pub scope: Option<String>,
    /// RFC 7009 revocation endpoint used on logout; an empty string clears it.
    #[arg(long, value_name = "URL")]
    pub revocation_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// Don't open the browser; only print the authorize URL.
    #[arg(long)]
    pub no_browser: bool,
    /// Give up after this many seconds (a login is valid for 600).
    #[arg(long, value_name = "SECS", default_value_t = 600)]
    pub timeout: u64,
    /// Read a thanks.io personal access token from stdin instead of signing in.
    #[arg(long, conflicts_with_all = ["no_browser"])]
    pub with_token: bool,
}

#[derive(Debug, Args)]
pub struct CallArgs {
    /// HTTP method, e.g. GET or POST.
    pub method: String,
    /// Path relative to the API base (orders/list), or a full URL on it.
    pub path: String,
    /// JSON body, or @FILE to read it from a file.
    #[arg(short = 'd', long = "data", value_name = "JSON|@FILE")]
    pub data: Option<String>,
    /// Extra header, 'Name: value'. Repeatable.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// Query parameter key=value. Repeatable.
    #[arg(short = 'q', long = "query", value_name = "KEY=VALUE")]
    pub query: Vec<String>,
    /// Print the status line and response headers before the body.
    #[arg(short = 'i', long = "include")]
    pub include: bool,
    /// Send a request that prints, mails or charges without asking (the estimate is still
    /// shown). Needed when stdin is not a terminal.
    #[arg(short = 'y', long = "yes")]
    pub yes: bool,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct SandboxArgs {
    #[command(subcommand)]
    pub action: Option<SandboxAction>,
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8765)]
    pub port: u16,
    /// Lifetime of the access tokens it issues.
    #[arg(long, value_name = "SECS", default_value_t = 3600)]
    pub access_token_ttl: u64,
    /// Requests per minute per access token before 429.
    #[arg(long, value_name = "N", default_value_t = 60)]
    pub rate_limit: u32,
    /// Use this client id instead of the default.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// Read the client secret from this file instead of generating one.
    #[arg(long, value_name = "FILE")]
    pub client_secret_file: Option<PathBuf>,
    /// Also accept this redirect URI (repeatable). With --strict-registration, register it
    /// (only these are accepted then).
    #[arg(long = "redirect-uri", value_name = "URI")]
    pub redirect_uris: Vec<String>,
    /// Register redirect URIs the way thanks.io does: each must pass Laravel Passport's check
    /// (a scheme and a host), and only registered ones are accepted (exactly; any port on
    /// 127.0.0.1 and [::1]). More can be registered at /__sandbox/clients.
    #[arg(long)]
    pub strict_registration: bool,
    /// Answer bad or expired tokens with 401 {"message":"Unauthenticated."} everywhere
    /// (Passport's default) instead of the shapes thanks.io's spec documents per endpoint.
    #[arg(long)]
    pub always_401: bool,
    /// Print the settings as one JSON line (for scripts).
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum SandboxAction {
    /// Play the user on the sandbox's consent page: open AUTHORIZE_URL, click Approve (or Deny),
    /// print the callback URL it redirects to. Used by the demo and tests as the "browser".
    Consent {
        authorize_url: String,
        #[arg(long)]
        deny: bool,
    },
}
