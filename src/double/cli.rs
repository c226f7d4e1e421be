//! `vb365-double`, the standalone double for client developers: its command line, what it
//! prints on start, and its run until Ctrl-C or SIGTERM. The binary (src/bin/vb365-double.rs)
//! only calls [`main`].

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use secrecy::ExposeSecret;

use super::start_error::StartError;
use super::state::Served;
use super::tls::{Identity, TlsFront};
use super::{Config, Double, FAULTS, Fault, Operator, VARIATIONS, Variation, control, defaults, settings_file};
use crate::contract::credentials::secret;
use crate::contract::version::{ApiVersion, versions_name, versions_named};

/// A fake VB365 REST API server (v6, v7 or v8, or all of them at once as a real server serves
/// them) for people who write VB365 clients: sign-in, explore, restore sessions, paged mailboxes,
/// the mailbox restore (counts computed from each mailbox's state), v8 statistics and events,
/// Stop. No real data; its credentials are its own.
#[derive(Debug, Parser)]
#[command(name = "vb365-double", version)]
pub struct Args {
    /// Where to listen.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:4443")]
    pub listen: SocketAddr,
    /// Serve plain HTTP instead of HTTPS.
    #[arg(long, conflicts_with_all = ["cert", "key", "ca_file"])]
    pub http: bool,
    /// The server certificate (chain) as PEM, instead of one made at start.
    #[arg(long, value_name = "PEM", requires = "key")]
    pub cert: Option<PathBuf>,
    /// The private key of --cert, as PEM.
    #[arg(long, value_name = "PEM", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Where to write the CA of the certificate made at start (default: a file in the temp folder, named on start).
    #[arg(long, value_name = "PATH", conflicts_with = "cert")]
    pub ca_file: Option<PathBuf>,
    /// Where to write the settings a live run of vb365-conformance against this double needs
    /// (VB365_*, a file a shell sources), with the application certificate as a .pfx beside it
    /// (default: files in the temp folder, named on start, removed on stop).
    #[arg(long, value_name = "PATH")]
    pub settings_file: Option<PathBuf>,
    /// The API versions served: v6, v7, v8, all (every one), or a list such as v6,v8 (each version
    /// once: a version named twice is refused as the typo it most likely is). Several
    /// versions share one state (one organization, its mailboxes, restore sessions and tokens):
    /// a session started through /v6 is seen through /v8, each version answering in its own
    /// shapes; a version not served answers 404.
    #[arg(long, value_name = "VERSIONS", default_value = "v6", value_parser = parse_versions)]
    pub api_version: Versions,
    /// Start with a fault, a departure from the vendor's contract (see --list-faults). With
    /// several versions served, it shows in those it lists; the others conform.
    #[arg(long, value_name = "NAME", value_parser = parse_fault)]
    pub fault: Option<Fault>,
    /// Start with a benign variation a conforming server may show (see --list-faults); like a
    /// fault, it shows in the served versions it lists.
    #[arg(long, value_name = "NAME", value_parser = parse_variation)]
    pub variation: Option<Variation>,
    /// Print every fault and variation, with what it does and its API versions, and exit.
    #[arg(long)]
    pub list_faults: bool,
    /// The operator's user name for POST /{version}/token.
    #[arg(long, value_name = "NAME", default_value = defaults::API_USER_NAME)]
    pub username: String,
    /// The operator's password for POST /{version}/token.
    #[arg(long, value_name = "PASSWORD", default_value = defaults::API_PASSWORD)]
    pub password: String,
    /// Worker threads of the server.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub threads: usize,
}

/// The API versions a standalone double serves, in order, each once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Versions(pub Vec<ApiVersion>);

fn parse_versions(text: &str) -> Result<Versions, String> {
    versions_named(text).map(Versions)
}

fn parse_fault(name: &str) -> Result<Fault, String> {
    FAULTS.iter().find(|info| info.name == name).map(|info| info.fault).ok_or_else(|| "see --list-faults".into())
}

fn parse_variation(name: &str) -> Result<Variation, String> {
    VARIATIONS.iter().find(|i| i.name == name).map(|i| i.variation).ok_or_else(|| "see --list-faults".into())
}

fn versions(list: &[ApiVersion]) -> String {
    list.iter().map(|v| v.name()).collect::<Vec<_>>().join(", ")
}

/// What --list-faults prints.
pub fn fault_list() -> String {
    let mut out = String::from("Faults (--fault NAME): departures from the vendor page or OpenAPI\n");
    for info in FAULTS {
        let line = format!("  {:<44} [{}] {}\n", info.name, versions(info.fault.versions()), info.departure);
        out.push_str(&line);
    }
    out.push_str("Variations (--variation NAME): what a conforming server may show\n");
    for info in VARIATIONS {
        let line = format!("  {:<44} [{}] {}\n", info.name, versions(info.variation.versions()), info.description);
        out.push_str(&line);
    }
    out
}

/// The binary's main: exit 0 after Ctrl-C or SIGTERM, 2 when it cannot start.
pub fn main() -> ExitCode {
    let args = Args::parse();
    if args.list_faults {
        print!("{}", fault_list());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build() {
        Ok(runtime) => runtime,
        Err(source) => return fail(&StartError::Runtime { source }),
    };
    match runtime.block_on(run(args)) {
        Ok(signal) => {
            println!("vb365-double: stopped ({signal})");
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}

fn fail(error: &StartError) -> ExitCode {
    eprintln!("vb365-double: {error}");
    ExitCode::from(2)
}

/// Starts the double as `args` say, prints what it accepts, and serves until a signal; answers
/// the signal's name.
pub async fn run(args: Args) -> Result<&'static str, StartError> {
    let config = Config {
        versions: args.api_version.0.clone(),
        operator: Operator::Password { user_name: args.username.clone(), password: secret(args.password.clone()) },
        fault: args.fault,
        variation: args.variation,
        listen: args.http.then_some(args.listen),
        record_requests: false,
        register_tokens: false,
        threads: args.threads,
        ..Config::default()
    };
    let served = Served::of(&config);
    for (name, shows_in) in [
        (args.fault.map(|f| f.to_string()), served.fault_versions()),
        (args.variation.map(|v| v.to_string()), served.variation_versions()),
    ] {
        if let Some(name) = name.filter(|_| shows_in.is_empty()) {
            return Err(StartError::NotInVersion { name, versions: versions_name(&served.versions) });
        }
    }
    let identity = match (&args.http, &args.cert, &args.key) {
        (true, _, _) => None,
        (false, Some(cert), Some(key)) => Some(Identity::from_pem_files(cert, key)?),
        _ => {
            let ip = args.listen.ip();
            let extra = if ip.is_loopback() || ip.is_unspecified() { Vec::new() } else { vec![ip.to_string()] };
            Some(Identity::generate(&extra.iter().map(String::as_str).collect::<Vec<_>>())?)
        }
    };
    if args.http {
        // Fail with a message, not a panic, when the port is taken.
        let listen = |source| StartError::Listen { address: args.listen, source };
        drop(std::net::TcpListener::bind(args.listen).map_err(listen)?);
    }
    let double = Double::start(config.clone()).await;
    let mut ca_file = None;
    let (url, _front) = match identity {
        None => (format!("http://{}", double.address()), None),
        Some(identity) => {
            if let Some(pem) = &identity.ca_pem {
                let path = args.ca_file.clone().unwrap_or_else(|| {
                    std::env::temp_dir().join(format!("vb365-double-ca-{}.pem", std::process::id()))
                });
                std::fs::write(&path, pem).map_err(|source| StartError::WriteCa { path: path.clone(), source })?;
                ca_file = Some(path);
            }
            let front = TlsFront::start(identity, double.address(), Some(args.listen)).await?;
            let host =
                if args.listen.ip().is_loopback() { "localhost".to_owned() } else { args.listen.ip().to_string() };
            (format!("https://{host}:{}", front.address.port()), Some(front))
        }
    };
    let settings_file = args
        .settings_file
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("vb365-double-settings-{}.env", std::process::id())));
    let target =
        settings_file::Target { path: &settings_file, base_url: &url, ca_file: ca_file.as_deref(), http: args.http };
    let pfx = settings_file::write(&config, &target).inspect_err(|_| {
        if let Some(path) = ca_file.as_ref().filter(|_| args.ca_file.is_none()) {
            let _ = std::fs::remove_file(path);
        }
    })?;
    print_banner(&config, &args, &url, ca_file.as_ref());
    println!(
        "settings for vb365-conformance: {} (the certificate: {}); run it with: . {0} && vb365-conformance",
        settings_file.display(),
        pfx.display()
    );
    // Listened to before "ready" is said: a supervisor may stop the double at once.
    let stopping = crate::signals::stopping();
    println!("ready; Ctrl-C or SIGTERM stops it");
    let _ = std::io::stdout().flush();
    let signal = stopping.await.name();
    if let Some(path) = ca_file.filter(|_| args.ca_file.is_none()) {
        let _ = std::fs::remove_file(path);
    }
    if args.settings_file.is_none() {
        let _ = std::fs::remove_file(&settings_file);
        let _ = std::fs::remove_file(&pfx);
    }
    drop(double);
    Ok(signal)
}

/// `items` as a sentence lists them: `a`, `a and b`, `a, b and c` (`word` instead of "and").
fn spoken(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{} {word} {last}", head.join(", ")),
    }
}

fn print_banner(config: &Config, args: &Args, url: &str, ca_file: Option<&PathBuf>) {
    let served = &config.versions;
    let each = |shape: &dyn Fn(ApiVersion) -> String, word: &str| {
        spoken(&served.iter().map(|&v| shape(v)).collect::<Vec<_>>(), word)
    };
    let d = &config.exchange;
    let mut out = format!(
        "vb365-double: a fake VB365 REST API {} server (no real data; its credentials are its own)\n",
        each(&|v| v.to_string(), "and")
    );
    out.push_str(&format!("base URL: {url} (the API is under {})\n", each(&|v| format!("/{v}/"), "and")));
    if served.len() > 1 {
        out.push_str("one state for every version: a token, restore session or restore made through one is seen through the others\n");
    }
    match (args.http, ca_file) {
        (true, _) => out.push_str("plain HTTP (--http)\n"),
        (false, Some(ca)) => out.push_str(&format!(
            "TLS: a certificate for localhost and 127.0.0.1 made at start; trust its CA: {} (curl --cacert {0})\n",
            ca.display()
        )),
        (false, None) => out.push_str("TLS: the certificate of --cert\n"),
    }
    // A fault or variation shows in the served versions it lists; say which when not all.
    let shown = |name: Option<String>, shows: Vec<ApiVersion>| match name {
        None => "none".to_owned(),
        Some(name) if shows.len() == served.len() => name,
        Some(name) => {
            let conform: Vec<ApiVersion> = served.iter().copied().filter(|v| !shows.contains(v)).collect();
            format!("{name} (in {}; {} conforming)", versions_name(&shows), versions_name(&conform))
        }
    };
    let faults = Served::of(config);
    out.push_str(&format!(
        "fault: {}; variation: {}\n",
        shown(config.fault.map(|f| f.to_string()), faults.fault_versions()),
        shown(config.variation.map(|x| x.to_string()), faults.variation_versions())
    ));
    let antiforgery: Vec<String> =
        served.iter().filter(|v| v.disables_antiforgery_token()).map(|v| v.to_string()).collect();
    out.push_str(&format!(
        "sign in: POST {} with grant_type=password, username={}, password={}{}\n",
        each(&|v| format!("/{v}/token"), "or"),
        args.username,
        args.password,
        match antiforgery.len() {
            0 => String::new(),
            n if n == served.len() => ", disable_antiforgery_token=true".to_owned(),
            _ => format!(" ({}: and disable_antiforgery_token=true)", spoken(&antiforgery, "and")),
        }
    ));
    let version = if served.len() == 1 { served[0].to_string() } else { "{version}".to_owned() };
    out.push_str(&format!("organization: {} (POST /{version}/Organizations/{{id}}/explore)\n", config.organization_id));
    out.push_str(&format!(
        "mailbox under test: John Smith <{}>, id {}\n",
        config.mailbox_email,
        super::DEFAULT_MAILBOX_ID
    ));
    out.push_str("Exchange credentials the restore accepts:\n");
    if let Some(p) = &d.password {
        out.push_str(&format!(
            "  {{\"userName\": \"{}\", \"userPassword\": \"{}\"}}\n",
            p.user_name,
            p.user_password.expose_secret()
        ));
    }
    if let Some(c) = &d.device_code {
        out.push_str(&format!("  {{\"userCode\": \"{}\"}}\n", c.user_code.expose_secret()));
    }
    if let Some(c) = &d.certificate {
        out.push_str(&format!(
            "  applicationId {}, applicationCertificate: Base64 of {} (built in; GET {url}{}config has the whole body), applicationCertificatePassword {}, impersonationAccountName {}\n",
            c.application_id,
            defaults::CERTIFICATE_FILE,
            control::PREFIX,
            c.certificate_password.expose_secret(),
            c.impersonation_account_name
        ));
    }
    out.push_str(&format!(
        "control: GET {url}{p}state, GET|PUT {url}{p}mailboxes/{{id}} (JSON; see docs/double.md)\n",
        p = control::PREFIX
    ));
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    let _ = stdout.flush();
}
