"""Chinese free-text search (bigrams; 2-character names), on SQLite and PostgreSQL alike."""

from cases.selectors import dispute_list, duplicate_candidates
from common.search import query_tokens, tokenize

from .conftest import ID_ZHANG


def test_tokenize():
    assert tokenize("张三丰") == ["张三", "三丰"]
    assert tokenize("王芳", unigrams=True) == ["王芳", "王", "芳"]
    assert query_tokens("12345 热线") == ["12345", "热线"]


def test_two_character_name_and_words(loop, register):
    a = register(parties=[{"name": "王芳"}], facts="楼道飞线充电，存在火灾隐患")
    b = register(parties=[{"name": "王芳芳"}], facts="邻居占用公共楼道堆放杂物")
    c = register(parties=[{"name": "李明"}], facts="拖欠装修工人工资")

    def ids(q):
        return {d.pk for d in dispute_list(loop.clerk, filters={"q": q})}

    assert ids("王芳") == {a.pk, b.pk}
    assert ids("飞线充电") == {a.pk}
    assert ids("楼道") == {a.pk, b.pk}
    assert ids("工资") == {c.pk}
    assert ids("王") == {a.pk, b.pk}  # one character: surname
    assert ids("张三") == set()
    assert ids(c.reference) == {c.pk}


def test_search_by_id_number_uses_blind_index(loop, register):
    a = register()
    register(parties=[{"name": "李四"}])
    assert {d.pk for d in dispute_list(loop.clerk, filters={"q": ID_ZHANG})} == {a.pk}


def test_duplicate_suggestion_same_party_or_similar_facts(loop, register):
    a = register()
    b = register(parties=[{"name": "赵六"}], facts="小区南门垃圾堆放多日无人清理，气味难闻")
    by_party = duplicate_candidates(
        loop.clerk, parties=[{"name": "张三", "id_number": ID_ZHANG}], facts="完全不同的事"
    )
    assert [c.dispute.pk for c in by_party] == [a.pk]
    by_facts = duplicate_candidates(
        loop.clerk, parties=[{"name": "钱七"}], facts="小区南门垃圾堆放无人清理"
    )
    assert [c.dispute.pk for c in by_facts] == [b.pk]
    assert (
        duplicate_candidates(
            loop.outsider, parties=[{"name": "张三", "id_number": ID_ZHANG}], facts=""
        )
        == []
    )
