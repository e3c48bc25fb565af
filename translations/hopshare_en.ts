<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>Client::ChatModels</name>
        <message numerus="yes">
            <source>You joined %1 (%n member(s))</source>
            <translation>
                <numerusform>You joined %1 (%n member)</numerusform>
                <numerusform>You joined %1 (%n members)</numerusform>
            </translation>
        </message>
        <message>
            <source>You left %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 joined (on %2)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 is unreachable: the link to %2 was lost</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 quit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 timed out</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 left</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Disconnected: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>reconnected to %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Warning: the key of %1 changed (%2 -&gt; %3). It may be someone else using this nick.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You now trust key %1 for %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>you</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Client::OfferModel</name>
        <message>
            <source>Name / source</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Size</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sources</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Free slots</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Client::TransferListModel</name>
        <message>
            <source>Queued</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Requesting</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Refused, trying next peer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Connecting</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Transferring</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Verifying</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Paused</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Done</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cancelled</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1/s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 min %2 s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Down</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Up</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 of %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Done, verified</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 ms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>File</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Peer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Direction</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Progress</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ETA</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>State</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Round trip</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Resent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 (%2 % spurious)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Share of the file&apos;s data sent again after a loss; &quot;spurious&quot;: sent again although the first copy had arrived.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Path</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Direct (LAN)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Direct (through NAT)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Relayed by server</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Paused by peer</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::CommandRunner</name>
        <message numerus="yes">
            <source>Pong from %1: %2 ms, %n hop(s)</source>
            <translation>
                <numerusform>Pong from %1: %2 ms, %n hop</numerusform>
                <numerusform>Pong from %1: %2 ms, %n hops</numerusform>
            </translation>
        </message>
        <message>
            <source>Not understood: %1 (type /help)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>In %1: %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>/sleep is for scripts; nothing to do here.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Not sent: you are offline. Try &quot;%1&quot; again once reconnected.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sharing %1; the room is told once it is indexed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot share %1.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Searching the room for &quot;%1&quot;; offers appear in the Offers panel.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Asking %1 for &quot;%2&quot;; offers appear in the Offers panel.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No offer matches &quot;%1&quot;; use /find first.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 is already here; not downloaded again.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That offer is no longer available.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Downloading %1; see the Transfers panel.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n transfer(s); see the Transfers panel.</source>
            <translation>
                <numerusform>%n transfer; see the Transfers panel.</numerusform>
                <numerusform>%n transfers; see the Transfers panel.</numerusform>
            </translation>
        </message>
        <message>
            <source>Nobody called %1 is in your rooms.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>/wait is for scripts; nothing to do here.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::ConnectDialog</name>
        <message>
            <source>Connect to Hopshare</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Your nick</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nick</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Server</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Round trip</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Servers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>host:port</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New server address</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Add</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Remove</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Measure</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rooms, separated by spaces</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rooms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Connect</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Nick:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Servers:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>R&amp;ooms:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>unreachable</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>measuring…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a nick: letters, digits, '_', '-' or '.', starting with a letter.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Choose a server from the list.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>'%1' is not a valid room name.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 ms (%2)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1, closest</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&apos;%1&apos; is not a server address: host:port, e.g. chat.example.org:7400 or [2001:db8::1]:7400.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::FileActions</name>
        <message>
            <source>Nothing could open %1.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download again</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open existing</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 is already here, with the same content:
%2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Already downloaded</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 refused %2 (%3); trying the next source</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Test conditions ignored: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sharing %1…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Could not share %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Looking for "%1" in %2…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>That offer is no longer available.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No source is known for %1.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Downloading %1…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hashing shared files: %1 of %2, %3 %</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::MainWindow</name>
        <message>
            <source>Hopshare</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Rooms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Offers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Throughput</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Downloads and uploads</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Hopshare</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Connect…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Join room…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Leave room</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Share files…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>S&amp;ettings…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;View</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Detach room</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Next room</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Previous room</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Find files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save &amp;graph as PNG…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>He&amp;lp</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Commands</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;About Hopshare</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>About Hopshare</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;b&gt;Hopshare %1&lt;/b&gt;&lt;p&gt;Chat rooms that move files over a reliable UDP transport.&lt;/p&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Transfer rates</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Round trip to %1: %2 ms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 in %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download finished</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 — Hopshare</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>↓ %1  ↑ %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Share files with %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1/s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reconnected to %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1: unreachable</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1: %2 ms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Measured round trips:
%1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 could not be used; connected to %2 instead.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 could not be used (%3); connected to %2 instead.</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n unread message(s)</source>
            <translation>
                <numerusform>%n unread message</numerusform>
                <numerusform>%n unread messages</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 — %2 — Hopshare</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::MessageDelegate</name>
        <message>
            <source>⬇ shared %1 (%2) — double-click to download</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>(private) %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1  (pending: sent when reconnected)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>(private to %1) %2</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::Notifier</name>
        <message>
            <source>Hopshare</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::OffersView</name>
        <message>
            <source>&amp;Download</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Find files in the current room (e.g. *.iso)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Find files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Find</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Find</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Offers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download from the best source, or from the chosen source</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::RoomWindow</name>
        <message>
            <source>Private conversation with %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Share files…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Messages in %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Members of %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Message %1 — @nick to address someone, /help for commands</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Message input</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Send message</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Share files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Share files with this room (or drop them on the window)</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n member(s)</source>
            <translation>
                <numerusform>%n member</numerusform>
                <numerusform>%n members</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Gui::SettingsDialog</name>
        <message>
            <source>Add…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Remove</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hopshare settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;General</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Files</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Transfers and test conditions</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nick</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Language</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>System default</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Servers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Nick:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A new language applies at the next start.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Servers:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Add server</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Server (host:port):</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Shared folders</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Browse…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Upload slots</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> KiB/s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>unlimited</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Upload rate limit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>S&amp;hared folders:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Share a folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Download folder:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Upload slots:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Upload &amp;rate limit:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Transfer mode</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Selective Repeat (recommended)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Go-Back-N (for comparison)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Test conditions</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Impair my transfers (for demonstrations)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loss</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> ms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Delay</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reordering</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Corruption</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Loss:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Delay:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Reordering:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Corruption:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Spec:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>(off)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show my &amp;IP address to room members</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Off: other members see no address for you and cannot address you by it. Your server always sees it. Applies at the next connection.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>S&amp;kip the server certificate check (for tests only: anyone on the network path could read and change the chat)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&quot;%1&quot; cannot be a nick: up to 32 letters, digits, &apos;_&apos;, &apos;-&apos; or &apos;.&apos;, starting with a letter, and not a command word.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::ThroughputPlot</name>
        <message>
            <source>ms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Throughput graph</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Download (all)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Upload (all)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Selected transfer</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Congestion rate</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Round trip</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>seconds ago</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>KiB/s</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>round trip (ms)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save graph as PNG…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save graph</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>PNG images (*.png)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>MiB/s</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Last %n min</source>
            <translation>
                <numerusform>Last %n min</numerusform>
                <numerusform>Last %n min</numerusform>
            </translation>
        </message>
        <message>
            <source>Time shown</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Show:</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::TransfersView</name>
        <message>
            <source>Transfers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Resume</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Cancel</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Open file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open &amp;folder</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>C&amp;lear finished</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Pause or resume</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 no longer exists.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No application could open %1.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Hopshare desktop client: chat rooms that move files.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Nick to use.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Room to join (repeatable).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Language (de, en).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Settings file (INI) instead of the default.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hopshare</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>'%1' is not a server address (host:port).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Server to connect to (repeatable: the closest is used, the others are where the client fails over to).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Identity key file (PEM), made on first use. Default: beside the --settings file, else in the data folder.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Cannot use your identity: %1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Client::FileModels</name>
        <message>
            <source>%1 (%2) is shared: the room was told and can download it.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Client::ConnectionStatus</name>
        <message>
            <source>Offline</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Offline: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Connecting…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Connecting to %1…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Connected to %1 as %2</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Offline — reconnecting in %n s</source>
            <translation>
                <numerusform>Offline — reconnecting in %n s</numerusform>
                <numerusform>Offline — reconnecting in %n s</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Offline (%1) — reconnecting in %n s</source>
            <translation>
                <numerusform>Offline (%1) — reconnecting in %n s</numerusform>
                <numerusform>Offline (%1) — reconnecting in %n s</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Client::MemberListModel</name>
        <message>
            <source>Key: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>KEY CHANGED: %1 used to have key %2</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Client::Outbox</name>
        <message numerus="yes">
            <source>%n unsent line(s) dropped: you left the room.</source>
            <translation>
                <numerusform>%n unsent line dropped: you left the room.</numerusform>
                <numerusform>%n unsent lines dropped: you left the room.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Gui::ConnectionBar</name>
        <message>
            <source>Reconnect &amp;now</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reconnect now</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Reconnecting in %n s…</source>
            <translation>
                <numerusform>Reconnecting in %n s…</numerusform>
                <numerusform>Reconnecting in %n s…</numerusform>
            </translation>
        </message>
        <message>
            <source>Reconnecting…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reconnecting to %1…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Offline.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>(%1)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::JoinRoomDialog</name>
        <message>
            <source>Join room</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Room name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Room password</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>none: an open room</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Needed for a locked room. Joining a new room with a password locks it for as long as anyone is in it.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Room:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Password:</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::EmptyView</name>
        <message>
            <source>No room is open.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Join a room… (%1)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>You are not connected.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Connect… (%1)</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>Gui::ConnectionLabel</name>
        <message>
            <source>Connection state</source>
            <translation type="unfinished" />
        </message>
    </context>
</TS>
