"""Values a question may ask for (a phone number, an e-mail address, a price) and what they look like."""

from __future__ import annotations

import re

_FEE = r"(?:\b(?:fees?|prices?|charges?|costs?|pay|paid|payment|subscriptions?|plans?|trial)\b|费用|收费|付费|价格|试用|套餐)"
_FREE = r"(?:\bfree\b|免费)"
# "What is…" in the European languages the duration pattern reads (es, fr, de, it, pt).
_WHAT_IS = r"(?:cu[áa]l(?:es)? (?:es|son)|quel(?:le)?s? (?:est|sont)|wie (?:lautet|lauten)|was ist|qual(?:i)? (?:[èée]|sono|s[ãa]o))"

# Questions that ask for a specific kind of value, and what such a value looks like in a clause.
# An answer without any such value does not answer them ("What is their phone number?").
_WANTS = {
    "phone": (
        re.compile(
            r"(?i)\bwhat(?:'s| is| are)\b[^?]{0,40}\b(phone|telephone|hotline|contact number)"
            r"|\b(phone|telephone) (number|no)\.? (of|to call)\b|\bhow (can|do) i (call|phone|ring)\b|\bnumber to call\b"
            r"|电话号码是|电话是|电话.{0,6}多少|热线是|打什么电话"
            rf"|{_WHAT_IS}\b[^?]{{0,40}}(tel[ée]fono|t[ée]l[ée]phone|telefon|telefone)"
        ),
        re.compile(r"\d[\d\s()+-]{6,}\d"),
    ),
    "email": (
        re.compile(
            r"(?i)\bwhat(?:'s| is| are)\b[^?]{0,40}\be-?mail\b(?! me)|\be-?mail address(es)? (of|to write to)\b"
            r"|邮箱是|邮箱地址是|邮箱.{0,4}多少"
            rf"|{_WHAT_IS}\b[^?]{{0,40}}(correo|e-?mail|courriel|posta elettronica)"
        ),
        re.compile(r"\S+@\S+\.\w+"),
    ),
    "price": (
        re.compile(
            r"(?i)\bwhat(?:'s| is| are)\b[^?]{0,30}\b(price|prices|pricing|cost)\b"
            r"|\bhow much (does|do|is|are|will|would)\b[^?]{0,40}\b(cost|charge|be|pay)"
            r"|费用是多少|价格是|多少钱|收费标准是"
            r"|cu[áa]nto (cuesta|cuestan|vale|valen|cobran?)|combien (co[ûu]te|co[ûu]tent|faut-il payer)"
            r"|wie ?viel (kostet|kosten)|was kostet|quanto (costa|costano|custa|custam)"
            rf"|{_WHAT_IS}\b[^?]{{0,30}}\b(precios?|prix|tarifs?|preise?|prezz[oi]|pre[çc]os?)\b"
        ),
        re.compile(
            r"(?i)[$€£¥]\s?\d|\d+(?:[.,]\d+)?\s?(usd|eur|euros?|dollars?|cents?|rmb|yuan)\b"
            r"|\d+(?:\.\d+)?\s?(元|美元|人民币)"
            # "Free" is a price only in a sentence about fees: "content anyone may use for free" is not.
            rf"|{_FEE}[^.;。；\n]{{0,80}}{_FREE}|{_FREE}[^.;。；\n]{{0,80}}{_FEE}"
        ),
    ),
    # "How long…?" is answered by a period ("within 15 days") or by words ("as long as necessary"): within
    # a long clause the sentence with a period is quoted first, but the clauses keep their order and one
    # without any period is no reason to decline.
    "duration": (
        re.compile(
            r"(?i)\bhow long\b|\bhow many (business |working |calendar )?(days|weeks|months|years|hours)\b"
            r"|\bwithin what (time|period)\b|多久|多长时间|几天|多少天|多少个工作日"
            r"|cu[áa]nto tiempo|cu[áa]ntos d[íi]as|combien de (temps|jours)|wie lange|wie viele tage|innerhalb welcher frist"
            r"|quanto tempo|quantos dias|quanti giorni|entro quanto"
        ),
        re.compile(
            r"(?i)\b\d+\s*(?:\)\s*)?(?:business |working |calendar )?(?:days?|weeks?|months?|years?|hours?|minutes?)\b"
            r"|\b(?:one|two|three|four|five|six|seven|ten|fifteen|thirty|sixty|ninety)\s+(?:\(\d+\)\s+)?"
            r"(?:business |working |calendar )?(?:days?|weeks?|months?|years?|hours?)\b"
            r"|(?<!\d)(?:\d{1,3}|[一二三四五六七八九十]+)\s*(?:个)?(?:工作日|天|日内|个月|年|小时|分钟)"  # not "2024年"
            r"|\b\d+\s*(?:d[íi]as|jours|tage[n]?|giorni|semanas|semaines|wochen|settimane|meses|mois|monate[n]?|mesi"
            r"|a[ñn]os|ans|jahre[n]?|anni|horas|heures|stunden|ore)\b"
        ),
    ),
}
SOFT = frozenset({"duration"})  # asked for, but an answer without one still answers


def asked_value(question: str) -> str | None:
    """The kind of value a question asks for ("What is their phone number?" -> "phone"), if any."""
    return next((kind for kind, (asks, _) in _WANTS.items() if asks.search(question)), None)


def contains_value(kind: str, text: str) -> bool:
    """Whether text holds a value of this kind ("phone", "email", "price")."""
    return _WANTS[kind][1].search(text) is not None


def value_pattern(kind: str) -> re.Pattern[str]:
    """What a value of this kind looks like in a clause."""
    return _WANTS[kind][1]
