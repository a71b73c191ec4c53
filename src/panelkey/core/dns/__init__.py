"""DNS: zone records, their rdata rules, zones (status, SOA, the server-wide template)."""
