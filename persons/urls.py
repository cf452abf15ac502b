from django.urls import path

from .views import charts, duplicates, links, records

PERSON, BUSINESS = {"kind": "person"}, {"kind": "business"}

app_name = "persons"
urlpatterns = [
    path("persons/", records.person_list, name="person_list"),
    path("persons/export.csv", records.person_export, name="person_export"),
    path("persons/new/", records.person_new, name="person_new"),
    path("persons/<int:pk>/", records.person_detail, name="person_detail"),
    path("persons/<int:pk>/edit/", records.person_edit, name="person_edit"),
    path("persons/<int:pk>/photo/", records.person_photo, name="person_photo"),
    path("persons/duplicates/", duplicates.duplicate_list, PERSON, name="duplicates"),
    path(
        "persons/duplicates/<int:pk>/", duplicates.duplicate_judge, PERSON, name="duplicate_judge"
    ),
    path("persons/merges/<int:pk>/undo/", duplicates.merge_undo, PERSON, name="merge_undo"),
    path(
        "businesses/duplicates/",
        duplicates.duplicate_list,
        BUSINESS,
        name="business_duplicates",
    ),
    path(
        "businesses/duplicates/<int:pk>/",
        duplicates.duplicate_judge,
        BUSINESS,
        name="business_duplicate_judge",
    ),
    path(
        "businesses/merges/<int:pk>/undo/",
        duplicates.merge_undo,
        BUSINESS,
        name="business_merge_undo",
    ),
    path("businesses/", records.business_list, name="business_list"),
    path("businesses/new/", records.business_new, name="business_new"),
    path("businesses/<int:pk>/", records.business_detail, name="business_detail"),
    path("businesses/<int:pk>/edit/", records.business_edit, name="business_edit"),
    path("conveyances/", records.conveyance_list, name="conveyance_list"),
    path("conveyances/new/", records.conveyance_new, name="conveyance_new"),
    path("conveyances/<int:pk>/", records.conveyance_detail, name="conveyance_detail"),
    path("conveyances/<int:pk>/edit/", records.conveyance_edit, name="conveyance_edit"),
    path("seizures/<int:pk>/add/<str:kind>/", links.link_add, name="link_add"),
    path("links/<int:pk>/remove/", links.link_remove, name="link_remove"),
    path("chart/<str:kind>/<int:pk>/", charts.link_chart, name="chart"),
]
