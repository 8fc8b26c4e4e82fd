#!/usr/bin/env python3
"""Drives the web consumer (the getting-started guide's app, built against the packed packages) over real HTTP:
sign-up, password sign-in, the protected resource hidden (and the second-factor area refused), 2FA setup and
confirmation, sign-in with a TOTP code and with a recovery code, the protected resource shown, a password change that
ends the other (stale) session but keeps the caller's, sign-out. TOTP codes are computed here (RFC 6238, stdlib HMAC),
independently of the library. Usage: check-web-consumer.py APP.dll WORKDIR. Exit 0 when every check passed."""
import base64, hashlib, hmac, json, os, socket, struct, subprocess, sys, time, urllib.error, urllib.request
from http.cookiejar import CookieJar

app_dll, workdir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
os.makedirs(workdir, exist_ok=True)
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
base = f"http://127.0.0.1:{port}"
env = dict(os.environ,
           AccountSecurity__TotpKey=base64.b64encode(os.urandom(32)).decode(),
           ConnectionStrings__Accounts=f"Data Source={os.path.join(workdir, 'accounts.db')}",
           ASPNETCORE_ENVIRONMENT="Production")
log = open(os.path.join(workdir, "app.log"), "w")
app = subprocess.Popen(["dotnet", app_dll, "--urls", base], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
checks = 0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect to a login page would be an answer of its own: fail on it
        return None


class Client:
    """One browser: its own cookie jar."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with self.opener.open(request, timeout=30) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text else None)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            try:
                return error.code, json.loads(text) if text else None
            except ValueError:
                return error.code, text

    def session_cookie(self):
        return next((c for c in self.jar if c.name.startswith(".AccountSecurity.Session")), None)


first = Client()
call, session_cookie = first.call, first.session_cookie


def check(condition, what):
    global checks
    if not condition:
        raise AssertionError(what)
    checks += 1


def totp(manual_key, at, step=30):
    key = manual_key.replace(" ", "")
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    digest = hmac.new(secret, struct.pack(">Q", int(at // step)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000)


try:
    for _ in range(120):
        if app.poll() is not None:
            raise AssertionError(f"the app exited with {app.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    else:
        raise AssertionError("the app did not listen within 60 seconds")

    email, password = "olivia@example.com", "violet kettle mountain river"
    status, body = call("POST", "/signup", {"company": "Example GmbH", "email": email, "password": "password"})
    check(status == 400 and {"password_too_short", "password_common"} <= {e["code"] for e in body}, f"a weak password is refused with its reasons ({status} {body})")
    status, body = call("POST", "/signup", {"company": "Example GmbH", "email": email, "password": password})
    check(status == 200 and body["contractId"], f"sign-up creates the contract and its owner ({status} {body})")
    status, _ = call("GET", "/datacenters")
    check(status == 401, f"without a session the resource answers 401, not a redirect ({status})")
    status, _ = call("POST", "/signin", {"email": email, "password": "wrong password"})
    check(status == 401, f"a wrong password is refused ({status})")
    status, _ = call("POST", "/signin", {"email": "nobody@example.com", "password": password})
    check(status == 401, f"an unknown e-mail is answered like a wrong password ({status})")
    status, body = call("POST", "/signin", {"email": email, "password": password})
    check(status == 200 and body["next"] == "done", f"the password alone signs in before 2FA is on ({status} {body})")
    check(session_cookie() is not None, "the session cookie is the package's AccountSecurity.Session scheme")
    status, body = call("GET", "/datacenters")
    check(status == 200 and [d["id"] for d in body] == ["dc-fra"], f"without the second factor the protected data center is hidden ({status} {body})")
    status, _ = call("GET", "/datacenters/dc-zrh")
    check(status == 404, f"the protected data center does not exist for this session ({status})")
    status, _ = call("GET", "/billing")
    check(status == 403, f"the second-factor area refuses a password-only session ({status})")

    status, setup = call("POST", "/account/2fa/setup", {"current": "wrong password"})
    check(status == 400, f"setup asks for the current password ({status})")
    status, setup = call("POST", "/account/2fa/setup", {"current": password})
    check(status == 200 and "<svg" in setup["qrCodeSvg"] and setup["otpAuthUri"].startswith("otpauth://totp/"), f"setup returns the QR code and the key ({status})")
    now = time.time()
    status, body = call("POST", "/account/2fa/confirm", {"value": totp(setup["manualEntryKey"], now)})
    check(status == 200 and len(body["recoveryCodes"]) == 10, f"confirming with the app's code switches 2FA on and returns 10 recovery codes ({status})")
    recovery_codes = body["recoveryCodes"]
    status, body = call("GET", "/datacenters")
    check(status == 200 and [d["id"] for d in body] == ["dc-fra"], f"the session that switched 2FA on survives, still without the second factor ({status} {body})")

    call("POST", "/signout")
    status, _ = call("GET", "/datacenters")
    check(status == 401, f"signing out ends the session ({status})")
    status, body = call("POST", "/signin", {"email": email, "password": password})
    check(status == 200 and body["next"] == "code", f"with 2FA on, the password step asks for a code ({status} {body})")
    check(session_cookie() is None, "the password step alone issues no session cookie")
    status, _ = call("GET", "/datacenters")
    check(status == 401, f"between password and code there is no session ({status})")
    status, _ = call("POST", "/signin/code", {"value": totp(setup["manualEntryKey"], now)})
    check(status == 401, f"the code used for setup is not accepted twice ({status})")
    status, body = call("POST", "/signin/code", {"value": totp(setup["manualEntryKey"], now + 30)})
    check(status == 200 and body["next"] == "done", f"the app's next code completes the sign-in ({status} {body})")
    status, body = call("GET", "/datacenters")
    check(status == 200 and [d["id"] for d in body] == ["dc-fra", "dc-zrh"], f"with the second factor the protected data center is listed ({status} {body})")
    status, body = call("GET", "/datacenters/dc-zrh")
    check(status == 200 and body["name"] == "Zurich", f"and can be opened ({status} {body})")
    status, _ = call("GET", "/billing")
    check(status == 200, f"the second-factor area admits the session ({status})")

    # A second session (another browser) with a recovery code; then a password change in the first one.
    other = Client()
    other.call("POST", "/signin", {"email": email, "password": password})
    status, body = other.call("POST", "/signin/code", {"value": recovery_codes[0], "isRecoveryCode": True})
    check(status == 200, f"a recovery code completes the sign-in ({status} {body})")
    status, body = other.call("GET", "/datacenters")
    check(status == 200 and len(body) == 2, f"a recovery-code sign-in counts as the second factor ({status} {body})")
    new_password = "amber lantern harbour meadow"
    status, body = call("POST", "/account/password", {"current": password, "new": new_password, "newRepeated": new_password})
    check(status == 200, f"the password is changed ({status} {body})")
    status, _ = other.call("GET", "/datacenters")
    check(status == 401, f"the other session, stale after the password change, is rejected ({status})")
    status, body = call("GET", "/datacenters")
    check(status == 200 and len(body) == 2, f"the session that changed the password survives with its second factor ({status} {body})")
    status, _ = other.call("POST", "/signin", {"email": email, "password": password})
    check(status == 401, f"the old password no longer signs in ({status})")
    other.call("POST", "/signin", {"email": email, "password": new_password})
    status, _ = other.call("POST", "/signin/code", {"value": recovery_codes[0], "isRecoveryCode": True})
    check(status == 401, f"a recovery code works once ({status})")
    status, _ = other.call("POST", "/signin/code", {"value": recovery_codes[1], "isRecoveryCode": True})
    check(status == 200, f"the new password and another recovery code sign in ({status})")
    print(f"web consumer: {checks} checks passed")
    result = 0
except Exception as error:  # the app's log says why
    print(f"web consumer FAILED after {checks} checks: {error}", file=sys.stderr)
    log.flush()
    print(open(os.path.join(workdir, "app.log")).read()[-4000:], file=sys.stderr)
    result = 1
finally:
    app.terminate()
    try:
        app.wait(timeout=20)
    except subprocess.TimeoutExpired:
        app.kill()
sys.exit(result)
