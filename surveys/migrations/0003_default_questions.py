"""Ships the English and Spanish wording of each survey kind. Staff edit it in
the admin afterwards; this migration never overwrites an existing row."""

from django.db import migrations

# Frozen here on purpose: later edits belong in the admin, not in this file.
DEFAULTS = {
    ("csat", "en"): {
        "question": "How satisfied are you with the help you received?",
        "intro": "Thank you for contacting us. Answering takes one click.",
        "low_label": "Very dissatisfied",
        "high_label": "Very satisfied",
        "comment_label": "Anything you would like to add?",
    },
    ("csat", "es"): {
        "question": "¿Qué grado de satisfacción tienes con la ayuda que recibiste?",
        "intro": "Gracias por contactar con nosotros. Responder te llevará un solo clic.",
        "low_label": "Muy insatisfecho",
        "high_label": "Muy satisfecho",
        "comment_label": "¿Quieres añadir algo?",
    },
    ("nps", "en"): {
        "question": "How likely are you to recommend us to a friend or colleague?",
        "intro": "Thank you for contacting us. Answering takes one click.",
        "low_label": "Not at all likely",
        "high_label": "Extremely likely",
        "comment_label": "What is the main reason for your score?",
    },
    ("nps", "es"): {
        "question": "¿Qué probabilidad hay de que nos recomiendes a un amigo o colega?",
        "intro": "Gracias por contactar con nosotros. Responder te llevará un solo clic.",
        "low_label": "Nada probable",
        "high_label": "Muy probable",
        "comment_label": "¿Cuál es el motivo principal de tu puntuación?",
    },
    ("effort", "en"): {
        "question": "How easy was it to get your issue resolved?",
        "intro": "Thank you for contacting us. Answering takes one click.",
        "low_label": "Very difficult",
        "high_label": "Very easy",
        "comment_label": "What could we have made easier?",
    },
    ("effort", "es"): {
        "question": "¿Qué tan fácil te resultó resolver tu consulta con nosotros?",
        "intro": "Gracias por contactar con nosotros. Responder te llevará un solo clic.",
        "low_label": "Muy difícil",
        "high_label": "Muy fácil",
        "comment_label": "¿Qué podríamos haberte facilitado?",
    },
}


def add_defaults(apps, schema_editor):
    SurveyQuestion = apps.get_model("surveys", "SurveyQuestion")
    for (kind, language), wording in DEFAULTS.items():
        SurveyQuestion.objects.get_or_create(kind=kind, language=language, defaults=wording)


class Migration(migrations.Migration):
    dependencies = [("surveys", "0002_schedule_remind_expire_questions")]

    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
