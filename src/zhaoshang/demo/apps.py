from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "zhaoshang.demo"
    label = "demo"
    verbose_name = "示范县演示数据"
