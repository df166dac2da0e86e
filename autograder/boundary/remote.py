"""Proxies for the student's objects, which stay inside the sandbox.

When the grader runs a test cell, every name the cell takes from the student's
notebook (``sigmoid``, ``Perceptron``...) is looked up in the sandbox. Plain
data (numbers, strings, arrays, lists...) comes back by value, as exact
built-in types rebuilt by :mod:`autograder.boundary.sandbox.wire`; anything else comes
back as a :class:`RemoteObject`. Calling it, reading an attribute or indexing
it sends a request to the sandbox and waits for the answer, so the student's
code always runs in the sandbox and never in the grader's process.
"""

import itertools
import time

import nbchecks as checks
from autograder.boundary.isolation import SandboxStopped
from autograder.boundary.sandbox import wire

DEFAULT_CALL_TIMEOUT = 30.0
CALL_GRACE = 10.0  # seconds the grader waits past a call's own limit before it stops the sandbox


class StudentCodeError(Exception):
    """The student's code raised an exception inside the sandbox."""

    def __init__(self, info):
        self.info = info if isinstance(info, dict) else {}
        super().__init__(self.student_message())

    @property
    def kind(self):
        """The class name of the error the student's code raised (as the sandbox reported it)."""
        return str(self.info.get("type", "Error"))[:80]

    def student_message(self):
        info = self.info
        return checks.describe_error(self.kind, info.get("message", ""), info.get("line"), info.get("code"))


class StudentProcessStopped(Exception):
    """The sandboxed process is gone: every later request fails with this."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(reason)

    def student_message(self):
        return f"Your notebook's code stopped while this was being checked: {self.reason}."


class MissingName:
    """Stands for a name the test needs but the student's notebook never defined."""

    def __init__(self, name):
        self._name = name

    def _fail(self, *args, **kwargs):
        raise NameError(self._name)

    __call__ = _fail

    def __getattr__(self, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        self._fail()

    def __repr__(self):
        return f"<undefined name {self._name}>"


class Connection:
    """Request/response with a sandbox that is paused at a test cell."""

    def __init__(self, sandbox):
        self.sandbox = sandbox
        self.callbacks = {}
        self._ids = itertools.count(1)

    def request(self, message, timeout=None):
        limit = (
            timeout or checks.current_timeout() or self.sandbox.limits.call_timeout or DEFAULT_CALL_TIMEOUT
        )
        message = dict(message, timeout=limit)
        # The whole request, callbacks into the grader's functions included, has one deadline: a
        # function that calls back in a loop cannot hold the check past its time.
        deadline = time.monotonic() + limit + CALL_GRACE
        try:
            self.sandbox.send(message)
            late = f"a check of its code ran past its time limit of {limit:g} seconds"
            while True:
                reply = self.sandbox.receive(timeout=max(0.0, deadline - time.monotonic()), late=late)
                if "callback" in reply:
                    self._answer_callback(reply)
                    continue
                break
        except SandboxStopped as stopped:
            raise StudentProcessStopped(stopped.reason) from None
        noted = reply.pop("warnings", None) if isinstance(reply, dict) else None
        if type(noted) is list:
            for text in noted[:5]:
                if type(text) is str:
                    checks.note_warning(text[:300])  # feedback only: a note never costs points
        if "ok" in reply and len(reply) == 1:
            try:
                return wire.decode(reply["ok"], resolve=self._resolve)
            except wire.WireError as error:
                raise StudentCodeError(
                    {"type": "UnreadableResult", "message": f"the result could not be read ({error})"}
                ) from None
        if "missing" in reply:
            raise KeyError(message.get("name"))
        if "error" in reply:
            raise StudentCodeError(reply["error"])
        raise StudentCodeError(
            {"type": "ProtocolError", "message": "the notebook sent an answer the grader cannot read"}
        )

    def _answer_callback(self, reply):
        function = self.callbacks.get(reply.get("callback"))
        try:
            args = wire.decode(reply.get("args", []), resolve=self._resolve)
            kwargs = wire.decode(reply.get("kwargs", {"$dict": []}), resolve=self._resolve)
            if function is None or type(args) is not list or type(kwargs) is not dict:
                raise wire.WireError("bad callback request")
            value = function(*args, **{str(k): v for k, v in kwargs.items()})
            answer = {"ok": self.encode(value)}
        except Exception as error:  # noqa: BLE001 - report back, the grader's function is trusted code
            answer = {"error": f"{type(error).__name__}: {error}"[:500]}
        try:
            self.sandbox.send(answer)
        except SandboxStopped as stopped:
            raise StudentProcessStopped(stopped.reason) from None

    def _resolve(self, tag, payload):
        if tag != "$remote":
            raise wire.WireError(f"unexpected handle {tag} from the sandbox")
        ident = payload.get("$remote")
        if type(ident) is not int:
            raise wire.WireError("invalid remote handle")
        kind = payload.get("type")
        return RemoteObject(self, ident, kind if type(kind) is str else "object")

    def _handle(self, value):
        if isinstance(value, RemoteObject):
            if value._connection is not self:
                raise ValueError("a remote object from another notebook cannot be used here")
            return {"$ref": value._id}
        if callable(value):
            ident = next(self._ids)
            self.callbacks[ident] = value
            return {"$callback": ident}
        raise TypeError(f"test code tried to send a {type(value).__name__} to the student's notebook")

    def encode(self, value):
        return wire.encode(value, handle=self._handle)

    def lookup(self, name):
        """The student's value for ``name``: plain data, a RemoteObject, or a MissingName."""
        try:
            return self.request({"op": "lookup", "name": name})
        except KeyError:
            return MissingName(name)


class RemoteObject:
    """A handle on an object that lives in the student's sandbox."""

    __slots__ = ("_connection", "_id", "_type")

    def __init__(self, connection, ident, kind):
        object.__setattr__(self, "_connection", connection)
        object.__setattr__(self, "_id", ident)
        object.__setattr__(self, "_type", kind[:80])

    def _ask(self, op, **fields):
        return self._connection.request({"op": op, "target": self._id, **fields})

    def __call__(self, *args, **kwargs):
        encode = self._connection.encode
        return self._ask("call", args=encode(list(args)), kwargs=encode(dict(kwargs)))

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ask("getattr", name=name)

    def __setattr__(self, name, value):
        self._ask("setattr", name=name, value=self._connection.encode(value))

    def __getitem__(self, key):
        return self._ask("getitem", key=self._connection.encode(key))

    def __len__(self):
        try:
            value = self._ask("len")
        except StudentCodeError as error:
            if error.info.get("type") == "TypeError":
                raise TypeError(
                    error.info.get("message", "object has no len()")
                ) from None  # list() then iterates
            raise
        if type(value) is not int or value < 0:
            raise StudentCodeError({"type": "TypeError", "message": "len() did not return a whole number"})
        return value

    def __iter__(self):
        items = self._ask("list", limit=100_000)
        if type(items) is not list:
            raise StudentCodeError({"type": "TypeError", "message": "iteration did not give a list of items"})
        return iter(items)

    def __eq__(self, other):
        return other is self

    def __hash__(self):
        return hash((id(self._connection), self._id))

    def __bool__(self):
        return True

    def __repr__(self):
        return f"<{self._type} object from your notebook>"

    @property
    def remote_type(self):
        """The class name of the object in the notebook (as reported by the notebook)."""
        return self._type
