from django.urls import path

from guwen.subsidy.views import exports, fees, flags, rules, settlements

app_name = "subsidy"
urlpatterns = [
    path("subsidy/", settlements.settlement_list, name="settlement_list"),
    path("subsidy/settlements/<int:pk>/", settlements.settlement_detail, name="settlement_detail"),
    path("subsidy/settlements/<int:pk>/statement.pdf", exports.statement, name="statement"),
    path("subsidy/settlements/<int:pk>/finance.xlsx", exports.finance, name="finance"),
    path(
        "subsidy/settlements/<int:pk>/<str:action>/", settlements.settlement_action, name="settlement_action"
    ),
    path("subsidy/runs/", settlements.run_create, name="run_create"),
    path("subsidy/runs/<int:pk>/", settlements.run_detail, name="run_detail"),
    path("subsidy/flags/", flags.flag_list, name="flag_list"),
    path("subsidy/flags/<int:pk>/decide/", flags.flag_decide, name="flag_decide"),
    path("subsidy/flags/<int:pk>/callback/", flags.flag_callback, name="flag_callback"),
    path("subsidy/rules/", rules.rule_list, name="rule_list"),
    path("subsidy/rules/<int:pk>/", rules.rule_detail, name="rule_detail"),
    path("subsidy/rules/<int:pk>/copy/", rules.rule_copy, name="rule_copy"),
    path("subsidy/rules/<int:pk>/adopt/", rules.rule_adopt, name="rule_adopt"),
    path("subsidy/whatif/", rules.whatif, name="whatif"),
    path("subsidy/fees/", fees.fee_list, name="fee_list"),
    path("subsidy/fees/<int:pk>/delete/", fees.fee_delete, name="fee_delete"),
]
