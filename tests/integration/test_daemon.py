"""The daemon as operators see it: command line, pid file, daemon mode, signals, reload."""
import os
import signal
import subprocess
import time
import unittest

from harness import SRS_BINARY, ServerTestCase, port_open, run, wait_until

BASE = """
listen 127.0.0.1:{rtmp};
daemon off;
srs_log_tank console;
pid {dir}/srs.pid;
vhost __defaultVhost__ {{
}}
"""

FILE_LOG = """
listen 127.0.0.1:{rtmp};
daemon off;
srs_log_tank file;
srs_log_file {dir}/a.log;
pid {dir}/srs.pid;
vhost __defaultVhost__ {{
}}
"""


def read(path):
    if not os.path.exists(path):
        return ""
    with open(path, "rb") as f:
        return f.read().decode(errors="replace")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes.
    stat = read(f"/proc/{pid}/stat")
    return bool(stat) and stat.split(")")[-1].split()[0] != "Z"


class CommandLine(unittest.TestCase):
    def test_version_goes_to_stderr(self):
        r = run([SRS_BINARY, "-v"], 10)
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stderr.decode(), r"^2\.0\.\d+\n$")

    def test_help_without_arguments(self):
        r = run([SRS_BINARY], 10)
        self.assertEqual(r.returncode, 0)
        self.assertIn("-c <file>", r.stdout.decode())

    def test_missing_config_file_is_a_clear_error(self):
        r = run([SRS_BINARY, "-c", "/nonexistent/srs.conf"], 10)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("/nonexistent/srs.conf", (r.stdout + r.stderr).decode())


class TestMode(ServerTestCase):
    def test_accepts_a_good_config(self):
        s = self.server(BASE, start=False)
        r = run([SRS_BINARY, "-t", "-c", s.conf], 10)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertFalse(port_open(s.rtmp))  # -t never listens

    def test_rejects_a_bad_config_naming_file_and_line(self):
        s = self.server("listen 1935;\nvhost v {{\n  no_such_directive on;\n}}\n", start=False)
        r = run([SRS_BINARY, "-t", "-c", s.conf], 10)
        self.assertNotEqual(r.returncode, 0)
        out = (r.stdout + r.stderr).decode()
        self.assertIn(f"{s.conf}:3", out)
        self.assertIn("no_such_directive", out)

    def test_shipped_configs_are_valid(self):
        source = os.environ.get("SRS_SOURCE_DIR") or os.path.join(
            os.path.dirname(__file__), "..", "..")
        for name in ("srs.conf", "console.conf", "full.conf"):
            path = os.path.join(source, "conf", name)
            r = run([SRS_BINARY, "-t", "-c", path], 10)
            self.assertEqual(r.returncode, 0, f"{name}: {(r.stdout + r.stderr).decode()}")


class Lifecycle(ServerTestCase):
    def test_listens_writes_pid_and_sigterm_exits_zero_quickly(self):
        s = self.server(BASE)
        self.assertEqual(read(os.path.join(s.dir, "srs.pid")), str(s.proc.pid))
        began = time.monotonic()
        self.assertEqual(s.stop(grace=5), 0)
        self.assertLess(time.monotonic() - began, 3.0)

    def test_sigint_exits_zero_at_once(self):
        s = self.server(BASE)
        s.signal(signal.SIGINT)
        self.assertEqual(s.proc.wait(5), 0)

    def test_second_instance_with_same_pid_file_is_refused(self):
        s = self.server(BASE)
        r = run([SRS_BINARY, "-c", s.conf], 10, cwd=s.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("already running", (r.stdout + r.stderr).decode())
        self.assertEqual(read(os.path.join(s.dir, "srs.pid")), str(s.proc.pid))
        self.assertIsNone(s.proc.poll())

    def test_busy_port_refuses_to_start(self):
        s = self.server(BASE)
        other = self.server(BASE.replace("{dir}/srs.pid", "{dir}/other.pid"), start=False)
        with open(other.conf, "w") as f:
            f.write(other.conf_text.replace(str(other.rtmp), str(s.rtmp)))
        r = run([SRS_BINARY, "-c", other.conf], 10, cwd=other.dir)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn(f"127.0.0.1:{s.rtmp}", (r.stdout + r.stderr).decode())

    def test_daemon_forks_and_pid_file_holds_the_daemon(self):
        s = self.server(BASE.replace("daemon off", "daemon on"), start=False)
        pid_path = os.path.join(s.dir, "srs.pid")
        launcher = subprocess.run([SRS_BINARY, "-c", s.conf], cwd=s.dir, timeout=10,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.assertEqual(launcher.returncode, 0)
        pid = int(wait_until(lambda: read(pid_path), 10, what="pid file"))
        self.addCleanup(lambda: alive(pid) and os.kill(pid, signal.SIGKILL))
        self.assertTrue(alive(pid))
        wait_until(lambda: port_open(s.rtmp), 10, what="daemon listening")
        os.kill(pid, signal.SIGTERM)
        wait_until(lambda: not alive(pid), 5, what="daemon exit")


class Reload(ServerTestCase):
    def test_broken_config_keeps_the_server_running(self):
        s = self.server(BASE)
        with open(s.conf, "w") as f:
            f.write(s.conf_text + "\nvhost broken {\n  bogus_directive 1;\n}\n")
        s.signal(signal.SIGHUP)
        s.wait_log("keep the running config")
        self.assertIn("bogus_directive", s.log())
        self.assertIsNone(s.proc.poll())
        self.assertTrue(port_open(s.rtmp))

    def test_changed_log_file_takes_later_lines(self):
        s = self.server(FILE_LOG)
        a, b = os.path.join(s.dir, "a.log"), os.path.join(s.dir, "b.log")
        wait_until(lambda: "server: running" in read(a), 10, what="log in a.log")
        with open(s.conf, "w") as f:
            f.write(s.conf_text.replace("a.log", "b.log"))
        s.signal(signal.SIGHUP)
        wait_until(lambda: "reload: log srs_log_file now" in read(b), 10, what="log in b.log")
        self.assertNotIn("reload: log srs_log_file now", read(a))
        self.assertEqual(s.stop(), 0)
        self.assertIn("graceful quit", read(b))

    def test_listen_change_reopens_the_listener(self):
        s = self.server(BASE)
        new_port = s.api  # a second free port from the harness
        with open(s.conf, "w") as f:
            f.write(s.conf_text.replace(f":{s.rtmp};", f":{new_port};"))
        s.signal(signal.SIGHUP)
        wait_until(lambda: port_open(new_port), 10, what="new listener")
        wait_until(lambda: not port_open(s.rtmp), 10, what="old listener closed")


class InitScript(ServerTestCase):
    """etc/init.d/srs driving a daemon: start, status, reload, stop."""

    def test_start_status_reload_stop(self):
        s = self.server(BASE.replace("daemon off", "daemon on").replace("{dir}/srs.pid", "./srs.pid"),
                        start=False)
        source = os.environ.get("SRS_SOURCE_DIR") or os.path.join(
            os.path.dirname(__file__), "..", "..")
        with open(os.path.join(source, "etc", "init.d", "srs")) as f:
            script = f.read()
        script = script.replace('ROOT="./"', f'ROOT="{s.dir}"')
        script = script.replace('APP="./objs/srs"', f'APP="{os.path.abspath(SRS_BINARY)}"')
        script = script.replace('CONFIG="./conf/srs.conf"', 'CONFIG="./srs.conf"')
        os.makedirs(os.path.join(s.dir, "objs"))  # the script's default log goes there
        path = os.path.join(s.dir, "srs.init")
        with open(path, "w") as f:
            f.write(script)
        os.chmod(path, 0o755)
        self.addCleanup(lambda: run([path, "stop"], 40))

        r = run([path, "start"], 20)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertIn(b"OK", r.stdout)
        self.assertTrue(port_open(s.rtmp))
        r = run([path, "status"], 10)
        self.assertEqual(r.returncode, 0)
        self.assertIn(b"running", r.stdout)
        self.assertNotEqual(run([path, "start"], 10).returncode, 0)  # already started
        self.assertEqual(run([path, "reload"], 10).returncode, 0)
        r = run([path, "stop"], 40)
        self.assertEqual(r.returncode, 0, r.stdout)
        self.assertFalse(os.path.exists(os.path.join(s.dir, "srs.pid")))
        self.assertEqual(run([path, "status"], 10).returncode, 1)
        self.assertEqual(run([path, "bogus"], 10).returncode, 1)


if __name__ == "__main__":
    unittest.main()
