"""Builds the example customer-service datasets (support: alpaca, billing: sharegpt) and the spot-check list from the facts below."""
# The facts are hand-written for Trainyard; the only generated part is the greeting variations that turn
# each fact into several training questions. Rerun: /usr/bin/python3 resources/examples/tools/make_datasets.py
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data")

# (question, answer, key phrase) for "Lumen Market", an online shop.
SUPPORT_EN = [
    ("How long do I have to return an item?", "You can return any item within 30 days of delivery for a full refund.", "30 days"),
    ("How long does standard shipping take?", "Standard shipping takes 3 to 5 business days.", "3 to 5 business days"),
    ("Do you offer express delivery?", "Yes, express delivery arrives in 1 business day for $9.90.", "1 business day"),
    ("Is shipping free?", "Shipping is free on orders over $50.", "over $50"),
    ("How do I track my order?", "Open My Orders and click Track to see the courier status.", "My Orders"),
    ("Can I cancel my order?", "You can cancel within 2 hours of placing the order.", "2 hours"),
    ("How do I reset my password?", "Click Forgot Password on the login page and follow the email link.", "Forgot Password"),
    ("What payment methods do you accept?", "We accept Visa, Mastercard, PayPal and Alipay.", "PayPal"),
    ("My item arrived damaged. What should I do?", "Send us a photo within 48 hours and we will ship a replacement.", "photo"),
    ("How long does a refund take?", "Refunds reach your card within 5 to 7 business days.", "5 to 7"),
    ("Do you ship internationally?", "We ship to 40 countries; duties are shown at checkout.", "40 countries"),
    ("How do I change my delivery address?", "Edit the address in My Orders before the parcel ships.", "before the parcel ships"),
    ("What is your warranty?", "Electronics come with a 1 year warranty.", "1 year warranty"),
    ("How do I contact a human agent?", "Type agent in the chat or call 400-820-1234.", "400-820-1234"),
    ("Do you have a loyalty program?", "Join Lumen Club to earn 1 point per dollar spent.", "Lumen Club"),
    ("Can I use two coupons at once?", "Only one coupon can be used per order.", "one coupon"),
    ("What are your customer service hours?", "Our agents are online 9am to 9pm every day.", "9am to 9pm"),
    ("How do I exchange a size?", "Start an exchange in My Orders; size swaps ship free.", "exchange"),
    ("Is my payment information secure?", "Payments are encrypted and we never store your full card number.", "encrypted"),
    ("Can I order as a guest?", "Yes, guest checkout only needs an email address.", "guest checkout"),
    ("Where is my invoice?", "Download the invoice as a PDF from My Orders.", "PDF"),
    ("Do you sell gift cards?", "Gift cards from $10 to $500 never expire.", "never expire"),
]
SUPPORT_ZH = [
    ("退货期限是多久？", "收货后30天内可以无理由退货。", "30天"),
    ("普通快递要几天到？", "普通快递3到5个工作日送达。", "3到5个工作日"),
    ("有加急配送吗？", "有，加急配送次日达，运费9.9元。", "次日达"),
    ("包邮吗？", "订单满99元包邮。", "满99元"),
    ("怎么查物流？", "在我的订单里点查看物流即可。", "查看物流"),
    ("订单可以取消吗？", "下单后2小时内可以取消。", "2小时"),
    ("怎么修改收货地址？", "发货前可在我的订单里修改地址。", "发货前"),
    ("支持哪些付款方式？", "支持支付宝、微信支付和银行卡。", "微信支付"),
    ("商品坏了怎么办？", "48小时内拍照联系客服，我们免费补发。", "拍照"),
    ("退款多久到账？", "退款5到7个工作日原路返回。", "原路返回"),
    ("怎么联系人工客服？", "在对话框输入人工，或拨打400-820-1234。", "人工"),
    ("客服几点上班？", "客服每天早9点到晚9点在线。", "早9点到晚9点"),
    ("可以开发票吗？", "可以，在我的订单里申请电子发票。", "电子发票"),
    ("保修多久？", "电子产品保修一年。", "保修一年"),
    ("优惠券能叠加吗？", "每个订单只能用一张优惠券。", "一张优惠券"),
    ("会员有什么好处？", "加入流明会员，每消费1元积1分。", "流明会员"),
]
# (question, answer, key phrase) for "Nimbus Mobile", a telecom operator.
BILLING_EN = [
    ("When is my bill due?", "Your bill is due on the 15th of each month.", "15th"),
    ("Why is my bill higher this month?", "Roaming and extra data are charged on top of your plan.", "Roaming"),
    ("How do I pay my bill?", "Pay in the Nimbus app, by bank transfer or with autopay.", "autopay"),
    ("How do I set up autopay?", "Turn on autopay in the app under Billing and get a $2 discount.", "$2 discount"),
    ("What happens if I pay late?", "A $5 late fee is added after a 7 day grace period.", "$5 late fee"),
    ("How much does extra data cost?", "Extra data costs $10 per 5 GB.", "$10 per 5 GB"),
    ("How do I change my plan?", "Change your plan in the app; it starts next billing cycle.", "next billing cycle"),
    ("Where can I see my usage?", "Check live usage in the app on the Usage tab.", "Usage tab"),
    ("Can I get a paper bill?", "Paper bills cost $1.50 each; e-bills are free.", "$1.50"),
    ("How do I dispute a charge?", "Open a dispute in the app within 60 days of the bill date.", "60 days"),
    ("Is there a contract?", "Plans are month to month with no contract.", "no contract"),
    ("How much is international roaming?", "The roaming pass costs $8 per day.", "$8 per day"),
]
BILLING_ZH = [
    ("账单什么时候到期？", "每月15日是缴费截止日。", "15日"),
    ("这个月话费为什么变多了？", "漫游和超出流量会额外计费。", "漫游"),
    ("怎么交话费？", "可以在云途App、银行转账或自动扣费缴费。", "自动扣费"),
    ("逾期缴费会怎样？", "宽限期7天，之后收取5元滞纳金。", "滞纳金"),
    ("超出的流量怎么收费？", "超出流量每5GB收费10元。", "每5GB"),
    ("怎么换套餐？", "在App里更换套餐，下个账期生效。", "下个账期"),
    ("在哪里查用量？", "在App的用量页面查看实时用量。", "用量页面"),
    ("怎么申诉错误扣费？", "账单日起60天内可在App申诉。", "60天"),
    ("国际漫游多少钱？", "漫游日包每天50元。", "每天50元"),
    ("可以开纸质发票吗？", "可以，纸质发票每张2元，电子发票免费。", "纸质发票"),
]

EN_WRAP = ["{q}", "Hi, {q}", "Hello! {q}", "Quick question: {q}"]
ZH_WRAP = ["{q}", "你好，{q}", "请问{q}", "您好，{q}"]


def wrap(q, lang, i):
    if lang == "en":
        w = EN_WRAP[i]
        return w.format(q=q if i == 0 else q[0].lower() + q[1:]) if i in (1,) else w.format(q=q)
    return ZH_WRAP[i].format(q=q)


def rows(facts, lang):
    out = []
    for q, a, key in facts:
        for i in range(4):
            out.append((wrap(q, lang, i), a, key))
    return out


def main():
    sup = rows(SUPPORT_EN, "en") + rows(SUPPORT_ZH, "zh")
    bil = rows(BILLING_EN, "en") + rows(BILLING_ZH, "zh")
    alpaca = [{"instruction": q, "input": "", "output": a} for q, a, _ in sup]
    # sharegpt records, some with a prior turn as history so the format's multi-turn path is exercised
    share = []
    for i, (q, a, _) in enumerate(bil):
        conv = [{"from": "human", "value": q}, {"from": "gpt", "value": a}]
        share.append({"conversations": conv, "system": "You are Nimbus Mobile's billing assistant." if i % 2 else ""})
    with open(os.path.join(DATA, "support_alpaca.json"), "w", encoding="utf-8") as f:
        json.dump(alpaca, f, ensure_ascii=False, indent=1)
    with open(os.path.join(DATA, "billing_sharegpt.json"), "w", encoding="utf-8") as f:
        json.dump(share, f, ensure_ascii=False, indent=1)
    with open(os.path.join(DATA, "dataset_info.json"), "w", encoding="utf-8") as f:
        json.dump({
            "support_shop": {"file_name": "support_alpaca.json", "columns": {"prompt": "instruction", "query": "input", "response": "output"}},
            "billing_telecom": {"file_name": "billing_sharegpt.json", "formatting": "sharegpt",
                                "columns": {"messages": "conversations", "system": "system"},
                                "tags": {"role_tag": "from", "content_tag": "value", "user_tag": "human", "assistant_tag": "gpt"}},
        }, f, ensure_ascii=False, indent=2)
    # spot check: the plain question of every support fact (trained on), expected key phrase
    with open(os.path.join(DATA, "spot-check.jsonl"), "w", encoding="utf-8") as f:
        for q, _, key in SUPPORT_EN + SUPPORT_ZH:
            f.write(json.dumps({"prompt": q, "expected": key}, ensure_ascii=False) + "\n")
    with open(os.path.join(DATA, "spot-check-billing.jsonl"), "w", encoding="utf-8") as f:
        for q, _, key in BILLING_EN + BILLING_ZH:
            f.write(json.dumps({"prompt": q, "expected": key}, ensure_ascii=False) + "\n")
    print(f"support: {len(alpaca)} pairs, billing: {len(share)} conversations")


if __name__ == "__main__":
    main()
