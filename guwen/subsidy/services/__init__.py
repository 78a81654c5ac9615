"""Every write of the subsidy module: settling a month, the approval chain, flags, rule sets, fee income."""

from guwen.subsidy.services.chain import (  # noqa: F401
    adjustment_add,
    settlement_act,
)
from guwen.subsidy.services.fees import fee_delete, fee_record  # noqa: F401
from guwen.subsidy.services.flags import flag_callback_result, flag_decide  # noqa: F401
from guwen.subsidy.services.rulesets import rule_set_adopt, rule_set_new_version, rule_set_update  # noqa: F401
from guwen.subsidy.services.settle import (  # noqa: F401
    month_start,
    settle_district_month,
    settlement_recompute,
)
