from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The Nanwan demo loader. It sits on top of every other app and nothing imports it."""

    name = "guwen.demo"
    label = "demo"
    verbose_name = "演示数据"
