# JupyterHub configuration for a class running the course on one machine.
#
# Everything a teacher sets lives in the class settings file (hub/class.json unless TSDL_HUB_CLASS
# names another); this file turns it into JupyterHub settings. Start it with `npm run hub`, which
# registers the course kernel, sets the environment below and runs
#   jupyterhub -f hub/jupyterhub_config.py
#
# Environment (set by scripts/hub.ts):
#   TSDL_ROOT              the course checkout (dist/, node_modules/, data/ are shared from it)
#   TSDL_HUB_CLASS         the class settings file (JSON)
#   TSDL_KERNEL_PATH       the Jupyter data folder holding the course kernel spec (JUPYTER_PATH)
#   TSDL_NODE              the Node.js binary that refreshes each workspace
#   TSDL_HUB_SERVICE_TOKEN optional: an API token for the `tsdl-admin` service (admin role),
#                          used by `npm run hub -- --selftest` and by scripts that drive the hub
import json
import os
import pwd

try:
    c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)
except NameError:  # run directly (`python3 hub/jupyterhub_config.py`) to check the class settings
    from traitlets.config import Config

    c = Config()

ROOT = os.environ.get("TSDL_ROOT") or os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLASS_FILE = os.environ.get("TSDL_HUB_CLASS") or os.path.join(ROOT, "hub", "class.json")

KNOWN_KEYS = {
    "name", "ip", "port", "hubPort", "proxyApiPort", "authenticator", "testPassword",
    "students", "admins", "profile", "notebooks", "stateDir", "cullIdleKernelsMinutes",
    "stopIdleServersMinutes", "adminAccess", "sslCert", "sslKey", "kernel", "startTimeoutSeconds",
}


class ClassSettingsError(ValueError):
    pass


def fail(message):
    raise ClassSettingsError(f"{CLASS_FILE}: {message}")


def load_settings(path):
    try:
        with open(path, encoding="utf-8") as f:
            s = json.load(f)
    except FileNotFoundError:
        raise ClassSettingsError(f"{path}: no class settings file; copy hub/class.json and edit it") from None
    except json.JSONDecodeError as e:
        raise ClassSettingsError(f"{path}: not valid JSON ({e}); fix the file") from None
    if not isinstance(s, dict):
        fail("must hold one JSON object")
    unknown = sorted(set(s) - KNOWN_KEYS)
    if unknown:
        fail(f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(sorted(KNOWN_KEYS))}")
    for key in ("students", "admins"):
        names = s.get(key, [])
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            fail(f'"{key}" must be a list of user names')
    if not s.get("students"):
        fail('"students" is empty: list the system user names of the class')
    if s.get("authenticator", "pam") not in ("pam", "test"):
        fail('"authenticator" must be "pam" (system users and passwords) or "test" (one shared password, 127.0.0.1 only)')
    if s.get("profile", "full") not in ("full", "smoke"):
        fail('"profile" must be "full" or "smoke"')
    for key in ("port", "hubPort", "proxyApiPort", "cullIdleKernelsMinutes", "stopIdleServersMinutes", "startTimeoutSeconds"):
        if key in s and (not isinstance(s[key], (int, float)) or isinstance(s[key], bool) or s[key] < 0):
            fail(f'"{key}" must be a number >= 0 (got {s[key]!r})')
    return s


S = load_settings(CLASS_FILE)


def from_root(p):
    return p if os.path.isabs(p) else os.path.join(ROOT, p)


ip = S.get("ip", "127.0.0.1")
state = from_root(S.get("stateDir", "build/hub"))
if __name__ != "__main__":
    os.makedirs(state, mode=0o700, exist_ok=True)

# --- Network: students reach the proxy on ip:port; the hub and the proxy's API stay on loopback.
c.JupyterHub.ip = ip
c.JupyterHub.port = int(S.get("port", 8000))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(S.get("hubPort", 8081))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(S.get('proxyApiPort', 8001))}"
c.ConfigurableHTTPProxy.pid_file = os.path.join(state, "proxy.pid")
if S.get("sslCert") or S.get("sslKey"):
    c.JupyterHub.ssl_cert = from_root(S["sslCert"])
    c.JupyterHub.ssl_key = from_root(S["sslKey"])

# --- State that survives a restart: users, servers, cookies.
c.JupyterHub.db_url = "sqlite:///" + os.path.join(state, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(state, "jupyterhub.pid")

# --- Who may log in.
students = list(S["students"])
admins = list(S.get("admins", []))
c.Authenticator.allowed_users = set(students) | set(admins)
c.Authenticator.admin_users = set(admins)
if S.get("authenticator", "pam") == "test":
    # A shared password for trying the hub out: never on a network.
    if ip != "127.0.0.1":
        fail('"authenticator": "test" is refused unless "ip" is "127.0.0.1"; use "pam" for a class')
    if not S.get("testPassword"):
        fail('"authenticator": "test" needs a "testPassword"')
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = S["testPassword"]
else:
    c.JupyterHub.authenticator_class = "pam"
c.JupyterHub.admin_access = bool(S.get("adminAccess", False))

# --- One single-user server per student, as that Unix user (isolation by file permissions).
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = ["/bin/sh", os.path.join(ROOT, "hub", "singleuser.sh")]
c.Spawner.notebook_dir = "~/notebooks"
c.Spawner.default_url = "/tree"
c.Spawner.start_timeout = int(S.get("startTimeoutSeconds", 60))
c.Spawner.http_timeout = int(S.get("startTimeoutSeconds", 60))
kernel = S.get("kernel", "tslab")
node = os.environ.get("TSDL_NODE", "/usr/bin/node")
c.Spawner.environment = {
    # The course's kernel and library: shared read-only from the checkout.
    "JUPYTER_PATH": os.environ.get("TSDL_KERNEL_PATH", os.path.join(ROOT, ".jupyter", "share", "jupyter")),
    "PATH": os.pathsep.join(dict.fromkeys([os.path.dirname(node), "/usr/local/bin", "/usr/bin", "/bin"])),
    "TSDL_ROOT": ROOT,
    "TSDL_NODE": node,
    "TSDL_PUBLISHED": from_root(S.get("notebooks", "notebooks")),
    # Thirty kernels share the cores: one wasm thread each.
    "DL_WASM_THREADS": "1",
    "COURSE_PROFILE": S.get("profile", "full"),
}
if os.environ.get("TSDL_DATA_DIR"):
    # Where the teacher keeps the data sets (see README, Data): the kernels look there too.
    c.Spawner.environment["TSDL_DATA_DIR"] = os.environ["TSDL_DATA_DIR"]
kernel_minutes = float(S.get("cullIdleKernelsMinutes", 30))
server_minutes = float(S.get("stopIdleServersMinutes", 60))
c.Spawner.args = [
    f"--KernelSpecManager.allowed_kernelspecs={{'{kernel}'}}",
    f"--MappingKernelManager.default_kernel_name={kernel}",
]
if kernel_minutes > 0:
    # A kernel idle this long is shut down, browser tab open or not (each holds ~0.5 GB).
    seconds = max(1, int(kernel_minutes * 60))
    c.Spawner.args += [
        f"--MappingKernelManager.cull_idle_timeout={seconds}",
        f"--MappingKernelManager.cull_interval={max(1, min(60, seconds // 2))}",
        "--MappingKernelManager.cull_connected=True",
    ]
if server_minutes > 0:
    # A server with no kernel and no activity this long stops itself; the hub notices.
    c.Spawner.args.append(f"--NotebookApp.shutdown_no_activity_timeout={max(1, int(server_minutes * 60))}")


def allow_root_server(spawner):
    """Jupyter refuses to run as root without --allow-root (an admin who is root)."""
    try:
        if pwd.getpwnam(spawner.user.name).pw_uid == 0 and "--allow-root" not in spawner.args:
            spawner.args = list(spawner.args) + ["--allow-root"]
    except KeyError:
        pass  # not a system user: the spawner reports it


c.Spawner.pre_spawn_hook = allow_root_server

# --- A service with the admin role, for scripts (the selftest) that drive the hub's REST API.
token = os.environ.get("TSDL_HUB_SERVICE_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "tsdl-admin", "api_token": token}]
    c.JupyterHub.load_roles = [{"name": "admin", "services": ["tsdl-admin"]}]


if __name__ == "__main__":
    # `python3 hub/jupyterhub_config.py`: check the class settings and print what the hub will do.
    print(json.dumps({
        "classFile": CLASS_FILE,
        "name": S.get("name", ""),
        "url": f"{'https' if S.get('sslCert') else 'http'}://{ip}:{c.JupyterHub.port}/",
        "authenticator": S.get("authenticator", "pam"),
        "students": students,
        "admins": admins,
        "profile": S.get("profile", "full"),
        "notebooks": c.Spawner.environment["TSDL_PUBLISHED"],
        "stateDir": state,
        "cullIdleKernelsMinutes": kernel_minutes,
        "stopIdleServersMinutes": server_minutes,
    }))
