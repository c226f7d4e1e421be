//! The lean engine: a hyper HTTP/1.1 server, on a thread and runtime of its own, that hands
//! every request to the double's dispatcher and keeps nothing of it. What a standalone double
//! runs on (wiremock keeps every request a mock matched, whatever its recording setting, so its
//! memory grows with every request).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::thread::JoinHandle;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper_util::rt::TokioIo;
use tokio::sync::watch;
use wiremock::http::Url;

use super::SharedState;
use super::api::Router;

/// A running lean server; dropping it stops it.
pub(crate) struct Lean {
    pub address: SocketAddr,
    shutdown: watch::Sender<bool>,
    thread: Option<JoinHandle<()>>,
}

impl Drop for Lean {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        // Joined only outside a runtime: a runtime's worker must not block on another's end.
        if tokio::runtime::Handle::try_current().is_err() {
            if let Some(thread) = self.thread.take() {
                let _ = thread.join();
            }
        }
    }
}

/// Serves `router` over `state` on `listener`, with `threads` worker threads.
pub(crate) fn start(
    listener: std::net::TcpListener,
    router: Router,
    state: SharedState,
    threads: usize,
) -> std::io::Result<Lean> {
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;
    let (shutdown, mut stopped) = watch::channel(false);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.max(1))
        .thread_name("vb365-double")
        .enable_all()
        .build()?;
    let thread = std::thread::Builder::new().name("vb365-double-accept".into()).spawn(move || {
        runtime.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
            loop {
                tokio::select! {
                    _ = stopped.changed() => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let _ = stream.set_nodelay(true);
                        let (router, state) = (router.clone(), state.clone());
                        tokio::spawn(async move {
                            let service = hyper::service::service_fn(move |request| {
                                answer(router.clone(), state.clone(), request)
                            });
                            let _ = hyper::server::conn::http1::Builder::new()
                                .serve_connection(TokioIo::new(stream), service)
                                .await;
                        });
                    }
                }
            }
        });
        runtime.shutdown_background();
    })?;
    Ok(Lean { address, shutdown, thread: Some(thread) })
}

async fn answer(
    router: Router,
    state: SharedState,
    request: hyper::Request<Incoming>,
) -> Result<hyper::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map(|collected| collected.to_bytes().to_vec()).unwrap_or_default();
    let target = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let url = Url::parse(&format!("http://localhost{target}"))
        .unwrap_or_else(|_| Url::parse("http://localhost/").expect("a URL"));
    let request = wiremock::Request { url, method: parts.method, headers: parts.headers, body };
    let answer = router.handle(&state, &request);
    if let Some(delay) = answer.delay {
        tokio::time::sleep(delay).await;
    }
    let mut response = hyper::Response::new(Full::new(Bytes::from(answer.body)));
    *response.status_mut() = hyper::StatusCode::from_u16(answer.status).unwrap_or(hyper::StatusCode::OK);
    if let Some(mime) = answer.mime {
        response.headers_mut().insert(hyper::header::CONTENT_TYPE, hyper::header::HeaderValue::from_static(mime));
    }
    for (name, value) in answer.headers {
        response
            .headers_mut()
            .append(hyper::header::HeaderName::from_static(name), hyper::header::HeaderValue::from_static(value));
    }
    Ok(response)
}
