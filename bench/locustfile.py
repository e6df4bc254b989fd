"""The load `bench/load.py` puts on the portal: officers, clerks and a supervisor of the
enforcement bench's courts (`bench/enforcement_lists.py`), each signed in (a session made
beforehand, in the file `FQ_LOAD_SESSIONS` names), doing what their day is made of.

Run through `bench/load.py`, which makes the sessions, starts gunicorn and reads the
results; by hand:

    FQ_LOAD_SESSIONS=/tmp/fq_load_sessions.json locust -f bench/locustfile.py --headless \\
        -u 40 -r 10 -t 60s --host http://127.0.0.1:8123
"""

import json
import os
import random

from locust import HttpUser, between, task

with open(os.environ["FQ_LOAD_SESSIONS"], encoding="utf-8") as handle:
    SESSIONS = json.load(handle)


class _SignedIn(HttpUser):
    abstract = True
    role = ""
    wait_time = between(0.5, 2.0)  # a person reads a page before the next

    def on_start(self):
        self.me = random.choice(SESSIONS[self.role])
        self.client.cookies.set("sessionid", self.me["session"])

    def page(self, path: str, name: str):
        with self.client.get(path, name=name, catch_response=True,
                             allow_redirects=False) as response:  # fmt: skip
            if response.status_code != 200:
                response.failure(f"{response.status_code}")


class Officer(_SignedIn):
    """执行员: the workbench most, their cases, now and then the court's list."""

    weight = 6
    role = "officers"

    @task(4)
    def workbench(self):
        self.page("/enforcement/", "我的案件")

    @task(4)
    def case_page(self):
        self.page(f"/enforcement/cases/{random.choice(self.me['cases'])}/", "案件页")

    @task(1)
    def workbench_api(self):
        self.page("/api/enforcement/workbench/", "API 我的案件")

    @task(1)
    def home(self):
        self.page("/", "工作台")


class Clerk(_SignedIn):
    """书记员: the court's list, its filters and searches, a case now and then."""

    weight = 3
    role = "clerks"

    @task(4)
    def court_list(self):
        self.page("/enforcement/cases/", "执行案件")

    @task(1)
    def overdue(self):
        self.page("/enforcement/cases/?overdue=on", "执行案件 · 超期")

    @task(1)
    def search(self):
        self.page(f"/enforcement/cases/?q={random.choice(self.me['searches'])}", "执行案件 · 检索")

    @task(2)
    def case_page(self):
        self.page(f"/enforcement/cases/{random.choice(self.me['cases'])}/", "案件页")

    @task(1)
    def list_api(self):
        self.page("/api/enforcement/cases/", "API 执行案件")


class Supervisor(_SignedIn):
    """中院执行局长: home, approvals, the whole region's list."""

    weight = 1
    role = "supervisors"

    @task(2)
    def home(self):
        self.page("/", "工作台")

    @task(1)
    def approvals(self):
        self.page("/approvals/", "待我审批")

    @task(2)
    def court_list(self):
        self.page("/enforcement/cases/", "执行案件")
