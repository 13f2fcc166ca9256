/*
 * modsec_bench: runs corpus requests through libmodsecurity 3 (its public C
 * API), for side-by-side comparison with the Portcullis engine.
 *
 * Built and driven by scripts/bench-modsecurity.sh; see bench/modsec/README.md.
 *
 *   modsec_bench load    PL CONFIG...           load the rules, print the time
 *   modsec_bench bench   PL ITERS REQ CONFIG... one request ITERS times inside
 *                                               measured_requests()
 *   modsec_bench verdict PL REQ... -- CONFIG... per request: verdict + rule ids
 *
 * CONFIG is the load order: a path is loaded with msc_rules_add_file (so
 * relative @pmFromFile names resolve beside it), text starting with "Sec"
 * is SecLang given to msc_rules_add, and the word @paranoia stands for the
 * engine benchmark's paranoia SecAction (id 900000) at level PL.
 *
 * REQ is a request in the length-prefixed format written by req_from_corpus.py:
 * every field is "<decimal length>\n<bytes>\n".
 */

#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <modsecurity/intervention.h>
#include <modsecurity/modsecurity.h>
#include <modsecurity/rules_set.h>
#include <modsecurity/transaction.h>

/* A byte string that may contain NULs. */
typedef struct {
    unsigned char *data;
    size_t len;
} bytes;

typedef struct {
    bytes name;
    bytes value;
} header;

/* One request and the response the harness feeds back (see req_from_corpus.py). */
typedef struct {
    bytes name;
    bytes unique_id; /* empty: let libmodsecurity generate one */
    bytes client_addr;
    int client_port;
    bytes server_addr;
    int server_port;
    bytes method;
    bytes uri;
    bytes http_version; /* "1.1", as the nginx connector passes it */
    size_t n_req_headers;
    header *req_headers;
    bytes req_body;
    int resp_status;
    size_t n_resp_headers;
    header *resp_headers;
    bytes resp_body;
    /* exchange mode: stop at an intervention like a connector does;
     * bench mode: run every phase (like the engine's bench). */
    int stop_on_intervention;
} request;

/* What one transaction produced. */
typedef struct {
    int disruptive;
    int status;
    int phase; /* 1..5: which step produced the intervention */
    long score; /* "Total Score: N" of the intervention message (CRS 949110), -1 if none */
    char *ids; /* space-separated rule ids, in log order */
    size_t ids_len, ids_cap;
    int keep_log; /* print full log lines (verbose) */
} outcome;

static void die(const char *msg, const char *detail) {
    fprintf(stderr, "modsec_bench: %s%s%s\n", msg, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n ? n : 1);
    if (!q) die("out of memory", NULL);
    return q;
}

/* --- request file ---------------------------------------------------------- */

static bytes read_field(FILE *f, const char *path) {
    unsigned long long n;
    bytes b;
    if (fscanf(f, "%llu", &n) != 1 || fgetc(f) != '\n') die("bad request file (length)", path);
    b.len = (size_t)n;
    b.data = xrealloc(NULL, b.len + 1);
    if (b.len && fread(b.data, 1, b.len, f) != b.len) die("bad request file (short field)", path);
    b.data[b.len] = '\0';
    if (fgetc(f) != '\n') die("bad request file (field end)", path);
    return b;
}

static long read_num(FILE *f, const char *path) {
    bytes b = read_field(f, path);
    char *end;
    long v = strtol((char *)b.data, &end, 10);
    if (b.len == 0 || *end) die("bad request file (number)", path);
    free(b.data);
    return v;
}

static header *read_headers(FILE *f, const char *path, size_t *n) {
    long count = read_num(f, path);
    header *h;
    if (count < 0) die("bad request file (header count)", path);
    *n = (size_t)count;
    h = xrealloc(NULL, sizeof(header) * (*n));
    for (size_t i = 0; i < *n; i++) {
        h[i].name = read_field(f, path);
        h[i].value = read_field(f, path);
    }
    return h;
}

static request read_request(const char *path) {
    request r;
    FILE *f = fopen(path, "rb");
    bytes magic;
    if (!f) die("cannot open request file", path);
    magic = read_field(f, path);
    if (strcmp((char *)magic.data, "modsec-bench-request-1") != 0) die("not a request file", path);
    free(magic.data);
    r.name = read_field(f, path);
    r.stop_on_intervention = (int)read_num(f, path);
    r.unique_id = read_field(f, path);
    r.client_addr = read_field(f, path);
    r.client_port = (int)read_num(f, path);
    r.server_addr = read_field(f, path);
    r.server_port = (int)read_num(f, path);
    r.method = read_field(f, path);
    r.uri = read_field(f, path);
    r.http_version = read_field(f, path);
    r.req_headers = read_headers(f, path, &r.n_req_headers);
    r.req_body = read_field(f, path);
    r.resp_status = (int)read_num(f, path);
    r.resp_headers = read_headers(f, path, &r.n_resp_headers);
    r.resp_body = read_field(f, path);
    fclose(f);
    return r;
}

/* --- logging ---------------------------------------------------------------- */

static void append_id(outcome *o, const char *line) {
    /* libmodsecurity's text log carries the rule id as [id "NNN"]. */
    const char *p = strstr(line, "[id \"");
    size_t n = 0;
    if (!p) return;
    p += 5;
    while (p[n] && p[n] != '"') n++;
    if (o->ids_len + n + 2 > o->ids_cap) {
        o->ids_cap = (o->ids_len + n + 2) * 2;
        o->ids = xrealloc(o->ids, o->ids_cap);
    }
    if (o->ids_len) o->ids[o->ids_len++] = ' ';
    memcpy(o->ids + o->ids_len, p, n);
    o->ids_len += n;
    o->ids[o->ids_len] = '\0';
}

/* Server (error) log callback: one message per logging, non-disruptive rule. */
static void log_cb(void *data, const void *msg) {
    outcome *o = data;
    if (!o || !msg) return;
    append_id(o, msg);
    if (o->keep_log) printf("    log: %s\n", (const char *)msg);
}

/* Fetch a pending intervention after step `phase`; returns 1 if disruptive. */
static int check(Transaction *t, outcome *o, int phase) {
    ModSecurityIntervention it;
    int d;
    memset(&it, 0, sizeof it);
    it.status = 200;
    d = msc_intervention(t, &it);
    if (d && !o->disruptive) {
        o->disruptive = 1;
        o->status = it.url ? (it.status == 200 ? 302 : it.status) : it.status;
        o->phase = phase;
    }
    /* The disruptive rule's message is in the intervention, not the log. */
    if (it.log) {
        const char *score = strstr(it.log, "Total Score: ");
        if (score) o->score = strtol(score + 13, NULL, 10);
        append_id(o, it.log);
        if (o->keep_log) printf("    intervention log: %s\n", it.log);
        free(it.log);
    }
    free(it.url);
    return d;
}

/* --- one transaction -------------------------------------------------------- */

static void run_one(ModSecurity *ms, RulesSet *rules, const request *r, outcome *o) {
    Transaction *t = r->unique_id.len
        ? msc_new_transaction_with_id(ms, rules, (char *)r->unique_id.data, o)
        : msc_new_transaction(ms, rules, o);
    int stop = r->stop_on_intervention;
    size_t i;

    msc_process_connection(t, (char *)r->client_addr.data, r->client_port, (char *)r->server_addr.data,
                           r->server_port);
    msc_process_uri(t, (char *)r->uri.data, (char *)r->method.data, (char *)r->http_version.data);
    if (check(t, o, 1) && stop) goto done;
    for (i = 0; i < r->n_req_headers; i++) {
        msc_add_n_request_header(t, r->req_headers[i].name.data, r->req_headers[i].name.len,
                                 r->req_headers[i].value.data, r->req_headers[i].value.len);
    }
    msc_process_request_headers(t);
    if (check(t, o, 1) && stop) goto done;
    if (r->req_body.len) {
        msc_append_request_body(t, r->req_body.data, r->req_body.len);
        if (check(t, o, 2) && stop) goto done;
    }
    msc_process_request_body(t);
    if (check(t, o, 2) && stop) goto done;
    for (i = 0; i < r->n_resp_headers; i++) {
        msc_add_n_response_header(t, r->resp_headers[i].name.data, r->resp_headers[i].name.len,
                                  r->resp_headers[i].value.data, r->resp_headers[i].value.len);
    }
    msc_process_response_headers(t, r->resp_status, "HTTP/1.1");
    if (check(t, o, 3) && stop) goto done;
    if (r->resp_body.len) {
        msc_append_response_body(t, r->resp_body.data, r->resp_body.len);
        if (check(t, o, 4) && stop) goto done;
    }
    msc_process_response_body(t);
    check(t, o, 4);
done:
    msc_process_logging(t);
    check(t, o, 5);
    msc_transaction_cleanup(t);
}

/* The measured region: callgrind collects only inside this function. */
__attribute__((noinline)) void measured_requests(ModSecurity *ms, RulesSet *rules, const request *r,
                                                 long iters, outcome *o) {
    for (long i = 0; i < iters; i++) {
        o->disruptive = 0;
        o->ids_len = 0;
        run_one(ms, rules, r, o);
        __asm__ volatile("" ::: "memory");
    }
}

/* --- loading ---------------------------------------------------------------- */

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int is_inline(const char *entry) { return strncmp(entry, "Sec", 3) == 0 && strchr(entry, ' '); }

static RulesSet *load(int pl, char **config, int n_config, int *n_rules) {
    RulesSet *rules = msc_create_rules_set();
    char paranoia[256];
    const char *err = NULL;
    int total = 0;
    snprintf(paranoia, sizeof paranoia,
             "SecAction \"id:900000,phase:1,pass,nolog,setvar:tx.blocking_paranoia_level=%d\"", pl);
    for (int i = 0; i < n_config; i++) {
        const char *entry = strcmp(config[i], "@paranoia") == 0 ? paranoia : config[i];
        int n = is_inline(entry) ? msc_rules_add(rules, entry, &err) : msc_rules_add_file(rules, entry, &err);
        if (n < 0) die("rules refused", err ? err : entry);
        total += n;
    }
    *n_rules = total;
    return rules;
}

/* --- main ------------------------------------------------------------------- */

static void usage(void) {
    fprintf(stderr,
            "usage: modsec_bench load PL CONFIG...\n"
            "       modsec_bench bench PL ITERS REQ CONFIG...\n"
            "       modsec_bench verdict [-v] PL REQ... -- CONFIG...\n");
    exit(2);
}

int main(int argc, char **argv) {
    ModSecurity *ms;
    RulesSet *rules;
    int n_rules;
    double t0;
    if (argc < 3) usage();
    ms = msc_init();
    msc_set_connector_info(ms, "portcullis modsec_bench");
    msc_set_log_cb(ms, log_cb);

    if (strcmp(argv[1], "load") == 0) {
        t0 = now_ms();
        rules = load(atoi(argv[2]), argv + 3, argc - 3, &n_rules);
        printf("loaded %d rules in %.1f ms\n", n_rules, now_ms() - t0);
    } else if (strcmp(argv[1], "bench") == 0) {
        request r;
        outcome o;
        long iters;
        if (argc < 6) usage();
        iters = atol(argv[3]);
        r = read_request(argv[4]);
        rules = load(atoi(argv[2]), argv + 5, argc - 5, &n_rules);
        memset(&o, 0, sizeof o);
        run_one(ms, rules, &r, &o); /* warm-up, outside the measured region */
        measured_requests(ms, rules, &r, iters, &o);
        printf("ran %s x%ld at PL%s: %s, status %d, rules [%s]\n", (char *)r.name.data, iters, argv[2],
               o.disruptive ? "blocked" : "pass", o.disruptive ? o.status : r.resp_status, o.ids ? o.ids : "");
    } else if (strcmp(argv[1], "verdict") == 0) {
        int arg = 2, verbose = 0, first_req, sep;
        if (arg < argc && strcmp(argv[arg], "-v") == 0) {
            verbose = 1;
            arg++;
        }
        if (arg >= argc) usage();
        {
            int pl = atoi(argv[arg++]);
            first_req = arg;
            for (sep = arg; sep < argc && strcmp(argv[sep], "--") != 0; sep++) {
            }
            if (sep >= argc) usage();
            rules = load(pl, argv + sep + 1, argc - sep - 1, &n_rules);
        }
        for (int i = first_req; i < sep; i++) {
            request r = read_request(argv[i]);
            outcome o;
            memset(&o, 0, sizeof o);
            o.keep_log = verbose;
            o.score = -1;
            run_one(ms, rules, &r, &o);
            /* name, verdict, status, phase, ids, score (-1: not known): tab-separated */
            printf("%s\t%s\t%d\t%d\t%s\t%ld\n", (char *)r.name.data, o.disruptive ? "blocked" : "pass",
                   o.disruptive ? o.status : r.resp_status, o.disruptive ? o.phase : 0, o.ids ? o.ids : "",
                   o.score);
            free(o.ids);
        }
    } else {
        usage();
    }
    msc_rules_cleanup(rules);
    msc_cleanup(ms);
    return 0;
}
