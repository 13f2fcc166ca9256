//! The real server on an ephemeral port, spoken to with a plain `std::net` HTTP/1.1 client.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use portcullis_collector::{CollectorConfig, Server};
use serde_json::Value;

/// Sends `request` bytes, reads until the server closes; returns (status, body).
fn exchange(addr: SocketAddr, request: &[u8]) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let text = String::from_utf8(response).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_owned())
}

fn post_request(path: &str, token: &str, body: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: collector\r\nContent-Type: application/x-ndjson\r\n\
         Authorization: Bearer {token}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn get_request(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: collector\r\nConnection: close\r\n\r\n").into_bytes()
}

fn admin_get_request(path: &str, token: &str) -> Vec<u8> {
    format!(
        "GET {path} HTTP/1.1\r\nHost: collector\r\nAuthorization: Bearer {token}\r\n\
         Connection: close\r\n\r\n"
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn real_server_ingests_over_tcp_and_shuts_down_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("verdicts.db");
    let config = CollectorConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        db_path: db.clone(),
        admin_token: Some("tcp-admin".to_owned()),
        ..CollectorConfig::default()
    };
    let node_token = portcullis_collector::register_node(&db, "tcp-node", None).unwrap();
    let server = Server::bind(config).await.unwrap();
    let addr = server.local_addr();
    assert_ne!(addr.port(), 0);
    assert_eq!(server.db_path(), db.as_path());
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));

    let client = tokio::task::spawn_blocking(move || {
        assert_eq!(
            exchange(addr, &get_request("/healthz")),
            (200, "ok".to_owned())
        );

        let batch = format!(
            "{}\n{}\nnot json\n",
            common::full_record("2026-11-25T22:08:02.123Z", "tcp-1"),
            common::record("2026-11-25T22:08:03Z", "tcp-2", "monitored", "")
        );
        let (status, body) = exchange(addr, &post_request("/v1/verdicts", &node_token, &batch));
        assert_eq!(status, 200, "{body}");
        let report: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(report["accepted"], 2);
        assert_eq!(report["lines"][2]["line"], 3);
        assert_eq!(report["lines"][2]["result"], "refused");

        let (status, _) = exchange(addr, &post_request("/v1/verdicts", "nope", &batch));
        assert_eq!(status, 401);

        let (status, _) = exchange(addr, &get_request("/api/verdicts"));
        assert_eq!(status, 401, "the API needs the admin token");
        let (status, body) = exchange(
            addr,
            &admin_get_request("/api/verdicts?action=monitored", "tcp-admin"),
        );
        assert_eq!(status, 200);
        let list: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(list["verdicts"].as_array().unwrap().len(), 1);
        assert_eq!(list["verdicts"][0]["unique_id"], "tcp-2");
    });
    client.await.unwrap();

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "listener closed after shutdown"
    );

    // Everything acknowledged is on disk.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM verdicts", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_request_times_out_with_408() {
    let dir = tempfile::tempdir().unwrap();
    let config = CollectorConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        db_path: dir.path().join("v.db"),
        request_timeout: Duration::from_millis(300),
        insecure_no_auth: true,
        ..CollectorConfig::default()
    };
    let server = Server::bind(config).await.unwrap();
    let addr = server.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));

    tokio::task::spawn_blocking(move || {
        // Announce 100 bytes, send 10, then stall.
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let start = Instant::now();
        stream
            .write_all(
                b"POST /v1/verdicts HTTP/1.1\r\nHost: c\r\nContent-Length: 100\r\n\r\n{\"time\":\"",
            )
            .unwrap();
        let mut response = [0u8; 512];
        let n = stream.read(&mut response).unwrap();
        let text = String::from_utf8_lossy(&response[..n]).into_owned();
        assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        assert!(text.contains("request timed out"), "{text}");
        assert!(start.elapsed() < Duration::from_secs(5));
    })
    .await
    .unwrap();

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unfinished_headers_are_cut_off_and_do_not_block_shutdown() {
    let dir = tempfile::tempdir().unwrap();
    let config = CollectorConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        db_path: dir.path().join("v.db"),
        request_timeout: Duration::from_millis(500),
        shutdown_grace: Duration::from_millis(300),
        insecure_no_auth: true,
        ..CollectorConfig::default()
    };
    let server = Server::bind(config).await.unwrap();
    let addr = server.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));

    tokio::task::spawn_blocking(move || {
        // Slowloris: half a request line, then nothing. The server hangs up after the timeout.
        let mut stream = TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let start = Instant::now();
        stream.write_all(b"POST /v1/verd").unwrap();
        let mut buf = [0u8; 256];
        let closed = matches!(stream.read(&mut buf), Ok(0) | Err(_)) || {
            // hyper may answer 408 before closing; then the next read sees the close.
            matches!(stream.read(&mut buf), Ok(0) | Err(_))
        };
        assert!(closed);
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{:?}",
            start.elapsed()
        );
    })
    .await
    .unwrap();

    // A stalled connection at shutdown time is closed after the grace period.
    let stalled = TcpStream::connect(addr).unwrap();
    (&stalled).write_all(b"GET /hea").unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    let start = Instant::now();
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(5), running)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    drop(stalled);
}

#[tokio::test]
async fn bind_errors_name_the_address() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let config = CollectorConfig {
        listen: taken.local_addr().unwrap(),
        db_path: dir.path().join("v.db"),
        ..CollectorConfig::default()
    };
    let err = Server::bind(config).await.err().unwrap();
    assert!(
        err.to_string()
            .starts_with(&format!("cannot listen on {}", taken.local_addr().unwrap())),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_pruner_keeps_the_row_limit_while_serving() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let config = CollectorConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        db_path: db.clone(),
        insecure_no_auth: true,
        retain_rows: 2,
        prune_interval: Duration::from_millis(100),
        ..CollectorConfig::default()
    };
    let server = Server::bind(config).await.unwrap();
    let addr = server.local_addr();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let running = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));
    let rows = tokio::task::spawn_blocking(move || {
        let batch: Vec<String> = (0..5)
            .map(|i| common::record("2099-01-01T00:00:00Z", &format!("p-{i}"), "blocked", ""))
            .collect();
        let (status, _) = exchange(addr, &post_request("/v1/verdicts", "-", &batch.join("\n")));
        assert_eq!(status, 200);
        let conn = rusqlite::Connection::open(&db).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let rows: i64 = conn
                .query_row("SELECT count(*) FROM verdicts", [], |r| r.get(0))
                .unwrap();
            if rows <= 2 || Instant::now() > deadline {
                return rows;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    })
    .await
    .unwrap();
    assert_eq!(rows, 2, "pruned down to --retain-rows in the background");
    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}
