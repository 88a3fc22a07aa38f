"""Approval summaries in Chinese, rebuilt from the sentence each service writes (issue 23.10)."""

from __future__ import annotations

from station.supervision.approval_words import summary_words


class TestEverySummaryShape:
    def test_each_service_sentence_reads_in_chinese(self) -> None:
        cases = {
            "Parcel SF999000111 has no RMA.": "包裹 SF999000111 没有对应的 RMA。",
            "Parcel for cancelled RMA RMA000000007.": "包裹对应的 RMA RMA000000007 已取消。",
            "RMA RMA000000012 arrived 16 days after its deadline 2026-10-30.":
                "RMA RMA000000012 在截止日期 2026-10-30 之后 16 天才到。",
            "Unit LP00000042 held in quarantine (flags: wrong_item, missing_parts; rule flagged).":
                "商品 LP00000042 已隔离（标记：错误商品：与所售商品不符；缺少零件或配件；规则 flagged）。",
            "Scrap unit LP00000043 (SA-KET-1, value 329.00).": "报废商品 LP00000043（SA-KET-1，价值 329.00）。",
            "Return to vendor unit LP00000044 (EL-PB-10, value 129.00).":
                "退供应商商品 LP00000044（EL-PB-10，价值 129.00）。",
            "Override C -> B: scuff wipes off": "改判等级 C → B：scuff wipes off",
        }
        assert {en: summary_words(en, "zh_CN") for en in cases} == cases

    def test_english_desk_and_unknown_shapes_read_as_written(self) -> None:
        assert summary_words("Parcel SF1 has no RMA.", "en") == "Parcel SF1 has no RMA."
        assert summary_words("Something a later service says.", "zh") == "Something a later service says."
