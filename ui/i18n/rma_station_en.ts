<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en">
<context>
    <name>ApprovalsView</name>
    <message numerus="yes">
        <source>%n pending</source>
        <translation><numerusform>%n pending</numerusform><numerusform>%n pending</numerusform></translation>
    </message>
    </context>
<context>
    <name>DashboardView</name>
    <message numerus="yes">
        <source>%n unit(s) unpriced: resale not counted</source>
        <translation><numerusform>%n unit unpriced: resale not counted</numerusform><numerusform>%n units unpriced: resale not counted</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%1 — %n units</source>
        <translation><numerusform>%1 — %n unit</numerusform><numerusform>%1 — %n units</numerusform></translation>
    </message>
    </context>
<context>
    <name>MatchParcelDialog</name>
    <message numerus="yes">
        <source>%n open RMA(s) found</source>
        <translation><numerusform>%n open RMA found</numerusform><numerusform>%n open RMAs found</numerusform></translation>
    </message>
    </context>
<context>
    <name>PolicyEditor</name>
    <message numerus="yes">
        <source>%n problem(s); the policy is not usable as it is.</source>
        <translation><numerusform>%n problem; the policy is not usable as it is.</numerusform><numerusform>%n problems; the policy is not usable as it is.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s); nothing was saved.</source>
        <translation><numerusform>%n problem; nothing was saved.</numerusform><numerusform>%n problems; nothing was saved.</numerusform></translation>
    </message>
    </context>
<context>
    <name>QueuesView</name>
    <message numerus="yes">
        <source>%n rows</source>
        <translation><numerusform>%n row</numerusform><numerusform>%n rows</numerusform></translation>
    </message>
    </context>
<context>
    <name>RequestReviewsPanel</name>
    <message numerus="yes">
        <source>%n request(s) waiting</source>
        <translation><numerusform>%n request waiting</numerusform><numerusform>%n requests waiting</numerusform></translation>
    </message>
    </context>
<context>
    <name>RtvView</name>
    <message numerus="yes">
        <source>%n approved unit(s) of this vendor wait for a batch</source>
        <translation><numerusform>%n approved unit of this vendor waits for a batch</numerusform><numerusform>%n approved units of this vendor wait for a batch</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Claim open %n day(s).</source>
        <translation><numerusform>Claim open %n day.</numerusform><numerusform>Claim open %n days.</numerusform></translation>
    </message>
    </context>
<context>
    <name>SheetsView</name>
    <message numerus="yes">
        <source>%n sheets</source>
        <translation><numerusform>%n sheet</numerusform><numerusform>%n sheets</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n units</source>
        <translation><numerusform>%n unit</numerusform><numerusform>%n units</numerusform></translation>
    </message>
    </context>
<context>
    <name>StationStatusBar</name>
    <message numerus="yes">
        <source>No central database: this station works alone. %n change(s) wait to be sent once one is set up.</source>
        <translation><numerusform>No central database: this station works alone. %n change waits to be sent once one is set up.</numerusform><numerusform>No central database: this station works alone. %n changes wait to be sent once one is set up.</numerusform></translation>
    </message>
    </context>
</TS>