//! Web articles: a blocking HTTP(S) download of one page, for [`super::read`] to parse.
//!
//! [`fetch`] takes only `http` and `https` addresses and follows redirects itself, so every hop is
//! checked: at most [`Limits::max_redirects`] of them, relative `Location`s resolved against the
//! current address, and never a step to another scheme. The body is streamed under
//! [`Limits::max_bytes`] (refused early when `Content-Length` already says too much, and counted
//! after gzip decoding), the whole download under [`Limits::total_timeout`], and content types that
//! are clearly not text are refused before the body is read. A cancel flag is checked before each
//! request and between chunks. Every [`FetchError`] message names the address and is meant for
//! users.
//!
//! Blocking: call it from a worker thread, never from the UI thread. Each call has its own
//! connections; nothing is shared between calls.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ureq::http::{header, StatusCode};
use url::Url;

use super::MAX_ARTICLE_BYTES;

/// Sent with every request so site owners can tell what is reading their pages.
const USER_AGENT: &str = concat!("Cuebook/", env!("CARGO_PKG_VERSION"), " (+article import)");

/// Readable formats first; anything else is a last resort the content type check may refuse.
const ACCEPT: &str = "text/html,application/xhtml+xml,text/markdown,text/plain;q=0.9,*/*;q=0.1";

/// Bytes read from the body per step, between cancel and deadline checks.
const CHUNK_BYTES: usize = 16 * 1024;

/// How much one [`fetch`] may cost.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Longest wait for a connection (including the TLS handshake) to one server.
    pub connect_timeout: Duration,
    /// Longest time for the whole download, redirects and body included.
    pub total_timeout: Duration,
    /// Largest body accepted, after decompression.
    pub max_bytes: usize,
    /// Most redirects followed; one more is refused.
    pub max_redirects: u32,
}

impl Default for Limits {
    /// 10 s to connect, 30 s in all, [`MAX_ARTICLE_BYTES`] and 5 redirects.
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(30),
            max_bytes: MAX_ARTICLE_BYTES,
            max_redirects: 5,
        }
    }
}

/// A downloaded page.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The body, decompressed, at most [`Limits::max_bytes`] long.
    pub bytes: Vec<u8>,
    /// The `Content-Type` header as sent, charset included, for [`super::Hint::content_type`].
    pub content_type: Option<String>,
    /// The address after redirects, without any `#fragment`.
    pub final_url: String,
}

/// Why a page could not be downloaded. Messages name the address.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    #[error("\u{201c}{url}\u{201d} is not a web address: only http:// and https:// links can be imported")]
    NotWeb { url: String },
    #[error("{url} redirects to {location}, which is not an http:// or https:// address")]
    BadRedirect { url: String, location: String },
    #[error("{url} was not loaded: too many redirects (more than {limit})")]
    TooManyRedirects { url: String, limit: u32 },
    #[error("{url} answered HTTP {code}{}", reason.map(|r| format!(" {r}")).unwrap_or_default())]
    Status {
        url: String,
        code: u16,
        reason: Option<&'static str>,
    },
    #[error("{url} is not a text page (its content type is {content_type})")]
    NotText { url: String, content_type: String },
    #[error("{url} is larger than the size limit of {}", human_size(*.limit))]
    TooLarge { url: String, limit: usize },
    #[error("could not connect to {url} within {} (timed out)", human_duration(*.limit))]
    ConnectTimeout { url: String, limit: Duration },
    #[error("{url} did not finish loading within {} (timed out)", human_duration(*.limit))]
    Timeout { url: String, limit: Duration },
    #[error("could not load {url}: {reason}")]
    Network { url: String, reason: String },
    #[error("loading {url} was cancelled")]
    Cancelled { url: String },
}

/// Whether `s`, trimmed, is an `http://` or `https://` address with a host.
pub fn is_web_url(s: &str) -> bool {
    parse_web_url(s.trim()).is_some()
}

fn parse_web_url(s: &str) -> Option<Url> {
    // The url crate, like browsers, reads `http:example.org` and `https:///example.org` as if the
    // host were there; a link a person pastes never looks like that, so insist on `//` and a host
    // right after it.
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let after_scheme = if lower.starts_with("http://") {
        &s[7..]
    } else if lower.starts_with("https://") {
        &s[8..]
    } else {
        return None;
    };
    if after_scheme.is_empty() || after_scheme.starts_with(['/', '\\']) {
        return None;
    }
    Url::parse(s).ok().filter(is_web)
}

fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty())
}

/// Downloads the page at `url` (trimmed) within `limits`, following redirects.
///
/// # Errors
///
/// [`FetchError::NotWeb`] for anything but an http(s) address with a host;
/// [`FetchError::BadRedirect`] and [`FetchError::TooManyRedirects`] for redirects off the web or
/// past [`Limits::max_redirects`]; [`FetchError::Status`] for a final status other than 2xx;
/// [`FetchError::NotText`] for images, audio, video, archives, PDFs and other binary types;
/// [`FetchError::TooLarge`] past [`Limits::max_bytes`]; [`FetchError::ConnectTimeout`] and
/// [`FetchError::Timeout`] past the time limits; [`FetchError::Network`] when the host is unknown,
/// the connection fails or the response is malformed; [`FetchError::Cancelled`] once `cancel` is
/// set.
pub fn fetch(url: &str, limits: &Limits, cancel: &AtomicBool) -> Result<Fetched, FetchError> {
    let url = url.trim();
    let mut current = parse_web_url(url).ok_or_else(|| FetchError::NotWeb {
        url: url.to_owned(),
    })?;
    current.set_fragment(None);
    let deadline = Instant::now() + limits.total_timeout;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_connect(Some(limits.connect_timeout))
        .user_agent(USER_AGENT)
        .accept(ACCEPT)
        .build()
        .into();
    let mut redirects = 0;
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(FetchError::Cancelled {
                url: url.to_owned(),
            });
        }
        let remaining = deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err(timeout(&current, limits));
        }
        let mut response = agent
            .get(current.as_str())
            .config()
            .timeout_global(Some(remaining))
            .build()
            .call()
            .map_err(|e| request_error(&e, &current, limits))?;
        let status = response.status();
        let location = response.headers().get(header::LOCATION);
        if let (true, Some(location)) = (status.is_redirection(), location) {
            let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
            if redirects >= limits.max_redirects {
                return Err(FetchError::TooManyRedirects {
                    url: url.to_owned(),
                    limit: limits.max_redirects,
                });
            }
            let mut next = current
                .join(location.trim())
                .ok()
                .filter(is_web)
                .ok_or_else(|| FetchError::BadRedirect {
                    url: current.to_string(),
                    location,
                })?;
            next.set_fragment(None);
            redirects += 1;
            current = next;
            continue;
        }
        if !status.is_success() {
            return Err(status_error(status, &current));
        }
        let content_type = response
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned())
            .filter(|v| !v.is_empty());
        if let Some(content_type) = content_type.as_deref().filter(|t| !is_text_type(t)) {
            return Err(FetchError::NotText {
                url: current.to_string(),
                content_type: content_type.to_owned(),
            });
        }
        let declared_len = response
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared_len.is_some_and(|n| n > limits.max_bytes as u64) {
            return Err(too_large(&current, limits));
        }
        let mut reader = response.body_mut().as_reader();
        let bytes = read_body(&mut reader, &current, url, limits, deadline, cancel)?;
        return Ok(Fetched {
            bytes,
            content_type,
            final_url: current.into(),
        });
    }
}

/// Reads the body in chunks, checking the cancel flag, the deadline and the size limit between
/// them. `original` is the address the caller asked for, named when cancelled.
fn read_body(
    reader: &mut impl Read,
    url: &Url,
    original: &str,
    limits: &Limits,
    deadline: Instant,
    cancel: &AtomicBool,
) -> Result<Vec<u8>, FetchError> {
    let mut bytes = Vec::new();
    let mut chunk = vec![0; CHUNK_BYTES];
    loop {
        if cancel.load(Ordering::Relaxed) {
            return Err(FetchError::Cancelled {
                url: original.to_owned(),
            });
        }
        if Instant::now() >= deadline {
            return Err(timeout(url, limits));
        }
        let n = match reader.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(&e, url, limits)),
        };
        if bytes.len() + n > limits.max_bytes {
            return Err(too_large(url, limits));
        }
        bytes.extend_from_slice(&chunk[..n]);
    }
}

/// Whether a `Content-Type` may hold an article: everything but the clearly binary families.
/// What slips through as text but is binary, [`super::read`] still refuses.
fn is_text_type(content_type: &str) -> bool {
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let binary_family = ["image/", "audio/", "video/", "font/", "model/"]
        .iter()
        .any(|p| mime.starts_with(p));
    let binary_application = matches!(
        mime.as_str(),
        "application/octet-stream"
            | "application/pdf"
            | "application/zip"
            | "application/x-zip-compressed"
            | "application/gzip"
            | "application/x-gzip"
            | "application/x-tar"
            | "application/x-bzip2"
            | "application/x-xz"
            | "application/zstd"
            | "application/x-7z-compressed"
            | "application/x-rar-compressed"
            | "application/vnd.rar"
            | "application/java-archive"
            | "application/x-msdownload"
            | "application/wasm"
            | "application/msword"
            | "application/x-shockwave-flash"
    ) || mime.ends_with("+zip")
        || mime.starts_with("application/vnd.ms-")
        || mime.starts_with("application/vnd.openxmlformats-")
        || mime.starts_with("application/vnd.oasis.opendocument.");
    !(binary_family || binary_application)
}

fn status_error(status: StatusCode, url: &Url) -> FetchError {
    FetchError::Status {
        url: url.to_string(),
        code: status.as_u16(),
        reason: status.canonical_reason(),
    }
}

fn timeout(url: &Url, limits: &Limits) -> FetchError {
    FetchError::Timeout {
        url: url.to_string(),
        limit: limits.total_timeout,
    }
}

fn too_large(url: &Url, limits: &Limits) -> FetchError {
    FetchError::TooLarge {
        url: url.to_string(),
        limit: limits.max_bytes,
    }
}

/// Maps a client error to what the user is told.
fn request_error(e: &ureq::Error, url: &Url, limits: &Limits) -> FetchError {
    let network = |reason: String| FetchError::Network {
        url: url.to_string(),
        reason,
    };
    match e {
        ureq::Error::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => {
            FetchError::ConnectTimeout {
                url: url.to_string(),
                limit: limits.connect_timeout,
            }
        }
        ureq::Error::Timeout(_) => timeout(url, limits),
        ureq::Error::Io(io) => read_error(io, url, limits),
        ureq::Error::HostNotFound => network("the server's name was not found".into()),
        ureq::Error::BadUri(_) => FetchError::NotWeb {
            url: url.to_string(),
        },
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) | ureq::Error::Pem(_) => {
            network(format!("the secure connection failed ({e})"))
        }
        ureq::Error::Protocol(_) | ureq::Error::LargeResponseHeader(..) => {
            network(format!("the server sent a malformed response ({e})"))
        }
        ureq::Error::Decompress(..) => network(format!("the compressed page is damaged ({e})")),
        ureq::Error::ConnectionFailed => network("the connection failed".into()),
        _ => network(e.to_string()),
    }
}

/// Maps an I/O error, possibly wrapping a client error as the body reader does.
fn read_error(e: &std::io::Error, url: &Url, limits: &Limits) -> FetchError {
    use std::io::ErrorKind;
    if let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<ureq::Error>()) {
        return request_error(inner, url, limits);
    }
    let reason = match e.kind() {
        ErrorKind::TimedOut | ErrorKind::WouldBlock => return timeout(url, limits),
        ErrorKind::ConnectionRefused => "the server refused the connection".to_owned(),
        ErrorKind::ConnectionReset | ErrorKind::ConnectionAborted | ErrorKind::UnexpectedEof => {
            "the server closed the connection before the page was complete".to_owned()
        }
        _ => format!("the connection failed ({e})"),
    };
    FetchError::Network {
        url: url.to_string(),
        reason,
    }
}

fn human_size(bytes: usize) -> String {
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= MIB {
        format!("{:.1} MiB", bytes as f64 / MIB as f64)
    } else {
        format!("{bytes} bytes")
    }
}

fn human_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufRead, BufReader, Write};
    use std::net::{TcpListener, TcpStream};
    use std::sync::mpsc;
    use std::thread;

    /// One request as the test server saw it.
    struct Request {
        path: String,
        /// The request line and headers, lowercased.
        head: String,
    }

    /// Starts a server on 127.0.0.1 that answers each connection with `handler`, one at a time,
    /// and returns its base address (`http://127.0.0.1:PORT`). The thread lives until the test
    /// process ends.
    fn serve(handler: impl Fn(&Request, &mut TcpStream) + Send + 'static) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a local port");
        let base = format!("http://{}", listener.local_addr().expect("local address"));
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                if let Some(request) = read_request(&stream) {
                    handler(&request, &mut stream);
                }
            }
        });
        base
    }

    fn read_request(stream: &TcpStream) -> Option<Request> {
        let mut reader = BufReader::new(stream.try_clone().ok()?);
        let mut head = String::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).ok()? == 0 {
                return None;
            }
            if line == "\r\n" {
                break;
            }
            head.push_str(&line);
        }
        let path = head.split_whitespace().nth(1)?.to_owned();
        Some(Request {
            path,
            head: head.to_ascii_lowercase(),
        })
    }

    /// Writes a complete response with a `Content-Length`, then closes.
    fn respond(stream: &mut TcpStream, status: &str, headers: &[(&str, &str)], body: &[u8]) {
        let mut out = format!(
            "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
            body.len()
        );
        for (name, value) in headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("\r\n");
        // The client may hang up early (size limit, refused type); that is what some tests check.
        let _ = stream
            .write_all(out.as_bytes())
            .and_then(|()| stream.write_all(body));
    }

    fn html_page(base: String) -> String {
        format!("{base}/page.html")
    }

    fn quick() -> Limits {
        Limits {
            connect_timeout: Duration::from_secs(2),
            total_timeout: Duration::from_secs(5),
            max_bytes: 1000,
            max_redirects: 5,
        }
    }

    fn not_cancelled() -> AtomicBool {
        AtomicBool::new(false)
    }

    /// A server where `/hop/N` redirects to `/hop/N+1` until `last`, which is a page. The hop from
    /// 2 to 3 uses a relative `Location` (`3` against `/hop/2`); the others are absolute.
    fn redirect_chain(last: u32) -> String {
        let base_cell = std::sync::Arc::new(std::sync::OnceLock::<String>::new());
        let shared = base_cell.clone();
        let base = serve(move |req, stream| {
            let n: u32 = req
                .path
                .strip_prefix("/hop/")
                .and_then(|n| n.parse().ok())
                .unwrap_or(u32::MAX);
            if n == last {
                respond(stream, "200 OK", &[("Content-Type", "text/plain")], b"end");
            } else if n == 2 {
                respond(stream, "302 Found", &[("Location", "3")], b"");
            } else if n < last {
                let base = shared.get().expect("base is set before requests");
                let location = format!("{base}/hop/{}", n + 1);
                respond(
                    stream,
                    "301 Moved Permanently",
                    &[("Location", &location)],
                    b"",
                );
            } else {
                respond(stream, "404 Not Found", &[], b"");
            }
        });
        base_cell.set(base.clone()).expect("base is set once");
        base
    }

    #[test]
    fn default_limits_are_ten_seconds_thirty_seconds_the_article_size_and_five_redirects() {
        let limits = Limits::default();
        assert_eq!(limits.connect_timeout, Duration::from_secs(10), "connect");
        assert_eq!(limits.total_timeout, Duration::from_secs(30), "total");
        assert_eq!(
            limits.max_bytes, MAX_ARTICLE_BYTES,
            "the reader's own limit"
        );
        assert_eq!(limits.max_redirects, 5, "redirects");
    }

    #[test]
    fn only_http_and_https_addresses_with_a_host_are_web_urls() {
        for good in [
            "https://example.org/a",
            "http://example.org",
            "  https://example.org/a?b=c#d \n",
            "HTTPS://Example.org/",
            "http://127.0.0.1:8080/x",
        ] {
            assert!(is_web_url(good), "{good:?} is a web address");
        }
        for bad in [
            "",
            "   ",
            "file:///etc/passwd",
            "ftp://example.org/a.html",
            "javascript:alert(1)",
            "data:text/html,<p>x",
            "mailto:a@example.org",
            "http://",
            "https:///path",
            "http:example.org",
            "example.org/page",
            "not a url",
            "http://exa mple.org/",
        ] {
            assert!(!is_web_url(bad), "{bad:?} is not a web address");
        }
    }

    #[test]
    fn non_web_addresses_are_refused_with_a_message_naming_them() {
        for bad in [
            "file:///etc/passwd",
            "ftp://x.org/a",
            "javascript:alert(1)",
            "garbage",
        ] {
            let err = fetch(bad, &quick(), &not_cancelled()).expect_err("refused");
            assert!(
                matches!(err, FetchError::NotWeb { .. }),
                "{bad} is refused as not a web address: {err:?}"
            );
            assert!(
                err.to_string().contains(bad),
                "the message names the address: {err}"
            );
        }
    }

    #[test]
    fn an_html_page_comes_back_with_its_bytes_content_type_and_address() {
        let (tx, rx) = mpsc::channel();
        let base = serve(move |req, stream| {
            // The receiver outlives the one request; a failed send only loses the header check.
            let _ = tx.send(req.head.clone());
            respond(
                stream,
                "200 OK",
                &[("Content-Type", "text/html; charset=ISO-8859-1")],
                b"<html><p>Am\xE9lie</p></html>",
            );
        });
        let url = html_page(base);
        let page = fetch(&url, &quick(), &not_cancelled()).expect("page loads");
        assert_eq!(
            page.bytes, b"<html><p>Am\xE9lie</p></html>",
            "the body arrives byte for byte, undecoded"
        );
        assert_eq!(
            page.content_type.as_deref(),
            Some("text/html; charset=ISO-8859-1"),
            "the content type keeps its charset for the reader"
        );
        assert_eq!(page.final_url, url, "no redirect, same address");
        let head = rx.recv().expect("the server saw the request");
        assert!(
            head.contains(&format!(
                "user-agent: cuebook/{} (+article import)",
                env!("CARGO_PKG_VERSION")
            )),
            "the user agent names Cuebook: {head}"
        );
        assert!(
            head.contains(
                "accept: text/html,application/xhtml+xml,text/markdown,text/plain;q=0.9,*/*;q=0.1"
            ),
            "the accept header prefers readable formats: {head}"
        );
    }

    #[test]
    fn five_redirects_are_followed_to_the_final_address() {
        let base = redirect_chain(5);
        let page = fetch(&format!("{base}/hop/0"), &quick(), &not_cancelled())
            .expect("five redirects are allowed");
        assert_eq!(
            page.final_url,
            format!("{base}/hop/5"),
            "the final address is the last hop, reached through a relative Location too"
        );
        assert_eq!(page.bytes, b"end", "the last page's body");
    }

    #[test]
    fn a_sixth_redirect_is_refused() {
        let base = redirect_chain(6);
        let url = format!("{base}/hop/0");
        let err = fetch(&url, &quick(), &not_cancelled()).expect_err("six redirects");
        assert!(
            matches!(err, FetchError::TooManyRedirects { limit: 5, .. }),
            "the limit is five: {err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("too many redirects") && message.contains(&url),
            "plain message naming the address: {message}"
        );
    }

    #[test]
    fn a_redirect_to_ftp_is_refused() {
        let base = serve(|_, stream| {
            respond(
                stream,
                "302 Found",
                &[("Location", "ftp://127.0.0.1/article.txt")],
                b"",
            );
        });
        let err = fetch(&html_page(base), &quick(), &not_cancelled()).expect_err("ftp");
        assert!(
            matches!(err, FetchError::BadRedirect { .. }),
            "a redirect off the web is refused: {err:?}"
        );
        assert!(
            err.to_string().contains("ftp://127.0.0.1/article.txt"),
            "the message names where it led: {err}"
        );
    }

    #[test]
    fn a_declared_length_over_the_limit_is_refused() {
        let base = serve(|_, stream| {
            respond(
                stream,
                "200 OK",
                &[("Content-Type", "text/plain")],
                &[b'a'; 5000],
            );
        });
        let url = html_page(base);
        let err = fetch(&url, &quick(), &not_cancelled()).expect_err("too large");
        assert!(
            matches!(err, FetchError::TooLarge { limit: 1000, .. }),
            "over max_bytes: {err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("size limit of 1000 bytes") && message.contains(&url),
            "plain message naming the limit and address: {message}"
        );
    }

    #[test]
    fn an_undeclared_body_over_the_limit_is_refused_while_streaming() {
        let close_delimited = serve(|_, stream| {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n";
            // The client hangs up at the limit, so later writes fail; that is the point.
            let _ = stream.write_all(head.as_bytes());
            for _ in 0..50 {
                if stream.write_all(&[b'a'; 100]).is_err() {
                    break;
                }
            }
        });
        let chunked = serve(|_, stream| {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
            // As above: the client may hang up once it has seen enough.
            let _ = stream.write_all(head.as_bytes());
            for _ in 0..50 {
                if stream.write_all(b"64\r\n").is_err()
                    || stream.write_all(&[b'a'; 100]).is_err()
                    || stream.write_all(b"\r\n").is_err()
                {
                    break;
                }
            }
            // Same: the terminating chunk may find the connection closed.
            let _ = stream.write_all(b"0\r\n\r\n");
        });
        for base in [close_delimited, chunked] {
            let err = fetch(&html_page(base), &quick(), &not_cancelled()).expect_err("too large");
            assert!(
                matches!(err, FetchError::TooLarge { .. }),
                "5000 bytes without a length are over 1000: {err:?}"
            );
        }
    }

    #[test]
    fn a_body_of_exactly_the_limit_is_accepted() {
        let base = serve(|_, stream| {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n";
            // A failed write shows up as a short body in the assertion below.
            let _ = stream
                .write_all(head.as_bytes())
                .and_then(|()| stream.write_all(&[b'a'; 1000]));
        });
        let page = fetch(&html_page(base), &quick(), &not_cancelled()).expect("at the limit");
        assert_eq!(page.bytes.len(), 1000, "max_bytes itself is allowed");
        assert_eq!(page.content_type.as_deref(), Some("text/plain"), "type");
    }

    /// Sends headers promising a large body, then one byte every 50 ms for up to 10 s.
    fn trickle(stream: &mut TcpStream) {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 500\r\nConnection: close\r\n\r\n";
        if stream.write_all(head.as_bytes()).is_err() {
            return;
        }
        for _ in 0..200 {
            thread::sleep(Duration::from_millis(50));
            if stream.write_all(b"x").is_err() {
                return;
            }
        }
    }

    #[test]
    fn a_trickling_server_times_out_within_the_total_limit() {
        let base = serve(|_, stream| trickle(stream));
        let limits = Limits {
            total_timeout: Duration::from_secs(1),
            ..quick()
        };
        let url = html_page(base);
        let started = Instant::now();
        let err = fetch(&url, &limits, &not_cancelled()).expect_err("too slow");
        let took = started.elapsed();
        assert!(
            matches!(err, FetchError::Timeout { .. }),
            "a slow body is a timeout: {err:?}"
        );
        assert!(
            took < Duration::from_secs(5),
            "gives up near the 1 s limit, took {took:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains("within 1 s (timed out)") && message.contains(&url),
            "plain message naming the limit and address: {message}"
        );
    }

    #[test]
    fn a_silent_server_times_out_within_the_total_limit() {
        let base = serve(|_, _| thread::sleep(Duration::from_secs(4)));
        let limits = Limits {
            total_timeout: Duration::from_millis(500),
            ..quick()
        };
        let started = Instant::now();
        let err = fetch(&html_page(base), &limits, &not_cancelled()).expect_err("no answer");
        assert!(
            matches!(err, FetchError::Timeout { .. }),
            "no response headers is a timeout: {err:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "gives up near the limit, took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_not_found_page_names_the_status_and_address() {
        let base = serve(|_, stream| {
            respond(
                stream,
                "404 Not Found",
                &[("Content-Type", "text/html")],
                b"gone",
            );
        });
        let url = html_page(base);
        let err = fetch(&url, &quick(), &not_cancelled()).expect_err("404");
        assert!(
            matches!(err, FetchError::Status { code: 404, .. }),
            "the status is kept: {err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("{url} answered HTTP 404 Not Found"),
            "plain message naming status and address"
        );
    }

    #[test]
    fn a_server_error_is_an_error() {
        let base = serve(|_, stream| respond(stream, "500 Internal Server Error", &[], b""));
        let err = fetch(&html_page(base), &quick(), &not_cancelled()).expect_err("500");
        assert!(
            err.to_string().contains("500"),
            "the message names the status: {err}"
        );
    }

    #[test]
    fn an_image_is_refused_as_not_text() {
        let base = serve(|_, stream| {
            respond(
                stream,
                "200 OK",
                &[("Content-Type", "image/png")],
                b"\x89PNG\r\n\x1a\n",
            );
        });
        let url = html_page(base);
        let err = fetch(&url, &quick(), &not_cancelled()).expect_err("image");
        assert!(
            matches!(err, FetchError::NotText { .. }),
            "images are not articles: {err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!("{url} is not a text page (its content type is image/png)"),
            "plain message naming the type and address"
        );
    }

    #[test]
    fn text_content_types_are_accepted_and_binary_ones_refused() {
        for text in [
            "text/html",
            "text/html; charset=utf-8",
            "application/xhtml+xml",
            "text/plain",
            "text/markdown",
            "TEXT/CSV",
            "application/xml",
            "application/json",
        ] {
            assert!(is_text_type(text), "{text} may hold an article");
        }
        for binary in [
            "image/png",
            "image/svg+xml",
            "audio/mpeg",
            "video/mp4",
            "application/octet-stream",
            "application/pdf",
            "application/zip",
            "application/epub+zip",
            "Application/PDF; name=x.pdf",
            "font/woff2",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ] {
            assert!(!is_text_type(binary), "{binary} is not an article");
        }
    }

    #[test]
    fn a_set_cancel_flag_stops_before_any_request() {
        let base = serve(|_, stream| respond(stream, "200 OK", &[], b"page"));
        let err = fetch(&html_page(base), &quick(), &AtomicBool::new(true)).expect_err("cancel");
        assert!(
            matches!(err, FetchError::Cancelled { .. }),
            "a set flag cancels: {err:?}"
        );
    }

    #[test]
    fn cancelling_while_reading_stops_between_chunks() {
        let base = serve(|_, stream| trickle(stream));
        let cancel = std::sync::Arc::new(AtomicBool::new(false));
        let setter = cancel.clone();
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(200));
            setter.store(true, Ordering::Relaxed);
        });
        let started = Instant::now();
        let err = fetch(&html_page(base), &quick(), &cancel).expect_err("cancelled");
        assert!(
            matches!(err, FetchError::Cancelled { .. }),
            "the flag is seen between chunks: {err:?}"
        );
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "cancelling is prompt, took {:?}",
            started.elapsed()
        );
    }

    #[test]
    fn a_refused_connection_is_a_network_error_naming_the_address() {
        let port = {
            let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
            listener.local_addr().expect("address").port()
        };
        let url = format!("http://127.0.0.1:{port}/a");
        let err = fetch(&url, &quick(), &not_cancelled()).expect_err("nobody listens");
        assert!(
            matches!(err, FetchError::Network { .. }),
            "a closed port is a network error: {err:?}"
        );
        assert!(err.to_string().contains(&url), "names the address: {err}");
    }

    #[test]
    fn sizes_and_durations_read_plainly() {
        assert_eq!(human_size(MAX_ARTICLE_BYTES), "8 MiB", "whole MiB");
        assert_eq!(human_size(1000), "1000 bytes", "small sizes in bytes");
        assert_eq!(
            human_duration(Duration::from_secs(30)),
            "30 s",
            "whole seconds"
        );
        assert_eq!(
            human_duration(Duration::from_millis(1500)),
            "1.5 s",
            "fractions"
        );
    }
}
