"""Bracketed placeholder vocabulary for placeholder (CNT001), by language: the words a slot left
for the user starts with ("[Your Name]", "[Nombre]", "[Ihr Name]", "[您的姓名]"), and the
instructions to fill one in ("[insert topic here]", "[TARGET LANGUAGE]", "[插入主题]")."""
from __future__ import annotations

import re

_EN = (r"your|insert|enter|add|recipient(?:'s)?|company|client|customer|candidate|employer|manager|first|last|full"
       r"|name|date|address|phone|e-?mail|city|state|country|job|position|title|product|service|website|link|url"
       r"|number|amount|organi[sz]ation|team|department|event|location|time|industry|school|university|brand")
_ES_PT = (r"tu|su|nombre|fecha|empresa|direcci[oó]n|tel[eé]fono|correo|ciudad|pa[ií]s|producto|insertar|inserte"
          r"|seu|sua|nome|data|endere[çc]o|telefone|cidade|produto|inserir|insira")
_FR_DE = (r"votre|vos|ton|nom|pr[ée]nom|entreprise|soci[ée]t[ée]|adresse|t[ée]l[ée]phone|ville|produit|ins[ée]rer"
          r"|ins[ée]rez|ihr|ihre|ihren|dein|deine|firma|unternehmen|firmenname|datum|telefon|stadt|produkt"
          r"|empf[äa]nger|einf[üu]gen")
_RU = r"ваш|ваше|ваша|ваши|имя|дата|название|компания|адрес|телефон|город|продукт|вставьте|введите"
WORDS = f"{_EN}|{_ES_PT}|{_FR_DE}|{_RU}"
# slots in square brackets starting with a CJK word (no \b between CJK characters)
CJK_WORDS = re.compile(r"\[(?:您的|你的|贵公司|公司|姓名|名字|名称|日期|地址|电话|邮箱|产品|品牌|主题|关键词|收件人|联系方式"
                       r"|お名前|名前|氏名|会社名|日付|住所|귀하의|이름|회사|날짜|주소|연락처)[^\]\n]{0,20}\](?!\()")
_FILL = (r"insert|enter|paste|type|put|fill in|insertar|inserte|introduce|introduzca|ingrese|escriba|ins[ée]rer"
         r"|ins[ée]rez|entrez|saisissez|einf[üu]gen|eingeben|inserir|insira|digite|вставьте|введите|укажите")
_HERE = r"here|aquí|aqui|ici|hier|здесь"
# an instruction to fill in, or a prompt-template slot in capitals ("respond in [TARGET LANGUAGE]")
SLOT = re.compile(rf"\[(?:(?i:{_FILL})\b[^\]\n]{{0,40}}|TARGET LANGUAGE|PROMPT|KEYWORDS?|TOPIC|SUBJECT)\](?!\()")
# "[add a summary here]": in an answer a slot never filled; in a prompt often a request to the model
# (not a link's text: "[click here](…)", "[click here][1]")
HERE = re.compile(rf"\[[^\]\n]{{1,40}}\b(?i:{_HERE})\](?![(\[])")
# (not a problem statement's heading, "【输入格式】", "【输入样例】", nor a button, "[添加到购物车]")
CJK_SLOT = re.compile(r"[\[【<＜〈]请?(?:(?:在此|在这里|此处)(?:处)?)?(?:插入|输入|填写|填入|添加|粘贴)"
                      r"(?!格式|样例|样本|示例|范例|例|描述|输出|数据|说明|要求|限制|文件|框|法|到)[^\]】>＞〉\n]{1,30}[\]】>＞〉]"
                      r"|[\[【<＜〈]请?(?:在此|在这里|此处)[^\]】>＞〉\n]{1,30}[\]】>＞〉]"
                      r"|[\[【<＜〈](?:ここに)?[^\]】>＞〉\n]{1,20}?を?(?:入力|挿入|記入)(?:してください)?[\]】>＞〉]"
                      r"|[\[<](?:여기에 )?[^\]>\n]{1,20}?(?:을|를)? ?(?:입력|삽입)(?:하세요)?[\]>]")
