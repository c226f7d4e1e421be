//! A small HTTP/1.1 relay in front of the wiremock server, for answers wiremock cannot give:
//! no Content-Length (chunked), a wrong or repeated Content-Length, both framings at once, a
//! repeated Content-Type, a charset that lies, JSON text broken by the bytes around it, a
//! connection closed half-way or with no answer, header names in another case, connections
//! closed after an answer. It forwards every request unchanged and rewrites only the answers of
//! the restore operation (header case and connection handling: every answer). One request per
//! connection.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// How the relay rewrites answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rewrite {
    Chunked,
    ContentLengthLong,
    DropHalfway,
    UpperCaseHeaderNames,
    /// A second Content-Type field, `text/plain`, after the first.
    TextPlainToo,
    /// The Content-Type field twice, as it is.
    ContentTypeRepeated,
    ContentLengthRepeated,
    ChunkedWithContentLength,
    /// The Content-Type's charset parameter replaced by this one.
    Charset(&'static str),
    ByteOrderMark,
    TrailingValue,
    /// The first count (v8: the sessionId) named once more before it, with another value.
    DuplicateName,
    /// Every answer as it is, with `Connection: close`.
    CloseAfterAnswer,
    /// Every answer without `Connection: close`, so the client may keep the connection; a
    /// request sent on it then meets its close, unanswered (a load balancer's idle timeout).
    CloseWhenIdle,
    /// Error answers of the restore closed half-way.
    DropHalfwayRefusals,
    /// Successful answers of the restore never sent: the connection is closed instead.
    LoseSuccess,
    /// The Content-Length written with leading zeros, `000140`.
    ContentLengthLeadingZeros,
}

impl Rewrite {
    /// Whether it shapes every answer, not only the restore's.
    fn every_answer(self) -> bool {
        matches!(self, Rewrite::UpperCaseHeaderNames | Rewrite::CloseAfterAnswer | Rewrite::CloseWhenIdle)
    }
}

/// The running relay; dropping it stops it.
pub struct Relay {
    pub address: SocketAddr,
    task: JoinHandle<()>,
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The rewrite a double's fault or variation needs, if any. The relay rewrites the answers of
/// every version a double serves, which is right because each of these lists every version.
pub fn rewrite(config: &super::Config) -> Option<Rewrite> {
    use super::{Fault, Variation};
    match (config.fault, config.variation) {
        (Some(Fault::ContentLengthMissing), _) => Some(Rewrite::Chunked),
        (Some(Fault::ContentLengthWrong), _) => Some(Rewrite::ContentLengthLong),
        (Some(Fault::ConnectionDropped), _) => Some(Rewrite::DropHalfway),
        (Some(Fault::ContentTypeTwice), _) => Some(Rewrite::TextPlainToo),
        (Some(Fault::ContentTypeRepeated), _) => Some(Rewrite::ContentTypeRepeated),
        (Some(Fault::ContentLengthRepeated), _) => Some(Rewrite::ContentLengthRepeated),
        (Some(Fault::ChunkedWithContentLength), _) => Some(Rewrite::ChunkedWithContentLength),
        (Some(Fault::CharsetUtf16), _) => Some(Rewrite::Charset("utf-16")),
        (Some(Fault::CharsetLatin1), _) => Some(Rewrite::Charset("iso-8859-1")),
        (Some(Fault::BodyByteOrderMark), _) => Some(Rewrite::ByteOrderMark),
        (Some(Fault::BodyTrailingValue), _) => Some(Rewrite::TrailingValue),
        (Some(Fault::BodyDuplicateName), _) => Some(Rewrite::DuplicateName),
        (Some(Fault::ConnectionDroppedOnRefusals), _) => Some(Rewrite::DropHalfwayRefusals),
        (Some(Fault::RestoreAnswerLost), _) => Some(Rewrite::LoseSuccess),
        (_, Some(Variation::HeaderNameCase)) => Some(Rewrite::UpperCaseHeaderNames),
        (_, Some(Variation::ConnectionCloseAfterAnswer)) => Some(Rewrite::CloseAfterAnswer),
        (_, Some(Variation::ConnectionClosedWhenIdle)) => Some(Rewrite::CloseWhenIdle),
        (_, Some(Variation::ContentLengthLeadingZeros)) => Some(Rewrite::ContentLengthLeadingZeros),
        _ => None,
    }
}

/// Starts the relay on `listen` (a free loopback port when `None`), in front of `backend`.
pub async fn start(backend: SocketAddr, listen: Option<SocketAddr>, rewrite: Rewrite) -> std::io::Result<Relay> {
    let listener = super::listen::listener(listen)?;
    listener.set_nonblocking(true)?;
    let listener = TcpListener::from_std(listener)?;
    let address = listener.local_addr()?;
    let task = tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            tokio::spawn(async move {
                let _ = relay(client, backend, rewrite).await;
            });
        }
    });
    Ok(Relay { address, task })
}

async fn relay(mut client: TcpStream, backend: SocketAddr, rewrite: Rewrite) -> std::io::Result<()> {
    let request = read_request(&mut client).await?;
    let (head, body) = split_message(&request);
    let request_line = head.lines().next().unwrap_or_default().to_owned();
    // Ask the backend to close after its answer, so the answer ends at end-of-stream.
    let forwarded_head: String = head
        .lines()
        .filter(|line| !line.to_ascii_lowercase().starts_with("connection:"))
        .chain(std::iter::once("Connection: close"))
        .map(|line| format!("{line}\r\n"))
        .collect();
    let mut upstream = TcpStream::connect(backend).await?;
    upstream.write_all(forwarded_head.as_bytes()).await?;
    upstream.write_all(b"\r\n").await?;
    upstream.write_all(body).await?;
    let mut answer = Vec::new();
    upstream.read_to_end(&mut answer).await?;

    let (answer_head, answer_body) = split_message(&answer);
    let mut lines: Vec<String> = answer_head.lines().map(str::to_owned).collect();
    let status_line = if lines.is_empty() { String::new() } else { lines.remove(0) };
    lines.retain(|line| {
        let name = line.split(':').next().unwrap_or_default().to_ascii_lowercase();
        name != "connection" && name != "content-length"
    });
    if rewrite != Rewrite::CloseWhenIdle {
        lines.push("Connection: close".into());
    }
    let is_restore =
        request_line.split_whitespace().nth(1).is_some_and(|path| path.to_ascii_lowercase().ends_with("/restore"));
    let status: u16 = status_line.split_whitespace().nth(1).and_then(|code| code.parse().ok()).unwrap_or(0);
    let rewrite = match rewrite {
        _ if !is_restore && !rewrite.every_answer() => None,
        Rewrite::DropHalfwayRefusals if status >= 400 => Some(Rewrite::DropHalfway),
        Rewrite::LoseSuccess if (200..300).contains(&status) => {
            // The restore was carried out; its answer never leaves.
            return client.shutdown().await;
        }
        Rewrite::DropHalfwayRefusals | Rewrite::LoseSuccess => None,
        rewrite => Some(rewrite),
    };

    let mut out = Vec::new();
    let write_head = |out: &mut Vec<u8>, lines: &[String]| {
        out.extend_from_slice(format!("{status_line}\r\n").as_bytes());
        for line in lines {
            out.extend_from_slice(format!("{line}\r\n").as_bytes());
        }
        out.extend_from_slice(b"\r\n");
    };
    let content_type =
        |lines: &[String]| lines.iter().find(|line| line.to_ascii_lowercase().starts_with("content-type:")).cloned();
    let mut body = answer_body.to_vec();
    match rewrite {
        Some(Rewrite::Chunked | Rewrite::ChunkedWithContentLength) => {
            if rewrite == Some(Rewrite::ChunkedWithContentLength) {
                lines.push(format!("Content-Length: {}", body.len()));
            }
            lines.push("Transfer-Encoding: chunked".into());
            write_head(&mut out, &lines);
            out.extend_from_slice(format!("{:x}\r\n", body.len()).as_bytes());
            out.extend_from_slice(&body);
            out.extend_from_slice(b"\r\n0\r\n\r\n");
        }
        Some(Rewrite::ContentLengthLeadingZeros) => {
            lines.push(format!("Content-Length: 000{}", body.len()));
            write_head(&mut out, &lines);
            out.extend_from_slice(&body);
        }
        Some(Rewrite::ContentLengthLong) => {
            lines.push(format!("Content-Length: {}", body.len() + 1));
            write_head(&mut out, &lines);
            out.extend_from_slice(&body);
        }
        Some(Rewrite::DropHalfway) => {
            lines.push(format!("Content-Length: {}", body.len()));
            write_head(&mut out, &lines);
            out.extend_from_slice(&body[..body.len() / 2]);
        }
        Some(Rewrite::UpperCaseHeaderNames) => {
            lines.push(format!("Content-Length: {}", body.len()));
            let upper: Vec<String> = lines
                .iter()
                .map(|line| match line.split_once(':') {
                    Some((name, value)) => format!("{}:{value}", name.to_ascii_uppercase()),
                    None => line.clone(),
                })
                .collect();
            write_head(&mut out, &upper);
            out.extend_from_slice(&body);
        }
        Some(Rewrite::CloseWhenIdle) => {
            lines.push(format!("Content-Length: {}", body.len()));
            write_head(&mut out, &lines);
            out.extend_from_slice(&body);
            client.write_all(&out).await?;
            // Kept open until the client sends more (or leaves, or a minute passes); then closed
            // without an answer.
            let mut next = [0_u8; 1];
            let _ = tokio::time::timeout(std::time::Duration::from_secs(60), client.read(&mut next)).await;
            return Ok(());
        }
        other => {
            match other {
                Some(Rewrite::TextPlainToo) => lines.push("Content-Type: text/plain; charset=utf-8".into()),
                Some(Rewrite::ContentTypeRepeated) => lines.extend(content_type(&lines)),
                Some(Rewrite::ContentLengthRepeated) => lines.push(format!("Content-Length: {}", body.len())),
                Some(Rewrite::Charset(charset)) => {
                    lines.retain(|line| !line.to_ascii_lowercase().starts_with("content-type:"));
                    lines.push(format!("Content-Type: application/json; charset={charset}"));
                }
                Some(Rewrite::ByteOrderMark) => body.splice(0..0, *b"\xEF\xBB\xBF").for_each(drop),
                Some(Rewrite::TrailingValue) => body.extend_from_slice(b"\r\n{}"),
                Some(Rewrite::DuplicateName) => body = duplicate_first_name(&body),
                _ => {}
            }
            lines.push(format!("Content-Length: {}", body.len()));
            write_head(&mut out, &lines);
            out.extend_from_slice(&body);
        }
    }
    client.write_all(&out).await?;
    client.shutdown().await
}

/// Reads one request: its head, then as many body bytes as its Content-Length says.
async fn read_request(client: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let read = client.read(&mut chunk).await?;
        if read == 0 {
            return Ok(buffer);
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(end) = find(&buffer, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|line| line.strip_prefix("content-length:"))
                .and_then(|value| value.trim().parse().ok())
                .unwrap_or(0);
            while buffer.len() < end + 4 + length {
                let read = client.read(&mut chunk).await?;
                if read == 0 {
                    break;
                }
                buffer.extend_from_slice(&chunk[..read]);
            }
            return Ok(buffer);
        }
    }
}

/// The answer with its count (v8: its sessionId) named once more at the start of the object,
/// with another value: a reader that keeps the first of two names reads a wrong one.
fn duplicate_first_name(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let first = if text.contains("\"createdItemsCount\"") {
        "\"createdItemsCount\":987654,"
    } else {
        "\"sessionId\":\"00000000-0000-0000-0000-000000000000\","
    };
    match text.find('{') {
        Some(open) => format!("{}{first}{}", &text[..=open], &text[open + 1..]).into_bytes(),
        None => body.to_vec(),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// (head without the blank line, body).
fn split_message(message: &[u8]) -> (String, &[u8]) {
    match find(message, b"\r\n\r\n") {
        Some(end) => (String::from_utf8_lossy(&message[..end]).into_owned(), &message[end + 4..]),
        None => (String::from_utf8_lossy(message).into_owned(), &[]),
    }
}

#[cfg(test)]
mod tests {
    use crate::contract::version::ApiVersion;
    use crate::double::{Config, FAULTS, VARIATIONS};

    /// A double serving several versions shows a fault only in those it lists; the relay knows no
    /// version, so what it rewrites must be meant for every version.
    #[test]
    fn what_the_relay_rewrites_shows_in_every_version() {
        for info in FAULTS {
            let config = Config { fault: Some(info.fault), ..Config::default() };
            if super::rewrite(&config).is_some() {
                assert_eq!(info.fault.versions(), ApiVersion::ALL, "{}", info.name);
            }
        }
        for info in VARIATIONS {
            let config = Config { variation: Some(info.variation), ..Config::default() };
            if super::rewrite(&config).is_some() {
                assert_eq!(info.variation.versions(), ApiVersion::ALL, "{}", info.name);
            }
        }
    }
}
