"""The category taxonomy as plain data, importable without Django's app registry."""

# The 18-value unified taxonomy (see ../shared/data/consultations/README.md), seeded as version 1.
TAXONOMY_V1 = [
    "劳动争议",
    "社保工伤",
    "婚姻家庭",
    "邻里纠纷",
    "交通事故",
    "债权债务",
    "合同纠纷",
    "消费维权",
    "房产纠纷",
    "物业纠纷",
    "土地征收拆迁",
    "建设工程",
    "侵权损害",
    "医疗纠纷",
    "刑事治安",
    "公司商事",
    "行政事务",
    "其他",
]
OTHER = "其他"
