"""Writes of the self-refreshing sources: credentials, subscriptions, refresh, follows, notices.

New data go through the same importer as a file upload (``importers.import_file`` with the
``ffcsv`` format): the original answer is kept with its ``ImportRun`` and every value links to it.
"""

from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from bildungskette.core.importing import ImportRejected

from ..models import Indicator, Statistic
from .genesis_client import CODE_NO_MATCH, CODE_NO_NEWER_DATA, INSTANCES, GenesisClient, GenesisError
from .models import (
    DataNotice,
    IndicatorFollow,
    RefreshOutcome,
    RefreshRun,
    SourceCredential,
    Subscription,
)

# ---------------------------------------------------------------------------- credentials


def _fernet(tenant_id: int) -> Fernet:
    secret = (os.environ.get("BILDUNGSKETTE_SOURCES_KEY") or settings.SECRET_KEY).encode("utf-8")
    key = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"bildungskette-sources", info=f"tenant-{tenant_id}".encode()
    ).derive(secret)
    return Fernet(base64.urlsafe_b64encode(key))


def credential_set(*, tenant, instance: str, username: str, password: str) -> SourceCredential:
    """Store a tenant's login for one instance; the password is encrypted with the tenant's own key."""
    if instance not in INSTANCES:
        raise ValueError(f"Unbekannte Instanz „{instance}“.")
    token = _fernet(tenant.pk).encrypt(password.encode("utf-8")).decode("ascii") if password else ""
    credential, _ = SourceCredential.objects.update_or_create(
        tenant=tenant, instance=instance, defaults={"username": username, "password_encrypted": token}
    )
    return credential


def credential_password(credential: SourceCredential) -> str:
    if not credential.password_encrypted:
        return ""
    try:
        return _fernet(credential.tenant_id).decrypt(credential.password_encrypted.encode("ascii")).decode("utf-8")
    except InvalidToken:
        return ""


# ---------------------------------------------------------------------------- subscriptions


def subscription_create(
    *,
    tenant,
    instance: str,
    table_code: str,
    regional_variable: str = "",
    regional_key: str = "",
    startyear: str = "",
    endyear: str = "",
    user=None,
) -> Subscription:
    """Subscribe a tenant to a table (idempotent: the same table and filter is one subscription)."""
    table_code = table_code.strip()
    if instance not in INSTANCES:
        raise ValueError(f"Unbekannte Instanz „{instance}“.")
    if not table_code:
        raise ValueError("Der Tabellencode fehlt.")
    if bool(regional_variable.strip()) != bool(regional_key.strip()):
        raise ValueError("Regionalmerkmal und Regionalschlüssel gehören zusammen (z. B. KREISE und 06611).")
    subscription, _ = Subscription.objects.get_or_create(
        tenant=tenant,
        instance=instance,
        table_code=table_code,
        regional_variable=regional_variable.strip().upper(),
        regional_key=regional_key.strip(),
        defaults={"startyear": startyear, "endyear": endyear, "created_by": user},
    )
    return subscription


def _transport():
    path = getattr(settings, "MONITORING_GENESIS_TRANSPORT", "")
    return import_string(path) if path else None


def client_for(subscription: Subscription, *, progress=None, transport=None, sleep=None) -> GenesisClient:
    credential = SourceCredential.objects.filter(tenant=subscription.tenant, instance=subscription.instance).first()
    kwargs = {}
    if sleep is not None:
        kwargs["sleep"] = sleep
    return GenesisClient(
        instance=subscription.instance,
        username=credential.username if credential else "",
        password=credential_password(credential) if credential else "",
        transport=transport or _transport(),
        progress=progress,
        **kwargs,
    )


def _stand_now() -> str:
    return timezone.localtime().strftime("%d.%m.%Y %H:%M:%S")


def subscription_refresh(
    subscription: Subscription, *, trigger: str = "cli", user=None, transport=None, sleep=None
) -> RefreshRun:
    """Ask for the table with the last ``stand``; import what is new; keep the outcome in the history."""
    run = RefreshRun.objects.create(
        tenant=subscription.tenant, subscription=subscription, trigger=trigger, started_by=user
    )

    def progress(text: str) -> None:
        run.progress = text[:300]
        run.save(update_fields=["progress"])

    client = client_for(subscription, progress=progress, transport=transport, sleep=sleep)
    try:
        result = client.tablefile(
            subscription.table_code,
            startyear=subscription.startyear,
            endyear=subscription.endyear,
            regionalvariable=subscription.regional_variable,
            regionalkey=subscription.regional_key,
            stand=subscription.stand,
        )
    except GenesisError as exc:
        return _finish(run, RefreshOutcome.FAILED, str(exc), code=exc.code, log=client.log)
    if result.code == CODE_NO_NEWER_DATA:
        text = f"Keine neueren Daten seit Stand {subscription.stand} – nichts geändert."
        return _finish(run, RefreshOutcome.NO_CHANGE, text, code=result.code, log=client.log)
    if result.code == CODE_NO_MATCH:
        return _finish(
            run, RefreshOutcome.NO_MATCH, f"Keine passenden Daten: {result.message}", code=result.code, log=client.log
        )
    return _import(run, subscription, result, client.log, user)


def _import(run: RefreshRun, subscription: Subscription, result, log: list[str], user) -> RefreshRun:
    from ..importers import import_file, import_run_create
    from ..models import ImportStatus

    progress = "Neue Daten werden übernommen"
    run.progress = progress
    run.save(update_fields=["progress"])
    suffix = ".zip" if result.content[:4] == b"PK\x03\x04" else ".csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{subscription.table_code}_{subscription.regional_key or 'alle'}{suffix}"
        path.write_bytes(result.content)
        import_run = import_run_create(
            path=path, fmt="ffcsv", tenant=subscription.tenant, user=user, status=ImportStatus.RUNNING
        )
        run.import_run = import_run
        try:
            report = import_file(path, fmt="ffcsv", tenant=subscription.tenant, user=user, import_run=import_run)
        except ImportRejected as exc:
            problems = "; ".join(str(p) for p in exc.problems[:5])
            return _finish(run, RefreshOutcome.FAILED, f"Die Antwort wurde nicht übernommen: {problems}", log=log)
        import_run.refresh_from_db()
    run.created, run.updated, run.unchanged = report.created, report.updated, report.unchanged
    subscription.stand = _stand_now()
    if import_run is not None and import_run.source_id:
        subscription.source_id = import_run.source_id
    subscription.save(update_fields=["stand", "source"])
    if report.created == 0 and report.updated == 0:
        text = f"Abgerufen ({result.message}); alle {report.unchanged} Werte unverändert – nichts geändert."
        return _finish(run, RefreshOutcome.NO_CHANGE, text, code=result.code, log=log)
    text = (
        f"Neue Daten übernommen ({result.message}): {report.created} neue, {report.updated} geänderte, "
        f"{report.unchanged} unveränderte Werte."
    )
    run = _finish(run, RefreshOutcome.NEW_DATA, text, code=result.code, log=log)
    if subscription.source_id:
        notice_for_new_data(run=run, source=subscription.source)
    return run


def _finish(run: RefreshRun, outcome: str, message: str, *, code=None, log=None) -> RefreshRun:
    run.outcome = outcome
    run.message = message
    run.status_code = code
    run.log = list(log or [])
    run.progress = "fertig"
    run.finished_at = timezone.now()
    run.save()
    return run


def subscriptions_refresh(*, tenant=None, trigger: str = "cli", user=None, transport=None, sleep=None, on_start=None):
    """Refresh every active subscription (of one tenant or all), one after the other.

    ``on_start(subscription, number, total)`` is called before each (progress on the console)."""
    qs = Subscription.objects.filter(active=True).select_related("tenant").order_by("tenant_id", "instance", "id")
    if tenant is not None:
        qs = qs.filter(tenant=tenant)
    subscriptions = list(qs)
    runs = []
    for number, subscription in enumerate(subscriptions, start=1):
        if on_start is not None:
            on_start(subscription, number, len(subscriptions))
        runs.append(subscription_refresh(subscription, trigger=trigger, user=user, transport=transport, sleep=sleep))
    return runs


# ---------------------------------------------------------------------------- follows and notices


def indicators_using_source(source) -> list[Indicator]:
    """Indicators whose formulas (directly or through other indicators) read a statistic of ``source``."""
    from ..selectors import _compile

    codes = set(Statistic.objects.filter(values__source=source).values_list("code", flat=True).distinct())
    codes |= set(Statistic.objects.filter(source=source).values_list("code", flat=True))
    found = []
    pool = {i.code: i for i in Indicator.objects.all()}
    for indicator in pool.values():
        compiled = _compile(indicator, pool=pool)
        used = {t.statistic for c in compiled.values() for f in (c.numerator, c.denominator) if f for t in f.terms}
        if used & codes:
            found.append(indicator)
    return found


@transaction.atomic
def notice_for_new_data(*, run: RefreshRun, source) -> DataNotice:
    notice = DataNotice.objects.create(
        tenant=run.tenant,
        source=source,
        refresh_run=run,
        text=f"Neue Daten: {source.title} ({run.created} neue, {run.updated} geänderte Werte)"[:500],
    )
    notice.indicators.set(indicators_using_source(source))
    return notice


def indicator_follow(*, user, tenant, indicator, follow: bool = True) -> bool:
    if follow:
        IndicatorFollow.objects.get_or_create(user=user, tenant=tenant, indicator=indicator)
    else:
        IndicatorFollow.objects.filter(user=user, tenant=tenant, indicator=indicator).delete()
    return follow
