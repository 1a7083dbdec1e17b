<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>ShieldStatus</name>
    <message numerus="yes">
        <source>no fresh analysis for %n second(s) — the computer may be too busy</source>
        <translation>
            <numerusform>no fresh analysis for %n second — the computer may be too busy</numerusform>
            <numerusform>no fresh analysis for %n seconds — the computer may be too busy</numerusform>
        </translation>
    </message>
</context>
</TS>
