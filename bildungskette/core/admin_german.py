"""German names for the third-party models the operator meets in the Django admin.

django-otp and django-tasks-db ship no German translation; their labels are set here, in one
place, instead of forking the packages. Only names and help texts change: no migration, no data.
"""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

APP_NAMES = {
    "otp_totp": _("Zweiter Faktor (TOTP)"),
    "django_otp": _("Zweiter Faktor"),
    "django_tasks_database": _("Hintergrundaufgaben"),
    "axes": _("Anmeldeversuche"),
}

# app label, model name: (singular, plural, {field: (label, help text or None)})
MODELS = {
    ("otp_totp", "totpdevice"): (_("TOTP-Gerät"), _("TOTP-Geräte"), {
        "user": (_("Benutzerkonto"), _("Das Konto, zu dem das Gerät gehört.")),
        "name": (_("Name"), _("Lesbarer Name des Geräts.")),
        "confirmed": (_("bestätigt"), _("Ist das Gerät einsatzbereit?")),
        "throttling_failure_timestamp": (_("letzter Fehlversuch"), _("Zeitpunkt des letzten fehlgeschlagenen "
                                                                       "Versuchs; leer nach Erfolg.")),
        "throttling_failure_count": (_("Fehlversuche in Folge"), _("Anzahl aufeinanderfolgender Fehlversuche.")),
        "created_at": (_("angelegt am"), _("Wann das Gerät angelegt wurde.")),
        "last_used_at": (_("zuletzt benutzt"), _("Wann das Gerät zuletzt benutzt wurde.")),
        "key": (_("Schlüssel"), _("Geheimer Schlüssel (hexadezimal, bis 40 Byte).")),
        "step": (_("Zeitschritt"), _("Länge eines Zeitschritts in Sekunden.")),
        "t0": (_("Startzeit"), _("Unix-Zeit, ab der die Zeitschritte zählen.")),
        "digits": (_("Stellen"), _("Anzahl der Ziffern eines Codes.")),
        "tolerance": (_("Toleranz"), _("Zulässige Zeitschritte vor oder nach der aktuellen Zeit.")),
        "drift": (_("Abweichung"), _("Bekannte Abweichung der Uhr des Geräts in Zeitschritten.")),
        "last_t": (_("letzter Zeitschritt"), _("Zeitschritt des zuletzt geprüften Codes; der nächste muss "
                                               "später liegen.")),
    }),
    ("django_tasks_database", "dbtaskresult"): (_("Aufgabenergebnis"), _("Aufgabenergebnisse"), {
        "status": (_("Status"), None),
        "enqueued_at": (_("eingereiht am"), None),
        "started_at": (_("begonnen am"), None),
        "finished_at": (_("beendet am"), None),
        "args_kwargs": (_("Argumente"), None),
        "priority": (_("Priorität"), None),
        "task_path": (_("Aufgabe"), None),
        "worker_ids": (_("Worker"), None),
        "queue_name": (_("Warteschlange"), None),
        "backend_name": (_("Backend"), None),
        "run_after": (_("frühestens am"), None),
        "return_value": (_("Rückgabewert"), None),
        "exception_class_path": (_("Fehlerart"), None),
        "traceback": (_("Fehlerverlauf"), None),
    }),
    ("axes", "accessattemptexpiration"): (_("Ablauf eines Anmeldeversuchs"), _("Abläufe von Anmeldeversuchen"), {
        "access_attempt": (_("Zugriffsversuch"), None),
        "expires_at": (_("läuft ab am"), _("Ab dann gilt der Zugriffsversuch nicht mehr.")),
    }),
    ("axes", "accesslog"): (None, None, {"session_hash": (_("Sitzungs-Prüfsumme (SHA-256)"), None)}),
}


def admin_labels_germanise() -> None:
    for label, name in APP_NAMES.items():
        if label in apps.app_configs:
            apps.get_app_config(label).verbose_name = name
    for (app_label, model_name), (singular, plural, fields) in MODELS.items():
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        if singular:
            model._meta.verbose_name, model._meta.verbose_name_plural = singular, plural
        for field_name, (verbose, help_text) in fields.items():
            field = model._meta.get_field(field_name)
            field.verbose_name = verbose
            if help_text is not None:
                field.help_text = help_text
