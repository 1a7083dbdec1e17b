"""Call-centre mode without Qt: sessions, the hash-chained event log, its verification, SIEM forwarding, reports."""
