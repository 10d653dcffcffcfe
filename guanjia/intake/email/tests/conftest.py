"""A real IMAP server (Debian's dovecot) and a real SMTP server (aiosmtpd), both on loopback, for the email channel.

Dovecot runs unprivileged from a temporary directory: as the current user, or as `nobody` when the tests run
as root, with all of its internal services as that same user, so it needs no system configuration and no
privileges. One dovecot serves the whole session; every test gets its own IMAP account, hence an empty INBOX
whose UIDs start at 1. Test mail is delivered by IMAP APPEND from the recorded mails in fixtures/.

The mailbox belongs to 和悦家园 in the shared `hy` personas (guanjia/conftest.py), so time stands at
Monday 2026-11-23 09:00 Shanghai and the first ticket of the day is HY-20261123-0001.
"""

from __future__ import annotations

import grp
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from guanjia.intake.email.models import Mailbox
from guanjia.intake.email.tests import fixture_mail

DOVECOT = Path("/usr/sbin/dovecot")
OUR_ADDRESS = "kefu@heyue-wuye.example"  # 和悦家园's service mailbox, as in the recorded mails


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


DOVECOT_CONF = """\
listen = 127.0.0.1
protocols = imap
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
# Everything runs as one unprivileged user: no chroot, no setuid, no system directories.
default_login_user = {user}
default_internal_user = {user}
default_internal_group = {group}
first_valid_uid = {uid}
mail_location = maildir:{root}/home/%u/Maildir
# One passwd-file per account, so a test's new account is read fresh (no reload of a shared file).
passdb {{
  driver = passwd-file
  args = {root}/users/%u
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
"""


@dataclass
class Dovecot:
    root: Path
    port: int
    process: subprocess.Popen

    @property
    def log(self) -> str:
        return "\n".join(
            path.read_text(errors="replace")
            for path in (self.root / "stdout.log", self.root / "dovecot.log")
            if path.exists()
        )

    def account(self) -> tuple[str, str]:
        """A new IMAP user, so an empty INBOX whose UIDs start at 1."""
        username, password = f"kefu-{uuid.uuid4().hex[:10]}@heyue-wuye.example", uuid.uuid4().hex
        users = self.root / "users" / username
        users.write_text(f"{username}:{{PLAIN}}{password}::::::\n")
        users.chmod(0o644)  # dovecot's auth process may run as `nobody`
        return username, password

    def connect(self, username: str, password: str) -> imaplib.IMAP4:
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        imap.login(username, password)
        return imap

    def wait_ready(self) -> bool:
        """Until dovecot greets on its port: bounded attempts, each one waiting on the process, not on a clock.

        False if dovecot exited (for instance because the port was taken meanwhile).
        """
        for _attempt in range(200):
            try:
                self.process.wait(timeout=0.05)
                return False
            except subprocess.TimeoutExpired:
                pass
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                    if conn.recv(100).startswith(b"* OK"):
                        return True
            except OSError:
                continue
        self.stop()
        raise RuntimeError(f"dovecot did not answer on port {self.port}:\n{self.log}")

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def dovecot_start(root: Path, owner: pwd.struct_passwd) -> Dovecot:
    """Write the configuration and start dovecot in the foreground on a free loopback port."""
    for _attempt in range(3):  # the free port may be taken between choosing it and dovecot binding it
        port = free_port()
        settings = {"root": root, "port": port, "uid": owner.pw_uid, "gid": owner.pw_gid, "user": owner.pw_name}
        (root / "dovecot.conf").write_text(DOVECOT_CONF.format(group=grp.getgrgid(owner.pw_gid).gr_name, **settings))
        run_as = {}
        if os.geteuid() == 0:  # dovecot refuses to keep mail as root: hand the whole tree to `nobody`
            for path in [root, *root.rglob("*")]:
                os.chown(path, owner.pw_uid, owner.pw_gid)
            run_as = {"user": owner.pw_uid, "group": owner.pw_gid, "extra_groups": []}
        with (root / "stdout.log").open("ab") as out:
            process = subprocess.Popen(
                [str(DOVECOT), "-F", "-c", str(root / "dovecot.conf")],
                stdout=out,
                stderr=subprocess.STDOUT,
                **run_as,
            )
        server = Dovecot(root=root, port=port, process=process)
        if server.wait_ready():
            return server
        if "Address already in use" not in server.log:
            break
    raise RuntimeError(f"dovecot did not start:\n{server.log}")


@pytest.fixture(scope="session")
def dovecot():
    if not DOVECOT.exists():
        print(f"\n{DOVECOT} is missing: install dovecot-imapd (scripts/install-system-packages) to test email")
        pytest.skip(f"{DOVECOT} is missing (Debian package dovecot-imapd)")
    owner = pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
    root = Path(tempfile.mkdtemp(prefix="guanjia-dovecot-"))
    for sub in ("home", "run", "state", "users"):
        (root / sub).mkdir()
    try:
        server = dovecot_start(root, owner)
        try:
            yield server
        finally:
            server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class SmtpCollector:
    """An aiosmtpd handler that keeps every mail it is given."""

    envelopes: list = field(default_factory=list)
    port: int = 0

    @property
    def messages(self) -> list[EmailMessage]:
        return [BytesParser(policy=policy.default).parsebytes(e.content) for e in self.envelopes]

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    collector = SmtpCollector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()  # returns once the server answers
    collector.port = controller.port
    try:
        yield collector
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Mailroom:
    """和悦家园's service mailbox on the test dovecot, replying through the test SMTP server."""

    dovecot: Dovecot
    mailbox: Mailbox
    smtp: SmtpCollector

    def deliver(self, raw: bytes | str) -> int:
        """Put a mail into the INBOX by IMAP APPEND (a fixture name or raw bytes); returns its UID."""
        data = fixture_mail(raw) if isinstance(raw, str) else raw
        imap = self.dovecot.connect(self.mailbox.imap_username, self.mailbox.imap_password)
        try:
            typ, response = imap.append("INBOX", None, None, data)
            assert typ == "OK", response
            return int(response[0].split(b"APPENDUID ")[1].split(b" ")[1].rstrip(b"]"))
        finally:
            imap.logout()

    def flags(self, uid: int) -> str:
        imap = self.dovecot.connect(self.mailbox.imap_username, self.mailbox.imap_password)
        try:
            imap.select("INBOX", readonly=True)
            typ, data = imap.uid("FETCH", str(uid), "(FLAGS)")
            return data[0].decode() if data and data[0] else ""
        finally:
            imap.logout()


@pytest.fixture
def mailroom(hy, dovecot, smtp_server) -> Mailroom:
    username, password = dovecot.account()
    mailbox = Mailbox.objects.create(
        estate=hy.world.hy,
        from_address=OUR_ADDRESS,
        imap_host="127.0.0.1",
        imap_port=dovecot.port,
        imap_ssl=False,
        imap_username=username,
        imap_password=password,
        smtp_host="127.0.0.1",
        smtp_port=smtp_server.port,
        smtp_starttls=False,
    )
    return Mailroom(dovecot=dovecot, mailbox=mailbox, smtp=smtp_server)
