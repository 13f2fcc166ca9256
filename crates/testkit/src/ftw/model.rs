//! The go-ftw test model: what a `*.yaml` regression test file says, after
//! the same post-processing go-ftw v2 applies when it loads a file.
//!
//! Shapes accepted (a superset of ftw-tests-schema v2.3, the schema go-ftw
//! 2.x reads, plus older and newer spellings):
//! - test id as `test_id` (v2) or `id` (v3); description as `desc` or
//!   `description`; a missing id becomes the 1-based position in the file;
//!   a missing or zero `rule_id` is taken from the first digits of the file name.
//! - `headers` as a mapping (order, case and duplicate names kept here; see
//!   [`Input::headers_sorted`] for what go-ftw sends), or as a list of
//!   `{name, value}` / `[name, value]`; `ordered_headers` as such a list wins
//!   over `headers`, as in go-ftw.
//! - `autocomplete_headers`, or the older inverse `stop_magic`; default true.
//! - `output.status` as an integer (v2) or a list (v1: any of them).
//! - `output.log { expect_ids, no_expect_ids, match_regex, no_match_regex }`
//!   (v2); the older `log_contains` / `no_log_contains` fill `match_regex` /
//!   `no_match_regex` when those (and the matching id list) are unset, as
//!   go-ftw does; ids written directly under `output` are merged into `log`
//!   (go-ftw would ignore them silently; we honour them).
//! - `response_contains`, `expect_error`, `retry_once`, `isolated`.
//!
//! Unknown keys are ignored, as go-ftw's YAML decoding does.

use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// One test file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FtwFile {
    /// Path of the file as it was loaded (for messages).
    pub path: String,
    /// The `meta` block.
    pub meta: Meta,
    /// The rule these tests are about.
    pub rule_id: u64,
    /// The tests, in file order.
    pub tests: Vec<FtwTest>,
}

/// The `meta` block of a test file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// Authors.
    pub author: String,
    /// Optional name.
    pub name: String,
    /// Optional description.
    pub description: String,
    /// Optional version.
    pub version: String,
    /// `enabled` when given (go-ftw v2 does not act on it).
    pub enabled: Option<bool>,
    /// Optional tags.
    pub tags: Vec<String>,
}

/// One test: one or more stages (requests) that must all pass.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FtwTest {
    /// The file's rule id.
    pub rule_id: u64,
    /// The test id within the rule.
    pub test_id: u64,
    /// Optional title.
    pub title: String,
    /// Description (`desc`).
    pub desc: String,
    /// Tags, for selection.
    pub tags: Vec<String>,
    /// The stages, in order.
    pub stages: Vec<Stage>,
}

impl FtwTest {
    /// The go-ftw test name, `<rule_id>-<test_id>` (e.g. `942100-3`).
    pub fn id(&self) -> String {
        format!("{}-{}", self.rule_id, self.test_id)
    }
}

/// One request and what is expected of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stage {
    /// Optional description.
    pub description: String,
    /// The request to send.
    pub input: Input,
    /// What the response and the WAF log must show.
    pub output: Output,
}

/// A stage's request, as written (defaults are applied when the request is built).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Input {
    /// Destination address (default `localhost`).
    pub dest_addr: Option<String>,
    /// Destination port (default 80).
    pub port: Option<u16>,
    /// `http` or `https` (default `http`).
    pub protocol: Option<String>,
    /// Method (default `GET`).
    pub method: Option<String>,
    /// Request target (default `/`).
    pub uri: Option<String>,
    /// Protocol version (default `HTTP/1.1`).
    pub version: Option<String>,
    /// Headers in file order, duplicates and case kept.
    pub headers: Vec<(String, String)>,
    /// Whether `headers` came as an ordered list (`ordered_headers` or a
    /// list form) rather than a mapping go-ftw would sort.
    pub headers_are_ordered: bool,
    /// Body text, possibly a Go template (see [`crate::ftw::template`]).
    pub data: Option<String>,
    /// Body as base64 (used when `data` is absent).
    pub encoded_data: Option<String>,
    /// A whole raw request as base64; replaces everything else.
    pub encoded_request: Option<String>,
    /// Whether go-ftw completes the headers (resolved from
    /// `autocomplete_headers` / `stop_magic`, default true).
    pub autocomplete_headers: bool,
    /// `save_cookie`.
    pub save_cookie: bool,
    /// `follow_redirect`.
    pub follow_redirect: bool,
    /// `virtual_host_mode`.
    pub virtual_host_mode: bool,
    /// `response` (schema 2.3: what a reflecting backend should answer; go-ftw does not use it).
    pub response: Option<ResponseSpec>,
}

impl Input {
    /// Headers in the order go-ftw writes them: given as a mapping they are
    /// sorted by name (byte order, stable), as go-ftw does for a stable wire
    /// order; given as a list they keep their order.
    pub fn headers_sorted(&self) -> Vec<(String, String)> {
        let mut h = self.headers.clone();
        if !self.headers_are_ordered {
            h.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        }
        h
    }
}

/// A response a test asks the backend for (`input.response`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseSpec {
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Status (0 = unset).
    pub status: u16,
    /// Body.
    pub body: String,
    /// Body as base64.
    pub encoded_body: String,
    /// A message for the backend to log.
    pub log_message: String,
}

/// What a stage expects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Output {
    /// Acceptable response statuses; empty = no expectation.
    pub status: Vec<u16>,
    /// A regex (Go RE2 syntax) the raw response must match (go-ftw's
    /// `response_contains` is a regex despite its name).
    pub response_contains: Option<String>,
    /// Log expectations.
    pub log: LogExpect,
    /// `Some(true)`: the request must fail at the connection level.
    pub expect_error: Option<bool>,
    /// Retry once on failure (meaningless in-process: runs are deterministic).
    pub retry_once: bool,
    /// Exactly one rule may appear in the log (requires one `expect_ids`).
    pub isolated: bool,
}

/// Log expectations of a stage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogExpect {
    /// Rule ids that must all appear.
    pub expect_ids: Vec<u64>,
    /// Rule ids none of which may appear.
    pub no_expect_ids: Vec<u64>,
    /// A regex (Go RE2 syntax) some log line must match.
    pub match_regex: Option<String>,
    /// A regex no log line may match.
    pub no_match_regex: Option<String>,
}

impl Output {
    /// Whether the stage checks anything in the WAF log.
    pub fn has_log_expectations(&self) -> bool {
        let l = &self.log;
        !l.expect_ids.is_empty() || !l.no_expect_ids.is_empty() || l.match_regex.is_some() || l.no_match_regex.is_some()
    }
}

// ---------------------------------------------------------------------------
// Raw serde shapes. Everything optional; converted by `from_raw`.

#[derive(Deserialize, Default)]
#[serde(default)]
pub(crate) struct RawFile {
    meta: RawMeta,
    rule_id: Option<Lenient<u64>>,
    tests: Vec<RawTest>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawMeta {
    author: Option<Text>,
    name: Option<Text>,
    description: Option<Text>,
    version: Option<Text>,
    enabled: Option<bool>,
    tags: Vec<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawTest {
    test_title: Option<Text>,
    test_id: Option<Lenient<u64>>,
    id: Option<Lenient<u64>>,
    desc: Option<Text>,
    description: Option<Text>,
    tags: Vec<Text>,
    stages: Vec<RawStage>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawStage {
    description: Option<Text>,
    input: RawInput,
    output: RawOutput,
    /// ftw v1 nested each stage under `stage:`.
    stage: Option<Box<RawStage>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawInput {
    dest_addr: Option<Text>,
    port: Option<Lenient<u16>>,
    protocol: Option<Text>,
    method: Option<Text>,
    uri: Option<Text>,
    version: Option<Text>,
    headers: Option<HeaderList>,
    ordered_headers: Option<HeaderList>,
    data: Option<Text>,
    encoded_data: Option<Text>,
    encoded_request: Option<Text>,
    autocomplete_headers: Option<bool>,
    stop_magic: Option<bool>,
    save_cookie: Option<bool>,
    follow_redirect: Option<bool>,
    virtual_host_mode: Option<bool>,
    response: Option<RawResponse>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawResponse {
    headers: Option<HeaderList>,
    status: Option<Lenient<u16>>,
    body: Option<Text>,
    encoded_body: Option<Text>,
    log_message: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawOutput {
    status: Option<IdList<u16>>,
    response_contains: Option<Text>,
    log_contains: Option<Text>,
    no_log_contains: Option<Text>,
    log: RawLog,
    expect_error: Option<bool>,
    retry_once: Option<bool>,
    isolated: Option<bool>,
    // Plain fields directly under `output` (not in schema v2).
    expect_ids: Option<IdList<u64>>,
    no_expect_ids: Option<IdList<u64>>,
    match_regex: Option<Text>,
    no_match_regex: Option<Text>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawLog {
    expect_ids: Option<IdList<u64>>,
    no_expect_ids: Option<IdList<u64>>,
    match_regex: Option<Text>,
    no_match_regex: Option<Text>,
}

/// Convert a parsed document; `file_name` is used for the rule id fallback.
pub(crate) fn from_raw(raw: RawFile, path: &str, file_name: &str) -> Result<FtwFile, String> {
    let rule_id = match raw.rule_id.map(|r| r.0).filter(|&r| r > 0) {
        Some(r) => r,
        None => rule_id_from_name(file_name)
            .ok_or_else(|| "the rule_id field is missing and the file name has no digits".to_string())?,
    };
    let meta = RawMeta::into_meta(raw.meta);
    let tests = raw
        .tests
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let test_id = t.test_id.or(t.id).map(|v| v.0).filter(|&v| v > 0).unwrap_or(i as u64 + 1);
            FtwTest {
                rule_id,
                test_id,
                title: text(t.test_title),
                desc: text(t.desc.or(t.description)),
                tags: t.tags.into_iter().map(|x| x.0).collect(),
                stages: t.stages.into_iter().map(convert_stage).collect(),
            }
        })
        .collect();
    Ok(FtwFile { path: path.to_string(), meta, rule_id, tests })
}

impl RawMeta {
    fn into_meta(self) -> Meta {
        Meta {
            author: text(self.author),
            name: text(self.name),
            description: text(self.description),
            version: text(self.version),
            enabled: self.enabled,
            tags: self.tags.into_iter().map(|x| x.0).collect(),
        }
    }
}

fn convert_stage(s: RawStage) -> Stage {
    let s = match s.stage {
        Some(inner) => *inner,
        None => s,
    };
    Stage { description: text(s.description), input: convert_input(s.input), output: convert_output(s.output) }
}

fn convert_input(i: RawInput) -> Input {
    // go-ftw: autocomplete_headers wins; else the inverse of stop_magic; else true.
    let autocomplete = match (i.autocomplete_headers, i.stop_magic) {
        (Some(a), _) => a,
        (None, Some(stop)) => !stop,
        (None, None) => true,
    };
    let (headers, ordered) = match (i.ordered_headers, i.headers) {
        (Some(o), _) => (o.pairs, true),
        (None, Some(h)) => (h.pairs, h.from_list),
        (None, None) => (Vec::new(), false),
    };
    Input {
        dest_addr: i.dest_addr.map(|x| x.0),
        port: i.port.map(|x| x.0),
        protocol: i.protocol.map(|x| x.0),
        method: i.method.map(|x| x.0),
        uri: i.uri.map(|x| x.0),
        version: i.version.map(|x| x.0),
        headers,
        headers_are_ordered: ordered,
        data: i.data.map(|x| x.0),
        encoded_data: i.encoded_data.map(|x| x.0),
        encoded_request: i.encoded_request.map(|x| x.0).filter(|s| !s.is_empty()),
        autocomplete_headers: autocomplete,
        save_cookie: i.save_cookie.unwrap_or(false),
        follow_redirect: i.follow_redirect.unwrap_or(false),
        virtual_host_mode: i.virtual_host_mode.unwrap_or(false),
        response: i.response.map(|r| ResponseSpec {
            headers: r.headers.map(|h| h.pairs).unwrap_or_default(),
            status: r.status.map(|s| s.0).unwrap_or(0),
            body: text(r.body),
            encoded_body: text(r.encoded_body),
            log_message: text(r.log_message),
        }),
    }
}

fn convert_output(o: RawOutput) -> Output {
    let had_expect_ids = o.log.expect_ids.is_some() || o.expect_ids.is_some();
    let had_no_expect_ids = o.log.no_expect_ids.is_some() || o.no_expect_ids.is_some();
    let mut log = LogExpect {
        expect_ids: o.log.expect_ids.map(|l| l.0).unwrap_or_default(),
        no_expect_ids: o.log.no_expect_ids.map(|l| l.0).unwrap_or_default(),
        match_regex: nonempty(o.log.match_regex),
        no_match_regex: nonempty(o.log.no_match_regex),
    };
    log.expect_ids.extend(o.expect_ids.map(|l| l.0).unwrap_or_default());
    log.no_expect_ids.extend(o.no_expect_ids.map(|l| l.0).unwrap_or_default());
    if log.match_regex.is_none() {
        log.match_regex = nonempty(o.match_regex);
    }
    if log.no_match_regex.is_none() {
        log.no_match_regex = nonempty(o.no_match_regex);
    }
    // go-ftw's rule for the older names: only when nothing newer says otherwise.
    if let Some(lc) = nonempty(o.log_contains) {
        if !had_expect_ids && log.match_regex.is_none() {
            log.match_regex = Some(lc);
        }
    }
    if let Some(nlc) = nonempty(o.no_log_contains) {
        if !had_no_expect_ids && log.no_match_regex.is_none() {
            log.no_match_regex = Some(nlc);
        }
    }
    Output {
        status: o.status.map(|s| s.0).unwrap_or_default().into_iter().filter(|&s| s != 0).collect(),
        response_contains: nonempty(o.response_contains),
        log,
        expect_error: o.expect_error,
        retry_once: o.retry_once.unwrap_or(false),
        isolated: o.isolated.unwrap_or(false),
    }
}

fn text(t: Option<Text>) -> String {
    t.map(|t| t.0).unwrap_or_default()
}

fn nonempty(t: Option<Text>) -> Option<String> {
    t.map(|t| t.0).filter(|s| !s.is_empty())
}

/// The first run of ASCII digits in a file name, as go-ftw's fallback does.
pub(crate) fn rule_id_from_name(name: &str) -> Option<u64> {
    let start = name.find(|c: char| c.is_ascii_digit())?;
    let digits: String = name.get(start..)?.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

// ---------------------------------------------------------------------------
// Lenient scalar helpers.

/// A scalar read as text, whatever YAML typed it as (go-yaml decodes a plain
/// `7` into a string field as `"7"`); null becomes the empty string.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Text(pub(crate) String);

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(Text(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Text, E> {
                Ok(Text(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(String::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Text, E> {
                Ok(Text(String::new()))
            }
        }
        d.deserialize_string(V)
    }
}

/// A number that may also be written as a quoted string (`port: "80"`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Lenient<T>(pub(crate) T);

impl<'de, T> Deserialize<'de> for Lenient<T>
where
    T: TryFrom<u64> + std::str::FromStr,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: TryFrom<u64> + std::str::FromStr> Visitor<'de> for V<T> {
            type Value = Lenient<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a non-negative integer")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Lenient<T>, E> {
                T::try_from(v).map(Lenient).map_err(|_| E::custom(format!("{v} is out of range")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Lenient<T>, E> {
                let u = u64::try_from(v).map_err(|_| E::custom(format!("{v} is negative")))?;
                self.visit_u64(u)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Lenient<T>, E> {
                v.trim().parse::<T>().map(Lenient).map_err(|_| E::custom(format!("{v:?} is not an integer")))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// One number or a list of numbers (`expect_ids: 920100`, `status: [200, 404]`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct IdList<T>(pub(crate) Vec<T>);

impl<'de, T> Deserialize<'de> for IdList<T>
where
    T: TryFrom<u64> + std::str::FromStr,
{
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: TryFrom<u64> + std::str::FromStr> Visitor<'de> for V<T> {
            type Value = IdList<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer or a list of integers")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<IdList<T>, E> {
                T::try_from(v).map(|x| IdList(vec![x])).map_err(|_| E::custom(format!("{v} is out of range")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<IdList<T>, E> {
                let u = u64::try_from(v).map_err(|_| E::custom(format!("{v} is negative")))?;
                self.visit_u64(u)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<IdList<T>, E> {
                v.trim().parse::<T>().map(|x| IdList(vec![x])).map_err(|_| E::custom(format!("{v:?} is not an integer")))
            }
            fn visit_unit<E: de::Error>(self) -> Result<IdList<T>, E> {
                Ok(IdList(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<IdList<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(x) = seq.next_element::<Lenient<T>>()? {
                    out.push(x.0);
                }
                Ok(IdList(out))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// Headers as ordered `(name, value)` pairs, read from a mapping (order,
/// case and duplicate keys kept) or from a list of `{name, value}` maps or
/// `[name, value]` pairs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct HeaderList {
    pairs: Vec<(String, String)>,
    from_list: bool,
}

impl<'de> Deserialize<'de> for HeaderList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = HeaderList;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a mapping of header names to values, or a list of headers")
            }
            fn visit_unit<E: de::Error>(self) -> Result<HeaderList, E> {
                Ok(HeaderList::default())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HeaderList, A::Error> {
                let mut pairs = Vec::new();
                while let Some((k, v)) = map.next_entry::<Text, Text>()? {
                    pairs.push((k.0, v.0));
                }
                Ok(HeaderList { pairs, from_list: false })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<HeaderList, A::Error> {
                let mut pairs = Vec::new();
                while let Some(h) = seq.next_element::<HeaderItem>()? {
                    pairs.push((h.0, h.1));
                }
                Ok(HeaderList { pairs, from_list: true })
            }
        }
        d.deserialize_any(V)
    }
}

/// One list item of a header list.
struct HeaderItem(String, String);

impl<'de> Deserialize<'de> for HeaderItem {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = HeaderItem;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("{name, value} or [name, value]")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<HeaderItem, A::Error> {
                let (mut name, mut value) = (None, None);
                while let Some(k) = map.next_key::<Text>()? {
                    match k.0.as_str() {
                        "name" => name = Some(map.next_value::<Text>()?.0),
                        "value" => value = Some(map.next_value::<Text>()?.0),
                        _ => {
                            map.next_value::<de::IgnoredAny>()?;
                        }
                    }
                }
                let name = name.ok_or_else(|| de::Error::missing_field("name"))?;
                Ok(HeaderItem(name, value.unwrap_or_default()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<HeaderItem, A::Error> {
                let name = seq.next_element::<Text>()?.ok_or_else(|| de::Error::invalid_length(0, &self))?;
                let value = seq.next_element::<Text>()?.unwrap_or_default();
                while seq.next_element::<de::IgnoredAny>()?.is_some() {}
                Ok(HeaderItem(name.0, value.0))
            }
        }
        d.deserialize_any(V)
    }
}
