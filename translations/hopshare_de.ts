<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
    <context>
        <name>Client::ChatModels</name>
        <message numerus="yes">
            <source>You joined %1 (%n member(s))</source>
            <translation>
                <numerusform>Du bist %1 beigetreten (%n Mitglied)</numerusform>
                <numerusform>Du bist %1 beigetreten (%n Mitglieder)</numerusform>
            </translation>
        </message>
        <message>
            <source>You left %1</source>
            <translation>Du hast %1 verlassen</translation>
        </message>
        <message>
            <source>%1 joined (on %2)</source>
            <translation>%1 ist beigetreten (auf %2)</translation>
        </message>
        <message>
            <source>%1 is unreachable: the link to %2 was lost</source>
            <translation>%1 ist nicht erreichbar: die Verbindung zu %2 ist abgerissen</translation>
        </message>
        <message>
            <source>%1 quit</source>
            <translation>%1 hat sich abgemeldet</translation>
        </message>
        <message>
            <source>%1 timed out</source>
            <translation>%1 antwortet nicht mehr (Zeitüberschreitung)</translation>
        </message>
        <message>
            <source>%1 left</source>
            <translation>%1 hat den Raum verlassen</translation>
        </message>
        <message>
            <source>Disconnected: %1</source>
            <translation>Getrennt: %1</translation>
        </message>
        <message>
            <source>reconnected to %1</source>
            <translation>neu verbunden mit %1</translation>
        </message>
        <message>
            <source>Warning: the key of %1 changed (%2 -&gt; %3). It may be someone else using this nick.</source>
            <translation>Warnung: der Schlüssel von %1 hat sich geändert (%2 -&gt; %3). Vielleicht benutzt jemand anderes diesen Nick.</translation>
        </message>
        <message>
            <source>You now trust key %1 for %2</source>
            <translation>Du vertraust jetzt Schlüssel %1 für %2</translation>
        </message>
        <message>
            <source>you</source>
            <translation>dich</translation>
        </message>
    </context>
    <context>
        <name>Client::OfferModel</name>
        <message>
            <source>Name / source</source>
            <translation>Name / Quelle</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>Größe</translation>
        </message>
        <message>
            <source>Sources</source>
            <translation>Quellen</translation>
        </message>
        <message>
            <source>Free slots</source>
            <translation>Freie Plätze</translation>
        </message>
    </context>
    <context>
        <name>Client::TransferListModel</name>
        <message>
            <source>Queued</source>
            <translation>Wartet</translation>
        </message>
        <message>
            <source>Requesting</source>
            <translation>Wird angefragt</translation>
        </message>
        <message>
            <source>Refused, trying next peer</source>
            <translation>Abgelehnt, versuche nächste Quelle</translation>
        </message>
        <message>
            <source>Connecting</source>
            <translation>Verbinde</translation>
        </message>
        <message>
            <source>Transferring</source>
            <translation>Überträgt</translation>
        </message>
        <message>
            <source>Verifying</source>
            <translation>Wird geprüft</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>Angehalten</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>Fertig</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Fehlgeschlagen</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Abgebrochen</translation>
        </message>
        <message>
            <source>%1/s</source>
            <translation>%1/s</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>%1 min %2 s</source>
            <translation>%1 min %2 s</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 h %2 min</translation>
        </message>
        <message>
            <source>Down</source>
            <translation>Herunter</translation>
        </message>
        <message>
            <source>Up</source>
            <translation>Hoch</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
        <message>
            <source>Done, verified</source>
            <translation>Fertig, geprüft</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 ms</translation>
        </message>
        <message>
            <source>File</source>
            <translation>Datei</translation>
        </message>
        <message>
            <source>Peer</source>
            <translation>Gegenstelle</translation>
        </message>
        <message>
            <source>Direction</source>
            <translation>Richtung</translation>
        </message>
        <message>
            <source>Progress</source>
            <translation>Fortschritt</translation>
        </message>
        <message>
            <source>Rate</source>
            <translation>Rate</translation>
        </message>
        <message>
            <source>ETA</source>
            <translation>Restzeit</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Round trip</source>
            <translation>Umlaufzeit</translation>
        </message>
        <message>
            <source>Resent</source>
            <translation>Wiederholt</translation>
        </message>
        <message>
            <source>%1 (%2 % spurious)</source>
            <translation>%1 (davon %2 % unnötig)</translation>
        </message>
        <message>
            <source>Share of the file&apos;s data sent again after a loss; &quot;spurious&quot;: sent again although the first copy had arrived.</source>
            <translation>Anteil der Daten, die nach einem Verlust erneut gesendet wurden; „unnötig“: erneut gesendet, obwohl die erste Kopie angekommen war.</translation>
        </message>
        <message>
            <source>Path</source>
            <translation>Weg</translation>
        </message>
        <message>
            <source>Direct (LAN)</source>
            <translation>Direkt (LAN)</translation>
        </message>
        <message>
            <source>Direct (through NAT)</source>
            <translation>Direkt (durch NAT)</translation>
        </message>
        <message>
            <source>Relayed by server</source>
            <translation>Über den Server</translation>
        </message>
        <message>
            <source>Paused by peer</source>
            <translation>Von der Gegenseite angehalten</translation>
        </message>
    </context>
    <context>
        <name>Gui::CommandRunner</name>
        <message numerus="yes">
            <source>Pong from %1: %2 ms, %n hop(s)</source>
            <translation>
                <numerusform>Pong von %1: %2 ms, %n Sprung</numerusform>
                <numerusform>Pong von %1: %2 ms, %n Sprünge</numerusform>
            </translation>
        </message>
        <message>
            <source>Not understood: %1 (type /help)</source>
            <translation>Nicht verstanden: %1 (/help zeigt die Befehle)</translation>
        </message>
        <message>
            <source>In %1: %2</source>
            <translation>In %1: %2</translation>
        </message>
        <message>
            <source>/sleep is for scripts; nothing to do here.</source>
            <translation>/sleep ist für Skripte gedacht; hier gibt es nichts zu tun.</translation>
        </message>
        <message>
            <source>Not sent: you are offline. Try &quot;%1&quot; again once reconnected.</source>
            <translation>Nicht gesendet: du bist offline. Versuche „%1“ erneut, sobald die Verbindung wieder steht.</translation>
        </message>
        <message>
            <source>Sharing %1; the room is told once it is indexed.</source>
            <translation>Gebe %1 frei; der Raum erfährt es, sobald die Datei erfasst ist.</translation>
        </message>
        <message>
            <source>Cannot share %1.</source>
            <translation>%1 kann nicht freigegeben werden.</translation>
        </message>
        <message>
            <source>Searching the room for &quot;%1&quot;; offers appear in the Offers panel.</source>
            <translation>Suche im Raum nach „%1“; Angebote erscheinen im Bereich Angebote.</translation>
        </message>
        <message>
            <source>Asking %1 for &quot;%2&quot;; offers appear in the Offers panel.</source>
            <translation>Frage %1 nach „%2“; Angebote erscheinen im Bereich Angebote.</translation>
        </message>
        <message>
            <source>No offer matches &quot;%1&quot;; use /find first.</source>
            <translation>Kein Angebot passt zu „%1“; suche zuerst mit /find.</translation>
        </message>
        <message>
            <source>%1 is already here; not downloaded again.</source>
            <translation>%1 ist schon da; nicht erneut heruntergeladen.</translation>
        </message>
        <message>
            <source>That offer is no longer available.</source>
            <translation>Dieses Angebot ist nicht mehr verfügbar.</translation>
        </message>
        <message>
            <source>Downloading %1; see the Transfers panel.</source>
            <translation>%1 wird heruntergeladen; siehe Bereich Übertragungen.</translation>
        </message>
        <message numerus="yes">
            <source>%n transfer(s); see the Transfers panel.</source>
            <translation>
                <numerusform>%n Übertragung; siehe Bereich Übertragungen.</numerusform>
                <numerusform>%n Übertragungen; siehe Bereich Übertragungen.</numerusform>
            </translation>
        </message>
        <message>
            <source>Nobody called %1 is in your rooms.</source>
            <translation>Niemand namens %1 ist in deinen Räumen.</translation>
        </message>
        <message>
            <source>/wait is for scripts; nothing to do here.</source>
            <translation>/wait ist für Skripte; hier gibt es nichts zu tun.</translation>
        </message>
    </context>
    <context>
        <name>Gui::ConnectDialog</name>
        <message>
            <source>Connect to Hopshare</source>
            <translation>Mit Hopshare verbinden</translation>
        </message>
        <message>
            <source>Your nick</source>
            <translation>Dein Nick</translation>
        </message>
        <message>
            <source>Nick</source>
            <translation>Nick</translation>
        </message>
        <message>
            <source>Server</source>
            <translation>Server</translation>
        </message>
        <message>
            <source>Round trip</source>
            <translation>Umlaufzeit</translation>
        </message>
        <message>
            <source>Servers</source>
            <translation>Server</translation>
        </message>
        <message>
            <source>host:port</source>
            <translation>Host:Port</translation>
        </message>
        <message>
            <source>New server address</source>
            <translation>Neue Serveradresse</translation>
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
            <source>&amp;Measure</source>
            <translation>&amp;Messen</translation>
        </message>
        <message>
            <source>Rooms, separated by spaces</source>
            <translation>Räume, durch Leerzeichen getrennt</translation>
        </message>
        <message>
            <source>Rooms</source>
            <translation>Räume</translation>
        </message>
        <message>
            <source>&amp;Connect</source>
            <translation>&amp;Verbinden</translation>
        </message>
        <message>
            <source>&amp;Nick:</source>
            <translation>&amp;Nick:</translation>
        </message>
        <message>
            <source>&amp;Servers:</source>
            <translation>&amp;Server:</translation>
        </message>
        <message>
            <source>R&amp;ooms:</source>
            <translation>R&amp;äume:</translation>
        </message>
        <message>
            <source>unreachable</source>
            <translation>nicht erreichbar</translation>
        </message>
        <message>
            <source>measuring…</source>
            <translation>messe…</translation>
        </message>
        <message>
            <source>Choose a nick: letters, digits, '_', '-' or '.', starting with a letter.</source>
            <translation>Wähle einen Nick: Buchstaben, Ziffern, „_“, „-“ oder „.“, beginnend mit einem Buchstaben.</translation>
        </message>
        <message>
            <source>Choose a server from the list.</source>
            <translation>Wähle einen Server aus der Liste.</translation>
        </message>
        <message>
            <source>'%1' is not a valid room name.</source>
            <translation>„%1“ ist kein gültiger Raumname.</translation>
        </message>
        <message>
            <source>%1 ms (%2)</source>
            <translation>%1 ms (%2)</translation>
        </message>
        <message>
            <source>%1, closest</source>
            <translation>%1, am nächsten</translation>
        </message>
        <message>
            <source>&apos;%1&apos; is not a server address: host:port, e.g. chat.example.org:7400 or [2001:db8::1]:7400.</source>
            <translation>„%1“ ist keine Serveradresse: Host:Port, z. B. chat.example.org:7400 oder [2001:db8::1]:7400.</translation>
        </message>
    </context>
    <context>
        <name>Gui::FileActions</name>
        <message>
            <source>Nothing could open %1.</source>
            <translation>Nichts konnte %1 öffnen.</translation>
        </message>
        <message>
            <source>Download again</source>
            <translation>Erneut herunterladen</translation>
        </message>
        <message>
            <source>Open existing</source>
            <translation>Vorhandene öffnen</translation>
        </message>
        <message>
            <source>%1 is already here, with the same content:
%2</source>
            <translation>%1 ist schon da, mit demselben Inhalt:
%2</translation>
        </message>
        <message>
            <source>Already downloaded</source>
            <translation>Schon heruntergeladen</translation>
        </message>
        <message>
            <source>%1 refused %2 (%3); trying the next source</source>
            <translation>%1 hat %2 abgelehnt (%3); versuche die nächste Quelle</translation>
        </message>
        <message>
            <source>Test conditions ignored: %1</source>
            <translation>Testbedingungen ignoriert: %1</translation>
        </message>
        <message>
            <source>Sharing %1…</source>
            <translation>Gebe %1 frei…</translation>
        </message>
        <message>
            <source>Could not share %1</source>
            <translation>%1 konnte nicht freigegeben werden</translation>
        </message>
        <message>
            <source>Looking for "%1" in %2…</source>
            <translation>Suche „%1“ in %2…</translation>
        </message>
        <message>
            <source>That offer is no longer available.</source>
            <translation>Dieses Angebot ist nicht mehr verfügbar.</translation>
        </message>
        <message>
            <source>No source is known for %1.</source>
            <translation>Für %1 ist keine Quelle bekannt.</translation>
        </message>
        <message>
            <source>Downloading %1…</source>
            <translation>Lade %1 herunter…</translation>
        </message>
        <message>
            <source>Hashing shared files: %1 of %2, %3 %</source>
            <translation>Freigegebene Dateien werden geprüft: %1 von %2, %3 %</translation>
        </message>
    </context>
    <context>
        <name>Gui::MainWindow</name>
        <message>
            <source>Hopshare</source>
            <translation>Hopshare</translation>
        </message>
        <message>
            <source>Rooms</source>
            <translation>Räume</translation>
        </message>
        <message>
            <source>Offers</source>
            <translation>Angebote</translation>
        </message>
        <message>
            <source>Throughput</source>
            <translation>Durchsatz</translation>
        </message>
        <message>
            <source>Downloads and uploads</source>
            <translation>Downloads und Uploads</translation>
        </message>
        <message>
            <source>&amp;Hopshare</source>
            <translation>&amp;Hopshare</translation>
        </message>
        <message>
            <source>&amp;Connect…</source>
            <translation>&amp;Verbinden…</translation>
        </message>
        <message>
            <source>&amp;Join room…</source>
            <translation>Raum &amp;betreten…</translation>
        </message>
        <message>
            <source>&amp;Leave room</source>
            <translation>Raum &amp;verlassen</translation>
        </message>
        <message>
            <source>&amp;Share files…</source>
            <translation>Dateien &amp;freigeben…</translation>
        </message>
        <message>
            <source>S&amp;ettings…</source>
            <translation>&amp;Einstellungen…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Beenden</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Ansicht</translation>
        </message>
        <message>
            <source>&amp;Detach room</source>
            <translation>Raum &amp;abtrennen</translation>
        </message>
        <message>
            <source>&amp;Next room</source>
            <translation>&amp;Nächster Raum</translation>
        </message>
        <message>
            <source>&amp;Previous room</source>
            <translation>&amp;Vorheriger Raum</translation>
        </message>
        <message>
            <source>&amp;Find files</source>
            <translation>Dateien &amp;suchen</translation>
        </message>
        <message>
            <source>Save &amp;graph as PNG…</source>
            <translation>&amp;Graph als PNG speichern…</translation>
        </message>
        <message>
            <source>He&amp;lp</source>
            <translation>&amp;Hilfe</translation>
        </message>
        <message>
            <source>&amp;Commands</source>
            <translation>&amp;Befehle</translation>
        </message>
        <message>
            <source>&amp;About Hopshare</source>
            <translation>&amp;Über Hopshare</translation>
        </message>
        <message>
            <source>About Hopshare</source>
            <translation>Über Hopshare</translation>
        </message>
        <message>
            <source>&lt;b&gt;Hopshare %1&lt;/b&gt;&lt;p&gt;Chat rooms that move files over a reliable UDP transport.&lt;/p&gt;</source>
            <translation>&lt;b&gt;Hopshare %1&lt;/b&gt;&lt;p&gt;Chaträume, die Dateien über einen zuverlässigen UDP-Transport übertragen.&lt;/p&gt;</translation>
        </message>
        <message>
            <source>Transfer rates</source>
            <translation>Übertragungsraten</translation>
        </message>
        <message>
            <source>Round trip to %1: %2 ms</source>
            <translation>Umlaufzeit zu %1: %2 ms</translation>
        </message>
        <message>
            <source>%1 in %2</source>
            <translation>%1 in %2</translation>
        </message>
        <message>
            <source>Download finished</source>
            <translation>Download abgeschlossen</translation>
        </message>
        <message>
            <source>%1 — Hopshare</source>
            <translation>%1 — Hopshare</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>↓ %1  ↑ %2</source>
            <translation>↓ %1  ↑ %2</translation>
        </message>
        <message>
            <source>Share files with %1</source>
            <translation>Dateien für %1 freigeben</translation>
        </message>
        <message>
            <source>%1/s</source>
            <translation>%1/s</translation>
        </message>
        <message>
            <source>Reconnected to %1</source>
            <translation>Wieder verbunden mit %1</translation>
        </message>
        <message>
            <source>%1: unreachable</source>
            <translation>%1: nicht erreichbar</translation>
        </message>
        <message>
            <source>%1: %2 ms</source>
            <translation>%1: %2 ms</translation>
        </message>
        <message>
            <source>Measured round trips:
%1</source>
            <translation>Gemessene Umlaufzeiten:
%1</translation>
        </message>
        <message>
            <source>%1 could not be used; connected to %2 instead.</source>
            <translation>%1 war nicht erreichbar; stattdessen mit %2 verbunden.</translation>
        </message>
        <message>
            <source>%1 could not be used (%3); connected to %2 instead.</source>
            <translation>%1 war nicht erreichbar (%3); stattdessen mit %2 verbunden.</translation>
        </message>
        <message numerus="yes">
            <source>%n unread message(s)</source>
            <translation>
                <numerusform>%n ungelesene Nachricht</numerusform>
                <numerusform>%n ungelesene Nachrichten</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 — %2 — Hopshare</source>
            <translation>%1 — %2 — Hopshare</translation>
        </message>
    </context>
    <context>
        <name>Gui::MessageDelegate</name>
        <message>
            <source>⬇ shared %1 (%2) — double-click to download</source>
            <translation>⬇ teilt %1 (%2) — Doppelklick zum Herunterladen</translation>
        </message>
        <message>
            <source>(private) %1</source>
            <translation>(privat) %1</translation>
        </message>
        <message>
            <source>%1  (pending: sent when reconnected)</source>
            <translation>%1  (wartet: wird nach dem Wiederverbinden gesendet)</translation>
        </message>
        <message>
            <source>(private to %1) %2</source>
            <translation>(privat an %1) %2</translation>
        </message>
    </context>
    <context>
        <name>Gui::Notifier</name>
        <message>
            <source>Hopshare</source>
            <translation>Hopshare</translation>
        </message>
    </context>
    <context>
        <name>Gui::OffersView</name>
        <message>
            <source>&amp;Download</source>
            <translation>&amp;Herunterladen</translation>
        </message>
        <message>
            <source>Find files in the current room (e.g. *.iso)</source>
            <translation>Dateien im aktuellen Raum suchen (z. B. *.iso)</translation>
        </message>
        <message>
            <source>Find files</source>
            <translation>Dateien suchen</translation>
        </message>
        <message>
            <source>&amp;Find</source>
            <translation>&amp;Suchen</translation>
        </message>
        <message>
            <source>Find</source>
            <translation>Suchen</translation>
        </message>
        <message>
            <source>Offers</source>
            <translation>Angebote</translation>
        </message>
        <message>
            <source>Download from the best source, or from the chosen source</source>
            <translation>Von der besten oder der gewählten Quelle herunterladen</translation>
        </message>
        <message>
            <source>Download</source>
            <translation>Herunterladen</translation>
        </message>
    </context>
    <context>
        <name>Gui::RoomWindow</name>
        <message>
            <source>Private conversation with %1</source>
            <translation>Privates Gespräch mit %1</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>Senden</translation>
        </message>
        <message>
            <source>Share files…</source>
            <translation>Dateien freigeben…</translation>
        </message>
        <message>
            <source>Messages in %1</source>
            <translation>Nachrichten in %1</translation>
        </message>
        <message>
            <source>Members of %1</source>
            <translation>Mitglieder von %1</translation>
        </message>
        <message>
            <source>Message %1 — @nick to address someone, /help for commands</source>
            <translation>Nachricht an %1 — @nick spricht jemanden an, /help zeigt die Befehle</translation>
        </message>
        <message>
            <source>Message input</source>
            <translation>Nachrichteneingabe</translation>
        </message>
        <message>
            <source>Send message</source>
            <translation>Nachricht senden</translation>
        </message>
        <message>
            <source>Share files</source>
            <translation>Dateien freigeben</translation>
        </message>
        <message>
            <source>Share files with this room (or drop them on the window)</source>
            <translation>Dateien für diesen Raum freigeben (oder auf das Fenster ziehen)</translation>
        </message>
        <message numerus="yes">
            <source>%n member(s)</source>
            <translation>
                <numerusform>%n Mitglied</numerusform>
                <numerusform>%n Mitglieder</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Gui::SettingsDialog</name>
        <message>
            <source>Add…</source>
            <translation>Hinzufügen…</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>Hopshare settings</source>
            <translation>Hopshare-Einstellungen</translation>
        </message>
        <message>
            <source>&amp;General</source>
            <translation>&amp;Allgemein</translation>
        </message>
        <message>
            <source>&amp;Files</source>
            <translation>&amp;Dateien</translation>
        </message>
        <message>
            <source>&amp;Transfers and test conditions</source>
            <translation>&amp;Übertragung und Testbedingungen</translation>
        </message>
        <message>
            <source>Nick</source>
            <translation>Nick</translation>
        </message>
        <message>
            <source>Language</source>
            <translation>Sprache</translation>
        </message>
        <message>
            <source>System default</source>
            <translation>Systemvorgabe</translation>
        </message>
        <message>
            <source>Servers</source>
            <translation>Server</translation>
        </message>
        <message>
            <source>&amp;Nick:</source>
            <translation>&amp;Nick:</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>&amp;Sprache:</translation>
        </message>
        <message>
            <source>A new language applies at the next start.</source>
            <translation>Eine neue Sprache gilt ab dem nächsten Start.</translation>
        </message>
        <message>
            <source>&amp;Servers:</source>
            <translation>&amp;Server:</translation>
        </message>
        <message>
            <source>Add server</source>
            <translation>Server hinzufügen</translation>
        </message>
        <message>
            <source>Server (host:port):</source>
            <translation>Server (Host:Port):</translation>
        </message>
        <message>
            <source>Shared folders</source>
            <translation>Freigegebene Ordner</translation>
        </message>
        <message>
            <source>Download folder</source>
            <translation>Download-Ordner</translation>
        </message>
        <message>
            <source>Browse…</source>
            <translation>Durchsuchen…</translation>
        </message>
        <message>
            <source>Upload slots</source>
            <translation>Upload-Plätze</translation>
        </message>
        <message>
            <source> KiB/s</source>
            <translation> KiB/s</translation>
        </message>
        <message>
            <source>unlimited</source>
            <translation>unbegrenzt</translation>
        </message>
        <message>
            <source>Upload rate limit</source>
            <translation>Upload-Ratenbegrenzung</translation>
        </message>
        <message>
            <source>S&amp;hared folders:</source>
            <translation>&amp;Freigegebene Ordner:</translation>
        </message>
        <message>
            <source>Share a folder</source>
            <translation>Ordner freigeben</translation>
        </message>
        <message>
            <source>&amp;Download folder:</source>
            <translation>&amp;Download-Ordner:</translation>
        </message>
        <message>
            <source>&amp;Upload slots:</source>
            <translation>&amp;Upload-Plätze:</translation>
        </message>
        <message>
            <source>Upload &amp;rate limit:</source>
            <translation>Upload-&amp;Rate begrenzen:</translation>
        </message>
        <message>
            <source>Transfer mode</source>
            <translation>Übertragungsverfahren</translation>
        </message>
        <message>
            <source>&amp;Selective Repeat (recommended)</source>
            <translation>&amp;Selective Repeat (empfohlen)</translation>
        </message>
        <message>
            <source>&amp;Go-Back-N (for comparison)</source>
            <translation>&amp;Go-Back-N (zum Vergleich)</translation>
        </message>
        <message>
            <source>Test conditions</source>
            <translation>Testbedingungen</translation>
        </message>
        <message>
            <source>&amp;Impair my transfers (for demonstrations)</source>
            <translation>Meine Übertragungen &amp;stören (für Vorführungen)</translation>
        </message>
        <message>
            <source>Loss</source>
            <translation>Verlust</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> ms</translation>
        </message>
        <message>
            <source>Delay</source>
            <translation>Verzögerung</translation>
        </message>
        <message>
            <source>Reordering</source>
            <translation>Vertauschung</translation>
        </message>
        <message>
            <source>Corruption</source>
            <translation>Verfälschung</translation>
        </message>
        <message>
            <source>&amp;Loss:</source>
            <translation>&amp;Verlust:</translation>
        </message>
        <message>
            <source>&amp;Delay:</source>
            <translation>Ver&amp;zögerung:</translation>
        </message>
        <message>
            <source>&amp;Reordering:</source>
            <translation>Ver&amp;tauschung:</translation>
        </message>
        <message>
            <source>&amp;Corruption:</source>
            <translation>Ver&amp;fälschung:</translation>
        </message>
        <message>
            <source>Spec:</source>
            <translation>Spezifikation:</translation>
        </message>
        <message>
            <source>(off)</source>
            <translation>(aus)</translation>
        </message>
        <message>
            <source>Show my &amp;IP address to room members</source>
            <translation>Meine &amp;IP-Adresse den Raummitgliedern zeigen</translation>
        </message>
        <message>
            <source>Off: other members see no address for you and cannot address you by it. Your server always sees it. Applies at the next connection.</source>
            <translation>Aus: andere Mitglieder sehen keine Adresse von dir und können dich nicht über sie ansprechen. Dein Server sieht sie immer. Gilt ab der nächsten Verbindung.</translation>
        </message>
        <message>
            <source>S&amp;kip the server certificate check (for tests only: anyone on the network path could read and change the chat)</source>
            <translation>Prüfung des Server&amp;zertifikats überspringen (nur für Tests: jeder auf dem Netzweg könnte den Chat lesen und ändern)</translation>
        </message>
        <message>
            <source>&quot;%1&quot; cannot be a nick: up to 32 letters, digits, &apos;_&apos;, &apos;-&apos; or &apos;.&apos;, starting with a letter, and not a command word.</source>
            <translation>„%1“ kann kein Nick sein: bis zu 32 Buchstaben, Ziffern, „_“, „-“ oder „.“, mit einem Buchstaben am Anfang und kein Befehlswort.</translation>
        </message>
    </context>
    <context>
        <name>Gui::ThroughputPlot</name>
        <message>
            <source>ms</source>
            <translation>ms</translation>
        </message>
        <message>
            <source>Throughput graph</source>
            <translation>Durchsatzgraph</translation>
        </message>
        <message>
            <source>Download (all)</source>
            <translation>Download (gesamt)</translation>
        </message>
        <message>
            <source>Upload (all)</source>
            <translation>Upload (gesamt)</translation>
        </message>
        <message>
            <source>Selected transfer</source>
            <translation>Gewählte Übertragung</translation>
        </message>
        <message>
            <source>Congestion rate</source>
            <translation>Staukontrollrate</translation>
        </message>
        <message>
            <source>Round trip</source>
            <translation>Umlaufzeit</translation>
        </message>
        <message>
            <source>seconds ago</source>
            <translation>vor Sekunden</translation>
        </message>
        <message>
            <source>KiB/s</source>
            <translation>KiB/s</translation>
        </message>
        <message>
            <source>round trip (ms)</source>
            <translation>Umlaufzeit (ms)</translation>
        </message>
        <message>
            <source>Save graph as PNG…</source>
            <translation>Graph als PNG speichern…</translation>
        </message>
        <message>
            <source>Save graph</source>
            <translation>Graph speichern</translation>
        </message>
        <message>
            <source>PNG images (*.png)</source>
            <translation>PNG-Bilder (*.png)</translation>
        </message>
        <message>
            <source>MiB/s</source>
            <translation>MiB/s</translation>
        </message>
        <message numerus="yes">
            <source>Last %n min</source>
            <translation>
                <numerusform>Letzte %n min</numerusform>
                <numerusform>Letzte %n min</numerusform>
            </translation>
        </message>
        <message>
            <source>Time shown</source>
            <translation>Gezeigter Zeitraum</translation>
        </message>
        <message>
            <source>&amp;Show:</source>
            <translation>&amp;Zeigen:</translation>
        </message>
    </context>
    <context>
        <name>Gui::TransfersView</name>
        <message>
            <source>Transfers</source>
            <translation>Übertragungen</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>&amp;Anhalten</translation>
        </message>
        <message>
            <source>&amp;Resume</source>
            <translation>&amp;Fortsetzen</translation>
        </message>
        <message>
            <source>&amp;Cancel</source>
            <translation>A&amp;bbrechen</translation>
        </message>
        <message>
            <source>&amp;Open file</source>
            <translation>Datei ö&amp;ffnen</translation>
        </message>
        <message>
            <source>Open &amp;folder</source>
            <translation>&amp;Ordner öffnen</translation>
        </message>
        <message>
            <source>C&amp;lear finished</source>
            <translation>Beendete &amp;entfernen</translation>
        </message>
        <message>
            <source>Pause or resume</source>
            <translation>Anhalten oder fortsetzen</translation>
        </message>
        <message>
            <source>%1 no longer exists.</source>
            <translation>%1 gibt es nicht mehr.</translation>
        </message>
        <message>
            <source>No application could open %1.</source>
            <translation>Kein Programm konnte %1 öffnen.</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Hopshare desktop client: chat rooms that move files.</source>
            <translation>Hopshare-Desktop-Client: Chaträume, die Dateien übertragen.</translation>
        </message>
        <message>
            <source>Nick to use.</source>
            <translation>Zu verwendender Nick.</translation>
        </message>
        <message>
            <source>Room to join (repeatable).</source>
            <translation>Zu betretender Raum (mehrfach möglich).</translation>
        </message>
        <message>
            <source>Language (de, en).</source>
            <translation>Sprache (de, en).</translation>
        </message>
        <message>
            <source>Settings file (INI) instead of the default.</source>
            <translation>Einstellungsdatei (INI) statt der voreingestellten.</translation>
        </message>
        <message>
            <source>Hopshare</source>
            <translation>Hopshare</translation>
        </message>
        <message>
            <source>'%1' is not a server address (host:port).</source>
            <translation>„%1“ ist keine Serveradresse (Host:Port).</translation>
        </message>
        <message>
            <source>Server to connect to (repeatable: the closest is used, the others are where the client fails over to).</source>
            <translation>Server, mit dem verbunden wird (mehrfach möglich: der nächstgelegene wird benutzt, zu den anderen wechselt der Client bei Ausfall).</translation>
        </message>
        <message>
            <source>Identity key file (PEM), made on first use. Default: beside the --settings file, else in the data folder.</source>
            <translation>Schlüsseldatei der Identität (PEM), beim ersten Start erzeugt. Vorgabe: neben der --settings-Datei, sonst im Datenordner.</translation>
        </message>
        <message>
            <source>Cannot use your identity: %1</source>
            <translation>Deine Identität ist nicht nutzbar: %1</translation>
        </message>
    </context>
    <context>
        <name>Client::FileModels</name>
        <message>
            <source>%1 (%2) is shared: the room was told and can download it.</source>
            <translation>%1 (%2) ist freigegeben: der Raum weiß Bescheid und kann es herunterladen.</translation>
        </message>
    </context>
    <context>
        <name>Client::ConnectionStatus</name>
        <message>
            <source>Offline</source>
            <translation>Offline</translation>
        </message>
        <message>
            <source>Offline: %1</source>
            <translation>Offline: %1</translation>
        </message>
        <message>
            <source>Connecting…</source>
            <translation>Verbinde…</translation>
        </message>
        <message>
            <source>Connecting to %1…</source>
            <translation>Verbinde mit %1…</translation>
        </message>
        <message>
            <source>Connected to %1 as %2</source>
            <translation>Verbunden mit %1 als %2</translation>
        </message>
        <message numerus="yes">
            <source>Offline — reconnecting in %n s</source>
            <translation>
                <numerusform>Offline — neuer Versuch in %n s</numerusform>
                <numerusform>Offline — neuer Versuch in %n s</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Offline (%1) — reconnecting in %n s</source>
            <translation>
                <numerusform>Offline (%1) — neuer Versuch in %n s</numerusform>
                <numerusform>Offline (%1) — neuer Versuch in %n s</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Client::MemberListModel</name>
        <message>
            <source>Key: %1</source>
            <translation>Schlüssel: %1</translation>
        </message>
        <message>
            <source>KEY CHANGED: %1 used to have key %2</source>
            <translation>SCHLÜSSEL GEÄNDERT: %1 hatte bisher den Schlüssel %2</translation>
        </message>
    </context>
    <context>
        <name>Client::Outbox</name>
        <message numerus="yes">
            <source>%n unsent line(s) dropped: you left the room.</source>
            <translation>
                <numerusform>%n nicht gesendete Zeile verworfen: du hast den Raum verlassen.</numerusform>
                <numerusform>%n nicht gesendete Zeilen verworfen: du hast den Raum verlassen.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Gui::ConnectionBar</name>
        <message>
            <source>Reconnect &amp;now</source>
            <translation>&amp;Jetzt verbinden</translation>
        </message>
        <message>
            <source>Reconnect now</source>
            <translation>Jetzt verbinden</translation>
        </message>
        <message numerus="yes">
            <source>Reconnecting in %n s…</source>
            <translation>
                <numerusform>Neuer Versuch in %n s…</numerusform>
                <numerusform>Neuer Versuch in %n s…</numerusform>
            </translation>
        </message>
        <message>
            <source>Reconnecting…</source>
            <translation>Verbinde erneut…</translation>
        </message>
        <message>
            <source>Reconnecting to %1…</source>
            <translation>Verbinde erneut mit %1…</translation>
        </message>
        <message>
            <source>Offline.</source>
            <translation>Offline.</translation>
        </message>
        <message>
            <source>(%1)</source>
            <translation>(%1)</translation>
        </message>
    </context>
    <context>
        <name>Gui::JoinRoomDialog</name>
        <message>
            <source>Join room</source>
            <translation>Raum betreten</translation>
        </message>
        <message>
            <source>Room name</source>
            <translation>Raumname</translation>
        </message>
        <message>
            <source>Room password</source>
            <translation>Raumpasswort</translation>
        </message>
        <message>
            <source>none: an open room</source>
            <translation>keins: ein offener Raum</translation>
        </message>
        <message>
            <source>Needed for a locked room. Joining a new room with a password locks it for as long as anyone is in it.</source>
            <translation>Nötig für einen gesperrten Raum. Wer einen neuen Raum mit Passwort betritt, sperrt ihn, solange jemand darin ist.</translation>
        </message>
        <message>
            <source>&amp;Room:</source>
            <translation>&amp;Raum:</translation>
        </message>
        <message>
            <source>&amp;Password:</source>
            <translation>&amp;Passwort:</translation>
        </message>
    </context>
    <context>
        <name>Gui::EmptyView</name>
        <message>
            <source>No room is open.</source>
            <translation>Kein Raum ist offen.</translation>
        </message>
        <message>
            <source>Join a room… (%1)</source>
            <translation>Raum betreten… (%1)</translation>
        </message>
        <message>
            <source>You are not connected.</source>
            <translation>Du bist nicht verbunden.</translation>
        </message>
        <message>
            <source>Connect… (%1)</source>
            <translation>Verbinden… (%1)</translation>
        </message>
    </context>
    <context>
        <name>Gui::ConnectionLabel</name>
        <message>
            <source>Connection state</source>
            <translation>Verbindungsstatus</translation>
        </message>
    </context>
</TS>
