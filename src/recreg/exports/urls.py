from django.urls import path, register_converter

from recreg.exports import views


class FormatConverter:
    """The file formats an export comes in."""

    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "export_format")

app_name = "exports"
urlpatterns = [
    path("register.<export_format:fmt>", views.register, name="register"),
    path("forces/<slug:slug>.<export_format:fmt>", views.force, name="force"),
    path("my-work.<export_format:fmt>", views.my_work, name="my_work"),
]
