#!/usr/bin/env python3
"""Drives a consumer app built against the packed packages over real HTTP. TOTP codes are computed here (RFC 6238,
stdlib HMAC), independently of the library. Exit 0 when every check passed.

check-web-consumer.py APP.dll WORKDIR: the web consumer (the getting-started guide's app): sign-up, password
sign-in, the protected resource hidden (and the second-factor area refused), 2FA setup and confirmation, sign-in with
a TOTP code and with a recovery code, the protected resource shown, a password change that ends the other (stale)
session but keeps the caller's, sign-out.

check-web-consumer.py --minimal-api APP WORKDIR: the minimal API consumer's native binary, on the package's JSON
endpoints: password sign-in of the seeded owner, an authenticated call (/account/session), the secAuthProtection
resource hidden and the second-factor endpoint refused, 2FA setup and confirmation (antiforgery token in its header),
sign-out, sign-in with a TOTP code, then both shown.

check-web-consumer.py --quickstart APP.dll WORKDIR: the README's quick start as CI built it by following the README
(.ci/quickstart.py), on the package's JSON endpoints and a SQLite file: the first owner made from configuration signs
in with the password, the protected endpoint and resource refused, 2FA setup and confirmation, sign-out, sign-in with
password and TOTP code, both protected ones shown, a password change (the old password refused afterwards), a password
reset whose link the app writes to App_Data/reset-links.txt, and neither password nor token in the app's output."""
import base64, hashlib, hmac, json, os, socket, struct, subprocess, sys, time, urllib.error, urllib.parse, urllib.request
from http.cookiejar import CookieJar

mode = sys.argv[1] if sys.argv[1].startswith("--") else "--web"
minimal_api, quickstart = mode == "--minimal-api", mode == "--quickstart"
app_path, workdir = (os.path.abspath(a) for a in sys.argv[1 if mode == "--web" else 2:][:2])
os.makedirs(workdir, exist_ok=True)
with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
base = f"http://127.0.0.1:{port}"
email, password = ("owner@example.com" if minimal_api or quickstart else "olivia@example.com"), "violet kettle mountain river"
if quickstart:  # the README's Program.cs: the first owner from configuration, its data in WORKDIR/App_Data
    env = dict(os.environ, FirstOwner__Email=email, FirstOwner__Password=password, ASPNETCORE_ENVIRONMENT="Production")
    command = ["dotnet", app_path, "--urls", base]
elif minimal_api:  # in-memory stores; the sample's Demo.cs seeds the owner from configuration
    env = dict(os.environ, Demo__Password=password, Demo__Email=email, ASPNETCORE_ENVIRONMENT="Production")
    command = [app_path, "--urls", base]
else:
    env = dict(os.environ,
               AccountSecurity__TotpKey=base64.b64encode(os.urandom(32)).decode(),
               ConnectionStrings__Accounts=f"Data Source={os.path.join(workdir, 'accounts.db')}",
               ASPNETCORE_ENVIRONMENT="Production")
    command = ["dotnet", app_path, "--urls", base]
log = open(os.path.join(workdir, "app.log"), "w")
app = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)
checks = 0


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect to a login page would be an answer of its own: fail on it
        return None


class Client:
    """One browser: its own cookie jar, and the headers it sends with every request (the antiforgery token)."""

    def __init__(self):
        self.jar = CookieJar()
        self.headers = {}
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(base + path, data=data, method=method, headers={"Content-Type": "application/json", **self.headers})
        try:
            with self.opener.open(request, timeout=30) as response:
                text = response.read().decode()
                return response.status, (json.loads(text) if text and response.headers.get_content_subtype() == "json" else text or None)
        except urllib.error.HTTPError as error:
            text = error.read().decode()
            try:
                return error.code, json.loads(text) if text else None
            except ValueError:
                return error.code, text

    def session_cookie(self):
        return next((c for c in self.jar if c.name.startswith(".AccountSecurity.Session")), None)

    def refresh_antiforgery(self):  # the token is bound to the signed-in user: a new one after signing in or out
        status, body = self.call("GET", "/account/antiforgery")
        check(status == 200 and body["token"], f"an antiforgery token is issued ({status})")
        self.headers = {body["headerName"]: body["token"]}


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


def walk_getting_started():
    first = Client()
    call, session_cookie = first.call, first.session_cookie
    status, body = call("POST", "/signup", {"company": "Example GmbH", "email": email, "password": "password"})
    check(status == 400 and {"password_too_short", "password_common"} <= {e["code"] for e in body["errors"]} and body["code"], f"a weak password is refused with the package's problem details, every reason with its code ({status} {body})")
    status, body = call("POST", "/signup", {"company": "Example GmbH", "email": email, "password": password})
    check(status == 200 and body["contractId"], f"sign-up creates the contract and its owner ({status} {body})")
    status, _ = call("GET", "/datacenters")
    check(status == 401, f"without a session the resource answers 401, not a redirect ({status})")
    status, body = call("POST", "/signin", {"email": email, "password": "wrong password"})
    check(status == 401 and body["code"] == "invalid_credentials", f"a wrong password is refused with its code ({status} {body})")
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

    status, body = call("POST", "/account/2fa/setup", {"current": "wrong password"})
    check(status == 400 and body["code"], f"setup asks for the current password, answered with a code ({status} {body})")
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

def walk_minimal_api():
    client = Client()
    call = client.call
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

    client.refresh_antiforgery()
    status, setup = call("POST", "/account/two-factor/setup", {"currentPassword": password})
    check(status == 200 and setup["otpAuthUri"].startswith("otpauth://totp/"), f"2FA setup returns the key ({status} {setup})")
    now = time.time()
    status, body = call("POST", "/account/two-factor/confirm", {"code": totp(setup["manualEntryKey"], now)})
    check(status == 200 and len(body["recoveryCodes"]) == 10, f"confirming switches 2FA on and returns 10 recovery codes ({status})")
    status, _ = call("POST", "/account/signout")
    check(status == 204, f"signing out ({status})")
    client.headers.clear()
    status, body = call("POST", "/account/signin", {"email": email, "password": password})
    check(status == 200 and body["status"] == "second_factor_required", f"with 2FA on, the password step asks for a code ({status} {body})")
    client.refresh_antiforgery()
    status, body = call("POST", "/account/signin/second-factor", {"code": totp(setup["manualEntryKey"], now + 30)})
    check(status == 200 and body["status"] == "signed_in", f"the app's next code completes the sign-in ({status} {body})")
    status, body = call("GET", "/hello")
    check(status == 200 and body.startswith("Hello"), f"the second-factor endpoint admits the session ({status} {body})")
    status, body = call("GET", "/datacenters")
    check(status == 200 and [d["id"] for d in body] == ["fra1", "vault"], f"and the protected resource is listed ({status} {body})")

def walk_quickstart():
    client = Client()
    call = client.call
    status, _ = call("GET", "/account/session")
    check(status == 401, f"without a session the authenticated call answers 401 ({status})")
    status, body = call("POST", "/account/signin", {"email": email, "password": "wrong password"})
    check(status == 401 and body["code"] == "invalid_credentials", f"a wrong password is refused with its code ({status} {body})")
    status, body = call("POST", "/account/signin", {"email": email, "password": password})
    check(status == 200 and body["status"] == "signed_in", f"the first owner, made from configuration, signs in with the password ({status} {body})")
    status, body = call("GET", "/account/session")
    check(status == 200 and body["userId"] == "owner" and body["secondFactor"] is False, f"the session is the owner's, without the second factor ({status} {body})")
    status, body = call("GET", "/datacenters")
    check(status == 200 and [d["id"] for d in body] == ["fra1"], f"without the second factor the protected data center is hidden ({status} {body})")
    status, _ = call("GET", "/datacenters/vault")
    check(status == 404, f"and does not exist for this session ({status})")
    status, _ = call("GET", "/hello")
    check(status == 403, f"the second-factor endpoint refuses a password-only session ({status})")

    client.refresh_antiforgery()
    status, body = call("POST", "/account/two-factor/setup", {"currentPassword": "wrong password"})
    check(status == 400 and body["code"], f"2FA setup asks for the current password ({status} {body})")
    status, setup = call("POST", "/account/two-factor/setup", {"currentPassword": password})
    check(status == 200 and setup["otpAuthUri"].startswith("otpauth://totp/"), f"2FA setup returns the key ({status})")
    now = time.time()
    status, body = call("POST", "/account/two-factor/confirm", {"code": totp(setup["manualEntryKey"], now)})
    check(status == 200 and len(body["recoveryCodes"]) == 10, f"confirming with the app's code switches 2FA on ({status})")
    status, _ = call("POST", "/account/signout")
    check(status == 204, f"signing out ({status})")
    client.headers.clear()
    status, _ = call("GET", "/datacenters")
    check(status == 401, f"signing out ends the session ({status})")

    status, body = call("POST", "/account/signin", {"email": email, "password": password})
    check(status == 200 and body["status"] == "second_factor_required", f"with 2FA on, the password step asks for a code ({status} {body})")
    client.refresh_antiforgery()
    status, body = call("POST", "/account/signin/second-factor", {"code": totp(setup["manualEntryKey"], now)})
    check(status == 401, f"the code used for setup is not accepted twice ({status} {body})")
    status, body = call("POST", "/account/signin/second-factor", {"code": totp(setup["manualEntryKey"], now + 30)})
    check(status == 200 and body["status"] == "signed_in", f"the app's next code completes the sign-in ({status} {body})")
    status, body = call("GET", "/hello")
    check(status == 200 and body == "Hello, owner", f"the second-factor endpoint admits the session ({status} {body})")
    status, body = call("GET", "/datacenters")
    check(status == 200 and [d["id"] for d in body] == ["fra1", "vault"], f"with the second factor the protected data center is listed ({status} {body})")
    status, body = call("GET", "/datacenters/vault")
    check(status == 200 and body["name"] == "Vault", f"and can be opened ({status} {body})")

    client.refresh_antiforgery()
    changed = "amber lantern harbour meadow"
    status, body = call("POST", "/account/password/change", {"currentPassword": password, "newPassword": "short", "newPasswordRepeated": "short"})
    check(status == 400 and "password_too_short" in {e["code"] for e in body["errors"]}, f"a weak new password is refused with its reasons ({status} {body})")
    status, body = call("POST", "/account/password/change", {"currentPassword": password, "newPassword": changed, "newPasswordRepeated": changed})
    check(status == 204, f"the password is changed ({status} {body})")
    status, body = call("GET", "/hello")
    check(status == 200, f"the session that changed the password stays, with its second factor ({status} {body})")
    other = Client()
    status, body = other.call("POST", "/account/signin", {"email": email, "password": password})
    check(status == 401, f"the old password no longer signs in ({status} {body})")
    status, body = other.call("POST", "/account/signin", {"email": email, "password": changed})
    check(status == 200 and body["status"] == "second_factor_required", f"the new one does, asking for the code ({status} {body})")

    # The reset link goes to the file the README's sender writes, never to the log.
    status, body = other.call("POST", "/account/password/reset", {"email": email})
    check(status == 202, f"a reset is requested ({status} {body})")
    links = os.path.join(workdir, "App_Data", "reset-links.txt")
    token = None
    for _ in range(40):
        if os.path.exists(links):
            found = [line for line in open(links).read().splitlines() if f" to {email}: " in line]
            if found:
                token = urllib.parse.unquote(found[-1].split("token=", 1)[1].split(" ", 1)[0])
                break
        time.sleep(0.25)
    check(token, "the reset link is written to App_Data/reset-links.txt")
    reset = "copper window orchard valley"
    status, body = other.call("POST", "/account/password/reset/complete", {"email": email, "token": token, "newPassword": reset, "newPasswordRepeated": reset})
    check(status in (200, 204), f"the link's token sets a new password ({status} {body})")
    status, body = other.call("POST", "/account/signin", {"email": email, "password": reset})
    check(status == 200 and body["status"] == "second_factor_required", f"the reset password signs in, still asking for the code ({status} {body})")
    log.flush()
    output = open(os.path.join(workdir, "app.log")).read()
    check(all(secret not in output for secret in (password, changed, reset, token)), "no password and no reset token in the app's output")


name = {"--minimal-api": "minimal API consumer (Native AOT)", "--quickstart": "README quick start"}.get(mode, "web consumer")
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
    {"--minimal-api": walk_minimal_api, "--quickstart": walk_quickstart}.get(mode, walk_getting_started)()
    print(f"{name}: {checks} checks passed")
    result = 0
except Exception as error:  # the app's log says why
    print(f"{name} FAILED after {checks} checks: {error}", file=sys.stderr)
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
