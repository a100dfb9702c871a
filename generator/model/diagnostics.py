"""Diagnostics: every rule with its stable id, severity and Chinese message, and how they are reported.

Rules are data. `docs/rules.md` is generated from RULES (`portal rules --markdown`) and a test keeps it in sync.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

ERROR, WARNING, OFF = "error", "warning", "off"
_SEVERITY_ZH = {ERROR: "错误", WARNING: "警告", OFF: "关闭"}


@dataclass(frozen=True)
class Rule:
    """A rule: id, default severity, zh title, explanation for editors."""

    id: str
    severity: str
    title: str
    help: str


_RULES = [
    # E0xx — reading files
    Rule("E001", ERROR, "文件不是 UTF-8 编码", "所有内容文件必须以 UTF-8 保存。GBK、Big5、UTF-16 文件请另存为 UTF-8。"),
    Rule("E002", ERROR, "YAML 语法错误", "报告的行就是出错的行，说明中给出原因。常见原因：全角冒号“：”或全角引号“”、用 Tab 缩进（只能用空格）、冒号后缺少空格、引号没有闭合、字段已写了值又在下一行写列表项。"),
    Rule("E003", ERROR, "重复的字段", "同一层级中一个字段只能出现一次。"),
    Rule("E004", ERROR, "YAML 别名使用超出限制", "锚点和别名（&、*）展开后过大，可能是恶意构造的文档。请直接写出内容。"),
    Rule("E005", ERROR, "文件过大", "单个内容文件超过大小上限，请拆分或把大文件作为附件上传。"),
    Rule("E006", ERROR, "嵌套层级过深", "YAML 结构嵌套超过上限。"),
    Rule("E007", ERROR, "缺少 front matter", "文章以单独一行 --- 开头，字段写完后再以单独一行 --- 结束，之后是正文。"),
    Rule("E008", ERROR, "文件含有 NUL 字符", "文件看起来是二进制文件，不是文本。"),
    Rule("E009", ERROR, "文件为空", "删除空文件，或补充内容。"),
    Rule("E010", ERROR, "不支持的 YAML 标签", "不要使用 !! 或 ! 开头的类型标签。"),
    Rule("E011", ERROR, "不允许的符号链接", "内容目录中的符号链接不能指向 content 目录之外。"),
    Rule("E012", ERROR, "无法读取文件", "检查文件权限。"),
    Rule("E013", ERROR, "无法识别的文件或目录", "单位目录中只能有 unit.yml、matters.yml、栏目目录和 communities 目录。"),
    Rule("E014", ERROR, "文件名不合规", "文件名（即网址的一部分）只能使用小写字母、数字和连字符，如 2019-07-10-zwgk.md。"),
    Rule("E015", ERROR, "CSV 格式错误", "数据文件为 UTF-8 编码的 CSV，第一行是表头，每行列数相同。"),
    Rule("W016", WARNING, "文件以 BOM 开头", "已忽略文件开头的 BOM（字节顺序标记）；请在编辑器中另存为“UTF-8（无 BOM）”。"),
    # E1xx — one record against the schema
    Rule("E101", ERROR, "未知字段", "字段名拼写错误或该类型不支持此字段。字段列表见编辑指南。"),
    Rule("E102", ERROR, "缺少必填字段", "补充该字段。"),
    Rule("E103", ERROR, "字段类型错误", "例如应为列表却写成了文字，应为 true/false 却写成了“是”。"),
    Rule("E104", ERROR, "取值不在统一分类表中", "可选值见 content/taxonomy.yml；可写编号或中文名称。"),
    Rule("E105", ERROR, "日期无法识别", "可写 2024-03-05、2024/3/5、2024.3.5、20240305、2024年3月5日；带时间写 2024-03-05 09:30、2024年3月5日 上午9:30 或 2024年3月5日 14时30分。检查时统一为 2024-03-05（09:30）。"),
    Rule("E106", ERROR, "格式不合规", "编号、网址、邮编等不符合规定格式。"),
    Rule("E107", ERROR, "字段值为空", "必填字段不能为空白。"),
    Rule("E108", ERROR, "内容过长", "标题不超过 200 字。"),
    Rule("E110", ERROR, "含有可执行的代码或不安全的链接",
         "正文不能含 <script>、<iframe>、<svg> 等元素、onclick 等事件属性、javascript:/data: 链接；"
         "标题等文字字段不能含 HTML 标签。发布时这些内容会被清除，请删除或改用普通文字、https 链接。"),
    # E2xx — references across records
    Rule("E201", ERROR, "引用了不存在的单位", "写单位编号（目录名）或全称、简称、曾用名。"),
    Rule("E202", ERROR, "解读缺少对应的政策文件", "interprets 写政策文件编号：单位编号/栏目/文件名，如 fgj/policies/2019-07-10-xxx。"),
    Rule("E203", ERROR, "编号重复", "两处内容使用了相同编号，请修改其中之一。"),
    Rule("E204", ERROR, "网址重复", "两处内容生成了相同的网址，请修改其中之一的文件名或编号。"),
    Rule("E205", ERROR, "单位编号与门户保留路径冲突", "换一个单位编号（目录名）。"),
    Rule("E206", ERROR, "解读对象不是政策文件", "interprets 必须指向类型为 policy 的文章。"),
    Rule("E207", ERROR, "引用了不存在的事项", "事项编号见本单位 matters.yml；他单位事项写 单位编号/事项编号。"),
    Rule("E208", ERROR, "引用形成循环", "上级单位或修订关系不能首尾相接。"),
    Rule("E209", ERROR, "附件路径不安全", "附件写相对路径，不能包含 ..，不能是绝对路径或指向单位目录之外。"),
    Rule("E210", ERROR, "附件文件不存在", "把文件放在文章旁边，或修改路径。"),
    Rule("E211", ERROR, "社区未声明", "社区目录须在所属街道 unit.yml 的 communities 中声明。"),
    Rule("E212", ERROR, "内容类型与栏目不符", "该类型的文章应放在对应栏目目录中。"),
    Rule("E213", ERROR, "引用了不存在的文章", "写文章编号：单位编号/栏目/文件名。"),
    Rule("E214", ERROR, "单位不能在此栏目发布", "该栏目只由门户主管单位发布（如首页的要闻）；本单位的动态请放在 news（工作动态）目录。"),
    Rule("W215", WARNING, "占位文字未替换", "portal new 生成的文件中，（必填）和“正文从这里开始”是占位文字，请换成实际内容（门户可在 portal.yml 的 rules 中把本规则设为 error）。"),
    Rule("E216", ERROR, "正文链接或图片指向不存在的内容", "图片和附件写相对于本文件的路径，如 files/a.png；链接到另一篇文章写 @编号，如 [解读](@fgj/policies/2019-07-10-banfa)。"),
    Rule("W217", WARNING, "正文表格过长", "超过 100 行的表格在手机上难以阅读：请把完整表格作为附件（Excel 或 PDF）上传，正文只保留摘要或前几行。"),
    Rule("E218", ERROR, "题图缺少说明", "写 image_alt：用一句话说明图片内容，读屏软件会朗读它。"),
    Rule("E220", ERROR, "旧网址格式错误", "旧网址写完整地址，以 http:// 或 https:// 开头。"),
    Rule("E221", ERROR, "旧网址重复映射", "一个旧网址只能跳转到一个新地址；删除其中一处。"),
    Rule("E222", ERROR, "跳转目标不存在", "新地址写文章编号、单位编号或门户内存在的路径。"),
    Rule("E223", ERROR, "跳转形成链或循环", "新地址必须是最终页面，不能本身又是旧网址。"),
    Rule("E224", ERROR, "旧网址与新网站页面冲突", "该路径已是门户的现行页面，不能再作为旧网址跳转。"),
    Rule("E230", ERROR, "同义词表格式错误", "content/synonyms.yml 是同义词组的列表，每组至少两个词语，如 - [低保, 最低生活保障]。"),
    Rule("E231", ERROR, "同义词重复", "一个词语只能出现在一个同义词组中；需要合并的组请写成一组。"),
    # E3xx / W3xx — content quality (national inspection rules)
    Rule("W301", WARNING, "规范性文件缺少政策解读", "按“谁起草、谁解读”，规范性文件须与解读同步发布（--strict-policy 时为错误）。"),
    Rule("E302", ERROR, "办事指南缺少要素", "国办秘函〔2019〕19号：设定依据、受理条件、申请材料、办理流程、办理时限、收费标准、办理地点和时间、咨询电话均须齐全。"),
    Rule("E303", ERROR, "日期晚于今天", "发布日期不能在未来；检查年份是否写错。"),
    Rule("W304", WARNING, "解读单位不是起草单位", "按“谁起草、谁解读”，解读应由政策的起草单位发布。"),
    Rule("E305", ERROR, "规范性文件缺少文号", "规范性文件必须填写 doc_number（文号）。"),
    Rule("W306", WARNING, "已修订或已废止文件未说明", "已修订文件宜填写 replaced_by（修订后文件）。"),
    # E4xx — 互动交流, accuracy, 政务新媒体, 专题
    Rule("E401", ERROR, "公开文字含有身份证号码",
         "网民留言、答复和意见征集的公开文字不能含有居民身份证号码。请删除或改为“身份证号码已隐去”；该条内容不会发布。"),
    Rule("E402", ERROR, "公开文字含有电话号码",
         "网民留言、答复和意见征集的公开文字不能含有个人手机或电话号码（单位在 unit.yml 中公开的电话除外）。"
         "请删除或改为“联系电话已隐去”；该条内容不会发布。"),
    Rule("E403", ERROR, "日期先后矛盾", "答复日期不能早于来信日期；截止日期不能早于开始日期；反馈日期不能早于截止日期。"),
    Rule("E404", ERROR, "已办结的留言缺少答复", "办理状态为“已办结”时须填写 reply（答复内容）和 replied（答复日期）；"
         "尚未答复的写“已受理”或“办理中”。"),
    Rule("E420", ERROR, "用词错误（严重错误）",
         "按 content/wordlist.yml（校对词表）改为正确写法。国办秘函〔2019〕19号把严重错别字和错误表述列为单项否决。"
         "引用原文时，在该行末尾加 <!-- 引文 -->，或把引文放在 <!-- 引文开始 --> 与 <!-- 引文结束 --> 之间。"),
    Rule("W421", WARNING, "用词可能不规范", "按 content/wordlist.yml（校对词表）核对；确属正确用法的，可在词条的 allow 中加入例外写法。"),
    Rule("E422", ERROR, "校对词表条目有误", "错误写法不能重复、不能与正确写法相同，且至少两个字。"),
    Rule("E430", ERROR, "二维码图片不存在", "把图片放在本单位目录下（如 newmedia/xxx.png），qr 写相对于单位目录的路径。"),
    # E41x / W41x — 政府信息公开 (《政府信息公开条例》, 国办公开办函〔2021〕30号)
    Rule("E410", ERROR, "非主动公开的文件缺少不予公开理由", "公开属性为依申请公开或不予公开时，exemption 填写条例第十四条至第十六条规定的理由（见 taxonomy.yml 的 exemptions）。"),
    Rule("W411", WARNING, "主动公开的文件填写了不予公开理由", "主动公开的文件不需要 exemption；确认公开属性是否填错。"),
    Rule("E412", ERROR, "年报表三：总计与各类申请人之和不符", "每行的总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他。"),
    Rule("E413", ERROR, "年报表三：办理结果总计与各项之和不符", "三（七）总计 = 三（一）至三（六）各项之和（每列）。"),
    Rule("E414", ERROR, "年报表三：申请数量前后不衔接", "本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理（每列）。"),
    Rule("E415", ERROR, "年报表四：总计与各项之和不符", "总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结。"),
    # E32x / W32x — 政务服务事项 and 办事指南 (docs/services.md)
    Rule("E321", ERROR, "承诺办结时限长于法定办结时限", "promised_days（承诺）不能多于 legal_days（法定）工作日；检查是否写反。"),
    Rule("E322", ERROR, "容缺受理未列明可容缺材料", "tolerance: true 时，在 tolerance_materials 中写出可后补的材料名称。"),
    Rule("E323", ERROR, "可容缺材料不在申请材料中", "tolerance_materials 的每一项须与 materials 中某项材料的名称相同。"),
    Rule("E324", ERROR, "申请材料的表格或样表文件不存在", "把表格（form）和样表（sample）文件放在指南旁边，或修改路径；路径不能包含 ..。"),
    Rule("W325", WARNING, "办事指南要素不完整", "按国家办事指南要素（国办函〔2016〕108号及各省办事指南规范）逐项补充（如 legal_days、promised_days、visits）。"),
    Rule("E326", ERROR, "零跑动事项缺少网上办理地址", "visits: 0 表示不用到现场，须填写 online_url（网上办理地址）。"),
    Rule("E327", ERROR, "事项层级错误", "parent 写本单位的一级事项编号；一级事项不能再有 parent，事项不能以自己为 parent。"),
    Rule("E328", ERROR, "取值超出范围", "online_depth 为 1–4；份数至少为 1；时限和到现场次数不能为负数。"),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One finding: where, which rule, what (in Chinese)."""

    path: str
    line: int
    col: int
    rule: str
    message: str
    severity: str = field(default=ERROR, compare=False)

    def __str__(self) -> str:
        # the severity it was counted as is printed when it is not the rule's own (portal.yml rules:,
        # --strict-policy): a W301 that fails the check must not read like a warning
        rule = RULES.get(self.rule)
        counted = "" if rule is None or rule.severity == self.severity else f"（按{_SEVERITY_ZH[self.severity]}处理）"
        return f"{self.path}:{self.line}:{self.col}: {self.rule}{counted} {self.message}"

    def to_dict(self) -> dict:
        """JSON-ready form."""
        return {"path": self.path, "line": self.line, "col": self.col, "rule": self.rule,
                "severity": self.severity, "title": RULES[self.rule].title, "message": self.message}


def diag(src, rule: str, detail: str = "") -> Diagnostic:
    """Build a diagnostic at a Source (anything with path/line/col); message = rule title + detail."""
    r = RULES[rule]
    msg = r.title + (f"：{detail}" if detail else "")
    return Diagnostic(src.path, src.line, src.col, rule, msg, r.severity)


@dataclass
class Report:
    """All diagnostics of a run, with severities resolved against the configured overrides."""

    items: list[Diagnostic] = field(default_factory=list)

    def extend(self, diags: Iterable[Diagnostic]) -> None:
        """Add diagnostics."""
        self.items.extend(diags)

    def resolved(self, overrides: dict[str, str] | None = None) -> list[Diagnostic]:
        """Diagnostics sorted by path/line with per-rule severity overrides applied; 'off' ones dropped."""
        overrides = overrides or {}
        out = []
        for d in self.items:
            sev = overrides.get(d.rule, d.severity)
            if sev == OFF:
                continue
            if sev != d.severity:
                d = Diagnostic(d.path, d.line, d.col, d.rule, d.message, sev)
            out.append(d)
        return sorted(set(out), key=lambda d: (d.path, d.line, d.col, d.rule, d.message))


def format_text(diags: list[Diagnostic]) -> str:
    """One diagnostic per line, `path:line:col: RULE 消息`."""
    return "\n".join(str(d) for d in diags)


def format_json(diags: list[Diagnostic], summary: dict) -> str:
    """The same diagnostics as a JSON document (list plus summary)."""
    return json.dumps({"diagnostics": [d.to_dict() for d in diags], "summary": summary},
                      ensure_ascii=False, indent=2)


def rules_markdown() -> str:
    """The rule reference (docs/rules.md), generated from RULES."""
    lines = [
        "# 检查规则 / Rule reference",
        "",
        "<!-- Generated by `portal rules --markdown > docs/rules.md`; a test keeps it in sync. -->",
        "",
        "每条诊断的格式为 `路径:行:列: 规则编号 说明`。级别可在 `content/portal.yml` 的 `rules:` 中按编号调整"
        "（`error` / `warning` / `off`）。",
        "",
        "| 编号 | 级别 | 说明 | 如何修改 |",
        "| --- | --- | --- | --- |",
    ]
    for r in _RULES:
        sev = "错误" if r.severity == ERROR else "警告"
        lines.append(f"| {r.id} | {sev} | {r.title} | {r.help} |")
    return "\n".join(lines) + "\n"
