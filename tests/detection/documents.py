"""Every attack payload of the first three corpora, posted inside text: in
a Markdown document (a line of prose, the payload in a fenced code block,
a line of prose) as a form field and as a JSON field; as inline code in a
sentence (JSON); and bare in the middle of a sentence (form). `make eval-detection` runs it to
measure what the default configuration's treatment of documents costs
(docs/detection.md, "Documents"): CRS's hits in a Markdown document of
prose and fenced code do not count, so an attack posted that way is left to
@builtin's own detectors.

Usage: documents.py OUT_FILE
"""
import json
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as g  # noqa: E402
import second_corpus  # noqa: E402
import third_corpus  # noqa: E402


def payloads():
    """(corpus, class, index, payload) for every payload, each once."""
    for corpus, table in (("main", g.PAYLOADS), ("second", second_corpus.P), ("third", third_corpus.ATTACKS)):
        for cls, ps in table.items():
            for i, p in enumerate(ps, 1):
                yield corpus, cls, i, p


def document(payload: str) -> str:
    return f"This is what I tried:\n\n```\n{payload}\n```\n\nAny idea why it fails?"


def inline(payload: str) -> str:
    return f"Our logs show `{payload}` in the search box since Monday; should we worry?"


def sentence(payload: str) -> str:
    return f"Hi team, I typed {payload} into the form and the page went blank."


def requests(payload: str):
    """The document in a form post and in a JSON post, the payload as inline
    code in a chat message, and bare in a sentence of a contact form."""
    doc = document(payload)
    form = "title=Help&body=" + urllib.parse.quote_plus(doc)
    yield "form", g.request("POST", "/forum/posts", g.base_headers() + [["Content-Type", "application/x-www-form-urlencoded"]], form)
    body = json.dumps({"title": "Help", "body": doc}, ensure_ascii=False)
    yield "json", g.request("POST", "/api/forum/questions", g.base_headers() + [["Content-Type", "application/json"]], body)
    body = json.dumps({"channel": "C042", "text": inline(payload)}, ensure_ascii=False)
    yield "inline_json", g.request("POST", "/api/chat.postMessage", g.base_headers() + [["Content-Type", "application/json"]], body)
    form = "name=Sam&message=" + urllib.parse.quote_plus(sentence(payload))
    yield "sentence_form", g.request("POST", "/contact", g.base_headers() + [["Content-Type", "application/x-www-form-urlencoded"]], form)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: documents.py OUT_FILE")
    n = 0
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        for corpus, cls, i, p in payloads():
            for placement, r in requests(p):
                rec = {"id": f"doc-{corpus}-{cls}-{i:02d}-{placement}", "class": cls,
                       "placement": placement if placement.startswith(("inline", "sentence")) else f"document_{placement}", "encoding": "plain", **r}
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
    print(f"{sys.argv[1]}: {n} attack requests in documents and sentences")


if __name__ == "__main__":
    main()
