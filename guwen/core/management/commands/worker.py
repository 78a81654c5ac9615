"""The background worker: runs queued tasks (django-tasks database backend) and the periodic sweeps."""

from __future__ import annotations

import os
import socket

from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from guwen.core import sweeps


class Command(BaseCommand):
    help = "运行后台任务进程：执行任务队列并定时巡检（超时升级、提醒等）。"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="队列为空时的轮询间隔（秒）")
        parser.add_argument("--sweep-tick", type=float, default=1.0, help="定时巡检的检查间隔（秒）")
        parser.add_argument("--batch", action="store_true", help="执行完现有任务和一轮巡检后退出")

    def handle(self, *args, interval: float, sweep_tick: float, batch: bool, **options):
        worker_id = f"{socket.gethostname()}-{os.getpid()}"
        if batch:
            sweeps.run_due()
        else:
            sweeps.start_loop(tick_seconds=sweep_tick)
        self.stdout.write(
            f"worker {worker_id} 已启动，巡检项：{', '.join(s.name for s in sweeps.registered()) or '无'}"
        )
        worker = Worker(
            queue_names=["*"],
            interval=interval,
            batch=batch,
            backend_name="default",
            startup_delay=not batch,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
