import pytest

from guwen.core.errors import DomainError
from guwen.core.models import AuditEvent
from guwen.knowledge.models import AnsweredQuestion, SearchEntry, TriageCorrection
from guwen.knowledge.selectors import similar_questions
from guwen.knowledge.services import answered_import, knowledge_add_answered, triage_correction_record

PERSONAL = {
    "name": "刘明强",
    "phone": "13812345678",
    "landline": "0755-28761234",
    "id_number": "440307199001011234",
    "address": "吉祥路12号3栋502室",
}
QUESTION = (
    f"我叫{PERSONAL['name']}，身份证号{PERSONAL['id_number']}，住在深圳市龙岗区{PERSONAL['address']}。"
    f"老板陈国栋拖欠我三个月工资，电话{PERSONAL['phone']}，办公室{PERSONAL['landline']}。"
)
ANSWER = f"{PERSONAL['name']}您好：可以依据劳动合同法第三十条申请支付令，也可以拨打{PERSONAL['phone']}咨询。"


def test_answered_question_is_stored_without_personal_data(world):
    entry = knowledge_add_answered(
        question=QUESTION, answer=ANSWER, category="劳动争议", source_ref="c-1", by=world.user("advisor_a")
    )
    stored = AnsweredQuestion.objects.get(pk=entry.pk)
    for value in [*PERSONAL.values(), "陈国栋", "明强", "国栋", "12345678"]:
        assert value not in stored.question, value
        assert value not in stored.answer, value
    tokens = SearchEntry.objects.get(kind="answered", object_id=entry.pk).tokens
    for value in [PERSONAL["name"], PERSONAL["phone"], PERSONAL["id_number"], "吉祥路"]:
        assert value not in tokens
    # What is not personal stays, so the entry is still useful.
    assert "拖欠" in stored.question and "劳动合同法第三十条" in stored.answer
    assert "刘某" in stored.question and "[身份证号]" in stored.question and "[地址]" in stored.question
    event = AuditEvent.objects.get(action="knowledge.answered_add")
    assert PERSONAL["phone"] not in str(event.context)


def test_same_source_is_added_once(world):
    first = knowledge_add_answered(question="问", answer="答", category="其他", source_ref="c-2", by=None)
    again = knowledge_add_answered(question="问2", answer="答2", category="其他", source_ref="c-2", by=None)
    assert first.pk == again.pk and AnsweredQuestion.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"question": " ", "answer": "答", "category": "其他"}, "question"),
        ({"question": "问", "answer": "", "category": "其他"}, "answer"),
        ({"question": "问", "answer": "答", "category": "不存在"}, "category"),
        ({"question": "问" * 5001, "answer": "答", "category": "其他"}, "question"),
    ],
)
def test_bad_answered_input_is_refused_and_nothing_saved(db, kwargs, field):
    with pytest.raises(DomainError) as caught:
        knowledge_add_answered(by=None, **kwargs)
    assert caught.value.field == field
    assert AnsweredQuestion.objects.count() == 0 and SearchEntry.objects.count() == 0


def test_similar_questions_use_synonyms(db):
    knowledge_add_answered(
        question="用人单位拖欠薪水怎么办",
        answer="申请劳动仲裁。",
        category="劳动争议",
        source_ref="a",
        by=None,
    )
    knowledge_add_answered(
        question="邻居装修噪音太大", answer="可以找物业调解。", category="邻里纠纷", source_ref="b", by=None
    )
    found = similar_questions("老板不给工钱")
    assert [entry.category for entry in found][:1] == ["劳动争议"]


def test_import_reports_bad_lines_and_is_idempotent(db):
    lines = [
        '{"id": 1, "question": "公司不发工资", "answer": "申请仲裁", "category": "劳动争议"}',
        "not json",
        '{"id": 2, "question": "缺答复", "category": "劳动争议"}',
        "[1, 2]",
    ]
    result = answered_import(lines=lines, by=None, prefix="t")
    assert result.added == 1 and len(result.errors) == 3
    assert "第 2 行" in result.errors[0]
    again = answered_import(lines=lines, by=None, prefix="t")
    assert again.added == 0 and again.existing == 1
    assert AnsweredQuestion.objects.count() == 1


def test_triage_correction_is_recorded_anonymised(world):
    correction = triage_correction_record(
        text_ref="consultation:7",
        text=f"我叫王小红，电话{PERSONAL['phone']}，房东不退押金",
        predicted="消费维权",
        corrected="房产纠纷",
        by=world.user("advisor_a"),
        model_version="v",
    )
    assert correction is not None
    stored = TriageCorrection.objects.get()
    assert PERSONAL["phone"] not in stored.text and "王小红" not in stored.text
    assert stored.corrected == "房产纠纷" and stored.created_by == world.user("advisor_a")
    assert AuditEvent.objects.filter(action="knowledge.triage_correct").count() == 1


def test_correction_to_same_category_stores_nothing_and_bad_category_is_refused(db):
    assert (
        triage_correction_record(text_ref="x", text="t", predicted="其他", corrected="其他", by=None) is None
    )
    with pytest.raises(DomainError) as caught:
        triage_correction_record(text_ref="x", text="t", predicted="其他", corrected="胡说", by=None)
    assert caught.value.field == "corrected"
    assert TriageCorrection.objects.count() == 0


def _law_names() -> list[str]:
    from guwen.knowledge.statutes import read_laws

    names = set()
    for law in read_laws():
        names.update([law.title, law.short_title, *law.aliases])
    return sorted(names)


@pytest.mark.parametrize("law", _law_names())
def test_statute_names_survive_anonymising_and_names_beside_them_do_not(law):
    from guwen.knowledge.anonymise import anonymise

    text = f"依照《{law}》第二十七条和{law}第三条，张国强应当赔偿，邻居王大明也要承担责任。"
    cleaned = anonymise(text)
    assert cleaned.count(law) == 2, cleaned
    assert "张国强" not in cleaned and "王大明" not in cleaned


def test_citations_in_a_reusable_answer_still_link_after_anonymising(statutes, world):
    entry = knowledge_add_answered(
        question="骑电动车被撞了，对方全责，怎么赔？",
        answer="依照道路交通安全法第七十六条和劳动争议调解仲裁法第二十七条……",
        category="交通事故",
        source_ref="cite-1",
        by=world.user("advisor_a"),
    )
    assert "道路交通安全法第七十六条" in entry.answer and "劳动争议调解仲裁法第二十七条" in entry.answer


@pytest.mark.parametrize(
    "text",
    [
        "楼上邻居家卫生间漏水",
        "对方公司不给钱",
        "丈夫家暴我",
        "房东家的狗咬人",
        "对方车辆逃逸",
        "同事关系不好",
        "对方钱也不给",
        "老公和我吵架",
        "要求对方支付抚养费",
        "借款人应当按照约定还款",
        "老板包工头干活不给钱",
        "追究对方强奸罪的刑事责任",
    ],
)
def test_words_after_a_relation_are_not_taken_for_names(text):
    from guwen.knowledge.anonymise import anonymise

    assert anonymise(text) == text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("邻居王大明打了我", "王大明"),
        ("老公是张伟，经常打我", "张伟"),
        ("房东叫李强，不退押金", "李强"),
        ("老板陈国栋拖欠工资", "陈国栋"),
        ("朋友刘明强欠我钱", "刘明强"),
        ("邻居张三家的狗咬人", "张三"),
        ("对方李四不还钱", "李四"),
    ],
)
def test_names_after_a_relation_are_masked(text, name):
    from guwen.knowledge.anonymise import anonymise

    cleaned = anonymise(text)
    assert name not in cleaned and name[0] + "某" in cleaned
