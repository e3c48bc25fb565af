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
            <source>This command is not available in the desktop client yet.</source>
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
            <source>'%1' is not a server address (host:port).</source>
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
    </context>
    <context>
        <name>Gui::FileActions</name>
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
            <source>Connection state</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Transfer rates</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Could not connect: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Disconnected: %1</source>
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
        <message numerus="yes">
            <source>%n unread line(s)</source>
            <translation>
                <numerusform>%n unread line</numerusform>
                <numerusform>%n unread lines</numerusform>
            </translation>
        </message>
        <message>
            <source>Offline</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Connecting…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Connected to %1 as %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>↓ %1  ↑ %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Join room</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Room name:</source>
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
            <source>Connection lost (%1); reconnecting to the next closest server…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Reconnected to %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No server could be reached: %1</source>
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
    </context>
    <context>
        <name>Gui::ThroughputPlot</name>
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
    </context>
</TS>
