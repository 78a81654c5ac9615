"""A year of consultations for the Nanwan demo, on top of guwen/demo/nanwan.py: questions from all 14
communities through every channel, most answered within the deadline, some escalated to the street
or the district, some waiting on the resident, many closed and rated. Every resident, phone number
and story is invented (phones are in the 199 0000 xxxx demo range). Re-runnable: a second run adds
nothing.

History goes through the services with the moment it happened (``at``/``now``), inside
``notices.suppressed()`` so that back-filling a year notifies nobody.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from guwen.accounts.models import User
from guwen.consultations import notices, services
from guwen.consultations.models import Channel, Consultation, Level, Status
from guwen.core.errors import DomainError
from guwen.core.workcalendar import CHINA_TZ
from guwen.regions.models import Region

STREET = "440307012000"
PER_COMMUNITY = 26
DAYS = 365

# (category, question, answer): written for the demo, names and places invented.
STORIES = [
    (
        "劳动争议",
        "我在{place}的电子厂做了两年，最近厂里说要搬走，让我们自己辞职，不给任何补偿，这样合法吗？",
        "用人单位搬迁导致劳动合同无法履行的，应与您协商变更；协商不成解除合同的，应依法支付经济补偿。"
        "请保留工牌、工资流水和考勤记录，不要自己写辞职信，可先向街道劳动监察反映。",
    ),
    (
        "劳动争议",
        "{name}想问一下，公司拖欠我两个月工资，老板说等货款回来再发，我能不能直接去仲裁？",
        "可以。拖欠工资属于劳动争议，可向区劳动人事争议仲裁委员会申请仲裁，不收费。"
        "先整理劳动合同、工资条或转账记录、聊天记录等证据。",
    ),
    (
        "婚姻家庭",
        "结婚后我们用两个人的积蓄在{place}附近买了房，写的是男方名字，现在要离婚，我能分到吗？",
        "婚后用夫妻共同财产购买的房屋，一般属于夫妻共同财产，登记在一方名下不影响认定。"
        "建议先协商；协商不成可向法院起诉，请准备购房合同、付款凭证和银行流水。",
    ),
    (
        "邻里纠纷",
        "楼上邻居家卫生间一直往我家渗水，天花板都发霉了，找他好几次都不理，我该怎么办？",
        "您可以先请物业或社区调解，也可以申请人民调解；对方拒不修缮的，可向法院起诉要求排除妨害、赔偿损失。"
        "请先拍照、录像留存渗水情况，必要时申请房屋检测。",
    ),
    (
        "房产纠纷",
        "租的房子到期了，房东说墙面有划痕要扣全部押金三千块，这样合理吗？",
        "押金扣除应以实际损失为限，正常使用造成的损耗不应由租客承担。"
        "建议和房东一起核对交房时的照片和清单；协商不成可申请社区调解或向法院起诉。",
    ),
    (
        "物业纠纷",
        "小区电梯经常坏，物业也不修，我们几户人商量不交物业费了，会有什么后果？",
        "不交物业费可能被物业公司起诉并承担违约责任。建议通过业主委员会或社区集体反映，"
        "也可向住建部门投诉物业服务不达标，保留报修记录。",
    ),
    (
        "交通事故",
        "我骑电动车在{place}路口被小汽车撞了，交警认定对方全责，保险公司只愿意赔一半医药费，怎么办？",
        "对方全责的，您的医疗费、误工费、护理费等合理损失可要求对方及其保险公司赔偿。"
        "请保存病历、票据和事故认定书，可以申请交通事故纠纷调解，或直接起诉。",
    ),
    (
        "债权债务",
        "朋友去年借了我五万块，写了借条，现在说没钱一直拖，借条上没写还款时间，还能要回来吗？",
        "借条未约定还款期限的，您可以随时催告对方在合理期限内归还。诉讼时效从催告后的期限届满起算。"
        "建议发书面催款通知并保留记录，必要时向法院起诉。",
    ),
    (
        "消费维权",
        "在{place}一家健身房办了年卡，刚两个月就关门了，老板联系不上，钱还能退吗？",
        "经营者停业应退还未消费的预付款。请保存合同、付款凭证和宣传材料，向市场监管部门投诉，"
        "人数较多的可以一起登记，必要时报警或起诉。",
    ),
    (
        "社保工伤",
        "我在工地干活摔伤了腿，老板没给我买社保，说给两千块了事，我可以认定工伤吗？",
        "没有缴纳社保也可以申请工伤认定，用人单位应承担工伤保险待遇。请在受伤一年内向人社部门申请，"
        "保留就医记录和证明劳动关系的证据。",
    ),
    (
        "合同纠纷",
        "装修公司收了定金后一直不开工，合同写的是上个月开工，我想解除合同退定金，可以吗？",
        "对方迟延履行主要义务，经催告后在合理期限内仍不履行的，您可以解除合同并要求返还定金。"
        "请先书面催告，保留合同和付款记录。",
    ),
    (
        "土地征收拆迁",
        "我们村的旧厂房要拆迁，补偿标准是怎么定的？可以要求看评估报告吗？",
        "征收补偿应依照公布的补偿方案和评估结果确定，被征收人有权查阅评估报告并申请复核。"
        "对补偿决定不服的，可以依法申请行政复议或提起行政诉讼。",
    ),
    (
        "其他",
        "想给父母立一份遗嘱，自己手写的有效吗？需要去公证吗？",
        "自书遗嘱由本人亲笔书写、签名并注明年、月、日即有效，不是必须公证。"
        "如担心将来发生争议，也可以办理公证或请两名无利害关系的见证人在场。",
    ),
]
URGENT_STORIES = [
    (
        "婚姻家庭",
        "我老公喝醉了经常动手打我，昨晚又被打伤了，我不敢回家，现在该怎么办？",
        "您的人身安全最重要：有危险请立即拨打 110。可以向法院申请人身安全保护令，社区和妇联也能提供临时庇护。"
        "请保留就医记录、照片和报警回执。我们已通知司法所跟进。",
    ),
    (
        "劳动争议",
        "工地老板欠我们三十多个工人半年工钱，大家说明天要一起去堵路，怎么劝？",
        "请先劝大家不要堵路，以免承担法律责任。我们已通知司法所和劳动监察，可以集体登记欠薪情况，"
        "通过欠薪快速处理机制和法律援助依法追讨。",
    ),
]
PLACES = ["南岭", "沙湾", "丹竹头", "樟树布", "吉厦", "厦村", "上李朗", "下李朗"]
NAMES = ["我", "我们家", "我妈妈", "我爱人"]
CHANNELS = [Channel.WEB] * 6 + [Channel.PHONE] * 2 + [Channel.WALK_IN, Channel.GROUP]
COMMENTS = ["回复很及时，讲得很清楚", "律师很耐心", "解决了我的问题，谢谢", "希望能再详细一点", ""]


def _n(*parts: object) -> int:
    """A stable number 0–9999 from the parts: every run picks the same stories and times."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:8], 16) % 10_000


def _moment(day: int, index: int, community_index: int) -> datetime:
    today = timezone.localdate()
    when = today - timedelta(days=DAYS - day)
    minute = 8 * 60 + _n("min", index, community_index) % (13 * 60)  # 08:00–21:00 mostly
    if _n("night", index, community_index) % 12 == 0:
        minute = 21 * 60 + 30 + _n("late", index) % 120  # a few late at night
    return datetime.combine(when, time(0, 0), tzinfo=CHINA_TZ) + timedelta(minutes=minute)


def load(*, stdout=None) -> None:
    say = stdout.write if stdout else (lambda _msg: None)
    street = Region.objects.filter(code=STREET).first()
    if street is None:
        say("法律咨询：未找到南湾街道，请先载入南湾演示数据\n")
        return
    if Consultation.objects.filter(is_demo=True).exists():
        say("法律咨询：演示数据已存在，跳过\n")
        return
    communities = list(Region.objects.filter(parent=street, level="community").order_by("code"))
    office = User.objects.filter(username="office").first()
    helpers = [u for u in User.objects.filter(username__in=["advisor", "advisor2"]).order_by("username")]
    now = timezone.now()
    made = escalated = rated = 0
    shared: set[int] = set()  # stories whose first answered question the advisor put in the knowledge base
    robots: set[int] = set()
    with notices.suppressed(), transaction.atomic():
        # The group robots the demo's group questions came through; the last two communities have
        # none yet, so the settings page shows both states. Secrets are random: the bureau issues a
        # new one (shown once) to hand to a robot's maintainer.
        for community in communities[:-2]:
            services.group_channel_ensure(community=community, group_name=f"{community.name}居民群", by=None)
            robots.add(community.pk)
        for ci, community in enumerate(communities):
            for index in range(PER_COMMUNITY):
                at = _moment(_n("day", ci, index) % DAYS, index, ci)
                if at >= now - timedelta(hours=1):
                    continue
                outcome = _file_one(
                    community,
                    ci,
                    index,
                    at,
                    now=now,
                    office=office,
                    helpers=helpers,
                    shared=shared,
                    robot=community.pk in robots,
                )
                made += 1
                escalated += outcome["escalated"]
                rated += outcome["rated"]
        # Questions that came in within the hour, not answered yet: the first two advisors' inboxes
        # (the demo logins advisor and advisor2) and one more community have something to do.
        for ci, minutes in ((0, 25), (1, 40), (5, 55)):
            if ci < len(communities):
                _file_fresh(communities[ci], ci, now - timedelta(minutes=minutes))
                made += 1
    say(
        f"法律咨询：{made} 条演示咨询（其中升级 {escalated} 条，已评价 {rated} 条，"
        f"{len(shared)} 条由顾问加入知识库），{len(robots)} 个社区接入群聊机器人\n"
    )


def _file_one(
    community, ci: int, index: int, at: datetime, *, now, office, helpers, shared: set[int], robot: bool
) -> dict:
    roll = _n("roll", ci, index)
    urgent = roll % 40 == 0
    category, question, answer = (URGENT_STORIES if urgent else STORIES)[
        roll % (2 if urgent else len(STORIES))
    ]
    text = question.format(place=PLACES[roll % len(PLACES)], name=NAMES[roll % len(NAMES)])
    channel = CHANNELS[_n("channel", ci, index) % len(CHANNELS)]
    if channel == Channel.GROUP and not robot:  # no robot in this community's group yet
        channel = Channel.WEB
    c = services.consultation_submit(
        community=community,
        channel=channel,
        text=text,
        phone=f"1990000{(ci * 100 + index) % 10_000:04d}",
        resident_name=["", "王女士", "李先生", "陈阿姨", "刘师傅"][roll % 5],
        source={"group_name": f"{community.name}居民群", "sender_name": "群成员"}
        if channel == Channel.GROUP
        else None,
        at=at,
        is_demo=True,
    ).consultation
    outcome = {"escalated": 0, "rated": 0}
    # Most get answered in time; about one in eight misses the deadline and escalates.
    late = roll % 8 == 3 or (c.owner is None and roll % 3 == 0)
    if late and c.due_at and c.due_at < now and c.level != Level.DISTRICT:
        moment = c.due_at + timedelta(minutes=1)
        services.consultation_escalate(
            consultation=c, by=None, reason="超过答复期限未答复，自动升级", automatic=True, now=moment
        )
        outcome["escalated"] = 1
        if roll % 5 == 0 and c.level != Level.DISTRICT and c.due_at < now:  # a few go on to the district
            services.consultation_escalate(
                consultation=c,
                by=None,
                reason="超过答复期限未答复，自动升级",
                automatic=True,
                now=c.due_at + timedelta(minutes=1),
            )
    answerer = _answerer(c, office=office, helpers=helpers, roll=roll)
    if outcome["escalated"]:
        answer_at = c.due_at - timedelta(minutes=100 - roll % 60)
    else:
        answer_at = max((c.due_at or at) - timedelta(minutes=5 + roll % 50), at + timedelta(minutes=3))
    # Still open, in the inbox: what came in too recently to be answered, and a few of the last
    # days' questions nobody took (older ones were all dealt with, as in a street that keeps up).
    forgotten = roll % 23 == 7 and at > now - timedelta(days=45)
    if answerer is None or answer_at >= now or forgotten:
        return outcome
    try:
        if c.owner_id is None:
            services.consultation_claim(consultation=c, by=answerer, at=answer_at)
        if roll % 17 == 5:
            services.consultation_ask_info(
                consultation=c, body="请补充一下相关合同或聊天记录的截图。", by=answerer
            )
            return outcome  # waiting on the resident
        services.consultation_reply(consultation=c, body=answer, by=answerer, at=answer_at)
        story = roll % len(STORIES)
        if not urgent and story not in shared:  # the first good answer to each story is kept for reuse
            services.consultation_mark_reusable(consultation=c, by=answerer)
            shared.add(story)
        if roll % 4 != 1 and answer_at + timedelta(days=2) < now:
            services.consultation_close(
                consultation=c, category=category, by=answerer, at=answer_at + timedelta(days=1 + roll % 3)
            )
        if roll % 3 != 2:
            score = [5, 5, 4, 5, 3, 4, 5, 2][roll % 8]
            services.consultation_rate(
                consultation=c,
                score=score,
                comment=COMMENTS[roll % len(COMMENTS)],
                at=answer_at + timedelta(hours=3),
            )
            outcome["rated"] = 1
    except DomainError:
        pass  # a demo path the rules refuse is simply left as it is
    return outcome


def _file_fresh(community, ci: int, at: datetime) -> None:
    _category, question, _answer = STORIES[_n("fresh", ci) % len(STORIES)]
    roll = _n("fresh-roll", ci)
    services.consultation_submit(
        community=community,
        channel=Channel.WEB,
        text=question.format(place=PLACES[roll % len(PLACES)], name=NAMES[roll % len(NAMES)]),
        phone=f"1990001{ci:04d}",
        resident_name=["王女士", "李先生", "陈阿姨"][roll % 3],
        at=at,
        is_demo=True,
    )


def _answerer(c: Consultation, *, office, helpers, roll: int):
    if c.owner_id is not None:
        return c.owner
    if c.level == Level.DISTRICT:
        return User.objects.filter(username="bureau").first()
    # The street pool: the judicial office or an advisor of the street takes it.
    pool = [u for u in [office, *helpers] if u is not None]
    return pool[roll % len(pool)] if pool else None


__all__ = ["Status", "load"]
