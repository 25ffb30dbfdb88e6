"""Open a page in headless Chromium and record what it did: every request it
sent, every console message, uncaught exception and browser log entry (CSP
violations, failed loads), plus a screenshot and where an element was drawn.

It speaks the DevTools protocol over the pipe Chromium opens with
`--remote-debugging-pipe` (JSON messages ended by NUL on fds 3 and 4), so it
needs no websocket library, no driver and no browser download. Events come
from the page's own target, so the browser's background traffic (update and
account checks) is not mistaken for the page's."""

from __future__ import annotations

import base64
import json
import os
import select
import struct
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
LOCAL_SCHEMES = ("file:", "data:", "about:")


@dataclass
class PageVisit:
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    console: list[tuple[str, str]] = field(default_factory=list)  # (type, text)
    exceptions: list[str] = field(default_factory=list)
    log: list[tuple[str, str, str]] = field(default_factory=list)  # (level, source, text)
    boxes: dict[str, tuple[float, float, float, float]] = field(default_factory=dict)  # selector -> x, y, w, h
    element_shots: dict[str, bytes] = field(default_factory=dict)  # selector -> PNG of just that element

    @property
    def network(self) -> list[str]:
        """Requests that would leave the machine."""
        return [url for url in self.requests if not url.startswith(LOCAL_SCHEMES)]

    @property
    def errors(self) -> list[str]:
        """What the DevTools console would show as an error."""
        return (
            [f"console.{kind}: {text}" for kind, text in self.console if kind in ("error", "assert")]
            + [f"uncaught: {text}" for text in self.exceptions]
            + [f"{source}: {text}" for level, source, text in self.log if level == "error"]
        )


class _Pipe:
    def __init__(self, write_fd: int, read_fd: int) -> None:
        self.write_fd = write_fd
        self.read_fd = read_fd
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict] = []

    def _receive(self, deadline: float) -> dict | None:
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.read_fd], [], [], left)
            if ready:
                chunk = os.read(self.read_fd, 1 << 16)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self.buffer += chunk
        raw, _, self.buffer = self.buffer.partition(b"\0")
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30) -> dict:
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session is not None:
            message["sessionId"] = session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._receive(deadline)
            if answer is None:
                raise TimeoutError(f"no answer to {method}")
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not any(event.get("method") == method for event in self.events):
            event = self._receive(deadline)
            if event is None:
                raise TimeoutError(f"no {method}")
            self.events.append(event)

    def drain(self, seconds: float) -> None:
        """Collect late events (a failed load, a console message after load)."""
        deadline = time.monotonic() + seconds
        while (event := self._receive(deadline)) is not None:
            self.events.append(event)


def visit(
    url: str, screenshot: Path, width: int = 1200, height: int = 2000, selectors: tuple[str, ...] = ()
) -> PageVisit:
    """Load `url`, wait for its load event and a second more, save a PNG of the
    viewport to `screenshot`, take one of each element `selectors` name, and
    return what the page did."""
    commands_read, commands_write = os.pipe()
    answers_read, answers_write = os.pipe()

    def on_fds_3_and_4() -> None:  # in the child, before exec: where Chromium looks for the pipe
        os.dup2(commands_read, 3)
        os.dup2(answers_write, 4)

    with tempfile.TemporaryDirectory() as profile:
        process = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=on_fds_3_and_4,
            pass_fds=(3, 4),
        )
        os.close(commands_read)
        os.close(answers_write)
        pipe = _Pipe(commands_write, answers_read)
        try:
            target = pipe.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = pipe.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Runtime", "Log", "Network", "Page", "DOM"):
                pipe.call(f"{domain}.enable", session=session)
            metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
            pipe.call("Emulation.setDeviceMetricsOverride", metrics, session=session)
            pipe.call("Page.navigate", {"url": url}, session=session)
            pipe.wait_for("Page.loadEventFired", timeout=30)
            pipe.drain(1.0)
            shot = pipe.call("Page.captureScreenshot", {"format": "png"}, session=session)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
            boxes, element_shots = {}, {}
            root = pipe.call("DOM.getDocument", session=session)["root"]["nodeId"]
            for selector in selectors:
                node = pipe.call("DOM.querySelector", {"nodeId": root, "selector": selector}, session=session)
                if node.get("nodeId"):
                    quad = pipe.call("DOM.getBoxModel", {"nodeId": node["nodeId"]}, session=session)["model"]
                    xs, ys = quad["border"][0::2], quad["border"][1::2]
                    boxes[selector] = (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
                    clip = dict(zip(("x", "y", "width", "height"), boxes[selector], strict=True), scale=1)
                    shot = pipe.call("Page.captureScreenshot", {"format": "png", "clip": clip}, session=session)
                    element_shots[selector] = base64.b64decode(shot["data"])
            pipe.call("Browser.close")
            process.wait(timeout=15)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            os.close(commands_write)
            os.close(answers_read)
    return _read_events(pipe.events, boxes, element_shots)


def _read_events(events: list[dict], boxes: dict, element_shots: dict) -> PageVisit:
    seen = PageVisit(boxes=boxes, element_shots=element_shots)
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Network.requestWillBeSent":
            seen.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled":
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            seen.console.append((params["type"], text))
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            seen.exceptions.append(details.get("exception", {}).get("description") or details.get("text", ""))
        elif method == "Log.entryAdded":
            entry = params["entry"]
            seen.log.append((entry["level"], entry["source"], entry["text"]))
    return seen


def png_pixels(data: bytes) -> tuple[int, int, list[bytes], int]:
    """(width, height, rows, bytes per pixel) of an 8-bit RGB or RGBA PNG, not interlaced: what Chromium writes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, idat, header = 8, b"", None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, header
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * step
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            corner = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                nearest = min((abs(guess - left), 0, left), (abs(guess - up), 1, up), (abs(guess - corner), 2, corner))
                line[i] = (line[i] + nearest[2]) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows, step
