from django.urls import path

from .views import browse, codes, entry, imports, review

app_name = "seizures"
urlpatterns = [
    path("seizures/", browse.seizure_list, name="list"),
    path("seizures/export.<str:file_format>", browse.seizure_export, name="export"),
    path("seizures/new/", entry.seizure_new, name="new"),
    path("seizures/import/", imports.import_start, name="import"),
    path(
        "seizures/import/template.<str:file_format>",
        imports.import_template,
        name="import_template",
    ),
    path("seizures/import/confirm/", imports.import_confirm, name="import_confirm"),
    path("seizures/import/<uuid:pk>/", imports.import_run, name="import_run"),
    path(
        "seizures/import/<uuid:pk>/status/",
        imports.import_run_status,
        name="import_run_status",
    ),
    path("seizures/<int:pk>/", browse.seizure_detail, name="detail"),
    path("seizures/<int:pk>/edit/", entry.seizure_edit, name="edit"),
    path("seizures/review/", review.review_queue, name="review"),
    path("seizures/<int:pk>/submit/", review.seizure_submit, name="submit"),
    path("seizures/<int:pk>/return/", review.seizure_return, name="return"),
    path("seizures/<int:pk>/approve/", review.seizure_approve, name="approve"),
    path("seizures/<int:pk>/withdraw/", review.seizure_withdraw, name="withdraw"),
    path("seizures/<int:pk>/attachments/", entry.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", entry.attachment_file, name="attachment"),
    path(
        "attachments/<int:pk>/thumbnail/",
        entry.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path("codes/", codes.code_list, name="codes"),
    path("codes/new/", codes.code_new, name="code_new"),
    path("codes/<int:pk>/", codes.code_edit, name="code_edit"),
]
