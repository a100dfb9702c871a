"""The content model, declared once: every record type, field, zh label and help text.

The validator, the normalizer's field table, `portal schema` (JSON Schema) and the editors' field reference
are all derived from these dataclasses, so they cannot drift apart.

Field metadata keys (set through :func:`fld`):

- ``zh``: the label editors see; ``help``: one sentence of guidance.
- ``vocab``: the controlled vocabulary a value must come from (a key of ``taxonomy.yml``, or ``units``).
- ``norm``: extra normalizer processors for this field (see ``normalize.PROCESSORS``).
- ``rule``: the rule id reported when this required field is missing (default ``E102``).
- ``max_len`` / ``pattern``: limits checked by the validator.
- ``internal``: filled by the pipeline, never read from content files (not part of the schema).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import MISSING, dataclass, field
from typing import Any

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,62}$"
MATTER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$"
TITLE_MAX = 200
#: Text `portal new` leaves for the editor to replace; `portal check` reports any still in place (W215),
#: in the body or in any field an editor copied it into.
PLACEHOLDER = "（必填）"
BODY_PLACEHOLDER = "（必填）正文从这里开始，请替换本段。"
URL_PATTERN = r"https?://[^\s<>\"']+"
#: An image file name in content/identity/ (the footer's 网站标识 images).
IMAGE_NAME = r"[A-Za-z0-9_-][A-Za-z0-9._-]*\.(png|svg|gif|jpg)"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


def fld(
    zh: str,
    help: str = "",
    *,
    default: Any = MISSING,
    factory: Any = MISSING,
    vocab: str | None = None,
    norm: tuple[str, ...] = (),
    rule: str | None = None,
    max_len: int | None = None,
    pattern: str | None = None,
) -> Any:
    """Declare a content field with its zh label and help (required unless a default is given)."""
    meta = {"zh": zh, "help": help, "vocab": vocab, "norm": norm, "rule": rule, "max_len": max_len,
            "pattern": pattern}
    if factory is not MISSING:
        return field(default_factory=factory, metadata=meta)
    return field(default=default, metadata=meta)


def internal(default: Any = None, factory: Any = MISSING) -> Any:
    """Declare a field the pipeline fills in (never read from content, not in the schema)."""
    if factory is not MISSING:
        return field(default_factory=factory, metadata={"internal": True}, repr=False, compare=False)
    return field(default=default, metadata={"internal": True}, repr=False, compare=False)


@dataclass(frozen=True)
class Source:
    """Where a record or field came from: display path plus 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(kw_only=True)
class Record:
    """Base of every content record: remembers its source and the position of each field."""

    src: Source = internal()
    pos: dict = internal(factory=dict)

    def where(self, *keypath: Any) -> Source:
        """Source position of a field (falls back to the record's own position)."""
        for n in range(len(keypath), 0, -1):
            lc = self.pos.get(tuple(keypath[:n]))
            if lc:
                return Source(self.src.path, lc[0], lc[1])
        return self.src


# --------------------------------------------------------------------------- shared pieces


@dataclass(kw_only=True)
class Contact(Record):
    """联系方式."""

    phone: str | None = fld("联系电话", "区号-号码，如 020-89089000", default=None, norm=("code",))
    fax: str | None = fld("传真", "区号-号码", default=None, norm=("code",))
    email: str | None = fld("电子邮箱", "公开的工作邮箱", default=None, norm=("code",))
    address: str | None = fld("办公地址", "含路名和门牌号", default=None)
    postcode: str | None = fld("邮政编码", "6位数字", default=None, norm=("code",), pattern=r"^\d{6}$")
    hours: str | None = fld("办公时间", "如 周一至周五 上午9:00-12:00，下午14:00-18:00", default=None)
    website: str | None = fld("网址", "单位另有的服务网址（可选），以 https:// 或 http:// 开头", default=None,
                              pattern=URL_PATTERN)


@dataclass(kw_only=True)
class Leader(Record):
    """领导信息."""

    name: str = fld("姓名", "领导姓名")
    title: str = fld("职务", "如 局长、党工委书记")
    duties: str | None = fld("工作分工", "分管的工作", default=None)
    resume: str | None = fld("简历", "简要履历", default=None)


@dataclass(kw_only=True)
class Attachment(Record):
    """附件."""

    file: str = fld("文件", "相对于本文件所在目录的路径，如 files/2019-12.pdf")
    title: str | None = fld("附件名称", "默认使用文件名", default=None)


# --------------------------------------------------------------------------- portal.yml


@dataclass(kw_only=True)
class Portal(Record):
    """门户网站标识 (content/portal.yml)."""

    name: str = fld("网站名称", "SiteName，如 广州市海珠区人民政府门户网站")
    short_name: str | None = fld("网站简称", "页眉较窄时显示，如 海珠区政府网", default=None)
    domain: str = fld("网站域名", "SiteDomain，不含协议，如 www.haizhu.gov.cn", norm=("code",))
    scheme: str = fld("访问协议", "https 或 http", default="https", pattern=r"^https?$")
    site_code: str = fld("网站标识码", "SiteIDCode，10位", norm=("code",), pattern=r"^[0-9A-Za-z]{10}$")
    icp: str = fld("ICP备案号", "如 粤ICP备05080000号", norm=("code",))
    psb: str = fld("公安机关备案号", "如 粤公网安备 44010502000000号", norm=("code",))
    sponsor: str = fld("主办单位", "如 广州市海珠区人民政府办公室")
    organizer: str = fld("承办单位", "如 广州市海珠区政务服务数据管理局")
    contact: Contact = fld("联系方式", "电话、地址、办公时间等，显示在页面和页脚", factory=Contact)
    description: str | None = fld("网站简介", "首页和搜索引擎使用的一段介绍", default=None)
    owner_unit: str | None = fld("门户主管单位", "发布要闻的单位编号（区政府办公室）", default=None,
                                 vocab="units")
    page_size: int = fld("列表每页条数", "栏目列表分页时每页的文章数", default=20)
    future_tolerance_days: int = fld("未来日期容差（天）", "发布日期最多可晚于今天的天数", default=1)
    rules: dict[str, str] = fld("规则级别", "按规则编号覆盖级别：error / warning / off",
                                factory=dict)
    editors: list[str] = fld("门户管理组", "负责全站文件（分类、标识、模板）的用户组，如 @haizhu/portal-office；"
                             "各单位目录之外的改动须经其审核", factory=list)
    reply_workdays: int = fld("留言答复时限（工作日）", "网民留言应在多少个工作日内答复，超过即在巡查中提示",
                              default=10)
    conac_url: str | None = fld("党政机关网站标识链接",
                                "机构编制部门核发的开办者信息地址（页脚的党政机关网站标识指向它）",
                                default=None, pattern=URL_PATTERN)
    conac_image: str | None = fld("党政机关网站标识图片",
                                  "放在 content/identity/ 中的图片文件名，如 conac.png；不填时页脚显示文字标识",
                                  default=None, pattern=IMAGE_NAME)
    jiucuo_url: str | None = fld("我为政府网站找错链接", "全国政府网站找错平台为本网站标识码提供的地址",
                                 default=None, pattern=URL_PATTERN)
    jiucuo_image: str | None = fld("找错入口图片", "放在 content/identity/ 中的图片文件名；不填时页脚显示文字入口",
                                   default=None, pattern=IMAGE_NAME)
    holidays: list[str] = fld("法定节假日", "计算工作日时不算的日期（周一至周五中的假日），如 2026-10-01",
                              factory=list, norm=("date",), pattern=DATE_PATTERN)
    makeup_workdays: list[str] = fld("调休上班日", "周末中需上班的日期，计算工作日时计入，如 2026-10-10",
                                     factory=list, norm=("date",), pattern=DATE_PATTERN)


# --------------------------------------------------------------------------- taxonomy.yml


@dataclass(kw_only=True)
class Term(Record):
    """A controlled-vocabulary entry: stable id, zh label, accepted synonyms."""

    id: str = fld("编号", "小写字母、数字和连字符，定下后不要再改（网址和引用都用它）", pattern=ID_PATTERN)
    name: str = fld("名称", "页面上显示的中文名称")
    aliases: list[str] = fld("同义写法", "编辑可写的其他名称，规范化为本编号", factory=list)
    description: str | None = fld("说明", "栏目说明，显示在栏目页并作为 ColumnDescription", default=None)


@dataclass(kw_only=True)
class Column(Term):
    """信息公开栏目."""

    type: str = fld("内容类型", "本栏目文章的默认类型", vocab="types")
    cadence_days: int = fld("更新周期（天）", "超过该天数未更新即为“不及时”，如 动态14、通知公告180")
    disclosure: str | None = fld("默认五公开类别", "本栏目文章未填写时使用", default=None, vocab="disclosures")
    column_type: str = fld("栏目类型", "ColumnType 元数据，如 信息公开、政务动态、办事服务", default="信息公开")
    expected: list[str] = fld("应开设的单位类型", "这些类型的单位必须在本栏目发布（空白栏目检查）",
                              factory=list, vocab="kinds")
    keywords: list[str] = fld("栏目关键词", "ColumnKeywords 元数据", factory=list)
    order: int = fld("排序", "小的在前", default=100)
    portal_only: bool = fld("仅门户主管单位发布", "true 表示只有 portal.yml 的 owner_unit（及在 unit.yml 的 columns 中"
                            "列出本栏目的单位）能在本栏目发布，如首页的要闻", default=False)

    def open_to(self, unit: Unit, owner_unit: str | None) -> bool:
        """Whether a unit may publish in this column (a portal-only column belongs to the portal's owner)."""
        if not self.portal_only or not owner_unit:
            return True
        return unit.id == owner_unit or (unit.columns is not None and self.id in unit.columns)


@dataclass(kw_only=True)
class Article20Item(Term):
    """《政府信息公开条例》第二十条的一项法定主动公开内容."""

    article: str = fld("条款", "如 第二十条第（一）项")
    columns: list[str] = fld("对应栏目", "发布该项内容的栏目编号", factory=list, vocab="columns")


@dataclass(kw_only=True)
class Taxonomy(Record):
    """统一分类体系 (content/taxonomy.yml)."""

    columns: list[Column] = fld("信息公开栏目", "全区统一的栏目，各单位按栏目建目录")
    types: list[Term] = fld("内容类型", "文章类型；policy、interpretation、guide 有专用字段")
    disclosures: list[Term] = fld("五公开类别", "决策、执行、管理、服务、结果公开")
    levels: list[Term] = fld("层级", "区级、街道级、社区级")
    kinds: list[Term] = fld("单位类型", "部门、街道、社区")
    domains: list[Term] = fld("重点领域", "基层政务公开标准化规范化的重点领域")
    topics: list[Term] = fld("主题分类", "国务院公文主题分类")
    statuses: list[Term] = fld("文件有效性", "有效、已修订、已废止、已失效")
    audiences: list[Term] = fld("公开对象", "全社会或特定群体")
    modes: list[Term] = fld("公开方式", "主动公开或依申请公开")
    categories: list[Term] = fld("事项类别", "权责清单或公共服务")
    openness: list[Term] = fld("公开属性", "主动公开、依申请公开、不予公开", factory=list)
    exemptions: list[Term] = fld("不予公开理由", "《政府信息公开条例》第十四条至第十六条规定的理由", factory=list)
    article20: list[Article20Item] = fld("法定主动公开内容", "《政府信息公开条例》第二十条的十五项内容及其对应栏目",
                                         factory=list)
    gongwen: list[str] = fld("公文类内容类型", "须标注公开属性的内容类型（如 政策文件、通知公告、计划规划）",
                             factory=list, vocab="types")
    powers: list[Term] = fld("事项性质（权力类型）", "行政许可、行政处罚、行政确认、公共服务等", factory=list)

    VOCABS: typing.ClassVar[tuple[str, ...]] = (
        "columns", "types", "disclosures", "levels", "kinds", "domains", "topics", "statuses",
        "audiences", "modes", "categories", "openness", "exemptions", "article20", "powers",
    )

    def vocab(self, name: str) -> list[Term]:
        """The terms of one vocabulary by name."""
        return getattr(self, name)

    def term(self, name: str, term_id: str | None) -> Term | None:
        """Look up one term by id (None when absent)."""
        return self._lookup().get((name, term_id))

    def label(self, name: str, term_id: str | None) -> str:
        """The zh label of a term id (the id itself when unknown)."""
        t = self.term(name, term_id)
        return t.name if t else (term_id or "")

    def column(self, column_id: str) -> Column | None:
        """A column by id."""
        return self.term("columns", column_id)  # type: ignore[return-value]

    def _lookup(self) -> dict:
        cache = self.__dict__.get("_cache")
        if cache is None:
            cache = {(v, t.id): t for v in self.VOCABS for t in self.vocab(v)}
            self.__dict__["_cache"] = cache
        return cache


# --------------------------------------------------------------------------- units


@dataclass(kw_only=True)
class Community(Record):
    """社区居委会（在所属街道的 unit.yml 中声明）."""

    id: str = fld("社区编号", "小写字母、数字和连字符，全区唯一，如 chigang-chishaxi", pattern=ID_PATTERN)
    name: str = fld("社区名称", "如 赤沙西社区居委会")
    short_name: str | None = fld("简称", "如 赤沙西社区", default=None)
    aliases: list[str] = fld("曾用名", "更名前的名称", factory=list)
    contact: Contact = fld("联系方式", "电话、地址、办公时间等，显示在页面和页脚", factory=Contact)
    leaders: list[Leader] = fld("负责人", "社区党委书记、居委会主任等", factory=list)
    editors: list[str] = fld("编辑组", "代码仓库中负责本单位内容的用户组，如 @haizhu/chigang", factory=list)


@dataclass(kw_only=True)
class ApplyMethod(Record):
    """依申请公开的一种申请方式."""

    name: str = fld("申请方式", "如 网上申请、信函申请、当面申请、传真申请")
    how: str = fld("办理说明", "向哪里提交、需要提交什么、注意事项")


@dataclass(kw_only=True)
class DisclosureGuide(Record):
    """政府信息公开指南（写在 unit.yml 的 xxgk 下）."""

    office: str = fld("受理机构", "负责本单位政府信息公开工作的机构，如 区发展改革局办公室")
    address: str = fld("地址", "受理申请的办公地址")
    postcode: str = fld("邮政编码", "6位数字", norm=("code",), pattern=r"^\d{6}$")
    hours: str = fld("办公时间", "如 周一至周五 上午9:00-12:00，下午14:00-18:00（法定节假日除外）")
    phone: str = fld("咨询电话", "区号-号码", norm=("code",))
    fax: str | None = fld("传真", "区号-号码", default=None, norm=("code",))
    email: str | None = fld("电子邮箱", "接收申请的邮箱", default=None, norm=("code",))
    online_url: str | None = fld("网上申请地址", "依申请公开网上申请入口，以 https:// 开头", default=None,
                                 pattern=URL_PATTERN)
    methods: list[ApplyMethod] = fld("申请方式", "每种申请方式一项：申请方式和办理说明")
    scope: str | None = fld("主动公开范围", "本单位主动公开的内容和栏目（可选）", default=None)
    fees: str = fld("收费", "如 不收费；申请数量、频次明显超过合理范围的，按规定收取信息处理费",
                    default="不收取费用。申请人申请公开政府信息的数量、频次明显超过合理范围的，"
                    "按照《政府信息公开信息处理费管理办法》收取信息处理费。")
    review_agency: str = fld("行政复议机关", "如 广州市海珠区人民政府")
    court: str = fld("行政诉讼法院", "如 广州铁路运输法院")
    complaint: str | None = fld("投诉举报", "政府信息公开工作主管部门及电话", default=None)
    updated: dt.date = fld("指南更新日期", "如 2026-01-05", norm=("date",))


@dataclass(kw_only=True)
class Article20Exemption(Record):
    """本单位不适用的一项第二十条内容."""

    item: str = fld("内容项", "taxonomy.yml article20 中的编号", vocab="article20")
    reason: str = fld("理由", "为什么本单位没有该项内容，如 本单位无行政收费事项")


@dataclass(kw_only=True)
class Unit(Record):
    """部门或街道 (content/units/<编号>/unit.yml)."""

    name: str = fld("单位全称", "如 广州市海珠区发展和改革局")
    short_name: str | None = fld("简称", "如 区发展改革局", default=None)
    kind: str = fld("单位类型", "department（部门）或 street（街道）", vocab="kinds")
    level: str | None = fld("层级", "默认：部门为区级，街道为街道级", default=None, vocab="levels")
    parent: str | None = fld("上级单位", "单位编号或名称", default=None, vocab="units")
    aliases: list[str] = fld("曾用名", "机构改革前的名称，引用时自动换成本单位编号", factory=list)
    responsibilities: str | None = fld("机构职能", "纯文本，每行显示为一段", default=None)
    leaders: list[Leader] = fld("领导信息", "每位领导一项：姓名、职务、分工", factory=list)
    contact: Contact = fld("联系方式", "电话、地址、办公时间等，显示在页面和页脚", factory=Contact)
    legacy_sites: list[str] = fld("原网站地址", "整合前的网站根地址，用于旧链接跳转", factory=list)
    columns: list[str] | None = fld("应开设栏目", "缺省时按 taxonomy.yml 中栏目的 expected 判断",
                                    default=None, vocab="columns")
    editors: list[str] = fld("编辑组", "代码仓库中负责本单位内容的用户组，如 @haizhu/fgj", factory=list)
    order: int = fld("排序", "单位目录中的顺序，小的在前", default=100)
    communities: list[Community] = fld("下辖社区", "仅街道填写", factory=list)
    xxgk: DisclosureGuide | None = fld("政府信息公开指南", "受理机构、申请方式、处理流程、收费和救济途径；"
                                       "用 portal new 指南 --unit 单位 生成", default=None)
    article20_exempt: list[Article20Exemption] = fld(
        "不适用的法定公开内容", "本单位没有第二十条某项内容时，逐项说明理由（巡查时不再计为缺项）", factory=list)

    # Filled by the pipeline.
    id: str = internal("")
    path: str = internal("")  # content folder, relative to content/

    @property
    def display_name(self) -> str:
        """The name pages show in lists, crumbs and search filters: the short name when there is one."""
        return self.short_name or self.name


# --------------------------------------------------------------------------- catalog (事项清单)


@dataclass(kw_only=True)
class Matter(Record):
    """政务公开事项（事项清单的一行，content/units/<编号>/matters.yml）."""

    id: str = fld("事项编号", "本单位内唯一，如 XK-001", pattern=MATTER_ID_PATTERN, norm=("code",))
    name: str = fld("公开事项名称", "如 企业投资项目备案")
    content: str = fld("公开内容（要素）", "公开哪些要素，如 办事指南、审批结果")
    basis: str = fld("公开依据", "法律法规、规章和规范性文件")
    time_limit: str = fld("公开时限", "如 信息形成或变更之日起20个工作日内")
    subject: str | None = fld("公开主体", "默认为本单位", default=None)
    channels: list[str] = fld("公开渠道和载体", "如 政府网站、政务新媒体、公开查阅点")
    audience: str = fld("公开对象", "全社会 或 特定群体", vocab="audiences")
    mode: str = fld("公开方式", "主动 或 依申请", vocab="modes")
    levels: list[str] = fld("公开层级", "区级、街道级、社区级", vocab="levels")
    disclosure: str = fld("五公开类别", "决策、执行、管理、服务、结果公开之一", vocab="disclosures")
    category: str = fld("事项类别", "权责清单 或 公共服务", vocab="categories")
    domain: str = fld("所属领域", "重点领域之一，见 taxonomy.yml 的 domains", vocab="domains")
    guide: str | None = fld("办事指南", "对应办事指南文章编号，如 fgj/guides/2020-xmba", default=None)
    power: str | None = fld("事项性质", "权力类型：行政许可、行政处罚、公共服务等，见 taxonomy.yml 的 powers",
                            default=None, vocab="powers")
    parent: str | None = fld("所属一级事项", "二级事项填写本单位一级事项的编号，如 XK-001", default=None,
                             pattern=MATTER_ID_PATTERN, norm=("code",))

    unit: str = internal("")
    key: str = internal("")  # global id: unit/id


@dataclass(kw_only=True)
class MatterList(Record):
    """事项清单文件."""

    matters: list[Matter] = fld("事项清单", "每个公开事项一项")


@dataclass(kw_only=True)
class Visit(Record):
    """办事量（content/data/service-visits.csv 的一行）."""

    matter: str = fld("事项", "事项清单中的事项：单位编号/事项编号，如 scjgj/XK-001")
    month: str = fld("月份", "YYYY-MM，如 2026-03", pattern=r"^\d{4}-(0[1-9]|1[0-2])$")
    count: int = fld("办件量", "该月办理或访问次数，非负整数")


@dataclass(kw_only=True)
class Redirect(Record):
    """旧网址跳转（content/redirects.yml 的一项）."""

    old: str = fld("旧网址", "整合前网站上的完整地址，如 http://fgj.haizhu.gov.cn/art.jsp?id=123")
    new: str | None = fld("新地址", "文章编号（单位/栏目/文件名）、单位编号，或门户内以 / 开头的路径", default=None)
    gone: bool = fld("已撤销", "true 表示页面已撤销，旧网址返回 410 并指引到单位的新主页", default=False)
    unit: str | None = fld("所属单位", "已撤销页面所属单位，410 页面指向其新主页", default=None, vocab="units")
    note: str | None = fld("说明", "为什么这样跳转（供审核）", default=None)


@dataclass(kw_only=True)
class RedirectList(Record):
    """旧网址跳转表（content/redirects.yml）."""

    redirects: list[Redirect] = fld("跳转", "每个旧网址一项")


# --------------------------------------------------------------------------- items


@dataclass(kw_only=True)
class Item(Record):
    """文章（Markdown 文件的 front matter）."""

    title: str = fld("标题", "ArticleTitle", max_len=TITLE_MAX)
    type: str | None = fld("内容类型", "缺省为栏目的默认类型", default=None, vocab="types")
    date: dt.datetime = fld("发布日期", "PubDate，如 2019-07-10 或 2019-07-10 09:30", norm=("date",))
    summary: str | None = fld("摘要", "列表和搜索结果中显示的一两句话", default=None)
    source: str | None = fld("信息来源", "ContentSource，缺省为发布单位", default=None)
    author: str | None = fld("作者", "撰稿人或供稿科室", default=None)
    disclosure: str | None = fld("五公开类别", "缺省为栏目的默认类别", default=None, vocab="disclosures")
    domains: list[str] = fld("重点领域", "可填多个，见 taxonomy.yml 的 domains", factory=list, vocab="domains")
    topic: str | None = fld("主题分类", "国务院公文主题分类，如 综合政务", default=None, vocab="topics")
    tags: list[str] = fld("关键词", "用于搜索和相关内容", factory=list)
    featured: bool = fld("首页头条", "true 时作为首页焦点（头条）显示，取最新的一条；都未标注时取最新的要闻",
                         default=False)
    image: str | None = fld("题图",
                            "文章旁边的图片文件（jpg、png、webp 或 svg），作为首页头条时显示；须同时写 image_alt",
                            default=None, pattern=r"[^\s]+\.(jpe?g|png|webp|svg|JPE?G|PNG)")
    image_alt: str | None = fld("题图说明", "用一句话说明图片内容（替代文字），供读屏软件朗读", default=None)
    matters: list[str] = fld("关联事项", "事项清单中的事项编号；他单位事项写 单位编号/事项编号", factory=list)
    attachments: list[Attachment] = fld("附件", "每个附件一项：file（路径）和 title（名称）", factory=list)
    legacy_urls: list[str] = fld("原网址", "整合前旧网站上的地址，用于跳转", factory=list)
    openness: str = fld("公开属性", "主动公开、依申请公开或不予公开（公文类必填项，缺省为主动公开）",
                        default="active", vocab="openness")
    exemption: str | None = fld("不予公开理由", "非主动公开时必填，见 taxonomy.yml 的 exemptions", default=None,
                                vocab="exemptions")

    # Filled by the pipeline.
    id: str = internal("")  # unit/column/slug
    unit: str = internal("")
    column: str = internal("")
    slug: str = internal("")
    body: str = internal("")
    body_line: int = internal(0)
    rel: str = internal("")  # source path relative to content/
    links: list = internal(factory=list)  # (target, line, col, is_image) of the body's links (bodylinks.py)


@dataclass(kw_only=True)
class Policy(Item):
    """政策文件."""

    doc_number: str | None = fld("文号", "如 海府办〔2019〕12号", default=None, norm=("code", "doc_number"))
    index_no: str | None = fld("索引号", "政府信息公开目录索引号，如 007482644/2019-00123", default=None,
                               norm=("code",))
    issued: dt.date | None = fld("成文日期", "文件签发日期", default=None, norm=("date",))
    effective: dt.date | None = fld("施行日期", "文件开始施行的日期", default=None, norm=("date",))
    expires: dt.date | None = fld("失效日期", "有效期届满的日期", default=None, norm=("date",))
    status: str = fld("有效性", "有效、已修订、已废止、已失效", default="valid", vocab="statuses")
    normative: bool = fld("规范性文件", "true 或 false", default=False)
    issuers: list[str] = fld("联合发文单位", "除本单位外的其他发文单位编号或名称", factory=list, vocab="units")
    replaced_by: str | None = fld("修订后文件", "已修订时填写新文件编号", default=None)


@dataclass(kw_only=True)
class Interpretation(Item):
    """政策解读."""

    interprets: str = fld("解读的政策", "政策文件编号，如 fgj/policies/2019-xxx", rule="E202")
    form: str | None = fld("解读形式", "如 文字解读、图文解读、视频解读、专家解读", default=None)


@dataclass(kw_only=True)
class Material(Record):
    """申请材料（写成一行文字时即为材料名称，其余按默认值）."""

    SHORTHAND: typing.ClassVar[str] = "name"

    name: str = fld("材料名称", "如 个体工商户登记（备案）申请书")
    copies: int = fld("份数", "需提交的份数，默认 1", default=1)
    medium: str = fld("介质", "纸质、电子 或 纸质或电子", default="纸质或电子", pattern=r"^(纸质|电子|纸质或电子)$")
    original: str | None = fld("原件或复印件", "原件、复印件 或 原件和复印件", default=None,
                               pattern=r"^(原件|复印件|原件和复印件)$")
    required: bool = fld("是否必需", "true（必需）或 false（视情况提交）", default=True)
    form: str | None = fld("空白表格", "表格文件，相对于本文件所在目录的路径，如 files/shenqingshu.docx", default=None)
    sample: str | None = fld("示例样表", "填写示范文件，相对于本文件所在目录的路径", default=None)
    note: str | None = fld("填报说明", "来源、签章等要求，如 由申请人自备，须加盖公章", default=None)


@dataclass(kw_only=True)
class Step(Record):
    """办理流程的一个环节（写成一行文字时即为环节名称）."""

    SHORTHAND: typing.ClassVar[str] = "name"

    name: str = fld("环节", "如 申请、受理、审查、决定、送达")
    detail: str | None = fld("说明", "本环节由谁做什么", default=None)
    days: int | None = fld("环节时限（工作日）", "本环节的时限，可不填", default=None)


@dataclass(kw_only=True)
class Faq(Record):
    """常见问题."""

    q: str = fld("问题", "群众常问的问题")
    a: str = fld("解答", "简明的解答")


#: 网上办理深度 (1–4) → its zh label (the depth levels of the provincial 网上办事大厅 rules, docs/services.md).
ONLINE_DEPTHS = {1: "信息公开", 2: "在线预约、表格下载", 3: "在线预审、网上申请", 4: "全程网办"}


@dataclass(kw_only=True)
class Guide(Item):
    """办事指南（国办函〔2016〕108号等国家要素；19号要素必填，见 GUIDE_ELEMENTS）."""

    code: str | None = fld("事项编码", "政务服务事项实施编码，如 11440105MB2C90476K4442111001000", default=None,
                           norm=("code",), pattern=r"^[0-9A-Za-z-]{6,40}$")
    power: str | None = fld("事项类型", "权力类型：行政许可、行政确认、公共服务等，见 taxonomy.yml 的 powers",
                            default=None, vocab="powers")
    implementer: str | None = fld("实施主体", "作出决定的机关全称，缺省为发布单位", default=None)
    basis: str | None = fld("设定依据", "法律法规名称及条款", default=None)
    conditions: str | None = fld("受理条件", "谁可以申请、需满足的条件", default=None)
    materials: list[Material] = fld("申请材料", "每种材料一项：name、copies（份数）、medium（介质）、form（表格）、"
                                    "sample（样表）；只写名称时可写成一行文字", factory=list)
    steps: list[Step] = fld("办理流程", "每个环节一项：name、detail", factory=list)
    process: str | None = fld("办理流程（文字）", "旧式写法；请改用 steps 逐环节填写", default=None)
    legal_days: int | None = fld("法定办结时限（工作日）", "法律法规规定的时限，填数字，如 20", default=None)
    promised_days: int | None = fld("承诺办结时限（工作日）", "本单位承诺的时限，填数字，即办件填 0", default=None)
    time_limit: str | None = fld("办理时限（文字）", "补充说明，如 智能审批即时办结", default=None)
    handling: str | None = fld("办件类型", "即办件 或 承诺件", default=None, pattern=r"^(即办件|承诺件)$")
    fees: str | None = fld("收费标准", "不收费时写“不收费”", default=None)
    fee_basis: str | None = fld("收费依据", "收费时填写文件名称和文号", default=None)
    location: str | None = fld("办理地点", "窗口名称和地址", default=None)
    hours: str | None = fld("办理时间", "如 周一至周五 上午9:00-12:00，下午13:30-17:30", default=None)
    phone: str | None = fld("咨询电话", "区号-号码", default=None, norm=("code",))
    complaint_phone: str | None = fld("监督投诉电话", "如 12345", default=None, norm=("code",))
    visits: int | None = fld("到办事现场次数", "0（零跑动）、1（最多跑一次）或更多", default=None)
    tolerance: bool | None = fld("是否容缺受理", "true 或 false；true 时须填写 tolerance_materials", default=None)
    tolerance_materials: list[str] = fld("可容缺材料", "可后补的材料，写 materials 中的材料名称", factory=list)
    appointment: str | None = fld("预约办理", "预约方式，如 粤省事小程序或窗口电话预约", default=None)
    online_url: str | None = fld("网上办理地址", "广东政务服务网等网上办理入口，以 https:// 开头", default=None,
                                 pattern=URL_PATTERN)
    online_depth: int | None = fld("网上办理深度", "1 信息公开、2 在线预约和表格下载、3 在线预审和网上申请、4 全程网办",
                                   default=None)
    faq: list[Faq] = fld("常见问题", "每个问题一项：q（问题）、a（解答）", factory=list)


@dataclass(frozen=True)
class GuideElement:
    """One 办事指南 element of the national lists: the fields that can fill it, and whether 19号 requires it."""

    zh: str
    fields: tuple[str, ...]  # any one filled satisfies the element
    key: bool = False  # a 19号 key element: missing is E302 (an error); otherwise W325 (a warning)


#: The 办事指南 elements, in the order published guides use (sources in docs/services.md). The
#: validator's E302 (19号 key elements) and W325 (the complete list), the inspection's 指南要素 count and the
#: guide page's layout all read this declaration.
GUIDE_ELEMENTS: tuple[GuideElement, ...] = (
    GuideElement("事项名称", ("title",), key=True),
    GuideElement("事项编码", ("code",)),
    GuideElement("事项类型", ("power",)),
    GuideElement("实施主体", ("implementer",)),
    GuideElement("设定依据", ("basis",), key=True),
    GuideElement("受理条件", ("conditions",), key=True),
    GuideElement("申请材料", ("materials",), key=True),
    GuideElement("办理流程", ("steps", "process"), key=True),
    GuideElement("办理时限", ("promised_days", "legal_days", "time_limit"), key=True),
    GuideElement("法定办结时限", ("legal_days",)),
    GuideElement("承诺办结时限", ("promised_days",)),
    GuideElement("办件类型", ("handling",)),
    GuideElement("收费标准", ("fees",), key=True),
    GuideElement("办理地点和时间", ("location",), key=True),
    GuideElement("办理时间", ("hours",)),
    GuideElement("咨询电话", ("phone",), key=True),
    GuideElement("监督投诉电话", ("complaint_phone",)),
    GuideElement("到办事现场次数", ("visits",)),
    GuideElement("是否容缺受理", ("tolerance",)),
    GuideElement("网上办理地址", ("online_url",)),
    GuideElement("网上办理深度", ("online_depth",)),
    GuideElement("常见问题", ("faq",)),
)


def missing_elements(g: Any, named: bool = False) -> tuple[list[str], list[str]]:
    """(19号 key elements missing, other national elements missing) of a guide, by zh name (with `named`, as
    `field（名称）` — the field to fill first)."""
    key: list[str] = []
    other: list[str] = []
    for e in GUIDE_ELEMENTS:
        if not any(_filled(getattr(g, f, None)) for f in e.fields):
            (key if e.key else other).append(f"{e.fields[0]}（{e.zh}）" if named else e.zh)
    return key, other


def _filled(v: Any) -> bool:
    return v is not None and v != "" and v != []


#: 留言类别 and 办理状态: closed lists (the generator's logic depends on them, so they are not taxonomy terms).
MESSAGE_CATEGORIES = ("咨询", "建议", "投诉", "求助", "其他")
MESSAGE_STATUSES = ("已受理", "办理中", "已办结")
CONSULTATION_FORMS = ("意见征集", "问卷调查")


def _choice(values: tuple[str, ...]) -> str:
    return "^(" + "|".join(values) + ")$"


@dataclass(kw_only=True)
class Message(Item):
    """网民留言及答复（标题为来信主题，正文为来信内容；不得公开身份证号码、电话号码等个人信息）."""

    received: dt.date = fld("来信日期", "网民提交留言的日期，如 2026-03-02", norm=("date",))
    handler: str | None = fld("受理单位", "单位编号或名称，缺省为发布单位", default=None, vocab="units")
    category: str = fld("类别", "咨询、建议、投诉、求助、其他之一", default="咨询", pattern=_choice(MESSAGE_CATEGORIES))
    status: str = fld("办理状态", "已受理、办理中、已办结之一", default="已办结", pattern=_choice(MESSAGE_STATUSES))
    replied: dt.date | None = fld("答复日期", "办结答复的日期；已办结时必填", default=None, norm=("date",))
    reply: str | None = fld("答复内容", "答复全文（纯文字，每行一段）；已办结时必填", default=None)


@dataclass(kw_only=True)
class Consultation(Item):
    """意见征集或问卷调查（正文为征集说明；截止后须公开采纳情况）."""

    form: str = fld("形式", "意见征集 或 问卷调查", default="意见征集", pattern=_choice(CONSULTATION_FORMS))
    start: dt.date = fld("开始日期", "征集开始的日期", norm=("date",))
    end: dt.date = fld("截止日期", "征集截止的日期", norm=("date",))
    draft: str | None = fld("征求意见稿", "相对于本文件所在目录的路径，如 files/zqyjg.pdf；作为附件发布", default=None)
    feedback: str | None = fld("采纳情况", "意见收集和采纳情况的说明（纯文字）；截止后须填写", default=None)
    feedback_date: dt.date | None = fld("反馈日期", "公开采纳情况的日期", default=None, norm=("date",))
# --------------------------------------------------------------------------- 年报 (国办公开办函〔2021〕30号)


ROW_HELP = "按申请人类型填写，只写不为 0 的数和总计，如 {natural: 2, total: 2}"
REVIEW_HELP = "结果维持、结果纠正、其他结果、尚未审结和总计，如 {upheld: 1, total: 1}"


def _n(zh: str, help: str = "") -> Any:
    return fld(zh, help or "非负整数，缺省为 0", default=0)


@dataclass(kw_only=True)
class DocRow(Record):
    """年报表二：规章、行政规范性文件的件数."""

    made: int = _n("本年制发件数")
    repealed: int = _n("本年废止件数")
    valid: int = _n("现行有效件数")


@dataclass(kw_only=True)
class ActiveTable(Record):
    """年报表二：主动公开政府信息情况."""

    regulations: DocRow = fld("规章", "第二十条第（一）项", factory=DocRow)
    normative: DocRow = fld("行政规范性文件", "第二十条第（一）项", factory=DocRow)
    licensing: int = _n("行政许可（本年处理决定数量）", "第二十条第（五）项")
    punishment: int = _n("行政处罚（本年处理决定数量）", "第二十条第（六）项")
    enforcement: int = _n("行政强制（本年处理决定数量）", "第二十条第（六）项")
    fees: str = fld("行政事业性收费（本年收费金额，万元）", "第二十条第（八）项，如 0 或 12.5", default="0",
                    pattern=r"^\d{1,9}(\.\d{1,4})?$")


@dataclass(kw_only=True)
class ApplicantRow(Record):
    """年报表三的一行：按申请人类型."""

    natural: int = _n("自然人")
    business: int = _n("商业企业")
    research: int = _n("科研机构")
    ngo: int = _n("社会公益组织")
    legal: int = _n("法律服务机构")
    other: int = _n("其他")
    total: int = _n("总计")

    COLUMNS: typing.ClassVar[tuple[str, ...]] = ("natural", "business", "research", "ngo", "legal", "other")


@dataclass(kw_only=True)
class RequestTable(Record):
    """年报表三：收到和处理政府信息公开申请情况（每行按申请人类型填写）."""

    new: ApplicantRow = fld("一、本年新收政府信息公开申请数量", ROW_HELP, factory=ApplicantRow)
    carried_in: ApplicantRow = fld("二、上年结转政府信息公开申请数量", ROW_HELP, factory=ApplicantRow)
    granted: ApplicantRow = fld("三（一）予以公开", ROW_HELP, factory=ApplicantRow)
    partial: ApplicantRow = fld("三（二）部分公开", "区分处理的，只计这一情形，不计其他情形", factory=ApplicantRow)
    refused_secret: ApplicantRow = fld("三（三）1.属于国家秘密", ROW_HELP, factory=ApplicantRow)
    refused_law: ApplicantRow = fld("三（三）2.其他法律行政法规禁止公开", ROW_HELP, factory=ApplicantRow)
    refused_security: ApplicantRow = fld("三（三）3.危及“三安全一稳定”", ROW_HELP, factory=ApplicantRow)
    refused_third: ApplicantRow = fld("三（三）4.保护第三方合法权益", ROW_HELP, factory=ApplicantRow)
    refused_internal: ApplicantRow = fld("三（三）5.属于三类内部事务信息", ROW_HELP, factory=ApplicantRow)
    refused_process: ApplicantRow = fld("三（三）6.属于四类过程性信息", ROW_HELP, factory=ApplicantRow)
    refused_enforcement: ApplicantRow = fld("三（三）7.属于行政执法案卷", ROW_HELP, factory=ApplicantRow)
    refused_inquiry: ApplicantRow = fld("三（三）8.属于行政查询事项", ROW_HELP, factory=ApplicantRow)
    unable_none: ApplicantRow = fld("三（四）1.本机关不掌握相关政府信息", ROW_HELP, factory=ApplicantRow)
    unable_not_made: ApplicantRow = fld("三（四）2.没有现成信息需要另行制作", ROW_HELP, factory=ApplicantRow)
    unable_unclear: ApplicantRow = fld("三（四）3.补正后申请内容仍不明确", ROW_HELP, factory=ApplicantRow)
    ignored_complaint: ApplicantRow = fld("三（五）1.信访举报投诉类申请", ROW_HELP, factory=ApplicantRow)
    ignored_repeat: ApplicantRow = fld("三（五）2.重复申请", ROW_HELP, factory=ApplicantRow)
    ignored_publication: ApplicantRow = fld("三（五）3.要求提供公开出版物", ROW_HELP, factory=ApplicantRow)
    ignored_excessive: ApplicantRow = fld("三（五）4.无正当理由大量反复申请", ROW_HELP, factory=ApplicantRow)
    ignored_confirm: ApplicantRow = fld("三（五）5.要求行政机关确认或重新出具已获取信息", ROW_HELP,
                                        factory=ApplicantRow)
    other_no_correction: ApplicantRow = fld(
        "三（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                                            ROW_HELP, factory=ApplicantRow)
    other_no_fee: ApplicantRow = fld("三（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
                                     ROW_HELP, factory=ApplicantRow)
    other_other: ApplicantRow = fld("三（六）3.其他", ROW_HELP, factory=ApplicantRow)
    results_total: ApplicantRow = fld("三（七）总计", "办理结果各项之和", factory=ApplicantRow)
    carried_out: ApplicantRow = fld("四、结转下年度继续办理", ROW_HELP, factory=ApplicantRow)

    #: The outcome rows that add up to results_total.
    RESULTS: typing.ClassVar[tuple[str, ...]] = (
        "granted", "partial", "refused_secret", "refused_law", "refused_security", "refused_third",
        "refused_internal", "refused_process", "refused_enforcement", "refused_inquiry", "unable_none",
        "unable_not_made", "unable_unclear", "ignored_complaint", "ignored_repeat", "ignored_publication",
        "ignored_excessive", "ignored_confirm", "other_no_correction", "other_no_fee", "other_other",
    )


@dataclass(kw_only=True)
class ReviewRow(Record):
    """年报表四的一组：结果维持、结果纠正、其他结果、尚未审结、总计."""

    upheld: int = _n("结果维持")
    corrected: int = _n("结果纠正")
    other: int = _n("其他结果")
    pending: int = _n("尚未审结")
    total: int = _n("总计")

    PARTS: typing.ClassVar[tuple[str, ...]] = ("upheld", "corrected", "other", "pending")


@dataclass(kw_only=True)
class ReviewTable(Record):
    """年报表四：政府信息公开行政复议、行政诉讼情况."""

    review: ReviewRow = fld("行政复议", REVIEW_HELP, factory=ReviewRow)
    litigation_direct: ReviewRow = fld("行政诉讼（未经复议直接起诉）", REVIEW_HELP, factory=ReviewRow)
    litigation_after_review: ReviewRow = fld("行政诉讼（复议后起诉）", REVIEW_HELP, factory=ReviewRow)


@dataclass(kw_only=True)
class AnnualTables(Record):
    """年报的固定表格（国办公开办函〔2021〕30号格式）."""

    active: ActiveTable = fld("主动公开政府信息情况", "表二", factory=ActiveTable)
    requests: RequestTable = fld("收到和处理政府信息公开申请情况", "表三", factory=RequestTable)
    reviews: ReviewTable = fld("政府信息公开行政复议、行政诉讼情况", "表四", factory=ReviewTable)


@dataclass(kw_only=True)
class Report(Item):
    """政府信息公开工作年度报告：正文写文字部分，tables 填固定表格."""

    year: int | None = fld("报告年度", "缺省取标题中的年份", default=None)
    tables: AnnualTables | None = fld("年报表格", "国办公开办函〔2021〕30号规定的表二、表三、表四", default=None)


#: item type id → the dataclass holding its front matter (types not listed use Item).
ITEM_CLASSES: dict[str, type[Item]] = {
    "policy": Policy,
    "interpretation": Interpretation,
    "guide": Guide,
    "message": Message,
    "consultation": Consultation,
    "report": Report,
}

# --------------------------------------------------------------------------- 政务新媒体, 校对词表, 专题

PLATFORMS = ("微信公众号", "微博", "抖音", "今日头条", "视频号", "快手", "移动客户端", "其他")
ACCOUNT_STATUSES = ("正常", "暂停更新", "已关停")


@dataclass(kw_only=True)
class Account(Record):
    """政务新媒体账号（content/units/<编号>/newmedia.yml 的一项）."""

    platform: str = fld("平台", "、".join(PLATFORMS) + "之一", pattern=_choice(PLATFORMS))
    name: str = fld("账号名称", "如 海珠发布")
    account_id: str = fld("账号", "微信号、微博 ID、抖音号等", norm=("code",))
    qr: str | None = fld("二维码图片", "相对于本单位目录的路径，如 newmedia/haizhufabu.png", default=None)
    owner: str | None = fld("主办单位", "负责运营的单位编号或名称；不填即为“无主办单位”，巡查时提示", default=None,
                            vocab="units")
    status: str = fld("运营状态", "正常、暂停更新、已关停之一", default="正常", pattern=_choice(ACCOUNT_STATUSES))
    listed: bool = fld("对外公布", "true 时在门户“政务新媒体”页面列出；已关停的账号应改为 false", default=True)
    last_update: dt.date | None = fld("最近更新日期", "账号最近一次发布信息的日期，超过 2 周即提示", default=None,
                                      norm=("date",))
    url: str | None = fld("访问地址", "账号的网页地址（可选），以 https:// 开头", default=None, pattern=URL_PATTERN)


@dataclass(kw_only=True)
class AccountList(Record):
    """政务新媒体账号登记表（content/units/<编号>/newmedia.yml）."""

    accounts: list[Account] = fld("账号", "本单位开设的每个政务新媒体账号一项")

    unit: str = internal("")


WORD_KINDS = ("错别字", "机构名称", "职务名称", "政治表述", "其他")


@dataclass(kw_only=True)
class WordEntry(Record):
    """校对词表的一项：错误写法 → 正确写法."""

    wrong: str = fld("错误写法", "在标题、摘要、正文中查找的文字")
    right: str | None = fld("正确写法", "建议改为的写法；禁用表述可不填", default=None)
    kind: str = fld("类别", "、".join(WORD_KINDS) + "之一", default="错别字", pattern=_choice(WORD_KINDS))
    severity: str = fld("级别", "error（严重错误，检查不通过）或 warning（提示）", default="error",
                        pattern=r"^(error|warning)$")
    note: str | None = fld("依据", "出处或说明，如 机构改革方案、《党政机关公文格式》", default=None)
    allow: list[str] = fld("例外写法", "含错误写法但本身正确的较长写法，如 错误写法“部署”的例外“部署会”", factory=list)


@dataclass(kw_only=True)
class WordList(Record):
    """校对词表（content/wordlist.yml）."""

    words: list[WordEntry] = fld("词条", "每个易错写法一项")


@dataclass(kw_only=True)
class Topic(Record):
    """专题专栏（content/topics/<编号>.yml）：按关键词、领域、单位、栏目或文章清单汇集文章."""

    title: str = fld("专题名称", "如 基层政务公开标准化规范化试点工作专栏", max_len=TITLE_MAX)
    intro: str | None = fld("专题简介", "纯文字，每行一段", default=None)
    banner: str | None = fld("横幅图片", "相对于 content/topics 的路径，如 banners/shidian.png", default=None)
    tags: list[str] = fld("按关键词", "文章的 tags 含其中之一；几个条件同时填写时须同时满足", factory=list)
    domains: list[str] = fld("按重点领域", "文章的 domains 含其中之一", factory=list, vocab="domains")
    units: list[str] = fld("按单位", "这些单位（含其下辖社区）的文章", factory=list, vocab="units")
    columns: list[str] = fld("按栏目", "这些栏目的文章", factory=list, vocab="columns")
    items: list[str] = fld("文章清单", "逐篇收入的文章编号：单位编号/栏目/文件名", factory=list)
    archived: bool = fld("已归档", "true 表示专题已结束，页面长期保留备查", default=False)
    order: int = fld("排序", "专题列表中的顺序，小的在前", default=100)

    id: str = internal("")


#: content file kinds → their root dataclass
FILE_CLASSES: dict[str, type[Record]] = {
    "portal": Portal,
    "taxonomy": Taxonomy,
    "unit": Unit,
    "matters": MatterList,
    "item": Item,
    "visits": Visit,
    "redirects": RedirectList,
    "newmedia": AccountList,
    "wordlist": WordList,
    "topic": Topic,
}


def item_class(type_id: str | None) -> type[Item]:
    """The front-matter dataclass for an item type."""
    return ITEM_CLASSES.get(type_id or "", Item)


# --------------------------------------------------------------------------- introspection


@dataclass(frozen=True)
class FieldSpec:
    """A content field as the validator, normalizer and schema see it."""

    name: str
    zh: str
    help: str
    kind: str  # str | int | bool | date | datetime | list | record | dict
    required: bool
    default: Any
    item_kind: str | None = None  # for lists: str | record
    record: type | None = None  # for record or list-of-record
    vocab: str | None = None
    norm: tuple[str, ...] = ()
    rule: str | None = None
    max_len: int | None = None
    pattern: str | None = None


_SPEC_CACHE: dict[type, dict[str, FieldSpec]] = {}


def _kind_of(tp: Any) -> tuple[str, bool, str | None, type | None]:
    """Map a type hint to (kind, optional, item_kind, record)."""
    optional = False
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        optional = True
        tp = args[0]
        origin = typing.get_origin(tp)
    if origin is list:
        (arg,) = typing.get_args(tp)
        if dataclasses.is_dataclass(arg):
            return "list", optional, "record", arg
        return "list", optional, "str", None
    if origin is dict:
        return "dict", optional, None, None
    if dataclasses.is_dataclass(tp):
        return "record", optional, None, tp
    simple = {str: "str", int: "int", bool: "bool", dt.date: "date", dt.datetime: "datetime"}
    return simple[tp], optional, None, None


def fields_of(cls: type) -> dict[str, FieldSpec]:
    """The content fields of a record class, in declaration order (internal fields excluded)."""
    cached = _SPEC_CACHE.get(cls)
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls)
    specs: dict[str, FieldSpec] = {}
    for f in dataclasses.fields(cls):
        if f.metadata.get("internal"):
            continue
        kind, optional, item_kind, record = _kind_of(hints[f.name])
        has_default = f.default is not MISSING or f.default_factory is not MISSING
        default = f.default if f.default is not MISSING else None
        specs[f.name] = FieldSpec(
            name=f.name, zh=f.metadata["zh"], help=f.metadata.get("help", ""), kind=kind,
            required=not has_default, default=default, item_kind=item_kind, record=record,
            vocab=f.metadata.get("vocab"), norm=tuple(f.metadata.get("norm", ())),
            rule=f.metadata.get("rule"), max_len=f.metadata.get("max_len"),
            pattern=f.metadata.get("pattern"),
        )
        del optional  # optionality is expressed by the default
    _SPEC_CACHE[cls] = specs
    return specs


def all_record_classes() -> list[type]:
    """Every dataclass reachable from the file classes (for meta-tests and docs)."""
    seen: list[type] = []
    todo: list[type] = [*FILE_CLASSES.values(), *ITEM_CLASSES.values()]
    while todo:
        cls = todo.pop(0)
        if cls in seen:
            continue
        seen.append(cls)
        for spec in fields_of(cls).values():
            if spec.record is not None:
                todo.append(spec.record)
    return seen
