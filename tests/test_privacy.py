import pandas as pd

from kpt_audit.privacy import Masker, mask_value, personal_values


def test_mask_shapes():
    assert mask_value("330102199001011234") == "3301**********1234"
    assert mask_value("13812345678") == "138****5678"
    assert mask_value("8886666") == "88***66" and mask_value("88866666") == "88****66"
    assert mask_value("6222020200112233445") == "6222***********3445"
    assert mask_value("张三") == "张*"
    assert mask_value("欧阳明月") == "欧***"


def test_known_values_are_masked_inside_text():
    suppliers = pd.DataFrame({"legal_rep": ["张三丰", "Li Wei"], "phone": ["0571-8888666", None],
                              "bank_account": ["6222020200112233445", "无"]})
    m = Masker({"suppliers": suppliers})
    text = "投标人甲、乙的法定代表人均为张三丰，电话0571-8888666，账户6222020200112233445；Li Wei"
    out = m.text(text)
    for secret in ("张三丰", "0571-8888666", "6222020200112233445", "Li Wei"):
        assert secret not in out
    assert "投标人甲、乙的法定代表人均为张**" in out


def test_a_short_personal_number_is_masked_where_it_stands_alone_not_inside_amounts():
    """A seven-digit phone is masked where it stands alone, not inside an amount; numbers of fewer digits
    (an extension 8866, a dirty phone "2019", an account "0.0") identify nobody and are left in text, where
    they would mask years and amounts; in their own column they are masked all the same."""
    m = Masker({"subsidies": pd.DataFrame({"bank_account": ["0.0", "8866", "8886666"], "phone": ["2019", None, None]})})
    out = m.text("账户0.0收款，合计0.02万元、10.0万元；电话8886666，金额18886666.5元、8,886,666元；2019年")
    assert "0.02万元" in out and "10.0万元" in out and "18886666.5元" in out and "8,886,666元" in out
    assert "电话8886666" not in out and "2019年" in out and "账户0.0收款" in out
    assert m.frame(pd.DataFrame({"phone": ["2019"]})).loc[0, "phone"] == "2***"


def test_a_county_a_unit_and_ids_are_not_taken_for_personal_values():
    """A legal_rep named 高新 must not split 高新区 in two, nor one typed 万元 mask every amount; a name is
    masked wherever else it stands (联系人张三); an id is masked only when it is itself an ID or mobile
    number (a contract number holding eleven digits is not)."""
    m = Masker({"suppliers": pd.DataFrame({"legal_rep": ["高新", "万元", "张三", "欧阳明月"]}),
                "projects": pd.DataFrame({"county": ["高新区", "东城县"]})})
    findings = pd.DataFrame({
        "county": ["高新区", "高新区"], "check_id": ["PRO10", "PRO10"],
        "entity_id": ["HT13800138000", "330102199001011234"], "project_id": ["P1", "13812345678"],
        "detail": ["高新区道路，金额1,547.20万元；法定代表人 张三；欧阳明月签字", "张三"],
        "project_name": ["高新区污水处理厂", "张三养殖场"]})
    out = m.frame(findings)
    assert out["county"].tolist() == ["高新区", "高新区"] and out["check_id"].tolist() == ["PRO10", "PRO10"]
    assert out["entity_id"].tolist() == ["HT13800138000", "3301**********1234"]
    assert out["project_id"].tolist() == ["P1", "138****5678"]
    assert out.loc[0, "detail"] == "高新区道路，金额1,547.20万元；法定代表人 张*；欧***签字"
    assert out.loc[1, "detail"] == "张*"
    assert out["project_name"].tolist() == ["高新区污水处理厂", "张*养殖场"]
    assert m.text("联系人张三，高新大道") == "联系人张*，高*大道"  # 高新 outside 高新区 is the name


def test_patterns_catch_unknown_ids_and_mobiles():
    m = Masker({})
    out = m.text("身份证330102199001011234，手机13812345678，金额12345678.00元")
    assert "330102199001011234" not in out and "13812345678" not in out
    assert "12345678.00" in out  # amounts are not personal


def test_frame_masks_personal_columns_and_rejection_values():
    m = Masker({})
    df = pd.DataFrame({"id_number": ["330102199001011234"], "column": ["phone"], "value": ["057188886666"],
                       "reason": ["bad"]})
    out = m.frame(df)
    assert out.loc[0, "id_number"] == "3301**********1234"
    assert out.loc[0, "value"] != "057188886666"
    assert out.loc[0, "reason"] == "bad"


def test_disabled_masker_changes_nothing():
    m = Masker({"suppliers": pd.DataFrame({"legal_rep": ["张三"]})}, enabled=False)
    assert m.text("张三") == "张三"


def test_a_long_text_column_is_masked_as_text_by_text():
    """Columns of many texts are masked only where Arrow finds eleven digits or a known value (a shortcut):
    the result is each text masked on its own, full-width and other scripts' digits included."""
    suppliers = pd.DataFrame({"legal_rep": ["张三丰", "Li Wei", "欧阳"], "phone": ["0571-8888666", "8888", None]})
    m = Masker({"suppliers": suppliers})
    tricky = ["法人张三丰", "Li Wei 签字", "电话0571-8888666", "分机8888号", "手机13８12345678",
              "身份证33010219900101123X", "编号١٢٣٤٥٦١٩٩٠٠١٠١١٢٣X", "欧阳修", "金额12345678.00元", "无", ""]
    texts = [f"第{i}条：金额{i * 37}元" for i in range(3000)] + tricky
    column = pd.Series(texts + [None] + texts[:50], dtype="str")
    masked = m.series(column)
    assert masked.dtype == column.dtype
    expected = [m.text(t) if isinstance(t, str) else t for t in column]
    assert masked.iloc[:len(texts)].tolist() == expected[:len(texts)]
    assert pd.isna(masked.iloc[len(texts)]) and masked.iloc[len(texts) + 1:].tolist() == expected[len(texts) + 1:]
    changed = {t for t, out in zip(tricky, masked.iloc[3000:len(texts)]) if t != out}
    # the shortcut missed none (a four-digit number is no change)
    assert changed == set(tricky) - {"金额12345678.00元", "无", "", "分机8888号"}
    # unchanged columns come back as they were
    plain = pd.Series(texts[:3000], dtype="str")
    assert m.series(plain) is plain


def test_personal_values_are_all_the_masker_reads_of_the_tables():
    suppliers = pd.DataFrame({"supplier_id": ["s1", "s2", "s3", "s4"], "legal_rep": ["张三丰", None, "李四", "张三丰"],
                              "phone": ["0571-8888666", "13812345678", "0571-8888666", None]})
    tables = {"suppliers": suppliers, "tenders": pd.DataFrame({"tender_id": ["t1"]})}
    kept = personal_values(tables)
    assert list(kept) == ["suppliers"] and list(kept["suppliers"].columns) == ["legal_rep", "phone"]
    assert kept["suppliers"]["legal_rep"].dropna().tolist() == ["张三丰", "李四"]  # distinct, first held first
    assert kept["suppliers"]["phone"].tolist() == ["0571-8888666", "13812345678"]
    assert Masker(kept).known == Masker(tables).known and len(Masker(kept).known) == 4
