"""The `api` command: an OpenAI-compatible chat server (LLAMAFACTORY.md §4) on the standard library's http.server."""
import json
import os
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .console import log
from .generate import count_prompt_tokens, load_for_inference, stream


class _Err(Exception):
    def __init__(self, status, detail):
        super().__init__(detail)
        self.status, self.detail = status, detail


def _parse_messages(body):
    """LF's _process_request rules: optional leading system, then user/assistant alternation, odd count."""
    if not isinstance(body, dict):
        raise _Err(400, "Invalid request body: expected a JSON object.")
    if not isinstance(body.get("model"), str):
        raise _Err(422, [{"type": "missing", "loc": ["body", "model"], "msg": "Field required"}])
    msgs = body.get("messages")
    if not isinstance(msgs, list) or not msgs:
        raise _Err(400, "Invalid length")
    system = ""
    if isinstance(msgs[0], dict) and msgs[0].get("role") == "system":
        system, msgs = _text(msgs[0].get("content")), msgs[1:]
    if len(msgs) % 2 == 0:
        raise _Err(400, "Only supports u/a/u/a/u...")
    turns, user = [], None
    for i, m in enumerate(msgs):
        if not isinstance(m, dict):
            raise _Err(400, "Invalid message")
        role = m.get("role")
        if i % 2 == 0 and role not in ("user", "tool"):
            raise _Err(400, "Invalid role")
        if i % 2 == 1 and role not in ("assistant", "function"):
            raise _Err(400, "Invalid role")
        if i % 2 == 0:
            user = _text(m.get("content"))
        else:
            turns.append((user, _text(m.get("content"))))
    turns.append((user, None))
    return system, turns


def _text(content):
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
    if content is None:
        return ""
    raise _Err(400, "Invalid content")


def make_handler(model, cfg, device, gen_args):
    model_name = os.environ.get("API_MODEL_NAME", "gpt-3.5-turbo")
    api_key = os.environ.get("API_KEY")
    lock = threading.Semaphore(int(os.environ.get("MAX_CONCURRENT", "1")))

    class H(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *a):  # uvicorn-style access line
            log(f'{self.client_address[0]}:{self.client_address[1]} - "{self.command} {self.path} {self.request_version}" {a[1] if len(a) > 1 else ""}',
                name="uvicorn.access", lineno=0)

        def _json(self, status, obj):
            data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(data)

        def _auth(self):
            if api_key and self.headers.get("Authorization", "") != f"Bearer {api_key}":
                self._json(401, {"detail": "Invalid API key."})
                return False
            return True

        def do_OPTIONS(self):
            self.send_response(200)
            for h, v in (("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", "*"),
                         ("Access-Control-Allow-Headers", "*"), ("Content-Length", "0")):
                self.send_header(h, v)
            self.end_headers()

        def do_GET(self):
            path = self.path.split("?")[0]
            if path == "/docs":
                return self._json(200, {"detail": "Trainyard demo trainer API: GET /v1/models, POST /v1/chat/completions"})
            if not self._auth():
                return
            if path == "/v1/models":
                return self._json(200, {"object": "list", "data": [{"id": model_name, "object": "model",
                                                                    "created": int(time.time()), "owned_by": "owner"}]})
            self._json(404, {"detail": "Not Found"})

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(n) if n else b""
            if not self._auth():
                return
            if self.path.split("?")[0] == "/v1/score/evaluation":
                return self._json(405, {"detail": "Not allowed"})
            if self.path.split("?")[0] != "/v1/chat/completions":
                return self._json(404, {"detail": "Not Found"})
            try:
                try:
                    body = json.loads(raw.decode("utf-8"))
                except (ValueError, UnicodeDecodeError) as e:
                    raise _Err(400, f"Invalid JSON body: {e}")
                system, turns = _parse_messages(body)
                if body.get("stream") and (body.get("tools") or (body.get("n") or 1) > 1):
                    raise _Err(400, "Cannot stream function calls." if body.get("tools") else "Cannot stream multiple responses.")
                opts = _gen_opts(body, gen_args)
            except _Err as e:
                return self._json(e.status if e.status != 422 else 422, {"detail": e.detail})
            cid = "chatcmpl-" + uuid.uuid4().hex
            with lock:
                if body.get("stream"):
                    return self._stream(cid, body["model"], system, turns, opts)
                text, reason = "", "stop"
                for piece, fin in stream(model, cfg, device, system, turns, **opts):
                    text += piece
                    reason = fin or reason
                pt = count_prompt_tokens(system, turns)
                ct = len(text.encode("utf-8"))
                self._json(200, {"id": cid, "object": "chat.completion", "created": int(time.time()), "model": body["model"],
                                 "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                              "finish_reason": reason}],
                                 "usage": {"prompt_tokens": pt, "completion_tokens": ct, "total_tokens": pt + ct}})

        def _stream(self, cid, model_id, system, turns, opts):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Connection", "close")
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.close_connection = True

            def send(obj):
                # sse-starlette with sep="\n": "data: <json>\n\n"
                data = obj if isinstance(obj, str) else json.dumps(obj, ensure_ascii=False)
                self.wfile.write(f"data: {data}\n\n".encode("utf-8"))
                self.wfile.flush()

            def chunk(delta, fin=None):
                return {"id": cid, "model": model_id, "choices": [{"index": 0, "delta": delta, "finish_reason": fin}]}

            try:
                send(chunk({"role": "assistant", "content": ""}))
                reason = "stop"
                for piece, fin in stream(model, cfg, device, system, turns, **opts):
                    if piece:
                        send(chunk({"content": piece}))
                    reason = fin or reason
                send(chunk({}, reason))
                send("[DONE]")
            except (BrokenPipeError, ConnectionResetError):
                pass

    return H


def _gen_opts(body, g):
    def num(k, default, cast=float):
        v = body.get(k)
        if v is None:
            return default
        try:
            return cast(v)
        except (TypeError, ValueError):
            raise _Err(400, f"Invalid value for {k}: {v!r}")
    temperature = num("temperature", g["temperature"])
    do_sample = body.get("do_sample", g["do_sample"])
    if temperature == 0:
        do_sample = False
    return {"max_new_tokens": num("max_tokens", g["max_new_tokens"], int), "temperature": temperature,
            "top_p": num("top_p", g["top_p"]), "top_k": g["top_k"] or 0, "do_sample": bool(do_sample),
            "stop": body.get("stop")}


def run(args):
    if args["template"] and args["template"] != "demo":
        log(f"template: {args['template']} is mapped to the demo trainer's single `demo` chat template.", "WARNING",
            "llamafactory.data.template", 518)
    log("Loading model and adapter for the API server...", name="llamafactory.chat.hf_engine", lineno=50)
    model, cfg, device = load_for_inference(args, lambda m: log(m, name="llamafactory.model.adapter", lineno=299))
    host = os.environ.get("API_HOST", "0.0.0.0")
    port = int(os.environ.get("API_PORT", "8000"))
    server = ThreadingHTTPServer((host, port), make_handler(model, cfg, device, args))
    server.daemon_threads = True
    print(f"Visit http://localhost:{port}/docs for API document.", flush=True)
    log(f"Uvicorn running on http://{host}:{port} (Press CTRL+C to quit)", name="uvicorn.error", lineno=0)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0
