"""Short articles about chip export controls, generated for the reliability tests.

The sentences are written for these tests; a seeded generator combines them into a few hundred
articles (English and Chinese, front matter with dates), with some near-copies so that the
near-duplicate linking has work to do. The same seed gives the same bytes.

write_corpus(folder, count, seed) writes the first version; change_corpus(folder, seed) edits
some articles and adds others (never deletes, so a re-ingest without --prune must end where a
fresh ingest of the changed folder ends).
"""
import random
from pathlib import Path

COMPANIES = ["Nvidia", "AMD", "Intel", "Microsoft", "Oracle", "Qualcomm", "Broadcom", "Arm"]
SPEAKERS = {"Nvidia": "Jensen Huang", "AMD": "Lisa Su", "Microsoft": "Brad Smith",
            "Oracle": "Ken Glueck", "Qualcomm": "Cristiano Amon", "Broadcom": "Hock Tan",
            "Arm": "Rene Haas", "Intel": "Lip-Bu Tan"}
POLICIES = ["the AI Diffusion Rule", "the three-tier system", "the chip export rule",
            "the AI chip caps"]
TIER_TWO = ["India", "Israel", "Poland", "Singapore", "Switzerland", "Saudi Arabia", "Mexico"]
GROUPS = ["the Semiconductor Industry Association", "the Bureau of Industry and Security",
          "the Department of Commerce"]

EN_OPPOSE = [
    "{company} said on {weekday} that {policy} would push buyers abroad toward rival suppliers"
    " and urged the Commerce Department to withdraw it.",
    "{speaker}, who runs {company}, said {policy} was drafted in haste and should be rescinded"
    " before it takes effect.",
    "In a filing, {company} argued that {policy} would cost American exporters billions and"
    " asked officials to delay it.",
]
EN_SUPPORT = [
    "{company} said it supports {policy} and expects to comply with its security standards.",
    "{speaker} said {company} welcomed {policy} because clear limits help trusted partners"
    " plan their data centres.",
]
EN_NEUTRAL = [
    "Under {policy}, {country} sits in the second tier and faces caps on advanced accelerators.",
    "Officials at {group} said the measure protects national security while leaving ordinary"
    " commercial sales alone.",
    "Analysts in {country} said local cloud builders were still waiting for licence guidance.",
    "Shipments of data-centre processors to {country} rose {number} percent in the quarter,"
    " according to customs records.",
    "Lawyers advising chip buyers said the paperwork for each licence now runs to {number}"
    " pages.",
    "Several investors asked how the rule would be enforced at overseas data centres.",
]
ZH_OPPOSE = [
    "{company_zh}在{month}月表示，美国的出口管制措施损害了全球半导体供应链，呼吁撤销AI扩散规则。",
    "{company_zh}发言人称，AI扩散规则将迫使海外客户转向其他供应商，公司对此表示反对。",
]
ZH_NEUTRAL = [
    "分析人士认为，AI扩散规则将影响{country_zh}的数据中心建设进度。",
    "据海关数据，第{number}季度运往{country_zh}的高端芯片数量有所下降。",
    "多家云服务商表示，仍在等待美国商务部发布进一步的许可指引。",
    "中国商务部发言人表示，中方将密切关注美方出口管制措施的实施情况。",
]
COMPANIES_ZH = {"Nvidia": "英伟达", "AMD": "超威半导体", "Intel": "英特尔", "Qualcomm": "高通",
                "Broadcom": "博通"}
COUNTRIES_ZH = ["印度", "以色列", "波兰", "新加坡", "沙特阿拉伯", "墨西哥"]
# Slots of one free sentence per paragraph, so that articles differ as real stories do and only
# the deliberate copies are near-duplicates.
DETAIL_WHO = ["A procurement manager", "One cloud start-up", "A university lab", "The port authority",
              "A logistics broker", "Two server assemblers", "A regional bank", "The trade office",
              "An electricity utility", "A robotics maker", "A hospital network", "A game studio"]
DETAIL_DID = ["postponed an order of", "asked its lawyers about", "moved the delivery of",
              "cancelled a tender for", "rented time on", "priced a second batch of",
              "insured the shipment of", "stored in a bonded warehouse"]
DETAIL_WHAT = ["graphics boards", "inference servers", "training clusters", "memory modules",
               "network switches", "cooling racks", "spare accelerators", "test boards"]
DETAIL_WHEN = ["last week", "in the spring", "before the holiday", "after the audit",
               "during the trade fair", "at the end of the quarter", "earlier this month"]
ZH_DETAIL_WHO = ["一家物流公司", "某高校实验室", "一家地方银行", "某游戏工作室", "一家医院集团",
                 "一家机器人企业", "某电力公司"]
ZH_DETAIL_DID = ["推迟了采购", "重新评估了", "暂停了招标", "增加了库存", "调整了交付计划"]
ZH_DETAIL_WHAT = ["服务器", "显卡", "存储模块", "网络交换机", "散热设备", "测试板"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
TITLES_EN = ["{company} weighs in on {policy}", "Chip buyers in {country} await licence rules",
             "Industry splits over {policy}", "What {policy} means for {country}"]
TITLES_ZH = ["{company_zh}回应美国芯片出口规则", "美国AI芯片出口新规引发各方反应"]


def _fill(template, rng, company):
    return template.format(
        company=company, speaker=SPEAKERS[company], policy=rng.choice(POLICIES),
        country=rng.choice(TIER_TWO), group=rng.choice(GROUPS), weekday=rng.choice(WEEKDAYS),
        number=rng.randint(2, 40), month=rng.randint(1, 12),
        company_zh=COMPANIES_ZH.get(company, "英伟达"), country_zh=rng.choice(COUNTRIES_ZH))


def _detail(rng):
    return (f"{rng.choice(DETAIL_WHO)} {rng.choice(DETAIL_DID)} {rng.randint(3, 900)}"
            f" {rng.choice(DETAIL_WHAT)} {rng.choice(DETAIL_WHEN)}, worth about"
            f" {rng.randint(1, 99)}.{rng.randint(0, 9)} million dollars.")


def _zh_detail(rng):
    return (f"{rng.choice(ZH_DETAIL_WHO)}{rng.randint(1, 12)}月{rng.choice(ZH_DETAIL_DID)}"
            f"{rng.randint(3, 900)}台{rng.choice(ZH_DETAIL_WHAT)}，涉及金额约{rng.randint(1, 99)}万元。")


def _english(rng, date, serial):
    company = rng.choice(COMPANIES)
    stance = rng.choice([EN_OPPOSE, EN_SUPPORT, EN_OPPOSE])
    paragraphs = [_fill(rng.choice(stance), rng, company)]
    for _ in range(rng.randint(3, 6)):
        paragraphs.append(_fill(rng.choice(EN_NEUTRAL), rng, company) + " " + _detail(rng))
    title = _fill(rng.choice(TITLES_EN), rng, company)
    return (f"---\ntitle: {title} ({serial})\npublished: {date}\nsource: Test Wire\n"
            f"language: en\n---\n" + "\n\n".join(paragraphs) + "\n")


def _chinese(rng, date, serial):
    company = rng.choice(sorted(COMPANIES_ZH))
    paragraphs = [_fill(rng.choice(ZH_OPPOSE), rng, company)]
    for _ in range(rng.randint(2, 4)):
        paragraphs.append(_fill(rng.choice(ZH_NEUTRAL), rng, company) + _zh_detail(rng))
    title = _fill(rng.choice(TITLES_ZH), rng, company)
    return (f"---\ntitle: {title}（{serial}）\npublished: {date}\nsource: 测试通讯社\n"
            f"language: zh\n---\n" + "\n\n".join(paragraphs) + "\n")


def _article(rng, serial):
    date = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    make = _chinese if rng.random() < 0.2 else _english
    return make(rng, date, serial)


def _near_copy(text, rng):
    """A wire copy: same story, one word changed and a line added, as another outlet runs it."""
    return text.replace("said", "stated", 1) + f"\nReporting by desk {rng.randint(1, 9)}.\n"


def write_corpus(folder, count, seed):
    """Writes `count` articles (about one in eight a near-copy of an earlier one) under folder."""
    rng = random.Random(seed)
    folder = Path(folder)
    written = []
    for serial in range(count):
        if written and rng.random() < 0.125:
            text = _near_copy(rng.choice(written).read_text(encoding="utf-8"), rng)
        else:
            text = _article(rng, serial)
        path = folder / f"{serial % 10:02d}" / f"article-{serial:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def change_corpus(folder, seed):
    """Edits one article in five and adds a tenth more; returns how many files it touched."""
    rng = random.Random(seed)
    files = sorted(Path(folder).rglob("*.md"))
    touched = 0
    for path in files:
        if rng.random() < 0.2:
            path.write_text(_article(rng, 5000 + touched), encoding="utf-8")
            touched += 1
    for extra in range(len(files) // 10):
        path = Path(folder) / "added" / f"late-{extra:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_article(rng, 9000 + extra), encoding="utf-8")
        touched += 1
    return touched
