from django.core.management.base import BaseCommand

from guwen.demo import consultations, duty, evaluation, knowledge, mediation, nanwan, outreach, subsidy

# Each module's part of the demo, in the order the modules build on each other. Every step is
# re-runnable: a second `load_demo` adds nothing.
STEPS = [
    ("知识库", knowledge.load),
    ("驻点值班", duty.load),
    ("法律咨询", consultations.load),
    ("人民调解", mediation.load),
    ("普法与体检", outreach.load),
    ("以案定补", subsidy.load),
    ("评价考核", evaluation.load),
]


class Command(BaseCommand):
    help = "载入南湾街道演示数据（可重复运行）。"

    def handle(self, *args, **options):
        logins = nanwan.load(stdout=self.stdout)
        for label, step in STEPS:
            self.stdout.write(f"{label}……")
            step(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"南湾演示数据已就绪。演示账号（密码均为 {nanwan.DEMO_PASSWORD}）：")
        )
        for login in logins:
            self.stdout.write(f"  {login.username:<12} {login.role}（{login.where}）")
