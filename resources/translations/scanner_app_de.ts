<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <source>About %1</source>
        <translation>Über %1</translation>
    </message>
    <message>
        <source>Scan a device label, find the device in Intune, set its group tag and user.</source>
        <translation>Geräteetikett scannen, das Gerät in Intune finden, Gruppentag und Benutzer setzen.</translation>
    </message>
    <message>
        <source>Versions</source>
        <translation>Versionen</translation>
    </message>
    <message>
        <source>Barcode engines</source>
        <translation>Barcode-Engines</translation>
    </message>
    <message>
        <source>Folders</source>
        <translation>Ordner</translation>
    </message>
    <message>
        <source>Open &amp;logs folder</source>
        <translation>&amp;Protokollordner öffnen</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
</context>
<context>
    <name>AccountController</name>
    <message>
        <source>Account ▸ Sign in…</source>
        <translation>Konto ▸ Anmelden…</translation>
    </message>
    <message>
        <source>Your account lacks the Intune permission to read or change Autopilot devices. Ask an admin to grant you an Intune role that can manage enrollment programs (for example Intune Administrator or Policy and Profile Manager), and to grant the app admin consent for DeviceManagementServiceConfig.ReadWrite.All.</source>
        <translation>Ihrem Konto fehlt die Intune-Berechtigung, Autopilot-Geräte zu lesen oder zu ändern. Bitten Sie einen Administrator, Ihnen eine Intune-Rolle zuzuweisen, die Registrierungsprogramme verwalten darf (zum Beispiel Intune-Administrator oder Richtlinien- und Profil-Manager), und der App die Administratorzustimmung für DeviceManagementServiceConfig.ReadWrite.All zu erteilen.</translation>
    </message>
    <message>
        <source>You are signed in as a guest account, which usually cannot manage another organisation&apos;s devices: sign in with a work account of this tenant.</source>
        <translation>Sie sind mit einem Gastkonto angemeldet, das die Geräte einer anderen Organisation meist nicht verwalten darf: Melden Sie sich mit einem Geschäftskonto dieses Mandanten an.</translation>
    </message>
    <message>
        <source>(request id %1)</source>
        <translation>(Anforderungs-ID %1)</translation>
    </message>
    <message>
        <source>Sign in first (%1). %2</source>
        <translation>Melden Sie sich zuerst an (%1). %2</translation>
    </message>
    <message>
        <source>Your sign-in is no longer accepted. Sign in again (%1).</source>
        <translation>Ihre Anmeldung wird nicht mehr akzeptiert. Melden Sie sich erneut an (%1).</translation>
    </message>
    <message>
        <source>Unexpected error: %1</source>
        <translation>Unerwarteter Fehler: %1</translation>
    </message>
    <message>
        <source>Demo tenant (simulated): no sign-in needed.</source>
        <translation>Demo-Mandant (simuliert): keine Anmeldung nötig.</translation>
    </message>
    <message>
        <source>Finish signing in in your web browser…</source>
        <translation>Schließen Sie die Anmeldung in Ihrem Webbrowser ab…</translation>
    </message>
    <message>
        <source>Getting a sign-in code…</source>
        <translation>Anmeldecode wird abgerufen…</translation>
    </message>
    <message>
        <source>Not signed in. Sign in to look devices up (%1).</source>
        <translation>Nicht angemeldet. Melden Sie sich an, um Geräte nachzuschlagen (%1).</translation>
    </message>
    <message>
        <source>Signed in as %1</source>
        <translation>Angemeldet als %1</translation>
    </message>
    <message>
        <source> to %1</source>
        <translation> bei %1</translation>
    </message>
    <message>
        <source> (guest account)</source>
        <translation> (Gastkonto)</translation>
    </message>
    <message>
        <source>%1 is a guest account in this tenant. Guests usually cannot manage the tenant&apos;s Autopilot devices: if look-ups are refused, sign out and sign in with a work account of this organisation.</source>
        <translation>%1 ist in diesem Mandanten ein Gastkonto. Gäste dürfen die Autopilot-Geräte des Mandanten meist nicht verwalten: Wenn Abfragen abgelehnt werden, melden Sie sich ab und mit einem Geschäftskonto dieser Organisation wieder an.</translation>
    </message>
    <message>
        <source>Sign-in cancelled.</source>
        <translation>Anmeldung abgebrochen.</translation>
    </message>
</context>
<context>
    <name>AccountMenu</name>
    <message>
        <source> (guest)</source>
        <translation> (Gast)</translation>
    </message>
    <message>
        <source>demo operator</source>
        <translation>Demo-Bediener</translation>
    </message>
    <message>
        <source>signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <source>sign-in failed</source>
        <translation>Anmeldung fehlgeschlagen</translation>
    </message>
    <message>
        <source>not signed in</source>
        <translation>nicht angemeldet</translation>
    </message>
    <message>
        <source>demo tenant</source>
        <translation>Demo-Mandant</translation>
    </message>
    <message>
        <source>&amp;Account</source>
        <translation>&amp;Konto</translation>
    </message>
    <message>
        <source>&amp;Sign in…</source>
        <translation>&amp;Anmelden…</translation>
    </message>
    <message>
        <source>Sign in with a &amp;code…</source>
        <translation>Mit einem &amp;Code anmelden…</translation>
    </message>
    <message>
        <source>S&amp;witch account…</source>
        <translation>Konto &amp;wechseln…</translation>
    </message>
    <message>
        <source>&amp;Cancel sign-in</source>
        <translation>Anmeldung a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Sign &amp;out</source>
        <translation>Ab&amp;melden</translation>
    </message>
    <message>
        <source>Demo tenant: no sign-in needed</source>
        <translation>Demo-Mandant: keine Anmeldung nötig</translation>
    </message>
    <message>
        <source>Signed in as %1</source>
        <translation>Angemeldet als %1</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <source>Not signed in</source>
        <translation>Nicht angemeldet</translation>
    </message>
</context>
<context>
    <name>CameraThread</name>
    <message>
        <source>Starting the camera…</source>
        <translation>Kamera wird gestartet…</translation>
    </message>
    <message>
        <source>Camera off</source>
        <translation>Kamera aus</translation>
    </message>
    <message>
        <source>Camera paused</source>
        <translation>Kamera angehalten</translation>
    </message>
    <message>
        <source>Camera error: %1</source>
        <translation>Kamerafehler: %1</translation>
    </message>
    <message>
        <source>%1 ended</source>
        <translation>%1 ist zu Ende</translation>
    </message>
    <message>
        <source>No picture from the camera; waiting for it…</source>
        <translation>Kein Bild von der Kamera; warte darauf…</translation>
    </message>
</context>
<context>
    <name>CameraView</name>
    <message>
        <source>Starting the camera…</source>
        <translation>Kamera wird gestartet…</translation>
    </message>
    <message>
        <source>Waiting for a picture from %1…</source>
        <translation>Warte auf ein Bild von %1…</translation>
    </message>
    <message>
        <source> — type the serial below</source>
        <translation> – Seriennummer unten eingeben</translation>
    </message>
    <message>
        <source> — type the serial below while it comes back</source>
        <translation> – Seriennummer unten eingeben, bis sie wieder da ist</translation>
    </message>
    <message>
        <source>Autopilot QR</source>
        <translation>Autopilot-QR</translation>
    </message>
</context>
<context>
    <name>ChangePanel</name>
    <message>
        <source>Apply to this device</source>
        <translation>Auf dieses Gerät anwenden</translation>
    </message>
    <message>
        <source>Apply  (Enter)</source>
        <translation>Anwenden  (Enter)</translation>
    </message>
    <message>
        <source>Skip  (Esc)</source>
        <translation>Überspringen  (Esc)</translation>
    </message>
    <message>
        <source>&amp;Group tag</source>
        <translation>&amp;Gruppentag</translation>
    </message>
    <message>
        <source>&amp;User</source>
        <translation>&amp;Benutzer</translation>
    </message>
    <message>
        <source>(keep current)</source>
        <translation>(aktuellen behalten)</translation>
    </message>
</context>
<context>
    <name>DeviceCard</name>
    <message>
        <source>No device yet</source>
        <translation>Noch kein Gerät</translation>
    </message>
    <message>
        <source>Hold a label or the Autopilot QR code up to the camera.</source>
        <extracomment>False while there is no working camera: the waiting card then asks for nothing (the banner says to type or scan the serial) instead of for a label held up to a camera.</extracomment>
        <translation>Halten Sie ein Etikett oder den Autopilot-QR-Code vor die Kamera.</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Group tag</source>
        <translation>Gruppentag</translation>
    </message>
    <message>
        <source>Assigned user</source>
        <translation>Zugewiesener Benutzer</translation>
    </message>
    <message>
        <source>Device name</source>
        <translation>Gerätename</translation>
    </message>
    <message>
        <source>Enrollment</source>
        <translation>Registrierung</translation>
    </message>
    <message>
        <source>Last contact</source>
        <translation>Letzter Kontakt</translation>
    </message>
    <message>
        <source>Profile</source>
        <translation>Profil</translation>
    </message>
    <message>
        <source>Stored in Intune as “%1”</source>
        <translation>In Intune gespeichert als „%1“</translation>
    </message>
    <message>
        <source>Autopilot device %1</source>
        <translation>Autopilot-Gerät %1</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <source>enrolled</source>
        <translation>registriert</translation>
    </message>
    <message>
        <source>not contacted yet</source>
        <translation>noch nicht verbunden</translation>
    </message>
    <message>
        <source>pending reset</source>
        <translation>Zurücksetzen ausstehend</translation>
    </message>
    <message>
        <source>enrollment failed</source>
        <translation>Registrierung fehlgeschlagen</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>gesperrt</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
</context>
<context>
    <name>DeviceCodeDialog</name>
    <message>
        <source>Sign in with a code</source>
        <translation>Mit einem Code anmelden</translation>
    </message>
    <message>
        <source>1. On your phone or any computer, open this page:</source>
        <translation>1. Öffnen Sie auf Ihrem Telefon oder einem anderen Computer diese Seite:</translation>
    </message>
    <message>
        <source>2. Enter this code:</source>
        <translation>2. Geben Sie diesen Code ein:</translation>
    </message>
    <message>
        <source>3. Sign in with your work account. This window closes by itself.</source>
        <translation>3. Melden Sie sich mit Ihrem Arbeitskonto an. Dieses Fenster schließt sich von selbst.</translation>
    </message>
    <message>
        <source>The code is valid for %1 minutes.</source>
        <translation>Der Code ist %1 Minuten gültig.</translation>
    </message>
    <message>
        <source>Waiting for you to finish signing in…</source>
        <translation>Warte auf den Abschluss der Anmeldung…</translation>
    </message>
    <message>
        <source>&amp;Copy code</source>
        <translation>Code &amp;kopieren</translation>
    </message>
    <message>
        <source>&amp;Open page</source>
        <translation>Seite ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Sign in on another device</source>
        <translation>Auf einem anderen Gerät anmelden</translation>
    </message>
    <message>
        <source>Code copied. Paste it on the sign-in page.</source>
        <translation>Code kopiert. Fügen Sie ihn auf der Anmeldeseite ein.</translation>
    </message>
    <message>
        <source>No browser could be opened here: open %1 on another device.</source>
        <translation>Hier ließ sich kein Browser öffnen: Öffnen Sie %1 auf einem anderen Gerät.</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>History of changes</source>
        <extracomment>How many columns the history table has (their titles are in ``HistoryDialog.__init__``). The column that shows the state (in colour): beside the change, so a small window shows it. The column that names the tenant a change was made in.</extracomment>
        <translation>Verlauf der Änderungen</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <source>Change (before → after)</source>
        <translation>Änderung (vorher → nachher)</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Bearbeiter</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Graph request ids</source>
        <translation>Graph-Anforderungs-IDs</translation>
    </message>
    <message>
        <source>Change number</source>
        <translation>Änderungsnummer</translation>
    </message>
    <message>
        <source>Changed in Intune since it was read</source>
        <translation>Seit dem Lesen in Intune geändert</translation>
    </message>
    <message>
        <source>&amp;Overwrite with ours</source>
        <translation>Mit unseren Werten &amp;überschreiben</translation>
    </message>
    <message>
        <source>&amp;Discard ours, keep Intune&apos;s</source>
        <translation>Unsere &amp;verwerfen, Intunes behalten</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Retry</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>Als CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>Undo this change?</source>
        <translation>Diese Änderung rückgängig machen?</translation>
    </message>
    <message>
        <source>&amp;Undo the change</source>
        <translation>Änderung &amp;rückgängig machen</translation>
    </message>
    <message>
        <source>Working on change #%1…</source>
        <translation>Änderung #%1 wird bearbeitet…</translation>
    </message>
    <message>
        <source>Change #%1 is now %2.</source>
        <translation>Änderung #%1 ist jetzt %2.</translation>
    </message>
    <message>
        <source>Export the audit record</source>
        <translation>Prüfprotokoll exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>%1 changes exported.</source>
        <translation>%1 Änderungen exportiert.</translation>
    </message>
    <message>
        <source>Group tag</source>
        <translation>Gruppentag</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Device name</source>
        <translation>Gerätename</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>ausstehend</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>angenommen</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>superseded</source>
        <translation>ersetzt</translation>
    </message>
    <message>
        <source>conflict</source>
        <translation>Konflikt</translation>
    </message>
    <message>
        <source>Undo of #%1:</source>
        <translation>Macht #%1 rückgängig:</translation>
    </message>
    <message>
        <source>Undo change #%1 on %2? This writes the values from before it back to Intune:</source>
        <translation>Änderung #%1 an %2 rückgängig machen? Damit werden die Werte von davor wieder in Intune geschrieben:</translation>
    </message>
    <message>
        <source>Device %1 was changed in Intune (by someone else or the portal) after it was read here. Overwrite it with ours, or discard ours?</source>
        <translation>Gerät %1 wurde in Intune geändert (von jemand anderem oder im Portal), nachdem es hier gelesen wurde. Mit unseren Werten überschreiben oder unsere verwerfen?</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Vorher</translation>
    </message>
    <message>
        <source>In Intune now</source>
        <translation>Jetzt in Intune</translation>
    </message>
    <message>
        <source>Ours</source>
        <translation>Unsere</translation>
    </message>
    <message>
        <source>(empty)</source>
        <translation>(leer)</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Ready: hold a device label up to the camera.</source>
        <translation>Bereit: Halten Sie ein Geräteetikett vor die Kamera.</translation>
    </message>
    <message>
        <source>Bench session</source>
        <translation>Arbeitsplatz-Sitzung</translation>
    </message>
    <message>
        <source>No code found in the photo.</source>
        <translation>Kein Code im Foto gefunden.</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>Keine Kamera</translation>
    </message>
    <message>
        <source>Not registered in Windows Autopilot.</source>
        <translation>Nicht in Windows Autopilot registriert.</translation>
    </message>
    <message>
        <source>Not looked up: scan the label again.</source>
        <translation>Nicht nachgeschlagen: Scannen Sie das Etikett erneut.</translation>
    </message>
    <message>
        <source>Code not used</source>
        <translation>Code nicht verwendet</translation>
    </message>
    <message>
        <source>Show the label again, or type the serial number below.</source>
        <translation>Zeigen Sie das Etikett erneut oder geben Sie die Seriennummer unten ein.</translation>
    </message>
    <message>
        <source>Two labels</source>
        <translation>Zwei Etiketten</translation>
    </message>
    <message>
        <source>Ready: type the serial number below, or scan it with a barcode scanner.</source>
        <translation>Bereit: Seriennummer unten eingeben oder mit einem Barcodescanner scannen.</translation>
    </message>
    <message>
        <source>Autopilot code: block %1 of %2 read…</source>
        <translation>Autopilot-Code: Block %1 von %2 gelesen…</translation>
    </message>
    <message>
        <source>Found %1. Check the change, then press Enter to apply.</source>
        <translation>%1 gefunden. Prüfen Sie die Änderung und drücken Sie Enter zum Anwenden.</translation>
    </message>
    <message>
        <source>Found %1 (%2). Check the change, then press Enter to apply.</source>
        <translation>%1 gefunden (%2). Prüfen Sie die Änderung und drücken Sie Enter zum Anwenden.</translation>
    </message>
    <message>
        <source>Offline: %1 shown from a copy seen %2, possibly out of date. A change is queued and checked against Intune before it is sent.</source>
        <translation>Offline: %1 angezeigt aus einer Kopie vom %2, möglicherweise veraltet. Eine Änderung wird vorgemerkt und vor dem Senden mit Intune abgeglichen.</translation>
    </message>
    <message>
        <source>Graph is slow: no answer in time, so %1 is shown from a copy seen %2, possibly out of date. A change is queued and checked against Intune before it is sent.</source>
        <translation>Graph antwortet zu langsam: keine Antwort in der Zeit, darum wird %1 aus einer Kopie vom %2 angezeigt, möglicherweise veraltet. Eine Änderung wird vorgemerkt und vor dem Senden mit Intune abgeglichen.</translation>
    </message>
    <message>
        <source>%1 devices match %2: pick one (arrows, Enter). Nothing is applied until you do.</source>
        <translation>%1 Geräte passen zu %2: Wählen Sie eines (Pfeiltasten, Enter). Bis dahin wird nichts angewendet.</translation>
    </message>
    <message>
        <source>Picked %1 (%2 of %3). Check the change, then press Enter to apply.</source>
        <translation>%1 gewählt (%2 von %3). Prüfen Sie die Änderung und drücken Sie Enter zum Anwenden.</translation>
    </message>
    <message>
        <source>No Autopilot device found for %1.</source>
        <translation>Kein Autopilot-Gerät für %1 gefunden.</translation>
    </message>
    <message>
        <source>Look-up of %1 failed: %2</source>
        <translation>Suche nach %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>%1</source>
        <translation>%1</translation>
    </message>
    <message>
        <source>Two codes in view (%1). Show one label at a time.</source>
        <translation>Zwei Codes im Bild (%1). Zeigen Sie immer nur ein Etikett.</translation>
    </message>
    <message>
        <source>Applying to %1 and verifying…</source>
        <translation>Wird auf %1 angewendet und geprüft…</translation>
    </message>
    <message>
        <source>✔ %1: %2</source>
        <translation>✔ %1: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: %2 Scan it again to see it as it is now.</source>
        <translation>%1: %2 Scannen Sie es erneut, um es im aktuellen Zustand zu sehen.</translation>
    </message>
    <message>
        <source>The card just changed: check it, then press Enter</source>
        <translation>Die Karte hat sich gerade geändert: Prüfen Sie sie, dann Enter drücken</translation>
    </message>
    <message>
        <source>No user picked: choose one from the list or clear the field</source>
        <translation>Kein Benutzer gewählt: Wählen Sie einen aus der Liste oder leeren Sie das Feld</translation>
    </message>
    <message>
        <source>Pick one of the %1 devices first (arrows, Enter).</source>
        <translation>Wählen Sie zuerst eines der %1 Geräte (Pfeiltasten, Enter).</translation>
    </message>
    <message>
        <source>%1: no device name can be made from the template: %2</source>
        <translation>%1: Aus der Vorlage lässt sich kein Gerätename bilden: %2</translation>
    </message>
    <message>
        <source>Not applied to %1: changes cannot be recorded. %2</source>
        <translation>Nicht auf %1 angewendet: Änderungen können nicht aufgezeichnet werden. %2</translation>
    </message>
    <message>
        <source>Nothing to apply: scan a device label first.</source>
        <translation>Nichts anzuwenden: Scannen Sie zuerst ein Geräteetikett.</translation>
    </message>
    <message>
        <source>Still applying the last change; scan again then.</source>
        <translation>Die letzte Änderung wird noch angewendet; danach erneut scannen.</translation>
    </message>
    <message>
        <source>Not used: %1</source>
        <translation>Nicht verwendet: %1</translation>
    </message>
    <message>
        <source>Two codes in view (%1): show one label at a time.</source>
        <translation>Zwei Codes im Bild (%1): Zeigen Sie immer nur ein Etikett.</translation>
    </message>
    <message>
        <source>Looking up %1…</source>
        <translation>Suche %1…</translation>
    </message>
    <message>
        <source>Nothing to change: pick a group tag or a user.</source>
        <translation>Nichts zu ändern: Wählen Sie einen Gruppentag oder einen Benutzer.</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>&amp;Extras</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>&amp;Big text</source>
        <translation>&amp;Große Schrift</translation>
    </message>
    <message>
        <source>&amp;History…</source>
        <translation>&amp;Verlauf…</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>Ü&amp;ber</translation>
    </message>
    <message>
        <source>Settings saved. Camera and tenant changes apply at the next start.</source>
        <translation>Einstellungen gespeichert. Kamera- und Mandantenänderungen gelten ab dem nächsten Start.</translation>
    </message>
</context>
<context>
    <name>MatchList</name>
    <message>
        <source>(none)</source>
        <translation>(keiner)</translation>
    </message>
    <message>
        <source>group tag: %1 · user: %2</source>
        <translation>Gruppentag: %1 · Benutzer: %2</translation>
    </message>
</context>
<context>
    <name>OutboxStatus</name>
    <message>
        <source>1 change waiting</source>
        <translation>1 Änderung ausstehend</translation>
    </message>
    <message>
        <source>%1 changes waiting</source>
        <translation>%1 Änderungen ausstehend</translation>
    </message>
    <message>
        <source>No changes waiting</source>
        <translation>Keine Änderungen ausstehend</translation>
    </message>
    <message>
        <source>%1 to decide</source>
        <translation>%1 zu entscheiden</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>Graph</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>nicht erreichbar</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>nicht verfügbar</translation>
    </message>
    <message>
        <source>next try in %1 s</source>
        <translation>nächster Versuch in %1 s</translation>
    </message>
</context>
<context>
    <name>PhotoDrop</name>
    <message>
        <source>The clipboard image is empty.</source>
        <translation>Das Bild in der Zwischenablage ist leer.</translation>
    </message>
</context>
<context>
    <name>ProfileRow</name>
    <message>
        <source>unavailable</source>
        <translation>nicht verfügbar</translation>
    </message>
    <message>
        <source>assigned</source>
        <translation>zugewiesen</translation>
    </message>
    <message>
        <source>assigned, not synced</source>
        <translation>zugewiesen, nicht synchronisiert</translation>
    </message>
    <message>
        <source>not assigned</source>
        <translation>nicht zugewiesen</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>wird zugewiesen</translation>
    </message>
    <message>
        <source>assignment failed</source>
        <translation>Zuweisung fehlgeschlagen</translation>
    </message>
    <message>
        <source>status unknown</source>
        <translation>Status unbekannt</translation>
    </message>
    <message>
        <source>hash needs remediation (automatic)</source>
        <translation>Hash muss korrigiert werden (automatisch)</translation>
    </message>
    <message>
        <source>hash needs remediation (manual)</source>
        <translation>Hash muss korrigiert werden (manuell)</translation>
    </message>
    <message>
        <source>checking…</source>
        <translation>wird geprüft…</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <source>Bench session</source>
        <translation>Arbeitsplatz-Sitzung</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Als CSV exportieren…</translation>
    </message>
    <message>
        <source>No scans yet in this session.</source>
        <translation>In dieser Sitzung noch keine Scans.</translation>
    </message>
    <message>
        <source>%1 scans</source>
        <translation>%1 Scans</translation>
    </message>
    <message>
        <source>%1 duplicate</source>
        <translation>%1 doppelt</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>Export the session</source>
        <translation>Sitzung exportieren</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV-Dateien (*.csv)</translation>
    </message>
    <message>
        <source>The CSV could not be written: %1</source>
        <translation>Die CSV-Datei konnte nicht geschrieben werden: %1</translation>
    </message>
</context>
<context>
    <name>ScanPane</name>
    <message>
        <source>Camera off</source>
        <translation>Kamera aus</translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <source>Serial number — type it or use a barcode scanner, then Enter</source>
        <translation>Seriennummer – eintippen oder mit dem Barcodescanner lesen, dann Enter</translation>
    </message>
    <message>
        <source>Look up</source>
        <translation>Suchen</translation>
    </message>
</context>
<context>
    <name>SessionTableModel</name>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Serial</source>
        <translation>Seriennummer</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Group tag</source>
        <translation>Gruppentag</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>looking up</source>
        <translation>wird gesucht</translation>
    </message>
    <message>
        <source>found</source>
        <translation>gefunden</translation>
    </message>
    <message>
        <source>not found</source>
        <translation>nicht gefunden</translation>
    </message>
    <message>
        <source>several matches</source>
        <translation>mehrere Treffer</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>übersprungen</translation>
    </message>
    <message>
        <source>applying</source>
        <translation>wird angewendet</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>angenommen</translation>
    </message>
    <message>
        <source>queued</source>
        <translation>in Warteschlange</translation>
    </message>
    <message>
        <source>verified</source>
        <translation>bestätigt</translation>
    </message>
    <message>
        <source>refused</source>
        <translation>abgelehnt</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>Scanned before in this session (row %1).</source>
        <translation>In dieser Sitzung schon gescannt (Zeile %1).</translation>
    </message>
    <message>
        <source>duplicate of row %1</source>
        <translation>doppelt, siehe Zeile %1</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>&amp;Tenant</source>
        <translation>&amp;Mandant</translation>
    </message>
    <message>
        <source>&amp;Scanning</source>
        <translation>&amp;Scannen</translation>
    </message>
    <message>
        <source>&amp;Bench</source>
        <translation>&amp;Arbeitsplatz</translation>
    </message>
    <message>
        <source>&amp;General</source>
        <translation>All&amp;gemein</translation>
    </message>
    <message>
        <source>contoso.onmicrosoft.com or the tenant ID</source>
        <translation>contoso.onmicrosoft.com oder die Mandanten-ID</translation>
    </message>
    <message>
        <source>Tenant</source>
        <translation>Mandant</translation>
    </message>
    <message>
        <source>Application (client) ID</source>
        <translation>Anwendungs-ID (Client-ID)</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>Erweitert</translation>
    </message>
    <message>
        <source>Sign in through the Windows account broker (WAM)</source>
        <translation>Über den Windows-Kontobroker (WAM) anmelden</translation>
    </message>
    <message>
        <source>Authority host</source>
        <translation>Autoritätshost</translation>
    </message>
    <message>
        <source>Graph endpoint</source>
        <translation>Graph-Endpunkt</translation>
    </message>
    <message>
        <source>Log level</source>
        <translation>Protokollstufe</translation>
    </message>
    <message>
        <source>Change these only for a national cloud (US Government, China).</source>
        <translation>Nur für eine nationale Cloud ändern (US Government, China).</translation>
    </message>
    <message>
        <source>%1 (camera %2)</source>
        <translation>%1 (Kamera %2)</translation>
    </message>
    <message>
        <source>Synthetic (demo)</source>
        <translation>Synthetisch (Demo)</translation>
    </message>
    <message>
        <source>a camera, a stream URL or a file</source>
        <translation>eine Kamera, eine Stream-URL oder eine Datei</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <source>Label rules</source>
        <translation>Etikettregeln</translation>
    </message>
    <message>
        <source>One regular expression per line, with a (?P&lt;serial&gt;…) group, for labels whose serial number the built-in rules do not find.</source>
        <translation>Ein regulärer Ausdruck pro Zeile, mit einer Gruppe (?P&lt;serial&gt;…), für Etiketten, deren Seriennummer die eingebauten Regeln nicht finden.</translation>
    </message>
    <message>
        <source>&amp;Add</source>
        <translation>&amp;Hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Group tags</source>
        <translation>Gruppentags</translation>
    </message>
    <message>
        <source>Allow group tags that are not in this list</source>
        <translation>Gruppentags zulassen, die nicht in dieser Liste stehen</translation>
    </message>
    <message>
        <source>Device name template</source>
        <translation>Vorlage für Gerätenamen</translation>
    </message>
    <message>
        <source>Play a sound on read, success and error</source>
        <translation>Ton bei Lesen, Erfolg und Fehler abspielen</translation>
    </message>
    <message>
        <source>Sounds</source>
        <translation>Töne</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>A new language shows after a restart.</source>
        <translation>Eine neue Sprache wird nach einem Neustart angezeigt.</translation>
    </message>
    <message>
        <source>No template: device names are left as they are.</source>
        <translation>Keine Vorlage: Gerätenamen bleiben, wie sie sind.</translation>
    </message>
    <message>
        <source>Example: %1 → %2</source>
        <translation>Beispiel: %1 → %2</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>Line %1 needs a named group (?P&lt;serial&gt;…).</source>
        <translation>Zeile %1 braucht eine benannte Gruppe (?P&lt;serial&gt;…).</translation>
    </message>
    <message>
        <source>The settings file could not be written: %1</source>
        <translation>Die Einstellungsdatei konnte nicht geschrieben werden: %1</translation>
    </message>
</context>
<context>
    <name>SignInPanel</name>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>Sign in with your own work account to look devices up in Intune and change them. You stay signed in for the shift.</source>
        <translation>Melden Sie sich mit Ihrem eigenen Arbeitskonto an, um Geräte in Intune nachzuschlagen und zu ändern. Sie bleiben für die Schicht angemeldet.</translation>
    </message>
    <message>
        <source>Tenant: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>Mandant: &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Sign in with the &amp;browser</source>
        <translation>Mit dem &amp;Browser anmelden</translation>
    </message>
    <message>
        <source>Sign in with a &amp;code (for locked-down PCs)</source>
        <translation>Mit einem &amp;Code anmelden (für gesperrte PCs)</translation>
    </message>
    <message>
        <source>Not now</source>
        <translation>Nicht jetzt</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
</context>
<context>
    <name>StatusBar</name>
    <message>
        <source>not signed in</source>
        <translation>nicht angemeldet</translation>
    </message>
    <message>
        <source>demo tenant</source>
        <translation>Demo-Mandant</translation>
    </message>
    <message>
        <source>Camera off</source>
        <translation>Kamera aus</translation>
    </message>
    <message>
        <source>Graph</source>
        <translation>Graph</translation>
    </message>
    <message>
        <source>Camera starting…</source>
        <translation>Kamera startet…</translation>
    </message>
    <message>
        <source>Camera on</source>
        <translation>Kamera an</translation>
    </message>
    <message>
        <source>Camera paused</source>
        <translation>Kamera angehalten</translation>
    </message>
    <message>
        <source>Camera reconnecting…</source>
        <translation>Kamera verbindet neu…</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>Keine Kamera</translation>
    </message>
    <message>
        <source>Video ended</source>
        <translation>Video zu Ende</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <source>Details: run “scanner-app doctor”.</source>
        <translation>Details: „scanner-app doctor“ ausführen.</translation>
    </message>
    <message>
        <source>Graph: %1</source>
        <translation>Graph: %1</translation>
    </message>
    <message>
        <source>Graph: not available</source>
        <translation>Graph: nicht erreichbar</translation>
    </message>
    <message>
        <source>Second decoder off</source>
        <translation>Zweiter Decoder aus</translation>
    </message>
    <message>
        <source>%1 change(s) waiting</source>
        <translation>%1 Änderung(en) ausstehend</translation>
    </message>
    <message>
        <source>No changes waiting</source>
        <translation>Keine Änderungen ausstehend</translation>
    </message>
</context>
<context>
    <name>TimeText</name>
    <message>
        <source>never</source>
        <translation>nie</translation>
    </message>
</context>
<context>
    <name>UserPicker</name>
    <message>
        <source>Type a name or UPN (leave empty to keep the user)</source>
        <translation>Name oder UPN eingeben (leer lassen, um den Benutzer zu behalten)</translation>
    </message>
</context>
</TS>
