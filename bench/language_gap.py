"""How much lower the multilingual embedding scores a question against passages in another language
than the same question asked in the passages' language: the constant qa.retrieve.LANGUAGE_GAP.

    python bench/language_gap.py

The same twelve questions (written here, about what terms and policies commonly say; none from an
evaluation set) are asked in English and in seven other languages of the English units of the bundled
corpus. For each question the mean cosine of its five nearest units is taken; a language's gap is
how far that falls on average below the English question's.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.embed import E5Embedding  # noqa: E402
from ingest.lang import detect_lang  # noqa: E402
from ingest.load import load_document  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TOP = 5

# (English, Spanish, French, German, Portuguese, Italian, Chinese, Japanese)
QUESTIONS = [
    (
        "Can they close my account without telling me?",
        "¿Pueden cerrar mi cuenta sin avisarme?",
        "Peuvent-ils fermer mon compte sans me prévenir ?",
        "Können sie mein Konto schließen, ohne mir Bescheid zu geben?",
        "Eles podem encerrar a minha conta sem me avisar?",
        "Possono chiudere il mio account senza avvisarmi?",
        "他们可以不通知我就关闭我的账户吗?",
        "彼らは私に知らせずにアカウントを閉鎖できますか?",
    ),
    (
        "Do they share my personal data with other companies?",
        "¿Comparten mis datos personales con otras empresas?",
        "Partagent-ils mes données personnelles avec d'autres entreprises ?",
        "Geben sie meine persönlichen Daten an andere Firmen weiter?",
        "Eles compartilham meus dados pessoais com outras empresas?",
        "Condividono i miei dati personali con altre aziende?",
        "他们会把我的个人数据提供给其他公司吗?",
        "私の個人データを他の会社と共有しますか?",
    ),
    (
        "How long is my information kept?",
        "¿Cuánto tiempo se conserva mi información?",
        "Combien de temps mes informations sont-elles conservées ?",
        "Wie lange werden meine Informationen gespeichert?",
        "Por quanto tempo as minhas informações são guardadas?",
        "Per quanto tempo vengono conservate le mie informazioni?",
        "我的信息会被保存多久?",
        "私の情報はどのくらいの期間保存されますか?",
    ),
    (
        "Can the company change these terms whenever it wants?",
        "¿Puede la empresa cambiar estas condiciones cuando quiera?",
        "L'entreprise peut-elle modifier ces conditions quand elle veut ?",
        "Darf das Unternehmen diese Bedingungen jederzeit ändern?",
        "A empresa pode mudar estes termos quando quiser?",
        "L'azienda può modificare questi termini quando vuole?",
        "公司可以随时修改这些条款吗?",
        "会社はいつでもこの規約を変更できますか?",
    ),
    (
        "Who is responsible if my password is stolen?",
        "¿Quién es responsable si me roban la contraseña?",
        "Qui est responsable si mon mot de passe est volé ?",
        "Wer haftet, wenn mein Passwort gestohlen wird?",
        "Quem é responsável se a minha senha for roubada?",
        "Chi è responsabile se mi rubano la password?",
        "如果我的密码被盗，谁来负责?",
        "パスワードが盗まれた場合、誰が責任を負いますか?",
    ),
    (
        "Are they liable if the service stops working?",
        "¿Son responsables si el servicio deja de funcionar?",
        "Sont-ils responsables si le service cesse de fonctionner ?",
        "Haften sie, wenn der Dienst nicht mehr funktioniert?",
        "Eles são responsáveis se o serviço parar de funcionar?",
        "Sono responsabili se il servizio smette di funzionare?",
        "如果服务停止运行，他们要承担责任吗?",
        "サービスが動かなくなった場合、彼らは責任を負いますか?",
    ),
    (
        "Can I ask them to delete my data?",
        "¿Puedo pedirles que borren mis datos?",
        "Puis-je leur demander de supprimer mes données ?",
        "Kann ich verlangen, dass sie meine Daten löschen?",
        "Posso pedir que apaguem os meus dados?",
        "Posso chiedere di cancellare i miei dati?",
        "我可以要求他们删除我的数据吗?",
        "私のデータを削除するよう依頼できますか?",
    ),
    (
        "Do they use cookies to track me?",
        "¿Usan cookies para rastrearme?",
        "Utilisent-ils des cookies pour me suivre ?",
        "Verwenden sie Cookies, um mich zu verfolgen?",
        "Eles usam cookies para me rastrear?",
        "Usano i cookie per tracciarmi?",
        "他们会用 Cookie 跟踪我吗?",
        "彼らはクッキーを使って私を追跡しますか?",
    ),
    (
        "What happens if I break the rules?",
        "¿Qué pasa si incumplo las normas?",
        "Que se passe-t-il si j'enfreins les règles ?",
        "Was passiert, wenn ich gegen die Regeln verstoße?",
        "O que acontece se eu violar as regras?",
        "Cosa succede se violo le regole?",
        "如果我违反规则会怎样?",
        "ルールに違反するとどうなりますか?",
    ),
    (
        "Which court handles a dispute with them?",
        "¿Qué tribunal resuelve una disputa con ellos?",
        "Quel tribunal tranche un litige avec eux ?",
        "Welches Gericht ist für einen Streit mit ihnen zuständig?",
        "Que tribunal resolve uma disputa com eles?",
        "Quale tribunale decide una controversia con loro?",
        "与他们发生纠纷由哪个法院处理?",
        "彼らとの紛争はどの裁判所が扱いますか?",
    ),
    (
        "Do they protect my data with encryption?",
        "¿Protegen mis datos con cifrado?",
        "Protègent-ils mes données par chiffrement ?",
        "Schützen sie meine Daten mit Verschlüsselung?",
        "Eles protegem os meus dados com criptografia?",
        "Proteggono i miei dati con la crittografia?",
        "他们会用加密保护我的数据吗?",
        "彼らは暗号化で私のデータを保護していますか?",
    ),
    (
        "Can I let someone else use my account?",
        "¿Puedo dejar que otra persona use mi cuenta?",
        "Puis-je laisser quelqu'un d'autre utiliser mon compte ?",
        "Darf ich jemand anderen mein Konto benutzen lassen?",
        "Posso deixar outra pessoa usar a minha conta?",
        "Posso far usare il mio account a qualcun altro?",
        "我可以让别人使用我的账户吗?",
        "他の人に私のアカウントを使わせてもいいですか?",
    ),
]
LANGS = ("en", "es", "fr", "de", "pt", "it", "zh", "ja")


def main() -> int:
    ef = E5Embedding()
    units = []
    for path in sorted((ROOT / "corpus").iterdir()):
        text = load_document(path).text
        if detect_lang(text) == "en":
            units += [p.strip() for p in text.split("\n\n") if len(p.strip()) > 80]
    passages = np.asarray(ef(units))
    passages /= np.linalg.norm(passages, axis=1, keepdims=True)
    top = np.zeros((len(QUESTIONS), len(LANGS)))
    for i, row in enumerate(QUESTIONS):
        for j, question in enumerate(row):
            v = np.asarray(ef.query(question))
            sims = passages @ (v / np.linalg.norm(v))
            top[i, j] = np.sort(sims)[-TOP:].mean()
    print(f"{len(units)} English paragraphs of corpus/; mean cosine of the {TOP} nearest, English question first")
    for j, lang in enumerate(LANGS):
        gap = top[:, 0] - top[:, j]
        print(f"  {lang}: {top[:, j].mean():.3f}   gap {gap.mean():+.3f} (min {gap.min():+.3f}, max {gap.max():+.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
