//! SQLite reads of the console: the summary, the timeline, a page of verdicts and the nodes.
//! Every statement of these operations is here (built from the filters; the values are always
//! bound parameters, never spliced), so a backend port has one file to follow.
//!
//! Sources: traffic totals from `counters` (whole minutes) and `counter_rollup` (hours, days);
//! verdict counts and top lists from `verdict_rollup` (`store::rollup`); the verdict pages and
//! the record of each verdict from `verdicts`.

use std::collections::HashMap;

use rusqlite::types::Value as SqlValue;
use rusqlite::{params, params_from_iter, Connection};

use crate::stats::facet;
use crate::stats::model::{
    ApplicationLine, Filters, NodeStatus, Point, Summary, Timeline, TopEntry, TopRule, Tops,
    Totals, DEFAULT_FLUSH_INTERVAL_MS, RATE_WINDOW_MS, STALE_INTERVALS,
};
use crate::stats::window::{ceil_to, floor_to, span_for_step, Window, MINUTE_MS};
use crate::store::rollup::Level;
use crate::store::{StoreError, VerdictPage, VerdictQuery};
use crate::time::format_rfc3339_ms;

/// Entries of each top list.
const TOP: i64 = 10;

/// The counter columns summed by every counters read, in [`Totals::add`] order.
const COUNTER_SUMS: &str = "sum(requests), sum(blocked), sum(monitored), sum(passed), \
    sum(rate_limited), sum(allowed), sum(denied), sum(body_limit_rejects), sum(verdicts_dropped)";
const COUNTER_COLUMNS: &str = "requests, blocked, monitored, passed, rate_limited, allowed, \
    denied, body_limit_rejects, verdicts_dropped";

/// A statement being built: SQL text and its bound values, in order.
#[derive(Default)]
struct Query {
    sql: String,
    args: Vec<SqlValue>,
}

impl Query {
    fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    fn bind(&mut self, sql: &str, value: impl Into<SqlValue>) -> &mut Self {
        self.sql.push_str(sql);
        self.args.push(value.into());
        self
    }

    /// ` AND ...` for the node, group, application and host filters (and the action filter
    /// when `with_action`: the counters have none).
    fn filters(&mut self, f: &Filters, with_action: bool) -> &mut Self {
        if let Some(group) = &f.group {
            self.bind(
                " AND node IN (SELECT id FROM nodes WHERE grp = ?)",
                group.clone(),
            );
        }
        if let Some(node) = &f.node {
            // An unknown name gives NULL: no rows, as it should.
            self.bind(
                " AND node = (SELECT id FROM nodes WHERE name = ?)",
                node.clone(),
            );
        }
        if let Some(app) = &f.application_id {
            self.bind(" AND application_id = ?", app.clone());
        }
        if let Some(host) = &f.host {
            self.bind(" AND host = ?", host.clone());
        }
        if let (true, Some(action)) = (with_action, f.action) {
            self.bind(" AND action = ?", action.name().to_owned());
        }
        self
    }

    /// ` AND ((<lead>span = ? AND bucket_ms >= ? AND bucket_ms < ?) OR ...)` over `pieces`,
    /// where `lead` is `facet = ? AND level = ? AND ` for `verdict_rollup`: each OR term then starts with a
    /// prefix of the primary key, so SQLite answers each piece with an index range instead of
    /// scanning the whole facet.
    fn pieces(&mut self, facet: Option<(&str, Level)>, pieces: &[(i64, i64, i64)]) -> &mut Self {
        self.push(" AND (");
        for (i, (span, from, to)) in pieces.iter().enumerate() {
            if i > 0 {
                self.push(" OR ");
            }
            self.push("(");
            if let Some((facet, level)) = facet {
                // Levels 0 and 1 keep no minutes (`store::rollup`).
                let level = if *span == MINUTE_MS {
                    Level::Full
                } else {
                    level
                };
                self.bind("facet = ? AND ", facet.to_owned())
                    .bind("level = ? AND ", level as i64);
            }
            self.bind("span = ?", *span)
                .bind(" AND bucket_ms >= ?", *from)
                .bind(" AND bucket_ms < ?)", *to);
        }
        self.push(")")
    }

    /// The counters of `window` as one row source with columns
    /// `bucket_ms, node, host, application_id, <COUNTER_COLUMNS>`: minute pieces from
    /// `counters`, hour and day pieces from `counter_rollup`.
    fn counter_source(&mut self, pieces: &[(i64, i64, i64)], f: &Filters) -> &mut Self {
        let (minutes, wider): (Vec<_>, Vec<_>) = pieces
            .iter()
            .copied()
            .partition(|(span, _, _)| *span == MINUTE_MS);
        self.push("(");
        let mut first = true;
        for (_, from, to) in &minutes {
            if !first {
                self.push(" UNION ALL ");
            }
            first = false;
            self.push("SELECT minute_ms AS bucket_ms, node, host, application_id, ")
                .push(COUNTER_COLUMNS)
                .bind(" FROM counters WHERE minute_ms >= ?", *from)
                .bind(" AND minute_ms < ?", *to)
                .filters(f, false);
        }
        if !wider.is_empty() {
            if !first {
                self.push(" UNION ALL ");
            }
            first = false;
            self.push("SELECT bucket_ms, node, host, application_id, ")
                .push(COUNTER_COLUMNS)
                .push(" FROM counter_rollup WHERE 1")
                .pieces(None, &wider)
                .filters(f, false);
        }
        if first {
            self.push("SELECT 0 AS bucket_ms, 0 AS node, '' AS host, '' AS application_id, ")
                .push("0, 0, 0, 0, 0, 0, 0, 0, 0 WHERE 0");
        }
        self.push(")")
    }

    fn rows<T>(
        &self,
        conn: &Connection,
        map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>, StoreError> {
        let mut stmt = conn.prepare_cached(&self.sql)?;
        let rows = stmt.query_map(params_from_iter(self.args.iter()), map)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

fn counter_row(row: &rusqlite::Row<'_>, first: usize) -> rusqlite::Result<[i64; 9]> {
    let mut out = [0i64; 9];
    for (i, slot) in out.iter_mut().enumerate() {
        *slot = row.get::<_, Option<i64>>(first + i)?.unwrap_or(0);
    }
    Ok(out)
}

/// `GET /api/summary` over `window`.
pub(crate) fn summary(
    conn: &Connection,
    window: Window,
    f: &Filters,
) -> Result<Summary, StoreError> {
    let pieces = window.pieces();

    // Traffic, whole and per application, from the counters.
    let mut q = Query::default();
    q.push("SELECT application_id, ")
        .push(COUNTER_SUMS)
        .push(" FROM ")
        .counter_source(&pieces, f)
        .push(" GROUP BY application_id");
    let per_app = q.rows(conn, |row| {
        Ok((row.get::<_, String>(0)?, counter_row(row, 1)?))
    })?;
    let mut totals = Totals::default();
    let mut apps: HashMap<String, ApplicationLine> = HashMap::new();
    for (app, row) in per_app {
        totals.add(row);
        let mut t = Totals::default();
        t.add(row);
        let line = apps.entry(app.clone()).or_insert_with(|| ApplicationLine {
            application_id: app,
            ..ApplicationLine::default()
        });
        line.requests += t.requests;
        line.blocked += t.blocked;
        line.monitored += t.monitored;
    }

    // Verdicts by action, host and application.
    let mut q = Query::default();
    q.push("SELECT action, host, application_id, sum(n) FROM verdict_rollup WHERE 1")
        .pieces(Some((facet::VERDICT, Level::Full)), &pieces)
        .filters(f, true)
        .push(" GROUP BY action, host, application_id");
    let rows = q.rows(conn, |row| {
        Ok((
            row.get::<_, String>(0)?,
            row.get::<_, String>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, i64>(3)?,
        ))
    })?;
    let mut by_action = std::collections::BTreeMap::new();
    let mut hosts: HashMap<String, i64> = HashMap::new();
    let mut verdicts = 0;
    for (action, host, app, n) in rows {
        verdicts += n;
        *by_action.entry(action.clone()).or_insert(0) += n;
        if !host.is_empty() {
            *hosts.entry(host).or_insert(0) += n;
        }
        let line = apps.entry(app.clone()).or_insert_with(|| ApplicationLine {
            application_id: app,
            ..ApplicationLine::default()
        });
        line.verdicts += n;
        match action.as_str() {
            "blocked" => line.verdicts_blocked += n,
            "monitored" => line.verdicts_monitored += n,
            _ => {}
        }
    }

    // The top lists read the level with just the dimensions the filters need.
    let level = Level::for_filters(f);
    let top = |name: &str| -> Result<Vec<TopEntry>, StoreError> {
        let mut q = Query::default();
        q.push("SELECT value, sum(n) AS c FROM verdict_rollup WHERE 1")
            .pieces(Some((name, level)), &pieces)
            .filters(f, true)
            .bind(" GROUP BY value ORDER BY c DESC, value LIMIT ?", TOP);
        q.rows(conn, |row| {
            Ok(TopEntry {
                value: row.get(0)?,
                count: row.get(1)?,
            })
        })
    };
    let mut rules = Vec::new();
    {
        let mut msg = conn.prepare_cached("SELECT msg FROM rule_messages WHERE rule_id = ?1")?;
        for entry in top(facet::RULE)? {
            let Ok(rule_id) = entry.value.parse::<i64>() else {
                continue;
            };
            let text: Option<String> = msg
                .query_row(params![rule_id], |r| r.get(0))
                .map(Some)
                .or_else(|e| {
                    if e == rusqlite::Error::QueryReturnedNoRows {
                        Ok(None)
                    } else {
                        Err(e)
                    }
                })?;
            rules.push(TopRule {
                rule_id,
                msg: text.unwrap_or_default(),
                count: entry.count,
            });
        }
    }
    let mut hosts: Vec<TopEntry> = hosts
        .into_iter()
        .map(|(value, count)| TopEntry { value, count })
        .collect();
    hosts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    hosts.truncate(usize::try_from(TOP).unwrap_or(10));

    let mut applications: Vec<ApplicationLine> = apps.into_values().collect();
    applications.sort_by(|a, b| {
        b.requests
            .cmp(&a.requests)
            .then(b.verdicts.cmp(&a.verdicts))
            .then_with(|| a.application_id.cmp(&b.application_id))
    });

    Ok(Summary {
        from: format_rfc3339_ms(window.from_ms),
        to: format_rfc3339_ms(window.to_ms),
        seconds: window.seconds(),
        request_rate: totals.requests as f64 / window.seconds(),
        totals,
        verdicts_by_action: by_action,
        verdicts,
        top: Tops {
            attack_types: top(facet::ATTACK)?,
            rules,
            cves: top(facet::CVE)?,
            source_ips: top(facet::SOURCE_IP)?,
            hosts,
            paths: top(facet::PATH)?,
        },
        applications,
    })
}

/// `GET /api/timeline`: buckets of `step` covering `window` (widened to whole steps).
pub(crate) fn timeline(
    conn: &Connection,
    window: Window,
    step: i64,
    f: &Filters,
) -> Result<Timeline, StoreError> {
    let from = floor_to(window.from_ms, step);
    let to = ceil_to(window.to_ms, step);
    let span = span_for_step(step);
    let piece = [(span, from, to)];
    let bucket = "bucket_ms - ((bucket_ms % ?) + ?) % ?";

    let mut q = Query::default();
    q.push("SELECT ")
        .bind(bucket, step)
        .args
        .extend([SqlValue::Integer(step), SqlValue::Integer(step)]);
    q.push(
        " AS b, sum(requests), sum(blocked), sum(monitored), sum(passed), sum(rate_limited) FROM ",
    )
    .counter_source(&piece, f)
    .push(" GROUP BY b");
    let counters = q.rows(conn, |row| {
        let mut v = [0i64; 5];
        for (i, slot) in v.iter_mut().enumerate() {
            *slot = row.get::<_, Option<i64>>(1 + i)?.unwrap_or(0);
        }
        Ok((row.get::<_, i64>(0)?, v))
    })?;

    let mut q = Query::default();
    q.push("SELECT ")
        .bind(bucket, step)
        .args
        .extend([SqlValue::Integer(step), SqlValue::Integer(step)]);
    q.push(" AS b, sum(n) FROM verdict_rollup WHERE 1")
        .pieces(Some((facet::VERDICT, Level::Full)), &piece)
        .filters(f, true)
        .push(" GROUP BY b");
    let attacks = q.rows(conn, |row| {
        Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?))
    })?;

    let count = usize::try_from((to - from) / step).unwrap_or(0);
    let mut points: Vec<Point> = (0..count)
        .map(|i| {
            let time_ms = from + step * i as i64;
            Point {
                time: format_rfc3339_ms(time_ms),
                time_ms,
                ..Point::default()
            }
        })
        .collect();
    let index = |b: i64| {
        usize::try_from((b - from) / step)
            .ok()
            .filter(|i| *i < count)
    };
    for (b, [requests, blocked, monitored, passed, rate_limited]) in counters {
        if let Some(p) = index(b).and_then(|i| points.get_mut(i)) {
            p.requests += requests;
            p.blocked += blocked;
            p.monitored += monitored;
            p.passed += passed;
            p.rate_limited += rate_limited;
        }
    }
    for (b, n) in attacks {
        if let Some(p) = index(b).and_then(|i| points.get_mut(i)) {
            p.attacks += n;
        }
    }
    Ok(Timeline {
        from: format_rfc3339_ms(from),
        to: format_rfc3339_ms(to),
        step_s: step / 1000,
        points,
    })
}

/// `GET /api/verdicts`: newest first (by `time`, then arrival), at most `query.limit`, after
/// the `before` cursor; `next` is the cursor of the last one when more follow.
pub(crate) fn verdict_page(
    conn: &Connection,
    query: &VerdictQuery,
) -> Result<VerdictPage, StoreError> {
    let mut q = Query::default();
    q.push("SELECT v.time_ms, v.id, v.record, n.name FROM verdicts AS v LEFT JOIN nodes AS n ON n.id = v.node WHERE 1");
    if let Some(action) = query.action {
        q.bind(" AND v.action = ?", action.name().to_owned());
    }
    if let Some(app) = &query.application_id {
        q.bind(" AND v.application_id = ?", app.clone());
    }
    if let Some(host) = &query.host {
        q.bind(" AND v.host = ?", host.clone());
    }
    if let Some(ip) = &query.source_ip {
        q.bind(" AND v.source_ip = ?", ip.clone());
    }
    if let Some(node) = &query.node {
        q.bind(
            " AND v.node = (SELECT id FROM nodes WHERE name = ?)",
            node.clone(),
        );
    }
    if let Some(group) = &query.group {
        q.bind(
            " AND v.node IN (SELECT id FROM nodes WHERE grp = ?)",
            group.clone(),
        );
    }
    if let Some(rule_id) = query.rule_id {
        q.bind(
            " AND v.id IN (SELECT verdict_id FROM verdict_rules WHERE rule_id = ?)",
            rule_id,
        );
    }
    if let Some(since) = query.since_ms {
        q.bind(" AND v.time_ms >= ?", since);
    }
    if let Some(until) = query.until_ms {
        q.bind(" AND v.time_ms < ?", until);
    }
    if let Some((time_ms, id)) = query.before {
        q.bind(" AND (v.time_ms, v.id) < (?", time_ms)
            .bind(", ?)", id);
    }
    let limit = i64::try_from(query.limit).unwrap_or(i64::MAX);
    q.bind(
        " ORDER BY v.time_ms DESC, v.id DESC LIMIT ?",
        limit.saturating_add(1),
    );
    let mut rows = q.rows(conn, |row| {
        Ok((
            row.get::<_, i64>(0)?,
            row.get::<_, i64>(1)?,
            row.get::<_, String>(2)?,
            row.get::<_, Option<String>>(3)?,
        ))
    })?;
    let more = rows.len() > query.limit;
    rows.truncate(query.limit);
    let next = if more {
        rows.last().map(|(t, id, _, _)| (*t, *id))
    } else {
        None
    };
    let (records, nodes) = rows
        .into_iter()
        .map(|(_, _, record, node)| (record, node))
        .unzip();
    Ok(VerdictPage {
        records,
        nodes,
        next,
    })
}

/// `GET /api/nodes` as of `now_ms`, by name.
pub(crate) fn nodes(conn: &Connection, now_ms: i64) -> Result<Vec<NodeStatus>, StoreError> {
    struct Worker {
        version: String,
        fingerprint: String,
        rule_count: i64,
        flush_interval_ms: i64,
        last_seen_ms: i64,
    }
    let mut workers: HashMap<i64, Vec<Worker>> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT node, version, ruleset_fingerprint, rule_count, flush_interval_ms, last_seen_ms \
             FROM node_workers ORDER BY last_seen_ms DESC",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                Worker {
                    version: r.get(1)?,
                    fingerprint: r.get(2)?,
                    rule_count: r.get(3)?,
                    flush_interval_ms: r.get(4)?,
                    last_seen_ms: r.get(5)?,
                },
            ))
        })?;
        for row in rows {
            let (node, w) = row?;
            workers.entry(node).or_default().push(w);
        }
    }
    let rate_from = floor_to(now_ms, MINUTE_MS) - RATE_WINDOW_MS + MINUTE_MS;
    let rate_seconds = ((now_ms - rate_from) as f64 / 1000.0).max(1.0);
    let mut requests: HashMap<i64, i64> = HashMap::new();
    {
        let mut stmt = conn.prepare_cached(
            "SELECT node, sum(requests) FROM counters WHERE minute_ms >= ?1 GROUP BY node",
        )?;
        let rows = stmt.query_map(params![rate_from], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, Option<i64>>(1)?))
        })?;
        for row in rows {
            let (node, n) = row?;
            requests.insert(node, n.unwrap_or(0));
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, name, grp, created_ms, revoked_ms, last_seen_ms FROM nodes ORDER BY name",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, Option<String>>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, Option<i64>>(4)?,
            r.get::<_, Option<i64>>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, name, group, created_ms, revoked_ms, last_seen_ms) = row?;
        let ws = workers.get(&id).map(Vec::as_slice).unwrap_or_default();
        let flush = ws
            .iter()
            .map(|w| w.flush_interval_ms)
            .filter(|ms| *ms > 0)
            .max()
            .unwrap_or(DEFAULT_FLUSH_INTERVAL_MS);
        let silent_after = STALE_INTERVALS * flush;
        let last_seen = ws.iter().map(|w| w.last_seen_ms).chain(last_seen_ms).max();
        let newest = ws.first();
        out.push(NodeStatus {
            name,
            group,
            created: format_rfc3339_ms(created_ms),
            last_seen: last_seen.map(format_rfc3339_ms),
            revoked: revoked_ms.is_some(),
            stale: revoked_ms.is_some() || last_seen.is_none_or(|t| now_ms - t > silent_after),
            flush_interval_ms: flush,
            version: newest.map(|w| w.version.clone()),
            ruleset_fingerprint: newest.map(|w| w.fingerprint.clone()),
            rule_count: newest.map(|w| w.rule_count),
            live_workers: ws
                .iter()
                .filter(|w| now_ms - w.last_seen_ms <= silent_after)
                .count() as i64,
            request_rate: requests.get(&id).copied().unwrap_or(0) as f64 / rate_seconds,
        });
    }
    Ok(out)
}
