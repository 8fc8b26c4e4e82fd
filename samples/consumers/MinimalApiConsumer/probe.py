#!/usr/bin/env python3
"""Drives the Native AOT build of the minimal API consumer over real HTTP, on the package's JSON endpoints: password
sign-in of the seeded owner, an authenticated call (/account/session), the secAuthProtection resource hidden and the
second-factor endpoint refused, 2FA setup and confirmation (antiforgery token in its header), sign-out, sign-in with a
TOTP code (computed here, RFC 6238, stdlib HMAC), then both shown. Usage: probe.py APP WORKDIR (APP: the native
binary). Exit 0 when every check passed."""
import base64, hashlib, hmac, json, os, socket, struct, subprocess, sys, time, urllib.error, urllib.request
from http.cookiejar import CookieJar

app_path, workdir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
os.makedirs(workdir, exist_ok=True)
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
base = f"http://127.0.0.1:{port}"
email, password = "owner@example.com", "violet kettle mountain river"
env = dict(os.environ, Demo__Password=password, Demo__Email=email, ASPNETCORE_ENVIRONMENT="Production")
log = open(os.path.join(workdir, "app.log"), "w")
app = subprocess.Popen([app_path, "--urls", base], cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
jar = CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
antiforgery = {}
checks = 0


def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json", **antiforgery})
    try:
        with opener.open(request, timeout=30) as response:
            text = response.read().decode()
            return response.status, (json.loads(text) if text and response.headers.get_content_subtype() == "json" else text)
    except urllib.error.HTTPError as error:
        text = error.read().decode()
        try:
            return error.code, json.loads(text) if text else None
        except ValueError:
            return error.code, text


def refresh_antiforgery():  # the token is bound to the signed-in user: a new one after signing in or out
    status, body = call("GET", "/account/antiforgery")
    check(status == 200 and body["token"], f"an antiforgery token is issued ({status})")
    antiforgery.clear()
    antiforgery[body["headerName"]] = body["token"]


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

    status, _ = call("GET", "/account/session")
    check(status == 401, f"without a session the authenticated call answers 401 ({status})")
    status, body = call("POST", "/account/signin", {"email": email, "password": "wrong password"})
    check(status == 401 and body["code"] == "invalid_credentials", f"a wrong password is refused with its code ({status} {body})")
    status, body = call("POST", "/account/signin", {"email": email, "password": password})
    check(status == 200 and body["status"] == "signed_in", f"the password signs in ({status} {body})")
    status, body = call("GET", "/account/session")
    check(status == 200 and body["userId"] == "owner" and body["secondFactor"] is False, f"the authenticated call sees the session ({status} {body})")
    status, body = call("GET", "/datacenters")
    check(status == 200 and [d["id"] for d in body] == ["fra1"], f"without the second factor the protected resource is hidden ({status} {body})")
    status, _ = call("GET", "/datacenters/vault")
    check(status == 403, f"and refused ({status})")
    status, _ = call("GET", "/hello")
    check(status == 403, f"the second-factor endpoint refuses a password-only session ({status})")

    refresh_antiforgery()
    status, setup = call("POST", "/account/two-factor/setup", {"currentPassword": password})
    check(status == 200 and setup["otpAuthUri"].startswith("otpauth://totp/"), f"2FA setup returns the key ({status} {setup})")
    now = time.time()
    status, body = call("POST", "/account/two-factor/confirm", {"code": totp(setup["manualEntryKey"], now)})
    check(status == 200 and len(body["recoveryCodes"]) == 10, f"confirming switches 2FA on and returns 10 recovery codes ({status})")
    status, _ = call("POST", "/account/signout")
    check(status == 204, f"signing out ({status})")
    antiforgery.clear()
    status, body = call("POST", "/account/signin", {"email": email, "password": password})
    check(status == 200 and body["status"] == "second_factor_required", f"with 2FA on, the password step asks for a code ({status} {body})")
    refresh_antiforgery()
    status, body = call("POST", "/account/signin/second-factor", {"code": totp(setup["manualEntryKey"], now + 30)})
    check(status == 200 and body["status"] == "signed_in", f"the app's next code completes the sign-in ({status} {body})")
    status, body = call("GET", "/hello")
    check(status == 200 and body.startswith("Hello"), f"the second-factor endpoint admits the session ({status} {body})")
    status, body = call("GET", "/datacenters")
    check(status == 200 and [d["id"] for d in body] == ["fra1", "vault"], f"and the protected resource is listed ({status} {body})")
    print(f"minimal API consumer (Native AOT): {checks} checks passed")
    result = 0
except Exception as error:  # the app's log says why
    print(f"minimal API consumer FAILED after {checks} checks: {error}", file=sys.stderr)
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
