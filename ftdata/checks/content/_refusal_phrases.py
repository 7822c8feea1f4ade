"""Refusal and AI-disclaimer phrasings for refusal (CNT003), one compiled pattern per kind and
language family: Latin script (English, Spanish, French, German, Portuguese), Cyrillic (Russian)
and CJK (Chinese, Japanese, Korean). Each family has a cheap gate: a literal every match of it
contains, or its script, so an English answer never runs the other families' patterns."""
from __future__ import annotations

import re

_A = "['’]"  # straight or curly apostrophe
# -- English ------------------------------------------------------------------------------------
# "can't" needs an assistant's verb after it ("I can't make it to the party" is not a refusal);
# "not allowed / programmed to" and "must decline" refuse whatever follows
_CANT = (rf"(?:I (?:cannot|can ?not|can{_A}t|won{_A}t|will not|am (?:currently )?(?:unable|not able) to|"
         rf"(?:currently )?(?:do not|don{_A}t) have the (?:ability|capability|means) to)"
         rf"|I{_A}m (?:currently )?(?:unable|not able) to)")
_HARD = (rf"(?:I must decline to|I am not (?:allowed|permitted|programmed|designed) to"
         rf"|I{_A}m not (?:allowed|permitted|programmed|designed) to)")
# what an assistant is asked to do (a drafted letter's "I'm afraid I can't attend" is no refusal)
DO_CORE = (r"help|assist|provide|comply|fulfil+|complete|answer|respond|create|generate|write|produce|"
           r"do (?:that|this)|engage|support|condone|endorse|promote|participate")
# where the answer speaks in the user's voice, only a refusal of the writing itself
OWN_VOICE = (r"write|create|generate|produce|compose|draft|comply|fulfil+|assist|help (?:you )?with (?:that|this|your)|"
             r"do (?:that|this)|provide (?:that|this|such|content|information)")
# capability verbs, not an agent's ("I'm sorry, but I can't offer a refund" is a support policy)
DO_MORE = r"browse|access|retrieve|predict|display|draw|view|fetch|perceive|physically"
_ADVERB = r"(?:(?:really|directly|currently|personally|actually|physically|fully|legally|ethically) )?"
# ... nor an agent's policy on a customer's business ("I can't provide a refund", "I'm unable to
# complete your order", "I cannot access your account")
_BUSINESS = (r"(?! (?:(?:a|an|the|your|any|this|that|these|those|another|more|further) )?(?:(?:full|partial|new|cash) )?"
             r"(?:refunds?|replacements?|discounts?|exchanges?|compensation|credits?|reimbursements?|accounts?|orders?|"
             r"bookings?|reservations?|subscriptions?|payments?|transactions?|billing|invoices?|passwords?|"
             r"deliver(?:y|ies)|shipping|returns?|cancellations?|upgrades?|warrant(?:y|ies))\b)")


def english_refusal(verbs: str) -> re.Pattern[str]:
    return re.compile(
        rf"\bI(?:{_A}m| am) (?:sorry|afraid),? (?:but )?(?:as an AI[^,.]{{0,30}}, )?"
        rf"(?:{_HARD}|{_CANT} {_ADVERB}(?:{verbs})\b{_BUSINESS})"
        # not the idioms "I can't help but…", "I cannot help feeling…"
        rf"|\b{_HARD}|\b{_CANT} {_ADVERB}(?:{verbs})\b{_BUSINESS}(?! but\b|(?<=help) (?!(?:any|some|no|every)thing)\w+ing\b)"
        rf"|\bI (?:apologi[sz]e|must apologi[sz]e),? but (?:I (?:can|am|won|will|must)|as an AI)"
        rf"|\bI(?:{_A}m| am) not comfortable (?:with |to )?(?:help|assist|provid|answer|compl|fulfil|writ|creat)"
        r"|\bI must (?:respectfully )?(?:decline|refuse)\b"
        r"|\b(?:against|violates?) my (?:programming|guidelines|policies|ethical guidelines)\b"
        rf"|\bit(?:{_A}s| is) not (?:appropriate|ethical) for me to\b", re.IGNORECASE)


_AI = (r"(?:an? )?(?:AI|artificial intelligence|large language model|language model|LLM|AI language model|"
       r"AI assistant|AI model|chatbot)")
_LIMIT = (rf"(?:I (?:do not|don{_A}t|cannot|can ?not|can{_A}t|am unable|am not able|have no|lack|am not capable)"
          rf"|I{_A}m (?:unable|not able|not capable)|(?:do not|don{_A}t) have|cannot|can{_A}t|unable)")
_EN_DISCLAIMER = (
    rf"\bas {_AI}\b[^.!?\n]{{0,60}}?{_LIMIT}"
    rf"|\bI(?:{_A}m| am) (?:just |only |merely )?{_AI}\b[^.!?\n]{{0,40}}?{_LIMIT}"
    rf"|\bI (?:do not|don{_A}t) have (?:personal |any )?(?:opinions|feelings|emotions|beliefs|preferences|"
    r"personal experiences|a physical body|the ability to browse|access to (?:the internet|real-time))"
    r"|\bmy (?:knowledge|training)(?: data)? (?:cutoff|cut-off)\b"
    # another vendor's model speaking: "I am ChatGPT", "I was trained by OpenAI"
    rf"|\bI(?:{_A}m| am| was) (?:ChatGPT|GPT-[34]|an? (?:AI|language) model (?:trained|developed|created) by OpenAI)"
    rf"|\bI(?:{_A}m| am| was| have been) (?:\w+ ){{0,4}}?(?:trained|developed|created|built) by OpenAI\b")
# -- Spanish, French, German, Portuguese ----------------------------------------------------------
_EU_AI = (r"(?:(?:un |una |um |uma |une? |eine? )?(?:modelo de (?:lenguaje|linguagem)|modèle de langage|"
          r"(?:KI-)?Sprachmodell|inteligencia artificial|intelig[eê]ncia artificial|intelligence artificielle|"
          r"k[üu]nstliche Intelligenz|asistente (?:virtual|de IA)|assistente (?:virtual|de IA)|"
          r"assistant (?:virtuel|IA|d['’]IA)|KI-Assistent|KI-Modell|IA|KI)(?: de IA)?)")
_EU_LIMIT = (r"(?:no (?:puedo|tengo|soy capaz|me es posible|estoy en condiciones)|"
             r"je ne (?:peux|suis pas|dispose pas|poss[eè]de pas|sais pas)|je n['’]ai pas|"
             r"kann ich (?:nicht|keine?n?)|habe ich (?:keine|nicht)|bin ich nicht|ich kann (?:nicht|keine?n?)|"
             r"ich habe keine|verf[üu]ge ich (?:nicht|über keine)|besitze ich keine|"
             r"n[ãa]o (?:posso|tenho|sou capaz|consigo))")
_EU_DISCLAIMER = (
    rf"\b(?:(?:como|en tant que|als|sendo) |en tant qu['’]){_EU_AI}\b[^.!?\n]{{0,60}}?{_EU_LIMIT}"
    rf"|\b(?:soy|je suis|ich bin|sou) (?:solo |solamente |simplemente |juste |seulement |nur |lediglich |apenas |só )?"
    rf"{_EU_AI}\b[^.!?\n]{{0,40}}?{_EU_LIMIT}"
    r"|\bno tengo (?:opiniones|sentimientos|emociones|preferencias|creencias) personales"
    r"|\bje n['’]ai pas (?:d['’]opinions?|de sentiments|d['’][ée]motions|de pr[ée]f[ée]rences) personnel"
    r"|\bich habe keine (?:persönlichen |eigenen )?(?:Meinungen|Gefühle|Emotionen|Vorlieben)\b"
    r"|\bn[ãa]o tenho (?:opiniões|sentimentos|emoções|preferências) pessoais"
    r"|\b(?:fui|he sido|j['’]ai été|ich wurde) (?:\w+ ){0,3}?(?:entrenado|treinado|entraîné|trainiert) "
    r"(?:por|par|von) OpenAI")
_EU_HELP = (r"ayudar(?:te|le)?|proporcionar|cumplir|ofrecer|crear|generar|escribir|responder|asistir|hacer eso|"
            r"aider|t['’]aider|vous aider|fournir|répondre|créer|générer|écrire|accéder|faire cela|faire ça|"
            r"satisfaire|donner|ajudar|ajudá-lo|ajudá-la|te ajudar|fornecer|atender|criar|gerar|escrever|"
            r"fazer isso|acessar")
_DE_HELP = (r"helfen|behilflich|weiterhelfen|beantworten|erfüllen|bereitstellen|erstellen|generieren|schreiben|"
            r"zugreifen|nachkommen|unterstützen|geben|liefern")
_EU_REFUSAL = (
    rf"\b(?:lo siento|lo lamento|disculpa|me temo|desculpe|sinto muito|lamento|infelizmente)\b,? (?:pero |mas |que )?"
    rf"(?:(?:como|sendo) [^,.]{{1,40}}, )?(?:yo |eu )?n[oã]o? (?:puedo|posso|consigo|me es posible|sou capaz de)"
    rf"|\b(?:no puedo|não posso|não consigo) (?:(?:te |le |lo |la |o |a )?(?:{_EU_HELP}))\b"
    rf"|\b(?:je suis )?d[ée]sol[ée]e?,? (?:mais )?(?:en tant qu[^,.]{{1,40}}, )?je ne (?:peux|suis pas en mesure|"
    rf"suis pas autoris[ée]e?)"
    rf"|\bje ne (?:peux pas|suis pas en mesure de) (?:vous |t['’]|te )?(?:{_EU_HELP})"
    rf"|\b(?:es tut mir leid|tut mir leid|leider|entschuldigung),? (?:aber )?(?:ich kann|kann ich)"
    rf"[^.!?\n]{{0,40}}?\b(?:nicht|keine?n?)\b[^.!?\n]{{0,30}}?\b(?:{_DE_HELP})"
    r"|\bich kann (?:Ihnen |dir )?(?:dabei |hierbei |damit |bei dieser Anfrage )?nicht "
    r"(?:helfen|behilflich sein|weiterhelfen)")
# substrings every Spanish, French, German or Portuguese match contains: a few `in` tests cost far
# less than one more regex pass over an English answer
EUROPEAN_KEYS = ("puedo", "tengo", "capaz", "posible", "condiciones", "ne peux", "ne suis", "ne dispose", "ne poss",
                 "ne sais", "n'ai", "n’ai", "nicht", "kein", "Kein", "não", "Não", "consigo", "OpenAI")


def european_ascii(text: str) -> bool:
    """Does an ASCII text hold one of EUROPEAN_KEYS (those without accents)? Written out: a loop
    over the keys costs three times as much, and this runs on most answers."""
    return "puedo" in text or "tengo" in text or "capaz" in text or "posible" in text or "condiciones" in text \
        or "ne peux" in text or "ne suis" in text or "ne dispose" in text or "ne poss" in text or "ne sais" in text \
        or "n'ai" in text or "nicht" in text or "kein" in text or "Kein" in text or "consigo" in text or "OpenAI" in text


def european(text: str) -> bool:
    """Does a text hold one of EUROPEAN_KEYS?"""
    return european_ascii(text) or "n’ai" in text or "não" in text or "Não" in text
# -- Russian --------------------------------------------------------------------------------------
_RU_AI = (r"(?:(?:языков\w+|нейросетев\w+) модел\w+(?: ИИ)?|ИИ(?:-ассистент\w*)?|искусственн\w+ интеллект\w*"
          r"|виртуальн\w+ (?:ассистент|помощник)\w*|AI|чат-бот\w*|модел\w+ ИИ)")
_RU_LIMIT = r"(?:я не (?:могу|имею|обладаю|способ\w+|в состоянии)|у меня нет|не (?:могу|имею|обладаю))"
RU_REFUSAL = re.compile(
    r"\b(?:извините|простите|прошу прощения|к сожалению|мне жаль|сожалею),? (?:но )?(?:как [^,.]{1,40}, )?"
    r"я (?:не (?:могу|в состоянии|имею возможности)|вынужден\w* отказать)"
    r"|\bя не (?:могу|в состоянии) (?:вам |тебе )?(?:помочь|выполнить|предоставить|ответить|создать|написать|"
    r"сгенерировать|дать|удовлетворить)", re.IGNORECASE)
RU_DISCLAIMER = re.compile(
    rf"\bкак {_RU_AI}\b[^.!?\n]{{0,60}}?{_RU_LIMIT}"
    rf"|\bя (?:всего лишь |лишь |просто |только )?{_RU_AI}\b[^.!?\n]{{0,40}}?{_RU_LIMIT}"
    r"|\bу меня нет (?:личн\w+ )?(?:мнени\w+|чувств|эмоций|предпочтений|доступа к интернету)"
    r"|\b(?:меня )?(?:обучил\w*|разработал\w*|создал\w*) (?:компани\w+ )?OpenAI", re.IGNORECASE)
CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# -- Chinese, Japanese, Korean ---------------------------------------------------------------------
# Chinese: being an AI given as the reason ("作为一个AI语言模型，我无法…", "我只是一个人工智能助理，我没有身体")
_ZH_AI = (r"(?:一个|一款|一名|一种|一位|个|款)?(?:[\u4e00-\u9fff]{1,12}的|[\u4e00-\u9fff]{1,4}型?)?\s?(?:AI|人工智能|人工智慧|语言模型|語言模型|"
          r"智能助手|智能助理|聊天机器人|虚拟助手|机器人)\s?(?:语言模型|語言模型|助手|助理|程序|模型|系统|机器人)?"
          r"(?=[\s，,。、我并並没沒不无無也只])")  # the AI is the noun: not "机器人爱好者", "人工智能的学生"
_ZH_LIMIT = (r"(?:不能|无法|無法|没有|沒有|没办法|没法|不具备|不具有|不会|不可能|并不|並不|不支持|不提供|不鼓励|无权|不应该?|"
             r"不知道|不了解|不清楚)")
_JA_LIMIT = r"(?:でき(?:ません|ない|かねます)|いたしかねます|ありません|持っていません|持ちません|持っておりません|わかりません|分かりません)"
_KO_LIMIT = r"(?:수 ?없|없습니다|없어요|없으며|없고|않습니다|않아요|못합니다|못해요|못하며)"
_ZH_DO = (r"(?:为您|为你|帮您|帮你|给您|给你|向您|向你|替您|替你|直接)?(?:提供|回答|协助|帮助|帮|教|生成|创建|编写|撰写|写|完成|"
          r"满足|执行|处理|访问|浏览|查询|查看|获取|发送|给出|参与|支持|鼓励|推荐|预测|联网|实时|回应|答复|讨论|透露)")
CJK_DISCLAIMER = re.compile(
    rf"(?<![你您他她它])(?:作为|身为|作為){_ZH_AI}[^。！？\n]{{0,40}}?{_ZH_LIMIT}"
    rf"|我(?:是|只是|仅仅是|僅僅是|只不过是|不过是|就是)(?:一个|一款|一种|一名|个)?{_ZH_AI}[^！？\n]{{0,30}}?{_ZH_LIMIT}"
    r"|我(?:并)?没有(?:个人的?|自己的|任何)?(?:感情|情感|个人(?:观点|喜好|偏好|经历|情感)|主观(?:意识|感受|意见)|身体|实体)"
    r"|我的(?:知识|训练数据)(?:库)?(?:截止|截至)"
    r"|我是由\s?OpenAI|由\s?OpenAI\s?(?:训练|开发|创建)的(?:大型)?(?:语言模型|人工智能|AI)|我是\s?ChatGPT"
    # Japanese
    rf"|(?:AI|ＡＩ|人工知能)(?:言語モデル|アシスタント|モデル)?(?:として|なので|ですので|である私)[^。！？\n]{{0,40}}?{_JA_LIMIT}"
    rf"|言語モデル(?:として|なので|ですので)[^。！？\n]{{0,40}}?{_JA_LIMIT}"
    r"|私は(?:AI|人工知能|言語モデル)(?:です|なので)[^。！？\n]{0,40}?(?:でき|ありません|持って)"
    # Korean
    rf"|(?:AI|인공지능|언어 ?모델|AI 언어 ?모델|AI 어시스턴트)(?:로서|으로서|이기 때문에|이므로|라서|이라서)[^.!?\n]{{0,40}}?{_KO_LIMIT}"
    r"|저는 (?:AI|인공지능|언어 ?모델)(?:입니다|이라서|이기 때문에)[^.!?\n]{0,40}?(?:수 ?없|없습니다|않습니다)")
CJK_REFUSAL = re.compile(
    r"(?:抱歉|对不起|對不起|很遗憾|不好意思)[，,。！!]?\s*(?:但是?|不过)?[，,]?\s*(?:作为[^，,。]{1,20}[，,]\s*)?"
    rf"我(?:目前|暂时|现在|还|并|恐怕)?(?:不能|无法|無法|没办法|不可以|没有办法|不便)[^。，,！\n]{{0,6}}?{_ZH_DO}"
    rf"|(?:抱歉|对不起|很遗憾)[^。\n]{{0,10}}我(?:目前|暂时|现在)?(?:还)?(?:没有|不具备)[^。，,\n]{{0,16}}(?:能力|功能|权限)"
    # at a sentence's start, unless a "but I can" follows: "我无法给出绝对的排名，但是我可以…" is a hedge
    rf"|(?:^|[。！？!?]\s*)(?:因此|所以|因而)?[，,]?我(?:不能|无法|没办法)[^。，,！\n]{{0,6}}?{_ZH_DO}(?![^。\n]{{0,30}}(?:但是?|不过)[^。\n]{{0,4}}可以)"
    # Japanese: an apology followed by "cannot" in the same sentence
    rf"|(?:申し訳(?:ありません|ございません)|すみません|残念ながら)[^。\n]{{0,50}}?(?:でき(?:ません|かねます)|いたしかねます)"
    r"|(?:お手伝い|お答え|ご提供|ご要望にお応え|お応え)(?:することは|は)?でき(?:ません|かねます)"
    # Korean
    rf"|죄송(?:하지만|합니다만|합니다[.,]?)[^.!?\n]{{0,40}}?{_KO_LIMIT}"
    r"|(?:도와|도움을 |답변을? |답변해 |제공해 )드릴 수 (?:없|가 없)", re.MULTILINE)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
# where a Chinese answer speaks in the user's voice (a letter, a post), only a refusal of the writing
# itself ("抱歉，我无法为您撰写…"), not the writer's "所以我无法按时完成…"
CJK_OWN_VOICE = re.compile(r"写|撰写|编写|创作|生成|起草|满足|协助|帮助您|帮您|帮你"
                           r"|(?:提供|回答|完成|处理)(?:这|此|该|您的|你的)(?:个|类|种|样的)?(?:请求|问题|要求|内容|信息)")
# substrings every CJK refusal, or disclaimer, contains (most Chinese answers contain neither)
CJK_REFUSAL_KEYS = ("抱歉", "对不起", "對不起", "遗憾", "不好意思", "我不能", "我无法", "我無法", "我没办法", "申し訳", "すみません",
                    "残念", "お手伝い", "お答え", "ご提供", "お応え", "죄송", "드릴 수")
CJK_DISCLAIMER_KEYS = ("作为", "身为", "作為", "我是", "我只", "我仅", "我僅", "我不过", "我就是", "我并没有", "我没有", "我的知识",
                       "我的训练", "OpenAI", "ChatGPT", "として", "なので", "ですので", "私は", "로서", "이기 때문", "이므로", "라서",
                       "저는")

LATIN_REFUSAL = english_refusal(f"{DO_CORE}|{DO_MORE}")
LATIN_REFUSAL_OWN_VOICE = english_refusal(OWN_VOICE)
EN_DISCLAIMER = re.compile(_EN_DISCLAIMER, re.IGNORECASE)
EU_REFUSAL = re.compile(_EU_REFUSAL, re.IGNORECASE)
EU_DISCLAIMER = re.compile(_EU_DISCLAIMER, re.IGNORECASE)

# -- what excuses a match (refusal.py `_excused`) -----------------------------------------------------
# the canned formula ("as an AI…", "作为一个AI…", another vendor's name): reported even where the
# limit it states is real, and whatever the question
FORMULA = re.compile(r"^(?:as|como|als|sendo|как)\s|^en tant qu|^(?:作为|身为|作為)|として|로서|으로서|OpenAI|ChatGPT|GPT-[34]"
                     r"|cut-?off|截止|截至", re.IGNORECASE)
# the formula as a clause of its own ("As an AI assistant, I suggest…", "谢谢，作为一个AI助手，我…"), with
# no limit after it: the artefact of distilled data all the same
_EN_AI_NOUN = (r"as an? (?:AI|artificial intelligence|(?:large )?language model)"
               r"(?: (?:language model|assistant|model|chatbot|system|program))?")
_ZH_AI_NOUN = r"(?:作为|身为|作為)(?:一个|一名|一款|一种|一位)?\s?(?:AI|人工智能|语言模型)\s?(?:语言模型|助手|助理|模型|程序)?"
OPENER = re.compile(rf"\b{_EN_AI_NOUN}(?:\s?,\s?|\s)I\b|^\W{{0,3}}{_EN_AI_NOUN}\s?,"
                    rf"|(?<![你您他她它]){_ZH_AI_NOUN}\s?[，,]|^\W{{0,3}}{_ZH_AI_NOUN}(?=[\s，,。我并没不无也只你您])",
                    re.IGNORECASE)
# a disclaimer naming no AI ("I don't have opinions on this"): in preference data the chosen
# deflection is the point of the pair, as a chosen refusal is
NAMES_AI = re.compile(r"\bAI\b|artificial|language model|\bLLM\b|chatbot|OpenAI|ChatGPT|GPT-|knowledge|training"
                      r"|人工智能|人工智慧|语言模型|語言模型|AI|聊天机器人|助手|助理|知识|训练|ИИ|модел|\bKI\b|\bIA\b|modelo|modèle"
                      r"|Sprachmodell|言語モデル|人工知能|인공지능|언어 ?모델", re.IGNORECASE)
# what the assistant truly cannot have: live data, the internet, memory of past conversations ("I
# don't have access to real-time information", "目前我还没有联网获取信息的能力"); said plainly, no refusal
REAL_TIME = re.compile(r"real[- ]?time|up[- ]to[- ]the[- ]minute|\blive (?:data|prices?|information|updates?|scores?|feeds?)"
                       r"|\bcurrent (?:stock |market |exchange )?(?:prices?|weather|news|events|rates?|quotes?)"
                       r"|(?:today|tonight)[’']?s? (?:weather|news|prices?)|\bthe (?:internet|web)\b|\bonline\b"
                       r"|\b(?:long[- ]term memory|memory of (?:our |past |previous )|(?:past|previous) conversations)"
                       r"|实时|即时|联网|互联网|上网|网络(?:上|获取|搜索|查询)|最新(?:的)?(?:信息|新闻|数据|消息|资讯)|时事|今天的天气"
                       r"|长期记忆|长程记忆|以前的对话|之前的对话",
                       re.IGNORECASE)
# a text-only limit stated before the task is done in text ("I'm unable to create the actual
# image, but here are some ideas"): the work follows, the limit is real
NOT_TEXT = re.compile(r"\b(?:images?|pictures?|drawings?|paintings?|photos?|photographs?|graphics?|sketch(?:es)?|"
                      r"illustrations?|videos?|audio|sound files?|physical(?:ly)?|draw|paint)\b|图片|图像|画作|绘画|绘制|照片|视频|音频",
                      re.IGNORECASE)
LIMIT = re.compile(r"unable|cannot|can['’]?t|can not|not (?:able|capable)|无法|不能|没办法|没有办法", re.IGNORECASE)
# a request that is harmful to fulfil: violence, self-harm, weapons, hard drugs, crime. A refusal
# is the intended answer there (a refusal of a harmless request stays a finding)
HARMFUL = re.compile(
    r"\b(?:kill(?:ing)?|murder\w*|hurt(?:ing)? (?:myself|yourself|himself|herself|themselves|someone|somebody|people|"
    r"others|my|him|her|them)|harm(?:ing)? (?:myself|yourself|someone|somebody|others|people|him|her|them)|self[- ]harm|"
    r"suicid\w*|poison\w*|bombs?|explosives?|weapons?|shoot(?:ing)? (?:someone|people|up)|stab(?:s|bed|bing)?|kidnap\w*|"
    r"tortur\w+|rape|steal(?:ing)?|shoplift\w*|rob (?:a|the|someone)|burglar\w*|hack(?:ing)? into|break(?:ing)? into|"
    r"launder\w*|counterfeit\w*|meth(?:amphetamine)?|cocaine|heroin|fentanyl|overdose|terroris\w+|genocide|"
    r"racial slurs?|child porn\w*|make drugs|dox(?:x?ing|x?ed)?|stalk(?:ing|ed|er|ers)?|spy on|hidden camera)\b|人肉|肉搜|偷拍|偷窥|跟踪"
    r"|自杀|自残|轻生|杀人|杀死|杀掉|伤害(?:自己|他人|别人)|炸弹|炸药|爆炸物|毒品|制毒|枪支|绑架|抢劫|偷窃|盗窃|黑进|入侵|诈骗|洗钱",
    re.IGNORECASE)
# a question about the assistant itself ("what do you eat?", "what is your favourite music?",
# "你有思想么？", "what can you do?"): "I am an AI, I don't eat" answers it
ABOUT_SELF = re.compile(
    r"\byour (?:favou?rite|preferences?|feelings?|emotions?|name|age|gender|hobby|hobbies|body|soul|mind|"
    r"limitations?|limits|capabilities|abilities|purpose|creators?|family|friends|dreams?)\b"
    r"|\b(?:do|can|could|would|will|did|have) you (?:ever )?(?:eat|sleep|drink|feel|dream|love|like|hate|enjoy|"
    r"believe|remember|get (?:tired|bored|lonely|hungry|sad|angry)|have (?:a |any )?(?:soul|body|feelings?|emotions?|"
    r"consciousness|opinions?|preferences?|family|friends|free will|thoughts?|mind|(?:a )?names?))\b"
    r"|\bare you (?:an? )?(?:AI|human|robot|bot|conscious|sentient|alive|real|person|machine|happy|sad|lonely|"
    r"a person|a computer|self-aware)\b"
    r"|\b(?:what|which) (?:kinds? of |sorts? of |types? of )?(?:questions|things|tasks|topics) (?:can(?:no|'|’)?t|can not|"
    r"won(?:'|’)t|will not|are you (?:not )?able to) you\b|\bcan(?:no|'|’)?t you (?:answer|do|help)\b"
    r"|\bwhat (?:can|do) you (?:do|eat|like|know)\b|\bwho (?:are you|made you|created you|trained you|built you)\b"
    r"|\b(?:how|what) (?:are|is) you(?:r)? (?:different|difference)|\bdifference between you and\b|\bhow do you (?:differ|compare)"
    r"|(?:你|您)(?:和|跟|与)[^，。？?]{1,30}(?:区别|不同|异同)"
    r"|\bwhat are you\b|\b(?:about|introduce|describe) yourself\b|\btell me (?:who you are|what you are|about you\b)"
    r"|(?:你|您)(?:吃|喝|睡|做梦|(?:最)?喜欢|爱|恨|觉得自己|有(?:没有)?(?:思想|灵魂|感情|情感|意识|身体|感觉|自我|情绪|梦想|家人|朋友|名字)"
    r"|是(?:谁|什么|人|机器人|AI|人工智能)|会(?:累|饿|难过|伤心|孤独|生气|做梦)|能(?:吃|喝|感觉|感受)|的(?:名字|爱好|感受|能力|功能)"
    r"|(?:可以|能|会)[^，。？?]{0,6}?(?:什么|哪些)|[^，。？?]{0,8}擅长)",
    re.IGNORECASE)
QUESTION = re.compile(r"[?？吗么呢谁哪]|什么|\byourself\b|\btell me (?:your name|who you are|what you are|about you\b)",
                      re.IGNORECASE)
