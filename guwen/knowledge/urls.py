from django.urls import path

from guwen.knowledge import views

app_name = "knowledge"
urlpatterns = [
    path("knowledge/", views.search, name="search"),
    path("knowledge/suggest", views.suggest, name="suggest"),
    path("knowledge/answered/<int:pk>/", views.answered_detail, name="answered_detail"),
    path("laws/", views.law_list, name="law_list"),
    path("laws/<slug:code>/", views.law_detail, name="law_detail"),
    path("laws/<slug:code>/<int:number>/", views.article, name="article"),
]
