"""What 50 county staff do at month's end: browse lists, filter, open records, the board, the ranking,
the API, and record follow-ups and funds in place. Driven by load/run.py (`make load`).

Each simulated person logs in once as one of the accounts in LOAD_USERS ("name:role,…", password
LOAD_PASSWORD) and then works through the pages their role has, with a think time between pages.
Every write carries a marker (LOAD_MARKER) so load/run.py can count afterwards that each write it
was told succeeded is stored.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, events, task

ACCOUNTS = [tuple(a.split(":")) for a in os.environ.get("LOAD_USERS", "").split(",") if a]
PASSWORD = os.environ.get("LOAD_PASSWORD", "")
MARKER = os.environ.get("LOAD_MARKER", "压测")
WRITES_FILE = Path(os.environ.get("LOAD_WRITES_FILE", "var/load/writes.json"))
RUN_ID = os.environ.get("LOAD_RUN_ID", "")
_next_account = itertools.cycle(ACCOUNTS or [("", "")])
WRITES = {"follow_up": 0, "fund": 0}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PROJECT_LINK = re.compile(r'href="/projects/(\d+)/"')
ENTERPRISE_LINK = re.compile(r'href="/enterprises/(\d+)/"')
RANKING = os.environ.get("LOAD_RANKING_URL", "")
PIPELINE_READERS = ("leader", "coordinator", "unit_staff", "inspector")
WRITERS = ("unit_staff", "coordinator")


def _stored(response: object, pk: str) -> bool:
    """A write counts when the page sends the person back to the project, not to the log-in page."""
    return getattr(response, "status_code", 0) == 302 and getattr(response, "headers", {}).get(
        "Location", ""
    ).endswith(f"/projects/{pk}/")


def _today() -> str:
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date().isoformat()  # Asia/Shanghai


@events.quitting.add_listener
def _keep_writes(environment: object, **_: object) -> None:
    WRITES_FILE.parent.mkdir(parents=True, exist_ok=True)
    WRITES_FILE.write_text(json.dumps(WRITES))


class Staff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.username, self.role = next(_next_account)
        page = self.client.get("/accounts/login/", name="登录页").text
        token = TOKEN.search(page)
        self.client.post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="登录",
        )
        self.projects: list[str] = []
        self.enterprises: list[str] = []

    def _page(self, url: str, name: str) -> str:
        with self.client.get(url, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
                return ""
            return response.text

    @task(3)
    def home(self) -> None:
        self._page("/", "首页")

    @task(6)
    def project_list(self) -> None:
        page = random.choice(
            ["", "?page=2", "?stage=signed", "?sort=-planned_investment", "?q=项目", "?overdue=on"]
        )
        text = self._page(f"/projects/{page}", "项目列表")
        self.projects = PROJECT_LINK.findall(text)[:20] or self.projects

    @task(2)
    def project_alerts(self) -> None:
        self._page("/projects/alerts/", "预警项目")

    @task(2)
    def board(self) -> None:
        self._page("/projects/?view=board", "项目看板")

    @task(5)
    def project_detail(self) -> None:
        if self.projects:
            self._page(f"/projects/{random.choice(self.projects)}/", "项目详情")

    @task(5)
    def enterprise_list(self) -> None:
        if self.role == "leader":
            return
        page = random.choice(
            ["", f"?page={random.randint(2, 40)}", "?scale=above", "?q=有限公司", "?sort=-founded_on"]
        )
        text = self._page(f"/enterprises/{page}", "企业列表")
        self.enterprises = ENTERPRISE_LINK.findall(text)[:20] or self.enterprises

    @task(3)
    def enterprise_detail(self) -> None:
        if self.enterprises:
            self._page(f"/enterprises/{random.choice(self.enterprises)}/", "企业详情")

    @task(2)
    def ranking(self) -> None:
        if RANKING:
            self._page(f"{RANKING}?page={random.randint(1, 20)}", "亩均排名")

    @task(2)
    def api(self) -> None:
        if self.role in PIPELINE_READERS:
            self._page("/api/projects/?limit=50", "接口：项目")

    @task(2)
    def follow_up(self) -> None:
        if self.role not in WRITERS or not self.projects:
            return
        pk = random.choice(self.projects)
        page = self._page(f"/projects/{pk}/", "项目详情")
        token = TOKEN.search(page)
        if not token:
            return
        today = _today()
        with self.client.post(
            f"/projects/{pk}/follow-ups/",
            {"csrfmiddlewaretoken": token.group(1), "on": today, "what": f"{MARKER}{RUN_ID} 电话了解进展"},
            name="登记跟进",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if _stored(response, pk):
                WRITES["follow_up"] += 1
            else:
                response.failure(f"{response.status_code}")

    @task(1)
    def fund(self) -> None:
        if self.role not in WRITERS or not self.projects:
            return
        pk = random.choice(self.projects)
        page = self._page(f"/projects/{pk}/", "项目详情")
        token = TOKEN.search(page)
        if not token or "到位金额" not in page:
            return
        data = {
            "csrfmiddlewaretoken": token.group(1),
            "on": _today(),
            "amount": "1",
            "source": "out_of_province",
            "use": "fixed_assets",
            "currency": "CNY",
            "proof_kind": "bank_record",
            "note": f"{MARKER}{RUN_ID}",
        }
        files = {"proof_file": ("进账单.pdf", b"%PDF-1.4 load", "application/pdf")}
        with self.client.post(
            f"/projects/{pk}/funds/",
            data,
            files=files,
            name="登记到位资金",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            if _stored(response, pk):
                WRITES["fund"] += 1
            elif response.status_code == 200:
                response.success()  # refused in the form (e.g. a stage without funds): not a write
            else:
                response.failure(f"{response.status_code}")
