//! The console: `/api/summary`, `/api/timeline`, `/api/nodes`, the extended `/api/verdicts`,
//! sign-in sessions, the rollups (kept on insert, rebuilt at upgrade) and the page.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use common::{attack, get_json, get_json_as, open, post, record, send, HOUR, WINDOW};
use portcullis_collector::register_node;
use serde_json::{json, Value};

const ADMIN: &str = "admin-s3cret";
/// Seeds one counters row (what `/v1/counters` stores) straight into the database.
fn counters(
    db: &std::path::Path,
    node: i64,
    minute_ms: i64,
    host: &str,
    app: &str,
    requests: i64,
    blocked: i64,
) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute(
            "INSERT INTO counters (node, minute_ms, host, application_id, mode, requests, blocked, passed) \
             VALUES (?1, ?2, ?3, ?4, 'block', ?5, ?6, ?5 - ?6) \
             ON CONFLICT (minute_ms, node, host, application_id, mode) DO UPDATE SET \
             requests = requests + excluded.requests, blocked = blocked + excluded.blocked, \
             passed = passed + excluded.passed",
            rusqlite::params![node, minute_ms, host, app, requests, blocked],
        )
        .unwrap();
}

fn ms(text: &str) -> i64 {
    portcullis_collector::parse_rfc3339_ms(text).unwrap()
}

async fn seed(app: &Router, db: &std::path::Path) {
    let lines = [
        attack(
            1,
            "a1",
            "203.0.113.9",
            (942100, "SQL Injection Attack Detected via libinjection"),
            "",
        ),
        attack(
            2,
            "a2",
            "203.0.113.9",
            (942100, "SQL Injection Attack Detected via libinjection"),
            r#","cves":["CVE-2021-44228"]"#,
        ),
        attack(
            3,
            "a3",
            "198.51.100.4",
            (930110, "Path Traversal Attack"),
            "",
        ),
        record(
            &format!("{HOUR}:04:00Z"),
            "m1",
            "monitored",
            r#","host":"api.example.com","path":"/x","source_ip":"203.0.113.9","application_id":"9","matched":[{"id":942100,"msg":"SQL Injection Attack Detected via libinjection"}],"attack_types":["sqli","xss"]"#,
        ),
        // Outside the window.
        record(
            "2026-11-25T23:30:00Z",
            "late",
            "blocked",
            r#","source_ip":"192.0.2.1""#,
        ),
    ];
    assert_eq!(post(app, lines.join("\n"), None).await.0, StatusCode::OK);
    for minute in 0..60 {
        counters(
            db,
            0,
            ms(&format!("{HOUR}:00:00Z")) + minute * 60_000,
            "shop.example.com",
            "7",
            10,
            1,
        );
    }
    counters(
        db,
        0,
        ms(&format!("{HOUR}:10:00Z")),
        "api.example.com",
        "9",
        5,
        0,
    );
}

#[tokio::test]
async fn summary_counts_traffic_and_attacks_of_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, None);
    seed(&app, &db).await;

    let (status, s) = get_json(&app, &format!("/api/summary?{WINDOW}")).await;
    assert_eq!(status, StatusCode::OK, "{s}");
    assert_eq!(s["from"], "2026-11-25T22:00:00Z");
    assert_eq!(s["seconds"], 3600.0);
    assert_eq!(s["totals"]["requests"], 605);
    assert_eq!(s["totals"]["blocked"], 60);
    assert_eq!(s["totals"]["passed"], 545);
    assert!((s["request_rate"].as_f64().unwrap() - 605.0 / 3600.0).abs() < 1e-9);
    assert_eq!(s["verdicts"], 4);
    assert_eq!(
        s["verdicts_by_action"],
        json!({"blocked": 3, "monitored": 1})
    );
    let top = &s["top"];
    assert_eq!(
        top["rules"][0],
        json!({"rule_id": 942100, "msg": "SQL Injection Attack Detected via libinjection", "count": 3})
    );
    assert_eq!(top["rules"][1]["rule_id"], 930110);
    assert_eq!(
        top["attack_types"],
        json!([{"value": "sqli", "count": 4}, {"value": "xss", "count": 1}])
    );
    assert_eq!(
        top["cves"],
        json!([{"value": "CVE-2021-44228", "count": 1}])
    );
    assert_eq!(
        top["source_ips"][0],
        json!({"value": "203.0.113.9", "count": 3})
    );
    assert_eq!(
        top["hosts"][0],
        json!({"value": "shop.example.com", "count": 3})
    );
    // Paths without their query string.
    assert_eq!(top["paths"][0], json!({"value": "/login", "count": 3}));
    let apps = s["applications"].as_array().unwrap();
    assert_eq!(
        apps[0],
        json!({"application_id": "7", "requests": 600, "blocked": 60, "monitored": 0,
        "verdicts": 3, "verdicts_blocked": 3, "verdicts_monitored": 0})
    );
    assert_eq!(apps[1]["application_id"], "9");
    assert_eq!(apps[1]["verdicts_monitored"], 1);

    // Filters: host and application narrow both counters and verdicts; action only verdicts.
    let (_, s) = get_json(&app, &format!("/api/summary?{WINDOW}&host=api.example.com")).await;
    assert_eq!(
        (s["totals"]["requests"].as_i64(), s["verdicts"].as_i64()),
        (Some(5), Some(1))
    );
    let (_, s) = get_json(
        &app,
        &format!("/api/summary?{WINDOW}&application_id=7&action=blocked"),
    )
    .await;
    assert_eq!(
        (s["totals"]["requests"].as_i64(), s["verdicts"].as_i64()),
        (Some(600), Some(3))
    );
    let (_, s) = get_json(&app, &format!("/api/summary?{WINDOW}&action=monitored")).await;
    assert_eq!(
        s["top"]["source_ips"],
        json!([{"value": "203.0.113.9", "count": 1}])
    );
    // A node that does not exist: nothing.
    let (_, s) = get_json(&app, &format!("/api/summary?{WINDOW}&node=nobody")).await;
    assert_eq!(
        (s["totals"]["requests"].as_i64(), s["verdicts"].as_i64()),
        (Some(0), Some(0))
    );
    // A part of the hour: only its minutes.
    let (_, s) = get_json(
        &app,
        "/api/summary?from=2026-11-25T22:02:00Z&to=2026-11-25T22:03:30Z",
    )
    .await;
    assert_eq!(s["to"], "2026-11-25T22:04:00Z", "widened to whole minutes");
    assert_eq!(
        (s["totals"]["requests"].as_i64(), s["verdicts"].as_i64()),
        (Some(20), Some(2))
    );
}

#[tokio::test]
async fn long_windows_add_up_days_hours_and_minutes_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, None);
    // One counters row and one verdict every 7 minutes for 3 days from 2026-11-01T05:03Z.
    let start = ms("2026-11-01T05:03:00Z");
    let mut lines = Vec::new();
    for i in 0..(3 * 24 * 60 / 7) {
        let t = start + i * 7 * 60_000;
        counters(&db, 0, t, "*", "", 3, 1);
        let time = portcullis_collector_time(t);
        lines.push(record(
            &time,
            &format!("v{i}"),
            "blocked",
            r#","source_ip":"10.0.0.1""#,
        ));
    }
    for chunk in lines.chunks(500) {
        assert_eq!(post(&app, chunk.join("\n"), None).await.0, StatusCode::OK);
    }
    let conn = rusqlite::Connection::open(&db).unwrap();
    for (from, to) in [
        ("2026-11-01T06:17:00Z", "2026-11-03T19:42:00Z"),
        ("2026-11-01T00:00:00Z", "2026-11-05T00:00:00Z"),
        ("2026-11-02T00:00:00Z", "2026-11-03T00:00:00Z"),
        ("2026-11-02T10:00:00Z", "2026-11-02T13:00:00Z"),
    ] {
        let (f, t) = (ms(from), ms(to));
        let (requests, verdicts): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT coalesce(sum(requests), 0) FROM counters WHERE minute_ms >= ?1 AND minute_ms < ?2), \
                        (SELECT count(*) FROM verdicts WHERE time_ms >= ?1 AND time_ms < ?2)",
                [f, t],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let (status, s) = get_json(&app, &format!("/api/summary?from={from}&to={to}")).await;
        assert_eq!(status, StatusCode::OK, "{s}");
        assert_eq!(
            s["totals"]["requests"].as_i64(),
            Some(requests),
            "{from}..{to}"
        );
        assert_eq!(s["verdicts"].as_i64(), Some(verdicts), "{from}..{to}");
        assert_eq!(
            s["top"]["source_ips"][0]["count"].as_i64(),
            Some(verdicts),
            "{from}..{to}"
        );
        let (_, tl) = get_json(&app, &format!("/api/timeline?from={from}&to={to}")).await;
        let points = tl["points"].as_array().unwrap();
        assert!(
            points.len() <= 120 && !points.is_empty(),
            "{}",
            points.len()
        );
        let sum = |k: &str| points.iter().map(|p| p[k].as_i64().unwrap()).sum::<i64>();
        // The timeline covers whole steps around the window: at least the window's counts.
        assert!(
            sum("requests") >= requests && sum("attacks") >= verdicts,
            "{from}..{to}"
        );
    }
    // A whole-day window at a one-day step reads the day buckets: exact.
    let (_, tl) = get_json(
        &app,
        "/api/timeline?from=2026-11-02T00:00:00Z&to=2026-11-04T00:00:00Z&step=1d",
    )
    .await;
    let day2: i64 = conn
        .query_row(
            "SELECT sum(requests) FROM counters WHERE minute_ms >= ?1 AND minute_ms < ?2",
            [ms("2026-11-02T00:00:00Z"), ms("2026-11-03T00:00:00Z")],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(tl["step_s"], 86_400);
    assert_eq!(tl["points"][0]["requests"].as_i64(), Some(day2));
}

/// RFC 3339 of UTC ms (whole seconds), for building records.
fn portcullis_collector_time(ms: i64) -> String {
    let secs = ms / 1000;
    let (days, rem) = (secs / 86_400, secs % 86_400);
    // 2026-11-01 is day 20758 since the epoch; the tests stay within November 2026.
    let day_of_month = days - 20_758 + 1;
    format!(
        "2026-11-{day_of_month:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[tokio::test]
async fn timeline_buckets_requests_and_attacks() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, None);
    seed(&app, &db).await;
    let (status, tl) = get_json(&app, &format!("/api/timeline?{WINDOW}")).await;
    assert_eq!(status, StatusCode::OK, "{tl}");
    assert_eq!(tl["step_s"], 60);
    let points = tl["points"].as_array().unwrap();
    assert_eq!(points.len(), 60);
    assert_eq!(
        points[1],
        json!({"time": "2026-11-25T22:01:00Z", "requests": 10, "blocked": 1,
        "monitored": 0, "passed": 9, "rate_limited": 0, "attacks": 1})
    );
    assert_eq!(points[10]["requests"], 15);
    let (_, tl) = get_json(&app, &format!("/api/timeline?{WINDOW}&step=15m")).await;
    let points = tl["points"].as_array().unwrap();
    assert_eq!(points.len(), 4);
    assert_eq!(points[0]["requests"], 155);
    assert_eq!(points[0]["attacks"], 4);
    for (query, message) in [
        (
            "step=30s",
            "step must be a whole number of minutes (e.g. 60s, 5m, 1h, 1d)",
        ),
        (
            "step=soon",
            "step must be a duration such as 60s, 5m, 1h or 1d",
        ),
        (
            "from=2026-01-01T00:00:00Z&to=2026-12-01T00:00:00Z&step=1m",
            "step too small for the window: more than 2000 points",
        ),
        ("from=yesterday", "from must be an RFC 3339 timestamp"),
        (
            "group=a&action=Blocked",
            "action must be one of blocked, monitored, passed, allowed, denied, rate_limited",
        ),
    ] {
        let (status, body) = get_json(&app, &format!("/api/timeline?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(body, json!({"error": message}), "{query}");
    }
}

#[tokio::test]
async fn verdicts_page_with_cursor_node_names_and_new_filters() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, Some(ADMIN));
    let eu = register_node(&db, "edge-eu", Some("prod-eu")).unwrap();
    let us = register_node(&db, "edge-us", Some("prod-us")).unwrap();
    let eu_lines = [
        attack(1, "a1", "203.0.113.9", (942100, "SQLi"), ""),
        attack(2, "a2", "203.0.113.9", (930110, "LFI"), ""),
        attack(3, "a3", "198.51.100.4", (942100, "SQLi"), ""),
    ];
    assert_eq!(
        post(&app, eu_lines.join("\n"), Some(&eu)).await.0,
        StatusCode::OK
    );
    assert_eq!(
        post(
            &app,
            attack(4, "b1", "192.0.2.7", (941100, "XSS"), ""),
            Some(&us)
        )
        .await
        .0,
        StatusCode::OK
    );

    let get = |uri: String| {
        let app = app.clone();
        async move { get_json_as(&app, &uri, Some(ADMIN)).await }
    };
    let (status, page) = get("/api/verdicts?limit=2".into()).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(common::unique_ids(&page), ["b1", "a3"]);
    assert_eq!(page["nodes"], json!(["edge-us", "edge-eu"]));
    let next = page["next"].as_str().unwrap().to_owned();
    let (_, page) = get(format!("/api/verdicts?limit=2&before={next}")).await;
    assert_eq!(common::unique_ids(&page), ["a2", "a1"]);
    let (_, page) = get(format!(
        "/api/verdicts?limit=2&before={}",
        page["next"].as_str().unwrap_or("x")
    ))
    .await;
    assert_eq!(
        page,
        json!({"error": "before must be the next value of a previous page"})
    );
    let (_, page) = get("/api/verdicts?limit=4".into()).await;
    assert_eq!(page["next"], Value::Null);

    for (query, want) in [
        ("node=edge-us", vec!["b1"]),
        ("group=prod-eu", vec!["a3", "a2", "a1"]),
        ("source_ip=203.0.113.9", vec!["a2", "a1"]),
        ("rule_id=942100", vec!["a3", "a1"]),
        (
            "from=2026-11-25T22:02:00Z&to=2026-11-25T22:04:00Z",
            vec!["a3", "a2"],
        ),
        ("since=2026-11-25T22:04:00Z", vec!["b1"]),
        ("node=nobody", vec![]),
    ] {
        let (status, page) = get(format!("/api/verdicts?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}: {page}");
        assert_eq!(common::unique_ids(&page), want, "{query}");
    }
    for (query, message) in [
        ("rule_id=x", "rule_id must be an integer"),
        (
            "since=2026-01-01T00:00:00Z&from=2026-01-01T00:00:00Z",
            "give since or from, not both",
        ),
        ("to=later", "to must be an RFC 3339 timestamp"),
    ] {
        let (status, body) = get(format!("/api/verdicts?{query}")).await;
        assert_eq!(
            (status, body),
            (StatusCode::BAD_REQUEST, json!({"error": message})),
            "{query}"
        );
    }
    // Summary by group and node name.
    let (_, s) = get(format!("/api/summary?{WINDOW}&group=prod-eu")).await;
    assert_eq!(s["verdicts"], 3);
    let (_, s) = get(format!("/api/summary?{WINDOW}&node=edge-us")).await;
    assert_eq!(s["top"]["rules"][0]["rule_id"], 941100);
}

#[tokio::test]
async fn nodes_show_workers_staleness_and_rate() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, Some(ADMIN));
    register_node(&db, "alive", Some("prod")).unwrap();
    register_node(&db, "silent", None).unwrap();
    register_node(&db, "never", None).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let id = |name: &str| -> i64 {
            conn.query_row("SELECT id FROM nodes WHERE name = ?1", [name], |r| r.get(0))
                .unwrap()
        };
        let worker = "INSERT INTO node_workers (node, worker, version, ruleset_fingerprint, rule_count, \
            workers, flush_interval_ms, last_seen_ms) VALUES (?1, ?2, ?3, 'fp-abc', 512, 2, ?4, ?5)";
        let alive = id("alive");
        conn.execute(
            worker,
            rusqlite::params![alive, "w1", "0.9.0", 1000, now - 500],
        )
        .unwrap();
        conn.execute(
            worker,
            rusqlite::params![alive, "w2", "0.9.0", 1000, now - 60_000],
        )
        .unwrap();
        conn.execute(
            worker,
            rusqlite::params![id("silent"), "w1", "0.8.0", 2000, now - 7_000],
        )
        .unwrap();
        drop(conn);
        counters(&db, alive, now - now % 60_000 - 60_000, "*", "", 600, 0);
    }
    let (status, body) = get_json_as(&app, "/api/nodes", Some(ADMIN)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let nodes = body["nodes"].as_array().unwrap();
    let names: Vec<&str> = nodes.iter().map(|n| n["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["alive", "never", "silent"]);
    let alive = &nodes[0];
    assert_eq!(alive["group"], "prod");
    assert_eq!(alive["stale"], false);
    assert_eq!(alive["version"], "0.9.0");
    assert_eq!(alive["ruleset_fingerprint"], "fp-abc");
    assert_eq!(alive["rule_count"], 512);
    assert_eq!(alive["live_workers"], 1);
    assert_eq!(alive["revoked"], false);
    let rate = alive["request_rate"].as_f64().unwrap();
    assert!(
        rate > 1.9 && rate <= 2.5,
        "600 requests over 4-5 minutes: {rate}"
    );
    assert_eq!(nodes[1]["stale"], true);
    assert_eq!(nodes[1]["last_seen"], Value::Null);
    // 7 s silent with a 2 s flush interval: more than 3 intervals.
    assert_eq!(nodes[2]["stale"], true);
    assert_eq!(nodes[2]["flush_interval_ms"], 2000);
    assert_eq!(nodes[2]["live_workers"], 0);
}

fn cookie_of(headers: &axum::http::HeaderMap) -> String {
    let set = headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    set.split(';').next().unwrap().to_owned()
}

async fn sign_in(app: &Router, token: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let body = serde_json::to_string(&json!({"token": token})).unwrap();
    send(
        app,
        Request::post("/api/session")
            .header("content-type", "application/json")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

async fn with_cookie(app: &Router, uri: &str, cookie: &str) -> StatusCode {
    send(
        app,
        Request::get(uri)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .0
}

#[tokio::test]
async fn sign_in_gives_a_signed_session_cookie_that_replicas_accept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, Some(ADMIN));
    let node = register_node(&db, "edge-1", None).unwrap();

    for wrong in ["wrong", node.as_str(), ""] {
        let (status, _, body) = sign_in(&app, wrong).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{wrong}");
        assert_eq!(body, r#"{"error":"missing or invalid bearer token"}"#);
    }
    let (status, _, _) = send(
        &app,
        Request::post("/api/session")
            .header("content-type", "application/json")
            .body(Body::from("{}"))
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let (status, headers, body) = sign_in(&app, ADMIN).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let set = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
        assert!(set.contains(attribute), "{set}");
    }
    let cookie = cookie_of(&headers);
    assert!(cookie.starts_with("portcullis_session=v1."), "{cookie}");
    assert_eq!(
        with_cookie(&app, "/api/summary", &cookie).await,
        StatusCode::OK
    );
    assert_eq!(
        with_cookie(&app, "/api/verdicts", &format!("other=1; {cookie}")).await,
        StatusCode::OK
    );
    let (_, _, text) = send(
        &app,
        Request::get("/api/session")
            .header(header::COOKIE, &cookie)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert!(
        text.starts_with(r#"{"auth":"session","expires":""#),
        "{text}"
    );
    assert_eq!(
        with_cookie(&app, "/api/summary", "").await,
        StatusCode::UNAUTHORIZED
    );

    // Tampered: another expiry, or one byte of the signature changed.
    let value = cookie.trim_start_matches("portcullis_session=");
    let mut parts: Vec<&str> = value.split('.').collect();
    let later = (parts[1].parse::<i64>().unwrap() + 1).to_string();
    parts[1] = &later;
    assert_eq!(
        with_cookie(
            &app,
            "/api/summary",
            &format!("portcullis_session={}", parts.join("."))
        )
        .await,
        StatusCode::UNAUTHORIZED
    );
    let mut flipped = cookie.clone();
    let last = flipped.pop().unwrap();
    flipped.push(if last == '0' { '1' } else { '0' });
    assert_eq!(
        with_cookie(&app, "/api/summary", &flipped).await,
        StatusCode::UNAUTHORIZED
    );
    // The cookie never works for ingest.
    let ingest = Request::post("/v1/verdicts")
        .header(header::COOKIE, &cookie)
        .body(Body::from(record(
            "2026-01-01T00:00:00Z",
            "x",
            "blocked",
            "",
        )))
        .unwrap();
    assert_eq!(send(&app, ingest).await.0, StatusCode::UNAUTHORIZED);

    // A second collector with the same admin token (another database) accepts it; one with
    // another token does not.
    let (replica, _r) = open(&dir.path().join("r.db"), Some(ADMIN));
    assert_eq!(
        with_cookie(&replica, "/api/summary", &cookie).await,
        StatusCode::OK
    );
    let (other, _o) = open(&dir.path().join("o.db"), Some("another-token"));
    assert_eq!(
        with_cookie(&other, "/api/summary", &cookie).await,
        StatusCode::UNAUTHORIZED
    );

    // Sign out: the cookie is cleared.
    let (status, headers, _) = send(
        &app,
        Request::delete("/api/session").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let set = headers.get(header::SET_COOKIE).unwrap().to_str().unwrap();
    assert!(
        set.starts_with("portcullis_session=;") && set.contains("Max-Age=0"),
        "{set}"
    );
}

#[tokio::test]
async fn without_an_admin_token_under_insecure_no_auth_there_is_nothing_to_sign_in_to() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), None);
    let (status, headers, body) = sign_in(&app, "anything").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, r#"{"auth":"none"}"#)
    );
    assert!(headers.get(header::SET_COOKIE).is_none());
    assert_eq!(
        get_json(&app, "/api/session").await.1,
        json!({"auth": "none"})
    );
}

#[tokio::test]
async fn the_page_and_its_assets_are_embedded() {
    let dir = tempfile::tempdir().unwrap();
    let (app, _state) = open(&dir.path().join("v.db"), Some(ADMIN));
    let (status, headers, body) = send(&app, Request::get("/").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/html; charset=utf-8");
    assert!(headers[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    assert!(
        body.contains(r#"data-testid="signin-form""#),
        "the sign-in form"
    );
    assert!(
        !body.contains("http://") && !body.contains("https://"),
        "no external assets"
    );
    for (asset, kind) in [
        ("app.js", "text/javascript"),
        ("api.js", "text/javascript"),
        ("chart.js", "text/javascript"),
        ("style.css", "text/css"),
    ] {
        let (status, headers, body) = send(
            &app,
            Request::get(format!("/assets/{asset}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{asset}");
        assert!(
            headers[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with(kind),
            "{asset}"
        );
        assert!(!body.is_empty(), "{asset}");
        assert!(!body.contains("https://"), "{asset}: no external URL");
    }
    let (status, _, _) = send(
        &app,
        Request::get("/assets/../Cargo.toml")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = send(
        &app,
        Request::get("/assets/nothing.js")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// Every rollup row of the database, sorted, for comparing.
fn rollups(db: &std::path::Path) -> (Vec<String>, Vec<String>, Vec<String>) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let rows = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        let mut out: Vec<String> = stmt
            .query_map([], |r| {
                let n = r.as_ref().column_count();
                Ok((0..n)
                    .map(|i| match r.get_ref(i).unwrap() {
                        rusqlite::types::ValueRef::Text(t) => {
                            String::from_utf8_lossy(t).into_owned()
                        }
                        other => format!("{other:?}"),
                    })
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .map(Result::unwrap)
            .collect();
        out.sort();
        out
    };
    (
        rows("SELECT * FROM verdict_rollup"),
        rows("SELECT * FROM rule_messages"),
        rows("SELECT * FROM counter_rollup"),
    )
}

#[tokio::test]
async fn upgrading_to_version_5_builds_the_same_rollups_as_ingest() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    {
        let (app, state) = open(&db, None);
        seed(&app, &db).await;
        // Duplicate ids inside one record count once; a path without query; no path at all.
        let odd = record(
            &format!("{HOUR}:05:00Z"),
            "odd",
            "passed",
            r#","path":"/plain","attack_types":["xss","xss"],"matched":[{"id":1,"msg":""},{"id":1,"msg":"one"}]"#,
        );
        assert_eq!(post(&app, odd, None).await.0, StatusCode::OK);
        drop(app);
        tokio::task::spawn_blocking(move || drop(state))
            .await
            .unwrap();
    }
    let at_ingest = rollups(&db);
    assert!(!at_ingest.0.is_empty() && !at_ingest.2.is_empty());
    {
        // What a version-4 collector left behind: no rollup tables.
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DROP TABLE verdict_rollup; DROP TABLE rule_messages; DROP TABLE counter_rollup;
             DROP TRIGGER counters_rollup_insert; DROP TRIGGER counters_rollup_update;
             DROP TRIGGER counters_rollup_delete;
             PRAGMA user_version = 4;",
        )
        .unwrap();
    }
    let (app, _state) = open(&db, None);
    assert_eq!(rollups(&db), at_ingest);
    let (_, s) = get_json(&app, &format!("/api/summary?{WINDOW}")).await;
    assert_eq!(s["totals"]["requests"], 605);
    assert_eq!(s["verdicts"], 5);
}

#[tokio::test]
async fn a_counters_upsert_keeps_the_hour_and_day_rollups_in_step() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let (app, _state) = open(&db, None);
    let minute = ms("2026-11-25T22:07:00Z");
    counters(&db, 0, minute, "*", "", 10, 2);
    counters(&db, 0, minute, "*", "", 5, 1); // the same row again: an update
    counters(&db, 0, minute + 60_000, "*", "", 1, 0);
    let conn = rusqlite::Connection::open(&db).unwrap();
    let hour: (i64, i64) = conn
        .query_row(
            "SELECT requests, blocked FROM counter_rollup WHERE span = 3600000",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(hour, (16, 3));
    // Moved to another minute by an UPDATE: subtracted from the old bucket, added to the new.
    conn.execute(
        "UPDATE counters SET minute_ms = ?1 WHERE minute_ms = ?2",
        [minute + 86_400_000, minute + 60_000],
    )
    .unwrap();
    let (_, s) = get_json(
        &app,
        "/api/summary?from=2026-11-25T00:00:00Z&to=2026-11-26T00:00:00Z",
    )
    .await;
    assert_eq!(s["totals"]["requests"], 15);
    // Deleted (pruned) counters leave the rollups too.
    conn.execute("DELETE FROM counters WHERE minute_ms = ?1", [minute])
        .unwrap();
    let day = |from: &str, to: &str| format!("/api/summary?from={from}&to={to}");
    let (_, s) = get_json(&app, &day("2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z")).await;
    assert_eq!(s["totals"]["requests"], 0);
    let (_, s) = get_json(&app, &day("2026-11-26T00:00:00Z", "2026-11-27T00:00:00Z")).await;
    assert_eq!(s["totals"]["requests"], 1);
    let leftover: i64 = conn
        .query_row("SELECT sum(requests) FROM counter_rollup", [], |r| r.get(0))
        .unwrap();
    assert_eq!(leftover, 2, "the moved row, once in its hour and once in its day");
}

#[tokio::test]
async fn age_retention_prunes_the_rollups_with_the_verdicts() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let mut config = common::config(&db, None);
    config.retain_days = 30;
    let state = portcullis_collector::AppState::open(&config).unwrap();
    let app = portcullis_collector::app(state.clone());
    let old = record("2020-01-01T00:00:00Z", "old", "blocked", r#","source_ip":"10.0.0.1""#);
    let new = record("2099-01-01T00:00:00Z", "new", "blocked", r#","source_ip":"10.0.0.2""#);
    assert_eq!(post(&app, format!("{old}\n{new}"), None).await.0, StatusCode::OK);
    // Two old counter rows; the first is pruned (here by hand: the counters' own pruning).
    let jan = ms("2020-01-01T00:00:00Z");
    counters(&db, 0, jan, "*", "", 5, 0);
    counters(&db, 0, jan + 2 * 86_400_000, "*", "", 7, 0);
    let count = |table: &str, cond: &str| -> i64 {
        rusqlite::Connection::open(&db)
            .unwrap()
            .query_row(&format!("SELECT count(*) FROM {table} WHERE {cond}"), [], |r| r.get(0))
            .unwrap()
    };
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute("DELETE FROM counters WHERE minute_ms = ?1", [jan])
        .unwrap();
    let y2020 = format!("bucket_ms < {}", ms("2021-01-01T00:00:00Z"));
    assert!(count("verdict_rollup", &y2020) > 0);
    assert_eq!(count("counter_rollup", &y2020), 4, "two rows, each in its hour and its day");
    // The old verdict and the remaining old counter row (counters are pruned by age too).
    assert_eq!(state.prune_once().await.unwrap(), 2);
    assert_eq!(count("verdict_rollup", &y2020), 0, "verdict buckets past the age limit are gone");
    assert!(count("verdict_rollup", "1") > 0, "newer buckets stay");
    // Counter buckets follow the counters: both rows are gone, so are their (now zero) buckets.
    assert_eq!(count("counter_rollup", &y2020), 0);
    let (_, s) = get_json(&app, "/api/summary?from=2098-12-31T00:00:00Z&to=2099-01-02T00:00:00Z").await;
    assert_eq!(s["verdicts"], 1);
    drop(app);
    tokio::task::spawn_blocking(move || drop(state)).await.unwrap();
}
